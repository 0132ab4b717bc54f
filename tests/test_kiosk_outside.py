"""The kiosk outside the test harness: in a real terminal (tmux), where Ctrl+C, Ctrl+Q,
Ctrl+Z and Ctrl+\\ do not end it and SIGTERM does; and in a real browser (Debian's
Chromium), where ``mailwizard serve`` shows the wizard and takes keystrokes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from dovecot_server import free_port, require_server
from real_terminal import Tmux, alive, wait_until

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


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


def failed_sign_ins_from_a_kiosk(directory_url: str) -> int:
    engine = create_engine(directory_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            query = text(
                "SELECT count(*) FROM audit_log WHERE action = 'signin.failed' "
                "AND origin = 'terminal, kiosk'"
            )
            return int(connection.execute(query).scalar_one())
    finally:
        engine.dispose()


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
    household: str, directory_url: str, isolated_environment: dict[str, str], tmp_path: Path
) -> None:
    require_server(CHROMIUM, "chromium")
    require_server(CHROMEDRIVER, "chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mailwizard", "--lang", "en", "serve", "--port", str(port)],
        env={**os.environ, "MAILWIZARD_SMTP_PASSWORD": "a-secret-of-the-server"},
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "serve.log").open("w"),
        start_new_session=True,
    )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--window-size=1200,800"):  # fmt: skip
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        assert wait_until(lambda: _answers(f"http://127.0.0.1:{port}/")), "serve did not start"
        browser.get(f"http://127.0.0.1:{port}/")
        body = browser.find_element(By.TAG_NAME, "body")
        assert wait_until(lambda: "-first-byte" in (body.get_attribute("class") or "")), (
            "the wizard never drew in the page"
        )
        time.sleep(1)
        browser.find_element(By.ID, "terminal").click()
        typing = ActionChains(browser)
        typing.send_keys("nobody@famille-martin.fr", Keys.TAB, "Not-the-password-42", Keys.ENTER)
        typing.perform()
        assert wait_until(lambda: failed_sign_ins_from_a_kiosk(directory_url) == 1), (
            "the keystrokes did not reach the sign-in of a kiosk session"
        )
        environments = session_environments(server.pid)
        assert environments, "no kiosk session process found"
        for environment in environments:
            assert "MAILWIZARD_SMTP_PASSWORD" not in environment
            assert not any("PASSWORD" in name for name in environment)
    finally:
        browser.quit()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


def _answers(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False
