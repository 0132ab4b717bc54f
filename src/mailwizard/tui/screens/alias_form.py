"""Giving a box one more address: an alias that delivers into it, under the same rules
and the same uniqueness as a box's own address."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label

from mailwizard.i18n import _
from mailwizard.tui.screens.box_dialog import BoxDialog
from mailwizard.tui.widgets.error_line import ErrorLine
from mailwizard.tui.widgets.field import Field


class AddAliasScreen(BoxDialog[str]):
    """Says that the alias delivers into the box, and dismisses with it as written."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Add an alias"), classes="screen-title")
            yield Label(
                _("Mail sent to the alias arrives in {box}. It signs in with nothing: "
                  "the box keeps its address and its password.").format(box=self.box),
                classes="hint",
                markup=False,
            )  # fmt: skip
            yield Field(_("Alias"), name="alias", placeholder=_("name or name@domain"))
            yield ErrorLine(id="dialog-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Back"), id="close", compact=True)
                yield Button(_("Add"), id="add", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#alias", Input).focus()

    @on(Button.Pressed, "#add")
    @on(Input.Submitted, "#alias")
    def add(self) -> None:
        management, holder, box = self.management, self.account, self.box
        typed = self.query_one("#alias", Input).value
        origin = self.session.audit_origin
        self.call_service(
            lambda: management.add_alias(holder, box, typed, origin),
            self._added,
            self.show_refusal,
            group="alias",
        )

    def _added(self, alias: str) -> None:
        message = _("{alias} now delivers into {box}.").format(alias=alias, box=self.box)
        self.notify(message, markup=False)
        self.dismiss(alias)
