"""Fixtures for the terminal UI: the real services on a private SQLite directory."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mailwizard import i18n
from mailwizard.bootstrap import Services, bootstrap
from mailwizard.config import Settings
from mailwizard.domain.access import Origin
from mailwizard.domain.models import Identity
from mailwizard.tui.app import MailwizardApp, build_app
from mailwizard.tui.screens.address import AddressScreen
from mailwizard.tui.widgets.password_pair import PasswordPair
from martin_household import HOLDER, HOLDER_PASSWORD


@pytest.fixture(autouse=True)
def no_typing_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    """The waits for a pause in typing are for people: the tests' keys come all at once."""
    monkeypatch.setattr(AddressScreen, "CHECK_DELAY_SECONDS", 0)
    monkeypatch.setattr(PasswordPair, "ASSESS_DELAY_SECONDS", 0)


@pytest.fixture
def settings(isolated_environment: dict[str, str]) -> Settings:
    return Settings(language="en")


@pytest.fixture
def app_services(settings: Settings) -> Iterator[Services]:
    opened = bootstrap(settings, create_directory=True)
    yield opened
    opened.close()


@pytest.fixture
def app_household(app_services: Services) -> str:
    identity = Identity(civility="m", first_name="Jean", last_name="Martin")
    app_services.households.initialise(
        "famille-martin.fr", identity, HOLDER, HOLDER_PASSWORD, "en", "test"
    )
    return HOLDER


@pytest.fixture
def make_app(settings: Settings, app_services: Services) -> Iterator[Callable[..., MailwizardApp]]:
    language = i18n.active_language()

    def make(language: str = "en", origin: Origin | None = None) -> MailwizardApp:
        return build_app(settings.model_copy(update={"language": language}), app_services, origin)

    yield make
    i18n.set_language(language)


@pytest.fixture
def directory_file(isolated_environment: dict[str, str]) -> Path:
    return Path(isolated_environment["MAILWIZARD_DATA_DIR"]) / "directory.sqlite3"
