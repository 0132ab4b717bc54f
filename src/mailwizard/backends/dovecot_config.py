"""Dovecot's view of the directory: the SQL driver configuration and a snippet to include.

Dovecot reads the ``mailbox`` table directly: ``username`` and ``password`` to sign in
(only active boxes), ``maildir`` for the box's home under the mail folder. A suspended
box cannot sign in but still has its home, so its mail keeps arriving; a deleted one
keeps it until its purge only so that the notice of its closing reaches it (the mail
server's own lookups, see ``postfix_config``, stop accepting mail for it at once).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from mailwizard.backends.engine import is_postgresql, sqlite_file
from mailwizard.secrets import DIRECTORY_PASSWORD, read_secret

SQL_CONFIG_NAME = "dovecot-sql.conf.ext"
SNIPPET_NAME = "mailwizard.conf"


@dataclass(frozen=True)
class DovecotFiles:
    sql_config: str
    snippet: str


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _dovecot_connection(directory_url: str) -> str:
    """Dovecot's driver and connect lines. A PostgreSQL password goes into the file (which
    is written 0640) because Dovecot has no other way to get it, unless ~/.pgpass of
    Dovecot's auth user or trust/peer authentication provide it."""
    if not is_postgresql(directory_url):
        return f"driver = sqlite\nconnect = {sqlite_file(directory_url).resolve()}"
    url = make_url(directory_url)
    password = url.password or read_secret(DIRECTORY_PASSWORD)
    parameters = {
        "host": url.host,
        "port": url.port,
        "dbname": url.database,
        "user": url.username,
        "password": password,
    }
    connect = " ".join(f"{key}={value}" for key, value in parameters.items() if value)
    return f"driver = pgsql\nconnect = {connect}"


def dovecot_files(
    directory_url: str, mail_folder: Path, config_folder: Path, uid: int | None, gid: int | None
) -> DovecotFiles:
    """The text of both files; ``config_folder`` is where they will be installed."""
    connection = _dovecot_connection(directory_url)
    home = f"{_sql_string(str(mail_folder.resolve()) + '/')} || maildir"
    owner = f"{uid or os.getuid()} AS uid, {gid or os.getgid()} AS gid"
    box = "FROM mailbox WHERE username = '%Lu'"
    sql_config = f"""\
# Written by "mailwizard dovecot-config": how Dovecot reads mailwizard's directory.
{connection}
default_pass_scheme = ARGON2ID

password_query = SELECT username AS user, password {box} AND active
user_query = SELECT {home} AS home, {owner} {box}
iterate_query = SELECT username AS user FROM mailbox WHERE deleted_at IS NULL
"""  # noqa: S608 - Dovecot runs these queries, escaping what it puts in %Lu
    snippet = f"""\
# Written by "mailwizard dovecot-config". Include it from dovecot.conf:
#   !include_try {config_folder.resolve() / SNIPPET_NAME}
passdb {{
  driver = sql
  args = {config_folder.resolve() / SQL_CONFIG_NAME}
}}
userdb {{
  driver = sql
  args = {config_folder.resolve() / SQL_CONFIG_NAME}
}}
mail_location = maildir:~/Maildir
"""
    return DovecotFiles(sql_config, snippet)
