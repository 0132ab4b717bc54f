"""A terminal of 60 columns by 20 lines: what a person needs is on screen, not cut off."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.binding import Binding
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, RadioButton
from textual.widgets._footer import FooterKey

from mailwizard.bootstrap import Services
from mailwizard.services.signin import SignedIn
from mailwizard.tui.app import MailwizardApp
from mailwizard.tui.screens.management import ManagementScreen
from martin_household import DOMAIN, HOLDER, HOLDER_PASSWORD, awaiting_request, box_request
from memory_keyring import MemoryKeyring
from tui.wizard_driver import (
    choose_address,
    fill_identity,
    fill_password,
    press_continue,
    screen_name,
    settle,
    sign_in,
    type_burst,
)

AppFactory = Callable[..., MailwizardApp]
SMALL = (60, 20)
STATE_WORDS = {
    "en": ["primary", "secondary", "suspended", "to activate", "deleted"],
    "fr": ["principale", "secondaire", "suspendue", "à activer", "supprimée"],
}
CHILDREN = ["Léa", "Hugo", "Chloé", "Louis", "Inès", "Jules", "Arthur"]


def wholly_on_screen(widget: Widget) -> bool:
    """Every cell of ``widget`` lies inside the terminal, inside what its parents show."""
    holder = widget.parent
    assert isinstance(holder, Widget)
    shown = widget.region.intersection(holder.scrollable_content_region)
    return (
        widget.display
        and widget.region.area > 0
        and widget.screen.region.contains_region(widget.region)
        and shown == widget.region
    )


async def type_keys(pilot: Pilot[None], text: str) -> None:
    await type_burst(pilot, *text)


def fill_the_household(services: Services, first_names: list[str]) -> SignedIn:
    holder = services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    for first_name in first_names:
        address = services.provisioning.suggest(holder, first_name, "Martin")[0]
        services.provisioning.commit(holder, box_request(address, first_name, "Martin"), "test")
    return holder


async def review_a_box_for_yvonne(pilot: Pilot[None]) -> None:
    """Signs in, starts the wizard with its key, and answers every step up to the review."""
    await sign_in(pilot)
    await pilot.press("c")
    await settle(pilot)
    await fill_identity(pilot, "Yvonne", "Martin")
    await choose_address(pilot)
    await press_continue(pilot)
    await fill_password(pilot)
    await press_continue(pilot)
    assert screen_name(pilot.app) == "ReviewScreen"


@pytest.mark.parametrize("language", ["en", "fr"])
async def test_at_60_by_20_the_sign_in_card_fits_and_its_button_signs_in(
    app_household: str, memory_keyring: MemoryKeyring, make_app: AppFactory, language: str
) -> None:
    app = make_app(language)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        card = app.screen.query_one("#sign-in-box")
        assert card.region.right <= SMALL[0], "the card is wider than the terminal"
        remember = app.screen.query_one("#remember")
        button = app.screen.query_one("#sign-in", Button)
        assert wholly_on_screen(remember) and wholly_on_screen(button)

        app.screen.query_one("#address", Input).focus()
        await type_keys(pilot, HOLDER)
        await pilot.press("tab")
        await type_keys(pilot, HOLDER_PASSWORD)
        for _ in range(4):
            if app.focused is button:
                break
            await pilot.press("tab")
        assert app.focused is button, "Tab never reaches the sign-in button"
        await pilot.press("enter")
        await settle(pilot)
        assert screen_name(app) == "ManagementScreen"


async def test_at_60_by_20_without_a_secure_keyring_the_notice_is_whole(
    app_household: str, make_app: AppFactory
) -> None:
    async with make_app().run_test(size=SMALL) as pilot:
        await settle(pilot)
        notice = pilot.app.screen.query_one("#remember-unavailable")
        assert wholly_on_screen(notice)
        assert wholly_on_screen(pilot.app.screen.query_one("#sign-in"))


async def test_at_60_by_20_the_box_just_created_is_in_view_below_the_others(
    app_household: str, app_services: Services, make_app: AppFactory
) -> None:
    """The last child's box awaits its activation: beside its state, until when."""
    holder = fill_the_household(app_services, CHILDREN[:-1])
    awaiting = f"arthur.martin@{DOMAIN}"
    created = app_services.provisioning.commit(holder, awaiting_request(awaiting, "Arthur"), "t")
    assert created.activation is not None
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await review_a_box_for_yvonne(pilot)
        await press_continue(pilot)
        await settle(pilot)

        assert screen_name(app) == "ManagementScreen"
        table = app.screen.query_one("#boxes", DataTable)
        assert table.row_count == len(CHILDREN) + 2
        new_row = table.get_row_index("yvonne.martin@famille-martin.fr")
        assert table.cursor_row == new_row
        rows_shown = table.scrollable_content_region.height - table.header_height
        assert new_row >= rows_shown, "a row the table would not show before scrolling"
        line = table.region.y + table.header_height + new_row - round(table.scroll_y)
        buttons = app.screen.query_one(".button-bar")
        assert table.region.y + table.header_height <= line < table.region.bottom
        assert 0 <= line < buttons.region.y, "the row is hidden behind the buttons"
        assert str(table.get_cell(awaiting, "state")) == "to activate"
        until = created.activation.expires_at.astimezone().strftime("%Y-%m-%d")
        assert str(table.get_cell(awaiting, "until")) == until


