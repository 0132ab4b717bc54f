"""A box may await its activation: the holder created it without choosing its
password, and its user opens it with a one-time code (only its argon2id hash is kept)
before it runs out, choosing their own password then.

Such a box receives mail, so its user finds their first messages waiting, but Dovecot
does not sign it in (nor Postfix's submission, which asks Dovecot): ``mail_user``
calls it inactive until then. The hash of a used code stays, with when it was used,
so that typing that code again says it was used rather than that it is wrong.

On PostgreSQL the view is replaced in place, keeping what each server's role was
granted; SQLite cannot, and has no grants to keep.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mailwizard.backends.schema import UtcDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_USER_VIEW = (
    "SELECT username, password, maildir, {active} AS active, deleted_at IS NULL AS live "
    "FROM mailbox"
)
_AWAITING = "activation_hash IS NOT NULL AND activated_at IS NULL"


def _replace_user_view(active: str) -> None:
    query = _USER_VIEW.format(active=active)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE OR REPLACE VIEW mail_user AS {query}")
    else:
        op.execute("DROP VIEW mail_user")
        op.execute(f"CREATE VIEW mail_user AS {query}")


def upgrade() -> None:
    op.add_column("mailbox", sa.Column("activation_hash", sa.Text, nullable=True))
    op.add_column("mailbox", sa.Column("activation_expires_at", UtcDateTime, nullable=True))
    op.add_column("mailbox", sa.Column("activated_at", UtcDateTime, nullable=True))
    _replace_user_view(f"(active AND NOT ({_AWAITING}))")


def downgrade() -> None:
    _replace_user_view("active")
    op.drop_column("mailbox", "activated_at")
    op.drop_column("mailbox", "activation_expires_at")
    op.drop_column("mailbox", "activation_hash")
