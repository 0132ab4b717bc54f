"""A labelled input whose rule is the domain's, with its reason shown beneath it; any
other control can be captioned the same way."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Input, Label

from mailwizard.errors import Refusal
from mailwizard.tui.widgets.error_line import ErrorLine

Rule = Callable[[str], Refusal | None]


class RuleValidator(Validator):
    """Lets a domain rule judge an ``Input``: the rule is never written twice."""

    def __init__(self, rule: Rule) -> None:
        super().__init__()
        self._rule = rule

    def validate(self, value: str) -> ValidationResult:
        refusal = self._rule(value)
        return self.success() if refusal is None else self.failure(refusal.message, value)


class CaptionedControl(Vertical):
    """A caption and a control on one line, the reason for a refusal on the next: a
    refusal naming the field ``name`` is shown here (``show_beside_field``)."""

    DEFAULT_CSS = """
    CaptionedControl {
        height: auto;
    }
    CaptionedControl > Horizontal {
        height: auto;
    }
    CaptionedControl .field-caption {
        width: 24;
        padding: 0 1;
    }
    CaptionedControl .field-reason {
        width: 1fr;
        padding: 0 0 0 25;
    }
    """

    def __init__(self, caption: str, control: Widget, *, name: str) -> None:
        super().__init__(id=f"{name}-field")
        self._caption = caption
        self.control = control
        self._error = ErrorLine(classes="field-reason")

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(self._caption, classes="field-caption", markup=False)
            yield self.control
        yield self._error

    def show_error(self, message: str | None) -> None:
        self._error.show(message)
        self.control.set_class(bool(message), "-invalid")


class Field(CaptionedControl):
    """A labelled input whose rule is the domain's.

    The reason appears when the field loses focus or is submitted, and goes away as
    soon as the text changes, so nobody is scolded while still typing."""

    DEFAULT_CSS = """
    Field Input {
        width: 1fr;
        background: $boost;
    }
    """

    def __init__(
        self,
        caption: str,
        *,
        name: str,
        value: str = "",
        password: bool = False,
        placeholder: str = "",
        max_length: int = 0,
        rule: Rule | None = None,
    ) -> None:
        self._input = Input(
            value,
            placeholder=placeholder,
            password=password,
            max_length=max_length,
            id=name,
            compact=True,
            validators=[RuleValidator(rule)] if rule else None,
            validate_on=["blur", "submitted"],
        )
        super().__init__(caption, self._input, name=name)

    @property
    def input(self) -> Input:
        return self._input

    @property
    def value(self) -> str:
        return self._input.value

    def check(self) -> bool:
        """Runs the rule now; shows the reason and returns False when it refuses."""
        result = self._input.validate(self._input.value)
        self.show_error(
            None if result is None or result.is_valid else result.failure_descriptions[0]
        )
        return result is None or result.is_valid

    @on(Input.Blurred)
    @on(Input.Submitted)
    def _judge(self, event: Input.Blurred | Input.Submitted) -> None:
        result = event.validation_result
        if result is not None and not result.is_valid:
            self.show_error(result.failure_descriptions[0])

    @on(Input.Changed)
    def _forgive(self) -> None:
        self.show_error(None)


def all_accepted(fields: Iterable[Field]) -> bool:
    """Runs the rule of every field, each showing its reason; the first refused takes the
    focus."""
    refused = [field for field in fields if not field.check()]
    if refused:
        refused[0].input.focus()
    return not refused
