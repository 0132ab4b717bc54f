"""Screen 1a: the holder signs in with the primary address and its password, or, on a
console that remembers them, without the password.

It is the program's first screen: the form is usable while the directory opens
behind it, and a sign-in asked for before that waits for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Footer, Input, Label

from mailwizard.errors import DeviceForgotten, MailwizardError
from mailwizard.i18n import N_, _
from mailwizard.tui.messages import SignedIn
from mailwizard.tui.support import MailwizardScreen
from mailwizard.tui.widgets.choices import TickBox
from mailwizard.tui.widgets.error_line import ErrorLine
from mailwizard.tui.widgets.field import Field

if TYPE_CHECKING:
    # Only their names: the services come with the directory, after the first frame.
    from mailwizard.services.activation import ActivationService
    from mailwizard.services.devices import DeviceOffer, DeviceService, PasswordSignIn
    from mailwizard.services.signin import SignedIn as Account


@dataclass(frozen=True)
class SignInServices:
    """What the form calls, once the directory is open."""

    devices: DeviceService
    remember_device_days: int
    activation: ActivationService


class SignInScreen(MailwizardScreen[None]):
    CSS_PATH = "sign_in.tcss"
    DEFAULT_CLASSES = "centred-screen"
    BINDINGS = [
        Binding("ctrl+t", "app.toggle_contrast", N_("High contrast")),
        Binding("enter", "sign_in", N_("Sign in"), show=False),
    ]

    def __init__(self, address: str = "", services: SignInServices | None = None) -> None:
        """``services`` is None while the directory opens: ``directory_opened`` brings them."""
        super().__init__()
        self._address = address
        self._opened = services
        self._waiting_for_directory: Callable[[], None] | None = None
        """What was asked before the directory opened, done once it has."""

    @property
    def _services(self) -> SignInServices:
        assert self._opened is not None, "asked before the directory was open"
        return self._opened

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="sign-in-box", classes="centred-box"):
            yield Label(_("Manage your family's e-mail addresses"), classes="screen-title")
            yield Label(_("Sign in with your primary address."), classes="step-number")
            with Horizontal(id="remembered"):
                yield Button("", id="continue-as", variant="primary", compact=True)
                yield Button(_("Forget this device"), id="forget-device", compact=True)
            yield Field(_("E-mail address"), name="address", value=self._address)
            yield Field(_("Password"), name="password", password=True)
            yield TickBox(id="remember", compact=True)
            yield Label("", id="remember-unavailable", classes="hint", markup=False)
            yield ErrorLine(id="sign-in-error", classes="field-error")
            with Horizontal(classes="sign-in-buttons centred-buttons"):
                yield Button(_("I have an activation code"), id="have-code", compact=True)
                yield Button(_("Sign in"), id="sign-in", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        for hidden in ("#remembered", "#remember", "#remember-unavailable"):
            self.query_one(hidden).display = False
        target = "#password" if self._address else "#address"
        self.query_one(target, Input).focus()
        if self._opened is not None:
            self._directory_ready()

    def on_screen_suspend(self) -> None:
        # The program's first form stays under the screens that follow it: it keeps
        # no password and no busy indicator there.
        self._busy = False
        self.query_one("#password", Input).value = ""

    def directory_opened(self, services: SignInServices) -> None:
        self._opened = services
        self._directory_ready()

    def _directory_ready(self) -> None:
        days = self._services.remember_device_days
        self.query_one("#remember", TickBox).label = _(
            "Remember this device for {days} days"
        ).format(days=days)
        # The keyring is slow to open: the form is usable before the answer comes.
        devices, origin = self._services.devices, self.session.origin
        self.call_service(lambda: devices.offer(origin), self._offer, self._refused, group="device")
        if (asked := self._waiting_for_directory) is not None:
            self._waiting_for_directory = None
            self._busy = False
            asked()

    def _offer(self, offer: DeviceOffer) -> None:
        self.query_one("#remember").display = offer.refusal is None
        unavailable = self.query_one("#remember-unavailable", Label)
        unavailable.display = offer.refusal is not None
        if offer.refusal is not None:
            unavailable.update(offer.refusal.message)
        if offer.remembered is not None:
            self.query_one("#address", Input).value = offer.remembered
            self._show_remembered(offer.remembered)

    def _show_remembered(self, address: str | None) -> None:
        self.query_one("#remembered").display = address is not None
        continue_as = self.query_one("#continue-as", Button)
        if address is not None:
            continue_as.label = Content(_("Continue as {address}").format(address=address))
            continue_as.focus()

    @on(Input.Submitted, "#address")
    def _next_field(self) -> None:
        password = self.query_one("#password", Input)
        if password.value or not self.query_one("#address", Input).value:
            self.action_sign_in()
        else:
            password.focus()

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#sign-in")
    def action_sign_in(self) -> None:
        if self._busy or not self._answered():
            return
        self._busy = True
        if self._opened is None:
            self._waiting_for_directory = self.action_sign_in
            return
        address = self.query_one("#address", Input).value
        password = self.query_one("#password", Input).value
        tick = self.query_one("#remember", TickBox)
        remember = bool(tick.display and tick.value)
        devices, origin = self._services.devices, self.session.origin
        self.call_service(
            lambda: devices.sign_in_with_password(address, password, origin, remember=remember),
            self._signed_in_with_password,
            self._refused,
            group="sign-in",
        )

    def _answered(self) -> bool:
        """Both fields are filled; else the first empty one says so and takes the focus."""
        for name, reason in (
            ("address", _("Enter your e-mail address.")),
            ("password", _("Enter your password.")),
        ):
            field = self.query_one(f"#{name}-field", Field)
            if not field.value:
                field.show_error(reason)
                field.input.focus()
                return False
        return True

    @on(Button.Pressed, "#have-code")
    def have_code(self) -> None:
        """A relative opens the box created for them: the code, then their password."""
        if self._busy:
            return
        if self._opened is None:
            self._busy = True
            self._waiting_for_directory = self.have_code
            return
        from mailwizard.tui.screens.activate import ActivateScreen

        address = self.query_one("#address", Input).value
        self.app.push_screen(ActivateScreen(self._services.activation, address))

    @on(Button.Pressed, "#continue-as")
    def continue_as(self) -> None:
        devices, origin = self._services.devices, self.session.origin
        self._busy = True
        self.call_service(
            lambda: devices.sign_in(origin), self._signed_in, self._refused, group="sign-in"
        )

    @on(Button.Pressed, "#forget-device")
    def forget_device(self) -> None:
        self.call_service(
            self._services.devices.forget_this_device,
            self._forgotten,
            self._refused,
            group="device",
        )

    def _forgotten(self, _result: None) -> None:
        self._show_remembered(None)
        self.query_one("#password", Input).focus()
        self.notify(_("This device is forgotten."))

    def service_failed(self) -> None:
        self._busy = False

    @property
    def _busy(self) -> bool:
        return self.query_one(".sign-in-buttons").loading

    @_busy.setter
    def _busy(self, busy: bool) -> None:
        self.query_one(".sign-in-buttons").loading = busy
        self.query_one("#remembered").disabled = busy

    def _signed_in_with_password(self, signed_in: PasswordSignIn) -> None:
        if signed_in.not_remembered is not None:
            self.notify(signed_in.not_remembered.message, severity="warning", markup=False)
        self._signed_in(signed_in.account)

    def _signed_in(self, account: Account) -> None:
        self.post_message(SignedIn(account))

    def _refused(self, error: MailwizardError) -> None:
        if isinstance(error, DeviceForgotten):
            self._show_remembered(None)
        self._busy = False
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()
        self.query_one("#sign-in-error", ErrorLine).show(error.message)
