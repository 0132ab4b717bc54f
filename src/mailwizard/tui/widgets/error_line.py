"""A line that says why something was refused, shown only while there is a reason."""

from __future__ import annotations

from textual.widgets import Label


class ErrorLine(Label):
    """Text from the directory or the user may appear in a reason: never read as markup."""

    DEFAULT_CSS = """
    ErrorLine {
        color: $error;
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self.display = False

    def show(self, message: str | None) -> None:
        self.update(message or "")
        self.display = bool(message)
