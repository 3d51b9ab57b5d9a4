"""Unlock: a masked passphrase, the KDF in a worker, and calm messages when it does not open."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Input, Label, Static

from ..store.errors import BadFormat, Corrupted, PayloadCorrupted, SelfcheckError, WrongPassphrase
from ..app import warm_up
from ..ui import AppScreen, error_text

#: Errors after which the newest working backup is offered.
DAMAGED = (Corrupted, PayloadCorrupted, BadFormat)


class UnlockScreen(AppScreen):
    """Ask for the passphrase; on success hand the open journal to the app."""

    BINDINGS = [Binding("ctrl+b", "open_backup", "key.open_backup", id="open-backup", show=False)]

    def __init__(self) -> None:
        super().__init__()
        #: True once the vault was found damaged: ctrl+b then offers the newest working backup.
        self.damaged = False

    def compose(self) -> ComposeResult:
        tr = self.tr
        with VerticalScroll(id="unlock-box"):
            yield Static(f"{tr('app.name')} · {tr('app.tagline')}", classes="brand", markup=False)
            if getattr(self.app, "demo", False):
                yield Static(tr("unlock.demo_hint"), classes="notice", markup=False)
            yield Static(tr("unlock.locked"), classes="muted", markup=False)
            with Horizontal(classes="field-row"):
                yield Label(tr("unlock.passphrase"), classes="field-label")
                yield Input(password=True, id="passphrase", compact=True)
            yield Static("", id="message", classes="error-line", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """Focus the passphrase field."""
        self.query_one("#passphrase", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``ctrl+b`` (open a backup) is shown only when the vault is damaged."""
        if action == "open_backup":
            return self.damaged
        return True

    def _busy(self, text: str) -> None:
        """Show (or with "" clear) the busy line. A line, not an animation: on two cores an
        animated indicator takes CPU from the key derivation and makes unlocking slower."""
        message = self.query_one("#message", Static)
        message.set_class(not text, "error-line")
        message.set_class(bool(text), "busy-line")
        message.update(text)
        self.query_one("#passphrase", Input).disabled = bool(text)

    @on(Input.Submitted, "#passphrase")
    def submit(self, event: Input.Submitted) -> None:
        """Unlock with what was typed."""
        if not event.value:
            return
        self._busy(self.tr("unlock.busy"))
        self.unlock(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def unlock(self, passphrase: str) -> None:
        """Run the KDF and decrypt off the event loop."""
        from ..store.journal import Journal

        try:
            journal = Journal.open(self.app.data_dir, passphrase=passphrase, lock=self.app.vault_lock)
        except Exception as exc:  # noqa: BLE001 - every failure becomes one calm line
            self.app.call_from_thread(self.failed, exc)
            return
        warm_up()
        self.app.call_from_thread(self.app.unlocked, journal)

    def failed(self, exc: BaseException) -> None:
        """Show why it did not open; keep the screen usable."""
        self._busy("")
        field = self.query_one("#passphrase", Input)
        message = self.query_one("#message", Static)
        if isinstance(exc, DAMAGED):
            self.damaged = True
            self.refresh_bindings()
            message.update(error_text(exc, self.tr) + "\n" + self.tr("unlock.offer_backup"))
        elif isinstance(exc, WrongPassphrase):
            message.update(self.tr("error.wrong_passphrase"))
            field.value = ""
        else:
            message.update(error_text(exc, self.tr))
        field.focus()

    def action_open_backup(self) -> None:
        """Open the newest backup that opens with the typed passphrase (after asking)."""
        passphrase = self.query_one("#passphrase", Input).value
        if not passphrase:
            self.query_one("#message", Static).update(self.tr("unlock.backup_needs_passphrase"))
            return
        self._busy(self.tr("unlock.busy_backup"))
        self.find_backup(passphrase)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def find_backup(self, passphrase: str) -> None:
        """Try the backups newest first; offer the first that opens."""
        from ..store.backups import verify_backup
        from ..store.journal import vault_path
        from ..store.vault import BACKUP_DIR, list_backups

        for candidate in list_backups(vault_path(self.app.data_dir).parent / BACKUP_DIR):
            try:
                verify_backup(candidate, passphrase=passphrase)
            except SelfcheckError:
                continue
            self.app.call_from_thread(self.confirm_backup, candidate, passphrase)
            return
        self.app.call_from_thread(self.failed_backup)

    def failed_backup(self) -> None:
        """No backup opens with this passphrase."""
        self._busy("")
        self.query_one("#message", Static).update(self.tr("unlock.no_backup"))

    def confirm_backup(self, candidate, passphrase: str) -> None:
        """Say what will be replaced, then restore and open."""
        from .modals.confirm import ConfirmModal

        self._busy("")
        stamp = candidate.name.split("-")[1]
        when = f"{stamp[0:4]}-{stamp[4:6]}-{stamp[6:8]} {stamp[9:11]}:{stamp[11:13]} UTC"

        def decided(yes: bool | None) -> None:
            if yes:
                self._busy(self.tr("unlock.busy_backup"))
                self.restore_and_open(candidate, passphrase)

        self.app.push_screen(
            ConfirmModal(self.tr("unlock.restore_question", when=when), self.tr("unlock.restore_detail")), decided
        )

    @work(thread=True, exclusive=True, exit_on_error=False)
    def restore_and_open(self, candidate, passphrase: str) -> None:
        """Keep the damaged file as a backup, put the good one in place, open it."""
        from ..store.backups import restore_backup
        from ..store.journal import Journal

        try:
            restore_backup(self.app.data_dir, candidate, passphrase=passphrase, lock=self.app.vault_lock)
            journal = Journal.open(self.app.data_dir, passphrase=passphrase, lock=self.app.vault_lock)
        except Exception as exc:  # noqa: BLE001
            self.app.call_from_thread(self.failed, exc)
            return
        self.app.call_from_thread(self.app.unlocked, journal)

    def rebuilt(self) -> "UnlockScreen":
        """A fresh copy after a language switch."""
        return UnlockScreen()
