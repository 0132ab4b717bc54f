"""Delivery to Dovecot's LMTP service, which files the message into the box itself."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from mailwizard.services.ports import DeliveryFailed

PERMANENT_REPLY = 500


def reply_failure(code: int, reply: bytes | str) -> DeliveryFailed:
    """A 5xx reply will not change by retrying; a 4xx one may."""
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else reply
    return DeliveryFailed(f"{code} {text}", permanent=code >= PERMANENT_REPLY)


class LmtpTransport:
    def __init__(self, host: str, port: int, timeout: float = 30.0) -> None:
        self._host = host
        self._port = port
        self._timeout = timeout

    def deliver(self, recipient: str, message: EmailMessage) -> None:
        sender = str(message["From"].addresses[0].addr_spec)
        try:
            with smtplib.LMTP(self._host, self._port, timeout=self._timeout) as client:
                client.send_message(message, sender, [recipient])
        except smtplib.SMTPRecipientsRefused as refused:
            code, reply = refused.recipients[recipient]
            raise reply_failure(code, reply) from None
        except smtplib.SMTPResponseException as error:
            raise reply_failure(error.smtp_code, error.smtp_error) from None
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryFailed(str(error) or type(error).__name__, permanent=False) from None
