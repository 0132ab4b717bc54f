"""Where the holder is, read strictly from what sshd or ``mailwizard serve`` set: any
value sshd would not have written is away from home, whatever it claims."""

from __future__ import annotations

import ipaddress
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailwizard.domain.access import (
    DEFAULT_TRUSTED_NETWORKS,
    Origin,
    OriginKind,
    at_home,
    ip_address_of,
    origin_of,
    remembering_refusal,
)

LOOPBACK_ONLY = ["127.0.0.0/8", "::1/128"]


def home_over_ssh(environ: dict[str, str], networks: list[str] = LOOPBACK_ONLY) -> bool:
    return at_home(origin_of(environ, kiosk=False), networks)


def written_by_sshd_from_loopback(value: str) -> bool:
    """An independent oracle: four printable ASCII fields one space apart, ports in ASCII
    digits without a leading zero, the first field a loopback address."""
    fields = value.split(" ")
    if len(fields) != 4 or not value.isascii() or not value.isprintable():
        return False
    client, client_port, _, server_port = fields
    for port in (client_port, server_port):
        if not re.fullmatch("[1-9][0-9]{0,4}", port, re.ASCII) or int(port) > 65535:
            return False
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


@pytest.mark.parametrize(
    "environ",
    [
        {"SSH_CONNECTION": "127.0.0.1 51000 127.0.0.1 22"},
        {"SSH_CONNECTION": "::1 51000 ::1 22"},
        {"SSH_CONNECTION": "127.0.0.1 51000 127.0.0.1 22", "SSH_CLIENT": "127.0.0.1 51000 22"},
        {"SSH_CONNECTION": "::ffff:127.0.0.1 51000 ::ffff:127.0.0.1 22"},
    ],
)
def test_what_sshd_writes_from_a_trusted_network_is_home(environ: dict[str, str]) -> None:
    assert home_over_ssh(environ)


@pytest.mark.parametrize(
    "environ",
    [
        {"SSH_CONNECTION": ""},
        {"SSH_CONNECTION": " "},
        {"SSH_CONNECTION": "127.0.0.1 1 2 3"},
        {"SSH_CONNECTION": "127.0.0.1"},
        {"SSH_CONNECTION": "127.0.0.1 51000"},
        {"SSH_CONNECTION": "127.0.0.1 51000 127.0.0.1"},
        {"SSH_CONNECTION": "127.0.0.1 51000 127.0.0.1 22 extra"},
        {"SSH_CONNECTION": " 127.0.0.1 51000 127.0.0.1 22"},
        {"SSH_CONNECTION": "127.0.0.1 51000 127.0.0.1 22 "},
        {"SSH_CONNECTION": "127.0.0.1  51000 127.0.0.1 22"},
        {"SSH_CONNECTION": "127.0.0.1\t51000 127.0.0.1 22"},
        {"SSH_CONNECTION": "127.0.0.1 51000 127.0.0.1 22\n"},
        {"SSH_CONNECTION": "127.0.0.1 0 127.0.0.1 22"},
        {"SSH_CONNECTION": "127.0.0.1 65536 127.0.0.1 22"},
        {"SSH_CONNECTION": "127.0.0.1 051000 127.0.0.1 22"},
        {"SSH_CONNECTION": "127.0.0.1 ５1000 127.0.0.1 22"},
        {"SSH_CONNECTION": "127.0.0.01 51000 127.0.0.1 22"},
        {"SSH_CONNECTION": "127.1 51000 127.0.0.1 22"},
        {"SSH_CONNECTION": "١٢٧.0.0.1 51000 127.0.0.1 22"},
        {"SSH_CONNECTION": "127.0.0.1%lo 51000 127.0.0.1 22"},
        {"SSH_CONNECTION": "::1%\x1b[31m 51000 ::1 22"},
        {"SSH_CONNECTION": "localhost 51000 127.0.0.1 22"},
        {"SSH_CONNECTION": "127.0.0.1/8 51000 127.0.0.1 22"},
        {"SSH_CONNECTION": "127.0.0.1 -1 127.0.0.1 22"},
        {"SSH_CONNECTION": "127.0.0.1 51000 127.0.0.1 22", "SSH_CLIENT": "203.0.113.5 51000 22"},
        {"SSH_CONNECTION": "127.0.0.1 51000 127.0.0.1 22", "SSH_CLIENT": ""},
        {"SSH_CLIENT": "127.0.0.1 51000 22"},
        {"SSH_TTY": "/dev/pts/3"},
        {"SSH_ORIGINAL_COMMAND": "mailwizard create"},
        {"SSH_CONNECTION": "203.0.113.5 51000 10.0.0.2 22"},
    ],
)
def test_anything_else_over_ssh_is_away(environ: dict[str, str]) -> None:
    origin = origin_of(environ, kiosk=False)
    assert origin.kind is OriginKind.SSH
    assert not at_home(origin, LOOPBACK_ONLY)
    assert not at_home(origin, DEFAULT_TRUSTED_NETWORKS) or origin.client is not None


