"""Yearly study targets the user sets for themself (optional; empty means none)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from ..base import AppModal

TARGETS = ("entries", "minutes", "notes_chars")


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
                    yield Input(str(value) if value else "", id=name, type="integer", compact=True, max_length=7)
            yield Static("", id="message", classes="error-line", markup=False)
            yield Static(tr("targets.keys"), classes="dialog-keys", markup=False)

    def action_save(self) -> None:
        """Close with the numbers typed."""
        chosen = {}
        for name in TARGETS:
            text = self.query_one(f"#{name}", Input).value.strip()
            if text:
                if not text.isdigit():
                    self.query_one("#message", Static).update(self.tr("error.bad_number", value=text))
                    return
                if int(text) > 0:
                    chosen[name] = int(text)
        self.dismiss(chosen)

    def on_input_submitted(self) -> None:
        """Enter saves."""
        self.action_save()

    def action_cancel(self) -> None:
        """Close without changes."""
        self.dismiss(None)
