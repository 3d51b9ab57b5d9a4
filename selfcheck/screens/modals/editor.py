"""What the record editors share: save with validation, and asking before dropping changes."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.widgets import Static

from ..base import AppModal
from .confirm import SaveChangesModal


class RecordEditor(AppModal[Any]):
    """A dialog editing one record; dismisses with the edited copy, or None.

    Subclasses provide :meth:`edited` (raising ``ValueError(widget_id, message)`` for bad input),
    :meth:`_snapshot` (the form's values, to tell whether anything changed). ``_initial`` is the
    snapshot taken once mounted.
    """

    KEEPS_TYPING = True

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="save", priority=True),
        Binding("escape", "cancel", "key.cancel", id="cancel"),
    ]

    _initial: tuple | None = None

    def edited(self, *, strict: bool = True) -> Any:
        """The record as typed."""
        raise NotImplementedError

    def _snapshot(self) -> tuple:
        raise NotImplementedError

    def action_save(self) -> None:
        """Validate and close with the edited record (once keys typed before ctrl+s are in)."""
        self.app.after_typing(self._save_now)

    def _save_now(self) -> None:
        if not self.is_current:
            return
        try:
            record = self.edited()
        except ValueError as exc:
            widget_id, message = exc.args
            self.query_one("#message", Static).update(message)
            self.query_one(f"#{widget_id}").focus()
            return
        self.dismiss(record)

    def action_cancel(self) -> None:
        """Leave; if something was changed, ask first."""
        if self._snapshot() == self._initial:
            self.dismiss(None)
            return

        def decided(choice: str | None) -> None:
            if choice == "save":
                self.action_save()
            elif choice == "discard":
                self.dismiss(None)
            # escape: back to editing, nothing dropped

        self.app.push_screen(SaveChangesModal(self.tr("confirm.save_question")), decided)

    def changed(self) -> bool:
        """Whether the form differs from what it opened with (once mounted)."""
        return self._initial is not None and self._snapshot() != self._initial