async def test_at_100_columns_a_refusal_on_the_review_wraps_instead_of_being_cut(
    app_household: str, app_services: Services, make_app: AppFactory
) -> None:
    """The last free slot is taken from elsewhere while the holder reviews: the French
    reason is longer than the line and must be read whole."""
    holder = fill_the_household(app_services, [*CHILDREN, "Zoé"])
    app = make_app("fr")
    async with app.run_test(size=(100, 24)) as pilot:
        await review_a_box_for_yvonne(pilot)
        app_services.provisioning.commit(
            holder, box_request(f"manon.martin@{DOMAIN}", "Manon"), "t"
        )
        await press_continue(pilot)

        reason = app.screen.query_one("#step-error")
        assert "supprimez-en une avant d'en créer une autre" in str(reason.render())
        assert wholly_on_screen(reason)
        assert reason.region.height >= 2, "the reason wraps onto a second line"


async def test_the_titles_of_the_first_run_are_whole_once_the_terminal_narrows(
    make_app: AppFactory,
) -> None:
    async with make_app("fr").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert screen_name(pilot.app) == "FirstRunScreen"
        await pilot.resize_terminal(*SMALL)
        await settle(pilot)
        titles = list(pilot.app.screen.query(RadioButton))
        assert [str(title.label) for title in titles] == ["Madame", "Monsieur", "Neutre"]
        for title in titles:
            whole = title.get_content_width(pilot.app.size, pilot.app.size)
            assert title.region.width >= whole, f"{title.label} is cut"
            assert wholly_on_screen(title)


@pytest.mark.parametrize("language", ["en", "fr"])
async def test_at_60_columns_the_management_page_names_every_action_and_needs_no_sideways_scroll(
    app_household: str, app_services: Services, make_app: AppFactory, language: str
) -> None:
    holder = app_services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    long_address = f"helene.muller-stastna@{DOMAIN}"
    request = box_request(long_address, "Hélène", "Müller-Šťastná")
    app_services.provisioning.commit(holder, request, "test")
    suspended, awaiting, deleted = (f"{name}.martin@{DOMAIN}" for name in ("lea", "chloe", "hugo"))
    for address in (suspended, deleted):
        app_services.provisioning.commit(holder, box_request(address), "test")
    app_services.provisioning.commit(holder, awaiting_request(awaiting), "test")
    app_services.management.set_active(holder, suspended, False, "test")
    app_services.management.delete(holder, deleted, deleted, "test")
    app = make_app(language)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.resize_terminal(*SMALL)
        await settle(pilot)
        page = app.screen
        assert isinstance(page, ManagementScreen)

        keys = [key for key in page.query(FooterKey) if wholly_on_screen(key)]
        assert len(keys) == len(page.query(FooterKey)), "a key of the footer is cut"
        buttons = [button for button in page.query(Button) if wholly_on_screen(button)]
        named = {key.action for key in keys} | {
            str(button.id).replace("-", "_") for button in buttons
        }
        actions = {
            bound.action for bound in ManagementScreen.BINDINGS if isinstance(bound, Binding)
        }
        assert actions - {"welcome_card"} | {"quit"} <= named, (
            "an action neither key nor button names"
        )

        table = page.query_one("#boxes", DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width, "scrolls sideways"
        assert str(table.get_cell(long_address, "address")) == long_address
        states = {str(key.value): str(table.get_cell(key, "state")) for key in table.rows}
        assert states == dict(
            zip(
                [HOLDER, long_address, suspended, awaiting, deleted],
                STATE_WORDS[language],
                strict=True,
            )
        ), "a state is cut"
