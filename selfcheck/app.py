"""The selfcheck TUI: first run, unlock, Home and the self-check walk-throughs.

``SelfCheckApp`` runs a :class:`~selfcheck.session.Session`, which owns the vault's whole life
(unlock, lock, the ordered save queue, restore, passphrase). The app calls it from workers and
handles what it reports — one :class:`Reported` message, in :meth:`SelfCheckApp.on_reported`.
Screens save through :meth:`SelfCheckApp.save` and read through ``app.journal``.

No thread waits on the event loop here, and the event loop never waits on a thread: lock and quit
hand every draft to the session, then flush the save queue from a worker.
"""

from __future__ import annotations

import asyncio
import gc
import os
import threading
import time
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen

from . import session as ev
from .commands import Palette, SectionCommands, ThemeCommands
from .i18n import Translator, resolve_language
from .screens.base import AppModal, AppScreen, error_text, translate_bindings
from .screens.unlock import UnlockScreen
from .session import Session
from .store.errors import ChangedOnDisk as _ChangedOnDisk
from .store.errors import WrongPassphrase
from .themes import CONTRAST, THEMES
from .widgets import linebreak

if TYPE_CHECKING:
    from .analysis.study import StudyIndex
    from .checklists import Checklist
    from .store.journal import Journal
    from .store.models import Settings as _Settings
    from .store.vault import KdfParams

#: How often the idle timer looks at the clock (seconds).
IDLE_CHECK_SECONDS = 5.0
#: After SIGTERM or SIGHUP, with the vault closed, how long Textual may take to leave (seconds).
QUIT_GRACE_SECONDS = 3.0


class Reported(Message):
    """The session reported an event (posted from any thread; handled on the event loop)."""

    def __init__(self, event: ev.Event) -> None:
        super().__init__()
        self.event = event


#: Screens imported in the background once Home is on screen (see ``_prepare_index``).
PRELOADED_SCREENS = (
    "selfcheck.screens.diary",
    "selfcheck.screens.entry",
    "selfcheck.screens.actions",
    "selfcheck.screens.export",
    "selfcheck.screens.meeting",
)


