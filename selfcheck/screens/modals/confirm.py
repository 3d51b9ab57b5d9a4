"""A yes/no question, and "save the changes?" with a way back to the editor."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from ..base import AppModal


class ConfirmModal(AppModal[bool]):
    """Ask ``question``; dismisses with True (y) or False (n / escape)."""

    BINDINGS = [
        Binding("y", "answer(True)", "key.yes", id="yes"),
        Binding("n,escape", "answer(False)", "key.no", id="no"),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-title", markup=False)
            if self.detail:
                yield Static(self.detail, markup=False)
            yield Static(self.keys_hint("confirm.keys"), classes="dialog-keys", markup=False)

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)


class SaveChangesModal(AppModal[str | None]):
    """Leaving an editor with changes: dismisses with ``"save"`` (y), ``"discard"`` (n) or None
    (escape: back to editing). Escape never drops anything, so a second escape is harmless."""

    BINDINGS = [
        Binding("y,s", "answer('save')", "key.save", id="changes-save"),
        Binding("n,d", "answer('discard')", "key.discard", id="changes-discard"),
        Binding("escape", "answer(None)", "key.keep_editing", id="changes-keep-editing"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-title", markup=False)
            yield Static(self.keys_hint("confirm.save_keys"), classes="dialog-keys", markup=False)

    def action_answer(self, choice: str | None) -> None:
        """Close with the choice."""
        self.dismiss(choice)
