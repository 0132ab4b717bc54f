"""The screen's colours: Textual's own, or a high-contrast set for kiosks and for people
who see poorly (white on black, yellow for what can be acted on, no shades of grey)."""

from __future__ import annotations

from typing import Final

from textual.theme import Theme

DEFAULT_THEME: Final = "textual-dark"
HIGH_CONTRAST: Final = Theme(
    name="mailwizard-high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    warning="#FFAA00",
    error="#FF6060",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#000000",
    boost="#404040",
    dark=True,
    luminosity_spread=0.0,
    text_alpha=1.0,
    variables={
        "text-muted": "#FFFFFF",
        "block-cursor-background": "#FFFF00",
        "block-cursor-foreground": "#000000",
        "input-cursor-background": "#FFFF00",
        "input-cursor-foreground": "#000000",
        "footer-key-foreground": "#FFFF00",
    },
)
THEMES: Final = {"default": DEFAULT_THEME, "high-contrast": HIGH_CONTRAST.name}
