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

import shlex
from collections.abc import Sequence
from contextvars import ContextVar
from typing import Any

import click
from aiohttp import web
from textual_serve.server import Server

from mailwizard.cli.serve import FORWARDING_HEADERS, browser_address
from mailwizard.domain.access import WEB_CLIENT_VARIABLE
from mailwizard.i18n import _

_browser: ContextVar[str | None] = ContextVar("browser", default=None)


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
