"""A screen follows the terminal when its size changes."""

from __future__ import annotations

import pytest
from textual.geometry import Size
from textual.widgets import Input

from tui.wizard_driver import AppFactory, reach_password_step, settle


@pytest.mark.usefixtures("app_household")
async def test_a_wizard_step_is_laid_out_again_when_the_terminal_grows(
    make_app: AppFactory,
) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await reach_password_step(pilot)
        password = pilot.app.screen.query_one("#password", Input)
        width_before = password.region.width

        await pilot.resize_terminal(110, 30)
        await settle(pilot)

        assert pilot.app.screen.outer_size == Size(110, 30)
        assert password.region.width > width_before
