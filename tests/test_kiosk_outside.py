"""The kiosk outside the test harness: in a real terminal (tmux), where Ctrl+C, Ctrl+Q,
Ctrl+Z and Ctrl+\\ do not end it and SIGTERM does; and in a real browser (Debian's
Chromium), where ``mailwizard serve`` shows the wizard, takes keystrokes, judges each
session by its browser's address (this machine's, or, from a network namespace of the
test's own, one outside the trusted networks), and lets a relative open their box with
an activation code."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from away_network import away_network
from dovecot_server import Dovecot, require_server
from mailwizard.bootstrap import Services
from mailwizard.errors import Refused
from mailwizard.services.signin import SignedIn
from martin_household import HOLDER, HOLDER_PASSWORD, NEW_PASSWORD, awaiting_request
from real_terminal import Tmux, alive, wait_until
from web_kiosk import (
    CHROMEDRIVER,
    CHROMIUM,
    BrowserSession,
    audited,
    chromium_options,
    enrol_an_authenticator,
    reach_the_gate,
    running_serve,
)

LOOPBACK_ONLY = '["127.0.0.0/8"]'
LEA = "lea.martin@famille-martin.fr"
DRIVER_PORT = 9515  # in the namespace, whose ports are all its own


def test_the_kiosk_survives_every_escape_key_in_a_real_terminal(
    household: str, tmux: Tmux, isolated_environment: dict[str, str]
) -> None:
    pid = tmux.start(isolated_environment, f"{sys.executable} -m mailwizard --kiosk --lang en")
    assert wait_until(lambda: "Sign in" in tmux.screen()), tmux.screen()

    for key in ("C-c", "C-q", "C-z", "C-\\"):
        tmux.keys(key)
        time.sleep(0.5)
        assert alive(pid), f"{key} ended the kiosk"
    assert "Sign in" in tmux.screen()

    os.kill(pid, signal.SIGTERM)
    assert wait_until(lambda: not alive(pid), timeout=10), "SIGTERM ends the kiosk"


def session_environments(server_pid: int) -> list[dict[str, str]]:
    """The environments of the kiosk sessions the server started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            if b"--kiosk" not in command or os.getpgid(int(entry.name)) != server_pid:
                continue
            pairs = (entry / "environ").read_bytes().split(b"\0")
        except (OSError, ProcessLookupError):
            continue
        found.append(dict(p.decode().split("=", 1) for p in pairs if b"=" in p))
    return found


def test_mailwizard_serve_shows_the_kiosk_in_a_real_browser(
    household: str,
    services: Services,
    directory_url: str,
    isolated_environment: dict[str, str],
    tmp_path: Path,
) -> None:
    """From this machine's own browser: the audit names it, and with
    web_home_networks_count_as_home its trusted network lets it past the gate."""
    require_server(CHROMIUM, "chromium")
    require_server(CHROMEDRIVER, "chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    enrol_an_authenticator(services)
    environment = {
        "MAILWIZARD_SMTP_PASSWORD": "a-secret-of-the-server",
        "MAILWIZARD_TRUSTED_NETWORKS": LOOPBACK_ONLY,
        "MAILWIZARD_WEB_HOME_NETWORKS_COUNT_AS_HOME": "true",
    }
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=chromium_options(True))
    try:
        with running_serve(tmp_path / "serve.log", environment=environment) as served:
            session = BrowserSession(browser, served.page)
            assert session.wait_for("Sign in"), "the wizard never drew in the page"
            session.type("nobody@famille-martin.fr", session.TAB, "Not-the-password-42",
                         session.ENTER)  # fmt: skip
            assert wait_until(lambda: bool(audited(directory_url, "signin.failed"))), (
                "the keystrokes did not reach the sign-in of a web session"
            )
            assert audited(directory_url, "signin.failed") == ["terminal, web 127.0.0.1"]
            environments = session_environments(served.pid)
            assert environments, "no kiosk session process found"
            for session_environment in environments:
                assert "MAILWIZARD_SMTP_PASSWORD" not in session_environment
                assert not any("PASSWORD" in name for name in session_environment)
                assert session_environment["MAILWIZARD_WEB_CLIENT"] == "127.0.0.1"

            session = BrowserSession(browser, served.page)  # a new session, a fresh form
            reach_the_gate(session, HOLDER, HOLDER_PASSWORD)
            assert session.wait_for("Who is the new address for?"), session.tail()
    finally:
        browser.quit()


