"""Step 3: who the new address is for — civility, last name, first name."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Input, Label, RadioSet

from mailwizard.domain.models import Civility
from mailwizard.errors import MailwizardError
from mailwizard.i18n import N_, _
from mailwizard.services.provisioning import ProvisioningService
from mailwizard.tui.screens.alias_form import AddAliasScreen
from mailwizard.tui.screens.step import StepScreen
from mailwizard.tui.steps import Backward, Forward, Step
from mailwizard.tui.widgets.field import Field
from mailwizard.tui.widgets.identity_fields import IdentityFields


class IdentityScreen(StepScreen):
    STEP = Step.IDENTITY
    TITLE_TEXT = N_("Who is the new address for?")
    CSS_PATH = "identity.tcss"

    def compose_form(self) -> ComposeResult:
        yield IdentityFields(self.state.identity)
        with Vertical(id="same-person", classes="notice"):
            yield Label("", id="same-person-advice", markup=False)
            yield Button(_("Add an alias to my address instead"), id="alias", compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self._update_advice()
        if self._error is None:
            self.query_one(RadioSet).focus()

    @on(Input.Changed)
    @on(RadioSet.Changed)
    def _update_advice(self) -> None:
        self.keep_answers()
        # The advice depends on the names only: it may show before a civility is chosen.
        names = self.state.identity.model_copy(
            update={"civility": self.state.identity.civility or Civility.NEUTRAL}
        )
        try:
            identity = names.identity()
        except MailwizardError:
            advice = None
        else:
            advice = ProvisioningService.same_person_advice(self.context.holder, identity)
        panel = self.query_one("#same-person")
        panel.display = advice is not None
        if advice is not None:
            self.query_one("#same-person-advice", Label).update(advice.message)

    @on(Button.Pressed, "#alias")
    def _alias(self) -> None:
        """The advice taken: an alias of the holder's own box, and the wizard ends there."""
        context, holder = self.context, self.context.holder

        def added(alias: str | None) -> None:
            if alias is not None:
                message = _("{alias} now delivers into {box}.")
                self.notify(message.format(alias=alias, box=holder.address), markup=False)
                self.dismiss(Backward())

        dialog = AddAliasScreen(context.management, holder, holder.address)
        self.app.push_screen(dialog, added)

    def keep_answers(self) -> None:
        self.query_one(IdentityFields).fill(self.state.identity)

    def proceed(self) -> None:
        self.keep_answers()
        names_valid = [f.check() for f in self.query(Field)]
        try:
            self.state.identity.identity()
        except MailwizardError as error:
            if all(names_valid):
                self.show_error(error)
            return
        self.dismiss(Forward())
