"""A DataTable of records, one per row."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable


class RowTable(DataTable):
    """A DataTable whose rows are records: Home and End go to the first and the last row, as in
    every list people know (Textual's own Home and End scroll sideways)."""

    BINDINGS = [
        Binding("home", "first_row", "key.first_row", show=False, id="table-first"),
        Binding("end", "last_row", "key.last_row", show=False, id="table-last"),
    ]

    def action_first_row(self) -> None:
        """Home: the first row."""
        if self.row_count:
            self.move_cursor(row=0)

    def action_last_row(self) -> None:
        """End: the last row (in a list that loads a page at a time, the last one loaded)."""
        if self.row_count:
            self.move_cursor(row=self.row_count - 1)
