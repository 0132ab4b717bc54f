"""The management page's operations through the real app: a box's aliases, a new
password, suspension and deletion, the activity, and what a secondary user may do."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert
from textual.widgets import Button, DataTable, ListView

from mailwizard.backends import schema
from mailwizard.bootstrap import Services
from mailwizard.errors import SignInFailed
from mailwizard.tui.app import MailwizardApp
from martin_household import HOLDER, HOLDER_PASSWORD, LEA, NEW_PASSWORD, box_request
from tui.wizard_driver import (
    AppFactory,
    box_states,
    click,
    field_reason,
    label_text,
    notifications,
    open_box,
    press,
    screen_name,
    settle,
    sign_in,
    suggested_passphrase,
    type_into,
)

OTHER_PASSWORD = "Trois-poissons-rouges-au-salon"


@pytest.fixture
def lea(app_household: str, app_services: Services) -> str:
    holder = app_services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    app_services.provisioning.commit(holder, box_request(LEA, "Léa", "Martin"), "test")
    return LEA


def aliases_shown(app: MailwizardApp) -> list[str]:
    return [item.name or "" for item in app.screen.query_one("#aliases", ListView).children]


async def test_the_holder_adds_and_removes_aliases_of_a_box(
    lea: str, app_services: Services, make_app: AppFactory
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await open_box(pilot, lea)
        assert screen_name(app) == "BoxScreen"
        assert "No alias yet." in label_text(app, "#no-alias")

        await press(pilot, "a")
        assert screen_name(app) == "AddAliasScreen"
        await type_into(pilot, "#alias", HOLDER)
        await press(pilot, "enter")
        assert field_reason(app, "alias") == f"{HOLDER} is already taken."
        await type_into(pilot, "#alias", "Lea")
        await press(pilot, "enter")

        assert screen_name(app) == "BoxScreen"
        assert aliases_shown(app) == ["lea@famille-martin.fr"]
        assert f"lea@famille-martin.fr now delivers into {lea}." in notifications(app)
        await click(pilot, "#remove-alias")
        assert aliases_shown(app) == []
        await press(pilot, "escape")
        assert screen_name(app) == "ManagementScreen"
    assert app_services.households.overview(HOLDER).box(lea).aliases == ()  # type: ignore[union-attr]


async def test_the_holder_gives_a_box_a_new_password_under_the_policy_or_a_suggested_one(
    lea: str, app_services: Services, make_app: AppFactory
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await open_box(pilot, lea)
        await press(pilot, "p")
        assert screen_name(app) == "NewPasswordScreen"
        await type_into(pilot, "#password", "lea.martin")
        await type_into(pilot, "#confirmation", "lea.martin")
        await settle(pilot)
        assert field_reason(app, "password") != ""
        assert app.screen.query_one("#change", Button).disabled
        await pilot.press("ctrl+g")
        await settle(pilot, 0.5)
        chosen = suggested_passphrase(app, "en")
        assert not app.screen.query_one("#change", Button).disabled
        await click(pilot, "#change")
        assert screen_name(app) == "BoxScreen"
        assert f"The password of {lea} is changed." in notifications(app)
    assert app_services.signin.sign_in(lea, chosen, "test").address == lea
    with pytest.raises(SignInFailed):
        app_services.signin.sign_in(lea, NEW_PASSWORD, "test")


async def test_the_holder_suspends_reactivates_and_deletes_a_box(
    lea: str, app_services: Services, make_app: AppFactory
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await open_box(pilot, lea)
        await click(pilot, "#suspend")
        assert str(app.screen.query_one("#suspend", Button).label) == "Reactivate"
        await press(pilot, "escape")
        assert box_states(app)[lea] == "suspended"
        with pytest.raises(SignInFailed):
            app_services.signin.sign_in(lea, NEW_PASSWORD, "test")

        await open_box(pilot, lea)
        await click(pilot, "#suspend")
        await click(pilot, "#delete")
        assert screen_name(app) == "DeleteBoxScreen"
        delete = app.screen.query_one("#delete", Button)
        await type_into(pilot, "#confirmation", "lea.martin@famille")
        assert delete.disabled, "only the whole address unlocks the button"
        await type_into(pilot, "#confirmation", lea.upper())
        assert not delete.disabled
        await click(pilot, "#delete")

        assert screen_name(app) == "ManagementScreen"
        assert notifications(app)[-1].startswith(f"{lea} is deleted; its mail is kept until ")
        assert box_states(app)[lea] == "deleted"
        until = app.screen.query_one("#boxes", DataTable).get_cell(lea, "until")
        assert f"kept until {until}." in notifications(app)[-1]
        assert "9 of 9" in label_text(app, "#remaining")
        assert f"deleted {lea}" in label_text(app, "#recent-activity")
        await open_box(pilot, lea)
        assert screen_name(app) == "ManagementScreen", "a deleted box has nothing to open"
        await open_box(pilot, HOLDER)
        assert screen_name(app) == "BoxScreen"
        assert not app.screen.query("#delete"), "the primary box cannot be deleted"
    overview = app_services.households.overview(HOLDER)
    assert overview.secondary == () and [box.address for box in overview.deleted] == [lea]


async def test_a_secondary_user_sees_only_their_box_and_changes_its_password(
    lea: str, app_services: Services, make_app: AppFactory
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, lea, NEW_PASSWORD)
        assert screen_name(app) == "OwnBoxScreen"
        assert not app.screen.query(DataTable), "no other box is shown"
        await press(pilot, "p")
        await type_into(pilot, "#current", "not my password")
        await type_into(pilot, "#password", OTHER_PASSWORD)
        await type_into(pilot, "#confirmation", OTHER_PASSWORD)
        await settle(pilot)
        await click(pilot, "#change")
        assert field_reason(app, "current") == "The address or the password is incorrect."
        await type_into(pilot, "#current", NEW_PASSWORD)
        await settle(pilot)
        await click(pilot, "#change")
        assert screen_name(app) == "OwnBoxScreen"
        assert "Your password is changed." in notifications(app)
    assert app_services.signin.sign_in(lea, OTHER_PASSWORD, "test").address == lea


async def test_the_activity_lists_every_entry_newest_first_with_its_controls_escaped(
    lea: str, app_services: Services, make_app: AppFactory
) -> None:
    """The last line was written by someone else (an older version, a hand-made row) and
    holds escape sequences: the page's recent activity and the activity screen write
    them out."""
    holder = app_services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    app_services.management.add_alias(holder, lea, "lea", "test")
    escapes = "\x1b[2J\x1b]0;owned\x07\x9b31m\u202e"
    row = {
        "at": datetime.now(UTC),
        "household_id": holder.household_id,
        "actor": f"eve{escapes}@famille-martin.fr",
        "origin": f"terminal, ssh {escapes}\r\nforged",
        "action": "alias.added",
        "target": f"x{escapes}",
    }
    with app_services.engine.begin() as connection:
        connection.execute(insert(schema.audit_log).values(row))
    shown = "\\x1b[2J\\x1b]0;owned\\x07\\x9b31m\\u202e"
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        recent = label_text(app, "#recent-activity")
        assert f"added the alias x{shown}" in recent
        assert f"(terminal, ssh {shown}\\x0d\\x0aforged)" in recent
        assert all(line.isprintable() for line in recent.splitlines())
        await press(pilot, "l")
        assert screen_name(app) == "ActivityScreen"
        table = app.screen.query_one(DataTable)
        lines = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert lines[0][1:] == [
            f"added the alias x{shown}",
            f"eve{shown}@famille-martin.fr",
            f"terminal, ssh {shown}\\x0d\\x0aforged",
        ]
        assert [line[1] for line in lines[1:]] == [
            "added the alias lea@famille-martin.fr",
            f"created {lea}",
            f"household created with {HOLDER}",
        ]


@pytest.mark.parametrize(
    ("language", "what", "who"),
    [
        ("en", "failed attempt to sign in to {lea}", "someone not signed in"),
        ("fr", "tentative de connexion à {lea} échouée", "une personne non connectée"),
    ],
)
async def test_a_failed_sign_in_is_shown_as_an_attempt_on_the_address_not_by_its_holder(
    lea: str, make_app: AppFactory, language: str, what: str, who: str
) -> None:
    app = make_app(language)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, lea, "not the password")
        await sign_in(pilot)
        await press(pilot, "l")
        table = app.screen.query_one(DataTable)
        newest = [str(cell) for cell in table.get_row_at(0)]
        assert newest[1:3] == [what.format(lea=lea), who]
