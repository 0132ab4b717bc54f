"""Settings written once, and server files that either work or say why they cannot.

The reads here go through Postfix's own ``postmap`` under Postfix's own user, as its
daemons read the tables; the full mail path is in ``test_mail_server.py``."""

from __future__ import annotations

import grp
import os
import subprocess
import tomllib
from pathlib import Path

import psycopg
import pytest

from cli_harness import Cli, write_answers
from dovecot_server import NOBODY, require_server
from martin_household import CREATE_ENV, DOMAIN, HOLDER

POSTMAP = "/usr/sbin/postmap"
as_root = pytest.mark.skipif(os.getuid() != 0, reason="changes owners and groups: root only")


def postmap_as_postfix(table: Path, key: str) -> subprocess.CompletedProcess[str]:
    """``postmap -q``, as Postfix's user, with a main.cf of its own beside the tables."""
    require_server(POSTMAP, "postfix and postfix-sqlite")
    (table.parent / "main.cf").write_text("compatibility_level = 3.6\n")
    return subprocess.run(
        ["runuser", "-u", "postfix", "--", POSTMAP, "-c", str(table.parent), "-q", key,
         f"sqlite:{table}"],
        capture_output=True, text=True, check=False, timeout=30,
    )  # fmt: skip


def test_config_set_writes_typed_settings_that_every_command_then_uses(
    cli: Cli, tmp_path: Path
) -> None:
    outcome = cli("config", "set", "mail_uid=5000", "mail_gid=5000", "mail_root=/var/vmail",
                  'trusted_networks=["192.168.1.0/24"]', "kiosk=false")  # fmt: skip
    assert outcome.exit_code == 0, outcome.stderr
    written = tomllib.loads((tmp_path / "config.toml").read_text())
    assert written == {"mail_uid": 5000, "mail_gid": 5000, "mail_root": "/var/vmail",
                       "trusted_networks": ["192.168.1.0/24"], "kiosk": False}  # fmt: skip
    assert (tmp_path / "config.toml").stat().st_mode & 0o777 == 0o600
    shown = cli("config", "show")
    assert 'mail_root = "/var/vmail"' in shown.stdout
    assert "mail_uid = 5000" in shown.stdout

    again = cli("config", "set", "mail_uid=5001")
    assert again.exit_code == 0
    assert tomllib.loads((tmp_path / "config.toml").read_text())["mail_root"] == "/var/vmail"


@pytest.mark.parametrize(
    "assignment",
    ["mail_uid=0", "mail_uid=root", "no_such_setting=1", "mail_root", "directory_group=Bad Group"],
)
def test_config_set_refuses_what_is_not_a_valid_setting_and_writes_nothing(
    cli: Cli, tmp_path: Path, assignment: str
) -> None:
    outcome = cli("config", "set", "mail_gid=5000", assignment)
    assert outcome.exit_code == 2
    assert outcome.stderr.strip() and "Traceback" not in outcome.stderr
    assert not (tmp_path / "config.toml").exists()


@as_root
def test_server_config_refuses_boxes_owned_by_root(
    household: str, cli: Cli, mail_server_workspace: Path
) -> None:
    outcome = cli("server-config", "--out", str(mail_server_workspace / "out"))
    assert outcome.exit_code == 2
    assert "root" in outcome.stderr and "mail_uid" in outcome.stderr
    assert not (mail_server_workspace / "out").exists()


def test_server_config_refuses_a_mail_root_the_mail_user_cannot_reach(
    mail_server_workspace: Path, household: str, cli: Cli, tmp_path: Path
) -> None:
    private = tmp_path / "mail"  # under pytest's 0700 folders
    private.mkdir()
    cli("config", "set", "mail_uid=65534", "mail_gid=65534", f"mail_root={private}")
    outcome = cli("server-config", "--out", str(mail_server_workspace / "out"))
    assert outcome.exit_code == 2
    assert "65534" in outcome.stderr and "cannot reach" in outcome.stderr
    assert not (mail_server_workspace / "out").exists()


def test_postfix_config_refuses_a_private_sqlite_directory(
    household: str, cli: Cli, tmp_path: Path
) -> None:
    outcome = cli("postfix-config", "--out", str(tmp_path / "postfix"))
    assert outcome.exit_code == 2
    assert "directory_group" in outcome.stderr
    assert not (tmp_path / "postfix").exists()


@as_root
def test_postfix_reads_the_directory_under_its_own_user_after_every_command(
    mail_server_workspace: Path, household: str, cli: Cli, answers_dir: Path
) -> None:
    tables = mail_server_workspace / "postfix"
    assert cli("postfix-config", "--out", str(tables)).exit_code == 0
    recipients = tables / "virtual_mailbox_maps.cf"
    found = postmap_as_postfix(recipients, HOLDER)
    assert found.stdout.strip() == "famille-martin.fr/jean.martin/", found.stderr

    # A box created by a process that has ended since: its WAL files stayed behind it.
    answers = write_answers(answers_dir / "lea.toml")
    created = Cli.process("create", "--answers", str(answers), env=CREATE_ENV)
    assert created.exit_code == 0, created.stderr
    lea = created.stdout.strip()
    found = postmap_as_postfix(recipients, lea)
    assert found.stdout.strip() == f"{DOMAIN}/{lea.partition('@')[0]}/", found.stderr
    assert postmap_as_postfix(recipients, "nobody@famille-martin.fr").stdout == ""

    directory = mail_server_workspace / "lib" / "directory.sqlite3"
    postfix_group = grp.getgrnam("postfix").gr_gid
    for path in (
        directory,
        *(directory.with_name(directory.name + end) for end in ("-wal", "-shm")),
    ):
        status = path.stat()
        assert (status.st_gid, status.st_mode & 0o777) == (postfix_group, 0o640), path
    assert directory.parent.stat().st_mode & 0o7777 == 0o2750


