"""A checkbox and a set of radio buttons that leave Enter to the screen.

Space ticks a box or picks a choice; Enter continues, as it does in every field:
Textual's own widgets take Enter too, which unticked the terms of use for someone
who meant to go on."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Checkbox, RadioSet


class TickBox(Checkbox, inherit_bindings=False):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_button", "Toggle", show=False),
    ]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # Textual's checkbox is always one line high: where a stylesheet lets its label
        # wrap (a narrow terminal), it gets the lines the label needs.
        return Widget.get_content_height(self, container, viewport, width)


class ChoiceSet(RadioSet, inherit_bindings=False):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,right", "next_button", "Next option", show=False),
        Binding("space", "toggle_button", "Toggle", show=False),
        Binding("up,left", "previous_button", "Previous option", show=False),
    ]
