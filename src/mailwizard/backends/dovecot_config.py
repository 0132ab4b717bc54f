"""Dovecot's view of the directory: the SQL driver configuration and a snippet to include.

Dovecot reads the ``mailbox`` table directly: ``username`` and ``password`` to sign in
(only active boxes), ``maildir`` for the box's home under the mail folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mailwizard.backends.engine import sqlite_file

SQL_CONFIG_NAME = "dovecot-sql.conf.ext"
SNIPPET_NAME = "mailwizard.conf"


@dataclass(frozen=True)
class DovecotFiles:
    sql_config: str
    snippet: str


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def dovecot_files(
    directory_url: str, mail_folder: Path, config_folder: Path, uid: int | None, gid: int | None
) -> DovecotFiles:
    """The text of both files; ``config_folder`` is where they will be installed."""
    database = sqlite_file(directory_url)
    home = f"{_sql_string(str(mail_folder.resolve()) + '/')} || maildir"
    owner = f"{uid or os.getuid()} AS uid, {gid or os.getgid()} AS gid"
    active_box = "FROM mailbox WHERE username = '%Lu' AND active = 1"
    sql_config = f"""\
# Written by "mailwizard dovecot-config": how Dovecot reads mailwizard's directory.
driver = sqlite
connect = {database.resolve()}
default_pass_scheme = ARGON2ID

password_query = SELECT username AS user, password {active_box}
user_query = SELECT {home} AS home, {owner} {active_box}
iterate_query = SELECT username AS user FROM mailbox WHERE active = 1
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
