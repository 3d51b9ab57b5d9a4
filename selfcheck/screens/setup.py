"""First run: the privacy promise, a passphrase typed twice, then the offer of a recovery key."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Input, Label, LoadingIndicator, Static

from ..session import Created, CreateFailed, Event
from ..store.passphrase import MIN_LENGTH, judge, strength
from .base import AppScreen, error_text


class SetupScreen(AppScreen):
    """Welcome and vault creation. The KDF runs in a thread worker with a busy line."""

    def compose(self) -> ComposeResult:
        tr = self.tr
        with VerticalScroll(id="setup-box"):
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
            yield LoadingIndicator(id="busy")
            yield Static("", id="message", classes="error-line", markup=False)
            yield Static(tr("setup.forget_warning"), classes="muted", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """Focus the first field; the busy indicator shows only while creating."""
        self.query_one("#busy").display = False
        self.query_one("#pass1", Input).focus()

    @on(Input.Changed, "#pass1")
    def show_strength(self, event: Input.Changed) -> None:
        """Strength feedback as the user types (never the passphrase itself)."""
        text = "" if not event.value else self.tr("setup.strength", level=self.tr(f"strength.{strength(event.value)}"))
        self.query_one("#strength", Static).update(text)

    @on(Input.Submitted, "#pass1")
    def next_field(self) -> None:
        """Enter in the first field moves to the second."""
        self.query_one("#pass2", Input).focus()

    @on(Input.Submitted, "#pass2")
    def submit(self) -> None:
        """Check both fields, then create the vault."""
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
        message = self.query_one("#message", Static)
        message.update(self.tr("setup.creating"))
        message.set_class(False, "error-line")
        self.query_one("#busy").display = True
        for field in self.query(Input):
            field.disabled = True
        self.create_vault(first)

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
        self.query_one("#busy").display = False
        message = self.query_one("#message", Static)
        message.set_class(True, "error-line")
        message.update(text)
        for field in self.query(Input):
            field.disabled = False
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
