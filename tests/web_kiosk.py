"""``mailwizard serve`` for the tests: the real server in a process of its own, and a
WebSocket client that speaks to a session as textual-serve's page does (keystrokes in,
the terminal's bytes out), reading the screen's words from those bytes."""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pyotp
import websocket
from sqlalchemy import create_engine, text

from dovecot_server import free_port
from mailwizard.bootstrap import Services
from mailwizard.clock import utc_now
from mailwizard.domain.access import Origin, OriginKind
from martin_household import HOLDER, HOLDER_PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
MANAGEMENT = "secondary addresses left"  # the count under the management page's table
ESCAPE_SEQUENCE = re.compile(rb"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07]*\x07|[@-_])")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False


@dataclass(frozen=True)
class Served:
    page: str
    """The URL a browser opens."""
    pid: int
    """The server's, which leads the process group of every session it starts."""


@contextmanager
def running_serve(
    log: Path,
    host: str = "127.0.0.1",
    environment: dict[str, str] | None = None,
    arguments: tuple[str, ...] = (),
) -> Iterator[Served]:
    """``mailwizard serve`` on ``host`` and a free port, with the test's environment and
    ``environment`` on top, and ``arguments``. Stopped by process group at the end."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mailwizard", "--lang", "en", "serve", "--host", host,
         "--port", str(port), *arguments],
        env={**os.environ, **(environment or {})},
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
        start_new_session=True,
    )  # fmt: skip
    url = f"http://{host}:{port}/"
    try:
        deadline = time.monotonic() + 30
        while not answers(url):
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.1)
        yield Served(url, server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
            raise


class Screen:
    """What a session drew, read back from the terminal's bytes."""

    TAB = "\t"
    ENTER = "\r"

    def __init__(self) -> None:
        self._screen = b""

    def received(self) -> bytes | None:
        """More of the terminal's bytes (b"" when none came yet), None once closed."""
        raise NotImplementedError

    def send(self, keys: str) -> None:
        raise NotImplementedError

    def text(self) -> str:
        """Every word drawn so far, escape sequences taken out."""
        return ESCAPE_SEQUENCE.sub(b"", self._screen).decode("utf-8", "replace")

    def tail(self, characters: int = 1500) -> str:
        """The last words drawn, blanks squeezed, for a failure's message."""
        return re.sub(r"\s{2,}", "  ", self.text())[-characters:]

    def wait_for(self, words: str, timeout: float = 30) -> bool:
        deadline = time.monotonic() + timeout
        while words not in self.text():
            if time.monotonic() > deadline:
                return False
            data = self.received()
            if data is None:
                return False
            self._screen += data
        return True

    def type(self, *keys: str) -> None:
        """Each of ``keys`` in turn, as typed (a Tab sent with other keys in one packet
        would not move the focus before they arrive)."""
        for chunk in keys:
            self.send(chunk)
            time.sleep(0.3)


class WebSession(Screen):
    """One browser session, without the browser: its WebSocket, from this machine."""

    def __init__(self, page: str, headers: dict[str, str] | None = None) -> None:
        super().__init__()
        url = page.replace("http://", "ws://", 1) + "ws?width=160&height=40"
        header = [f"{name}: {value}" for name, value in (headers or {}).items()]
        self._socket = websocket.create_connection(url, timeout=10, header=header)
        self._socket.settimeout(0.2)

    def received(self) -> bytes | None:
        try:
            opcode, data = self._socket.recv_data()
        except websocket.WebSocketTimeoutException:
            return b""
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            return None
        return bytes(data) if opcode == websocket.ABNF.OPCODE_BINARY else b""

    def send(self, keys: str) -> None:
        self._socket.send(json.dumps(["stdin", keys]))

    def close(self) -> None:
        self._socket.close()


class BrowserSession(Screen):
    """The session of a real browser (Chromium driven by Selenium, asked for its
    performance log): its screen read from the WebSocket frames the page received."""

    TAB = "\ue004"  # Selenium's Keys.TAB and Keys.ENTER
    ENTER = "\ue007"

    def __init__(self, browser: Any, page: str) -> None:
        """Opens ``page`` in ``browser``: a new session, read from its first frame."""
        super().__init__()
        self._browser = browser
        self._focused = False
        self._log()  # what earlier pages received is not this session's
        browser.get(page)

    def _log(self) -> list[dict[str, Any]]:
        # What Chrome's own driver calls get_log, which a Remote one lacks.
        entries: list[dict[str, Any]] = self._browser.execute("getLog", {"type": "performance"})[
            "value"
        ]
        return entries

    def received(self) -> bytes:
        data = b""
        for entry in self._log():
            message = json.loads(entry["message"])["message"]
            if message["method"] != "Network.webSocketFrameReceived":
                continue
            frame = message["params"]["response"]
            if frame["opcode"] == 2:
                data += base64.b64decode(frame["payloadData"])
        if not data:
            time.sleep(0.2)
        return data

    def send(self, keys: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        if not self._focused:  # the keys go where the page's focus is: its terminal
            self._click_terminal()
            self._focused = True
        ActionChains(self._browser).send_keys(keys).perform()

    def _click_terminal(self) -> None:
        from selenium.common.exceptions import ElementClickInterceptedException
        from selenium.webdriver.common.by import By

        deadline = time.monotonic() + 15
        while True:
            try:
                self._browser.find_element(By.ID, "terminal").click()
                return
            except ElementClickInterceptedException:
                # The page covers its terminal with a notice until the session is up.
                assert time.monotonic() < deadline, "the terminal stayed covered"
                time.sleep(0.1)


def reach_the_gate(session: Screen, address: str, password: str) -> None:
    """Signs in and presses "Create an address" on the management page: the first step
    is the gate away from home, the identity at home."""
    assert session.wait_for("Sign in"), session.tail()
    session.type(address, session.TAB, password, session.ENTER)
    assert session.wait_for(MANAGEMENT), session.tail()
    # The page draws its keys a moment before it takes them: press again if need be.
    for _ in range(3):
        session.type("c")
        if session.wait_for("Step 1 of", timeout=5):
            return
    raise AssertionError(session.tail())


def chromium_options(performance_log: bool = False) -> Any:
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--window-size=1200,800"):  # fmt: skip
        options.add_argument(argument)
    if performance_log:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return options


def enrol_an_authenticator(services: Services) -> None:
    """The holder sets up an authenticator (from the console), as they would at home."""
    holder = services.signin.sign_in(HOLDER, HOLDER_PASSWORD, "test")
    enrolment = services.access.start_enrolment(holder, Origin(OriginKind.CONSOLE))
    earlier = utc_now() - timedelta(seconds=30)
    code = pyotp.TOTP(enrolment.secret).at(earlier)
    services.access.confirm_enrolment(holder, enrolment, code, "test")


def audited(directory_url: str, action: str) -> list[str]:
    """Where each ``action`` of the audit log came from, oldest first."""
    engine = create_engine(directory_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            query = text("SELECT origin FROM audit_log WHERE action = :action ORDER BY id")
            return list(connection.execute(query, {"action": action}).scalars())
    finally:
        engine.dispose()
