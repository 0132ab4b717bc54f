"""Screen 1a: the holder signs in with the primary address and its password, or, on a
console that remembers them, without the password.

It is the program's first screen: the form is usable while the directory opens
behind it, and a sign-in asked for before that waits for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Checkbox, Footer, Input, Label, LoadingIndicator

from mailwizard.errors import DeviceForgotten, MailwizardError
from mailwizard.i18n import N_, _
from mailwizard.tui.support import MailwizardScreen
from mailwizard.tui.widgets.field import Field

if TYPE_CHECKING:
    from mailwizard.bootstrap import Services
    from mailwizard.services.devices import DeviceOffer
    from mailwizard.services.signin import SignedIn


class SignInScreen(MailwizardScreen[None]):
    CSS_PATH = "sign_in.tcss"
    BINDINGS = [Binding("ctrl+t", "app.toggle_contrast", N_("High contrast"))]

    def __init__(self, address: str = "") -> None:
        super().__init__()
        self._address = address
        self._sign_in_waiting = False

    @property
    def _services(self) -> Services:
        services = self.running_app.services
        assert services is not None, "asked before the directory was open"
        return services

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="sign-in-box"):
            yield Label(_("Manage your family's e-mail addresses"), classes="screen-title")
            yield Label(_("Sign in with your primary address."), classes="step-number")
            with Horizontal(id="remembered"):
                yield Button("", id="continue-as", variant="primary", compact=True)
                yield Button(_("Forget this device"), id="forget-device", compact=True)
            yield Field(_("E-mail address"), name="address", value=self._address)
            yield Field(_("Password"), name="password", password=True)
            yield Checkbox(id="remember", compact=True)
            yield Label("", id="remember-unavailable", classes="hint", markup=False)
            yield Label("", id="sign-in-error", classes="field-error", markup=False)
            with Horizontal(classes="sign-in-buttons"):
                yield LoadingIndicator()
                yield Button(_("Sign in"), id="sign-in", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        for hidden in ("#remembered", "#remember", "#remember-unavailable", "#sign-in-error"):
            self.query_one(hidden).display = False
        self.query_one(LoadingIndicator).display = False
        target = "#password" if self._address else "#address"
        self.query_one(target, Input).focus()
        if self.running_app.services is not None:
            self.directory_opened()

    def on_screen_suspend(self) -> None:
        # The program's first form stays under the screens that follow it: it keeps
        # no password and no busy indicator there.
        self._busy(False)
        self.query_one("#password", Input).value = ""

    def directory_opened(self) -> None:
        days = self._services.settings.remember_device_days
        self.query_one("#remember", Checkbox).label = _(
            "Remember this device for {days} days"
        ).format(days=days)
        # The keyring is slow to open: the form is usable before the answer comes.
        devices, origin = self._services.devices, self.running_app.origin
        self.call_service(lambda: devices.offer(origin), self._offer, self._refused, group="device")
        if self._sign_in_waiting:
            self._sign_in_waiting = False
            self.sign_in()

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
        self.query_one("#password", Input).focus()

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#sign-in")
    def sign_in(self) -> None:
        self._busy(True)
        if self.running_app.services is None:
            self._sign_in_waiting = True
            return
        address = self.query_one("#address", Input).value
        password = self.query_one("#password", Input).value
        origin = self.running_app.audit_origin
        self.call_service(
            lambda: self._services.signin.sign_in(address, password, origin),
            self._signed_in,
            self._refused,
            group="sign-in",
        )

    @on(Button.Pressed, "#continue-as")
    def continue_as(self) -> None:
        devices, origin = self._services.devices, self.running_app.origin
        self._busy(True)
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
        self._busy(False)

    def _busy(self, busy: bool) -> None:
        self.query_one(LoadingIndicator).display = busy
        self.query_one("#sign-in", Button).disabled = busy
        self.query_one("#continue-as", Button).disabled = busy

    def _signed_in(self, account: SignedIn) -> None:
        from mailwizard.domain.models import Role  # pydantic: not before the first frame

        if account.role is not Role.PRIMARY:
            self.running_app.show_own_box(account)
            return
        remember = self.query_one("#remember", Checkbox)
        if not (remember.display and remember.value):
            self.running_app.show_management(account)
            return
        devices, origin = self._services.devices, self.running_app.origin

        def not_remembered(error: MailwizardError) -> None:
            self.notify(error.message, severity="warning", markup=False)
            self.running_app.show_management(account)

        self.call_service(
            lambda: devices.remember(account, origin),
            lambda _: self.running_app.show_management(account),
            not_remembered,
            group="sign-in",
        )

    def _refused(self, error: MailwizardError) -> None:
        if isinstance(error, DeviceForgotten):
            self._show_remembered(None)
        self._refused_with(error.message)

    def _refused_with(self, message: str) -> None:
        self._busy(False)
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()
        error = self.query_one("#sign-in-error", Label)
        error.update(message)
        error.display = True
