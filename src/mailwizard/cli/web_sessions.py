"""textual-serve, telling each browser session where its browser is.

textual-serve starts one process per browser session, with the shell command the
server reads from its ``command`` when the session's WebSocket arrives. Here that
read happens with the session's browser address in a context variable, and the
command puts it into the process's environment as ``MAILWIZARD_WEB_CLIENT``: the peer
of the WebSocket connection or, from a proxy listed in ``trusted_proxies``, the address
it forwarded. The browser chooses none of it: a query string or a header from anyone but
a listed proxy is not read, and the address is a parsed IP address before it reaches a
command. Loaded only by ``mailwizard serve``.
"""

from __future__ import annotations

import ipaddress
import shlex
from collections.abc import Sequence
from contextvars import ContextVar
from typing import Any

import click
from aiohttp import web
from textual_serve.server import Server

from mailwizard.domain.access import WEB_CLIENT_VARIABLE, ip_address_of
from mailwizard.i18n import _

_browser: ContextVar[str | None] = ContextVar("browser", default=None)

FORWARDING_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")
"""Headers by which a proxy says for whom it speaks; only X-Forwarded-For is read, and
only from a proxy listed in ``trusted_proxies``."""


def _in_any(address: str, networks: Sequence[str]) -> bool:
    ip = ipaddress.ip_address(address.partition("%")[0])
    return any(ip in ipaddress.ip_network(network, strict=False) for network in networks)


def browser_address(
    peer: str | None,
    forwarded_for: Sequence[str],
    trusted_proxies: Sequence[str],
    *,
    forwarding: bool | None = None,
) -> str | None:
    """The browser's address, or None when it cannot be known.

    ``peer`` is the other end of the connection; ``forwarded_for`` the values of every
    X-Forwarded-For header, in order; ``forwarding``, whether the request carries any
    header by which a proxy names a client (by default: whether ``forwarded_for`` does).
    A peer that is not a listed proxy is the browser, unless it forwards for someone,
    which makes it an unlisted proxy whose client is unknown. From a listed proxy, the
    last address of the chain that is not a listed proxy is the browser (a client may
    write anything before what the proxies append); a listed proxy that names no one,
    or a chain with anything but addresses, leaves it unknown."""
    address = None if peer is None else ip_address_of(peer)
    if address is None:
        return None
    if forwarding is None:
        forwarding = bool(forwarded_for)
    if not _in_any(address, trusted_proxies):
        return None if forwarding else address
    chain = [hop.strip() for header in forwarded_for for hop in header.split(",")]
    if not chain:
        return None
    for hop in reversed(chain):
        hop_address = ip_address_of(hop)
        if hop_address is None:
            return None
        if not _in_any(hop_address, trusted_proxies):
            return hop_address
    return ip_address_of(chain[0])


class WebSessions(Server):
    def __init__(self, command: str, *, trusted_proxies: Sequence[str], **options: Any) -> None:
        self._session_command = command
        super().__init__(command, **options)
        self.trusted_proxies = list(trusted_proxies)
        self._warned: set[str] = set()

    @property
    def command(self) -> str:
        """The session's command, naming its browser ("" when unknown: away from home)."""
        client = shlex.quote(_browser.get() or "")
        return f"env {WEB_CLIENT_VARIABLE}={client} {self._session_command}"

    @command.setter
    def command(self, command: str) -> None:
        self._session_command = command

    def browser(self, request: web.Request) -> str | None:
        """Where the browser behind ``request`` is, from the connection itself."""
        transport = request.transport
        peername = None if transport is None else transport.get_extra_info("peername")
        peer = str(peername[0]) if isinstance(peername, tuple) and peername else None
        headers = request.headers
        forwarding = any(name in headers for name in FORWARDING_HEADERS)
        forwarded_for = headers.getall("X-Forwarded-For", [])
        client = browser_address(peer, forwarded_for, self.trusted_proxies, forwarding=forwarding)
        if client is None and forwarding and peer is not None and peer not in self._warned:
            self._warned.add(peer)
            click.echo(
                _(
                    "Warning: {peer} forwards web sessions for others but is not in "
                    "trusted_proxies: its sessions are recorded without an address and "
                    "count as away from home."
                ).format(peer=peer),
                err=True,
            )
        return client

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        # Each WebSocket is its own task, so the variable is this session's alone.
        _browser.set(self.browser(request))
        return await super().handle_websocket(request)
