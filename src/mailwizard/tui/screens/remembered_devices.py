"""From the management page: the devices that sign the holder in without the password,
and forgetting one of them or all."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Label

from mailwizard.errors import MailwizardError
from mailwizard.i18n import N_, _
from mailwizard.services.device_ports import RememberedDevice
from mailwizard.services.devices import DeviceService
from mailwizard.services.signin import SignedIn
from mailwizard.tui.support import MailwizardModal


def _day(moment: datetime | None) -> str:
    return _("never") if moment is None else moment.astimezone().strftime("%Y-%m-%d")


class RememberedDevicesScreen(MailwizardModal[None]):
    CSS_PATH = "remembered_devices.tcss"
    BINDINGS = [Binding("escape", "close", N_("Close"))]

    def __init__(self, devices: DeviceService, holder: SignedIn) -> None:
        super().__init__()
        self._devices = devices
        self._holder = holder

    def compose(self) -> ComposeResult:
        with Vertical(id="devices-box"):
            yield Label(_("Remembered devices"), classes="screen-title")
            yield Label(
                _("These devices sign you in without your password until the date shown."),
                classes="hint",
            )
            yield DataTable(cursor_type="row", zebra_stripes=True)
            yield Label("", id="devices-status", classes="hint", markup=False)
            with Horizontal(classes="devices-buttons"):
                yield Button(_("Close"), id="close", compact=True)
                yield Button(_("Forget all"), id="forget-all", compact=True)
                yield Button(_("Forget"), id="forget", variant="warning", compact=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(
            _("Device"), _("Remembered on"), _("Until"), _("Last used")
        )
        self._load()

    def _load(self) -> None:
        devices, holder = self._devices, self._holder
        self.call_service(
            lambda: devices.devices_of(holder), self._show, self._failed, group="list"
        )

    def _show(self, remembered: list[RememberedDevice]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for device in remembered:
            table.add_row(
                Text(device.label),
                Text(_day(device.created_at)),
                Text(_day(device.expires_at)),
                Text(_day(device.last_used_at)),
                key=str(device.id),
            )
        self.query_one("#devices-status", Label).update(
            "" if remembered else _("No device remembers you.")
        )
        self.query_one("#forget", Button).disabled = not remembered
        self.query_one("#forget-all", Button).disabled = not remembered
        table.focus()

    def _failed(self, error: MailwizardError) -> None:
        self.query_one("#devices-status", Label).update(error.message)

    @on(Button.Pressed, "#forget")
    def forget_selected(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        assert row_key.value is not None
        device_id = int(row_key.value)
        devices, holder, origin = self._devices, self._holder, self.session.origin
        self.call_service(
            lambda: devices.forget(holder, device_id, origin),
            self._forgotten,
            self._failed,
            group="forget",
        )

    @on(Button.Pressed, "#forget-all")
    def forget_all(self) -> None:
        devices, holder, origin = self._devices, self._holder, self.session.origin
        self.call_service(
            lambda: devices.forget_all(holder, origin),
            self._forgotten,
            self._failed,
            group="forget",
        )

    def _forgotten(self, _result: None) -> None:
        self._load()
