"""Where the holder is: at home (the seed's "on the Livebox network") or not.

The machine's own console is home. Over SSH, the client's address must be in the
trusted networks. A kiosk is never home, whatever its network.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from mailwizard.errors import Refusal
from mailwizard.i18n import N_

DEFAULT_TRUSTED_NETWORKS: Final = (
    "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16",
    "::1/128", "fc00::/7", "fe80::/10",
)  # fmt: skip


class OriginKind(StrEnum):
    CONSOLE = "console"
    SSH = "ssh"
    KIOSK = "kiosk"


@dataclass(frozen=True)
class Origin:
    kind: OriginKind
    client: str | None = None

    def __str__(self) -> str:
        return f"{self.kind} {self.client}" if self.client else str(self.kind)

    @property
    def in_the_terminal(self) -> str:
        """What the audit log records as "from where" for a session in the wizard."""
        return f"terminal, {self}"


def origin_of(environ: Mapping[str, str], *, kiosk: bool) -> Origin:
    if kiosk:
        return Origin(OriginKind.KIOSK)
    connection = environ.get("SSH_CONNECTION", "").split()
    if connection:
        return Origin(OriginKind.SSH, connection[0])
    return Origin(OriginKind.CONSOLE)


def at_home(origin: Origin, trusted_networks: Iterable[str]) -> bool:
    if origin.kind is OriginKind.CONSOLE:
        return True
    if origin.kind is OriginKind.KIOSK or origin.client is None:
        return False
    try:
        client = ipaddress.ip_address(origin.client.split("%")[0])
    except ValueError:
        return False
    return any(client in ipaddress.ip_network(network) for network in trusted_networks)


def away_from_home(totp_enrolled: bool) -> Refusal:
    if totp_enrolled:
        return Refusal(
            "access.code_needed",
            N_(
                "You are not on your home network: enter the code of your authenticator "
                "app to go on, or start again from home."
            ),
        )
    return Refusal(
        "access.not_at_home",
        N_(
            "A new address can only be created from your home network. Start again from "
            "home; there you can also set up strong identification (an authenticator app) "
            "to create addresses from elsewhere."
        ),
    )


def remembering_refusal(origin: Origin) -> Refusal | None:
    """Why this session may not remember the device it runs on, or None when it may.

    Only the machine's own console: over SSH the keyring is the server's, not the
    person's device, so remembering would let anyone who reaches that account skip the
    password; a kiosk is shared by definition.
    """
    if origin.kind is OriginKind.CONSOLE:
        return None
    if origin.kind is OriginKind.SSH:
        return Refusal(
            "device.remote", N_("Remembering this device is not offered over a remote session.")
        )
    return Refusal(
        "device.kiosk", N_("Remembering this device is never offered on a shared terminal.")
    )


NO_SECURE_KEYRING: Final = Refusal(
    "device.no_keyring",
    N_("No secure keyring on this machine: it cannot remember this device."),
)
