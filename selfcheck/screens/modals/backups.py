"""The encrypted backups: when each was made, and restoring one after a clear confirmation."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, LoadingIndicator, Static

from ...session import Event, RestoreFailed
from ...store.errors import WrongPassphrase
from ...widgets.rowtable import RowTable
from ..base import AppModal, error_text
from .form import fit_label_column


def backup_time(path: Path) -> str:
    """Local date and time a backup was made, from its name (``vault-<UTC stamp>-…``)."""
    stamp = path.name.split("-")[1]
    try:
        when = datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
    except ValueError:
        when = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    return when.astimezone().strftime("%Y-%m-%d %H:%M:%S")


class BackupsModal(AppModal[None]):
    """Lists backups, newest first; enter asks to restore the selected one."""

    BINDINGS = [
        Binding("escape", "close", "key.close", id="close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.backups = self.app.session.restorable()
        self.chosen: Path | None = None

    def compose(self) -> ComposeResult:
        tr = self.tr
        with Vertical(classes="dialog"):
            yield Static(tr("backups.title", n=len(self.backups)), classes="dialog-title", markup=False)
            table: DataTable = RowTable(id="backups-table", cursor_type="row")
            table.add_column(tr("backups.col_time"), width=28)
            table.add_column(tr("backups.col_size"), width=10)
            for path in self.backups:
                when = backup_time(path) + (tr("backups.copy_mark") if path.name.startswith("copy-") else "")
                table.add_row(when, f"{path.stat().st_size / 1024:.0f} KiB")
            yield table
            with Horizontal(classes="field-row", id="restore-row"):
                yield Label(tr("backups.passphrase"), classes="field-label")
                yield Input(password=True, id="passphrase", compact=True)
            yield LoadingIndicator(id="busy")
            yield Static("", id="message", classes="error-line", markup=False)
            yield Static(self.keys_hint("backups.keys"), classes="dialog-keys", markup=False)

    def on_mount(self) -> None:
        """The list first; the passphrase row appears once a backup is chosen."""
        self.query_one("#busy").display = False
        fit_label_column(self)  # "Its passphrase" must not touch its field
        self.query_one("#restore-row").display = False
        if not self.backups:
            self.query_one("#message", Static).update(self.tr("backups.none"))
        self.query_one(DataTable).focus()

    @on(DataTable.RowSelected)
    def selected(self, event: DataTable.RowSelected) -> None:
        """Confirm what will be replaced, then ask for the backup's passphrase."""
        from .confirm import ConfirmModal

        path = self.backups[event.cursor_row]

        def decided(yes: bool | None) -> None:
            if yes:
                # Today's key opens every copy kept since the last key change: no passphrase.
                self.chosen = path
                self.query_one("#busy").display = True
                self.query_one("#message", Static).update(self.tr("backups.busy"))
                self.run_restore(path, None)

        self.app.push_screen(
            ConfirmModal(self.tr("backups.question", when=backup_time(path)), self.tr("backups.detail")), decided
        )

    @on(Input.Submitted, "#passphrase")
    def restore(self, event: Input.Submitted) -> None:
        """Restore with the passphrase the backup opens with."""
        if self.chosen is None or not event.value:
            return
        self.query_one("#busy").display = True
        self.query_one("#message", Static).update(self.tr("backups.busy"))
        event.input.disabled = True
        self.run_restore(self.chosen, event.value)

    def run_restore(self, path: Path, passphrase: str | None) -> None:
        """Restore in a worker: the session proves the backup opens, keeps every draft and the
        current vault, puts this one in place and opens it; the app then goes Home."""
        self.app.keep_drafts()
        session = self.app.session
        self.app.run_life(lambda: session.restore_backup(path, passphrase), "session.busy_restore")

    def session_event(self, event: Event) -> bool:
        """The backup did not open (nothing changed): say so here."""
        if isinstance(event, RestoreFailed) and not event.dropped:
            self.failed(event.error)
            return True
        return False

    def failed(self, exc: BaseException) -> None:
        """The backup did not open: nothing changed. A copy from before the last key change
        needs the passphrase it was made with (the result still opens with today's)."""
        self.query_one("#busy").display = False
        row = self.query_one("#restore-row")
        field = self.query_one("#passphrase", Input)
        asked = bool(row.display)
        row.display = True
        field.disabled = False
        field.value = ""
        field.focus()
        if isinstance(exc, WrongPassphrase):
            text = self.tr("error.wrong_passphrase") if asked else self.tr("backups.older_key")
        else:
            text = error_text(exc, self.tr)
        self.query_one("#message", Static).update(text)

    def action_close(self) -> None:
        """Close without restoring."""
        self.dismiss(None)
