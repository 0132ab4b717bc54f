"""What Dovecot and Postfix need beside their stock files to serve the directory's boxes.

Dovecot signs each box in (IMAP, and SASL for Postfix's submission service) from the
``mail_user`` view, and takes Postfix's mail over LMTP on a socket in Postfix's queue
directory. Postfix asks the ``mail_domain``, ``mail_recipient``, ``mail_alias`` and
``mail_sender`` views through ``proxymap``, which Debian does not chroot; a box may send
only as its own address or one of its aliases. On PostgreSQL each server signs in with
a read-only role of its own (see ``mail_server_roles``); on SQLite both read the file
through ``directory_group``.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from mailwizard.backends.engine import is_postgresql, sqlite_file
from mailwizard.backends.sqlite_files import group_id
from mailwizard.config import Settings
from mailwizard.errors import UsageProblem
from mailwizard.i18n import N_

DOVECOT_SQL = "dovecot-sql.conf.ext"
DOVECOT_SNIPPET = "mailwizard.conf"
MAIN_CF = "main.cf.fragment"
MASTER_CF = "master.cf.fragment"
LMTP_SOCKET = "private/dovecot-lmtp"
AUTH_SOCKET = "private/auth"

POSTFIX_TABLES = {
    "virtual_mailbox_domains": "SELECT name FROM mail_domain WHERE name = '%s'",
    "virtual_mailbox_maps": "SELECT maildir FROM mail_recipient WHERE address = '%s'",
    "virtual_alias_maps": "SELECT destination FROM mail_alias WHERE address = '%s'",
    "smtpd_sender_login_maps": "SELECT login FROM mail_sender WHERE address = '%s'",
}


# What every format here takes as it is: no quoting rules to get wrong (Dovecot splits
# "args" at spaces and expands % in queries; a newline would start a new setting).
_PLAIN_PATH = re.compile(r"[A-Za-z0-9._/@+-]+")
_PLAIN_NAME = re.compile(r"[A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Credentials:
    """A PostgreSQL role and its password, for one mail server."""

    role: str
    password: str


def mail_owner(settings: Settings) -> tuple[int, int]:
    """The uid and gid the boxes belong to; never root, which Dovecot refuses."""
    uid = settings.mail_uid or os.getuid()
    gid = settings.mail_gid or os.getgid()
    if uid == 0 or gid == 0:
        raise UsageProblem(
            N_(
                "The boxes would belong to root, and Dovecot refuses to deliver as root: "
                "create a user for the mail (for example vmail) and set mail_uid and "
                "mail_gid with “mailwizard config set”."
            )
        )
    return uid, gid


def _can_enter(status: os.stat_result, uid: int, gids: set[int], bits: int) -> bool:
    """Whether a user has ``bits`` (as an "other" triple) on a file, by its mode."""
    if status.st_uid == uid:
        return status.st_mode & (bits << 6) == bits << 6
    if status.st_gid in gids:
        return status.st_mode & (bits << 3) == bits << 3
    return status.st_mode & bits == bits


def first_closed_folder(path: Path, uid: int, gids: set[int], *, write: bool) -> Path | None:
    """The first folder on the way to ``path`` that the user cannot go through (or,
    with ``write``, ``path`` itself if the user cannot create files in it)."""
    path = path.resolve()
    for folder in (*reversed(path.parents), path):
        try:
            status = folder.stat()
        except OSError:
            return folder
        if not stat.S_ISDIR(status.st_mode):
            return folder
        needed = 0o3 if write and folder == path else 0o1
        if not _can_enter(status, uid, gids, needed):
            return folder
    return None


def check_mail_root(settings: Settings) -> None:
    uid, gid = mail_owner(settings)
    closed = first_closed_folder(settings.mail_folder, uid, {gid}, write=True)
    if closed is not None:
        raise UsageProblem(
            N_(
                "The mail user (uid {uid}) cannot reach {folder}, on the way to the mail "
                "root {root}: give it to that user (chown {uid}:{gid}) or open the way."
            ),
            uid=uid,
            gid=gid,
            folder=str(closed),
            root=str(settings.mail_folder),
        )


def check_directory_readable(settings: Settings) -> str:
    """The group through which the mail servers read a SQLite directory."""
    group = settings.directory_group
    if group is None:
        raise UsageProblem(
            N_(
                "Postfix cannot read a private SQLite directory: set directory_group "
                "(on Debian: “mailwizard config set directory_group=postfix”)."
            )
        )
    path = sqlite_file(settings.directory_url)
    closed = first_closed_folder(path.parent, -1, {group_id(group)}, write=False)
    if closed is not None:
        raise UsageProblem(
            N_(
                "The group {group} cannot go through {folder} to reach the directory "
                "{path}: keep the directory in a folder of its own, such as "
                "/var/lib/mailwizard."
            ),
            group=group,
            folder=str(closed),
            path=str(path),
        )
    return group


def _refuse_unplain(setting: str, value: str, pattern: re.Pattern[str]) -> None:
    if not pattern.fullmatch(value):
        raise UsageProblem(
            N_(
                "The mail servers' files cannot hold {setting} = {value}: use only letters, "
                "digits and . _ - / @ +."
            ),
            setting=setting,
            value=ascii(value),
        )


def check_plain_values(settings: Settings, folder: Path) -> None:
    """Every path and name the generated files will hold, before anything is written."""
    paths = {
        "--out": folder.resolve(),
        "mail_root": settings.mail_folder.resolve(),
        "tls_cert_file": settings.tls_cert_file,
        "tls_key_file": settings.tls_key_file,
        "postfix_queue_directory": settings.postfix_queue_directory,
    }
    if not is_postgresql(settings.directory_url):
        paths["directory"] = sqlite_file(settings.directory_url).resolve()
    for setting, path in paths.items():
        _refuse_unplain(setting, str(path), _PLAIN_PATH)
    if is_postgresql(settings.directory_url):
        parsed = make_url(settings.directory_url)
        for setting, name in (("host", parsed.host), ("database", parsed.database)):
            _refuse_unplain(f"directory ({setting})", name or "localhost", _PLAIN_NAME)


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def dovecot_files(
    settings: Settings, folder: Path, credentials: Credentials | None
) -> dict[str, str]:
    """The SQL driver's file and the snippet to include, for files installed in ``folder``."""
    uid, gid = mail_owner(settings)
    check_plain_values(settings, folder)
    url = settings.directory_url
    worker = ""
    if credentials is None:
        connection = f"driver = sqlite\nconnect = {sqlite_file(url).resolve()}"
        if settings.directory_group is not None:
            group = check_directory_readable(settings)
            # SQLite lookups run in the auth workers: as the group they only read the
            # file, where root could write it and remove its WAL files on closing.
            worker = (
                f"service auth-worker {{\n  user = $default_internal_user\n  group = {group}\n}}\n"
            )
    else:
        parsed = make_url(url)
        parameters = {
            "host": parsed.host or "localhost",
            "port": parsed.port,
            "dbname": parsed.database,
            "user": credentials.role,
            "password": credentials.password,
        }
        connect = " ".join(f"{key}={value}" for key, value in parameters.items() if value)
        connection = f"driver = pgsql\nconnect = {connect}"
    home = f"{_sql_text(str(settings.mail_folder.resolve()) + '/')} || maildir"
    box = "FROM mail_user WHERE username = '%Lu'"
    sql = f"""\
# Written by "mailwizard server-config": how Dovecot reads mailwizard's directory.
{connection}
default_pass_scheme = ARGON2ID

password_query = SELECT username AS user, password {box} AND active
user_query = SELECT {home} AS home, {uid} AS uid, {gid} AS gid, \
'maildir:~/Maildir' AS mail {box}
iterate_query = SELECT username AS user FROM mail_user WHERE live
"""  # noqa: S608 - Dovecot runs these queries, escaping what it puts in %Lu
    queue = settings.postfix_queue_directory
    snippet = f"""\
# Written by "mailwizard server-config". Include it at the end of Dovecot's
# configuration (Debian: in /etc/dovecot/local.conf):
#   !include {folder.resolve() / DOVECOT_SNIPPET}
passdb {{
  driver = sql
  args = {folder.resolve() / DOVECOT_SQL}
}}
userdb {{
  driver = sql
  args = {folder.resolve() / DOVECOT_SQL}
}}
ssl_cert = <{settings.tls_cert_file}
ssl_key = <{settings.tls_key_file}
# LOGIN beside PLAIN: some mail programs offer nothing else.
auth_mechanisms = plain login
# Postfix checks the boxes' passwords (submission) here.
service auth {{
  unix_listener {queue / AUTH_SOCKET} {{
    mode = 0660
    user = postfix
    group = postfix
  }}
}}
# Postfix delivers the boxes' mail here (virtual_transport).
service lmtp {{
  unix_listener {queue / LMTP_SOCKET} {{
    mode = 0600
    user = postfix
    group = postfix
  }}
}}
{worker}"""
    return {DOVECOT_SQL: sql, DOVECOT_SNIPPET: snippet}


