"""The selfcheck TUI: first run, unlock, Home and the self-check walk-throughs.

``SelfCheckApp`` owns the unlocked :class:`~selfcheck.store.journal.Journal`, the process lock,
the translator and the idle auto-lock. Screens reach the journal through ``self.app.journal`` and
save through :meth:`SelfCheckApp.save`, which runs every write on one background thread in order.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from .i18n import Translator, resolve_language
from .ui import error_text, translate_bindings

if TYPE_CHECKING:
    from .checklists import Checklist
    from .diary import StudyIndex
    from .store.journal import Journal
    from .store.lock import VaultLock
    from .store.vault import KdfParams

#: How often the idle timer looks at the clock (seconds).
IDLE_CHECK_SECONDS = 5.0


class SelfCheckApp(App[None]):
    """自省录 — the terminal app."""

    CSS_PATH = "app.tcss"
    TITLE = "自省录"

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
        journal: "Journal | None" = None,
        demo: bool = False,
        kdf: "KdfParams | None" = None,
        clock: Callable[[], float] = time.monotonic,
        today: Callable[[], date] = date.today,
    ) -> None:
        """``lang`` from ``--lang`` (wins over the vault's setting); ``journal`` already open
        (the demo); ``kdf`` for new vaults (tests inject a tiny one); ``clock`` and ``today``
        can be faked in tests."""
        self.tr = Translator(resolve_language(lang))
        super().__init__()
        self.data_dir = Path(data_dir)
        self.lang_forced = lang is not None
        self.journal: Journal | None = journal
        self.vault_lock: VaultLock | None = journal.lock if journal else None
        self.demo = demo
        self.kdf = kdf
        self.clock = clock
        self.today = today
        self.last_activity = clock()
        self._saver = ThreadPoolExecutor(max_workers=1, thread_name_prefix="selfcheck-save")
        self._checklists: list[Checklist] | None = None
        self._shut_down = False
        #: (vault save counter, journal, index) of the diary's last search index.
        self._study_index: tuple[int, Journal, StudyIndex] | None = None
        translate_bindings(self, self.tr)

    # ------------------------------------------------------------------ start

    def on_mount(self) -> None:
        """Show first run, unlock or (demo) Home."""
        self.title = self.tr("app.name") + (self.tr("ui.demo_suffix") if self.demo else "")
        self.set_interval(IDLE_CHECK_SECONDS, self.lock_if_idle)
        if self.journal is not None:
            self.unlocked(self.journal)
            return
        from .store.paths import vault_file

        if vault_file(self.data_dir).exists():
            from .screens.unlock import UnlockScreen

            self.push_screen(UnlockScreen())
        else:
            from .screens.setup import SetupScreen

            self.push_screen(SetupScreen())

    def _fatal_error(self) -> None:
        """An unexpected error: leave with one calm line instead of Textual's traceback, which
        would print local variables (the user's text) to the terminal (vault-research.md §5)."""
        from rich.text import Text

        self.bell()
        kind = type(self._exception).__name__ if self._exception else "Error"  # noqa: SLF001
        message = self.tr("error.prefix") + self.tr("error.internal", kind=kind)
        self._exit_renderables.append(Text(message))  # noqa: SLF001 - printed after the app exits
        self._close_messages_no_wait()  # noqa: SLF001 - what App._fatal_error does after rendering

    def unlocked(self, journal: "Journal") -> None:
        """Called once the vault is open: apply the user's settings and show Home."""
        from .screens.home import HomeScreen

        self.journal = journal
        self.vault_lock = journal.lock
        self.last_activity = self.clock()
        settings = journal.settings()
        if not self.lang_forced and settings.language != self.tr.lang:
            self.set_language(settings.language, save=False, rebuild=False)
        if settings.theme in self.available_themes:
            self.theme = settings.theme
        self.replace_stack(HomeScreen())
        # The diary's index, once Home is on screen (not before: it would slow Home's first paint).
        self.call_after_refresh(
            lambda: threading.Thread(target=self._prepare_index, name="selfcheck-index", daemon=True).start()
        )

    def _prepare_index(self) -> None:
        try:
            if self.journal is not None:
                self.study_index()
        except Exception:  # noqa: BLE001 - only a head start; the diary builds it when it opens
            pass

    def replace_stack(self, screen: Screen) -> None:
        """Drop every screen above the base one and show ``screen``."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen)

    # ------------------------------------------------------------------ data

    @property
    def checklists(self) -> "list[Checklist]":
        """The built-in checklists plus the user's own (loaded once)."""
        if self._checklists is None:
            from .checklists import load_all

            result = load_all()
            self._checklists = result.checklists
            for path in result.skipped:  # a broken user file never breaks the app
                self.notify(self.tr("checklists_ui.skipped", path=path), severity="warning", timeout=8)
        return self._checklists

    def checklist(self, checklist_id: str) -> "Checklist | None":
        """The checklist with ``checklist_id``."""
        return next((c for c in self.checklists if c.id == checklist_id), None)

    def study_index(self) -> "StudyIndex":
        """The diary's search index, rebuilt only when the vault changed since it was built.

        Built under the journal's mutex (the save thread mutates the same dict); unlocking
        starts building it in the background so opening the diary does not wait for it.
        """
        from .diary import StudyIndex

        journal = self.journal
        assert journal is not None
        with journal.mutex:
            version = journal.vault.header.save_counter
            cached = self._study_index
            if cached is None or cached[0] != version or cached[1] is not journal:
                index = StudyIndex(journal.raw_tables().get("study", {}).values())
                self._study_index = cached = (version, journal, index)
        return cached[2]

    def save(
        self,
        action: Callable[["Journal"], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[], None] | None = None,
    ) -> Future:
        """Run ``action(journal)`` on the save thread, in the order saves were asked for.

        Textual's thread workers do not keep order; answers must land in the order given. On
        failure the user sees one line; memory and disk stay as they were (the store's promise).
        """
        journal = self.journal

        def run() -> Any:
            try:
                result = action(journal)
            except Exception as exc:  # noqa: BLE001 - shown to the user, never a traceback
                self.call_from_thread(self.notify, error_text(exc, self.tr), severity="error", timeout=8)
                if on_error is not None:
                    self.call_from_thread(on_error)
                raise
            if on_done is not None:
                self.call_from_thread(on_done, result)
            return result

        return self._saver.submit(run)

    def wait_for_saves(self) -> None:
        """Block until every queued save has finished (before locking or quitting)."""
        self._saver.submit(lambda: None).result()

    # ------------------------------------------------------------------ language

    def set_language(self, lang: str, *, save: bool = True, rebuild: bool = True) -> None:
        """Switch the interface language, rebuild the screens, and remember it in the vault."""
        self.tr = Translator(lang)
        translate_bindings(self, self.tr)
        self.title = self.tr("app.name") + (self.tr("ui.demo_suffix") if self.demo else "")
        if save and self.journal is not None:
            settings = self.journal.settings()
            settings.language = lang
            self.save(lambda j: j.save_settings(settings))
        if not rebuild:
            return
        # Rebuild every screen of the stack in order (dialogs have no rebuilt() and close), so
        # escape after the switch still goes back the way the user came.
        rebuilt = [screen.rebuilt() for screen in self.screen_stack[1:] if hasattr(screen, "rebuilt")]
        if rebuilt:
            while len(self.screen_stack) > 1:
                self.pop_screen()
            for screen in rebuilt:
                self.push_screen(screen)
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
        if self.journal is None or self.demo:
            return
        minutes = self.journal.settings().autolock_minutes
        if minutes > 0 and self.clock() - self.last_activity >= minutes * 60:
            self.action_lock()

    def action_lock(self) -> None:
        """Lock now: finish pending saves, drop the key and the data, show the unlock screen."""
        if self.journal is None:
            return
        from .screens.unlock import UnlockScreen

        for screen in reversed(self.screen_stack):
            flush = getattr(screen, "save_before_lock", None)
            if flush is not None:
                flush()
        self.wait_for_saves()
        self.vault_lock = self.journal.lock_keep_process_lock()
        self.journal = None
        self._study_index = None  # it holds the user's text
        self.clear_notifications()
        self.replace_stack(UnlockScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Locking needs something unlocked."""
        if action == "lock":
            return self.journal is not None
        return True

    # ------------------------------------------------------------------ help, palette, quit

    def action_help(self) -> None:
        """Show the keys."""
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette: the app's own commands, in the user's language."""
        tr = self.tr
        if self.journal is not None:
            from .screens.home import HomeScreen

            if isinstance(screen, HomeScreen):
                yield SystemCommand(tr("cmd.selfcheck"), tr("cmd.selfcheck_help"), screen.action_start_check)
            yield SystemCommand(tr("cmd.lock"), tr("cmd.lock_help"), self.action_lock)
        yield SystemCommand(tr("cmd.language"), tr("cmd.language_help"), self.action_toggle_language)
        yield SystemCommand(tr("cmd.theme"), tr("cmd.theme_help"), self.action_change_theme)
        yield SystemCommand(tr("cmd.help"), tr("cmd.help_help"), self.action_help)
        yield SystemCommand(tr("cmd.quit"), tr("cmd.quit_help"), self.action_quit)

    def watch_theme(self, theme: str) -> None:
        """Remember a theme the user picks."""
        if self.journal is not None and self.journal.settings().theme != theme:
            settings = self.journal.settings()
            settings.theme = theme
            self.save(lambda j: j.save_settings(settings))

    async def action_quit(self) -> None:
        """Finish pending saves, release the vault and quit."""
        self.shutdown()
        self.exit()

    def shutdown(self) -> None:
        """Flush pending saves and close the journal (idempotent; also runs after a crash)."""
        if self._shut_down:
            return
        self._shut_down = True
        for screen in reversed(self.screen_stack if self.is_running else []):
            flush = getattr(screen, "save_before_lock", None)
            if flush is not None:
                flush()
        self._saver.shutdown(wait=True)
        if self.journal is not None:
            self.journal.close()
            self.journal = None
        elif self.vault_lock is not None:
            self.vault_lock.release()


def warm_up() -> None:
    """Import (and read) what Home needs, from the unlock worker's thread, so the event loop
    does not stop for it. Not earlier: a thread busy while the user types makes keys queue up,
    and Textual then delivers keys typed after enter to the field enter left."""
    from . import review  # noqa: F401
    from .checklists import load_builtin
    from .screens import checklist, home  # noqa: F401
    from .store import backups, journal  # noqa: F401

    load_builtin()


def make_app(data_dir: Path, **kwargs: Any) -> SelfCheckApp:
    """The app factory used by the CLI and the tests."""
    return SelfCheckApp(data_dir, **kwargs)
