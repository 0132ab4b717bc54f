"""PostgreSQL roles for the mail servers: each may read its own views and nothing else.

Postfix's role reads the domains, recipients, aliases and senders (no password hash);
Dovecot's reads ``mail_user``. A role is created, or given a new random password, each
time its configuration is written, so that the terminals' own password never reaches a
mail server's files.
"""

from __future__ import annotations

import secrets

from sqlalchemy import Engine, text
from sqlalchemy.exc import ProgrammingError

from mailwizard.backends.engine import write_transaction
from mailwizard.backends.mail_servers import Credentials
from mailwizard.errors import DirectoryUnavailable
from mailwizard.i18n import N_

POSTFIX_VIEWS = ("mail_domain", "mail_recipient", "mail_alias", "mail_sender")
DOVECOT_VIEWS = ("mail_user",)


def grant_role(engine: Engine, role: str, views: tuple[str, ...]) -> Credentials:
    """Creates ``role`` (a name the settings validated) or renews its password."""
    password = secrets.token_hex(24)
    try:
        with write_transaction(engine) as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": role}
            ).scalar()
            verb = "ALTER" if exists else "CREATE"
            # Role names and passwords cannot be bound parameters; both are [a-z0-9_].
            connection.exec_driver_sql(
                f"{verb} ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                f"PASSWORD '{password}'"
            )
            connection.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}")
            connection.exec_driver_sql(f"GRANT SELECT ON {', '.join(views)} TO {role}")
    except ProgrammingError as error:
        raise DirectoryUnavailable(
            N_(
                "The directory's user cannot create the mail servers' role {role} ({reason}): "
                "run this command once as a database administrator "
                "(--directory postgresql://ADMIN@HOST/DB)."
            ),
            role=role,
            reason=str(error.orig).strip(),
        ) from None
    return Credentials(role, password)
