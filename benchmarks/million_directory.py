"""A directory of a million boxes, bulk-loaded into the schema the real migrations create.

    uv run python benchmarks/million_directory.py            # builds the cached SQLite file
    uv run python benchmarks/million_directory.py --url postgresql://USER:PASSWORD@HOST/DB

People get French names drawn with a mild Zipf skew, so common names (Jean Martin has
about two thousand namesakes) hold long runs of numbered addresses, as on a national
provider's domain. Each person takes the first free address that mailwizard itself
would propose (``domain.suggestions.candidates``). Rows go in with executemany on SQLite
(cached in benchmarks/work), then with COPY from that file into PostgreSQL, never
through the services: a million argon2 hashes and transactions would take hours.
Every box shares one real argon2id hash. Consents, audit lines and e-mails are left
out: no query measured here reads them.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from sqlalchemy import Engine, func, insert, select, update

from mailwizard.backends import schema
from mailwizard.backends.engine import newest_revision, open_engine
from mailwizard.backends.sql_addresses import registry_row
from mailwizard.domain.addresses import mailbox_home
from mailwizard.domain.suggestions import base_local_parts, candidates
from mailwizard.hashing import Argon2idHasher

WORK_FOLDER = Path(__file__).parent / "work"
CACHED_DIRECTORY = WORK_FOLDER / "million.sqlite3"
DOMAIN = "famille.example"
BOX_COUNT = 1_000_000
SEED = 9
CREATED_AT = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
NAME_SKEW = 0.6
"""Zipf exponent of the name draws: the first names of the lists are the most common."""
BATCH = 20_000

# Paragraphs of names read better than hundreds of quoted strings.
FIRST_NAMES = """
jean marie pierre nathalie michel isabelle philippe sylvie alain catherine nicolas
francoise patrick christine christophe sandrine daniel valerie bernard sophie eric
stephanie laurent veronique frederic monique thierry celine olivier anne david julie
sebastien aurelie julien nicole pascal emilie jacques claire francois martine gerard
caroline thomas chantal didier laure vincent helene antoine camille maxime lea hugo
louis ines jules zoe arthur manon chloe lucas emma gabriel alice raphael lina leo
rose adam anna paul mia nathan jade theo louise noah ambre sacha agathe mathis
juliette tom romane ethan eva victor margaux axel lola baptiste clement elise
""".split()  # noqa: SIM905
LAST_NAMES = """
martin bernard thomas petit robert richard durand dubois moreau laurent simon michel
lefebvre leroy roux david bertrand morel fournier girard bonnet dupont lambert fontaine
rousseau vincent muller lefevre faure andre mercier blanc guerin boyer garnier chevalier
francois legrand gauthier garcia perrin robin clement morin nicolas henry roussel
mathieu gautier masson marchand duval denis dumont marie lemaire noel meyer dufour
meunier brun blanchard giraud joly riviere lucas brunet gaillard barbier arnaud martinez
gerard roche renard schmitt roy leroux colin vidal caron picard roger fabre aubert
lemoine renaud dumas lacroix olivier philippe bourgeois pierre benoit rey leclerc
payet rolland leclercq guillaume lecomte lopez jean dupuy guillot hubert berger carpentier
sanchez dupuis moulin louis deschamps huet vasseur perez boucher fleury royer klein
jacquet adam paris poirier marty aubry guyot carre charles renault charpentier menard
maillard baron bertin bailly herve schneider fernandez le collet leger bouvier julien
prevost millet perrot daniel martineau martinet
""".split()  # noqa: SIM905


@dataclass(frozen=True)
class Person:
    household_id: int
    primary: bool
    first_name: str
    last_name: str
    address: str


def _zipf_weights(count: int) -> list[float]:
    return [1 / rank**NAME_SKEW for rank in range(1, count + 1)]


def people(box_count: int = BOX_COUNT, seed: int = SEED) -> Iterator[Person]:
    """Households of one to ten boxes, each box at its owner's first free proposal."""
    draw = random.Random(seed)
    first_weights, last_weights = _zipf_weights(len(FIRST_NAMES)), _zipf_weights(len(LAST_NAMES))
    taken: set[str] = set()
    proposals: dict[tuple[str, str], Iterator[str]] = {}
    household_id, made = 0, 0
    while made < box_count:
        household_id += 1
        size = min(draw.randint(1, 10), box_count - made)
        last_name = draw.choices(LAST_NAMES, last_weights)[0]
        for index in range(size):
            first_name = draw.choices(FIRST_NAMES, first_weights)[0]
            # Some relatives keep another family name.
            family = last_name if draw.random() < 0.8 else draw.choices(LAST_NAMES, last_weights)[0]
            key = (first_name, family)
            if key not in proposals:
                proposals[key] = candidates(base_local_parts(first_name, family), DOMAIN)
            address = next(
                f"{local}@{DOMAIN}" for local in proposals[key] if f"{local}@{DOMAIN}" not in taken
            )
            taken.add(address)
            yield Person(household_id, index == 0, first_name.title(), family.title(), address)
        made += size