def test_unset_or_blank_ssh_connection_in_an_ssh_session_is_away_not_the_console() -> None:
    """``env -u SSH_CONNECTION`` and ``SSH_CONNECTION=" "`` once made a console of it."""
    session = {"SSH_CLIENT": "203.0.113.5 51000 22", "SSH_TTY": "/dev/pts/0"}
    for environ in (session, {**session, "SSH_CONNECTION": " "}, {"SSH_CONNECTION": ""}):
        origin = origin_of(environ, kiosk=False)
        assert origin == Origin(OriginKind.SSH, None)
        assert str(origin) == "ssh"
        assert not at_home(origin, DEFAULT_TRUSTED_NETWORKS)
    assert origin_of({"LANG": "C"}, kiosk=False) == Origin(OriginKind.CONSOLE)


def test_the_recorded_client_is_the_canonical_spelling() -> None:
    environ = {"SSH_CONNECTION": "2001:DB8:0:0::7 51000 2001:db8::1 22"}
    assert origin_of(environ, kiosk=False).client == "2001:db8::7"
    environ = {"SSH_CONNECTION": "fe80::1%eth0 51000 fe80::2%eth0 22"}
    assert origin_of(environ, kiosk=False).client == "fe80::1%eth0"
    assert home_over_ssh(environ, list(DEFAULT_TRUSTED_NETWORKS))


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=80) | st.binary(max_size=80).map(lambda b: b.decode("latin-1")))
def test_no_hostile_string_counts_as_home(value: str) -> None:
    """Whatever SSH_CONNECTION holds, it is home only when it is what sshd writes."""
    environ = {"SSH_CONNECTION": value}
    if home_over_ssh(environ):
        assert written_by_sshd_from_loopback(value), repr(value)


FIELDS = st.sampled_from(
    ["127.0.0.1", "127.9.8.7", "::1", "203.0.113.5", "0", "65535", "65536", "22", "",
     " ", "\t", "\x00", "\x1b[2J", "127.0.0.1%lo", "::1%x", "١٢٧", "127.0.0.1\n", "0x7f.1"]
)  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(st.lists(FIELDS, max_size=6), st.sampled_from([" ", "  ", "\t", ",", ""]))
def test_near_misses_of_sshd_lines_are_away(fields: list[str], separator: str) -> None:
    value = separator.join(fields)
    if home_over_ssh({"SSH_CONNECTION": value}):
        assert written_by_sshd_from_loopback(value), repr(value)


@settings(max_examples=300, deadline=None)
@given(
    st.ip_addresses(v=4, network="127.0.0.0/8") | st.just(ipaddress.ip_address("::1")),
    st.integers(1, 65535),
    st.ip_addresses(),
    st.integers(1, 65535),
)
def test_every_line_sshd_could_write_from_loopback_is_home(
    client: ipaddress.IPv4Address | ipaddress.IPv6Address,
    client_port: int,
    server: ipaddress.IPv4Address | ipaddress.IPv6Address,
    server_port: int,
) -> None:
    line = f"{client} {client_port} {server} {server_port}"
    environ = {"SSH_CONNECTION": line, "SSH_CLIENT": f"{client} {client_port} {server_port}"}
    assert home_over_ssh(environ)
    assert origin_of(environ, kiosk=False).client == str(client)


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=80))
def test_an_address_read_back_is_one_address_and_nothing_else(value: str) -> None:
    address = ip_address_of(value)
    if address is not None:
        assert address.isascii() and address.isprintable() and len(address) <= 64
        assert ipaddress.ip_address(address.partition("%")[0])
        assert " " not in address


def test_a_web_session_is_judged_by_its_browser_only_when_the_setting_says_so() -> None:
    loopback = origin_of({"MAILWIZARD_WEB_CLIENT": "127.0.0.1"}, kiosk=True)
    assert loopback == Origin(OriginKind.WEB, "127.0.0.1")
    assert loopback.in_the_terminal == "terminal, web 127.0.0.1"
    assert not at_home(loopback, LOOPBACK_ONLY)
    assert at_home(loopback, LOOPBACK_ONLY, web_counts_as_home=True)
    afar = origin_of({"MAILWIZARD_WEB_CLIENT": "203.0.113.2"}, kiosk=True)
    assert not at_home(afar, LOOPBACK_ONLY, web_counts_as_home=True)
    unknown = origin_of({"MAILWIZARD_WEB_CLIENT": ""}, kiosk=True)
    assert unknown == Origin(OriginKind.WEB, None)
    assert not at_home(unknown, LOOPBACK_ONLY, web_counts_as_home=True)
    forged = origin_of({"MAILWIZARD_WEB_CLIENT": "127.0.0.1 or anything"}, kiosk=True)
    assert not at_home(forged, LOOPBACK_ONLY, web_counts_as_home=True)
    # A kiosk without a browser, and the setting that speaks of browsers only.
    kiosk = origin_of({"SSH_CONNECTION": "127.0.0.1 51000 127.0.0.1 22"}, kiosk=True)
    assert kiosk == Origin(OriginKind.KIOSK)
    assert not at_home(kiosk, LOOPBACK_ONLY, web_counts_as_home=True)
    assert remembering_refusal(loopback) == remembering_refusal(kiosk)
    # Outside a kiosk, the variable means nothing.
    assert origin_of({"MAILWIZARD_WEB_CLIENT": "127.0.0.1"}, kiosk=False).kind is (
        OriginKind.CONSOLE
    )
