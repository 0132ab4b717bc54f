"""The e-mails mailwizard sends — a box created, deleted, its password changed — each in
the language of whoever reads it.

They never contain a password: an outbox row holds only names, addresses and dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Final, Literal

from mailwizard.domain.mail_clients import SECURITY_NAMES, ClientSettings
from mailwizard.i18n import N_, catalog
from mailwizard.services.ports import QueuedMessage


@dataclass(frozen=True)
class Template:
    reader: Literal["holder", "user"]
    subject: str
    body: str


TEMPLATES: Final = {
    "holder_confirmation": Template(
        "holder",
        N_("You created {address} for {first_name} {last_name}"),
        N_(
            "Hello {holder_name},\n\n"
            "You created the address {address} for {first_name} {last_name}. It is a mailbox "
            "of its own, with its own password, chosen when it was created.\n\n"
            "You can see and manage the boxes of your household on the management page of "
            "mailwizard.\n\n"
            "If you did not create this address, contact your provider's support.\n"
        ),
    ),
    "welcome": Template(
        "user",
        N_("Welcome to your new mailbox {address}"),
        N_(
            "Hello {first_name},\n\n"
            "{holder_name} created the mailbox {address} for you.\n\n"
            "To read your mail, sign in with:\n"
            "  address: {address}\n"
            "  password: the one chosen when the box was created\n"
            "  user name: your whole address, {address}\n"
            "  incoming mail (IMAP): {imap_host}, port {imap_port}, {imap_security}\n"
            "  outgoing mail (SMTP): {smtp_host}, port {smtp_port}, STARTTLS\n\n"
            "Nobody will ever ask you for your password by e-mail.\n"
        ),
    ),
    "holder_deletion": Template(
        "holder",
        N_("You deleted {address}"),
        N_(
            "Hello {holder_name},\n\n"
            "You deleted the mailbox {address} of {first_name} {last_name}. Nobody can sign "
            "in to it any more and it receives no mail. Its mail is kept in an archive until "
            "{purge_date}, then erased; the address can be given again after that date.\n\n"
            "If you did not delete this box, contact your provider's support before "
            "{purge_date}.\n"
        ),
    ),
    "deletion": Template(
        "user",
        N_("Your mailbox {address} is closed"),
        N_(
            "Hello {first_name},\n\n"
            "{holder_name}, who holds your household's mail account, closed the mailbox "
            "{address}. Its mail is kept until {purge_date}: ask {holder_name} if you need "
            "something from it.\n"
        ),
    ),
    "password_reset": Template(
        "user",
        N_("The password of {address} was changed"),
        N_(
            "Hello {first_name},\n\n"
            "{holder_name} gave the mailbox {address} a new password. Ask them for it, "
            "then change it to one only you know.\n\n"
            "Nobody will ever ask you for your password by e-mail.\n"
        ),
    ),
    "holder_activated": Template(
        "holder",
        N_("{first_name} {last_name} activated {address}"),
        N_(
            "Hello {holder_name},\n\n"
            "{first_name} {last_name} used the activation code you gave them and chose the "
            "password of {address}: the box is open, and only they know its password.\n\n"
            "If you did not expect this, contact your provider's support.\n"
        ),
    ),
    "password_changed": Template(
        "user",
        N_("Your password was changed"),
        N_(
            "Hello {first_name},\n\n"
            "The password of your mailbox {address} was just changed. If it was not you, "
            "ask {holder_name} to give the box a new password at once.\n"
        ),
    ),
}


def _address(display_name: str, address: str) -> Address:
    local_part, _, domain = address.partition("@")
    return Address(display_name=display_name, username=local_part, domain=domain)


def compose(message: QueuedMessage, sender: str, servers: ClientSettings) -> EmailMessage:
    """The e-mail for one outbox row, headers and body in the recipient's language; the
    ``servers`` are those the welcome card and the device files announce."""
    template = TEMPLATES[message.template]
    translations = catalog(message.language)
    context = {
        **message.context,
        "imap_host": servers.imap_host,
        "imap_port": str(servers.imap_port),
        "imap_security": SECURITY_NAMES[servers.imap_security],
        "smtp_host": servers.smtp_host,
        "smtp_port": str(servers.smtp_port),
    }
    reader = (
        context["holder_name"]
        if template.reader == "holder"
        else f"{context['first_name']} {context['last_name']}"
    )
    email = EmailMessage()
    email["Subject"] = translations.gettext(template.subject).format(**context)
    email["From"] = _address("mailwizard", sender)
    email["To"] = _address(reader, message.recipient)
    email["Date"] = format_datetime(message.created_at)
    email["Message-ID"] = message.message_id
    email["Auto-Submitted"] = "auto-generated"
    email["Content-Language"] = message.language
    email.set_content(translations.gettext(template.body).format(**context))
    return email
