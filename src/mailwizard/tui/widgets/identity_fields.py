"""Civility, last name and first name: asked at the first run and at step 3."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import RadioButton

from mailwizard.domain.models import Civility
from mailwizard.domain.names import check_name
from mailwizard.domain.wizard import IdentityDraft
from mailwizard.i18n import N_, _
from mailwizard.tui.widgets.choices import ChoiceSet
from mailwizard.tui.widgets.field import CaptionedControl, Field

CIVILITY_CAPTIONS = {
    Civility.MADAME: N_("Ms"),
    Civility.MONSIEUR: N_("Mr"),
    Civility.NEUTRAL: N_("Mx"),
}
"""The titles an English form offers; French shows Madame, Monsieur, Neutre. "Ms", not
"Mrs": like Madame, it says nothing of marriage."""


class IdentityFields(Vertical):
    DEFAULT_CSS = """
    IdentityFields {
        height: auto;
    }
    IdentityFields RadioSet {
        layout: horizontal;
        width: 1fr;
        height: auto;
        border: none;
        padding: 0;
    }
    IdentityFields RadioButton {
        width: auto;
        margin-right: 2;
    }
    """

    def __init__(self, draft: IdentityDraft) -> None:
        super().__init__()
        self._draft = draft

    def compose(self) -> ComposeResult:
        choices = [
            RadioButton(_(caption), value=self._draft.civility is civility, name=civility.value)
            for civility, caption in CIVILITY_CAPTIONS.items()
        ]
        civilities = ChoiceSet(*choices, id="civility", compact=True)
        yield CaptionedControl(_("Title"), civilities, name="civility")
        yield Field(_("Last name"), name="last_name", value=self._draft.last_name,
                    max_length=64, rule=check_name)  # fmt: skip
        yield Field(_("First name"), name="first_name", value=self._draft.first_name,
                    max_length=64, rule=check_name)  # fmt: skip

    def on_radio_set_changed(self, event: ChoiceSet.Changed) -> None:
        self.query_one("#civility-field", CaptionedControl).show_error(None)

    @property
    def civility(self) -> Civility | None:
        pressed = self.query_one(ChoiceSet).pressed_button
        return None if pressed is None or pressed.name is None else Civility(pressed.name)

    def fill(self, draft: IdentityDraft) -> None:
        """Copies what is on screen into ``draft``, valid or not."""
        draft.civility = self.civility
        draft.last_name = self.query_one("#last_name-field", Field).value
        draft.first_name = self.query_one("#first_name-field", Field).value
