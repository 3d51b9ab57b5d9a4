"""The command palette (ctrl+p), in the user's language.

:class:`SectionCommands` offers every section of Home (自我检视, 学习日志, 整改清单 …) from any
screen, the actions of the screen the palette was opened on, each with its effective key (a user
keymap included), then the app's own commands (lock, language, theme, help, quit: from
``SelfCheckApp.get_system_commands``) — one provider, so the order is always the same.
:class:`Palette` is Textual's palette with its two fixed English strings (the placeholder, "No
matches found") translated; :class:`ThemeCommands` lists the app's themes by translated name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.align import Align
from rich.text import Text
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets.option_list import Option

from .themes import THEME_NAMES

if TYPE_CHECKING:
    from .app import SelfCheckApp


class Palette(CommandPalette):
    """Textual's command palette with the "no matches" line in the user's language."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own method builds the line from a fixed English string; this is the same
        # countdown with the text from the catalog.
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                text = Text(self.app.tr("palette.no_matches"), style="not bold")  # type: ignore[attr-defined]
                self.query_one("CommandList").add_option(  # type: ignore[attr-defined]
                    Option(Align.center(text), disabled=True, id=self._NO_MATCHES)
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


class _Commands(Provider):
    """What both providers share: commands as (name, help, callback), matched by name."""

    def commands(self) -> Iterator[tuple[str, str | None, Callable[[], Any]]]:
        """The commands on offer as (name, help or None, callback), in the order they are listed."""
        raise NotImplementedError

    async def discover(self) -> Hits:
        """All the commands, in order, before anything is typed."""
        for name, help_text, callback in self.commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        """The commands whose name (or, weighed less, help) matches ``query``."""
        matcher = self.matcher(query)
        for name, help_text, callback in self.commands():
            score = max(matcher.match(name), matcher.match(help_text) * 0.5 if help_text else 0)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)


class SectionCommands(_Commands):
    """Home's sections from anywhere, the actions of the screen below the palette, then the
    app's own commands."""

    @property
    def _app(self) -> SelfCheckApp:
        return self.app  # type: ignore[return-value]

    def commands(self) -> Iterator[tuple[str, str | None, Callable[[], Any]]]:
        """Sections (while unlocked and not in a dialog), this screen's actions, the app's."""
        from .screens.base import AppModal
        from .screens.home import HomeScreen

        app, screen = self._app, self.screen
        tr = app.tr
        home = next((s for s in app.screen_stack if isinstance(s, HomeScreen)), None)
        if home is not None and not isinstance(screen, AppModal) and app.session.is_open:
            for binding in home.BINDINGS:
                if not isinstance(binding, tuple) and binding.tooltip:
                    yield tr("palette.section", name=tr(binding.tooltip)), None, partial(home.run_action, binding.action)
        if not isinstance(screen, HomeScreen):  # Home's actions are the sections
            yield from self._screen_actions()
        for name, help_text, callback, discover in app.get_system_commands(screen):
            if discover:
                yield name, help_text, callback

    def _screen_actions(self) -> Iterator[tuple[str, str | None, Callable[[], Any]]]:
        """The screen's own enabled bindings, each once, with the key that runs it now."""
        screen, app = self.screen, self._app
        seen: set[str] = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if active.node is not screen or not active.enabled or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            name = binding.tooltip or binding.description
            display = app.get_key_display(binding) or key
            yield app.tr("palette.action", name=name, key=display), None, partial(screen.run_action, binding.action)


class ThemeCommands(_Commands):
    """The app's themes by their translated names; choosing one applies it (and it is kept)."""

    def commands(self) -> Iterator[tuple[str, str | None, Callable[[], Any]]]:
        """Each theme, the current one marked."""
        app = self.app
        tr = app.tr  # type: ignore[attr-defined]
        for name, key in THEME_NAMES.items():
            current = tr("palette.current") if app.theme == name else None
            yield tr(key), current, partial(setattr, app, "theme", name)
