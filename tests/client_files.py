"""Reading the files ``mailwizard client-config`` writes, as a mail app does."""

from __future__ import annotations

import plistlib
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROFILE_KEYS_LEFT_TO_THE_DEVICE = ("EmailAddress", "IncomingMailServerUsername",
                                   "IncomingPassword", "OutgoingMailServerUsername",
                                   "OutgoingPassword")  # fmt: skip


@dataclass(frozen=True)
class Announced:
    """Where a client is told to connect; ``*_tls_at_once`` False means STARTTLS."""

    imap_host: str
    imap_port: int
    imap_tls_at_once: bool
    smtp_host: str
    smtp_port: int


def _text(element: ElementTree.Element, tag: str) -> str:
    found = element.find(tag)
    assert found is not None and found.text, f"no <{tag}> in <{element.tag}>"
    return found.text


def read_autoconfig(path: Path, domain: str) -> Announced:
    """The clientConfig document, checked as Thunderbird reads it."""
    root = ElementTree.parse(path).getroot()
    assert root.tag == "clientConfig" and root.get("version") == "1.1"
    (provider,) = root.findall("emailProvider")
    assert provider.get("id") == domain
    assert [element.text for element in provider.findall("domain")] == [domain]
    (incoming,) = provider.findall("incomingServer")
    (outgoing,) = provider.findall("outgoingServer")
    assert incoming.get("type") == "imap" and outgoing.get("type") == "smtp"
    for server in (incoming, outgoing):
        assert _text(server, "username") == "%EMAILADDRESS%"
        assert _text(server, "authentication") == "password-cleartext"
    assert _text(incoming, "socketType") in ("SSL", "STARTTLS")
    assert _text(outgoing, "socketType") == "STARTTLS"
    return Announced(
        imap_host=_text(incoming, "hostname"),
        imap_port=int(_text(incoming, "port")),
        imap_tls_at_once=_text(incoming, "socketType") == "SSL",
        smtp_host=_text(outgoing, "hostname"),
        smtp_port=int(_text(outgoing, "port")),
    )


def read_profile(path: Path) -> dict[str, Any]:
    """The one mail payload of the Apple profile, checked: no address, user name or
    password in it, TLS both ways, password authentication."""
    profile = plistlib.loads(path.read_bytes())
    assert profile["PayloadType"] == "Configuration" and profile["PayloadVersion"] == 1
    (account,) = profile["PayloadContent"]
    assert account["PayloadType"] == "com.apple.mail.managed"
    assert account["EmailAccountType"] == "EmailTypeIMAP"
    for key in PROFILE_KEYS_LEFT_TO_THE_DEVICE:
        assert key not in account, key
    assert account["IncomingMailServerUseSSL"] is account["OutgoingMailServerUseSSL"] is True
    assert account["IncomingMailServerAuthentication"] == "EmailAuthPassword"
    assert account["OutgoingMailServerAuthentication"] == "EmailAuthPassword"
    assert account["OutgoingPasswordSameAsIncomingPassword"] is True
    return dict(account)


def profile_servers(account: dict[str, Any]) -> tuple[str, int, str, int]:
    """The profile's IMAP host and port, then its submission host and port."""
    return (
        account["IncomingMailServerHostName"],
        account["IncomingMailServerPortNumber"],
        account["OutgoingMailServerHostName"],
        account["OutgoingMailServerPortNumber"],
    )
