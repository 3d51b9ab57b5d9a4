"""A date and a note: a progress note (进展) or 销号 on a rectification item, from the list."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static, TextArea

from ...store.models import parse_date
from .editor import RecordEditor
from .form import fit_label_column


class DatedNoteModal(RecordEditor):
    """Ask for a date (default ``today``) and a note; dismisses with ``(date, note)`` or None.

    ``need_note``: the note may not be empty (a progress note); a 销号 note is optional.
    ``keep(date, note)`` is called if the app locks while the dialog is open, so typing is not lost.
    """

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
            yield Static(self.keys_hint("dated_note.keys"), classes="dialog-keys", markup=False)

    def on_mount(self) -> None:
        """Start in the note: the date is usually today."""
        fit_label_column(self)  # every label keeps a gap before its field, in any language
        self.query_one("#note", TextArea).focus()
        self._initial = self._snapshot()

    def _values(self) -> tuple[str, str]:
        return self.query_one("#date", Input).value.strip(), self.query_one("#note", TextArea).text.strip()

    def _snapshot(self) -> tuple:
        return self._values()

    def edited(self, *, strict: bool = True) -> tuple[str, str]:
        """``(date, note)`` as typed; ``strict=False`` (a lock): a bad date becomes today."""
        day, note = self._values()
        try:
            day = parse_date(day) if day else self.today
        except ValueError:
            if strict:
                raise ValueError("date", self.tr("error.bad_date", value=day)) from None
            day = self.today
        if strict and self.need_note and not note:
            raise ValueError("note", self.tr("dated_note.need_note"))
        return day, note

    @on(Input.Submitted, "#date")
    def _submitted(self) -> None:
        self.action_save()

    def keep_draft(self) -> None:
        """Auto-lock while open: hand what was typed to ``keep``."""
        day, note = self.edited(strict=False)
        if self.keep is None or (self.need_note and not note):
            return
        self.keep(day, note)
        self.app.kept_drafts.append(note.splitlines()[0] if note else self.title_text)
