"""A box created through the terminal UI signs in over IMAP at a real Dovecot."""

from __future__ import annotations

from dovecot_server import Dovecot
from martin_household import NEW_PASSWORD
from tui.wizard_driver import (
    AppFactory,
    fill_password,
    press_continue,
    reach_password_step,
    screen_name,
)


async def test_the_box_made_in_the_wizard_signs_in(
    app_household: str, make_app: AppFactory, dovecot: Dovecot
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await reach_password_step(pilot, "lea.martin")
        await fill_password(pilot)
        await press_continue(pilot)
        await press_continue(pilot)
        assert screen_name(app) == "ManagementScreen"
    assert dovecot.login("lea.martin@famille-martin.fr", NEW_PASSWORD)
    assert not dovecot.login("lea.martin@famille-martin.fr", NEW_PASSWORD + "!")
