"""A yes/no question."""

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
            yield Static(self.tr("confirm.keys"), classes="dialog-keys", markup=False)

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)
