"""A deleted box waits, deactivated, for its purge: when it was deleted and when it goes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mailwizard.backends.schema import UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mailbox") as mailbox:
        mailbox.add_column(sa.Column("deleted_at", UtcDateTime, nullable=True))
        mailbox.add_column(sa.Column("purge_after", UtcDateTime, nullable=True))
        mailbox.create_index("ix_mailbox_purge_after", ["purge_after"])


def downgrade() -> None:
    with op.batch_alter_table("mailbox") as mailbox:
        mailbox.drop_index("ix_mailbox_purge_after")
        mailbox.drop_column("purge_after")
        mailbox.drop_column("deleted_at")
