"""Delivery to Dovecot's LMTP service, which files the message into the box itself."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from mailwizard.delivery.replies import judging_replies


class LmtpTransport:
    def __init__(self, host: str, port: int, timeout: float = 30.0) -> None:
        self._host = host
        self._port = port
        self._timeout = timeout

    def deliver(self, recipient: str, message: EmailMessage) -> None:
        sender = str(message["From"].addresses[0].addr_spec)
        with (
            judging_replies(recipient),
            smtplib.LMTP(self._host, self._port, timeout=self._timeout) as client,
        ):
            client.send_message(message, sender, [recipient])
