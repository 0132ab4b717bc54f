"""Delivering the outbox: claim what is due, hand it to the transport, record the outcome.

Temporary failures come back later, each time after a longer wait; permanent ones, and
messages that keep failing, are marked failed and left for a person to look at.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Final

from mailwizard.clock import Clock, utc_now
from mailwizard.domain.mail_clients import AnnouncedServers
from mailwizard.domain.models import HouseholdOverview
from mailwizard.errors import MailwizardError
from mailwizard.services.mail_templates import compose
from mailwizard.services.ports import (
    AfterCommit,
    DeliveryFailed,
    Outbox,
    QueuedMessage,
    Transport,
    Waiting,
)

LEASE: Final = timedelta(minutes=10)
"""How long a claimed message is left to its sender before another flush may take it."""
FIRST_RETRY: Final = timedelta(minutes=1)
LONGEST_WAIT: Final = timedelta(hours=6)
MAX_ATTEMPTS: Final = 10


def retry_delay(attempts: int) -> timedelta:
    """1 min, 2, 4, … up to 6 h between attempts."""
    wait: timedelta = FIRST_RETRY * 2 ** min(attempts, 20)
    return min(wait, LONGEST_WAIT)


@dataclass(frozen=True)
class FlushReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    last_problem: str | None = None
    waiting: Waiting = field(default_factory=Waiting)
    """What is left for a later attempt once this flush is done."""


@dataclass(frozen=True)
class MailSettings:
    sender: str | None
    servers: AnnouncedServers


class DeliveryService:
    def __init__(
        self,
        outbox: Outbox,
        transport: Transport,
        mail: MailSettings,
        clock: Clock = utc_now,
    ) -> None:
        self._outbox = outbox
        self._transport = transport
        self._mail = mail
        self._clock = clock

    def flush(self, limit: int = 100, *, at_once: bool = False) -> FlushReport:
        """Delivers what is due now (``at_once``: every message waiting for a retry too),
        and says what is left for later. Blocks on the network: run it in a worker."""
        report = self._deliver_due(limit, back_off=True, waiting_too=at_once)
        return replace(report, waiting=self._outbox.waiting())

    def deliver_committed(self) -> AfterCommit:
        """Right after a commit, at best: the action is done whatever happens here. A
        message that cannot go now stays pending, due again at once, for the next flush."""
        try:
            report = self._deliver_due(100, back_off=False)
        except MailwizardError as error:
            return AfterCommit(error.message)
        return AfterCommit(report.last_problem)

    def _deliver_due(self, limit: int, *, back_off: bool, waiting_too: bool = False) -> FlushReport:
        sent = retried = failed = 0
        problem = None
        claimed = self._outbox.claim_due_messages(
            self._clock(), LEASE, limit, waiting_too=waiting_too
        )
        for message in claimed:
            domain = message.recipient.partition("@")[2]
            email = compose(
                message,
                sender=self._mail.sender or f"postmaster@{domain}",
                servers=self._mail.servers.for_domain(domain),
            )
            try:
                self._transport.deliver(message.recipient, email)
            except DeliveryFailed as failure:
                problem = failure.reason
                if failure.permanent or message.attempts + 1 >= MAX_ATTEMPTS:
                    self._outbox.record_failed(message.id, failure.reason)
                    failed += 1
                else:
                    wait = retry_delay(message.attempts) if back_off else timedelta(0)
                    self._outbox.record_retry(message.id, self._clock() + wait, failure.reason)
                    retried += 1
            else:
                self._outbox.record_sent(message.id, self._clock())
                sent += 1
        return FlushReport(sent, retried, failed, problem)

    def messages(self) -> list[QueuedMessage]:
        return self._outbox.outbox()

    def undelivered_recipients(self, overview: HouseholdOverview) -> list[str]:
        """Who, in the household, a confirmation e-mail could not reach: each once, sorted."""
        addresses = [box.address for box in (overview.primary, *overview.secondary)]
        return sorted({message.recipient for message in self._outbox.failed_for(addresses)})
