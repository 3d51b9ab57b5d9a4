"""Unlock: a masked passphrase, the KDF in a worker, and calm messages when it does not open."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from ..session import BackupFound, Event, RestoreFailed, UnlockFailed
from ..store.errors import BadFormat, Corrupted, PayloadCorrupted, WrongPassphrase
from ..widgets.footer import FittingFooter
from .base import AppScreen, error_text
from .modals.form import FormScroll

#: Errors after which the newest working backup is offered.
DAMAGED = (Corrupted, PayloadCorrupted, BadFormat)


class UnlockScreen(AppScreen):
    """Ask for the passphrase; on success hand the open journal to the app."""

    BINDINGS = [
        Binding("ctrl+b", "open_backup", "key.open_backup", id="open-backup", show=False),
        Binding("ctrl+r", "recovery", "key.use_recovery", id="use-recovery"),
    ]

    def __init__(self) -> None:
        super().__init__()
        #: True once the vault was found damaged: ctrl+b then offers the newest working backup.
        self.damaged = False
        #: True while the field takes the recovery key instead of the passphrase.
        self.recovery = False

    def compose(self) -> ComposeResult:
        tr = self.tr
        with FormScroll(id="unlock-box"):
            yield Static(f"{tr('app.name')} · {tr('app.tagline')}", classes="brand", markup=False)
            if self.app.demo:
                yield Static(tr("unlock.demo_hint"), classes="notice", markup=False)
            yield Static(tr("unlock.locked"), classes="muted", markup=False)
            with Horizontal(classes="field-row"):
                yield Label(tr("unlock.passphrase"), classes="field-label", id="secret-label")
                yield Input(password=True, id="passphrase", compact=True)
            yield Static("", id="message", classes="error-line", markup=False)
            yield Static(tr("unlock.forgot"), id="forgot", classes="muted", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        """Focus the passphrase field."""
        self.query_one("#passphrase", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``ctrl+b`` (open a backup) is shown only when the vault is damaged."""
        if action == "open_backup":
            return self.damaged
        if action == "recovery":
            return not self.app.demo
        return True

    def action_recovery(self) -> None:
        """ctrl+r: 忘记口令？ Type the recovery key instead (ctrl+r again: back to the passphrase)."""
        self.recovery = not self.recovery
        tr = self.tr
        self.query_one("#secret-label", Label).update(tr("unlock.recovery_key" if self.recovery else "unlock.passphrase"))
        self.query_one("#forgot", Static).update(tr("unlock.forgot_back" if self.recovery else "unlock.forgot"))
        field = self.query_one("#passphrase", Input)
        field.value = ""
        field.placeholder = tr("unlock.recovery_placeholder") if self.recovery else ""
        field.focus()
        self.query_one("#message", Static).update("")

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
        if self.recovery:
            self.app.recovered = True  # once open, the app asks for a new passphrase
            key = event.value
            session = self.app.session
            self.app.run_worker(
                lambda: session.unlock(recovery_key=key, prepare=warm_up), thread=True, group="life", exit_on_error=False
            )
            return
        self.unlock(event.value)

    def unlock(self, passphrase: str) -> None:
        """Run the KDF and decrypt in a worker; the session reports how it went."""
        session = self.app.session
        self.app.run_worker(
            lambda: session.unlock(passphrase, prepare=warm_up), thread=True, group="life", exit_on_error=False
        )

    def session_event(self, event: Event) -> bool:
        """A failed unlock, a backup found (or not), a failed restore: shown here."""
        if isinstance(event, (UnlockFailed, RestoreFailed)):
            self.failed(event.error)
            return True
        if isinstance(event, BackupFound):
            if event.path is None:
                self.failed_backup()
            else:
                self.confirm_backup(event.path, event.passphrase)
            return True
        return False

    def failed(self, exc: BaseException) -> None:
        """Show why it did not open; keep the screen usable."""
        self._busy("")
        field = self.query_one("#passphrase", Input)
        message = self.query_one("#message", Static)
        if isinstance(exc, DAMAGED):
            self.damaged = True
            self.refresh_bindings()
            message.update(error_text(exc, self.tr) + "\n" + self.tr("unlock.offer_backup"))
        elif self.recovery and isinstance(exc, (WrongPassphrase, ValueError)):
            self.app.recovered = False
            message.update(self.tr("error.wrong_recovery_key"))
            field.value = ""
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

    def find_backup(self, passphrase: str) -> None:
        """Try the backups newest first (in a worker); the first that opens is offered."""
        session = self.app.session
        self.app.run_worker(lambda: session.find_backup(passphrase), thread=True, group="life", exit_on_error=False)

    def failed_backup(self) -> None:
        """No backup opens with this passphrase."""
        self._busy("")
        self.query_one("#message", Static).update(self.tr("unlock.no_backup"))

    def confirm_backup(self, candidate: Path, passphrase: str) -> None:
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

    def restore_and_open(self, candidate: Path, passphrase: str) -> None:
        """Keep the damaged file as a backup, put the good one in place, open it (in a worker)."""
        session = self.app.session
        self.app.run_worker(
            lambda: session.restore_backup(candidate, passphrase), thread=True, group="life", exit_on_error=False
        )

    def rebuild(self) -> UnlockScreen:
        """A fresh copy after a language switch."""
        return UnlockScreen()


def warm_up() -> None:
    """Import (and read) what Home needs, from the unlock worker's thread, so the event loop
    does not stop for it. Not earlier: a thread busy while the user types makes keys queue up,
    and Textual then delivers keys typed after enter to the field enter left."""
    from ..analysis import review  # noqa: F401
    from ..checklists import load_builtin
    from ..store import journal  # noqa: F401
    from . import checklist, home  # noqa: F401

    load_builtin()
