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
from sqlalchemy import text as sql

from both_engines import on_both_engines  # noqa: F401 - every test here runs on both engines
from cli_harness import Cli, Outcome, dump_directory, household_listing
from hand_clock import HandClock
from mailwizard.bootstrap import Services
from mailwizard.errors import Refused, SignInFailed
from mailwizard.services.signin import SignedIn
from martin_household import HOLDER, HOLDER_PASSWORD, LEA, NEW_PASSWORD

OWNER_ENV = {"MAILWIZARD_OWNER_PASSWORD": HOLDER_PASSWORD}
OTHER_PASSWORD = "Trois-poissons-rouges-au-salon"
INCORRECT = "The address or the password is incorrect."


@pytest.fixture
def lea(household: str, cli: Cli, answers_dir: Path) -> str:
    return cli.new_box(answers_dir, address=LEA, language="fr")


def mailboxes(cli: Cli) -> dict[str, dict[str, object]]:
    return {box["address"]: box for box in household_listing(cli)["mailboxes"]}


def as_holder(cli: Cli, command: str, *args: str, env: dict[str, str] = OWNER_ENV) -> Outcome:
    """The holder's ``command`` (e.g. ``"alias add"``) on the household."""
    return cli(*command.split(), "--owner", HOLDER, *args, env=env)


def holder_runs(cli: Cli, command: str, *args: str, env: dict[str, str] = OWNER_ENV) -> str:
    """``as_holder``, which must succeed: what it printed."""
    outcome = as_holder(cli, command, *args, env=env)
    assert outcome.exit_code == 0, outcome.stderr
    return outcome.stdout


def own_password_change(cli: Cli, address: str, current: str, new: str) -> Outcome:
    """The user of ``address`` changes its password, ``current`` first."""
    passwords = {"MAILWIZARD_PASSWORD": current, "MAILWIZARD_NEW_PASSWORD": new}
    return cli("accounts", "passwd", address, env=passwords)


def refused(cli: Cli, directory_url: str, *args: str, env: dict[str, str]) -> str:
    """Runs a command that must be refused with exit 1 and change nothing."""
    before = dump_directory(directory_url)
    outcome = cli(*args, env=env)
    assert outcome.exit_code == 1, (outcome.stdout, outcome.stderr)
    assert dump_directory(directory_url) == before
    return outcome.stderr.strip()


def refused_for_holder(cli: Cli, directory_url: str, command: str, *args: str) -> str:
    """``refused`` for the holder's ``command`` on the household."""
    return refused(cli, directory_url, *command.split(), "--owner", HOLDER, *args, env=OWNER_ENV)


def test_aliases_are_added_listed_and_removed(lea: str, cli: Cli) -> None:
    added = holder_runs(cli, "alias add", "--box", lea, "  Lea@Famille-Martin.fr ")
    assert added == "lea@famille-martin.fr\n"
    holder_runs(cli, "alias add", "--box", HOLDER, "papa@famille-martin.fr")

    listing = json.loads(cli("alias", "list", "--owner", HOLDER, "--json").stdout)
    assert listing == [
        {"alias": "papa@famille-martin.fr", "box": HOLDER},
        {"alias": "lea@famille-martin.fr", "box": lea},
    ]
    assert mailboxes(cli)[lea]["aliases"] == ["lea@famille-martin.fr"]

    holder_runs(cli, "alias remove", "lea@famille-martin.fr")
    assert mailboxes(cli)[lea]["aliases"] == []
    again = as_holder(cli, "alias add", "--box", HOLDER, "lea@famille-martin.fr")
    assert again.exit_code == 0, "a removed alias is free again at once"


