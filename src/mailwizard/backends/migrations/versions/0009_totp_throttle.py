"""Wrong authenticator codes in a row, per household, and until when its codes are
refused: counted like failed sign-ins, before the code is checked. Both throttles also
count the tries being verified at the moment (``pending``, since ``pending_since``), so
that the failures and those tries never add up to more than the limit.

As in 0007, SQLite keeps the new column's default and PostgreSQL drops it; the code
always gives the value.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mailwizard.backends.schema import UtcDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "totp_throttle",
        sa.Column("household_id", sa.Integer, sa.ForeignKey("household.id"), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("locked_until", UtcDateTime, nullable=True),
        sa.Column("pending", sa.Integer, nullable=False),
        sa.Column("pending_since", UtcDateTime, nullable=True),
    )
    op.add_column(
        "signin_throttle", sa.Column("pending", sa.Integer, nullable=False, server_default="0")
    )
    op.add_column("signin_throttle", sa.Column("pending_since", UtcDateTime, nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("signin_throttle", "pending", server_default=None)


def downgrade() -> None:
    op.drop_column("signin_throttle", "pending_since")
    op.drop_column("signin_throttle", "pending")
    op.drop_table("totp_throttle")
