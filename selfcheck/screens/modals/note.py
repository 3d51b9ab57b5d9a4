"""A private note on one checklist item (仅本人可见)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from ..base import AppModal


class NoteModal(AppModal[str | None]):
    """Edit a note; ``ctrl+s`` and ``escape`` both keep what was typed (nothing is lost by one key).

    Dismisses with the note text. On auto-lock the screen that opened it saves the text
    (see ``ChecklistScreen.keep_draft``).
    """

    KEEPS_TYPING = True

    BINDINGS = [
        Binding("ctrl+s", "keep", "key.save", id="save", priority=True),
        Binding("escape", "keep", "key.close", id="close"),
    ]

    def __init__(self, context: str, note: str) -> None:
        super().__init__()
        self.context = context
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.tr("note.title"), classes="dialog-title", markup=False)
            yield Static(self.context, classes="muted", markup=False)
            yield TextArea(self.note, id="note", soft_wrap=True, show_line_numbers=False)
            yield Static(self.keys_hint("note.keys"), classes="dialog-keys", markup=False)

    def on_mount(self) -> None:
        """Cursor at the end of the note."""
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_keep(self) -> None:
        """Close, keeping the text (once keys typed before ctrl+s are in)."""
        self.app.after_typing(self._keep_now)

    def _keep_now(self) -> None:
        if self.is_current:
            self.dismiss(self.query_one(TextArea).text)
