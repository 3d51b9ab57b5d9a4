"""Yearly study targets the user sets for themself (optional; empty means none).

A target is a whole number. A key that cannot be part of one (``abc``) is not taken and the dialog
says why, instead of the field staying silent; a value that is not yet one (``-``) is refused on
saving, and the targets stay as they were.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.validation import Integer
from textual.widgets import Input, Label, Static

from ..base import AppModal
from .form import fit_label_column

TARGETS = ("entries", "minutes", "notes_chars")


class NumberInput(Input):
    """A field for a whole number that reports a refused key (Textual only rings the bell)."""

    class Refused(Message):
        """A key or a paste was not taken: not a digit, or one digit too many."""

        def __init__(self, field: NumberInput) -> None:
            super().__init__()
            #: The field that refused it.
            self.field = field

    def restricted(self) -> None:
        """Post :class:`Refused` as well as ringing the bell."""
        super().restricted()
        self.post_message(self.Refused(self))


class TargetsModal(AppModal[dict[str, int] | None]):
    """Dismisses with ``{name: number}`` (only the targets set) or None."""

    KEEPS_TYPING = True

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="save", priority=True),
        Binding("escape", "cancel", "key.cancel", id="cancel"),
    ]

    def __init__(self, targets: dict[str, int]) -> None:
        super().__init__()
        self.targets = targets

    def compose(self) -> ComposeResult:
        tr = self.tr
        with Vertical(classes="dialog"):
            yield Static(tr("targets.title"), classes="dialog-title", markup=False)
            yield Static(tr("targets.body"), classes="muted", markup=False)
            for name in TARGETS:
                with Horizontal(classes="field-row"):
                    yield Label(tr(f"target.{name}"), classes="field-label")
                    value = self.targets.get(name)
                    yield NumberInput(
                        str(value) if value else "",
                        id=name,
                        type="integer",
                        compact=True,
                        max_length=7,
                        validators=[Integer(minimum=0, failure_description=tr("targets.not_whole", name=tr(f"target.{name}")))],
                        valid_empty=True,
                    )
            yield Static("", id="message", classes="error-line", markup=False)
            yield Static(self.keys_hint("targets.keys"), classes="dialog-keys", markup=False)

    def on_mount(self) -> None:
        """Labels as wide as the longest one needs."""
        fit_label_column(self)

    def _say(self, text: str) -> None:
        self.query_one("#message", Static).update(text)

    @on(NumberInput.Refused)
    def refused(self, event: NumberInput.Refused) -> None:
        """A key the field did not take: say why (the field keeps its number)."""
        field = event.field
        self._say(self.tr("targets.digits_only", name=self.tr(f"target.{field.id}")))

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        """A valid change clears the message; one that is not a number yet says so."""
        result = event.validation_result
        self._say("" if result is None or result.is_valid else result.failure_descriptions[0])

    def action_save(self) -> None:
        """Close with the numbers typed; a field that holds no whole number keeps the dialog open."""
        chosen = {}
        for name in TARGETS:
            field = self.query_one(f"#{name}", Input)
            result = field.validate(field.value.strip())
            if result is not None and not result.is_valid:
                self._say(result.failure_descriptions[0])
                field.focus()
                return
            text = field.value.strip()
            if text and int(text) > 0:
                chosen[name] = int(text)
        self.dismiss(chosen)

    def on_input_submitted(self) -> None:
        """Enter saves."""
        self.action_save()

    def action_cancel(self) -> None:
        """Close without changes."""
        self.dismiss(None)
