"""Failed sign-ins in a row, and until when an address's sign-in is locked.

Keyed by the address as typed (normalised), whether or not a box has it, so that a
lock tells nothing about which addresses exist.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mailwizard.backends.schema import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signin_throttle",
        sa.Column("address", sa.String(254), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("locked_until", UtcDateTime, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("signin_throttle")
