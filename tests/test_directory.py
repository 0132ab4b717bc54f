"""What the SQLite directory holds after the services ran: schema, rows, hashes."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

import mailwizard.backends
from both_engines import on_both_engines  # noqa: F401 - every test here runs on both engines
from cli_harness import Cli, directory_connection, query
from mailwizard.backends.schema import metadata
from mailwizard.bootstrap import bootstrap
from mailwizard.config import Settings
from mailwizard.services.terms import TERMS_VERSION, terms_text
from martin_household import DOMAIN, HOLDER, HOLDER_PASSWORD, NEW_PASSWORD


@pytest.fixture
def lea(household: str, cli: Cli, answers_dir: Path) -> str:
    return cli.new_box(answers_dir, language="fr")


@contextmanager
def directory_at(revision: str, directory_url: str, directory_path: Path) -> Iterator[Connection]:
    """A new directory migrated up to ``revision``, to fill as a directory of that time;
    upgraded to the newest revision once the block ends."""
    directory_path.parent.mkdir(parents=True)
    config = migrations_config()
    with directory_connection(directory_url) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        yield connection
        command.upgrade(config, "head")


def migrations_config() -> Config:
    config = Config()
    config.set_main_option(
        "script_location", str(Path(mailwizard.backends.__file__).parent / "migrations")
    )
    return config


def test_the_migrated_schema_is_the_one_the_code_declares(
    household: str, directory_url: str
) -> None:
    with directory_connection(directory_url) as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []
    head = ScriptDirectory.from_config(migrations_config()).get_current_head()
    assert query(directory_url, "SELECT version_num FROM alembic_version") == [(head,)]


def test_the_upgrade_splits_the_addresses_already_registered(
    isolated_environment: dict[str, str], directory_url: str, directory_path: Path
) -> None:
    """A directory made before the registry kept stems and numbers gets them at its
    upgrade, boxes and aliases alike, and its suggestions skip them."""
    now = "2026-01-05 08:00:00+00"
    with directory_at("0005", directory_url, directory_path) as connection:
        connection.execute(text(f"INSERT INTO domain VALUES ('{DOMAIN}', '{now}')"))
        connection.execute(text(f"INSERT INTO household VALUES (1, true, 9, '{now}', NULL, NULL)"))
        connection.execute(text(f"INSERT INTO household_domain VALUES (1, '{DOMAIN}')"))
        for local_part in ("jean.martin", "jean.martin2", "agent.007", "lea1985"):
            connection.execute(
                text("INSERT INTO address VALUES (:address, :domain, :now)"),
                {"address": f"{local_part}@{DOMAIN}", "domain": DOMAIN, "now": now},
            )
        connection.execute(
            text(
                "INSERT INTO mailbox (id, username, password, maildir, active, household_id, "
                "role, civility, first_name, last_name, language, created_at) VALUES (1, "
                f"'{HOLDER}', 'x', 'm/', true, 1, 'primary', 'm', 'Jean', 'Martin', 'fr', '{now}')"
            )
        )
        for alias in ("jean.martin2", "agent.007", "lea1985"):
            connection.execute(text(f"INSERT INTO alias VALUES ('{alias}@{DOMAIN}', 1, '{now}')"))

    services = bootstrap(Settings())
    try:
        proposals = services.provisioning.suggest_for_owner(HOLDER, "Jean", "Martin")
    finally:
        services.close()

    assert sorted(query(directory_url, "SELECT address, stem, number FROM address")) == [
        (f"agent.007@{DOMAIN}", "agent.00", 7),
        (f"jean.martin2@{DOMAIN}", "jean.martin", 2),
        (f"jean.martin@{DOMAIN}", "jean.martin", 0),
        (f"lea1985@{DOMAIN}", "lea", 1985),
    ]
    assert proposals[-1] == f"j.martin2@{DOMAIN}"


def test_the_upgrade_counts_each_households_live_secondary_boxes(
    isolated_environment: dict[str, str], directory_url: str, directory_path: Path
) -> None:
    """Deleted boxes and primary ones do not count; a household without boxes has 0."""
    now = "2026-01-05 08:00:00+00"
    boxes = [  # household, local part, role, deleted
        (1, "jean.martin", "primary", False),
        (1, "lea.martin", "secondary", False),
        (1, "paul.martin", "secondary", False),
        (1, "zoe.martin", "secondary", True),
        (2, "anne.petit", "primary", False),
        (3, "eric.roux", "secondary", True),
    ]
    with directory_at("0006", directory_url, directory_path) as connection:
        connection.execute(text(f"INSERT INTO domain VALUES ('{DOMAIN}', '{now}')"))
        for household_id in (1, 2, 3):
            connection.execute(
                text(f"INSERT INTO household VALUES ({household_id}, true, 9, '{now}', NULL, NULL)")
            )
        for box_id, (household_id, local_part, role, deleted) in enumerate(boxes, start=1):
            address = f"{local_part}@{DOMAIN}"
            connection.execute(
                text(f"INSERT INTO address VALUES ('{address}', '{DOMAIN}', '{now}', :stem, 0)"),
                {"stem": local_part},
            )
            connection.execute(
                text(
                    "INSERT INTO mailbox (id, username, password, maildir, active, household_id, "
                    "role, civility, first_name, last_name, language, created_at, deleted_at) "
                    f"VALUES ({box_id}, '{address}', 'x', 'm/', true, {household_id}, '{role}', "
                    "'m', 'A', 'B', 'fr', :now, :deleted_at)"
                ),
                {"now": now, "deleted_at": now if deleted else None},
            )

    assert query(directory_url, "SELECT id, secondary_count FROM household ORDER BY id") == [
        (1, 2),
        (2, 0),
        (3, 0),
    ]


def test_an_up_to_date_directory_opens_without_loading_the_migrations(
    household: str, directory_url: str
) -> None:
    probe = (
        "import sys; from mailwizard.backends.engine import open_engine; "
        f"open_engine({directory_url!r}, create=False).dispose(); print('alembic' in sys.modules)"
    )
    opened = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert opened.returncode == 0, opened.stderr
    assert opened.stdout.strip() == "False"


def test_boxes_have_what_dovecot_reads(lea: str, directory_url: str) -> None:
    rows = query(
        directory_url,
        "SELECT username, password, maildir, active, role FROM mailbox ORDER BY id",
    )
    assert [(r[0], r[2], r[3], r[4]) for r in rows] == [
        (HOLDER, "famille-martin.fr/jean.martin/", 1, "primary"),
        (lea, "famille-martin.fr/lea.martin/", 1, "secondary"),
    ]
    for _, password_hash, *_rest in rows:
        assert isinstance(password_hash, str)
        assert password_hash.startswith("{ARGON2ID}$argon2id$v=19$m=19456,t=2,p=1$")
        assert HOLDER_PASSWORD not in password_hash
        assert NEW_PASSWORD not in password_hash


def test_a_creation_records_consent_audit_and_two_confirmations(
    lea: str, directory_url: str
) -> None:
    (consent,) = query(directory_url, "SELECT terms_version, accepted_by FROM consent")
    assert consent == (TERMS_VERSION, HOLDER)
    actions = query(directory_url, "SELECT action, actor, target FROM audit_log ORDER BY id")
    assert actions[-1] == ("mailbox.created", HOLDER, lea)
    messages = query(
        directory_url,
        "SELECT recipient, language, template, status, message_id, context FROM outbox",
    )
    assert sorted((m[0], m[1], m[2], m[3]) for m in messages) == sorted(
        [(HOLDER, "en", "holder_confirmation", "sent"), (lea, "fr", "welcome", "sent")]
    )
    assert len({m[4] for m in messages}) == 2
    for message in messages:
        context = json.loads(str(message[5]))
        assert context["address"] == lea
        assert NEW_PASSWORD not in str(message)


def test_stronger_hash_parameters_apply_at_the_next_sign_in(
    household: str, isolated_environment: dict[str, str], directory_url: str
) -> None:
    stronger = Settings(argon2_time_cost=3, argon2_memory_kib=20480)
    services = bootstrap(stronger)
    try:
        services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    finally:
        services.close()
    ((stored,),) = query(directory_url, f"SELECT password FROM mailbox WHERE username = '{HOLDER}'")
    assert str(stored).startswith("{ARGON2ID}$argon2id$v=19$m=20480,t=3,p=1$")
    services = bootstrap(stronger)
    try:
        assert services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test").address == HOLDER
    finally:
        services.close()


def test_reopening_an_upgraded_directory_changes_nothing(
    lea: str, cli: Cli, directory_url: str
) -> None:
    before = query(directory_url, "SELECT * FROM mailbox")
    assert cli("accounts", "list", "--owner", HOLDER).exit_code == 0
    assert query(directory_url, "SELECT * FROM mailbox") == before


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_terms_exist_in_both_languages_with_their_version(language: str) -> None:
    text_of_terms = terms_text(language)
    assert TERMS_VERSION in text_of_terms.splitlines()[0]
