"""What reaches the directory and the terminal from someone who tries, on both engines:
the audit log keeps bounded, visible text and shows nothing a terminal would obey; a
sign-in address longer than any address writes nothing; reserved names are never
proposed however they are dressed up (test_cli and the address rules refuse them); a
password is stored in its NFC form and never holds the holder's names; the mail folders
and the error log are private to their owner."""

from __future__ import annotations

import json
import os
import stat
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import argon2
import pytest
from pydantic import SecretStr
from sqlalchemy import insert

from both_engines import on_both_engines  # noqa: F401 - every test here runs on both engines
from cli_harness import Cli, dump_directory
from mailwizard.backends import schema
from mailwizard.backends.sql_accounts import SqlAccounts
from mailwizard.backends.sql_audit import SqlAuditLog
from mailwizard.bootstrap import Services
from mailwizard.domain.audit import ORIGIN_MAX
from mailwizard.errors import Refused
from mailwizard.hashing import SCHEME_PREFIX
from mailwizard.logs import error_log_path, log_unexpected_error
from mailwizard.services.ports import Audit
from martin_household import CREATE_ENV, DOMAIN, HOLDER, HOLDER_PASSWORD, LEA, box_request
from suggestion_oracle import looks_reserved

CAMILLE = f"camille.petit@{DOMAIN}"
WRONG = {"MAILWIZARD_OWNER_PASSWORD": "not-the-holders-password"}
ESCAPES = "\x1b[2J\x1b]0;owned\x07\x9b31m\u202e"
"""Clear the screen, retitle the window, a C1 CSI, a right-to-left override."""


def terminal_safe(text: str) -> bool:
    return all(character.isprintable() or character == "\n" for character in text)


def audit_entries(cli: Cli) -> list[dict[str, str]]:
    outcome = cli("audit", "--owner", HOLDER, "--json")
    assert outcome.exit_code == 0, outcome.stderr
    assert terminal_safe(outcome.stdout)
    entries: list[dict[str, str]] = json.loads(outcome.stdout)
    return entries


def failed_sign_in(cli: Cli, ssh_connection: str) -> None:
    outcome = cli(
        "accounts", "suspend", "--owner", HOLDER, LEA,
        env={**WRONG, "SSH_CONNECTION": ssh_connection},
    )  # fmt: skip
    assert outcome.exit_code == 1, outcome.stderr
    assert terminal_safe(outcome.stderr)


# --- The audit log ---


@pytest.mark.parametrize(
    "client", [f"fe80::1%{'z' * 300}", f"fe80::1%{ESCAPES}"], ids=["300-long", "escapes"]
)
def test_a_hostile_ssh_client_address_cannot_keep_a_failed_sign_in_out_of_the_log(
    household: str, cli: Cli, client: str
) -> None:
    """An SSH_CONNECTION whose first field is 300 characters long, or holds escape
    sequences: the failed sign-in is logged all the same, with an origin that fits its
    column and that no terminal would obey."""
    failed_sign_in(cli, f"{client} 50022 fe80::2 22")
    (failed,) = [entry for entry in audit_entries(cli) if entry["action"] == "signin.failed"]
    assert failed["target"] == HOLDER
    assert len(failed["origin"]) <= ORIGIN_MAX
    assert failed["origin"].startswith("command line, ssh")
    assert failed["origin"].isprintable()
    shown = cli("audit", "--owner", HOLDER)
    assert shown.exit_code == 0, shown.stderr
    assert terminal_safe(shown.stdout)
    assert len(shown.stdout.splitlines()) == 2


def test_what_the_audit_log_keeps_is_visible_and_fits_its_columns(
    household: str, services: Services
) -> None:
    """Whatever a caller hands the directory — an origin or an actor longer than its
    column, escape sequences, a NUL that PostgreSQL would refuse — the line is written,
    cut to its columns, each control written out."""
    household_id = services.households.household_id(HOLDER)
    actor = f"eve{ESCAPES}\x00{'e' * 300}@{DOMAIN}"
    audit = Audit(actor=actor, origin=f"terminal, web {'9' * 300}")
    SqlAuditLog(services.engine).record_audit(
        household_id, audit, "signin.failed", f"t{ESCAPES}\x00"
    )
    SqlAuditLog(services.engine).record_audit(
        household_id, Audit(f"x{ESCAPES}", ESCAPES), "x" * 100, None
    )
    odd, failed = services.management.audit_log(household_id, 2)
    for entry in (odd, failed):
        for text in (entry.actor, entry.origin, entry.action, entry.target or ""):
            assert text.isprintable(), text
        assert len(entry.actor) <= 254 and len(entry.origin) <= ORIGIN_MAX
        assert len(entry.action) <= 64
    assert failed.origin.startswith("terminal, web 999") and failed.origin.endswith("…")
    escaped = "\\x1b[2J\\x1b]0;owned\\x07\\x9b31m\\u202e"
    assert failed.actor.startswith(f"eve{escaped}\\x00eee") and failed.actor.endswith("…")
    assert failed.target == f"t{escaped}\\x00"
    assert odd.origin == escaped


