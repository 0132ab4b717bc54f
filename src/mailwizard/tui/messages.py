"""What the screens tell the application, which decides what comes next: the screens
never show each other's pages themselves."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from mailwizard.services.signin import SignedIn as Account


class SignedIn(Message):
    """Someone signed in: the holder goes to the household's page, a box's user to
    their own box."""

    def __init__(self, account: Account) -> None:
        super().__init__()
        self.account = account


class SignedOut(Message):
    """Back to the sign-in form, forgetting who was signed in."""


class HouseholdFounded(Message):
    """The first run created the household: its holder may now sign in."""

    def __init__(self, primary_address: str) -> None:
        super().__init__()
        self.primary_address = primary_address


class CreationAsked(Message):
    """The holder asked to create a box: the creation wizard starts."""

    def __init__(self, holder: Account) -> None:
        super().__init__()
        self.holder = holder


class DirectoryRetry(Message):
    """The directory could not be opened: try again (a kiosk does, by itself)."""
