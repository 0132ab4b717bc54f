"""Where the benchmarks run mailwizard: a private data folder with one household.

Like the tests, nothing touches the user's own data, config or keyring.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from mailwizard.bootstrap import bootstrap
from mailwizard.config import Settings
from mailwizard.domain.models import Identity

BENCHMARKS = Path(__file__).parent
WORK_FOLDER = BENCHMARKS / "work"
DOCUMENT = BENCHMARKS.parent / "docs" / "benchmarks.md"
PYTHON = sys.executable
MAILWIZARD = str(Path(sys.executable).with_name("mailwizard"))

HOLDER = "jean.martin@famille-martin.fr"
HOLDER_PASSWORD = "Vélo-rouge-sur-la-plage-42"
NEW_PASSWORD = "Un-chat-bleu-dans-le-jardin"
SIGN_IN_TITLE = "Manage your family's e-mail addresses"


def isolated_environment(folder: Path) -> dict[str, str]:
    """The process environment confined to ``folder``, in English, on an 80×24 terminal."""
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("MAILWIZARD_")
    }
    environment.update(
        {
            "MAILWIZARD_CONFIG": str(folder / "config.toml"),
            "MAILWIZARD_DATA_DIR": str(folder / "data"),
            "MAILWIZARD_LANGUAGE": "en",
            "XDG_STATE_HOME": str(folder / "state"),
            "XDG_CACHE_HOME": str(folder / "cache"),
            "LC_ALL": "C.UTF-8",
            "TERM": "xterm-256color",
            "COLUMNS": "80",
            "LINES": "24",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        }
    )
    return environment


def household_environment(name: str) -> dict[str, str]:
    """A fresh folder ``work/NAME`` whose directory holds the Martin household."""
    folder = WORK_FOLDER / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    environment = isolated_environment(folder)
    settings = Settings(data_dir=Path(environment["MAILWIZARD_DATA_DIR"]), language="en")
    services = bootstrap(settings, create_directory=True)
    try:
        services.households.initialise(
            "famille-martin.fr",
            Identity(civility="m", first_name="Jean", last_name="Martin"),
            HOLDER,
            HOLDER_PASSWORD,
            "en",
            "benchmark",
        )
    finally:
        services.close()
    return environment


def write_section(start_mark: str, end_mark: str, figures: str) -> None:
    """Rewrite the part of docs/benchmarks.md between two markers, and nothing else."""
    text = DOCUMENT.read_text()
    before, _, rest = text.partition(start_mark)
    _, _, after = rest.partition(end_mark)
    DOCUMENT.write_text(f"{before}{start_mark}\n{figures}\n{end_mark}{after}")
