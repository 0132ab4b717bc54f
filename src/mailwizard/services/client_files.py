"""The files with which mail clients set a box up by themselves: Mozilla's autoconfig
``clientConfig`` (Thunderbird, Thunderbird for Android and K-9 Mail, FairEmail, Evolution)
and an Apple configuration profile (iPhone, iPad, Mac), one of each per domain."""

from __future__ import annotations

import plistlib
import uuid
from typing import Final
from xml.etree import ElementTree

from mailwizard.domain.mail_clients import ClientSettings, ImapSecurity
from mailwizard.i18n import N_, catalog

AUTOCONFIG_PATH: Final = "mail/config-v1.1.xml"
"""Under the web root of ``autoconfig.DOMAIN``, where clients look first."""
PROFILE_PATH: Final = "mail.mobileconfig"
# Clients put the address the person typed in place of this.
EMAIL_ADDRESS_PLACEHOLDER: Final = "%EMAILADDRESS%"
SOCKET_TYPES: Final = {ImapSecurity.STARTTLS: "STARTTLS", ImapSecurity.SSL: "SSL"}
PROFILE_NAME: Final = N_("E-mail at {domain}")
PROFILE_DESCRIPTION: Final = N_(
    "Sets up the mailbox at {domain}: the device asks for the address and the password."
)


def profile_url(domain: str) -> str:
    """Where the profile is served, as the README's web-server lines set it up."""
    return f"https://autoconfig.{domain}/{PROFILE_PATH}"


def _server(parent: ElementTree.Element, tag: str, kind: str, values: dict[str, str]) -> None:
    server = ElementTree.SubElement(parent, tag, type=kind)
    for name, value in values.items():
        ElementTree.SubElement(server, name).text = value


def autoconfig_xml(settings: ClientSettings) -> bytes:
    """The ``clientConfig`` document: IMAP, then submission with STARTTLS, each signed in
    to with the whole address and its password."""
    root = ElementTree.Element("clientConfig", version="1.1")
    provider = ElementTree.SubElement(root, "emailProvider", id=settings.domain)
    for tag in ("domain", "displayName", "displayShortName"):
        ElementTree.SubElement(provider, tag).text = settings.domain
    signing_in = {"username": EMAIL_ADDRESS_PLACEHOLDER, "authentication": "password-cleartext"}
    _server(provider, "incomingServer", "imap", {
        "hostname": settings.imap_host,
        "port": str(settings.imap_port),
        "socketType": SOCKET_TYPES[settings.imap_security],
        **signing_in,
    })  # fmt: skip
    _server(provider, "outgoingServer", "smtp", {
        "hostname": settings.smtp_host,
        "port": str(settings.smtp_port),
        "socketType": "STARTTLS",
        **signing_in,
    })  # fmt: skip
    ElementTree.indent(root)
    document = ElementTree.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{document}\n'.encode()


def _stable_uuid(domain: str, part: str) -> str:
    """The same for each run: installing a newer profile replaces the older one."""
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{part}.{domain}")).upper()


def apple_profile(settings: ClientSettings, language: str) -> bytes:
    """A configuration profile with one ``com.apple.mail.managed`` payload. Without an
    ``EmailAddress``, user name or password in it, the device asks for them when the
    profile is installed. Apple's ``UseSSL`` is TLS on the port given: STARTTLS on 143
    and 587, TLS at once on 993."""
    translations = catalog(language)
    domain = settings.domain
    name = translations.gettext(PROFILE_NAME).format(domain=domain)
    identifier = ".".join(reversed(domain.split(".")))
    account = {
        "PayloadType": "com.apple.mail.managed",
        "PayloadVersion": 1,
        "PayloadIdentifier": f"{identifier}.mailwizard.mail.account",
        "PayloadUUID": _stable_uuid(domain, "account"),
        "PayloadDisplayName": name,
        "EmailAccountType": "EmailTypeIMAP",
        "EmailAccountDescription": domain,
        "IncomingMailServerHostName": settings.imap_host,
        "IncomingMailServerPortNumber": settings.imap_port,
        "IncomingMailServerUseSSL": True,
        "IncomingMailServerAuthentication": "EmailAuthPassword",
        "OutgoingMailServerHostName": settings.smtp_host,
        "OutgoingMailServerPortNumber": settings.smtp_port,
        "OutgoingMailServerUseSSL": True,
        "OutgoingMailServerAuthentication": "EmailAuthPassword",
        "OutgoingPasswordSameAsIncomingPassword": True,
    }
    profile = {
        "PayloadType": "Configuration",
        "PayloadVersion": 1,
        "PayloadIdentifier": f"{identifier}.mailwizard.mail",
        "PayloadUUID": _stable_uuid(domain, "profile"),
        "PayloadDisplayName": name,
        "PayloadDescription": translations.gettext(PROFILE_DESCRIPTION).format(domain=domain),
        "PayloadRemovalDisallowed": False,
        "PayloadContent": [account],
    }
    return plistlib.dumps(profile, fmt=plistlib.FMT_XML)
