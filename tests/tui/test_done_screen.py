"""The Done screen offers the new box's welcome card, saved where the person at the
screen can open it, and says where."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailwizard.config import Settings
from martin_household import HOLDER_PASSWORD, LEA, NEW_PASSWORD
from tui.wizard_driver import (
    AppFactory,
    choose_address,
    click,
    fill_identity,
    fill_password,
    label_text,
    press,
    press_continue,
    settle,
    sign_in,
)


@pytest.fixture
def settings(isolated_environment: dict[str, str], tmp_path: Path) -> Settings:
    return Settings(language="en", cards_folder=tmp_path / "cards")


async def test_the_welcome_card_is_saved_in_the_user_s_language_and_its_path_shown(
    make_app: AppFactory, app_household: str, tmp_path: Path
) -> None:
    """In French, the default being English: the card speaks the interface's language."""
    app = make_app("fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await press(pilot, "w")
        assert not (tmp_path / "cards").exists(), "before a creation there is no card to offer"
        await click(pilot, "#create")
        await fill_identity(pilot)
        await choose_address(pilot, LEA)
        await press_continue(pilot)
        await fill_password(pilot)
        await press_continue(pilot)
        await press_continue(pilot)
        assert "w : sa carte de bienvenue, à imprimer." in label_text(app, "#created-note")
        await pilot.press("w")
        await settle(pilot, 0.5)
        card = tmp_path / "cards" / f"{LEA}.html"
        assert str(card) in label_text(app, "#created-note").replace("\n", "")
    page = card.read_text(encoding="utf-8")
    assert "Votre nouvelle boîte mail" in page
    assert LEA in page
    assert NEW_PASSWORD not in page and HOLDER_PASSWORD not in page
    assert card.stat().st_mode & 0o777 == 0o600
