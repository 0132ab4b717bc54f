"""click's own messages (usage errors, help headings) speak the interface language,
however it is chosen, even for a mistake found while the command line is parsed."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_harness import Cli

FRENCH_ENV = {"MAILWIZARD_LANGUAGE": "fr"}


@pytest.mark.parametrize(
    ("args", "french", "english"),
    [
        (
            ("acounts",),
            "Erreur : La commande 'acounts' n'existe pas.",
            "Error: No such command 'acounts'.",
        ),
        (
            ("accounts", "list", "--bogus"),
            "Erreur : L'option '--bogus' n'existe pas.",
            "Error: No such option '--bogus'.",
        ),
        (
            ("accounts", "suspend", "--owner"),
            "Erreur : L'option '--owner' attend une valeur.",
            "Error: Option '--owner' requires an argument.",
        ),
        (
            ("accounts", "list"),
            "Erreur : Il manque l'option '--owner'.",
            "Error: Missing option '--owner'.",
        ),
        (
            ("accounts", "lst"),
            "La commande 'lst' n'existe pas. Vouliez-vous dire 'list' ?",
            "No such command 'lst'. Did you mean 'list'?",
        ),
        (
            ("--lang", "de"),
            "Valeur non valable pour '--lang' : 'de' ne fait pas partie des valeurs 'en', 'fr'.",
            "Invalid value for '--lang': 'de' is not one of 'en', 'fr'.",
        ),
    ],
)
def test_usage_errors_are_in_the_interface_language(
    cli: Cli, args: tuple[str, ...], french: str, english: str
) -> None:
    in_french = cli(*args, env=FRENCH_ENV)
    assert in_french.exit_code == 2
    assert french in in_french.stderr
    assert "Error" not in in_french.stderr
    in_english = cli(*args)
    assert in_english.exit_code == 2
    assert english in in_english.stderr


def test_the_help_is_headed_in_the_interface_language(cli: Cli) -> None:
    french = cli("--lang", "fr", "accounts", "--help").stdout
    assert french.startswith("Utilisation : mailwizard accounts [OPTIONS]")
    assert "\nCommandes:\n" in french
    english = cli("accounts", "--help").stdout
    assert english.startswith("Usage: mailwizard accounts [OPTIONS]")
    assert "\nCommands:\n" in english


def test_the_settings_file_and_the_command_line_choose_it_before_parsing(
    cli: Cli, isolated_environment: dict[str, str]
) -> None:
    Path(isolated_environment["MAILWIZARD_CONFIG"]).write_text('language = "fr"\n', "utf-8")
    assert "Pour de l'aide, essayez « mailwizard --help »." in cli("acounts").stderr
    assert "Try 'mailwizard --help' for help." in cli("--lang", "en", "acounts").stderr


def test_the_real_program_says_it_in_french() -> None:
    # In a process of its own: click writes the help text of --version when the program
    # defines its commands, and that of --help the first time a command is parsed.
    outcome = Cli.process("--lang=fr", "--help")
    assert outcome.exit_code == 0
    lines = outcome.stdout.splitlines()
    assert lines[0] == "Utilisation : mailwizard [OPTIONS] [COMMAND] [ARGS]..."
    assert "  --version        Afficher la version et quitter." in lines
    assert "  --help           Afficher ce message et quitter." in lines
