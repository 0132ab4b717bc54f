"""The first directory: domains, households, the address registry, boxes, aliases,
consents, the outbox and the audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mailwizard.backends.schema import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "domain",
        sa.Column("name", sa.String(253), primary_key=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "household",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("contract_active", sa.Boolean, nullable=False),
        sa.Column("max_secondary", sa.Integer, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "household_domain",
        sa.Column("household_id", sa.Integer, sa.ForeignKey("household.id"), primary_key=True),
        sa.Column("domain", sa.String(253), sa.ForeignKey("domain.name"), primary_key=True),
    )
    op.create_table(
        "address",
        sa.Column("address", sa.String(254), primary_key=True),
        sa.Column("domain", sa.String(253), sa.ForeignKey("domain.name"), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "mailbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "username",
            sa.String(254),
            sa.ForeignKey("address.address"),
            nullable=False,
            unique=True,
        ),
        sa.Column("password", sa.Text, nullable=False),
        sa.Column("maildir", sa.String(320), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("household_id", sa.Integer, sa.ForeignKey("household.id"), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("civility", sa.String(16), nullable=False),
        sa.Column("first_name", sa.String(64), nullable=False),
        sa.Column("last_name", sa.String(64), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_mailbox_household_id_role", "mailbox", ["household_id", "role"])
    op.create_index(
        "uq_mailbox_one_primary",
        "mailbox",
        ["household_id"],
        unique=True,
        sqlite_where=sa.text("role = 'primary'"),
        postgresql_where=sa.text("role = 'primary'"),
    )
    op.create_table(
        "alias",
        sa.Column("address", sa.String(254), sa.ForeignKey("address.address"), primary_key=True),
        sa.Column(
            "mailbox_id", sa.Integer, sa.ForeignKey("mailbox.id"), nullable=False, index=True
        ),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "consent",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "mailbox_id", sa.Integer, sa.ForeignKey("mailbox.id"), nullable=False, index=True
        ),
        sa.Column("terms_version", sa.String(32), nullable=False),
        sa.Column("accepted_at", UtcDateTime, nullable=False),
        sa.Column("accepted_by", sa.String(254), nullable=False),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("message_id", sa.String(255), nullable=False, unique=True),
        sa.Column("recipient", sa.String(254), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("template", sa.String(64), nullable=False),
        sa.Column("context", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", UtcDateTime, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("sent_at", UtcDateTime, nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
    )
    op.create_index("ix_outbox_status_next_attempt_at", "outbox", ["status", "next_attempt_at"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", UtcDateTime, nullable=False),
        sa.Column(
            "household_id", sa.Integer, sa.ForeignKey("household.id"), nullable=True, index=True
        ),
        sa.Column("actor", sa.String(254), nullable=False),
        sa.Column("origin", sa.String(128), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(254), nullable=True),
    )


def downgrade() -> None:
    for table in (
        "audit_log", "outbox", "consent", "alias", "mailbox",
        "address", "household_domain", "household", "domain",
    ):  # fmt: skip
        op.drop_table(table)
