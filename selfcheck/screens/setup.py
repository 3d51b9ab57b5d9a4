"""First run: the privacy promise, a passphrase typed twice, then the offer of a recovery key.

Creating the vault runs the KDF for a few seconds. Meanwhile a busy line says so (a line, not an
animation: on two cores an animated indicator takes CPU from the KDF), the fields are disabled and
enter does nothing, so the vault is created once however often it is pressed.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from ..session import Created, CreateFailed, Event
from ..store.passphrase import MIN_LENGTH, judge, strength
from ..widgets.footer import FittingFooter
from .base import AppScreen, error_text
from .modals.form import FormScroll, fit_label_column


class SetupScreen(AppScreen):
    """Welcome and vault creation. The KDF runs in a thread worker with a busy line."""

    BINDINGS = [
        # A priority binding: it runs as the key arrives, so keys typed right after enter go to
        # the field enter moved to, not to the one it left (Textual routes them by focus).
        Binding("enter", "enter", "key.next", id="setup-enter", show=False, priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        #: True from the moment the vault is asked for until it was created or failed.
        self.creating = False

    def compose(self) -> ComposeResult:
        tr = self.tr
        # A tab stop only on a terminal too small for it (tab used to land on it and show nothing).
        with FormScroll(id="setup-box"):
            yield Static(f"{tr('app.name')} · {tr('app.tagline')}", classes="brand", markup=False)
            yield Static(tr("setup.welcome"), markup=False)
            yield Static(tr("setup.privacy"), classes="muted", markup=False)
            yield Static(tr("notice.classified"), classes="notice", markup=False)
            with Horizontal(classes="field-row"):
                yield Label(tr("setup.passphrase"), classes="field-label")
                yield Input(password=True, id="pass1", compact=True, placeholder=tr("setup.passphrase_hint"))
            with Horizontal(classes="field-row"):
                yield Label(tr("setup.repeat"), classes="field-label")
                yield Input(password=True, id="pass2", compact=True)
            yield Static("", id="strength", markup=False)
            yield Static("", id="message", classes="error-line", markup=False)
            yield Static(tr("setup.forget_warning"), classes="muted", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        """Focus the first field."""
        fit_label_column(self)
        self.query_one("#pass1", Input).focus()

    @on(Input.Changed, "#pass1")
    def show_strength(self, event: Input.Changed) -> None:
        """Strength feedback as the user types (never the passphrase itself)."""
        text = "" if not event.value else self.tr("setup.strength", level=self.tr(f"strength.{strength(event.value)}"))
        self.query_one("#strength", Static).update(text)

    def action_enter(self) -> None:
        """Enter: from the first field to the second (at once, before the next key is routed);
        in the second, create the vault once the keys typed before enter are in the field."""
        first, second = self.query_one("#pass1", Input), self.query_one("#pass2", Input)
        if self.focused is first:
            self.set_focus(second)
        elif self.focused is second:
            self.app.after_typing(self.submit)

    def submit(self) -> None:
        """Check both fields, then create the vault (once: a second enter while it is being
        created does nothing)."""
        if self.creating or not self.is_attached:
            return
        first = self.query_one("#pass1", Input).value
        second = self.query_one("#pass2", Input).value
        message = self.query_one("#message", Static)
        verdict = judge(first)
        if not verdict.allowed:
            key = "error.passphrase_short" if verdict.too_short else "error.passphrase_weak"
            message.update(self.tr(key, min=MIN_LENGTH))
            self.query_one("#pass1", Input).focus()
            return
        if first != second:
            message.update(self.tr("error.passphrase_mismatch"))
            self.query_one("#pass2", Input).value = ""
            return
        if verdict.confirm:
            from .modals.confirm import ConfirmModal

            def decided(yes: bool | None) -> None:
                if yes:
                    self._create(first)
                else:
                    self.query_one("#pass1", Input).focus()

            level = self.tr(f"strength.{verdict.level}")
            self.app.push_screen(ConfirmModal(self.tr("setup.confirm_weaker", level=level),
                                              self.tr("setup.confirm_weaker_detail")), decided)
            return
        self._create(first)

    def _create(self, first: str) -> None:
        if self.creating:
            return
        self.creating = True
        self._busy(True)
        self.create_vault(first)

    def _busy(self, busy: bool) -> None:
        """Show (or clear) the busy line; the fields take no keys while the vault is created."""
        message = self.query_one("#message", Static)
        message.set_class(not busy, "error-line")
        message.set_class(busy, "busy-line")
        message.update(self.tr("setup.creating") + "\n" + self.tr("setup.creating_wait") if busy else "")
        for field in self.query(Input):
            field.disabled = busy
        if busy:
            self.call_after_refresh(message.scroll_visible, animate=False)  # in sight on a small terminal too

    def create_vault(self, passphrase: str) -> None:
        """Create the vault (the KDF takes about a second) in a worker; the session reports."""
        session = self.app.session
        self.app.run_worker(lambda: session.create(passphrase), thread=True, group="life", exit_on_error=False)

    def session_event(self, event: Event) -> bool:
        """The vault was created, or creating it failed."""
        if isinstance(event, Created):
            self.created()
            return True
        if isinstance(event, CreateFailed):
            self.failed(error_text(event.error, self.tr))
            return True
        return False

    def failed(self, text: str) -> None:
        """Creation failed: say so and let the user try again."""
        self.creating = False
        self._busy(False)
        self.query_one("#message", Static).update(text)
        self.query_one("#pass1", Input).focus()

    def created(self) -> None:
        """The vault exists: offer a recovery key, then go Home."""
        from .modals.recovery import RecoveryOfferModal

        self.app.push_screen(RecoveryOfferModal(), self.recovery_answered)

    def recovery_answered(self, wanted: bool | None) -> None:
        """Create the key if wanted (fast: no KDF), else go Home."""
        if not wanted:
            self.app.unlocked()
            return
        self.app.save(
            lambda journal: journal.set_recovery_key(),
            on_done=self.show_recovery_key,
            on_error=self.app.unlocked,
        )

    def show_recovery_key(self, key: str) -> None:
        """Show the key once; the user confirms they wrote it down."""
        from .modals.recovery import RecoveryKeyModal

        self.app.push_screen(RecoveryKeyModal(key), self.recovery_confirmed)

    def recovery_confirmed(self, confirmed: bool | None) -> None:
        """Not confirmed: a key nobody wrote down is no key, so remove it again."""
        if not confirmed:
            self.app.save(lambda journal: journal.remove_recovery_key())
            self.notify(self.tr("recovery.removed"))
        self.app.unlocked()

    def rebuild(self) -> SetupScreen:
        """A fresh copy after a language switch."""
        return SetupScreen()
