"""A bar from 0 to 4 that says how hard a password is to guess."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Label, ProgressBar

from mailwizard.domain.passwords import STRENGTH_MAX
from mailwizard.i18n import N_, _

STRENGTH_WORDS = (N_("very weak"), N_("weak"), N_("fair"), N_("good"), N_("strong"))


class StrengthMeter(Horizontal):
    DEFAULT_CSS = """
    StrengthMeter {
        height: 1;
        padding: 0 1;
    }
    StrengthMeter .strength-caption {
        width: 24;
    }
    StrengthMeter ProgressBar {
        width: 24;
    }
    StrengthMeter Bar {
        width: 20;
    }
    StrengthMeter .strength-word {
        width: 1fr;
        padding: 0 1;
    }
    """

    strength: reactive[int | None] = reactive(None)

    def compose(self) -> ComposeResult:
        yield Label(_("Strength"), classes="strength-caption")
        yield ProgressBar(total=STRENGTH_MAX, show_eta=False, show_percentage=False)
        yield Label("", classes="strength-word")

    def watch_strength(self, strength: int | None) -> None:
        self.query_one(ProgressBar).update(progress=strength or 0)
        word = "" if strength is None else _(STRENGTH_WORDS[strength])
        self.query_one(".strength-word", Label).update(word)
