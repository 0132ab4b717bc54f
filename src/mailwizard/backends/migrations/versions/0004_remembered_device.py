"""Devices whose holder ticked "remember this device": only the SHA-256 of the token
kept in the device's keyring, so the directory alone signs nobody in.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mailwizard.backends.schema import UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "remembered_device",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "mailbox_id",
            sa.Integer,
            sa.ForeignKey("mailbox.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("label", sa.String(255), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("expires_at", UtcDateTime, nullable=False),
        sa.Column("last_used_at", UtcDateTime, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("remembered_device")
