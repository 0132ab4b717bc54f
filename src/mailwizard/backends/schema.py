"""The directory's tables (SQLAlchemy Core), one schema for SQLite and PostgreSQL.

``address`` is the registry of every address in use, mailbox or alias, whatever the
household: its primary key is what makes an address unique under concurrency. Each
row also holds its local part split into a stem and the number ending it
(``jean.martin12``: ``jean.martin`` and 12, 0 for none; see
``domain.suggestions.split_number``), unique per domain like the address itself:
suggestions ask that index for the free numbers after a stem instead of reading every
taken one.

``mailbox`` has the columns Dovecot's SQL driver reads (username, password, maildir,
active). A deleted box keeps its row, inactive, until its purge: until then its address
stays taken, so nobody else receives mail meant for its former user. A box created for
its user to choose the password awaits its activation while it has an
``activation_hash`` and no ``activated_at`` (see migration 0010).

``household.secondary_count`` is how many of its secondary boxes are not deleted: the
creation of a box adds one and checks the quota in the same conditional UPDATE, which
also locks the household; a deletion takes one off (a purge erases a box already
deleted, so it does not count).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    text,
)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both engines (SQLite stores them without a zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

domain = Table(
    "domain",
    metadata,
    Column("name", String(253), primary_key=True),
    Column("created_at", UtcDateTime, nullable=False),
)

household = Table(
    "household",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("contract_active", Boolean, nullable=False),
    Column("max_secondary", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("totp_secret", String(64), nullable=True),
    Column("totp_last_step", BigInteger, nullable=True),
    Column("secondary_count", Integer, nullable=False),
)

household_domain = Table(
    "household_domain",
    metadata,
    Column("household_id", ForeignKey("household.id"), primary_key=True),
    Column("domain", ForeignKey("domain.name"), primary_key=True),
)

address = Table(
    "address",
    metadata,
    Column("address", String(254), primary_key=True),
    Column("domain", ForeignKey("domain.name"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("stem", String(64), nullable=False),
    Column("number", BigInteger, nullable=False),
    Index("uq_address_domain_stem_number", "domain", "stem", "number", unique=True),
)

mailbox = Table(
    "mailbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", ForeignKey("address.address"), nullable=False, unique=True),
    Column("password", Text, nullable=False),
    Column("maildir", String(320), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("household_id", ForeignKey("household.id"), nullable=False),
    Column("role", String(16), nullable=False),
    Column("civility", String(16), nullable=False),
    Column("first_name", String(64), nullable=False),
    Column("last_name", String(64), nullable=False),
    Column("language", String(8), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("deleted_at", UtcDateTime, nullable=True),
    Column("purge_after", UtcDateTime, nullable=True, index=True),
    Column("activation_hash", Text, nullable=True),
    Column("activation_expires_at", UtcDateTime, nullable=True),
    Column("activated_at", UtcDateTime, nullable=True),
    Index("ix_mailbox_household_id_role", "household_id", "role"),
    Index(
        "uq_mailbox_one_primary",
        "household_id",
        unique=True,
        sqlite_where=text("role = 'primary'"),
        postgresql_where=text("role = 'primary'"),
    ),
)

alias = Table(
    "alias",
    metadata,
    Column("address", ForeignKey("address.address"), primary_key=True),
    Column("mailbox_id", ForeignKey("mailbox.id"), nullable=False, index=True),
    Column("created_at", UtcDateTime, nullable=False),
)

consent = Table(
    "consent",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("mailbox_id", ForeignKey("mailbox.id"), nullable=False, index=True),
    Column("terms_version", String(32), nullable=False),
    Column("accepted_at", UtcDateTime, nullable=False),
    Column("accepted_by", String(254), nullable=False),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("message_id", String(255), nullable=False, unique=True),
    Column("recipient", String(254), nullable=False),
    Column("language", String(8), nullable=False),
    Column("template", String(64), nullable=False),
    Column("context", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UtcDateTime, nullable=False),
    Column("household_id", ForeignKey("household.id"), nullable=True, index=True),
    Column("actor", String(254), nullable=False),
    Column("origin", String(128), nullable=False),
    Column("action", String(64), nullable=False),
    Column("target", String(254), nullable=True),
)

signin_throttle = Table(
    "signin_throttle",
    metadata,
    Column("address", String(254), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("locked_until", UtcDateTime, nullable=True),
    Column("pending", Integer, nullable=False),
    Column("pending_since", UtcDateTime, nullable=True),
)

# Wrong authenticator codes in a row, per household, and until when its codes are refused.
totp_throttle = Table(
    "totp_throttle",
    metadata,
    Column("household_id", ForeignKey("household.id"), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("locked_until", UtcDateTime, nullable=True),
    Column("pending", Integer, nullable=False),
    Column("pending_since", UtcDateTime, nullable=True),
)

remembered_device = Table(
    "remembered_device",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("mailbox_id", ForeignKey("mailbox.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("label", String(255), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("last_used_at", UtcDateTime, nullable=True),
)
