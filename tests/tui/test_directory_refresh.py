"""An open management page follows what another process changes in the directory, and
stays still (no reload, nothing read) while nothing changes."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from textual.geometry import Offset
from textual.pilot import Pilot
from textual.widgets import Button, DataTable

from both_engines import on_both_engines  # noqa: F401 - every test here runs on both engines
from cli_harness import Cli, Outcome, write_answers
from mailwizard.bootstrap import Services
from mailwizard.tui.app import MailwizardApp
from martin_household import CREATE_ENV, HOLDER, HOLDER_PASSWORD, OWNER_ENV, box_request
from tui.wizard_driver import AppFactory, box_states, screen_name, settle, sign_in

SHOWN_WITHIN_SECONDS = 3.0
"""From the end of the other process to the page showing its change."""
FIRST_NAMES = ("Léa", "Hugo", "Emma", "Louis", "Jade", "Arthur", "Chloé")


@pytest.fixture
def family(app_household: str, app_services: Services) -> list[str]:
    """Seven secondary boxes: with the primary, more rows than a small page shows at once."""
    holder = app_services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    addresses = []
    for first_name in FIRST_NAMES:
        address = f"{first_name.lower().replace('é', 'e')}.martin@famille-martin.fr"
        app_services.provisioning.commit(holder, box_request(address, first_name, "Martin"), "test")
        addresses.append(address)
    return addresses


@pytest.fixture
def statements(app_services: Services) -> Iterator[list[str]]:
    """Every statement the app sends to the directory through its engine."""
    sent: list[str] = []

    def record(*arguments: Any) -> None:
        sent.append(str(arguments[2]))

    event.listen(app_services.engine, "before_cursor_execute", record)
    yield sent
    event.remove(app_services.engine, "before_cursor_execute", record)


def kept_in_view(table: DataTable[Any], scrolled: Offset, height: int) -> bool:
    """The table scrolled no more than it must to keep the selected row in view: the new
    activity line above it may take one of its lines."""
    return table.scroll_offset.x == scrolled.x and 0 <= (table.scroll_offset.y - scrolled.y) <= max(
        0, height - table.size.height
    )


def selected(app: MailwizardApp) -> str:
    table = app.screen.query_one("#boxes", DataTable)
    return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)


async def another_process(*args: str, env: dict[str, str] | None = None) -> Outcome:
    """The real command line, in a process of its own; the app keeps running meanwhile."""
    outcome = await asyncio.to_thread(Cli.process, *args, env=env)
    assert outcome.exit_code == 0, outcome.stderr
    return outcome


async def shown_soon(pilot: Pilot[None], seen: Callable[[dict[str, str]], bool]) -> None:
    """Waits until the page shows what ``seen`` looks for, SHOWN_WITHIN_SECONDS at most."""
    started = time.monotonic()
    while not seen(box_states(pilot.app)):
        elapsed = time.monotonic() - started
        assert elapsed < SHOWN_WITHIN_SECONDS, f"not shown in time: {box_states(pilot.app)}"
        await pilot.pause(0.05)


async def test_changes_from_the_command_line_appear_on_the_open_page_where_it_was_left(
    family: list[str], app_services: Services, make_app: AppFactory, answers_dir: Path
) -> None:
    lea, hugo, *_, chloe = family
    # Suspended from the start, so that the table is as wide as it gets before a change.
    holder = app_services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    app_services.management.set_active(holder, hugo, False, "test")
    app = make_app()
    async with app.run_test(size=(80, 18)) as pilot:
        await sign_in(pilot)
        assert screen_name(app) == "ManagementScreen"
        table = app.screen.query_one("#boxes", DataTable)
        table.move_cursor(row=table.get_row_index(chloe))
        await settle(pilot)
        scrolled, height = table.scroll_offset, table.size.height
        assert scrolled.y > 0, "the page is small enough that the table scrolls"
        assert app.focused is table

        path = write_answers(answers_dir / "zoe.toml", first_name="Zoé", address="zoe.martin")
        await another_process("create", "--answers", str(path), env=CREATE_ENV)
        await shown_soon(pilot, lambda shown: "zoe.martin@famille-martin.fr" in shown)
        assert "1 of 9" in str(app.screen.query_one("#remaining").render())
        assert selected(app) == chloe and kept_in_view(table, scrolled, height)

        await another_process("accounts", "delete", "--owner", HOLDER, "--confirm", lea, lea,
                              env=OWNER_ENV)  # fmt: skip
        await shown_soon(pilot, lambda shown: shown[lea] == "deleted")
        assert selected(app) == chloe and kept_in_view(table, scrolled, height)

        await another_process("accounts", "resume", "--owner", HOLDER, hugo, env=OWNER_ENV)
        await shown_soon(pilot, lambda shown: shown[hugo] == "secondary")
        assert selected(app) == chloe, "the selection stays on the same box"
        assert kept_in_view(table, scrolled, height), "and the table where it was scrolled"
        assert app.focused is table
        assert screen_name(app) == "ManagementScreen"


async def test_a_refresh_keeps_the_focus_on_a_button(
    family: list[str], make_app: AppFactory
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        signing_out = app.screen.query_one("#sign-out", Button)
        signing_out.focus()
        await another_process("accounts", "suspend", "--owner", HOLDER, family[0], env=OWNER_ENV)
        await shown_soon(pilot, lambda shown: shown[family[0]] == "suspended")
        await settle(pilot)
        assert app.focused is signing_out


async def test_nothing_is_read_while_nothing_changes(
    app_household: str, make_app: AppFactory, statements: list[str], directory_engine: str
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        assert screen_name(app) == "ManagementScreen"
        await settle(pilot, 0.5)
        statements.clear()
        await settle(pilot, 2.0)
        assert statements == [], "the page reloaded though nothing changed"

        await another_process("accounts", "list", "--owner", HOLDER)
        await another_process("outbox", "flush")
        await settle(pilot, 1.0)
        if directory_engine == "postgresql":
            assert statements == [], "processes that only read changed nothing"
        # On SQLite, a process that leaves empties the write-ahead log, which moves
        # data_version as a commit would: the page reads once more, finds the same.
        statements.clear()

        await another_process("contract", "suspend", "--owner", HOLDER)
        started = time.monotonic()
        while "suspended" not in str(app.screen.query_one("#remaining").render()):
            assert time.monotonic() - started < SHOWN_WITHIN_SECONDS
            await pilot.pause(0.05)
        assert statements, "the change was read through the app's own engine"


def test_a_cancelled_subscription_lets_go_of_its_connection_at_once(
    app_household: str, app_services: Services
) -> None:
    heard = threading.Event()
    subscription = app_services.watch.subscribe(heard.set)
    holder = app_services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    app_services.provisioning.commit(holder, box_request("lea.martin@famille-martin.fr"), "test")
    assert heard.wait(SHOWN_WITHIN_SECONDS), "a commit on another connection is heard"

    started = time.monotonic()
    subscription.cancel()
    subscription.join()
    assert time.monotonic() - started < 0.2
