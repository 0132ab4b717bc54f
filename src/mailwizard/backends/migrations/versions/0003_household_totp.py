"""The holder's authenticator (TOTP) secret, and the last time step a code was used.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("household") as household:
        household.add_column(sa.Column("totp_secret", sa.String(64), nullable=True))
        household.add_column(sa.Column("totp_last_step", sa.BigInteger, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("household") as household:
        household.drop_column("totp_last_step")
        household.drop_column("totp_secret")
