"""Each household counts its secondary boxes not deleted: a creation checks the quota
and adds itself in one conditional UPDATE instead of locking the household and
counting its boxes.

As in 0006, SQLite keeps the column's default (dropping it would rebuild the table
that boxes refer to) and the code always gives the value; PostgreSQL drops it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "household", sa.Column("secondary_count", sa.Integer, nullable=False, server_default="0")
    )
    household = sa.table("household", sa.column("id"), sa.column("secondary_count"))
    mailbox = sa.table(
        "mailbox", sa.column("household_id"), sa.column("role"), sa.column("deleted_at")
    )
    live_secondary = (
        sa.select(sa.func.count())
        .where(
            mailbox.c.household_id == household.c.id,
            mailbox.c.role == "secondary",
            mailbox.c.deleted_at.is_(None),
        )
        .scalar_subquery()
    )
    op.get_bind().execute(sa.update(household).values(secondary_count=live_secondary))
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("household", "secondary_count", server_default=None)


def downgrade() -> None:
    op.drop_column("household", "secondary_count")
