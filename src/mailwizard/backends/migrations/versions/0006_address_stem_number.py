"""The address registry keeps each local part's stem and ending number apart, indexed:
suggestions find the free numbers after a stem in the index.

SQLite can add a NOT NULL column only with a default, and cannot drop it afterwards
without rebuilding the table that every box and alias refers to: there the defaults
stay, and the code always gives both values. PostgreSQL drops them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mailwizard.domain.suggestions import split_number

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_BATCH = 10_000


def upgrade() -> None:
    op.add_column("address", sa.Column("stem", sa.String(64), nullable=False, server_default=""))
    op.add_column("address", sa.Column("number", sa.BigInteger, nullable=False, server_default="0"))
    registry = sa.table(
        "address",
        sa.column("address", sa.String),
        sa.column("domain", sa.String),
        sa.column("stem", sa.String),
        sa.column("number", sa.BigInteger),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(registry.c.address, registry.c.domain)).all()
    fill = (
        sa.update(registry)
        .where(registry.c.address == sa.bindparam("registered"))
        .values(stem=sa.bindparam("new_stem"), number=sa.bindparam("new_number"))
    )
    for start in range(0, len(rows), _BATCH):
        values = []
        for address, domain in rows[start : start + _BATCH]:
            stem, number = split_number(address[: -len(domain) - 1])
            values.append({"registered": address, "new_stem": stem, "new_number": number})
        connection.execute(fill, values)
    if connection.dialect.name == "postgresql":
        op.alter_column("address", "stem", server_default=None)
        op.alter_column("address", "number", server_default=None)
    op.create_index(
        "uq_address_domain_stem_number", "address", ["domain", "stem", "number"], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_address_domain_stem_number", "address")
    # Both engines drop a column in place (SQLite since 3.35), without rebuilding.
    op.drop_column("address", "number")
    op.drop_column("address", "stem")
