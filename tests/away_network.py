"""A client away from home: a network namespace of the test's own, joined to this
machine by a veth pair.

This machine's end gets one address of TEST-NET-3 (203.0.113.0/24, never routed), the
namespace's end the next one, in a /30 that no other test holds at the time (tests run
in parallel: a lock file and the addresses already in use decide). Servers listen on
this machine's end; a client run with ``ip netns exec`` (``AwayNetwork.command``)
reaches them from the namespace's address, which tests keep out of
``trusted_networks``. Traffic never leaves this machine. Namespace and links are
removed at the end, whatever happened.

Needs root and Debian's ``iproute2``: without them the tests skip, unless
MAILWIZARD_REQUIRE_SERVERS=1 makes that a failure.
"""

from __future__ import annotations

import fcntl
import ipaddress
import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from dovecot_server import require_server

IP = shutil.which("ip") or "/usr/sbin/ip"
AWAY = ipaddress.ip_network("203.0.113.0/24")
LOCK = Path(tempfile.gettempdir()) / "mailwizard-away-networks.lock"


@dataclass(frozen=True)
class AwayNetwork:
    namespace: str
    host_address: str
    """This machine's end: where servers listen for the client from afar."""
    client_address: str
    """The namespace's end: the address servers see the client come from."""

    def command(self, *argv: str) -> list[str]:
        """``argv`` run inside the namespace."""
        return [IP, "netns", "exec", self.namespace, *argv]


def _ip(*argv: str) -> None:
    subprocess.run([IP, *argv], check=True, capture_output=True, text=True, timeout=10)


def _unavailable(message: str) -> None:
    if os.environ.get("MAILWIZARD_REQUIRE_SERVERS") == "1":
        pytest.fail(message)
    pytest.skip(message)


def _free_slot() -> ipaddress.IPv4Network:
    listed = subprocess.run(
        [IP, "-o", "-4", "addr", "show"], check=True, capture_output=True, text=True
    ).stdout
    used = {
        ipaddress.ip_interface(field).ip
        for line in listed.splitlines()
        for field in line.split()
        if field.startswith("203.0.113.")
    }
    for slot in AWAY.subnets(new_prefix=30):
        if not any(address in slot for address in used):
            return slot  # type: ignore[return-value]
    raise AssertionError("every 203.0.113.0/30 is taken: namespaces left behind?")


@contextmanager
def away_network() -> Iterator[AwayNetwork]:
    require_server(IP, "iproute2")
    if os.geteuid() != 0:
        _unavailable("network namespaces need root")
    token = secrets.token_hex(3)
    namespace, host_link, far_link = f"mw-away-{token}", f"mwh{token}", f"mwn{token}"
    try:
        with LOCK.open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            slot = _free_slot()
            host, client = (str(address) for address in list(slot.hosts())[:2])
            try:
                _ip("netns", "add", namespace)
                _ip("link", "add", host_link, "type", "veth", "peer", "name", far_link)
                _ip("link", "set", far_link, "netns", namespace)
                _ip("addr", "add", f"{host}/30", "dev", host_link)
                _ip("link", "set", host_link, "up")
                inside = ("netns", "exec", namespace, IP)
                _ip(*inside, "addr", "add", f"{client}/30", "dev", far_link)
                _ip(*inside, "link", "set", far_link, "up")
                _ip(*inside, "link", "set", "lo", "up")
            except subprocess.CalledProcessError as failed:
                _unavailable(f"cannot make a network namespace: {failed.stderr.strip()}")
        yield AwayNetwork(namespace, host, client)
    finally:
        subprocess.run([IP, "link", "del", host_link], capture_output=True, check=False)
        subprocess.run([IP, "netns", "del", namespace], capture_output=True, check=False)