@as_root
def test_a_directory_whose_files_lost_their_group_gets_it_back_at_the_next_opening(
    mail_server_workspace: Path, household: str, cli: Cli
) -> None:
    directory = mail_server_workspace / "lib" / "directory.sqlite3"
    wal = directory.with_name(directory.name + "-wal")
    os.chown(wal, -1, 0)
    wal.chmod(0o600)
    assert cli("accounts", "list", "--owner", HOLDER).exit_code == 0
    assert (wal.stat().st_gid, wal.stat().st_mode & 0o777) == (grp.getgrnam("postfix").gr_gid,
                                                               0o640)  # fmt: skip


def _role_connection(url: str, role: str, password: str) -> psycopg.Connection[tuple[object, ...]]:
    server = url.split("@", 1)[1]
    return psycopg.connect(f"postgresql://{role}:{password}@{server}", autocommit=True)


def _readable(connection: psycopg.Connection[tuple[object, ...]], query: str) -> bool:
    try:
        connection.execute(query).fetchall()
    except psycopg.errors.InsufficientPrivilege:
        return False
    return True


@pytest.mark.parametrize("directory_engine", ["postgresql"])
def test_each_mail_server_role_reads_its_own_views_and_nothing_else(
    mail_server_workspace: Path, household: str, mail_root: Path, cli: Cli, directory_url: str
) -> None:
    out = mail_server_workspace / "out"
    assert cli("server-config", "--out", str(out)).exit_code == 0
    table = dict(
        line.split(" = ", 1)
        for line in (out / "postfix" / "virtual_alias_maps.cf").read_text().splitlines()
        if " = " in line
    )
    connect = (out / "dovecot" / "dovecot-sql.conf.ext").read_text().split("connect = ")[1]
    dovecot = dict(part.split("=", 1) for part in connect.splitlines()[0].split())
    assert table["user"] == "mailwizard_postfix" and dovecot["user"] == "mailwizard_dovecot"

    with _role_connection(directory_url, table["user"], table["password"]) as postfix:
        for view in ("mail_domain", "mail_recipient", "mail_alias", "mail_sender"):
            assert _readable(postfix, f"SELECT * FROM {view}"), view
        for secret in (
            "SELECT password FROM mailbox",
            "SELECT * FROM mail_user",
            "SELECT totp_secret FROM household",
            "SELECT * FROM audit_log",
            "SELECT * FROM outbox",
        ):
            assert not _readable(postfix, secret), secret
    with _role_connection(directory_url, dovecot["user"], dovecot["password"]) as reader:
        assert _readable(reader, "SELECT username, password FROM mail_user")
        for secret in (
            "SELECT totp_secret FROM household",
            "SELECT * FROM mailbox",
            "SELECT * FROM remembered_device",
            "SELECT * FROM signin_throttle",
        ):
            assert not _readable(reader, secret), secret

    assert cli("postfix-config", "--out", str(out / "postfix")).exit_code == 0
    with pytest.raises(psycopg.OperationalError):
        _role_connection(directory_url, table["user"], table["password"])


@as_root
def test_server_files_replace_a_planted_link_and_an_open_mode_instead_of_using_them(
    mail_server_workspace: Path, household: str, mail_root: Path, cli: Cli
) -> None:
    victim = mail_server_workspace / "victim"
    victim.write_text("untouched\n")
    tables = mail_server_workspace / "postfix"
    tables.mkdir()
    (tables / "virtual_alias_maps.cf").symlink_to(victim)
    (tables / "main.cf.fragment").write_text("old\n")
    (tables / "main.cf.fragment").chmod(0o644)

    assert cli("postfix-config", "--out", str(tables)).exit_code == 0
    assert victim.read_text() == "untouched\n"
    for name in ("virtual_alias_maps.cf", "main.cf.fragment"):
        path = tables / name
        assert not path.is_symlink() and path.stat().st_mode & 0o777 == 0o640, name
    assert sorted(item.name for item in tables.iterdir() if item.name.startswith(".")) == []


@pytest.mark.parametrize("mail_root_text", ["/srv/mail box", "/srv/mail\nprotocols = pop3"])
def test_server_files_refuse_a_value_their_formats_cannot_hold_and_write_nothing(
    mail_server_workspace: Path, household: str, cli: Cli, mail_root_text: str
) -> None:
    outcome = cli(
        "server-config",
        "--out",
        str(mail_server_workspace / "out"),
        env={"MAILWIZARD_MAIL_ROOT": mail_root_text, "MAILWIZARD_MAIL_UID": str(NOBODY),
             "MAILWIZARD_MAIL_GID": str(NOBODY)},
    )  # fmt: skip
    assert outcome.exit_code == 2, outcome.stderr
    assert "mail_root" in outcome.stderr and "\n" not in outcome.stderr.strip()
    assert not (mail_server_workspace / "out").exists()
