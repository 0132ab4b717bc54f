"""Boxes created by mailwizard are real: a real Dovecot signs them in over IMAP."""

from __future__ import annotations

import grp
import smtplib
from pathlib import Path

from both_engines import on_both_engines  # noqa: F401 - Dovecot reads either engine
from cli_harness import Cli, query
from dovecot_server import NOBODY, Dovecot
from martin_household import HOLDER, HOLDER_PASSWORD, NEW_PASSWORD, OWNER_ENV, activation_env


def test_a_box_created_by_the_command_line_signs_in_over_imap(
    household: str, cli: Cli, answers_dir: Path, dovecot: Dovecot
) -> None:
    lea = cli.new_box(answers_dir)
    assert dovecot.login(lea, NEW_PASSWORD)
    assert dovecot.login(HOLDER, HOLDER_PASSWORD)
    assert dovecot.login(lea.upper(), NEW_PASSWORD), "addresses are case-insensitive"
    assert not dovecot.login(lea, HOLDER_PASSWORD)
    assert not dovecot.login("nobody@famille-martin.fr", NEW_PASSWORD)


def test_a_deactivated_box_is_refused(household: str, directory_url: str, dovecot: Dovecot) -> None:
    assert dovecot.login(HOLDER, HOLDER_PASSWORD)
    query(
        directory_url, "UPDATE mailbox SET active = :off WHERE username = :a", a=HOLDER, off=False
    )
    assert not dovecot.login(HOLDER, HOLDER_PASSWORD)


def test_dovecot_config_writes_both_files_for_the_directory(
    mail_server_workspace: Path,
    household: str,
    mail_root: Path,
    cli: Cli,
    directory_engine: str,
    directory_path: Path,
    directory_url: str,
) -> None:
    folder = mail_server_workspace / "dovecot"
    outcome = cli("dovecot-config", "--out", str(folder))
    assert outcome.exit_code == 0, outcome.stderr
    sql = (folder / "dovecot-sql.conf.ext").read_text()
    if directory_engine == "sqlite":
        assert f"driver = sqlite\nconnect = {directory_path}" in sql
    else:
        assert "driver = pgsql\nconnect = host=127.0.0.1 port=" in sql
        assert "user=mailwizard_dovecot password=" in sql
        terminals_password = directory_url.split(":", 2)[2].split("@", 1)[0]
        assert terminals_password not in sql, "the terminals' password stays with them"
    assert "default_pass_scheme = ARGON2ID" in sql
    assert sql.split("password_query")[1].splitlines()[0].endswith("AND active")
    assert f"'{mail_root}/' || maildir AS home, {NOBODY} AS uid" in sql
    snippet = (folder / "mailwizard.conf").read_text()
    assert str(folder / "dovecot-sql.conf.ext") in snippet
    assert "mail_location" not in snippet, "each box's mail comes from the userdb"
    for name in ("mailwizard.conf", "dovecot-sql.conf.ext"):
        status = (folder / name).stat()
        assert (status.st_mode & 0o777, status.st_gid) == (0o640, grp.getgrnam("dovecot").gr_gid)


def test_dovecot_config_refuses_other_engines(cli: Cli, tmp_path: Path) -> None:
    outcome = cli("--directory", "mysql://mail@localhost/mail", "dovecot-config",
                  "--out", str(tmp_path / "dovecot"))  # fmt: skip
    assert outcome.exit_code == 2
    assert not (tmp_path / "dovecot").exists()


def test_a_suspended_box_is_refused_until_reactivated_and_a_deleted_one_for_good(
    household: str, cli: Cli, answers_dir: Path, dovecot: Dovecot
) -> None:
    lea = cli.new_box(answers_dir)
    assert dovecot.login(lea, NEW_PASSWORD)

    assert cli("accounts", "suspend", "--owner", HOLDER, lea, env=OWNER_ENV).exit_code == 0
    assert not dovecot.login(lea, NEW_PASSWORD)
    assert cli("accounts", "resume", "--owner", HOLDER, lea, env=OWNER_ENV).exit_code == 0
    assert dovecot.login(lea, NEW_PASSWORD)

    deleted = cli("accounts", "delete", "--owner", HOLDER, "--confirm", lea, lea, env=OWNER_ENV)
    assert deleted.exit_code == 0, deleted.stderr
    assert not dovecot.login(lea, NEW_PASSWORD)
    assert cli("accounts", "resume", "--owner", HOLDER, lea, env=OWNER_ENV).exit_code == 1
    assert not dovecot.login(lea, NEW_PASSWORD)
    assert dovecot.login(HOLDER, HOLDER_PASSWORD)


def test_a_box_awaiting_activation_receives_mail_but_signs_in_only_after_it(
    household: str, cli: Cli, answers_dir: Path, dovecot: Dovecot, directory_url: str
) -> None:
    """Dovecot takes Léa's mail at once, but refuses every sign-in (her code, the
    password she will choose, even a password whose hash the box held) until she chose
    her password with the code; then that password opens the box, with the mail that
    waited for her."""
    lea, code = cli.box_awaiting_activation(answers_dir)
    with smtplib.LMTP("127.0.0.1", dovecot.lmtp_port) as lmtp:
        lmtp.sendmail(HOLDER, [lea], f"To: {lea}\r\nSubject: Waiting for you\r\n\r\nHello.\r\n")

    for attempt in (code, NEW_PASSWORD, ""):
        assert not dovecot.login(lea, attempt)
    hash_of = "SELECT password FROM mailbox WHERE username = :a"
    ((held,),) = query(directory_url, hash_of, a=lea)
    ((holder_hash,),) = query(directory_url, hash_of, a=HOLDER)
    swap = "UPDATE mailbox SET password = :p WHERE username = :a"
    query(directory_url, swap, p=holder_hash, a=lea)
    assert not dovecot.login(lea, HOLDER_PASSWORD), "awaiting: refused whatever its hash"
    query(directory_url, swap, p=held, a=lea)
    opened = cli("activate", lea, env=activation_env(code))
    assert opened.exit_code == 0, opened.stderr

    assert dovecot.login(lea, NEW_PASSWORD)
    assert not dovecot.login(lea, code)
    assert any(
        b"Subject: Waiting for you" in message for message in dovecot.inbox(lea, NEW_PASSWORD)
    )
