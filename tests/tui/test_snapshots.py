"""Pictures of every screen and error state at 80×24, and of those laid out otherwise
in a small terminal at 60×20, in English and in French.

After a deliberate change of the screens: ``uv run pytest tests/tui/test_snapshots.py
--snapshot-update``, look at the new pictures, and commit them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import null

from tui.scenes import SCENES, SIZE, SMALL_SCENES, SMALL_SIZE, Scene, scene_app

PICTURES = [(scene, SIZE) for scene in SCENES] + [(scene, SMALL_SIZE) for scene in SMALL_SCENES]
PICTURE_NAMES = [scene.name for scene in SCENES] + [f"{s.name}-60x20" for s in SMALL_SCENES]


@pytest.fixture(autouse=True)
def null_keyring_afterwards() -> Iterator[None]:
    """Scenes install a keyring for the whole process; the next test gets the default."""
    yield
    keyring.set_keyring(null.Keyring())  # type: ignore[no-untyped-call]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(("scene", "size"), PICTURES, ids=PICTURE_NAMES)
def test_screen_looks_as_approved(
    scene: Scene,
    size: tuple[int, int],
    language: str,
    tmp_path: Path,
    isolated_environment: dict[str, str],
    snap_compare: Callable[..., bool],
) -> None:
    app = scene_app(scene, language, tmp_path / "data")
    assert snap_compare(app, terminal_size=size, run_before=scene.play)
