"""The composition root: settings -> directory and hasher -> services.

The command line, the terminal UI and the tests all build the program here. The
database and hashing libraries are imported inside ``bootstrap`` so that importing
this module costs nothing at start-up.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from mailwizard.clock import Clock, utc_now
from mailwizard.config import Settings
from mailwizard.services.access import AccessService
from mailwizard.services.activation import ActivationService
from mailwizard.services.client_setup import ClientSetupService
from mailwizard.services.delivery import DeliveryService, MailSettings
from mailwizard.services.devices import DeviceService
from mailwizard.services.directory_watch import DirectoryWatch
from mailwizard.services.households import HouseholdService
from mailwizard.services.management import ManagementPolicy, ManagementService
from mailwizard.services.passphrases import PassphraseService
from mailwizard.services.ports import Transport
from mailwizard.services.provisioning import ProvisioningService
from mailwizard.services.signin import SignInService, ThrottlePolicy

if TYPE_CHECKING:
    from sqlalchemy import Engine


@dataclass(frozen=True)
class Services:
    settings: Settings
    households: HouseholdService
    provisioning: ProvisioningService
    signin: SignInService
    access: AccessService
    management: ManagementService
    devices: DeviceService
    activation: ActivationService
    delivery: DeliveryService
    client_setup: ClientSetupService
    watch: DirectoryWatch
    engine: Engine

    def close(self) -> None:
        self.watch.close()
        self.engine.dispose()


def transport(settings: Settings) -> Transport:
    if settings.delivery == "smtp":
        from mailwizard.delivery.smtp import SmtpTransport

        return SmtpTransport(
            settings.smtp_relay_host,
            settings.smtp_relay_port,
            settings.smtp_relay_user,
            settings.smtp_relay_ca_file,
        )
    if settings.delivery == "lmtp":
        from mailwizard.delivery.lmtp import LmtpTransport

        return LmtpTransport(settings.lmtp_host, settings.lmtp_port)
    from mailwizard.delivery.maildir import MaildirTransport

    return MaildirTransport(settings.mail_folder, settings.mail_uid, settings.mail_gid)


def passphrases(settings: Settings) -> PassphraseService:
    """Needs no directory: ``mailwizard passphrase`` opens none."""
    from mailwizard.word_lists import PackagedWordLists

    return PassphraseService(PackagedWordLists(), settings.password_policy)


def bootstrap(
    settings: Settings,
    *,
    create_directory: bool = False,
    clock: Clock | None = None,
) -> Services:
    """Opens (or, with ``create_directory``, creates) the directory and wires the services.

    ``clock`` dates what the directory records; pictures and snapshots fix it."""
    from mailwizard.backends.card_folder import CardFolder
    from mailwizard.backends.change_feeds import open_change_feed
    from mailwizard.backends.engine import open_engine
    from mailwizard.backends.mail_archive import MaildirArchive
    from mailwizard.backends.sealed_secrets import SecretSeal
    from mailwizard.backends.sql_accounts import SqlAccounts
    from mailwizard.backends.sql_activation import SqlActivations
    from mailwizard.backends.sql_addresses import SqlAddressRegistry
    from mailwizard.backends.sql_aliases import SqlAliases
    from mailwizard.backends.sql_audit import SqlAuditLog
    from mailwizard.backends.sql_authenticators import SqlAuthenticators
    from mailwizard.backends.sql_devices import SqlRememberedDevices
    from mailwizard.backends.sql_households import SqlHouseholds
    from mailwizard.backends.sql_mailboxes import SqlMailboxes
    from mailwizard.backends.sql_outbox import SqlOutbox
    from mailwizard.backends.sql_throttle import SqlCodeThrottle, SqlSignInThrottle
    from mailwizard.hashing import Argon2idHasher
    from mailwizard.keyring_secrets import KeyringDevice

    engine = open_engine(
        settings.directory_url,
        create=create_directory,
        busy_timeout_seconds=settings.busy_timeout_seconds,
        directory_group=settings.directory_group,
    )
    households = SqlHouseholds(engine, clock or utc_now)
    registry = SqlAddressRegistry(engine)
    accounts = SqlAccounts(engine)
    mailboxes = SqlMailboxes(engine, clock or utc_now)
    audit_log = SqlAuditLog(engine, clock or utc_now)
    hasher = Argon2idHasher(
        time_cost=settings.argon2_time_cost,
        memory_kib=settings.argon2_memory_kib,
        parallelism=settings.argon2_parallelism,
    )
    throttle = SqlSignInThrottle(engine)
    signin_policy = ThrottlePolicy(
        settings.signin_max_failures, timedelta(minutes=settings.signin_lock_minutes)
    )
    signin = SignInService(accounts, audit_log, hasher, throttle, signin_policy, clock or utc_now)
    activation_lifetime = timedelta(hours=settings.activation_hours)
    access = AccessService(
        SqlAuthenticators(engine, SecretSeal(settings.totp_key), clock or utc_now),
        signin,
        SqlCodeThrottle(engine),
        ThrottlePolicy(settings.totp_max_failures, timedelta(minutes=settings.totp_lock_minutes)),
        settings.trusted_networks,
        clock or utc_now,
        web_counts_as_home=settings.web_home_networks_count_as_home,
    )
    delivery = DeliveryService(
        SqlOutbox(engine),
        transport(settings),
        MailSettings(settings.mail_from, settings.announced_servers),
        clock or utc_now,
    )
    return Services(
        settings=settings,
        households=HouseholdService(
            households, audit_log, hasher, settings.password_policy, settings.max_secondary
        ),
        provisioning=ProvisioningService(
            households,
            registry,
            mailboxes,
            hasher,
            settings.password_policy,
            delivery,
            activation_lifetime,
            clock or utc_now,
            passphrases=passphrases(settings),
            signin=signin,
            access=access,
        ),
        signin=signin,
        management=ManagementService(
            households,
            accounts,
            mailboxes,
            SqlAliases(engine, clock or utc_now),
            audit_log,
            hasher,
            signin,
            MaildirArchive(settings.mail_folder, clock or utc_now),
            settings.password_policy,
            ManagementPolicy(settings.max_aliases, timedelta(days=settings.keep_deleted_days)),
            delivery,
            clock or utc_now,
        ),
        access=access,
        devices=DeviceService(
            SqlRememberedDevices(engine),
            KeyringDevice(),
            accounts,
            audit_log,
            signin,
            throttle,
            timedelta(days=settings.remember_device_days),
            platform.node() or "?",
            clock or utc_now,
        ),
        activation=ActivationService(
            SqlActivations(engine, clock or utc_now),
            households,
            audit_log,
            hasher,
            throttle,
            signin_policy,
            settings.password_policy,
            activation_lifetime,
            delivery,
            clock or utc_now,
            passphrases=passphrases(settings),
        ),
        delivery=delivery,
        client_setup=ClientSetupService(
            households, accounts, settings.announced_servers, CardFolder(settings.card_folder)
        ),
        watch=DirectoryWatch(lambda: open_change_feed(engine)),
        engine=engine,
    )
