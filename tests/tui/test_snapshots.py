"""Pictures of every screen and error state at 80×24 in French, whose words are the
longest (so the first to wrap or be cut), and of the main screens in English too; and of
the screens laid out otherwise in a small terminal at 60×20, in French.

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

ENGLISH_TOO = frozenset(
    {
        "first-run",
        "sign-in",
        "management",
        "identity",
        "address",
        "password",
        "review",
        "created",
        "box",
        "activate",
    }
)
"""The screens of the README's walk through the wizard: pictured in English as well."""

PICTURES = [
    pytest.param(scene, SIZE, language, id=f"{scene.name}-{language}")
    for scene in SCENES
    for language in (("en", "fr") if scene.name in ENGLISH_TOO else ("fr",))
] + [pytest.param(scene, SMALL_SIZE, "fr", id=f"{scene.name}-60x20-fr") for scene in SMALL_SCENES]


@pytest.fixture(autouse=True)
def null_keyring_afterwards() -> Iterator[None]:
    """Scenes install a keyring for the whole process; the next test gets the default."""
    yield
    keyring.set_keyring(null.Keyring())  # type: ignore[no-untyped-call]


@pytest.mark.parametrize(("scene", "size", "language"), PICTURES)
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
