"""Change the passphrase: the current one, the new one twice; two KDF runs in a worker."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, LoadingIndicator, Static

from ...session import Event, PassphraseChanged, PassphraseChangeFailed, rotation_lines
from ...store.errors import WrongPassphrase
from ...store.passphrase import MIN_LENGTH, judge, strength
from ..base import AppModal, error_text
from .form import fit_label_column


class ChangePassphraseModal(AppModal[bool | None]):
    """Dismisses with True once the passphrase was changed, else None.

    ``recovered``: the vault was just opened with the recovery key — there is no current
    passphrase to ask for, and the dialog says why a new one is needed."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel", id="cancel")]

    def __init__(self, recovered: bool = False) -> None:
        super().__init__()
        self.recovered = recovered

    def _order(self) -> list[str]:
        return ["new", "repeat"] if self.recovered else ["current", "new", "repeat"]

    def compose(self) -> ComposeResult:
        tr = self.tr
        with Vertical(classes="dialog"):
            yield Static(tr("passwd.title_recovered" if self.recovered else "passwd.title"), classes="dialog-title",
                         markup=False)
            if self.recovered:
                yield Static(tr("passwd.recovered_hint"), classes="muted", markup=False)
            labels = {"current": "passwd.current", "new": "passwd.new", "repeat": "setup.repeat"}
            for name in self._order():
                key = labels[name]
                with Horizontal(classes="field-row"):
                    yield Label(tr(key), classes="field-label")
                    yield Input(password=True, id=name, compact=True)
            yield Static("", id="strength", markup=False)
            yield LoadingIndicator(id="busy")
            yield Static("", id="message", classes="error-line", markup=False)
            yield Static(tr("passwd.note"), classes="muted", markup=False)
            yield Static(self.keys_hint("passwd.keys"), classes="dialog-keys", markup=False)

    def on_mount(self) -> None:
        """Focus the current passphrase."""
        fit_label_column(self)  # every label keeps a gap before its field, in any language
        self.query_one("#busy").display = False
        self.query_one(f"#{self._order()[0]}", Input).focus()

    @on(Input.Changed, "#new")
    def show_strength(self, event: Input.Changed) -> None:
        """Strength of the new passphrase as it is typed."""
        text = self.tr("setup.strength", level=self.tr(f"strength.{strength(event.value)}")) if event.value else ""
        self.query_one("#strength", Static).update(text)

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; on the last one, change."""
        order = self._order()
        if event.input.id in order[:-1]:
            self.query_one(f"#{order[order.index(event.input.id) + 1]}", Input).focus()
            return
        current = None if self.recovered else self.query_one("#current", Input).value
        new, repeat = (self.query_one(f"#{n}", Input).value for n in ("new", "repeat"))
        message = self.query_one("#message", Static)
        verdict = judge(new)
        if not verdict.allowed:
            key = "error.passphrase_short" if verdict.too_short else "error.passphrase_weak"
            message.update(self.tr(key, min=MIN_LENGTH))
            self.query_one("#new", Input).focus()
            return
        if new != repeat:
            message.update(self.tr("error.passphrase_mismatch"))
            self.query_one("#repeat", Input).value = ""
            return
        if verdict.confirm:
            from .confirm import ConfirmModal

            def decided(yes: bool | None) -> None:
                if yes:
                    self._start(current, new)
                else:
                    self.query_one("#new", Input).focus()

            level = self.tr(f"strength.{verdict.level}")
            self.app.push_screen(ConfirmModal(self.tr("setup.confirm_weaker", level=level),
                                              self.tr("setup.confirm_weaker_detail")), decided)
            return
        self._start(current, new)

    def _start(self, current: str | None, new: str) -> None:
        message = self.query_one("#message", Static)
        message.update(self.tr("passwd.busy"))
        self.query_one("#busy").display = True
        for field in self.query(Input):
            field.disabled = True
        self.change(current, new)

    def change(self, current: str | None, new: str) -> None:
        """Check the current passphrase, then re-wrap the data key (in a worker; two KDF runs)."""
        session = self.app.session
        self.app.run_worker(lambda: session.change_passphrase(current, new), thread=True, group="life", exit_on_error=False)

    def session_event(self, event: Event) -> bool:
        """Changed, or why not."""
        if isinstance(event, PassphraseChanged):
            self.done(event)
            return True
        if isinstance(event, PassphraseChangeFailed):
            self.failed(event.error)
            return True
        return False

    def failed(self, exc: BaseException) -> None:
        """Say why; let the user try again."""
        self.query_one("#busy").display = False
        for field in self.query(Input):
            field.disabled = False
        text = self.tr("passwd.wrong_current") if isinstance(exc, WrongPassphrase) else error_text(exc, self.tr)
        self.query_one("#message", Static).update(text)
        first = self.query_one(f"#{self._order()[0]}", Input)
        first.value = ""
        first.focus()

    def done(self, event: PassphraseChanged) -> None:
        """Changed: say exactly what is true now (new data key, the copies, the recovery key)."""
        self.notify("\n".join(rotation_lines(event.rotation, self.tr)), timeout=15)
        self.dismiss(True)

    def action_cancel(self) -> None:
        """Close without changing."""
        self.dismiss(None)
