"""Delivery through an SMTP relay: STARTTLS, then authentication when a user is set."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path

from mailwizard.delivery.replies import judging_replies
from mailwizard.keyring_secrets import SMTP_PASSWORD, environment_variable, read_secret
from mailwizard.services.ports import DeliveryFailed


class SmtpTransport:
    def __init__(
        self,
        host: str,
        port: int,
        username: str | None,
        ca_file: Path | None,
        timeout: float = 30.0,
    ) -> None:
        self._host = host
        self._port = port
        self._username = username
        self._ca_file = ca_file
        self._timeout = timeout

    def _tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self._ca_file) if self._ca_file else None)

    def deliver(self, recipient: str, message: EmailMessage) -> None:
        sender = str(message["From"].addresses[0].addr_spec)
        password = read_secret(SMTP_PASSWORD) if self._username else None
        if self._username and password is None:
            raise DeliveryFailed(
                f"no password for {self._username}: set "
                f"{environment_variable(SMTP_PASSWORD)} or store it in the keyring",
                permanent=False,
            )
        with (
            judging_replies(recipient),
            smtplib.SMTP(self._host, self._port, timeout=self._timeout) as client,
        ):
            client.starttls(context=self._tls())
            if self._username and password is not None:
                client.login(self._username, password)
            client.send_message(message, sender, [recipient])
