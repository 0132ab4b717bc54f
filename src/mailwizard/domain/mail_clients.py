"""What a mail client needs to reach a box: the servers, ports and security that the
household's mail server offers, as the settings announce them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

SUBMISSION_PORT: Final = 587
"""``submission`` in master.cf, the name Postfix's services file gives port 587."""


class ImapSecurity(StrEnum):
    STARTTLS = "starttls"
    """Port 143: the connection starts in clear and turns to TLS before any password."""
    SSL = "ssl"
    """Port 993: TLS from the first byte."""


DEFAULT_IMAP_PORTS: Final = {ImapSecurity.STARTTLS: 143, ImapSecurity.SSL: 993}
SECURITY_NAMES: Final = {ImapSecurity.STARTTLS: "STARTTLS", ImapSecurity.SSL: "SSL/TLS"}
"""As mail apps name them in their settings."""


def submission_port(service: str) -> int:
    """The port of master.cf's submission service (``submission``, ``PORT`` or
    ``ADDRESS:PORT``); a ValueError for another service name, whose port is not ours to
    guess."""
    if service == "submission":
        return SUBMISSION_PORT
    port = service.rpartition(":")[2]
    if not port.isdigit():
        raise ValueError("submission, PORT or ADDRESS:PORT")
    return int(port)


@dataclass(frozen=True)
class ClientSettings:
    """One domain's servers as a client is told them; submission is always STARTTLS."""

    domain: str
    imap_host: str
    imap_port: int
    imap_security: ImapSecurity
    smtp_host: str
    smtp_port: int


@dataclass(frozen=True)
class AnnouncedServers:
    """The settings that name the servers; a host left out is ``mail.DOMAIN``."""

    imap_host: str | None
    imap_port: int | None
    imap_security: ImapSecurity
    smtp_host: str | None
    smtp_port: int

    def for_domain(self, domain: str) -> ClientSettings:
        return ClientSettings(
            domain=domain,
            imap_host=self.imap_host or f"mail.{domain}",
            imap_port=self.imap_port or DEFAULT_IMAP_PORTS[self.imap_security],
            imap_security=self.imap_security,
            smtp_host=self.smtp_host or f"mail.{domain}",
            smtp_port=self.smtp_port,
        )
