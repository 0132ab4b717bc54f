"""The command line end to end, on a real SQLite directory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from both_engines import on_both_engines  # noqa: F401 - every test here runs on both engines
from cli_harness import Cli, dump_directory, household_listing, write_answers
from martin_household import CREATE_ENV, DOMAIN, HOLDER, HOLDER_PASSWORD, NEW_PASSWORD

FIRST_NAMES = ["Léa", "Hugo", "Chloé", "Louis", "Inès", "Jules", "Zoé", "Arthur", "Manon"]


def test_nine_secondary_boxes_then_the_tenth_is_refused_and_nothing_written(
    household: str, cli: Cli, answers_dir: Path, directory_url: str
) -> None:
    created = [cli.new_box(answers_dir, first_name=first_name) for first_name in FIRST_NAMES]
    assert len(set(created)) == 9
    before = dump_directory(directory_url)

    refused = cli.create(answers_dir, first_name="Gabriel")

    assert refused.exit_code == 1
    assert refused.stdout == ""
    assert "(9 of 9)" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert dump_directory(directory_url) == before
    document = household_listing(cli)
    assert document["remaining_secondary"] == 0
    assert {m["address"] for m in document["mailboxes"]} == {HOLDER, *created}


def test_the_suggested_address_is_printed_listed_and_proposed_no_more(
    household: str, cli: Cli, answers_dir: Path
) -> None:
    created = cli.new_box(answers_dir, first_name="Hélène", last_name="Müller-Šťastná")
    assert created == f"helene.muller-stastna@{DOMAIN}"
    text = cli("accounts", "list", "--owner", HOLDER).stdout
    assert "helene.muller-stastna@famille-martin.fr" in text
    assert "Hélène Müller-Šťastná" in text
    assert "Secondary boxes left: 8 of 9." in text
    suggested = cli(
        "suggest", "--owner", HOLDER, "--first-name", "Hélène", "--last-name", "Müller-Šťastná"
    )
    assert suggested.exit_code == 0
    proposals = suggested.stdout.split()
    assert len(proposals) == 5
    assert created not in proposals
    assert proposals[0] == f"h.muller-stastna@{DOMAIN}"


@pytest.mark.parametrize(
    ("answers", "new_password", "reason"),
    [
        ({"address": HOLDER}, NEW_PASSWORD, "already taken"),
        ({"address": "JEAN.MARTIN@famille-martin.fr"}, NEW_PASSWORD, "already taken"),
        ({"address": "postmaster@famille-martin.fr"}, NEW_PASSWORD, "reserved"),
        ({"address": "no-reply"}, NEW_PASSWORD, "reserved"),
        ({"address": "post.master"}, NEW_PASSWORD, "reserved"),
        ({"address": "mailer_daemon1"}, NEW_PASSWORD, "reserved"),
        ({"address": "lea.martin@example.org"}, NEW_PASSWORD, "must end with @famille-martin.fr"),
        ({"address": "lea..martin@famille-martin.fr"}, NEW_PASSWORD, "cannot follow one another"),
        ({"address": "1lea@famille-martin.fr"}, NEW_PASSWORD, "start with a letter"),
        ({"address": "léa.martin@famille-martin.fr"}, NEW_PASSWORD, "without accents"),
        ({"address": "le@famille-martin.fr"}, NEW_PASSWORD, "at least 3"),
        ({}, "court", "at least 12 characters"),
        ({}, "password1234", "too easy to guess"),
        ({}, "qwertyuiopasdf", "too easy to guess"),
        ({}, "Lea-aime-les-pommes", "must not contain a name"),
        ({}, "soleil-MARTIN-hiver", "must not contain a name"),
        ({"accept_terms": False}, NEW_PASSWORD, "accept the terms of use"),
        ({"first_name": "Eve\u202egnp"}, NEW_PASSWORD, "invisible formatting"),
    ],
)
def test_a_refused_creation_says_why_and_writes_nothing(
    household: str,
    cli: Cli,
    answers_dir: Path,
    directory_url: str,
    answers: dict[str, object],
    new_password: str,
    reason: str,
) -> None:
    before = dump_directory(directory_url)
    environment = {**CREATE_ENV, "MAILWIZARD_NEW_PASSWORD": new_password}
    refused = cli.create(answers_dir, env=environment, **answers)
    assert (refused.exit_code, refused.stdout) == (1, "")
    assert reason in refused.stderr
    assert dump_directory(directory_url) == before


def test_orange_policy_asks_for_mixed_case_and_a_digit(
    household: str, cli: Cli, answers_dir: Path
) -> None:
    orange = {**CREATE_ENV, "MAILWIZARD_PASSWORD_POLICY": "orange"}
    refused = cli.create(answers_dir, env={**orange, "MAILWIZARD_NEW_PASSWORD": "tulipes!"})
    assert refused.exit_code == 1
    assert "upper-case letter" in refused.stderr
    accepted = cli.create(answers_dir, env={**orange, "MAILWIZARD_NEW_PASSWORD": "Tulipes7!"})
    assert accepted.exit_code == 0, accepted.stderr


def test_a_suspended_contract_creates_nothing_until_resumed(
    household: str, cli: Cli, answers_dir: Path, directory_url: str
) -> None:
    assert cli("contract", "suspend", "--owner", HOLDER).exit_code == 0
    before = dump_directory(directory_url)
    refused = cli.create(answers_dir)
    assert refused.exit_code == 1
    assert "suspended" in refused.stderr
    assert dump_directory(directory_url) == before
    assert cli("contract", "resume", "--owner", HOLDER).exit_code == 0
    assert cli.create(answers_dir).exit_code == 0


def test_wrong_holder_password_is_refused_without_saying_which_part_is_wrong(
    household: str, cli: Cli, answers_dir: Path
) -> None:
    wrong_password = cli.create(
        answers_dir, env={**CREATE_ENV, "MAILWIZARD_OWNER_PASSWORD": "nope"}
    )
    unknown_owner = cli.create(answers_dir, owner="nobody@famille-martin.fr")
    assert wrong_password.exit_code == unknown_owner.exit_code == 1
    assert wrong_password.stderr == unknown_owner.stderr


def test_a_secondary_box_cannot_create_boxes(household: str, cli: Cli, answers_dir: Path) -> None:
    lea = cli.new_box(answers_dir)
    as_lea = {**CREATE_ENV, "MAILWIZARD_OWNER_PASSWORD": NEW_PASSWORD}
    outcome = cli.create(answers_dir, env=as_lea, owner=lea, first_name="Hugo")
    assert outcome.exit_code == 1
    assert "primary address" in outcome.stderr


def test_the_holders_own_name_gets_the_alias_advice(
    household: str, cli: Cli, answers_dir: Path
) -> None:
    created = cli.create(answers_dir, first_name="Jean", civility="m")
    assert created.exit_code == 0
    assert created.stdout.strip().endswith(f"@{DOMAIN}")
    assert "alias" in created.stderr


def test_messages_follow_the_language(household: str, cli: Cli) -> None:
    outcome = cli("--lang", "fr", "accounts", "list", "--owner", "personne@famille-martin.fr")
    assert outcome.exit_code == 1
    assert "adresse principale" in outcome.stderr


def test_init_makes_the_household_listed_in_documented_and_stable_json(
    household: str, cli: Cli
) -> None:
    document = household_listing(cli)
    assert document["domains"] == [DOMAIN]
    assert document["remaining_secondary"] == 9
    assert [(m["address"], m["role"], m["first_name"]) for m in document["mailboxes"]] == [
        (HOLDER, "primary", "Jean")
    ]
    assert set(document) == {
        "format", "household", "domains", "contract_active",
        "max_secondary", "remaining_secondary", "mailboxes", "deleted_mailboxes",
    }  # fmt: skip
    primary: dict[str, str] = document["mailboxes"][0]
    assert set(primary) == {
        "address", "role", "civility", "first_name", "last_name", "active", "created_at",
        "aliases", "awaiting_activation_until",
    }  # fmt: skip
    assert primary["created_at"].endswith("Z")
    readme = (Path(__file__).parents[1] / "README.md").read_text("utf-8")
    for key in (*document, *primary):
        assert f"`{key}`" in readme, f"{key} is not documented in the README"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("owner = ", "not valid TOML"),
        ('owner = "a@b.fr"\n', "is missing"),
        (
            'owner = "a@b.fr"\ncivility = "m"\nfirst_name = "A"\nlast_name = "B"\n'
            'address = "suggest"\ncolour = "blue"\n',
            "unknown key",
        ),
    ],
)
def test_malformed_answers_files_are_usage_errors(
    household: str, cli: Cli, answers_dir: Path, content: str, reason: str
) -> None:
    path = answers_dir / "bad.toml"
    path.write_text(content, encoding="utf-8")
    outcome = cli("create", "--answers", str(path), env=CREATE_ENV)
    assert outcome.exit_code == 2
    assert reason in outcome.stderr


def test_missing_options_are_usage_errors(cli: Cli) -> None:
    assert cli("init", "--domain", DOMAIN).exit_code == 2
    assert cli("accounts", "list").exit_code == 2
    assert cli("no-such-command").exit_code == 2


def test_a_password_is_needed_from_the_environment_without_a_terminal(cli: Cli) -> None:
    outcome = Cli.process(
        "init", "--domain", DOMAIN, "--address", HOLDER, "--civility", "m",
        "--first-name", "Jean", "--last-name", "Martin",
    )  # fmt: skip
    assert outcome.exit_code == 2
    assert "MAILWIZARD_PASSWORD" in outcome.stderr


def test_an_unreachable_directory_exits_3(cli: Cli, tmp_path: Path) -> None:
    missing = cli("--directory", f"sqlite:///{tmp_path}/absent.sqlite3", "accounts", "list",
                  "--owner", HOLDER)  # fmt: skip
    assert missing.exit_code == 3
    assert "mailwizard init" in missing.stderr
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    unwritable = cli(
        "--directory", f"sqlite:///{blocked}/directory.sqlite3",
        "init", "--domain", DOMAIN, "--address", HOLDER, "--civility", "m",
        "--first-name", "Jean", "--last-name", "Martin",
        env={"MAILWIZARD_PASSWORD": HOLDER_PASSWORD},
    )  # fmt: skip
    assert unwritable.exit_code == 3
    assert "Traceback" not in unwritable.stderr


def test_a_corrupt_directory_file_exits_3_without_a_traceback(cli: Cli, tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"this is not a database" * 100)
    outcome = Cli.process("--directory", f"sqlite:///{corrupt}", "accounts", "list",
                          "--owner", HOLDER)  # fmt: skip
    assert outcome.exit_code == 3
    assert "Traceback" not in outcome.stderr
    assert len(outcome.stderr.strip().splitlines()) == 1


def test_the_real_program_creates_a_box(household: str, answers_dir: Path) -> None:
    path = write_answers(answers_dir / "lea.toml")
    outcome = Cli.process("create", "--answers", str(path), env=CREATE_ENV)
    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout.strip() == f"lea.martin@{DOMAIN}"


def test_an_invalid_setting_is_a_usage_error(cli: Cli) -> None:
    outcome = cli("accounts", "list", "--owner", HOLDER, env={"MAILWIZARD_MAX_SECONDARY": "many"})
    assert outcome.exit_code == 2
    assert "max_secondary" in outcome.stderr


def test_a_password_on_the_command_line_is_refused(cli: Cli) -> None:
    outcome = cli("--directory", "postgresql://mail:secret@localhost/mail", "accounts", "list",
                  "--owner", HOLDER)  # fmt: skip
    assert outcome.exit_code == 2
    assert "MAILWIZARD_DIRECTORY_PASSWORD" in outcome.stderr
    assert "secret" not in outcome.stderr


def test_an_unreachable_postgresql_server_exits_3_without_its_password(cli: Cli) -> None:
    outcome = cli(
        "--directory", "postgresql://mail@127.0.0.1:9/mail", "accounts", "list", "--owner", HOLDER,
        env={"MAILWIZARD_DIRECTORY_PASSWORD": "very-secret-word"},
    )  # fmt: skip
    assert outcome.exit_code == 3
    assert "127.0.0.1" in outcome.stderr
    assert "very-secret-word" not in outcome.stderr


def test_each_command_is_whole_when_loaded_on_its_own() -> None:
    """Commands load their module when named: none may miss a subcommand that another
    module adds."""
    probe = """
import importlib, json
import click
from mailwizard.cli.main import COMMAND_MODULES, mailwizard

def tree(command):
    if isinstance(command, click.Group):
        return {name: tree(sub) for name, sub in sorted(command.commands.items())}
    return None

context = click.Context(mailwizard)
alone = {name: tree(mailwizard.get_command(context, name)) for name in COMMAND_MODULES}
for module in set(COMMAND_MODULES.values()):
    importlib.import_module(f"mailwizard.cli.{module}")
everything = {name: tree(mailwizard.get_command(context, name)) for name in COMMAND_MODULES}
print(json.dumps([alone, everything]))
"""
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    alone, everything = json.loads(completed.stdout)
    assert alone == everything
    assert set(everything["accounts"]) >= {"list", "delete", "passwd", "suspend", "resume"}