def _rows(box_count: int, password_hash: str) -> Iterator[tuple[list[dict[str, object]], ...]]:
    """Batches of (household, household_domain, address, mailbox) rows."""
    made = iter(people(box_count))
    mailbox_id = 0
    while batch := list(islice(made, BATCH)):
        households = [
            {"id": p.household_id, "contract_active": True, "max_secondary": 9,
             "created_at": CREATED_AT}
            for p in batch if p.primary
        ]  # fmt: skip
        links = [{"household_id": h["id"], "domain": DOMAIN} for h in households]
        addresses = [registry_row(p.address, CREATED_AT) for p in batch]
        boxes = []
        for person in batch:
            mailbox_id += 1
            boxes.append(
                {
                    "id": mailbox_id,
                    "username": person.address,
                    "password": password_hash,
                    "maildir": mailbox_home(person.address),
                    "active": True,
                    "household_id": person.household_id,
                    "role": "primary" if person.primary else "secondary",
                    "civility": "neutral",
                    "first_name": person.first_name,
                    "last_name": person.last_name,
                    "language": "fr",
                    "created_at": CREATED_AT,
                    "deleted_at": None,
                    "purge_after": None,
                }
            )
        yield households, links, addresses, boxes


def _shared_hash() -> str:
    return Argon2idHasher(time_cost=2, memory_kib=19456, parallelism=1).hash("Un-mot-de-passe-42")


TABLES = (schema.household, schema.household_domain, schema.address, schema.mailbox)


def fill(engine: Engine, box_count: int = BOX_COUNT) -> None:
    """Loads the boxes into the empty, migrated SQLite directory behind ``engine``."""
    password_hash = _shared_hash()
    with engine.begin() as connection:
        connection.execute(insert(schema.domain).values(name=DOMAIN, created_at=CREATED_AT))
        for batches in _rows(box_count, password_hash):
            for table, rows in zip(TABLES, batches, strict=True):
                if rows:
                    connection.execute(insert(table), rows)
        # A household's members may straddle two batches: counted once all are in.
        household, mailbox = schema.household, schema.mailbox
        connection.execute(
            update(household).values(
                secondary_count=select(func.count())
                .where(mailbox.c.household_id == household.c.id, mailbox.c.role == "secondary")
                .scalar_subquery()
            )
        )


def copy_into_postgresql(sqlite_file: Path, engine: Engine) -> None:
    """The same boxes, copied from a built SQLite directory into an empty, migrated
    PostgreSQL one with COPY: faster than drawing the million names again."""
    source = sqlite3.connect(sqlite_file)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        # SQLite holds UTC without a zone: read it as UTC.
        cursor.execute("SET TIME ZONE 'UTC'")
        for table in (schema.domain, *TABLES):
            columns = ", ".join(column.name for column in table.columns)
            rows = source.execute(f"SELECT {columns} FROM {table.name}")
            with cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        # Explicit ids leave the sequences behind; new households and boxes follow on.
        for table_name in ("household", "mailbox"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table_name}', 'id'), max(id)) "
                f"FROM {table_name}"
            )
        raw.commit()
        # As autovacuum would by then: statistics, and a visibility map that lets
        # index-only scans skip the table.
        raw.driver_connection.autocommit = True
        cursor.execute("VACUUM ANALYZE")
    finally:
        raw.close()
        source.close()


def cached_sqlite_directory(box_count: int = BOX_COUNT) -> Path:
    """The SQLite directory of ``box_count`` boxes, built once per schema revision and
    kept in benchmarks/work."""
    path = CACHED_DIRECTORY.with_stem(
        f"{CACHED_DIRECTORY.stem}-{box_count}-schema{newest_revision()}"
    )
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    for leftover in partial.parent.glob(partial.name + "*"):
        leftover.unlink()
    engine = open_engine(f"sqlite:///{partial}", create=True)
    try:
        fill(engine, box_count)
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()
    partial.rename(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boxes", type=int, default=BOX_COUNT)
    parser.add_argument(
        "--url", help="also copy the boxes into this empty PostgreSQL directory (postgresql://…)"
    )
    options = parser.parse_args()
    started = time.perf_counter()
    where = cached_sqlite_directory(options.boxes)
    if options.url:
        engine = open_engine(options.url, create=True)
        copy_into_postgresql(where, engine)
        engine.dispose()
        where = options.url
    print(f"{options.boxes} boxes in {where} ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
