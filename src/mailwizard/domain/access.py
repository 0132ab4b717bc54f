"""Where the holder is: at home (the seed's "on the Livebox network") or not.

The machine's own console is home. Over SSH, the client's address must be in the
trusted networks. A kiosk is never home, whatever its network; a web session of
``mailwizard serve`` is judged by the browser's address, and counts as home only when
the settings say so.

What the environment says is read strictly: ``SSH_CONNECTION`` must be exactly what
sshd writes ("CLIENT_IP CLIENT_PORT SERVER_IP SERVER_PORT"), and a session that other
SSH variables show to be remote, without such a value, is away from home. This protects
the deployments where the person cannot choose mailwizard's environment (a console or
kiosk, ``mailwizard serve``, an SSH account whose forced command is mailwizard); whoever
has a shell can set any variable, and is trusted with everything anyway.
"""

from __future__ import annotations

import ipaddress
import re
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
    WEB = "web"
    """A browser session of ``mailwizard serve``: a kiosk, with the browser's address."""


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


SSH_VARIABLES: Final = ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY", "SSH_ORIGINAL_COMMAND")
"""Any of these says the session came over SSH (sshd sets them; a local console has none)."""
WEB_CLIENT_VARIABLE: Final = "MAILWIZARD_WEB_CLIENT"
"""The browser's address, set by ``mailwizard serve`` for each session it starts."""

_PORT: Final = "[1-9][0-9]{0,4}"
_SSH_CONNECTION: Final = re.compile(rf"(\S+) ({_PORT}) (\S+) ({_PORT})", re.ASCII)
_SSH_CLIENT: Final = re.compile(rf"(\S+) ({_PORT}) ({_PORT})", re.ASCII)
_SCOPE: Final = re.compile("[0-9A-Za-z_.-]{1,15}", re.ASCII)
"""An IPv6 zone as sshd writes it: an interface's name or number."""
_LONGEST_ADDRESS: Final = 64


def ip_address_of(text: str) -> str | None:
    """``text`` as one IP address in its canonical spelling, or None when it is not
    exactly one. An IPv4 address mapped into IPv6 is given as IPv4; an IPv6 zone
    (``%eth0``) is kept when it looks like an interface's name."""
    if not text.isascii() or len(text) > _LONGEST_ADDRESS:
        return None
    address, percent, scope = text.partition("%")
    if percent and not _SCOPE.fullmatch(scope):
        return None
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return None if percent else str(ip.ipv4_mapped)
    if percent and ip.version != 6:
        return None
    return f"{ip}%{scope}" if percent else str(ip)


def _port(text: str) -> bool:
    return int(text) <= 65535


def ssh_client(environ: Mapping[str, str]) -> str | None:
    """The client's address from ``SSH_CONNECTION``, or None unless the value is exactly
    what sshd writes, and ``SSH_CLIENT``, when present, names the same client."""
    connection = _SSH_CONNECTION.fullmatch(environ.get("SSH_CONNECTION", ""))
    if connection is None:
        return None
    client, client_port, server, server_port = connection.groups()
    address = ip_address_of(client)
    if address is None or ip_address_of(server) is None:
        return None
    if not (_port(client_port) and _port(server_port)):
        return None
    if "SSH_CLIENT" in environ:
        older = _SSH_CLIENT.fullmatch(environ["SSH_CLIENT"])
        if older is None or older.groups() != (client, client_port, server_port):
            return None
    return address


def origin_of(environ: Mapping[str, str], *, kiosk: bool) -> Origin:
    """Where this session runs, from what sshd or ``mailwizard serve`` put in its
    environment. Over SSH, an address that cannot be read leaves the client unknown,
    which is away from home."""
    if kiosk:
        if WEB_CLIENT_VARIABLE in environ:
            return Origin(OriginKind.WEB, ip_address_of(environ[WEB_CLIENT_VARIABLE]))
        return Origin(OriginKind.KIOSK)
    if any(name in environ for name in SSH_VARIABLES):
        return Origin(OriginKind.SSH, ssh_client(environ))
    return Origin(OriginKind.CONSOLE)


def at_home(
    origin: Origin, trusted_networks: Iterable[str], *, web_counts_as_home: bool = False
) -> bool:
    """The console is home; SSH from a trusted network is; a web session from one is only
    when ``web_counts_as_home`` (off: a shared kiosk); a kiosk never is."""
    if origin.kind is OriginKind.CONSOLE:
        return True
    if origin.kind is OriginKind.KIOSK or origin.client is None:
        return False
    if origin.kind is OriginKind.WEB and not web_counts_as_home:
        return False
    address = ip_address_of(origin.client)
    if address is None:
        return False
    client = ipaddress.ip_address(address.partition("%")[0])
    return any(
        client in ipaddress.ip_network(network, strict=False) for network in trusted_networks
    )


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
