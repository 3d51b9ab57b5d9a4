"""One scaffold for the record lists: the diary, the 整改清单, the 谈心谈话 notes, the history of
self-checks, one self-check, a comparison of two, and one item over time.

Each is a DataTable of ``rows`` (one row per record, in order) with a panel that follows the
cursor. ``enter`` or a click opens the highlighted row, ``escape`` goes back, and a save asked
from the list reloads it with the saved record highlighted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from textual.binding import Binding
from textual.widgets import DataTable

from .base import AppScreen, under_cursor

T = TypeVar("T")

#: ``escape`` goes back: the last binding of every list.
BACK = Binding("escape", "back", "key.back", id="back")


class RecordListScreen(AppScreen[None], Generic[T]):
    """A list of records of type ``T``. Subclasses fill ``rows`` and the table, and implement
    :meth:`show_detail` and (if rows open) :meth:`open_row`. Their ``BINDINGS`` end with
    :data:`BACK` (the Footer shows keys in the order declared)."""

    def __init__(self, selected: str | None = None) -> None:
        super().__init__()
        #: The records shown, in the table's order.
        self.rows: list[T] = []
        #: The key of the highlighted row, kept across reloads and language switches.
        self.selected = selected

    @property
    def table(self) -> DataTable:
        """The list."""
        return self.query_one(DataTable)

    @property
    def current(self) -> T | None:
        """The highlighted record."""
        return under_cursor(self.table, self.rows)

    @property
    def today(self) -> str:
        """Today as YYYY-MM-DD (the app's clock, faked in tests)."""
        return self.app.today().isoformat()

    def show_detail(self) -> None:
        """Show the highlighted record in full (below the list)."""

    def open_row(self) -> None:
        """``enter`` or a click on a row (nothing by default)."""

    def restore_cursor(self, keys: list[str]) -> None:
        """Put the cursor on :attr:`selected` when it is among ``keys`` (the rows' keys), else
        keep it where it was, within the rows."""
        table = self.table
        index = keys.index(self.selected) if self.selected in keys else None
        if index is not None:
            table.move_cursor(row=index, animate=False)
        elif keys:
            table.move_cursor(row=min(max(table.cursor_row, 0), len(keys) - 1), animate=False)

    def reload(self) -> None:
        """Read the records again and redraw (lists that change implement it)."""

    def saved(self, message_key: str, select: str | None = None) -> Callable[[object], None]:
        """A callback for :meth:`SelfCheckApp.save`: say ``message_key``, reload, highlight
        ``select``."""

        def done(_result: object) -> None:
            if select is not None:
                self.selected = select
            self.notify(self.tr(message_key))
            if self.is_attached:
                self.reload()

        return done

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The panel follows the cursor."""
        if event.row_key is not None and event.row_key.value is not None:
            self.selected = str(event.row_key.value)
        self.show_detail()

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        """A click on a row (or enter, where the table has it) opens it."""
        self.open_row()

    def action_back(self) -> None:
        """``escape``: back to where the list was opened from."""
        self.app.pop_screen()
