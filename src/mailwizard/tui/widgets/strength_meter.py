"""A bar from 0 to 4 that says how hard a password is to guess."""

from __future__ import annotations

from typing import Final

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from mailwizard.domain.passwords import MODERN_MIN_STRENGTH, STRENGTH_MAX
from mailwizard.i18n import N_, _

STRENGTH_WORDS = (N_("very weak"), N_("weak"), N_("fair"), N_("good"), N_("strong"))
CAPTION_CELLS: Final = 24
"""As wide as a field's caption, so that the bar lines up with the inputs."""
BAR_CELLS: Final = 20
BAR_CELL: Final = "━"


def level_of(strength: int) -> str:
    """Which colour the bar takes: green from the strength the modern policy asks for,
    amber one below it, red under that."""
    if strength >= MODERN_MIN_STRENGTH:
        return "strong"
    return "fair" if strength == MODERN_MIN_STRENGTH - 1 else "weak"


class StrengthMeter(Widget):
    """Caption, bar and word drawn by one widget: a step mounts all its widgets at once,
    and Textual's ProgressBar would have been three of them."""

    COMPONENT_CLASSES = {
        "strength-meter--weak",
        "strength-meter--fair",
        "strength-meter--strong",
        "strength-meter--track",
    }
    DEFAULT_CSS = """
    StrengthMeter {
        height: 1;
        padding: 0 1;
    }
    StrengthMeter > .strength-meter--weak {
        color: $error;
    }
    StrengthMeter > .strength-meter--fair {
        color: $warning;
    }
    StrengthMeter > .strength-meter--strong {
        color: $success;
    }
    StrengthMeter > .strength-meter--track {
        color: $panel;
    }
    """

    strength: reactive[int | None] = reactive(None)

    def render(self) -> Text:
        caption = Text(_("Strength"))
        caption.truncate(CAPTION_CELLS, pad=True)
        strength = self.strength or 0
        word = "" if self.strength is None else _(STRENGTH_WORDS[self.strength])
        # In a narrow terminal the bar gives up cells so that the word is read whole.
        room = self.size.width - CAPTION_CELLS - len(word) - 2
        bar_cells = max(STRENGTH_MAX, min(BAR_CELLS, room))
        filled = bar_cells * strength // STRENGTH_MAX
        return Text.assemble(
            caption,
            (BAR_CELL * filled, self._part_style(level_of(strength))),
            (BAR_CELL * (bar_cells - filled), self._part_style("track")),
            "  ",
            word,
        )

    def _part_style(self, part: str) -> Style:
        # Only the colour: the widget's own background shows through.
        return Style(color=self.get_component_rich_style(f"strength-meter--{part}").color)
