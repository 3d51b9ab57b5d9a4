"""The recovery key: the offer at first run, and the key shown once and confirmed."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from ..base import AppModal


class RecoveryOfferModal(AppModal[bool]):
    """Ask whether to create a recovery key; dismisses with True or False."""

    BINDINGS = [
        Binding("y", "answer(True)", "key.yes", id="yes"),
        Binding("n,escape", "answer(False)", "key.no", id="no"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.tr("recovery.offer_title"), classes="dialog-title", markup=False)
            yield Static(self.tr("recovery.offer_body"), markup=False)
            yield Static(self.keys_hint("recovery.offer_keys"), classes="dialog-keys", markup=False)

    def action_answer(self, wanted: bool) -> None:
        """Close with the user's answer."""
        self.dismiss(wanted)


class RecoveryKeyModal(AppModal[bool]):
    """Show the recovery key once; the user types its first group to confirm they wrote it down.

    Dismisses with True when confirmed, False when the user leaves without confirming.
    """

    BINDINGS = [Binding("escape", "leave", "key.skip", id="skip")]

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.tr("recovery.key_title"), classes="dialog-title", markup=False)
            yield Static(self.tr("recovery.key_body"), markup=False)
            yield Static(self.key, id="recovery-key", markup=False)
            yield Static(self.tr("recovery.confirm_prompt"), markup=False)
            yield Input(id="confirm", compact=True, max_length=12)
            yield Static("", id="message", classes="error-line", markup=False)
            yield Static(self.keys_hint("recovery.key_keys"), classes="dialog-keys", markup=False)

    @on(Input.Submitted, "#confirm")
    def check(self, event: Input.Submitted) -> None:
        """The first group must match (case and dashes do not matter)."""
        typed = event.value.strip().upper().replace("-", "").replace(" ", "")
        if typed and typed == self.key.split("-")[0]:
            self.dismiss(True)
        else:
            self.query_one("#message", Static).update(self.tr("recovery.confirm_wrong"))

    def action_leave(self) -> None:
        """Leave without confirming."""
        self.dismiss(False)
