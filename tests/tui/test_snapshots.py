"""Pictures of every screen and error state at 80×24, in English and in French.

After a deliberate change of the screens: ``uv run pytest tests/tui/test_snapshots.py
--snapshot-update``, look at the new pictures, and commit them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import null

from tui.scenes import SCENES, SIZE, Scene, scene_app


@pytest.fixture(autouse=True)
def null_keyring_afterwards() -> Iterator[None]:
    """Scenes install a keyring for the whole process; the next test gets the default."""
    yield
    keyring.set_keyring(null.Keyring())  # type: ignore[no-untyped-call]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("scene", SCENES, ids=[scene.name for scene in SCENES])
def test_screen_looks_as_approved(
    scene: Scene,
    language: str,
    tmp_path: Path,
    isolated_environment: dict[str, str],
    snap_compare: Callable[..., bool],
) -> None:
    app = scene_app(scene, language, tmp_path / "data")
    assert snap_compare(app, terminal_size=SIZE, run_before=scene.play)