def test_a_relative_opens_her_box_with_its_code_in_a_real_browser(
    household: str,
    dovecot: Dovecot,
    services: Services,
    holder: SignedIn,
    directory_url: str,
    tmp_path: Path,
) -> None:
    """The holder created Léa's box for her to choose its password (the wizard's part is
    the screens' tests'); in the web kiosk she takes "I have an activation code", types
    her address, the code and a password of her own twice, and is on her own box's page.
    Dovecot, which refused the box until then, signs her in with that password, and the
    code does not open the box a second time."""
    require_server(CHROMIUM, "chromium")
    require_server(CHROMEDRIVER, "chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    created = services.provisioning.commit(holder, awaiting_request(LEA), "test")
    assert created.activation is not None
    code = created.activation.code
    assert not dovecot.login(LEA, NEW_PASSWORD)

    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=chromium_options(True))
    try:
        with running_serve(tmp_path / "serve.log") as served:
            session = BrowserSession(browser, served.page)
            # The kiosk's word on remembering devices: its directory is open.
            assert session.wait_for("never offered on a shared terminal"), session.tail()
            # Keys in one burst are dealt with in their order, each where the one
            # before left the focus.
            session.type(session.TAB * 2 + session.ENTER)  # past the password
            assert session.wait_for("Open your new mailbox"), session.tail()
            session.type(LEA + session.ENTER + code + session.ENTER)
            assert session.wait_for("New password"), session.tail()
            session.type(NEW_PASSWORD + session.ENTER + NEW_PASSWORD)
            # "Open my box" waits for the policy's verdict on the password: Enter again
            # until it is taken.
            for _ in range(5):
                session.type(session.ENTER)
                if session.wait_for("Your mailbox", timeout=3):
                    break
            else:
                raise AssertionError(session.tail())
    finally:
        browser.quit()

    assert audited(directory_url, "mailbox.activated") == ["terminal, web 127.0.0.1"]
    assert dovecot.login(LEA, NEW_PASSWORD)
    with pytest.raises(Refused, match="already used"):
        services.activation.activate(LEA, code, NEW_PASSWORD, NEW_PASSWORD, "test")


def test_a_browser_away_from_home_is_named_and_asked_for_the_code(
    household: str, services: Services, directory_url: str, tmp_path: Path
) -> None:
    """Chromium in a network namespace of the test's own, outside the trusted networks:
    even with web_home_networks_count_as_home, the gate asks for the code, and the wrong
    code is in the audit log with the browser's address."""
    require_server(CHROMIUM, "chromium")
    require_server(CHROMEDRIVER, "chromium-driver")
    from selenium import webdriver

    enrol_an_authenticator(services)
    environment = {
        "MAILWIZARD_TRUSTED_NETWORKS": LOOPBACK_ONLY,
        "MAILWIZARD_WEB_HOME_NETWORKS_COUNT_AS_HOME": "true",
    }
    with away_network() as away:
        # chromedriver, and the Chromium it starts, run in the namespace; Selenium
        # drives them from here through the veth pair.
        driver = subprocess.Popen(
            away.command(CHROMEDRIVER, f"--port={DRIVER_PORT}",
                         f"--allowed-ips={away.host_address}"),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            assert wait_until(lambda: _listens(away.client_address, DRIVER_PORT), timeout=15)
            browser = webdriver.Remote(
                f"http://{away.client_address}:{DRIVER_PORT}", options=chromium_options(True)
            )
            try:
                log = tmp_path / "serve.log"
                with running_serve(log, away.host_address, environment) as served:
                    session = BrowserSession(browser, served.page)
                    reach_the_gate(session, HOLDER, HOLDER_PASSWORD)
                    assert session.wait_for("Code from your app"), session.tail()
                    session.type("000000", session.ENTER)
                    assert wait_until(lambda: bool(audited(directory_url, "totp.failed"))), (
                        session.tail()
                    )
            finally:
                browser.quit()
        finally:
            driver.terminate()
            driver.wait(timeout=10)
    assert audited(directory_url, "totp.failed") == [f"terminal, web {away.client_address}"]


def _listens(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return False
    return True