def test_an_alias_follows_the_address_rules_is_unique_everywhere_and_counted_per_box(
    lea: str, cli: Cli, directory_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAILWIZARD_MAX_ALIASES", "2")

    def add(alias: str) -> str:
        return refused_for_holder(cli, directory_url, "alias add", "--box", lea, alias)

    assert add(HOLDER) == f"{HOLDER} is already taken."
    assert add(lea) == f"{lea} is already taken."
    assert "famille-martin.fr" in add("lea@gmail.com")
    assert add("postmaster@famille-martin.fr") != ""
    assert add("lé a@famille-martin.fr") != ""
    holder_runs(cli, "alias add", "--box", HOLDER, "papa@famille-martin.fr")
    assert add("papa@famille-martin.fr") == "papa@famille-martin.fr is already taken."
    nobody = "nobody@famille-martin.fr"
    not_an_alias = refused_for_holder(cli, directory_url, "alias remove", nobody)
    assert not_an_alias == "nobody@famille-martin.fr is not an alias of your household."
    wrong_box = refused_for_holder(
        cli, directory_url, "alias add", "--box", "zoe@famille-martin.fr", "zozo@famille-martin.fr"
    )
    assert wrong_box == "zoe@famille-martin.fr is not a box of your household."

    for alias in ("lea1@famille-martin.fr", "lea2@famille-martin.fr"):
        holder_runs(cli, "alias add", "--box", lea, alias)
    assert add("lea3@famille-martin.fr") == f"{lea} already has 2 aliases, the most a box may have."
    other_box = as_holder(cli, "alias add", "--box", HOLDER, "lea3@famille-martin.fr")
    assert other_box.exit_code == 0, "the limit is per box: the holder's has one, papa"


def test_changes_need_the_holders_password(lea: str, cli: Cli, directory_url: str) -> None:
    wrong = {"MAILWIZARD_OWNER_PASSWORD": "not it at all"}
    for command, *args in (
        ("alias add", "--box", lea, "x@famille-martin.fr"),
        ("accounts delete", "--confirm", lea, lea),
        ("accounts suspend", lea),
    ):
        before = dump_directory(directory_url)
        outcome = as_holder(cli, command, *args, env=wrong)
        assert outcome.exit_code == 1
        assert outcome.stderr.strip() == INCORRECT
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
    no_confirmation = as_holder(cli, "accounts delete", lea)
    assert no_confirmation.exit_code == 2
    assert "--confirm" in no_confirmation.stderr


def test_a_deleted_box_closes_at_once_and_frees_its_slot_and_aliases(
    lea: str, cli: Cli, directory_url: str, isolated_environment: dict[str, str]
) -> None:
    holder_runs(cli, "alias add", "--box", lea, "lea@famille-martin.fr")
    before = household_listing(cli)["remaining_secondary"]
    deleted = holder_runs(cli, "accounts delete", "--confirm", lea.upper(), lea)
    assert deleted.startswith(f"{lea} is deleted; its mail is kept until ")

    listing = household_listing(cli)
    assert listing["remaining_secondary"] == before + 1
    assert lea not in mailboxes(cli)
    assert [box["address"] for box in listing["deleted_mailboxes"]] == [lea]
    signin = own_password_change(cli, lea, NEW_PASSWORD, OTHER_PASSWORD)
    assert signin.exit_code == 1, "a deleted box cannot sign in"
    again = as_holder(cli, "accounts delete", "--confirm", lea, lea)
    assert again.exit_code == 1
    assert again.stderr.startswith(f"{lea} is already deleted; its mail is kept until 20")
    assert "already deleted" in as_holder(cli, "accounts suspend", lea).stderr

    taken = refused_for_holder(cli, directory_url, "alias add", "--box", HOLDER, lea)
    assert taken == f"{lea} is already taken.", "the address waits for the purge"
    freed = as_holder(cli, "alias add", "--box", HOLDER, "lea@famille-martin.fr")
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
    lea: str,
    services: Services,
    holder: SignedIn,
    clock: HandClock,
    isolated_environment: dict[str, str],
) -> None:
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
    new_password = {**OWNER_ENV, "MAILWIZARD_NEW_PASSWORD": OTHER_PASSWORD}
    reset = holder_runs(cli, "accounts passwd", lea, env=new_password)
    assert reset.startswith(f"{lea} has a new password")
    changed = own_password_change(cli, lea, OTHER_PASSWORD, NEW_PASSWORD)
    assert changed.exit_code == 0, changed.stderr
    assert changed.stdout == f"The password of {lea} is changed.\n"
    stale = own_password_change(cli, lea, OTHER_PASSWORD, NEW_PASSWORD)
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
    wrong_current = own_password_change(cli, lea, "not mine", OTHER_PASSWORD)
    assert wrong_current.exit_code == 1
    assert wrong_current.stderr.strip() == INCORRECT


def test_a_suspended_box_cannot_sign_in_until_it_is_reactivated(
    lea: str, cli: Cli, services: Services, directory_url: str
) -> None:
    suspended = holder_runs(cli, "accounts suspend", lea)
    assert suspended == f"{lea} is suspended: its mail still arrives, but it cannot sign in.\n"
    assert mailboxes(cli)[lea]["active"] is False
    with pytest.raises(SignInFailed):
        services.signin.sign_in(lea, NEW_PASSWORD, "test")
    assert refused_for_holder(cli, directory_url, "accounts suspend", HOLDER).endswith(
        "cannot be deleted or suspended here."
    )
    assert holder_runs(cli, "accounts resume", lea) == f"{lea} can sign in again.\n"
    assert services.signin.sign_in(lea, NEW_PASSWORD, "test").address == lea


