"""Setting up a relative's devices: the autoconfig file and Apple profile of each domain,
and a box's welcome card."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from mailwizard.domain.mail_clients import AnnouncedServers
from mailwizard.errors import DirectoryUnavailable, Refusal, Refused
from mailwizard.i18n import N_
from mailwizard.services.activation_codes import IssuedCode
from mailwizard.services.client_files import (
    AUTOCONFIG_PATH,
    PROFILE_PATH,
    apple_profile,
    autoconfig_xml,
)
from mailwizard.services.ports import CardReaders, Households
from mailwizard.services.welcome_card import welcome_card


class CardFolder(Protocol):
    def save(self, name: str, page: str) -> Path:
        """Writes ``page`` as ``name``; where it is. An OSError when it cannot."""
        ...


class ClientSetupService:
    def __init__(
        self,
        households: Households,
        readers: CardReaders,
        servers: AnnouncedServers,
        cards: CardFolder,
    ) -> None:
        self._households = households
        self._readers = readers
        self._servers = servers
        self._cards = cards

    def client_files(self, language: str) -> dict[str, dict[str, bytes]]:
        """For each domain of the directory, its files by path under the web root of
        ``autoconfig.DOMAIN``; the profile's own words in ``language``."""
        files = {}
        for domain in self._households.all_domains():
            settings = self._servers.for_domain(domain)
            files[domain] = {
                AUTOCONFIG_PATH: autoconfig_xml(settings),
                PROFILE_PATH: apple_profile(settings, language),
            }
        return files

    def welcome_card(self, address: str, activation: IssuedCode | None = None) -> str:
        """The card of the box ``address`` (not deleted), in its user's language."""
        reader = self._readers.card_reader(address.strip().lower())
        if reader is None:
            raise Refused(
                Refusal(
                    "card.unknown_box",
                    N_("There is no box at {address}."),
                    {"address": address},
                )
            )
        servers = self._servers.for_domain(reader.address.partition("@")[2])
        return welcome_card(reader, servers, activation)

    def save_welcome_card(self, address: str, activation: IssuedCode | None = None) -> Path:
        """The card of ``address`` saved for the person at the screen: where it is."""
        page = self.welcome_card(address, activation)
        try:
            return self._cards.save(f"{address}.html", page)
        except OSError as error:
            raise DirectoryUnavailable(
                N_("Cannot write the welcome card: {reason}"), reason=error.strerror
            ) from None