def postfix_files(
    settings: Settings, folder: Path, credentials: Credentials | None
) -> dict[str, str]:
    """The lookup tables and the lines for main.cf and master.cf, installed in ``folder``."""
    check_plain_values(settings, folder)
    url = settings.directory_url
    if credentials is None:
        check_directory_readable(settings)
        kind = "sqlite"
        connection = f"dbpath = {sqlite_file(url).resolve()}"
    else:
        kind = "pgsql"
        parsed = make_url(url)
        host = parsed.host or "localhost"
        connection = "\n".join(
            [
                f"hosts = {host}:{parsed.port}" if parsed.port else f"hosts = {host}",
                f"user = {credentials.role}",
                f"password = {credentials.password}",
                f"dbname = {parsed.database}",
            ]
        )
    header = '# Written by "mailwizard server-config".'
    files = {
        f"{name}.cf": f"{header}\n{connection}\nquery = {query}\n"
        for name, query in POSTFIX_TABLES.items()
    }
    tables = "\n".join(
        f"{name} = proxy:{kind}:{folder.resolve() / name}.cf" for name in POSTFIX_TABLES
    )
    files[MAIN_CF] = f"""\
{header} Add these lines to main.cf:
#   grep -v '^#' {folder.resolve() / MAIN_CF} | xargs -d '\\n' postconf -e
{tables}
virtual_transport = lmtp:unix:{LMTP_SOCKET}
smtpd_tls_cert_file = {settings.tls_cert_file}
smtpd_tls_key_file = {settings.tls_key_file}
smtpd_tls_security_level = may
smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
# Postfix checks who sends only where it knows who signed in: on port 25 too, after TLS,
# so that nobody uses a household's address there without being that box.
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = {AUTH_SOCKET}
smtpd_tls_auth_only = yes
smtpd_sender_restrictions = reject_sender_login_mismatch
"""
    files[MASTER_CF] = f"""\
{header} Add this service to master.cf:
#   cat {folder.resolve() / MASTER_CF} >> /etc/postfix/master.cf
# The boxes send here: TLS first, then their own address and password (checked by
# Dovecot), and only as their own address or one of its aliases.
{settings.submission_service} inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_tls_auth_only=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_sasl_type=dovecot
  -o smtpd_sasl_path={AUTH_SOCKET}
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_sender_restrictions=reject_sender_login_mismatch
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
  -o milter_macro_daemon_name=ORIGINATING
"""
    return files


def needs_roles(settings: Settings) -> bool:
    return is_postgresql(settings.directory_url)
