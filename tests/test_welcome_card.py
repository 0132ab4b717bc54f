"""The welcome card, printed by a real browser: Debian's Chromium (headless, driven by
Selenium) shows it in its reader's language with the address and the servers, prints
it on one A4 page, and no password is anywhere in it."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from cli_harness import Cli
from dovecot_server import require_server
from mailwizard.bootstrap import Services
from mailwizard.services.activation_codes import IssuedCode
from martin_household import DOMAIN, HOLDER_PASSWORD, NEW_PASSWORD
from web_kiosk import CHROMEDRIVER, CHROMIUM, chromium_options

pytestmark = pytest.mark.servers
PAGE = re.compile(rb"/Type\s*/Page\b(?!s)")


@pytest.fixture
def browser() -> Iterator[Any]:
    require_server(CHROMIUM, "chromium")
    require_server(CHROMEDRIVER, "chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=chromium_options())
    try:
        yield driver
    finally:
        driver.quit()


def printed_pages(browser: Any) -> int:
    from selenium.webdriver.common.print_page_options import PrintOptions

    options = PrintOptions()
    options.page_height, options.page_width = 29.7, 21.0
    pdf = base64.b64decode(browser.print_page(options))
    return len(PAGE.findall(pdf))


def no_password_in(page: str) -> None:
    for password in (NEW_PASSWORD, HOLDER_PASSWORD):
        assert password not in page
        assert password.lower() not in page.lower()


@pytest.mark.parametrize(
    ("language", "heading", "incoming"),
    [("en", "Your new mailbox", "Incoming mail (IMAP)"),
     ("fr", "Votre nouvelle boîte mail", "Courrier entrant (IMAP)")],
)  # fmt: skip
def test_the_card_is_one_printed_page_in_its_reader_s_language_without_a_password(
    cli: Cli,
    household: str,
    answers_dir: Path,
    tmp_path: Path,
    browser: Any,
    language: str,
    heading: str,
    incoming: str,
) -> None:
    lea = cli.new_box(answers_dir, language=language)
    card = tmp_path / "card.html"
    written = cli("card", lea, "--out", str(card))
    assert written.exit_code == 0, written.stderr
    assert written.stdout.strip() == str(card)
    no_password_in(card.read_text(encoding="utf-8"))

    browser.get(card.as_uri())
    shown = browser.find_element("tag name", "body").text
    no_password_in(shown)
    assert heading in shown
    assert lea in shown
    assert incoming in shown
    assert f"mail.{DOMAIN}" in shown
    assert re.search(r"\b143\b", shown) and re.search(r"\b587\b", shown)
    assert f"https://autoconfig.{DOMAIN}/mail.mobileconfig" in shown
    qr = browser.find_element("css selector", "figure svg")
    assert qr.size["width"] >= 100, "the QR code is big enough to scan"
    assert printed_pages(browser) == 1


def test_a_box_awaiting_activation_has_its_code_and_expiry_on_the_card(
    services: Services, cli: Cli, answers_dir: Path, tmp_path: Path, browser: Any
) -> None:
    lea = cli.new_box(answers_dir, language="en")
    activation = IssuedCode("KXR7-M4PQ-T9WA", datetime(2026, 12, 4, 9, 30, tzinfo=UTC))
    card = tmp_path / "card.html"
    card.write_text(services.client_setup.welcome_card(lea, activation), encoding="utf-8")
    browser.get(card.as_uri())
    shown = browser.find_element("tag name", "body").text
    assert "Your box awaits activation" in shown
    assert "KXR7-M4PQ-T9WA" in shown
    assert "Valid until 2026-12-04 09:30 UTC" in shown
    assert printed_pages(browser) == 1


def test_an_unknown_box_has_no_card(cli: Cli, household: str, tmp_path: Path) -> None:
    outcome = cli("card", f"nobody@{DOMAIN}", "--out", str(tmp_path / "card.html"))
    assert outcome.exit_code == 1
    assert outcome.stderr.strip() == f"There is no box at nobody@{DOMAIN}."
    assert not (tmp_path / "card.html").exists()
