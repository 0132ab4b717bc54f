"""The reference: a bare Textual app showing the sign-in screen's widgets, nothing else.

No directory, no services, no translations: what any Textual program with this
screen costs. ``python benchmarks/reference_app.py`` runs it in the terminal.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Button, Checkbox, Footer, Input, Label, LoadingIndicator

TITLE = "Manage your family's e-mail addresses"


class ReferenceApp(App[None]):
    CSS = """
    Screen { align: center middle; }
    #box { width: 76; height: auto; border: round $accent; padding: 1 1; }
    .caption { width: 24; padding: 0 1; }
    Horizontal { height: auto; }
    Input { width: 1fr; }
    LoadingIndicator { width: 10; height: 1; }
    """
    BINDINGS: ClassVar = [Binding("ctrl+q", "quit", "Quit", priority=True)]
    ENABLE_COMMAND_PALETTE = False

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="box"):
            yield Label(TITLE)
            yield Label("Sign in with your primary address.")
            with Horizontal(id="remembered"):
                yield Button("", id="continue-as", variant="primary", compact=True)
                yield Button("Forget this device", id="forget-device", compact=True)
            for caption, name in (("E-mail address", "address"), ("Password", "password")):
                with Horizontal():
                    yield Label(caption, classes="caption")
                    yield Input(id=name, password=name == "password", compact=True)
            yield Checkbox("Remember this device for 30 days", id="remember", compact=True)
            yield Label("", id="sign-in-error")
            with Horizontal():
                yield LoadingIndicator()
                yield Button("Sign in", id="sign-in", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        for hidden in ("#remembered", "#remember", "#sign-in-error", LoadingIndicator):
            self.query_one(hidden).display = False
        self.query_one("#address", Input).focus()


if __name__ == "__main__":
    ReferenceApp().run()
