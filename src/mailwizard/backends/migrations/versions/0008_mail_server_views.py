"""What the mail servers may read, as views: Postfix's four questions and Dovecot's
sign-in. On PostgreSQL each server's role is granted its views and nothing else, so
neither sees a TOTP secret, the audit log or the outbox, and Postfix not even a hash;
on SQLite the generated queries read the same views, so both engines answer alike.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

VIEWS = {
    "mail_domain": "SELECT name FROM domain",
    # A deleted box is refused at once, though its home stays until the purge.
    "mail_recipient": "SELECT username AS address, maildir FROM mailbox WHERE deleted_at IS NULL",
    "mail_alias": (
        "SELECT alias.address AS address, mailbox.username AS destination "
        "FROM alias JOIN mailbox ON mailbox.id = alias.mailbox_id "
        "WHERE mailbox.deleted_at IS NULL"
    ),
    # Who may send as an address: the box itself, for its own address and its aliases.
    "mail_sender": (
        "SELECT username AS address, username AS login FROM mailbox "
        "WHERE deleted_at IS NULL "
        "UNION ALL "
        "SELECT alias.address, mailbox.username FROM alias "
        "JOIN mailbox ON mailbox.id = alias.mailbox_id WHERE mailbox.deleted_at IS NULL"
    ),
    "mail_user": (
        "SELECT username, password, maildir, active, deleted_at IS NULL AS live FROM mailbox"
    ),
}


def upgrade() -> None:
    for name, query in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {query}")


def downgrade() -> None:
    for name in reversed(VIEWS):
        op.execute(f"DROP VIEW {name}")