class SelfCheckApp(App[None]):
    """自省录 — the terminal app."""

    CSS_PATH = "app.tcss"
    TITLE = "自省录"
    #: The palette: Home's sections, this screen's actions, then the app's own commands.
    COMMANDS = {SectionCommands}

    BINDINGS = [
        Binding("ctrl+l", "lock", "key.lock", id="lock", priority=True),
        Binding("f1", "help", "key.help", id="help"),
        Binding("question_mark", "help", "key.help", id="help-alt", show=False),
        Binding("ctrl+q", "quit", "key.quit", id="quit", priority=True, show=False),
        # Declared here (Textual adds it in App.__init__ otherwise) so it is translated too.
        Binding("ctrl+p", "command_palette", "key.palette", id="palette", show=False, priority=True),
    ]

    def __init__(
        self,
        data_dir: Path,
        *,
        lang: str | None = None,
        journal: Journal | None = None,
        demo: bool = False,
        kdf: KdfParams | None = None,
        clock: Callable[[], float] = time.monotonic,
        today: Callable[[], date] = date.today,
    ) -> None:
        """``lang`` from ``--lang`` (wins over the vault's setting); ``journal`` already open
        (the demo); ``kdf`` for new vaults (tests inject a tiny one); ``clock`` and ``today``
        can be faked in tests."""
        self.tr = Translator(resolve_language(lang))
        super().__init__()
        linebreak.install()  # 禁则: every wrapped text follows the Chinese line-breaking rules
        #: The vault's life: unlock, lock, saves, restore (reports come back as :class:`Reported`).
        self.session = Session(data_dir, kdf=kdf, journal=journal, report=self._report)
        self.lang_forced = lang is not None
        self.demo = demo
        #: The unlock screen was given the recovery key: once open, a new passphrase is asked for.
        self.recovered = False
        #: One-line notices shown once the app is up (e.g. the Textual variables ignored).
        self.startup_notices: list[str] = []
        self.clock = clock
        self.today = today
        self.last_activity = clock()
        self._checklists: list[Checklist] | None = None
        #: Save ticket → (screen that asked, on_done, on_error); run when the session reports.
        self._callbacks: dict[int, tuple[Screen | None, Callable[[Any], None] | None, Callable[[], None] | None]] = {}
        #: A lock or quit is under way (further ctrl+l / ctrl+q do nothing).
        self._locking = False
        self._quitting = False
        self._shut_down = False
        #: What drafts the last lock saved (first lines), said after the next unlock.
        self.kept_drafts: list[str] = []
        for theme in THEMES:
            self.register_theme(theme)
        translate_bindings(self, self.tr)

    # ------------------------------------------------------------------ the session

    @property
    def journal(self) -> Journal | None:
        """The open journal (None while locked): screens read through it."""
        return self.session.journal

    @property
    def data_dir(self) -> Path:
        """Where the vault lives."""
        return self.session.data_dir

    def _report(self, event: ev.Event) -> None:
        """The session's reporter: called from any thread, never blocks (a message is posted)."""
        self.post_message(Reported(event))

    def on_reported(self, message: Reported) -> None:
        """Everything the session reports, handled in one place on the event loop."""
        event = message.event
        if isinstance(event, (ev.Saved, ev.SaveFailed)):
            self._save_reported(event)
        elif isinstance(event, ev.Unlocked):
            self.unlocked()
            if self.kept_drafts:
                items = "、".join(f"「{t}」" for t in self.kept_drafts[:5]) + ("…" if len(self.kept_drafts) > 5 else "")
                self.notify(self.tr("session.drafts_kept", items=items), timeout=10)
                self.kept_drafts = []
            if event.unopened:
                self._ask_kept_passphrase(event.unopened[0])
            if event.landed:
                self.notify(self.tr("session.kept_landed", n=event.landed), timeout=10)
            for path in event.unopened:
                self.notify(self.tr("session.kept_unopened", path=path), severity="warning", timeout=15)
        elif isinstance(event, ev.LockDone):
            gc.unfreeze()  # the vault's objects are gone: let the collector see what is left
            self._locking = False
            if not self._quitting and not isinstance(self.screen, UnlockScreen):
                self._show_unlock()
        elif isinstance(event, ev.KeptResolved):
            self._close_busy()
            if event.copy is not None:
                self.notify(self.tr("session.copy_saved", path=event.copy), timeout=15)
            else:
                self.notify(self.tr("session.kept_landed", n=event.landed), timeout=10)
            self.unlocked()
        elif isinstance(event, ev.KeptNeedsUnlock):
            self._show_unlock()
            self.notify(self.tr("session.kept_needs_unlock"), severity="warning", timeout=15)
        elif isinstance(event, ev.KeptFailed):
            self._close_busy()
            if isinstance(event.error, WrongPassphrase) and event.path is not None:
                self.notify(self.tr("refused.other_key_wrong", path=event.path), severity="warning", timeout=15)
            else:
                self.notify(error_text(event.error, self.tr), severity="error", timeout=10)
        elif isinstance(event, ev.RestoreFailed):
            self._close_busy()
            if event.dropped:
                self._show_unlock()
                self.notify(error_text(event.error, self.tr), severity="error", timeout=10)
        elif isinstance(event, ev.Restored):
            self.notify(self.tr("backups.restored"))
            self.unlocked()
        # What a screen or dialog waits for (a failed unlock, a changed passphrase …) goes to it.
        for screen in reversed(self.screen_stack):
            if isinstance(screen, (AppScreen, AppModal)) and screen.session_event(event):
                break

    def _save_reported(self, event: ev.Saved | ev.SaveFailed) -> None:
        screen, on_done, on_error = self._callbacks.pop(event.ticket, (None, None, None))
        # A callback belongs to its screen: after a lock or a language switch the screen is gone,
        # and during a quit it must not redraw from a vault that may be closed already (a save
        # asked for by a dialog's result can be queued after the quit began).
        alive = (screen is None or screen in self.screen_stack) and not self._quitting
        if isinstance(event, ev.Saved):
            from .store.models import Settings

            gc.freeze()  # the saved data is long-lived: keep it out of every later full collection
            if isinstance(event.result, Settings):
                self._apply_settings(event.result)
            if on_done is not None and alive:
                on_done(event.result)
            return
        if event.kept:
            self._offer_kept(isinstance(event.error, _ChangedOnDisk))
        else:
            self.notify(error_text(event.error, self.tr), severity="error", timeout=8)
        if on_error is not None and alive:
            on_error()

    def _offer_kept(self, changed_on_disk: bool) -> None:
        """The disk refused a save: say so and offer what can be done with the kept change."""
        from .screens.modals.refused import RefusedSaveModal

        if any(isinstance(s, RefusedSaveModal) for s in self.screen_stack) or not self.session.is_open:
            return
        self.push_screen(RefusedSaveModal(changed_on_disk), self._kept_decided)

    def _kept_decided(self, choice: str | None) -> None:
        if choice in ("apply", "copy"):
            self.keep_drafts()
            copy = choice == "copy"
            self.run_life(lambda: self.session.resolve_kept(copy=copy), "session.busy_copy" if copy else "session.busy_merge")

    def _ask_kept_passphrase(self, path: Path) -> None:
        """Kept changes sealed under an earlier passphrase: ask for it (once per unlock)."""
        from .screens.modals.refused import KeptPassphraseModal

        def answered(passphrase: str | None) -> None:
            if passphrase:
                self.run_life(lambda: self.session.land_kept_file(path, passphrase), "session.busy_merge")

        self.push_screen(KeptPassphraseModal(path), answered)

    def run_life(self, work: Callable[[], None], busy_key: str | None = None) -> None:
        """Run one of the session's life operations in a thread worker; with ``busy_key``, a
        busy line holds the keys until the session reports (the screens' data is being
        replaced meanwhile)."""
        if busy_key is not None:
            from .screens.modals.busy import BusyModal

            self.push_screen(BusyModal(self.tr(busy_key)))
        self.run_worker(work, thread=True, group="life", exit_on_error=False)

    def _close_busy(self) -> None:
        from .screens.modals.busy import BusyModal

        while isinstance(self.screen, BusyModal):
            self.pop_screen()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notification, verbatim by default: messages carry the user's words and paths
        (``~/exports/[x]/a.docx``), which are text, never markup. Thread-safe, as Textual's."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    # ------------------------------------------------------------------ start

    def on_mount(self) -> None:
        """Show first run, unlock or (demo) Home."""
        self.title = self.tr("app.name") + (self.tr("ui.demo_suffix") if self.demo else "")
        self.set_interval(IDLE_CHECK_SECONDS, self.lock_if_idle)
        self._apply_keymap()
        for notice in self.startup_notices:
            self.notify(notice, severity="warning", timeout=12)
        if self.session.is_open:
            self.unlocked()
        elif self.session.vault_exists():
            self._show_unlock()
        else:
            from .screens.setup import SetupScreen

            self.push_screen(SetupScreen())

    @property
    def keymap_path(self) -> Path:
        """Where the user's keymap is read from (``keymap.toml`` in the config directory)."""
        from .keymap import KEYMAP_NAME
        from .store.paths import config_dir

        return config_dir() / KEYMAP_NAME

    def _apply_keymap(self) -> None:
        """The user's ``keymap.toml``, if there is one; each line that cannot be used is named."""
        path = self.keymap_path
        if not path.is_file():
            return  # the usual case costs one stat, not the screens' imports
        from .i18n import os_error_reason
        from .keymap import binding_index, load_keymap

        loaded = load_keymap(path, binding_index(type(self)), lambda exc: os_error_reason(exc, self.tr))
        if loaded.keymap:
            self.set_keymap(loaded.keymap)
        for problem in loaded.problems:
            detail = self.tr(f"keymap.{problem.kind}", detail=problem.detail, other=problem.other)
            if problem.whole:
                where = f"{path}:{problem.line}" if problem.line else str(path)
                message = self.tr("keymap.problem_file", path=where, detail=detail)
            else:
                message = self.tr("keymap.problem", path=path, line=problem.line, detail=detail)
            self.notify(message, severity="warning", timeout=15)

    def _show_unlock(self) -> None:
        self.clear_notifications()
        self.replace_stack(UnlockScreen())

    def _fatal_error(self) -> None:
        """An unexpected error: leave with one calm line instead of Textual's traceback, which
        would print local variables (the user's text) to the terminal (vault-research.md §5)."""
        from rich.text import Text

        self.bell()
        kind = type(self._exception).__name__ if self._exception else "Error"  # noqa: SLF001
        message = self.tr("error.prefix") + self.tr("error.internal", kind=kind)
        self._exit_renderables.append(Text(message))  # noqa: SLF001 - printed after the app exits
        self._close_messages_no_wait()  # noqa: SLF001 - what App._fatal_error does after rendering

    def unlocked(self) -> None:
        """The vault is open: apply the user's settings and show Home."""
        from .screens.home import HomeScreen

        journal = self.session.journal
        if journal is None or self._locking or self._quitting:
            return  # a lock asked for meanwhile wins: the unlock screen stays
        self.last_activity = self.clock()
        # The vault's tables live as long as the session: out of the collector's sight before
        # Home's first paint allocates (a full collection at 30 years costs 30–60 ms).
        gc.freeze()
        self._apply_settings(journal.settings())
        self.replace_stack(HomeScreen())
        if self.recovered and journal.opened_with_recovery_key:
            # Opened with the recovery key (a forgotten passphrase): set a new one now.
            from .screens.modals.passphrase import ChangePassphraseModal

            self.push_screen(ChangePassphraseModal(recovered=True))
        self.recovered = False
        # The diary's index, once Home is on screen (not before: it would slow Home's first paint).
        self.call_after_refresh(lambda: self.run_worker(self._prepare_index, thread=True, group="index"))

    def _apply_settings(self, settings: _Settings) -> None:
        if not self.lang_forced and settings.language != self.tr.lang:
            self.set_language(settings.language, save=False, rebuild=False)
        if settings.theme in self.available_themes and settings.theme != self.theme:
            self.theme = settings.theme

    def _prepare_index(self) -> None:
        try:
            if self.session.is_open:
                self.session.study_index()
        except Exception:  # noqa: BLE001 - only a head start; the diary builds it when it opens
            pass
        # A head start for the screens people open next: their modules take 40–80 ms to import
        # the first time (the export package, python-docx is not among them), paid here while
        # Home is read rather than on the key press.
        import importlib

        for name in PRELOADED_SCREENS:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - the key press imports it again and says what failed
                pass
        # The vault's tables and the index live as long as the session: moved out of the
        # collector's sight, a full collection costs ~1 ms instead of 50–60 ms at 30 years.
        gc.freeze()

    def replace_stack(self, screen: Screen) -> None:
        """Drop every screen above the base one and show ``screen``."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen)

    # ------------------------------------------------------------------ data

    @property
    def checklists(self) -> list[Checklist]:
        """The built-in checklists plus the user's own (loaded once)."""
        if self._checklists is None:
            from .checklists import load_all

            result = load_all()
            self._checklists = result.checklists
            for path in result.skipped:  # a broken user file never breaks the app
                self.notify(self.tr("checklists_ui.skipped", path=path), severity="warning", timeout=8)
        return self._checklists

    def checklist(self, checklist_id: str) -> Checklist | None:
        """The checklist with ``checklist_id``."""
        return next((c for c in self.checklists if c.id == checklist_id), None)

    def export_dir(self) -> Path:
        """Where exports go unless the user says otherwise: Documents, or for the demo a
        folder in the system's temporary directory (sample material never lands among real files)."""
        if self.demo:
            import tempfile

            return Path(tempfile.gettempdir()) / "selfcheck-demo-exports"
        from .store.paths import documents_dir

        return documents_dir()

    def study_index(self) -> StudyIndex:
        """The diary's search index (the session rebuilds it only after a save)."""
        return self.session.study_index()

    def save(
        self,
        action: Callable[[Journal], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[], None] | None = None,
    ) -> int:
        """Queue ``action(journal)`` on the session's save thread, in the order saves were asked
        for. ``on_done(result)`` / ``on_error()`` run on the event loop, and only while the
        screen that asked is still open. On failure the user sees one line; memory and disk stay
        as they were, and a change the disk refused is kept (see :mod:`selfcheck.store.kept`)."""
        ticket = self.session.save(action)
        if on_done is not None or on_error is not None:
            self._callbacks[ticket] = (self.screen if self.screen_stack else None, on_done, on_error)
        return ticket

    def wait_for_saves(self) -> None:
        """Block until every queued save has run — for tests and scripts, never the event loop."""
        self.session.flush()

    # ------------------------------------------------------------------ language

    def set_language(self, lang: str, *, save: bool = True, rebuild: bool = True) -> None:
        """Switch the interface language, rebuild the screens, and remember it in the vault.

        Every screen and dialog of the stack is rebuilt in order with what was typed in it
        (:meth:`AppScreen.rebuilt`), so nothing typed is lost and escape still leads back."""
        self.tr = Translator(lang)
        translate_bindings(self, self.tr)
        self.title = self.tr("app.name") + (self.tr("ui.demo_suffix") if self.demo else "")
        journal = self.session.journal
        if save and journal is not None:
            settings = journal.settings()
            settings.language = lang
            self.save(lambda j: j.save_settings(settings))
        if not rebuild:
            return
        old_to_new: dict[Screen, Screen] = {}
        rebuilt: list[tuple[Screen, Any]] = []
        for screen in self.screen_stack[1:]:
            fresh = screen.rebuilt() if isinstance(screen, (AppScreen, AppModal)) else None
            if fresh is None:
                continue
            old_to_new[screen] = fresh
            rebuilt.append((fresh, _rebind(screen, old_to_new)))
        if rebuilt:
            while len(self.screen_stack) > 1:
                self.pop_screen()
            for screen, callback in rebuilt:
                self.push_screen(screen, callback)
        self.refresh_bindings()

    def action_toggle_language(self) -> None:
        """中文 ⇄ English."""
        self.set_language("en" if self.tr.lang == "zh" else "zh")

    # ------------------------------------------------------------------ lock

    async def on_event(self, event: events.Event) -> None:
        """Any key or mouse input counts as activity for the idle auto-lock."""
        if isinstance(event, events.InputEvent) and not event.is_forwarded:
            self.last_activity = self.clock()
        await super().on_event(event)

    def lock_if_idle(self) -> None:
        """Lock when the user has been idle for the auto-lock time (0 = never)."""
        if not self.session.is_open or self.demo:
            return
        minutes = self.session.autolock_minutes  # cached: the journal may be mid-restore
        if minutes > 0 and self.clock() - self.last_activity >= minutes * 60:
            self.action_lock()

    def after_typing(self, callback: Callable[[], Any]) -> None:
        """Run ``callback`` once the keys already sent to the focused widget are applied.

        ctrl+s, ctrl+l and ctrl+q are priority bindings: they run as the key arrives, while keys
        typed just before still wait in the focused widget's queue. Queue behind them."""
        target = self.focused
        if target is None:
            callback()
        else:
            target.call_later(callback)

    def action_lock(self) -> None:
        """Lock now: keep every draft, then (in a worker) finish saves and drop the key and data."""
        if self.session.is_open and not self._locking:
            self.after_typing(self._lock_now)

    def _lock_now(self) -> None:
        if not self.session.is_open or self._locking:
            return
        self._locking = True
        self.keep_drafts()
        self._callbacks.clear()
        self._show_unlock()  # the user's text leaves the screen at once
        self.run_worker(self.session.lock, thread=True, group="life", exit_on_error=False)

    def keep_drafts(self) -> None:
        """Every screen and dialog hands what was typed and not saved to the session."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, (AppScreen, AppModal)):
                screen.keep_draft()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Locking needs something unlocked."""
        if action == "lock":
            return self.session.is_open
        return True

    # ------------------------------------------------------------------ help, palette, quit

    def action_help(self) -> None:
        """Show the keys."""
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The app's own commands, in the user's language (sections: ``commands.SectionCommands``)."""
        tr = self.tr
        if self.session.is_open:
            yield SystemCommand(tr("cmd.lock"), tr("cmd.lock_help"), self.action_lock)
        yield SystemCommand(tr("cmd.language"), tr("cmd.language_help"), self.action_toggle_language)
        yield SystemCommand(tr("cmd.theme"), tr("cmd.theme_help"), self.action_change_theme)
        yield SystemCommand(tr("cmd.help"), tr("cmd.help_help"), self.action_help)
        yield SystemCommand(tr("cmd.quit"), tr("cmd.quit_help"), self.action_quit)

    def action_command_palette(self) -> None:
        """The palette, in the user's language."""
        if self.use_command_palette and not isinstance(self.screen, Palette):
            self.push_screen(Palette(placeholder=self.tr("palette.placeholder"), id="--command-palette"))

    def action_change_theme(self) -> None:
        """Pick one of the app's themes by its name in the user's language."""
        if not isinstance(self.screen, Palette):
            self.push_screen(Palette(providers=[ThemeCommands], placeholder=self.tr("palette.theme_placeholder")))

    def watch_theme(self, theme: str) -> None:
        """Remember a theme the user picks (the high-contrast one also marks focus in full colour)."""
        self.set_class(theme == CONTRAST.name, "-high-contrast")
        journal = self.session.journal
        if journal is not None and journal.settings().theme != theme:
            settings = journal.settings()
            settings.theme = theme
            self.save(lambda j: j.save_settings(settings))

    async def action_quit(self) -> None:
        """Keep every draft, finish pending saves (bounded wait, in a worker), release the vault, quit."""
        self.after_typing(self.request_quit)

    def request_quit(self, *, signalled: bool = False) -> None:
        """Quit the careful way: ctrl+q, and SIGTERM or SIGHUP (``signalled``)."""
        if self._quitting:
            return
        self._quitting = True
        self.keep_drafts()
        self.run_worker(self._close_and_exit(signalled), group="life", exit_on_error=False)

    async def _close_and_exit(self, signalled: bool) -> None:
        await asyncio.to_thread(self.shutdown)
        if signalled:
            # Measured: after the terminal hangs up, Textual's output thread can wait forever
            # while restoring the terminal (3 of 3 tries with tmux kill-session). The drafts are
            # saved and the vault is closed by now, so a process still here soon after leaves.
            watchdog = threading.Timer(QUIT_GRACE_SECONDS, os._exit, (0,))
            watchdog.daemon = True
            watchdog.start()
        self.exit()

    def shutdown(self) -> None:
        """Finish pending saves (at most a few seconds) and close the vault. Idempotent; also runs
        after the app ended, however it ended. Blocks: never call it on the event loop."""
        if self._shut_down:
            return
        self._shut_down = True
        self.session.close()


def _rebind(screen: Screen, old_to_new: dict[Screen, Screen]) -> Any:
    """The result callback ``screen`` was pushed with, bound to the rebuilt screen that asked."""
    callbacks = getattr(screen, "_result_callbacks", None)
    callback = callbacks[-1].callback if callbacks else None
    owner = getattr(callback, "__self__", None)
    if owner in old_to_new:
        return getattr(old_to_new[owner], callback.__name__)  # type: ignore[union-attr]
    return callback


def make_app(data_dir: Path, **kwargs: Any) -> SelfCheckApp:
    """The app factory used by the CLI and the tests."""
    return SelfCheckApp(data_dir, **kwargs)
