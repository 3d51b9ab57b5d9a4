"""A calm line while the vault is being replaced or reloaded (restore, merge, copy).

While the session has dropped the data or is swapping the file under the screens, nothing on
them may be touched: this dialog takes the keys (``escape`` does nothing) until the app closes it.
ctrl+q still quits the careful way.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from ..base import AppModal


class BusyModal(AppModal[None]):
    """Shows ``text`` until the app dismisses it."""

    BINDINGS = [Binding("escape", "wait", show=False, id="busy-wait")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="busy"):
            yield Static(self.text, classes="busy-line", markup=False)

    def action_wait(self) -> None:
        """Escape: nothing to cancel halfway; the work finishes in a moment."""

    def rebuild(self) -> BusyModal:
        """Still busy after a language switch."""
        return BusyModal(self.text)