def test_audit_lines_written_by_anyone_are_shown_with_their_controls_escaped(
    household: str, services: Services, cli: Cli
) -> None:
    """Lines already in the log (an older version, a hand-made row) are escaped when
    shown; a script reading the JSON gets them as they are."""
    household_id = services.households.household_id(HOLDER)
    raw = {
        "at": datetime.now(UTC),
        "household_id": household_id,
        "actor": f"eve{ESCAPES}@{DOMAIN}",
        "origin": f"terminal, ssh {ESCAPES}\r\nforged line\u2028",
        "action": "signin.failed",
        "target": f"x{ESCAPES}\U000e0041",
    }
    with services.engine.begin() as connection:
        connection.execute(insert(schema.audit_log).values(raw))
        connection.execute(insert(schema.audit_log).values(raw | {"action": f"odd{ESCAPES}"}))

    shown = cli("audit", "--owner", HOLDER)
    assert shown.exit_code == 0, shown.stderr
    assert terminal_safe(shown.stdout)
    escaped = "\\x1b[2J\\x1b]0;owned\\x07\\x9b31m\\u202e"
    assert f"(terminal, ssh {escaped}\\x0d\\x0aforged line\\u2028)" in shown.stdout
    assert f"failed attempt to sign in to x{escaped}\\U000e0041" in shown.stdout
    assert f"odd{escaped} x{escaped}" in shown.stdout
    assert len(shown.stdout.splitlines()) == 3, "one line per entry, however it was written"
    as_json = cli("audit", "--owner", HOLDER, "--json")
    assert terminal_safe(as_json.stdout)
    for entry in json.loads(as_json.stdout)[:2]:
        assert (entry["actor"], entry["origin"]) == (raw["actor"], raw["origin"])
        assert entry["target"] == raw["target"]


# --- Signing in ---


def test_an_address_over_254_characters_is_refused_at_sign_in_before_anything_is_written(
    household: str, cli: Cli, services: Services, directory_url: str
) -> None:
    before = dump_directory(directory_url)
    for typed in (f"{'a' * 100_000}@{DOMAIN}", "b" * 255):
        outcome = cli("accounts", "suspend", "--owner", typed, LEA, env=WRONG)
        assert outcome.exit_code == 1, outcome.stderr
        assert "at most 254 characters" in outcome.stderr
    assert dump_directory(directory_url) == before
    with pytest.raises(Refused, match="at most 254"):
        services.signin.sign_in("c" * 255, HOLDER_PASSWORD, "terminal, console")


# --- Reserved names ---


@pytest.mark.parametrize(
    ("first_name", "last_name"), [("Post", "Master"), ("Mailer", "Daemon"), ("No", "Reply")]
)
def test_reserved_names_are_never_proposed(
    household: str, cli: Cli, first_name: str, last_name: str
) -> None:
    outcome = cli(
        "suggest", "--owner", HOLDER, "--first-name", first_name, "--last-name", last_name
    )
    assert outcome.exit_code == 0, outcome.stderr
    proposals = outcome.stdout.split()
    assert len(proposals) == 5
    assert not [address for address in proposals if looks_reserved(address)]


# --- Passwords ---


def test_a_password_is_stored_in_its_nfc_form_and_signs_in_either_way(
    household: str, services: Services
) -> None:
    """The hash Dovecot checks is of the NFC form, which keyboards send."""
    composed = "Vélo-bleu-à-la-fenêtre-94"
    decomposed = unicodedata.normalize("NFD", composed)
    holder = services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    request = box_request(LEA, "Léa", "Martin")
    request = request.model_copy(update={"password": SecretStr(decomposed)})
    services.provisioning.commit(holder, request, "test")
    stored = SqlAccounts(services.engine).credentials(LEA)
    assert stored is not None
    argon2_hash = stored.password_hash.removeprefix(SCHEME_PREFIX)
    assert argon2.PasswordHasher().verify(argon2_hash, composed)
    with pytest.raises(argon2.exceptions.VerifyMismatchError):
        argon2.PasswordHasher().verify(argon2_hash, decomposed)
    assert services.signin.sign_in(LEA, composed, "test").address == LEA
    assert services.signin.sign_in(LEA, decomposed, "test").address == LEA


