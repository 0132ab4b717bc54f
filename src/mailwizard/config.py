"""Settings: ``MAILWIZARD_*`` environment variables, then ``config.toml``, then defaults.

The TOML file lives in the user config folder (``MAILWIZARD_CONFIG`` names another).
Secrets are never settings: they come from the environment variables the commands
document, a hidden prompt, or the system keyring.
"""

from __future__ import annotations

import ipaddress
import tomllib
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, Literal

import platformdirs
from pydantic import AfterValidator, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from mailwizard.bounded_files import NESTED_TOO_DEEP, FileRefused, read_bounded
from mailwizard.domain.access import DEFAULT_TRUSTED_NETWORKS
from mailwizard.domain.mail_clients import AnnouncedServers, ImapSecurity, submission_port
from mailwizard.domain.management import DEFAULT_MAX_ALIASES
from mailwizard.domain.passwords import PasswordPolicy
from mailwizard.domain.quota import DEFAULT_MAX_SECONDARY
from mailwizard.errors import UsageProblem
from mailwizard.i18n import N_, _
from mailwizard.startup import (
    APP_NAME,
    ENVIRONMENT_PREFIX,
    KIOSK_IDLE_BOUNDS,
    KIOSK_IDLE_SECONDS,
    KIOSK_PIN_MIN_LENGTH,
    config_file,
)


class BoundedTomlSource(TomlConfigSettingsSource):
    """The settings file, read as the answers file is: a regular file of at most 64 KiB."""

    def _read_file(self, file_path: Path | Traversable) -> dict[str, Any]:
        return tomllib.loads(read_bounded(Path(str(file_path))).decode("utf-8"))


def _network(value: str) -> str:
    ipaddress.ip_network(value, strict=False)  # a ValueError says what is wrong
    return value


