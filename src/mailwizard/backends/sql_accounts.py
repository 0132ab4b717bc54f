"""The Accounts port on SQLAlchemy Core: the boxes as a sign-in reads them; and the
CardReaders port: the one box a welcome card is for."""

from __future__ import annotations

from sqlalchemy import Engine, RowMapping, literal, select, union_all, update

from mailwizard.backends import schema
from mailwizard.backends.engine import read_transaction, write_transaction
from mailwizard.domain.models import Civility, Identity, Role
from mailwizard.services.ports import CardReader, Credentials, SignInLookup


def credentials_of(row: RowMapping) -> Credentials:
    return Credentials(
        mailbox_id=row["id"],
        household_id=row["household_id"],
        address=row["username"],
        role=Role(row["role"]),
        active=row["active"],
        password_hash=row["password"],
        identity=Identity.model_construct(
            civility=Civility(row["civility"]),
            first_name=row["first_name"],
            last_name=row["last_name"],
        ),
        language=row["language"],
    )


class SqlAccounts:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def credentials(self, address: str) -> Credentials | None:
        with read_transaction(self._engine) as connection:
            row = (
                connection.execute(
                    select(schema.mailbox).where(schema.mailbox.c.username == address)
                )
                .mappings()
                .first()
            )
        return None if row is None else credentials_of(row)

    def card_reader(self, address: str) -> CardReader | None:
        mailbox = schema.mailbox
        with read_transaction(self._engine) as connection:
            row = connection.execute(
                select(mailbox.c.username, mailbox.c.first_name, mailbox.c.language).where(
                    mailbox.c.username == address, mailbox.c.deleted_at.is_(None)
                )
            ).first()
        return None if row is None else CardReader(*row)

    def sign_in_lookup(self, address: str) -> SignInLookup:
        # The box at or after the address in the index's order, then the first box (for
        # an address after the last): one query whether the address exists or not.
        mailbox = schema.mailbox
        following = (
            select(literal(0).label("place"), mailbox)
            .where(mailbox.c.username >= address)
            .order_by(mailbox.c.username)
            .limit(1)
            .subquery()
        )
        first = (
            select(literal(1).label("place"), mailbox)
            .order_by(mailbox.c.username)
            .limit(1)
            .subquery()
        )
        both = union_all(select(following), select(first)).subquery()
        with read_transaction(self._engine) as connection:
            row = (
                connection.execute(select(both).order_by(both.c.place).limit(1)).mappings().first()
            )
        if row is None:
            return SignInLookup(None, None)
        if row["username"] != address:
            return SignInLookup(None, row["password"])
        return SignInLookup(credentials_of(row), row["password"])

    def set_password_hash(self, mailbox_id: int, password_hash: str) -> None:
        with write_transaction(self._engine) as connection:
            connection.execute(
                update(schema.mailbox)
                .where(schema.mailbox.c.id == mailbox_id)
                .values(password=password_hash)
            )

    def primary_of(self, household_id: int) -> Credentials:
        mailbox = schema.mailbox
        with read_transaction(self._engine) as connection:
            row = (
                connection.execute(
                    select(mailbox).where(
                        mailbox.c.household_id == household_id,
                        mailbox.c.role == Role.PRIMARY.value,
                    )
                )
                .mappings()
                .one()
            )
        return credentials_of(row)
