"""The trash: deleted records, to bring back (nothing is lost by one wrong key)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from ...widgets.rowtable import RowTable
from ..base import AppModal, cell


def local_time(stamp: str) -> str:
    """``2026-11-29T22:15:03Z`` (stored in UTC) as the local ``2026-11-30 06:15`` the user lived."""
    from datetime import datetime

    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp[:16].replace("T", " ")


class TrashModal(AppModal[str | None]):
    """Deleted records of one table; enter restores one. Dismisses with the restored id or None."""

    BINDINGS = [
        Binding("enter", "restore", "key.restore", id="restore"),
        Binding("escape", "close", "key.close", id="close"),
    ]

    def __init__(self, table: str) -> None:
        super().__init__()
        self.table = table
        self.items = [i for i in self.journal.trash() if i.table == table]

    def compose(self) -> ComposeResult:
        tr = self.tr
        with Vertical(classes="dialog"):
            yield Static(tr("trash.title"), classes="dialog-title", markup=False)
            if not self.items:
                yield Static(tr("trash.empty"), classes="muted", markup=False)
            table: DataTable = RowTable(id="trash-table", cursor_type="row")
            table.add_column(tr("trash.col_deleted"), width=16)
            table.add_column(tr("trash.col_item"), width=46)
            for item in self.items:
                record = item.record
                label = getattr(record, "title", "") or getattr(record, "problem", "") or getattr(record, "topic", "")
                day = getattr(record, "date", "")
                table.add_row(local_time(item.deleted), cell(f"{day} {label}".strip()))
            yield table
            yield Static(self.keys_hint("trash.keys"), classes="dialog-keys", markup=False)

    def on_mount(self) -> None:
        """Focus the list."""
        self.query_one(DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row."""
        self.action_restore()

    def action_restore(self) -> None:
        """Restore the selected record (one commit) and close."""
        if not self.items:
            return
        item = self.items[self.query_one(DataTable).cursor_row]
        self.app.save(lambda j: j.restore_deleted(item.id), on_done=lambda _: self._restored(item.id))

    def _restored(self, record_id: str) -> None:
        self.notify(self.tr("trash.restored"))
        self.dismiss(record_id)

    def action_close(self) -> None:
        """Close without restoring."""
        self.dismiss(None)
