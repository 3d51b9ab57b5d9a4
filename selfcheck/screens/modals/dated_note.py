"""A date and a note: a progress note (进展) or 销号 on a rectification item, from the list."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static, TextArea

from ...store.models import parse_date
from ..base import AppModal
from .confirm import ConfirmModal


class DatedNoteModal(AppModal[tuple[str, str] | None]):
    """Ask for a date (default ``today``) and a note; dismisses with ``(date, note)`` or None.

    ``need_note``: the note may not be empty (a progress note); a 销号 note is optional.
    ``keep(date, note)`` is called if the app locks while the dialog is open, so typing is not lost.
    """

    KEEPS_TYPING = True

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="save", priority=True),
        Binding("escape", "cancel", "key.cancel", id="cancel"),
    ]

    def __init__(
        self,
        title: str,
        context: str,
        *,
        today: str,
        date_label: str,
        note_label: str,
        need_note: bool,
        keep: Callable[[str, str], None] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.context = context
        self.today = today
        self.date_label = date_label
        self.note_label = note_label
        self.need_note = need_note
        self.keep = keep

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.context, classes="muted", markup=False)
            with Horizontal(classes="field-row"):
                yield Label(self.date_label, classes="field-label")
                yield Input(self.today, id="date", compact=True, placeholder="YYYY-MM-DD", max_length=10)
            yield Label(self.note_label, classes="field-label")
            yield TextArea("", id="note", soft_wrap=True, show_line_numbers=False)
            yield Static("", id="message", classes="error-line", markup=False)
            yield Static(self.tr("dated_note.keys"), classes="dialog-keys", markup=False)

    def on_mount(self) -> None:
        """Start in the note: the date is usually today."""
        self.query_one("#note", TextArea).focus()

    def _values(self) -> tuple[str, str]:
        return self.query_one("#date", Input).value.strip(), self.query_one("#note", TextArea).text.strip()

    def action_save(self) -> None:
        """Validate and close with the date and the note (once keys typed before ctrl+s are in)."""
        self.app.after_typing(self._save_now)

    def _save_now(self) -> None:
        if not self.is_current:
            return
        day, note = self._values()
        message = self.query_one("#message", Static)
        try:
            day = parse_date(day) if day else self.today
        except ValueError:
            message.update(self.tr("error.bad_date", value=day))
            self.query_one("#date", Input).focus()
            return
        if self.need_note and not note:
            message.update(self.tr("dated_note.need_note"))
            self.query_one("#note", TextArea).focus()
            return
        self.dismiss((day, note))

    @on(Input.Submitted, "#date")
    def _submitted(self) -> None:
        self.action_save()

    def action_cancel(self) -> None:
        """Close without saving; if a note was typed, ask first."""
        if not self._values()[1]:
            self.dismiss(None)
            return

        def decided(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmModal(self.tr("dated_note.discard")), decided)

    def keep_draft(self) -> None:
        """Auto-lock while open: hand what was typed to ``keep``."""
        day, note = self._values()
        if self.keep is None or (self.need_note and not note):
            return
        try:
            day = parse_date(day) if day else self.today
        except ValueError:
            day = self.today
        self.keep(day, note)
        self.app.kept_drafts.append(note.splitlines()[0] if note else self.title_text)
