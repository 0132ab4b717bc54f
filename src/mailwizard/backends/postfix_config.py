"""Postfix's view of the directory: which domains, boxes and aliases it accepts mail for.

Three lookup tables (``sqlite_table(5)`` or ``pgsql_table(5)``), one per file. A deleted
box is left out at once, and so are its aliases (removed with it), so Postfix refuses
mail for it while the box waits for its purge. A suspended box still receives mail.
"""

from __future__ import annotations

from sqlalchemy.engine import make_url

from mailwizard.backends.engine import is_postgresql, sqlite_file
from mailwizard.secrets import DIRECTORY_PASSWORD, read_secret

QUERIES = {
    "virtual_mailbox_domains.cf": "SELECT name FROM domain WHERE name = '%s'",
    "virtual_mailbox_maps.cf": (
        "SELECT maildir FROM mailbox WHERE username = '%s' AND deleted_at IS NULL"
    ),
    "virtual_alias_maps.cf": (
        "SELECT mailbox.username FROM alias JOIN mailbox ON mailbox.id = alias.mailbox_id "
        "WHERE alias.address = '%s' AND mailbox.deleted_at IS NULL"
    ),
}


def _connection(directory_url: str) -> str:
    """The lines that reach the directory; a PostgreSQL password goes into the file (written
    0640) unless ~/.pgpass or trust authentication of Postfix's user provides it."""
    if not is_postgresql(directory_url):
        return f"dbpath = {sqlite_file(directory_url).resolve()}"
    url = make_url(directory_url)
    host = url.host or "localhost"
    parameters = {
        "hosts": f"{host}:{url.port}" if url.port else host,
        "user": url.username,
        "password": url.password or read_secret(DIRECTORY_PASSWORD),
        "dbname": url.database,
    }
    return "\n".join(f"{key} = {value}" for key, value in parameters.items() if value)


def postfix_files(directory_url: str) -> dict[str, str]:
    """File name -> text of each lookup table's configuration."""
    connection = _connection(directory_url)
    return {
        name: f'# Written by "mailwizard postfix-config".\n{connection}\nquery = {query}\n'
        for name, query in QUERIES.items()
    }


def main_cf_lines(folder_text: str, directory_url: str) -> str:
    """What to add to main.cf so that Postfix uses the tables."""
    kind = "pgsql" if is_postgresql(directory_url) else "sqlite"
    return "\n".join(
        f"{name.removesuffix('.cf')} = {kind}:{folder_text}/{name}" for name in QUERIES
    )
