"""The two confirmation e-mails of a creation, in the language of whoever reads them.

They never contain a password: the outbox row holds only names and addresses.
"""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from mailwizard.i18n import N_, catalog
from mailwizard.services.ports import QueuedMessage

SUBJECTS = {
    "holder_confirmation": N_("You created {address} for {first_name} {last_name}"),
    "welcome": N_("Welcome to your new mailbox {address}"),
}

BODIES = {
    "holder_confirmation": N_(
        "Hello {holder_name},\n\n"
        "You created the address {address} for {first_name} {last_name}. It is a mailbox of "
        "its own, with its own password, chosen when it was created.\n\n"
        "You can see and manage the boxes of your household on the management page of "
        "mailwizard.\n\n"
        "If you did not create this address, contact your provider's support.\n"
    ),
    "welcome": N_(
        "Hello {first_name},\n\n"
        "{holder_name} created the mailbox {address} for you.\n\n"
        "To read your mail, sign in with:\n"
        "  address: {address}\n"
        "  password: the one chosen when the box was created\n"
        "  incoming mail (IMAP): {imap_host}\n"
        "  outgoing mail (SMTP): {smtp_host}\n\n"
        "Nobody will ever ask you for your password by e-mail.\n"
    ),
}


def _address(display_name: str, address: str) -> Address:
    local_part, _, domain = address.partition("@")
    return Address(display_name=display_name, username=local_part, domain=domain)


def compose(message: QueuedMessage, sender: str, imap_host: str, smtp_host: str) -> EmailMessage:
    """The e-mail for one outbox row, headers and body in the recipient's language."""
    translations = catalog(message.language)
    context = {**message.context, "imap_host": imap_host, "smtp_host": smtp_host}
    email = EmailMessage()
    email["Subject"] = translations.gettext(SUBJECTS[message.template]).format(**context)
    email["From"] = _address("mailwizard", sender)
    reader = (
        context["holder_name"]
        if message.template == "holder_confirmation"
        else (f"{context['first_name']} {context['last_name']}")
    )
    email["To"] = _address(reader, message.recipient)
    email["Date"] = format_datetime(message.created_at)
    email["Message-ID"] = message.message_id
    email["Auto-Submitted"] = "auto-generated"
    email["Content-Language"] = message.language
    email.set_content(translations.gettext(BODIES[message.template]).format(**context))
    return email
