"""The one-time activation code of a box, shown once to the holder: as text to read
aloud or copy, and as a QR code, with when it runs out. Nobody can show it again."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label

from mailwizard.i18n import N_, _
from mailwizard.services.activation_codes import IssuedCode
from mailwizard.tui.support import MailwizardModal
from mailwizard.tui.widgets.qr_code import QrCode


class ActivationCodeScreen(MailwizardModal[None]):
    CSS_PATH = "activation.tcss"
    DEFAULT_CLASSES = "dialog-screen"
    BINDINGS = [Binding("escape", "close", N_("Close"))]

    def __init__(self, address: str, first_name: str, issued: IssuedCode) -> None:
        super().__init__()
        self._address = address
        self._first_name = first_name
        self._issued = issued

    def compose(self) -> ComposeResult:
        issued = self._issued
        with Vertical(classes="dialog"):
            yield Label(_("Activation code for {address}").format(address=self._address),
                        classes="screen-title", markup=False)  # fmt: skip
            with Horizontal(id="activation-code-body"):
                with Vertical(id="activation-code-side"):
                    yield Label(issued.code, id="activation-code")
                    yield Label(
                        _("Valid until {time} UTC, once.").format(
                            time=issued.expires_at.strftime("%Y-%m-%d %H:%M")
                        ),
                        id="activation-expiry",
                    )
                    yield Label(
                        _(
                            "Give it to {first_name}: with it, they choose their own password "
                            "at “I have an activation code” on the sign-in screen, or with "
                            "“mailwizard activate”. It is shown only now."
                        ).format(first_name=self._first_name),
                        classes="hint",
                        markup=False,
                    )
                # Beside the words when there is room, below them when not.
                yield QrCode(f"{self._address}\n{issued.code}")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Done"), id="close", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()
