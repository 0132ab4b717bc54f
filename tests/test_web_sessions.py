"""``mailwizard serve``: each web session knows its browser's address — the peer of its
connection, or what a proxy listed in ``trusted_proxies`` forwarded — the audit log
records it, and ``web_home_networks_count_as_home`` says whether a browser on a trusted
network counts as home (off: every web session needs the authenticator's code).

These speak to the real server over its WebSocket, as the page does; the real browser,
placed away from home in a network namespace, is in test_kiosk_outside.py."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli_harness import Cli
from mailwizard.bootstrap import Services
from mailwizard.cli.serve import session_environment
from mailwizard.cli.web_sessions import browser_address
from martin_household import HOLDER, HOLDER_PASSWORD
from real_terminal import wait_until
from web_kiosk import (
    WebSession,
    audited,
    enrol_an_authenticator,
    reach_the_gate,
    running_serve,
)

LOOPBACK_ONLY = '["127.0.0.0/8"]'
ASKS_FOR_CODE = "Code from your app"
PASSED_THE_GATE = "Who is the new address for?"


@pytest.mark.parametrize(
    ("settings_", "headers", "origin", "gate"),
    [
        pytest.param({}, {}, "terminal, web 127.0.0.1", ASKS_FOR_CODE, id="off-by-default"),
        pytest.param({"MAILWIZARD_WEB_HOME_NETWORKS_COUNT_AS_HOME": "true"}, {},
                     "terminal, web 127.0.0.1", PASSED_THE_GATE, id="home-network-on"),
        pytest.param({"MAILWIZARD_WEB_HOME_NETWORKS_COUNT_AS_HOME": "true",
                      "MAILWIZARD_TRUSTED_PROXIES": '["127.0.0.1/32"]'},
                     {"X-Forwarded-For": "127.0.0.1, 203.0.113.9"},
                     "terminal, web 203.0.113.9", ASKS_FOR_CODE, id="through-a-listed-proxy"),
        pytest.param({"MAILWIZARD_WEB_HOME_NETWORKS_COUNT_AS_HOME": "true"},
                     {"X-Forwarded-For": "127.0.0.1"},
                     "terminal, web", ASKS_FOR_CODE, id="through-an-unlisted-proxy"),
    ],
)  # fmt: skip
def test_a_web_session_is_recorded_and_judged_by_its_browser(
    settings_: dict[str, str],
    headers: dict[str, str],
    origin: str,
    gate: str,
    household: str,
    services: Services,
    directory_url: str,
    tmp_path: Path,
) -> None:
    enrol_an_authenticator(services)
    log = tmp_path / "serve.log"
    environment = {"MAILWIZARD_TRUSTED_NETWORKS": LOOPBACK_ONLY, **settings_}
    with running_serve(log, environment=environment) as served:
        session = WebSession(served.page, headers)
        try:
            reach_the_gate(session, HOLDER, HOLDER_PASSWORD)
            assert session.wait_for(gate), session.tail()
            if gate == ASKS_FOR_CODE:
                session.type("000000\r")
                assert wait_for_audit(directory_url, "totp.failed"), session.tail()
        finally:
            session.close()
    if gate == ASKS_FOR_CODE:
        assert audited(directory_url, "totp.failed") == [origin]
    warned = "127.0.0.1 forwards web sessions for others" in log.read_text()
    assert warned == (origin == "terminal, web"), "only a proxy not listed is warned about"


def test_a_wrong_password_from_the_web_names_the_browser(
    household: str, directory_url: str, tmp_path: Path
) -> None:
    with running_serve(tmp_path / "serve.log") as served:
        session = WebSession(served.page)
        try:
            assert session.wait_for("Sign in")
            session.type(HOLDER, "\t", "Not-the-password-42", "\r")
            assert wait_for_audit(directory_url, "signin.failed")
        finally:
            session.close()
    assert audited(directory_url, "signin.failed") == ["terminal, web 127.0.0.1"]


def test_behind_a_proxy_the_page_names_the_public_address(
    household: str, tmp_path: Path, cli: Cli
) -> None:
    arguments = ("--public-url", "https://kiosk.famille-martin.fr/")
    with (
        running_serve(tmp_path / "serve.log", arguments=arguments) as served,
        urllib.request.urlopen(served.page, timeout=10) as response,
    ):
        page = response.read().decode()
    assert "wss://kiosk.famille-martin.fr/ws" in page
    for wrong in ("ftp://kiosk.famille-martin.fr", "kiosk.famille-martin.fr", "https://",
                  "http://[::1", "https://kiosk:x/", "https://kiosk\n.fr"):  # fmt: skip
        refused = cli("serve", "--public-url", wrong)
        assert refused.exit_code == 2, (wrong, refused.stderr)
        assert "--public-url must be the http:// or https:// address" in refused.stderr


def wait_for_audit(directory_url: str, action: str) -> bool:
    return wait_until(lambda: bool(audited(directory_url, action)), timeout=20)


PROXY = ["127.0.0.1/32"]


def test_the_browser_is_the_peer_unless_a_listed_proxy_names_it() -> None:
    assert browser_address("203.0.113.2", [], []) == "203.0.113.2"
    assert browser_address("::ffff:203.0.113.2", [], []) == "203.0.113.2"
    # A header from anyone else is not believed: the peer is an unlisted proxy, or a
    # client that wants to be someone else; either way nobody knows who it is.
    assert browser_address("203.0.113.2", ["127.0.0.1"], []) is None
    assert browser_address("127.0.0.1", ["192.168.1.20"], []) is None
    assert browser_address("127.0.0.1", [], [], forwarding=True) is None
    # A listed proxy: the last hop it did not add itself.
    assert browser_address("127.0.0.1", ["203.0.113.9"], PROXY) == "203.0.113.9"
    assert browser_address("127.0.0.1", ["192.168.1.20, 203.0.113.9"], PROXY) == "203.0.113.9"
    assert browser_address("127.0.0.1", ["192.168.1.20", "203.0.113.9"], PROXY) == "203.0.113.9"
    assert browser_address("127.0.0.1", ["203.0.113.9, 127.0.0.1"], PROXY) == "203.0.113.9"
    assert browser_address("127.0.0.1", ["127.0.0.1"], PROXY) == "127.0.0.1"
    # ... and a proxy that names no one, or not an address, leaves it unknown.
    assert browser_address("127.0.0.1", [], PROXY) is None
    assert browser_address("127.0.0.1", ["unknown"], PROXY) is None
    assert browser_address("127.0.0.1", ["1.2.3.4, \x1b[2J"], PROXY) is None
    assert browser_address(None, [], []) is None
    assert browser_address("/run/mailwizard.sock", [], []) is None


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=4))
def test_no_forwarded_header_makes_a_browser_from_afar_a_home_one(headers: list[str]) -> None:
    """A browser outside the home network cannot write its way into it: without a
    listed proxy its headers are not read, and through one they name at most what the
    proxy's own chain allows, never the proxy's loopback for a client from afar."""
    direct = browser_address("203.0.113.2", headers, [])
    assert direct in (None, "203.0.113.2")
    through = browser_address("127.0.0.1", [*headers, "203.0.113.2"], PROXY)
    assert through == "203.0.113.2" or through is None


def test_the_sessions_inherit_no_location_from_the_server() -> None:
    server = {
        "SSH_CONNECTION": "127.0.0.1 51000 127.0.0.1 22",
        "SSH_CLIENT": "127.0.0.1 51000 22",
        "SSH_TTY": "/dev/pts/1",
        "MAILWIZARD_WEB_CLIENT": "127.0.0.1",
        "MAILWIZARD_SMTP_PASSWORD": "secret",
        "LANG": "C.UTF-8",
    }
    assert session_environment(server) == {"LANG": "C.UTF-8"}
