"""What every screen shares: translated key hints, what it may know of the session, and
service calls in worker threads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar, runtime_checkable

from textual import events, on
from textual.binding import ActiveBinding
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Button
from textual.worker import Worker, get_current_worker

from mailwizard.domain.access import Origin
from mailwizard.errors import MailwizardError, Refused
from mailwizard.i18n import _
from mailwizard.logs import log_unexpected_error
from mailwizard.tui.widgets.error_line import ErrorLine
from mailwizard.tui.widgets.field import CaptionedControl

ResultT = TypeVar("ResultT")
ScreenResultT = TypeVar("ScreenResultT")


def translated(bindings: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    """Binding descriptions are English message ids; the footer shows them translated."""
    return {
        key: active._replace(
            binding=replace(active.binding, description=_(active.binding.description))
        )
        for key, active in bindings.items()
    }


@runtime_checkable
class Session(Protocol):
    """What a screen may know of the program running it: where the person sits and
    which language they read. The application is one."""

    @property
    def origin(self) -> Origin: ...

    @property
    def audit_origin(self) -> str:
        """What the audit log records as "from where" for this session."""
        ...

    @property
    def language(self) -> str: ...


class UnexpectedError(Message):
    """A service call failed in a way no rule foresaw; the details are in ``log_path``."""

    def __init__(self, log_path: Path) -> None:
        super().__init__()
        self.log_path = log_path


class ServiceScreen(Screen[ScreenResultT]):
    """A screen that runs blocking service calls (hashing, the directory, delivery) off
    the event loop.

    The answer comes back on the event loop: ``done`` with the result, ``refused``
    with an error meant for the user (a notification says it when no ``refused`` is
    given); anything else posts ``UnexpectedError`` to the application, which opens the
    error screen. An answer for a screen that has gone,
    or from a call that a newer one replaced, is dropped.
    """

    @property
    def session(self) -> Session:
        app = self.app
        assert isinstance(app, Session)
        return app

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return translated(super().active_bindings)

    REFUSAL_LINE: ClassVar[str] = "#dialog-error"
    """The ErrorLine that says a refusal when it names no field shown here."""

    def service_failed(self) -> None:
        """A call failed unexpectedly (the error screen says so): become usable again."""

    def show_refusal(self, error: MailwizardError) -> None:
        """Under the field it names when that field is shown here, else on the
        ``REFUSAL_LINE``."""
        shown_beside = show_beside_field(self, error)
        self.query_one(self.REFUSAL_LINE, ErrorLine).show(None if shown_beside else error.message)

    def notify_refusal(self, error: MailwizardError) -> None:
        self.notify(error.message, severity="error", markup=False)

    def call_service(
        self,
        call: Callable[[], ResultT],
        done: Callable[[ResultT], None],
        refused: Callable[[MailwizardError], None] | None = None,
        *,
        group: str,
    ) -> Worker[None]:
        app = self.app
        say_why = refused or self.notify_refusal

        def if_still_shown(handler: Callable[[], None]) -> None:
            if self.is_attached:
                handler()

        def job() -> None:
            worker = get_current_worker()
            try:
                result = call()
            except MailwizardError as error:
                if not worker.is_cancelled:
                    app.call_from_thread(if_still_shown, partial(say_why, error))
            except Exception as error:
                log_path = log_unexpected_error("unexpected error in a service call", error)
                app.call_from_thread(if_still_shown, self.service_failed)
                app.post_message(UnexpectedError(log_path))
            else:
                if not worker.is_cancelled:
                    app.call_from_thread(if_still_shown, partial(done, result))

        worker: Worker[None] = self.run_worker(
            job, thread=True, exclusive=True, group=group, exit_on_error=False
        )
        return worker


class MailwizardScreen(ServiceScreen[ScreenResultT]):
    _resumed = False

    def holds_answers(self) -> bool:
        """True when answers typed here would be lost by quitting."""
        return False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # The first resume comes right after every widget was styled as it mounted:
        # styling them all again held the event loop 10-15 ms more on each step.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    def on_resize(self, event: events.Resize) -> None:
        # A new screen's first layout sends the screen a Resize to the very size it was
        # just laid out at; laying it out again held the event loop 10-15 ms more on
        # each wizard step. A real change of the terminal's size still gets through.
        if event.size == self.outer_size:
            event.prevent_default()


class MailwizardModal(ServiceScreen[ScreenResultT | None], ModalScreen[ScreenResultT | None]):
    """A dialog over another screen, with the same service calls. Its ``#close`` button
    (whether it reads Close or Back) and the ``close`` action close it with None."""

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)


def show_beside_field(screen: Screen[Any], error: MailwizardError) -> bool:
    """Puts a refusal under the field it names, whose control takes the focus; False
    when no such field is shown."""
    field = error.field if isinstance(error, Refused) else None
    fields = screen.query(f"#{field}-field") if field is not None else None
    if not fields:
        return False
    target = fields.first(CaptionedControl)
    target.show_error(error.message)
    target.control.focus()
    return True
