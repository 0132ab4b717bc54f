"""Deleting a secondary box: the holder types its address, so that no box goes by a slip
of a key, and is told what happens to its mail and its address."""

from __future__ import annotations

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label

from mailwizard.domain.management import check_deletion_confirmation
from mailwizard.errors import MailwizardError
from mailwizard.i18n import _
from mailwizard.services.management import Deletion, ManagementService
from mailwizard.services.signin import SignedIn
from mailwizard.tui.screens.box_dialog import BoxDialog
from mailwizard.tui.widgets.error_line import ErrorLine
from mailwizard.tui.widgets.field import Field


class DeleteBoxScreen(BoxDialog[datetime]):
    """Says until when the mail is kept, and dismisses with that date, once the box is
    deleted."""

    def __init__(
        self, management: ManagementService, holder: SignedIn, box: str, keep_days: int
    ) -> None:
        super().__init__(management, holder, box)
        self._keep_days = keep_days

    def compose(self) -> ComposeResult:
        days = self._keep_days
        with Vertical(classes="dialog danger"):
            yield Label(_("Delete {box}").format(box=self.box), classes="screen-title",
                        markup=False)  # fmt: skip
            yield Label(
                _(
                    "Nobody will be able to sign in to it, and it will receive no more mail. "
                    "Its aliases are removed. Its mail is kept for {days} days, then erased; "
                    "only then can the address be given again. You and its user will both "
                    "receive an e-mail."
                ).format(days=days),
                classes="hint",
            )
            yield Field(_("Type the address"), name="confirmation", placeholder=self.box)
            yield ErrorLine(id="dialog-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Back"), id="close", compact=True)
                yield Button(_("Delete the box"), id="delete", variant="error", compact=True)

    def on_mount(self) -> None:
        self.query_one("#delete", Button).disabled = True
        self.query_one("#confirmation", Input).focus()

    @on(Input.Changed, "#confirmation")
    def _allow_when_typed(self) -> None:
        typed = self.query_one("#confirmation", Input).value
        refusal = check_deletion_confirmation(typed, self.box)
        self.query_one("#delete", Button).disabled = refusal is not None

    @on(Button.Pressed, "#delete")
    @on(Input.Submitted, "#confirmation")
    def delete(self) -> None:
        management, holder, box = self.management, self.account, self.box
        typed = self.query_one("#confirmation", Input).value
        origin = self.session.audit_origin

        def delete() -> Deletion:
            return management.delete(holder, box, typed, origin)

        self.query_one("#delete", Button).disabled = True
        self.call_service(delete, self._deleted, self._refused, group="delete")

    def _deleted(self, deletion: Deletion) -> None:
        kept = _("{box} is deleted; its mail is kept until {date}.").format(
            box=self.box, date=deletion.purge_after.strftime("%Y-%m-%d")
        )
        self.notify(kept, markup=False)
        self.dismiss(deletion.purge_after)

    def _refused(self, error: MailwizardError) -> None:
        self.show_refusal(error)
        self._allow_when_typed()