class Settings(BaseSettings):
    """Everything an operator may set; each field is documented in the README."""

    model_config = SettingsConfigDict(env_prefix=ENVIRONMENT_PREFIX, extra="forbid")

    directory: str | None = Field(
        default=None,
        description=(
            "Where the mail-account directory is: sqlite:///PATH or postgresql://USER@HOST/DB. "
            "Default: directory.sqlite3 in the data folder."
        ),
    )
    data_dir: Path = Field(
        default_factory=lambda: platformdirs.user_data_path(APP_NAME),
        description="Folder for the embedded directory and delivered mail.",
    )
    language: Literal["en", "fr"] | None = Field(
        default=None,
        description="Interface language; default: from LC_ALL / LC_MESSAGES / LANG, else English.",
    )
    password_policy: PasswordPolicy = Field(
        default=PasswordPolicy.MODERN,
        description="modern (NIST SP 800-63B, 12+ characters) or orange (8+, mixed case, digit).",
    )
    max_secondary: int = Field(
        default=DEFAULT_MAX_SECONDARY,
        ge=0,
        le=1000,
        description="Secondary boxes allowed to a household created from now on.",
    )
    argon2_time_cost: int = Field(default=2, ge=2, description="Argon2id passes.")
    argon2_memory_kib: int = Field(default=19456, ge=19456, description="Argon2id memory, KiB.")
    argon2_parallelism: int = Field(default=1, ge=1, le=16, description="Argon2id lanes.")
    mail_root: Path | None = Field(
        default=None,
        description="Where the boxes' Maildirs live (Dovecot's homes); default: DATA_DIR/mail.",
    )
    mail_uid: int | None = Field(
        default=None, ge=1, description="System user that owns the Maildirs; default: yours."
    )
    mail_gid: int | None = Field(
        default=None, ge=1, description="System group that owns the Maildirs; default: yours."
    )
    directory_group: str | None = Field(
        default=None,
        pattern=r"^[a-z_][a-z0-9_-]{0,31}$",
        description="SQLite: the system group through which the mail servers read the "
        "directory (Debian: postfix); its folder, file and WAL files are kept readable by it.",
    )
    tls_cert_file: Path = Field(
        default=Path("/etc/ssl/certs/ssl-cert-snakeoil.pem"),
        description="The mail servers' TLS certificate (STARTTLS for IMAP and submission).",
    )
    tls_key_file: Path = Field(
        default=Path("/etc/ssl/private/ssl-cert-snakeoil.key"),
        description="The key of that certificate.",
    )
    postfix_queue_directory: Path = Field(
        default=Path("/var/spool/postfix"),
        description="Postfix's queue directory, where Dovecot puts its LMTP and auth sockets.",
    )
    submission_service: str = Field(
        default="submission",
        pattern=r"^[A-Za-z0-9.:\[\]_-]{1,100}$",
        description="master.cf's name for the submission service: submission (port 587) "
        "or ADDRESS:PORT.",
    )
    postfix_role: str = Field(
        default="mailwizard_postfix",
        pattern=r"^[a-z_][a-z0-9_]{0,62}$",
        description="PostgreSQL: the read-only role Postfix signs in with.",
    )
    dovecot_role: str = Field(
        default="mailwizard_dovecot",
        pattern=r"^[a-z_][a-z0-9_]{0,62}$",
        description="PostgreSQL: the read-only role Dovecot signs in with.",
    )
    totp_key_file: Path | None = Field(
        default=None,
        description="The key that seals the authenticators' secrets in the directory, "
        "readable by mailwizard's user only; the same file on every terminal of a directory. "
        "Default: DATA_DIR/totp.key.",
    )
    delivery: Literal["maildir", "lmtp", "smtp"] = Field(
        default="maildir",
        description="How confirmation e-mails leave: into the Maildirs, to LMTP, or to a relay.",
    )
    lmtp_host: str = Field(default="127.0.0.1", description="Dovecot's LMTP service.")
    lmtp_port: int = Field(default=24, ge=1, le=65535, description="Dovecot's LMTP port.")
    smtp_relay_host: str = Field(default="localhost", description="The SMTP relay.")
    smtp_relay_port: int = Field(default=587, ge=1, le=65535, description="The relay's port.")
    smtp_relay_user: str | None = Field(
        default=None,
        description="User for the relay; its password comes from MAILWIZARD_SMTP_PASSWORD "
        "or the keyring (service mailwizard, name smtp-password).",
    )
    smtp_relay_ca_file: Path | None = Field(
        default=None, description="CA certificates to trust for the relay; default: the system's."
    )
    mail_from: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$",
        description="Sender of confirmation e-mails; default: postmaster@DOMAIN.",
    )
    imap_host: str | None = Field(
        default=None,
        description="IMAP server named to the boxes' users (welcome e-mail and card, "
        "client-config); default: mail.DOMAIN.",
    )
    imap_security: ImapSecurity = Field(
        default=ImapSecurity.STARTTLS,
        description="How clients reach IMAP: starttls (port 143) or ssl (TLS at once, 993).",
    )
    imap_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="IMAP port named to the boxes' users; default: 143, or 993 with ssl.",
    )
    smtp_host: str | None = Field(
        default=None,
        description="Submission server named to the boxes' users (port from "
        "submission_service, STARTTLS); default: mail.DOMAIN.",
    )
    cards_folder: Path | None = Field(
        default=None,
        description="Where the wizard saves welcome cards to print; default: "
        "mailwizard in the user's documents folder.",
    )
    trusted_networks: list[Annotated[str, AfterValidator(_network)]] = Field(
        default_factory=lambda: list(DEFAULT_TRUSTED_NETWORKS),
        description="Networks that count as home for a holder signed in over SSH (and in "
        "a web session, when web_home_networks_count_as_home).",
    )
    web_home_networks_count_as_home: bool = Field(
        default=False,
        description="mailwizard serve: a browser on a trusted network counts as home (off: "
        "every web session needs the authenticator's code, as on a shared kiosk).",
    )
    trusted_proxies: list[Annotated[str, AfterValidator(_network)]] = Field(
        default_factory=list,
        description="mailwizard serve: the proxies whose X-Forwarded-For names the browser; "
        "from anyone else that header is not believed.",
    )
    signin_max_failures: int = Field(
        default=5, ge=1, description="Failed sign-ins in a row that lock an address's sign-in."
    )
    signin_lock_minutes: float = Field(
        default=15, gt=0, description="How long such a lock lasts, in minutes."
    )
    totp_max_failures: int = Field(
        default=5,
        ge=1,
        description="Wrong authenticator codes in a row that lock a household's codes.",
    )
    totp_lock_minutes: float = Field(
        default=15, gt=0, description="How long such a lock lasts, in minutes."
    )
    remember_device_days: int = Field(
        default=30,
        ge=1,
        le=365,
        description="How long a device whose holder ticked “remember this device” stays so.",
    )
    activation_hours: float = Field(
        default=72,
        gt=0,
        le=24 * 90,
        description="How long an activation code, for a relative to choose their box's "
        "password, stays valid.",
    )
    busy_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        description="How long a write waits for another writer before giving up (SQLite).",
    )

    max_aliases: int = Field(
        default=DEFAULT_MAX_ALIASES, ge=0, le=1000, description="Aliases allowed to each box."
    )
    keep_deleted_days: int = Field(
        default=30,
        ge=0,
        description="Days a deleted box's mail is archived, and its address held, until "
        "mailwizard purge erases them.",
    )

    kiosk: bool = Field(
        default=False,
        description="A shared screen: no way out, strong identification always, every "
        "session forgotten after it (also: mailwizard --kiosk).",
    )
    kiosk_idle_seconds: int = Field(
        default=KIOSK_IDLE_SECONDS,
        ge=KIOSK_IDLE_BOUNDS[0],
        le=KIOSK_IDLE_BOUNDS[1],
        description="Kiosk: seconds without a key or a click before everything is forgotten.",
    )
    kiosk_admin_pin: SecretStr | None = Field(
        default=None,
        min_length=KIOSK_PIN_MIN_LENGTH,
        description="Kiosk: the PIN that ends the program after the administrator's keys; "
        "without one, only SIGTERM ends it.",
    )
    theme: Literal["default", "high-contrast"] = Field(
        default="default",
        description="The screen's colours; high-contrast also helps people who see poorly.",
    )

    @field_validator("submission_service")
    @classmethod
    def _submission_port_known(cls, value: str) -> str:
        submission_port(value)  # its ValueError says what is accepted
        return value

    @property
    def announced_servers(self) -> AnnouncedServers:
        """The servers, ports and security the boxes' users are told."""
        return AnnouncedServers(
            imap_host=self.imap_host,
            imap_port=self.imap_port,
            imap_security=self.imap_security,
            smtp_host=self.smtp_host,
            smtp_port=submission_port(self.submission_service),
        )

    @property
    def card_folder(self) -> Path:
        return self.cards_folder or platformdirs.user_documents_path() / APP_NAME

    @property
    def totp_key(self) -> Path:
        return self.totp_key_file or self.data_dir / "totp.key"

    @property
    def mail_folder(self) -> Path:
        return self.mail_root or self.data_dir / "mail"

    @property
    def directory_url(self) -> str:
        if self.directory:
            return self.directory
        return f"sqlite:///{self.data_dir / 'directory.sqlite3'}"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            BoundedTomlSource(settings_cls, toml_file=config_file()),
        )


def load_settings(**overrides: Any) -> Settings:
    """The settings, ``overrides`` first; a wrong or unreadable one is a usage problem."""
    try:
        return Settings(**{key: value for key, value in overrides.items() if value is not None})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError, FileRefused) as error:
        raise UsageProblem(
            N_("The settings file {path} cannot be read: {reason}"),
            path=str(config_file()),
            reason=str(error),
        ) from None
    except RecursionError:
        raise UsageProblem(
            N_("The settings file {path} cannot be read: {reason}"),
            path=str(config_file()),
            reason=_(NESTED_TOO_DEEP),
        ) from None
    except ValidationError as error:
        first = error.errors()[0]
        setting = ".".join(str(part) for part in first["loc"])
        raise UsageProblem(
            N_("The setting “{setting}” is not valid: {reason}"),
            setting=setting,
            reason=first["msg"],
        ) from None