def test_the_audit_log_records_who_did_what_and_from_where(lea: str, cli: Cli) -> None:
    holder_runs(cli, "alias add", "--box", lea, "lea@famille-martin.fr")
    holder_runs(cli, "alias remove", "lea@famille-martin.fr")
    holder_runs(cli, "accounts suspend", lea)
    holder_runs(cli, "accounts resume", lea)
    holder_runs(
        cli, "accounts passwd", lea, env={**OWNER_ENV, "MAILWIZARD_NEW_PASSWORD": OTHER_PASSWORD}
    )
    own_password_change(cli, lea, "wrong", NEW_PASSWORD)
    holder_runs(cli, "accounts delete", "--confirm", lea, lea)

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


def test_the_management_page_loads_its_boxes_undelivered_e_mails_and_latest_entries_at_once(
    lea: str, services: Services, holder: SignedIn
) -> None:
    household_id = holder.household_id
    page = services.management.household_page(household_id, 1)
    assert page.overview == services.households.overview_of(household_id)
    assert page.overview.box(lea) is not None
    assert page.undelivered == ()
    assert [entry.action for entry in page.recent] == ["mailbox.created"]

    bounced = sql("UPDATE outbox SET status = 'failed', last_error = '550' WHERE recipient = :lea")
    with services.engine.begin() as connection:
        connection.execute(bounced, {"lea": lea})
    reloaded = services.management.household_page(household_id, 1)
    assert reloaded.undelivered == (lea,)
    assert reloaded != page
    assert services.management.household_page(household_id, 1) == reloaded, (
        "an unchanged page loads equal: the screen skips redrawing it"
    )


def test_a_bare_local_part_names_a_box_or_alias_of_the_household_in_every_command(
    lea: str, cli: Cli, directory_url: str, answers_dir: Path
) -> None:
    assert holder_runs(cli, "alias add", "--box", "lea.martin", "lea") == "lea@famille-martin.fr\n"
    papa = holder_runs(cli, "alias add", "--box", "Jean.Martin", "papa")
    assert papa == "papa@famille-martin.fr\n"
    assert mailboxes(cli)[HOLDER]["aliases"] == ["papa@famille-martin.fr"]
    assert holder_runs(cli, "alias remove", "papa") == "papa@famille-martin.fr is removed.\n"
    assert mailboxes(cli)[HOLDER]["aliases"] == []

    assert holder_runs(cli, "accounts suspend", "lea.martin").startswith(f"{lea} is suspended")
    assert mailboxes(cli)[lea]["active"] is False
    assert holder_runs(cli, "accounts resume", "lea.martin") == f"{lea} can sign in again.\n"
    assert mailboxes(cli)[lea]["active"] is True
    new_password = {**OWNER_ENV, "MAILWIZARD_NEW_PASSWORD": OTHER_PASSWORD}
    reset = holder_runs(cli, "accounts passwd", "lea.martin", env=new_password)
    assert reset.startswith(f"{lea} has a new password")
    signed_in = own_password_change(cli, lea, OTHER_PASSWORD, NEW_PASSWORD)
    assert signed_in.exit_code == 0, "the reset reached Léa's box"

    cli.new_box(answers_dir, first_name="Hugo", address="Hugo.Martin")
    assert "hugo.martin@famille-martin.fr" in mailboxes(cli)

    unknown = refused_for_holder(cli, directory_url, "accounts delete", "--confirm", "zoe", "zoe")
    assert unknown == "zoe@famille-martin.fr is not a box of your household."
    mistyped = refused_for_holder(
        cli, directory_url, "accounts delete", "--confirm", "lea", "lea.martin"
    )
    assert mistyped == f"Type {lea} exactly to confirm the deletion."
    deleted = holder_runs(cli, "accounts delete", "--confirm", "lea.martin", "lea.martin")
    assert deleted.startswith(f"{lea} is deleted; its mail is kept until")
    assert lea not in mailboxes(cli)
    hugo = "hugo.martin@famille-martin.fr"
    both_ways = holder_runs(cli, "accounts delete", "--confirm", hugo, "hugo.martin")
    assert both_ways.startswith(f"{hugo} is deleted")


@pytest.mark.parametrize("directory_engine", ["sqlite"])
def test_init_knows_three_titles_and_takes_the_holders_bare_local_part(cli: Cli) -> None:
    unknown_title = cli.init(civility="sir")
    assert unknown_title.exit_code == 2
    assert "madame (mme), monsieur (m) or neutral (x)" in unknown_title.stderr
    bare = cli.init(address="jean.martin")
    assert bare.exit_code == 0, bare.stderr
    assert list(mailboxes(cli)) == [HOLDER]
