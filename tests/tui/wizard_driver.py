"""Drives the real app with Textual's Pilot over a real SQLite directory."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, Label, RadioSet
from textual.worker import WorkerCancelled

from mailwizard.tui.app import MailwizardApp
from mailwizard.tui.key_order import KeysInOrderApp
from mailwizard.tui.widgets.strength_meter import StrengthMeter
from mailwizard.word_lists import PackagedWordLists
from martin_household import HOLDER, HOLDER_PASSWORD, NEW_PASSWORD

AppFactory = Callable[..., MailwizardApp]
"""The ``make_app`` fixture: an app on the test's services, in a language, from an origin."""


def notifications(app: App[Any]) -> list[str]:
    """What the notifications shown since the start said."""
    return [str(notification.message) for notification in app._notifications]


async def settle(pilot: Pilot[None], delay: float = 0.0) -> None:
    """Lets timers fire and every worker finish, then lets the screen catch up."""
    if delay:
        await pilot.pause(delay)
    quiet_rounds = 0
    # An answer may start another call (a screen shown, then its password judged): wait
    # until a few rounds in a row find nothing under way, however slow the machine.
    while quiet_rounds < 3:
        under_way = [worker for worker in pilot.app.workers if not worker.is_finished]
        for worker in under_way:
            # A call whose answer closes its own screen is cancelled with that screen
            # while it hands the answer over: its work is done, nothing is left to wait for.
            with suppress(WorkerCancelled):
                await worker.wait()
        await pilot.pause()
        quiet_rounds = 0 if under_way else quiet_rounds + 1


async def press(pilot: Pilot[None], *keys: str) -> None:
    """Presses ``keys``, then lets the app deal with them."""
    await pilot.press(*keys)
    await settle(pilot)


async def click(pilot: Pilot[None], selector: str) -> None:
    """Clicks the widget ``selector`` names, then lets the app deal with the click."""
    await pilot.click(selector)
    await settle(pilot)


NAMED_KEYS = {"\t": "tab", "\r": "enter", "\x1b": "escape"}


def key_event(character: str) -> events.Key:
    """The event a terminal gives the app for ``character``; a key's name ("home",
    "ctrl+k") stands for itself."""
    if len(character) > 1:
        return events.Key(character, None)
    if character in NAMED_KEYS:
        return events.Key(NAMED_KEYS[character], character)
    if character.isalnum():
        return events.Key(character, character)
    name = unicodedata.name(character).lower().replace(" ", "_").replace("-", "_")
    return events.Key(name, character)


async def type_burst(pilot: Pilot[None], *keys: str) -> None:
    """Sends ``keys`` as a terminal does a paste or a quick typist: all at once; returns
    once the app has dealt with every one."""
    app = pilot.app
    for key in keys:
        app.post_message(key_event(key))
    await pilot.pause()
    while isinstance(app, KeysInOrderApp) and app.keys_under_way:
        await pilot.pause()


async def type_into(pilot: Pilot[None], selector: str, text: str) -> None:
    """Types ``text`` key by key in place of what the field held."""
    field = pilot.app.screen.query_one(selector, Input)
    if pilot.app.focused is not field:
        field.focus()
        await pilot.pause()
    if field.value:
        await pilot.press("home", "ctrl+k")
    await type_burst(pilot, *text)


async def type_keys(pilot: Pilot[None], selector: str, text: str) -> None:
    """Empties the field, then types ``text`` in it, its keys sent in one burst."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    await type_burst(pilot, *text)


async def paste_into(pilot: Pilot[None], selector: str, text: str) -> None:
    """Pastes ``text`` into the field: the way characters no key types arrive."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    await pilot.pause()
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


def screen_name(app: App[Any]) -> str:
    return type(app.screen).__name__


def label_text(app: App[Any], selector: str) -> str:
    return str(app.screen.query_one(selector, Label).render())


def field_reason(app: App[Any], field: str) -> str:
    """The reason shown under a field, or "" when it has none."""
    return label_text(app, f"#{field}-field .field-reason")


def continue_enabled(app: App[Any]) -> bool:
    return not app.screen.query_one("#continue", Button).disabled


def suggested_passphrase(app: App[Any], language: str) -> str:
    """The passphrase both password fields hold, checked: in clear, five words or more of
    the language's list, and strong for the meter."""
    password = app.screen.query_one("#password", Input)
    confirmation = app.screen.query_one("#confirmation", Input)
    assert password.value == confirmation.value != ""
    assert not password.password and not confirmation.password
    assert set(password.value.split(" ")) <= set(PackagedWordLists.words(language))
    assert len(password.value.split(" ")) >= 5
    assert app.screen.query_one(StrengthMeter).strength == 4
    return password.value


def box_states(app: App[Any]) -> dict[str, str]:
    """Each box's address and state on the management page, whichever columns the
    table's width leaves."""
    table = app.screen.query_one("#boxes", DataTable)
    return {str(key.value): str(table.get_cell(key, "state")) for key in table.rows}


async def open_box(pilot: Pilot[None], address: str) -> None:
    """Opens ``address`` from the management page's table."""
    table = pilot.app.screen.query_one("#boxes", DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index(address))
    await press(pilot, "enter")


async def sign_in(
    pilot: Pilot[None], address: str = HOLDER, password: str = HOLDER_PASSWORD
) -> None:
    await settle(pilot)
    await type_into(pilot, "#address", address)
    await type_into(pilot, "#password", password)
    await press(pilot, "enter")


async def choose_first_civility(pilot: Pilot[None]) -> None:
    pilot.app.screen.query_one(RadioSet).focus()
    await pilot.press("space")


async def fill_identity(
    pilot: Pilot[None], first_name: str = "Léa", last_name: str = "Martin"
) -> None:
    await choose_first_civility(pilot)
    await type_into(pilot, "#last_name", last_name)
    await type_into(pilot, "#first_name", first_name)
    await click(pilot, "#continue")


async def choose_address(pilot: Pilot[None], address: str | None = None) -> None:
    """Types ``address``, or takes the first proposal when None."""
    if address is not None:
        await type_into(pilot, "#address", address)
    else:
        pilot.app.screen.query_one("#proposals").focus()
        await pilot.press("down")
    await settle(pilot)


async def fill_password(
    pilot: Pilot[None], password: str = NEW_PASSWORD, confirmation: str | None = None,
    accept: bool = True,
) -> None:  # fmt: skip
    await type_into(pilot, "#password", password)
    await type_into(pilot, "#confirmation", password if confirmation is None else confirmation)
    if accept:
        pilot.app.screen.query_one("#accept").focus()
        await pilot.press("space")
    await settle(pilot)


async def press_continue(pilot: Pilot[None]) -> None:
    await click(pilot, "#continue")


async def start_creation(pilot: Pilot[None]) -> None:
    """Signs the holder in and presses "Create an e-mail address"."""
    await sign_in(pilot)
    await click(pilot, "#create")


async def reach_password_step(pilot: Pilot[None], address: str | None = None) -> None:
    await start_creation(pilot)
    await fill_identity(pilot)
    await choose_address(pilot, address)
    await press_continue(pilot)
