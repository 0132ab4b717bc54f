"""What an SMTP or LMTP server's answer means for a delivery: try again, or give up."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from contextlib import contextmanager

from mailwizard.services.ports import DeliveryFailed

PERMANENT_REPLY = 500


def _failure(code: int, reply: bytes | str) -> DeliveryFailed:
    """A 5xx reply will not change by retrying; a 4xx one may."""
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else reply
    return DeliveryFailed(f"{code} {text}", permanent=code >= PERMANENT_REPLY)


@contextmanager
def judging_replies(recipient: str) -> Iterator[None]:
    """Turns smtplib's errors (ssl's are OSErrors) into ``DeliveryFailed``."""
    try:
        yield
    except smtplib.SMTPRecipientsRefused as refused:
        code, reply = refused.recipients[recipient]
        raise _failure(code, reply) from None
    except smtplib.SMTPResponseException as error:
        raise _failure(error.smtp_code, error.smtp_error) from None
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryFailed(str(error) or type(error).__name__, permanent=False) from None
