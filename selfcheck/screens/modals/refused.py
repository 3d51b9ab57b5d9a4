"""The disk refused a save: the user's change is kept, and here they choose what becomes of it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from ..base import AppModal


class RefusedSaveModal(AppModal[str | None]):
    """Dismisses with ``"apply"`` (merge into the file on disk), ``"copy"`` (a separate copy) or
    None (later: the change stays kept, sealed on disk, and is merged at the next unlock)."""

    BINDINGS = [
        Binding("a", "choose('apply')", "key.merge", id="merge"),
        Binding("c", "choose('copy')", "key.copy", id="copy"),
        Binding("escape", "choose(None)", "key.later", id="later"),
    ]

    def __init__(self, changed_on_disk: bool = True) -> None:
        super().__init__()
        self.changed_on_disk = changed_on_disk

    def compose(self) -> ComposeResult:
        tr = self.tr
        with Vertical(classes="dialog", id="refused"):
            yield Static(tr("refused.title"), classes="dialog-title", markup=False)
            yield Static(tr("refused.body_changed" if self.changed_on_disk else "refused.body_failed"), markup=False)
            yield Static(tr("refused.kept"), classes="notice", markup=False)
            yield Static(f"a  {tr('refused.apply')}\nc  {tr('refused.copy')}\nesc  {tr('refused.later')}", markup=False)
            yield Static(tr("refused.keys"), classes="dialog-keys", markup=False)

    def action_choose(self, choice: str | None) -> None:
        """Close with the choice."""
        self.dismiss(choice)

    def rebuild(self) -> RefusedSaveModal:
        """Still the open question after a language switch."""
        return RefusedSaveModal(self.changed_on_disk)
