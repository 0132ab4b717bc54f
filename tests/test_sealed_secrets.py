"""The authenticators' secrets are sealed in the directory, with a key that only
mailwizard's user can read: the mail servers, who may read the directory, cannot."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pyotp
import pytest

from both_engines import on_both_engines  # noqa: F401 - every test here runs on both engines
from cli_harness import Cli, query
from hand_clock import HandClock
from mailwizard.bootstrap import Services, bootstrap
from mailwizard.config import Settings
from mailwizard.domain.access import Origin, OriginKind
from mailwizard.errors import DirectoryUnavailable, Refused
from mailwizard.services.signin import SignedIn
from martin_household import HOLDER_PASSWORD, enrolled_authenticator

AWAY = Origin(OriginKind.SSH, "203.0.113.5")


def stored_secret(directory_url: str) -> str:
    """The first household's column as the directory holds it."""
    ((stored,),) = query(directory_url, "SELECT totp_secret FROM household ORDER BY id LIMIT 1")
    return str(stored)


def passes_the_gate(services: Services, holder: SignedIn, code: str) -> bool:
    try:
        services.access.check_creation_access(holder, AWAY, code, "test")
    except Refused:
        return False
    return True


def test_an_enrolled_secret_is_stored_sealed_and_still_checks_codes(
    services: Services,
    holder: SignedIn,
    clock: HandClock,
    directory_url: str,
    directory_engine: str,
    directory_path: Path,
    isolated_environment: dict[str, str],
) -> None:
    app = enrolled_authenticator(services, holder, clock.now)
    stored = stored_secret(directory_url)
    assert stored.startswith("s1:") and app.secret not in stored
    key = Path(isolated_environment["MAILWIZARD_DATA_DIR"]) / "totp.key"
    assert key.stat().st_mode & 0o777 == 0o600
    if directory_engine == "sqlite":
        services.close()
        for path in directory_path.parent.glob("directory.sqlite3*"):
            assert app.secret.encode() not in path.read_bytes(), path
    reopened = bootstrap(Settings(), clock=clock)
    try:
        assert passes_the_gate(reopened, holder, app.at(clock.now))
    finally:
        reopened.close()


def test_a_secret_stored_in_clear_by_an_older_version_is_sealed_at_its_first_use(
    services: Services, holder: SignedIn, clock: HandClock, directory_url: str
) -> None:
    app = pyotp.TOTP(pyotp.random_base32())
    query(directory_url, "UPDATE household SET totp_secret = :secret", secret=app.secret)
    assert passes_the_gate(services, holder, app.at(clock.now))
    assert stored_secret(directory_url).startswith("s1:")
    clock.now += timedelta(seconds=30)
    assert passes_the_gate(services, holder, app.at(clock.now))


def test_a_sealed_secret_opens_only_with_its_key_and_for_its_household(
    services: Services,
    cli: Cli,
    holder: SignedIn,
    clock: HandClock,
    directory_url: str,
    isolated_environment: dict[str, str],
) -> None:
    app = enrolled_authenticator(services, holder, clock.now)
    sealed = stored_secret(directory_url)
    key = Path(isolated_environment["MAILWIZARD_DATA_DIR"]) / "totp.key"

    key.rename(key.with_suffix(".elsewhere"))
    with pytest.raises(DirectoryUnavailable, match=r"totp\.key"):
        services.access.check_creation_access(holder, AWAY, app.at(clock.now), "test")
    key.with_suffix(".elsewhere").rename(key)

    key.chmod(0o644)
    with pytest.raises(DirectoryUnavailable, match="chmod 600"):
        services.access.check_creation_access(holder, AWAY, app.at(clock.now), "test")
    key.chmod(0o600)

    # Copied into another household's row, it does not open there.
    neighbour = cli.init("famille-durand.fr", "paul.durand@famille-durand.fr", last_name="Durand")
    assert neighbour.exit_code == 0, neighbour.stderr
    paul = services.signin.sign_in("paul.durand@famille-durand.fr", HOLDER_PASSWORD, "test")
    query(
        directory_url,
        "UPDATE household SET totp_secret = :sealed WHERE id = :id",
        sealed=sealed,
        id=paul.household_id,
    )
    with pytest.raises(DirectoryUnavailable, match="household"):
        services.access.check_creation_access(paul, AWAY, app.at(clock.now), "test")