@pytest.mark.parametrize(
    "password",
    ["Nuit-de-Jean-au-jardin-77", "Nuit-de-J3an-au-jardin-77", "Nuit-nitram-au-jardin-77"],
)
def test_a_secondary_box_password_may_not_hold_the_holders_names(
    household: str, cli: Cli, answers_dir: Path, directory_url: str, password: str
) -> None:
    before = dump_directory(directory_url)
    environment = CREATE_ENV | {"MAILWIZARD_NEW_PASSWORD": password}
    outcome = cli.create(
        answers_dir, env=environment, first_name="Camille", last_name="Petit", address=CAMILLE
    )
    assert outcome.exit_code == 1, outcome.stderr
    assert "name or the address" in outcome.stderr
    assert dump_directory(directory_url) == before

    cli.new_box(answers_dir, first_name="Camille", last_name="Petit", address=CAMILLE)
    reset = cli(
        "accounts", "passwd", "--owner", HOLDER, CAMILLE,
        env={"MAILWIZARD_OWNER_PASSWORD": HOLDER_PASSWORD, "MAILWIZARD_NEW_PASSWORD": password},
    )  # fmt: skip
    assert reset.exit_code == 1, reset.stderr
    assert "name or the address" in reset.stderr


# --- Private files ---


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_mail_folders_are_private_and_put_back_so(
    household: str, cli: Cli, answers_dir: Path, services: Services
) -> None:
    """The folders' names are the household's addresses: only the mail user lists them,
    even after a restore gave them back to everyone."""
    old_umask = os.umask(0o022)
    try:
        cli.new_box(answers_dir, address=LEA)
        mail_root = services.settings.mail_folder
        domain_folder = mail_root / DOMAIN
        assert mode(mail_root) == 0o700
        assert mode(domain_folder) == 0o700
        mail_root.chmod(0o755)
        domain_folder.chmod(0o755)
        cli.new_box(answers_dir, first_name="Hugo")
        assert mode(mail_root) == 0o700
        assert mode(domain_folder) == 0o700

        mail_root.chmod(0o755)
        deleted = cli(
            "accounts", "delete", "--owner", HOLDER, "--confirm", LEA, LEA,
            env={"MAILWIZARD_OWNER_PASSWORD": HOLDER_PASSWORD},
        )  # fmt: skip
        assert deleted.exit_code == 0, deleted.stderr
        assert mode(mail_root) == 0o700
        assert mode(mail_root / ".archive") == 0o700
        assert mode(mail_root / ".archive" / LEA) == 0o700
    finally:
        os.umask(old_umask)


@pytest.mark.parametrize("directory_engine", ["sqlite"])
def test_the_error_log_is_private_put_back_so_and_never_written_through_a_link(
    isolated_environment: dict[str, str], tmp_path: Path
) -> None:
    old_umask = os.umask(0o022)
    try:
        path = log_unexpected_error("first", RuntimeError("boom"))
        assert path == error_log_path()
        assert mode(path) == 0o600
        assert mode(path.parent) == 0o700
        path.chmod(0o644)
        path.parent.chmod(0o755)
        log_unexpected_error("second", RuntimeError("boom again"))
        assert mode(path) == 0o600
        assert mode(path.parent) == 0o700
        assert "boom again" in path.read_text()
    finally:
        os.umask(old_umask)

    target = tmp_path / "elsewhere"
    target.write_text("")
    path.unlink()
    path.symlink_to(target)
    assert log_unexpected_error("through a link", RuntimeError("no")) == path
    assert target.read_text() == ""


def test_the_holder_signs_in_with_the_password_typed_decomposed(household: str, cli: Cli) -> None:
    """Made NFC at ``init``, compared NFC: the same password typed decomposed is the same."""
    outcome = cli(
        "alias", "add", "--owner", HOLDER, "--box", HOLDER, "papa",
        env={"MAILWIZARD_OWNER_PASSWORD": unicodedata.normalize("NFD", HOLDER_PASSWORD)},
    )  # fmt: skip
    assert outcome.exit_code == 0, outcome.stderr
