"""The holder manages the household's boxes from the command line: aliases, deletion and
purge, passwords, suspension, and the audit log that records all of it."""

from __future__ import annotations

import json
import tarfile
from datetime import timedelta
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest

from cli_harness import Cli, dump_directory, write_answers
from hand_clock import HandClock
from mailwizard.bootstrap import Services
from mailwizard.errors import Refused, SignInFailed
from martin_household import CREATE_ENV, HOLDER, HOLDER_PASSWORD, NEW_PASSWORD

OWNER_ENV = {"MAILWIZARD_OWNER_PASSWORD": HOLDER_PASSWORD}
OTHER_PASSWORD = "Trois-poissons-rouges-au-salon"
LEA = "lea.martin@famille-martin.fr"


@pytest.fixture(params=["sqlite", "postgresql"])
def directory_engine(request: pytest.FixtureRequest) -> str:
    """Every test of this module runs on both engines."""
    return str(request.param)


@pytest.fixture
def lea(household: str, cli: Cli, answers_dir: Path) -> str:
    path = write_answers(
        answers_dir / "lea.toml", first_name="Léa", last_name="Martin", address=LEA, language="fr"
    )
    outcome = cli("create", "--answers", str(path), env=CREATE_ENV)
    assert outcome.exit_code == 0, outcome.stderr
    return LEA


def household_json(cli: Cli) -> dict[str, object]:
    outcome = cli("accounts", "list", "--owner", HOLDER, "--json")
    assert outcome.exit_code == 0, outcome.stderr
    listing: dict[str, object] = json.loads(outcome.stdout)
    return listing


def mailboxes(cli: Cli) -> dict[str, dict[str, object]]:
    boxes = household_json(cli)["mailboxes"]
    assert isinstance(boxes, list)
    return {box["address"]: box for box in boxes}


def refused(cli: Cli, directory_url: str, *args: str, env: dict[str, str]) -> str:
    """Runs a command that must be refused with exit 1 and change nothing."""
    before = dump_directory(directory_url)
    outcome = cli(*args, env=env)
    assert outcome.exit_code == 1, (outcome.stdout, outcome.stderr)
    assert dump_directory(directory_url) == before
    return outcome.stderr.strip()


def refused_for_holder(cli: Cli, directory_url: str, command: str, *args: str) -> str:
    """``refused`` for the holder's ``command`` (e.g. ``"alias add"``) on the household."""
    return refused(cli, directory_url, *command.split(), "--owner", HOLDER, *args, env=OWNER_ENV)


def test_aliases_are_added_listed_and_removed(lea: str, cli: Cli) -> None:
    added = cli(
        "alias", "add", "--owner", HOLDER, "--box", lea, "  Lea@Famille-Martin.fr ", env=OWNER_ENV
    )
    assert added.exit_code == 0, added.stderr
    assert added.stdout.strip() == "lea@famille-martin.fr"
    holder_alias = cli(
        "alias", "add", "--owner", HOLDER, "--box", HOLDER, "papa@famille-martin.fr", env=OWNER_ENV
    )
    assert holder_alias.exit_code == 0, holder_alias.stderr

    listing = json.loads(cli("alias", "list", "--owner", HOLDER, "--json").stdout)
    assert listing == [
        {"alias": "papa@famille-martin.fr", "box": HOLDER},
        {"alias": "lea@famille-martin.fr", "box": lea},
    ]
    assert mailboxes(cli)[lea]["aliases"] == ["lea@famille-martin.fr"]

    removed = cli("alias", "remove", "--owner", HOLDER, "lea@famille-martin.fr", env=OWNER_ENV)
    assert removed.exit_code == 0, removed.stderr
    assert mailboxes(cli)[lea]["aliases"] == []
    again = cli(
        "alias", "add", "--owner", HOLDER, "--box", HOLDER, "lea@famille-martin.fr", env=OWNER_ENV
    )
    assert again.exit_code == 0, "a removed alias is free again at once"


def test_an_alias_follows_the_address_rules_and_is_unique_everywhere(
    lea: str, cli: Cli, directory_url: str
) -> None:
    def add(alias: str) -> str:
        return refused_for_holder(cli, directory_url, "alias add", "--box", lea, alias)

    assert add(HOLDER) == f"{HOLDER} is already taken."
    assert add(lea) == f"{lea} is already taken."
    assert "famille-martin.fr" in add("lea@gmail.com")
    assert add("postmaster@famille-martin.fr") != ""
    assert add("lé a@famille-martin.fr") != ""
    cli("alias", "add", "--owner", HOLDER, "--box", HOLDER, "papa@famille-martin.fr", env=OWNER_ENV)
    assert add("papa@famille-martin.fr") == "papa@famille-martin.fr is already taken."
    nobody = "nobody@famille-martin.fr"
    not_an_alias = refused_for_holder(cli, directory_url, "alias remove", nobody)
    assert not_an_alias == "nobody@famille-martin.fr is not an alias of your household."
    wrong_box = refused_for_holder(
        cli, directory_url, "alias add", "--box", "zoe@famille-martin.fr", "zozo@famille-martin.fr"
    )
    assert wrong_box == "zoe@famille-martin.fr is not a box of your household."


