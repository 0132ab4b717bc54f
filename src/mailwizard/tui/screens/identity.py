"""Step 3: who the new address is for — civility, last name, first name."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, RadioSet

from mailwizard.domain.access import OriginKind
from mailwizard.errors import MailwizardError
from mailwizard.i18n import N_, _
from mailwizard.services.provisioning import ProvisioningService
from mailwizard.tui.screens.alias_form import AddAliasScreen
from mailwizard.tui.screens.leave_wizard import LeaveWizardScreen
from mailwizard.tui.screens.step import StepScreen
from mailwizard.tui.steps import Backward, Forward, Step
from mailwizard.tui.widgets.error_line import ErrorLine
from mailwizard.tui.widgets.field import Field, all_accepted
from mailwizard.tui.widgets.identity_fields import IdentityFields


class IdentityScreen(StepScreen):
    STEP = Step.IDENTITY
    TITLE_TEXT = N_("Who is the new address for?")
    CSS_PATH = "identity.tcss"
    ANSWERS = ("#civility", "#last_name", "#first_name")
    _advised = False
    _separate_box_chosen = False
    """The holder read the advice to prefer an alias, and wants a box all the same."""

    def compose_form(self) -> ComposeResult:
        yield IdentityFields(self.state.identity)
        with Vertical(id="same-person", classes="notice"):
            yield Label("", id="same-person-advice", markup=False)
            yield ErrorLine(id="same-person-why")
            with Horizontal(id="same-person-choices"):
                yield Button(_("Make an alias instead"), id="make-alias", compact=True)
                yield Button(_("Create a separate box anyway"), id="separate-box", compact=True)

    def on_mount(self) -> None:
        self._update_advice()

    @on(Input.Changed)
    @on(RadioSet.Changed)
    def _update_advice(self) -> None:
        self.keep_answers()
        # The advice depends on the names only: it may show before a civility is chosen.
        identity, holder = self.state.identity.identity_from_names(), self.context.holder
        advice = (
            None if identity is None else ProvisioningService.same_person_advice(holder, identity)
        )
        self._advised = advice is not None
        if not self._advised:
            self._separate_box_chosen = False
            self.query_one("#same-person-why", ErrorLine).show(None)
        self.query_one("#same-person").display = self._advised
        if advice is not None:
            self.query_one("#same-person-advice", Label).update(advice.message)
        self.update_continue()

    def why_not_continue(self) -> str | None:
        if self._advised and not self._separate_box_chosen:
            return _("Answer the advice above first.")
        return None

    @on(Button.Pressed, "#make-alias")
    def _alias(self) -> None:
        """The advice taken: an alias of the holder's own box, and the wizard ends there."""
        context, holder = self.context, self.context.holder

        def added(alias: str | None) -> None:
            if alias is not None:
                self.dismiss(Backward())

        dialog = AddAliasScreen(context.management, holder, holder.address)
        self.app.push_screen(dialog, added)

    @on(Button.Pressed, "#separate-box")
    def _separate_box(self) -> None:
        self._separate_box_chosen = True
        self.update_continue()
        self.proceed()

    def action_back(self) -> None:
        """Back from here leaves the wizard: what was typed is lost, so ask first (a kiosk
        forgets without asking: the next passer-by must not find it)."""
        self.keep_answers()
        shared_screen = self.context.origin.kind in (OriginKind.KIOSK, OriginKind.WEB)
        if shared_screen or not self.holds_answers():
            super().action_back()
            return

        def answered(leave: bool | None) -> None:
            if leave:
                super(IdentityScreen, self).action_back()

        self.app.push_screen(LeaveWizardScreen(_("Leave the wizard?")), answered)

    def keep_answers(self) -> None:
        self.query_one(IdentityFields).fill(self.state.identity)

    def proceed(self) -> None:
        self.keep_answers()
        names_valid = all_accepted(self.query(Field))
        try:
            self.state.identity.identity()
        except MailwizardError as error:
            if names_valid:
                self.show_refusal(error)
            return
        if self._advised and not self._separate_box_chosen:
            self.query_one("#same-person-why", ErrorLine).show(
                _("Choose: an alias of your own address, or a separate box.")
            )
            self.query_one("#make-alias").focus()
            return
        self.dismiss(Forward())
