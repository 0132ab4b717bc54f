"""Draws every screen of the wizard, in English and French, into this folder as SVG.

Run from the repository root: ``uv run python screenshots/generate.py``. The scenes are
the ones the snapshot tests check (tests/tui/scenes.py), on a throwaway directory.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path[:0] = [str(HERE.parent / "tests"), str(HERE.parent / "tests" / "tui")]

from mailwizard.tui.screens.address import AddressScreen  # noqa: E402
from mailwizard.tui.widgets.password_pair import PasswordPair  # noqa: E402
from scenes import SCENES, SIZE, Scene, scene_app  # noqa: E402

LANGUAGES = ("en", "fr")


async def draw(scene: Scene, language: str, workspace: Path) -> Path:
    app = scene_app(scene, language, workspace / f"{scene.name}-{language}")
    async with app.run_test(size=SIZE) as pilot:
        await scene.play(pilot)
        name = f"{scene.name}-{language}.svg"
        app.save_screenshot(filename=name, path=str(HERE))
    return HERE / name


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        workspace = Path(folder)
        # Keep the user's own settings, data and logs out of the pictures.
        os.environ.update(
            MAILWIZARD_CONFIG=str(workspace / "config.toml"),
            XDG_STATE_HOME=str(workspace / "state"),
            PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
            TZ="UTC",
        )
        time.tzset()
        # The scenes type at once and take the picture when the answers are judged, as
        # the snapshot tests do: no pause in typing to wait for.
        AddressScreen.CHECK_DELAY_SECONDS = 0
        PasswordPair.ASSESS_DELAY_SECONDS = 0
        for scene in SCENES:
            for language in LANGUAGES:
                print(asyncio.run(draw(scene, language, workspace)).name)


if __name__ == "__main__":
    main()