def test_a_box_has_at_most_the_configured_number_of_aliases(
    lea: str, cli: Cli, directory_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAILWIZARD_MAX_ALIASES", "2")
    for alias in ("lea1@famille-martin.fr", "lea2@famille-martin.fr"):
        outcome = cli("alias", "add", "--owner", HOLDER, "--box", lea, alias, env=OWNER_ENV)
        assert outcome.exit_code == 0, outcome.stderr
    lea3 = "lea3@famille-martin.fr"
    third = refused_for_holder(cli, directory_url, "alias add", "--box", lea, lea3)
    assert third == f"{lea} already has 2 aliases, the most a box may have."
    other_box = cli(
        "alias", "add", "--owner", HOLDER, "--box", HOLDER, "lea3@famille-martin.fr", env=OWNER_ENV
    )
    assert other_box.exit_code == 0, "the limit is per box"


def test_changes_need_the_holders_password(lea: str, cli: Cli, directory_url: str) -> None:
    wrong = {"MAILWIZARD_OWNER_PASSWORD": "not it at all"}
    for command in (
        ("alias", "add", "--owner", HOLDER, "--box", lea, "x@famille-martin.fr"),
        ("accounts", "delete", "--owner", HOLDER, "--confirm", lea, lea),
        ("accounts", "suspend", "--owner", HOLDER, lea),
    ):
        before = dump_directory(directory_url)
        outcome = cli(*command, env=wrong)
        assert outcome.exit_code == 1
        assert outcome.stderr.strip() == "The address or the password is incorrect."
        after = dump_directory(directory_url)
        assert {k: v for k, v in after.items() if k not in ("signin_throttle", "audit_log")} == {
            k: v for k, v in before.items() if k not in ("signin_throttle", "audit_log")
        }


def test_deleting_needs_the_address_typed_again_and_spares_the_primary_box(
    lea: str, cli: Cli, directory_url: str
) -> None:
    mistyped = refused_for_holder(
        cli, directory_url, "accounts delete", "--confirm", "lea.martin@", lea
    )
    assert mistyped == f"Type {lea} exactly to confirm the deletion."
    primary = refused_for_holder(cli, directory_url, "accounts delete", "--confirm", HOLDER, HOLDER)
    assert primary == f"{HOLDER} is the primary box: it cannot be deleted or suspended here."
    no_confirmation = cli("accounts", "delete", "--owner", HOLDER, lea, env=OWNER_ENV)
    assert no_confirmation.exit_code == 2
    assert "--confirm" in no_confirmation.stderr


def test_a_deleted_box_closes_at_once_and_frees_its_slot_and_aliases(
    lea: str, cli: Cli, directory_url: str, tmp_path: Path, isolated_environment: dict[str, str]
) -> None:
    cli("alias", "add", "--owner", HOLDER, "--box", lea, "lea@famille-martin.fr", env=OWNER_ENV)
    before = household_json(cli)["remaining_secondary"]
    outcome = cli(
        "accounts", "delete", "--owner", HOLDER, "--confirm", lea.upper(), lea, env=OWNER_ENV
    )
    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout.startswith(f"{lea} is deleted; its mail is kept until ")

    listing = household_json(cli)
    assert listing["remaining_secondary"] == before + 1  # type: ignore[operator]
    assert lea not in mailboxes(cli)
    deleted = listing["deleted_mailboxes"]
    assert isinstance(deleted, list) and [box["address"] for box in deleted] == [lea]
    signin = cli(
        "accounts",
        "passwd",
        lea,
        env={"MAILWIZARD_PASSWORD": NEW_PASSWORD, "MAILWIZARD_NEW_PASSWORD": OTHER_PASSWORD},
    )
    assert signin.exit_code == 1, "a deleted box cannot sign in"

    taken = refused_for_holder(cli, directory_url, "alias add", "--box", HOLDER, lea)
    assert taken == f"{lea} is already taken.", "the address waits for the purge"
    freed = cli(
        "alias", "add", "--owner", HOLDER, "--box", HOLDER, "lea@famille-martin.fr", env=OWNER_ENV
    )
    assert freed.exit_code == 0, "its aliases went with it"

    mail_root = Path(isolated_environment["MAILWIZARD_DATA_DIR"]) / "mail"
    archives = list((mail_root / ".archive" / lea).glob("*.tar.gz"))
    assert len(archives) == 1
    assert not (mail_root / "famille-martin.fr" / "lea.martin").exists()
    holder_inbox = list((mail_root / "famille-martin.fr/jean.martin/Maildir/new").iterdir())
    assert any(b"You deleted " in path.read_bytes() for path in holder_inbox)
    with tarfile.open(archives[0]) as archive:
        mail = [archive.extractfile(m) for m in archive.getmembers() if "/new/" in m.name]
        notices = [
            message_from_bytes(member.read(), policy=default)
            for member in mail
            if member is not None
        ]
    closing = [n for n in notices if n["Subject"] == f"Votre boîte {lea} est fermée"]
    assert len(closing) == 1, "the user's notice, in French, went in before the archiving"


def test_the_purge_erases_a_deleted_box_only_when_its_time_is_up(
    lea: str, services: Services, clock: HandClock, isolated_environment: dict[str, str]
) -> None:
    holder = services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    card = services.client_setup.welcome_card(f" {lea.upper()} ")
    assert "Bonjour Léa" in card and lea in card, "her card, in her language"
    deletion = services.management.delete(holder, lea, lea, "test")
    assert deletion.purge_after == clock.now + timedelta(days=30)
    with pytest.raises(Refused, match="There is no box at"):
        services.client_setup.welcome_card(lea)
    assert deletion.mail.waiting is None and deletion.archive.waiting is None

    report = services.management.purge("test")
    assert report.archived == () and report.purged == (), "the deletion packed it away"
    with pytest.raises(Refused):
        services.provisioning.check_address(holder, lea)

    clock.now += timedelta(days=30)
    report = services.management.purge("test")
    assert report.purged == (lea,)
    assert services.provisioning.check_address(holder, lea) == lea
    mail_root = Path(isolated_environment["MAILWIZARD_DATA_DIR"]) / "mail"
    assert not (mail_root / ".archive" / lea).exists()
    assert services.management.purge("test").purged == (), "running it again does nothing"
    assert [e.action for e in services.management.audit_log(holder.household_id, 2)] == [
        "mailbox.purged",
        "mailbox.deleted",
    ]


def test_the_holder_resets_a_password_with_the_policy(
    lea: str, cli: Cli, directory_url: str
) -> None:
    weak = {**OWNER_ENV, "MAILWIZARD_NEW_PASSWORD": "lea.martin2026"}
    assert refused(cli, directory_url, "accounts", "passwd", "--owner", HOLDER, lea, env=weak) != ""
    reset = cli(
        "accounts",
        "passwd",
        "--owner",
        HOLDER,
        lea,
        env={**OWNER_ENV, "MAILWIZARD_NEW_PASSWORD": OTHER_PASSWORD},
    )
    assert reset.exit_code == 0, reset.stderr
    own = {"MAILWIZARD_PASSWORD": OTHER_PASSWORD, "MAILWIZARD_NEW_PASSWORD": NEW_PASSWORD}
    changed = cli("accounts", "passwd", lea, env=own)
    assert changed.exit_code == 0, changed.stderr
    stale = cli("accounts", "passwd", lea, env=own)
    assert stale.exit_code == 1, "the old password no longer opens the box"


def test_a_secondary_user_changes_only_their_own_password(
    lea: str, cli: Cli, directory_url: str
) -> None:
    as_lea = {"MAILWIZARD_OWNER_PASSWORD": NEW_PASSWORD, "MAILWIZARD_NEW_PASSWORD": OTHER_PASSWORD}
    for command in (
        ("accounts", "passwd", "--owner", lea, HOLDER),
        ("accounts", "suspend", "--owner", lea, lea),
        ("alias", "add", "--owner", lea, "--box", lea, "moi@famille-martin.fr"),
        ("accounts", "delete", "--owner", lea, "--confirm", lea, lea),
    ):
        message = refused(cli, directory_url, *command, env=as_lea)
        assert message == "Only the holder, signed in with the primary address, can do this."
    wrong_current = cli(
        "accounts",
        "passwd",
        lea,
        env={"MAILWIZARD_PASSWORD": "not mine", "MAILWIZARD_NEW_PASSWORD": OTHER_PASSWORD},
    )
    assert wrong_current.exit_code == 1
    assert wrong_current.stderr.strip() == "The address or the password is incorrect."


def test_a_suspended_box_cannot_sign_in_until_it_is_reactivated(
    lea: str, cli: Cli, services: Services, directory_url: str
) -> None:
    suspended = cli("accounts", "suspend", "--owner", HOLDER, lea, env=OWNER_ENV)
    assert suspended.exit_code == 0, suspended.stderr
    assert mailboxes(cli)[lea]["active"] is False
    with pytest.raises(SignInFailed):
        services.signin.sign_in(lea, NEW_PASSWORD, "test")
    assert refused(
        cli, directory_url, "accounts", "suspend", "--owner", HOLDER, HOLDER, env=OWNER_ENV
    ).endswith("cannot be deleted or suspended here.")
    resumed = cli("accounts", "resume", "--owner", HOLDER, lea, env=OWNER_ENV)
    assert resumed.exit_code == 0, resumed.stderr
    assert services.signin.sign_in(lea, NEW_PASSWORD, "test").address == lea


def test_the_audit_log_records_who_did_what_and_from_where(lea: str, cli: Cli) -> None:
    cli("alias", "add", "--owner", HOLDER, "--box", lea, "lea@famille-martin.fr", env=OWNER_ENV)
    cli("alias", "remove", "--owner", HOLDER, "lea@famille-martin.fr", env=OWNER_ENV)
    cli("accounts", "suspend", "--owner", HOLDER, lea, env=OWNER_ENV)
    cli("accounts", "resume", "--owner", HOLDER, lea, env=OWNER_ENV)
    cli(
        "accounts",
        "passwd",
        "--owner",
        HOLDER,
        lea,
        env={**OWNER_ENV, "MAILWIZARD_NEW_PASSWORD": OTHER_PASSWORD},
    )
    cli(
        "accounts",
        "passwd",
        lea,
        env={"MAILWIZARD_PASSWORD": "wrong", "MAILWIZARD_NEW_PASSWORD": NEW_PASSWORD},
    )
    cli("accounts", "delete", "--owner", HOLDER, "--confirm", lea, lea, env=OWNER_ENV)

    entries = json.loads(cli("audit", "--owner", HOLDER, "--json").stdout)
    assert [(e["action"], e["target"]) for e in entries] == [
        ("mailbox.deleted", lea),
        ("signin.failed", lea),
        ("password.reset", lea),
        ("mailbox.resumed", lea),
        ("mailbox.suspended", lea),
        ("alias.removed", "lea@famille-martin.fr"),
        ("alias.added", "lea@famille-martin.fr"),
        ("mailbox.created", lea),
        ("household.created", HOLDER),
    ]
    assert {e["actor"] for e in entries} >= {HOLDER}
    assert all(e["origin"].startswith("command line") for e in entries)
    text = cli("audit", "--owner", HOLDER, "--limit", "2").stdout.splitlines()
    assert len(text) == 2
    assert f"deleted {lea}" in text[0]
    assert f"failed attempt to sign in to {lea}  someone not signed in" in text[1]


def test_suspend_resume_and_passwd_say_what_they_did(lea: str, cli: Cli) -> None:
    suspended = cli("accounts", "suspend", "--owner", HOLDER, lea, env=OWNER_ENV)
    assert suspended.exit_code == 0, suspended.stderr
    assert (
        suspended.stdout == f"{lea} is suspended: its mail still arrives, but it cannot sign in.\n"
    )
    resumed = cli("accounts", "resume", "--owner", HOLDER, lea, env=OWNER_ENV)
    assert resumed.stdout == f"{lea} can sign in again.\n"
    reset = cli("accounts", "passwd", "--owner", HOLDER, lea,
                env={**OWNER_ENV, "MAILWIZARD_NEW_PASSWORD": OTHER_PASSWORD})  # fmt: skip
    assert reset.exit_code == 0, reset.stderr
    assert reset.stdout.startswith(f"{lea} has a new password")
    own = cli("accounts", "passwd", lea, env={"MAILWIZARD_PASSWORD": OTHER_PASSWORD,
              "MAILWIZARD_NEW_PASSWORD": NEW_PASSWORD})  # fmt: skip
    assert own.exit_code == 0, own.stderr
    assert own.stdout == f"The password of {lea} is changed.\n"


@pytest.mark.parametrize("directory_engine", ["sqlite"])
def test_an_unknown_civility_is_a_usage_error(cli: Cli, answers_dir: Path) -> None:
    outcome = cli("init", "--domain", "famille-martin.fr", "--address", HOLDER,
                  "--civility", "sir", "--first-name", "Jean", "--last-name", "Martin",
                  env={"MAILWIZARD_PASSWORD": HOLDER_PASSWORD})  # fmt: skip
    assert outcome.exit_code == 2
    assert "madame (mme), monsieur (m) or neutral (x)" in outcome.stderr


def test_a_box_deleted_already_says_so_and_until_when(lea: str, cli: Cli) -> None:
    deleted = cli("accounts", "delete", "--owner", HOLDER, "--confirm", lea, lea, env=OWNER_ENV)
    assert deleted.exit_code == 0, deleted.stderr
    again = cli("accounts", "delete", "--owner", HOLDER, "--confirm", lea, lea, env=OWNER_ENV)
    assert again.exit_code == 1
    assert again.stderr.startswith(f"{lea} is already deleted; its mail is kept until 20")
    suspended = cli("accounts", "suspend", "--owner", HOLDER, lea, env=OWNER_ENV)
    assert "already deleted" in suspended.stderr


def test_a_bare_local_part_names_a_box_or_alias_of_the_household_in_every_command(
    lea: str, cli: Cli, directory_url: str, answers_dir: Path
) -> None:
    def holder_runs(*args: str, env: dict[str, str] = OWNER_ENV) -> str:
        outcome = cli(*args[:2], "--owner", HOLDER, *args[2:], env=env)
        assert outcome.exit_code == 0, outcome.stderr
        return outcome.stdout

    assert holder_runs("alias", "add", "--box", "lea.martin", "lea") == "lea@famille-martin.fr\n"
    assert holder_runs("alias", "add", "--box", "Jean.Martin", "papa") == "papa@famille-martin.fr\n"
    assert mailboxes(cli)[HOLDER]["aliases"] == ["papa@famille-martin.fr"]
    assert holder_runs("alias", "remove", "papa") == "papa@famille-martin.fr is removed.\n"
    assert mailboxes(cli)[HOLDER]["aliases"] == []

    assert holder_runs("accounts", "suspend", "lea.martin").startswith(f"{lea} is suspended")
    assert mailboxes(cli)[lea]["active"] is False
    assert holder_runs("accounts", "resume", "lea.martin") == f"{lea} can sign in again.\n"
    assert mailboxes(cli)[lea]["active"] is True
    new_password = {**OWNER_ENV, "MAILWIZARD_NEW_PASSWORD": OTHER_PASSWORD}
    reset = holder_runs("accounts", "passwd", "lea.martin", env=new_password)
    assert reset.startswith(f"{lea} has a new password")
    signed_in = cli("accounts", "passwd", lea, env={"MAILWIZARD_PASSWORD": OTHER_PASSWORD,
                    "MAILWIZARD_NEW_PASSWORD": NEW_PASSWORD})  # fmt: skip
    assert signed_in.exit_code == 0, "the reset reached Léa's box"

    path = write_answers(answers_dir / "hugo.toml", first_name="Hugo", last_name="Martin",
                         address="Hugo.Martin")  # fmt: skip
    created = cli("create", "--answers", str(path), env=CREATE_ENV)
    assert created.exit_code == 0, created.stderr
    assert "hugo.martin@famille-martin.fr" in mailboxes(cli)

    unknown = refused_for_holder(cli, directory_url, "accounts delete", "--confirm", "zoe", "zoe")
    assert unknown == "zoe@famille-martin.fr is not a box of your household."
    mistyped = refused_for_holder(
        cli, directory_url, "accounts delete", "--confirm", "lea", "lea.martin"
    )
    assert mistyped == f"Type {lea} exactly to confirm the deletion."
    deleted = holder_runs("accounts", "delete", "--confirm", "lea.martin", "lea.martin")
    assert deleted.startswith(f"{lea} is deleted; its mail is kept until")
    assert lea not in mailboxes(cli)
    both_ways = holder_runs("accounts", "delete", "--confirm", "hugo.martin@famille-martin.fr",
                            "hugo.martin")  # fmt: skip
    assert both_ways.startswith("hugo.martin@famille-martin.fr is deleted")


@pytest.mark.parametrize("directory_engine", ["sqlite"])
def test_init_takes_the_holders_bare_local_part_at_the_new_domain(cli: Cli) -> None:
    outcome = cli("init", "--domain", "famille-martin.fr", "--address", "jean.martin",
                  "--civility", "m", "--first-name", "Jean", "--last-name", "Martin",
                  env={"MAILWIZARD_PASSWORD": HOLDER_PASSWORD})  # fmt: skip
    assert outcome.exit_code == 0, outcome.stderr
    assert list(mailboxes(cli)) == [HOLDER]
