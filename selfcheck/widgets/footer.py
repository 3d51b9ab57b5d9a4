"""A footer that fits its width instead of cutting keys (or a wide character) in half.

Textual's footer lays its keys out in one row and clips what does not fit: at 80 columns the
English words of Home's eight sections pushed ``^l Lock`` and ``f1 Help`` off the edge, and at 60
columns a Chinese character was cut in two. This one measures the keys it would show and, while
they do not fit: goes compact; leaves out the palette's ``^p`` (the help screen says how to open
it); then the app-wide keys other than help (``^l`` lock); then the screen's keys from the end.
Help's key goes last, so the way to see every key is always on screen.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: The action whose key stays longest: help lists every key.
HELP_ACTION = "help"


class FittingFooter(Footer):
    """A :class:`Footer` that leaves keys out rather than cut them."""

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        #: The style asked for; a narrow width makes the footer compact only while it is narrow.
        self.wanted_compact = compact

    def compose(self) -> ComposeResult:
        """Textual's keys, then as many as fit."""
        self.set_reactive(Footer.compact, self.wanted_compact)
        self.set_class(self.wanted_compact, "-compact")
        widgets = list(super().compose())
        width = self.size.width or self.app.size.width
        yield from self.fitting(widgets, width)

    def fitting(self, widgets: list[Widget], width: int) -> Iterable[Widget]:
        """``widgets`` (Textual's footer keys) cut down to ``width`` columns, as described above."""
        if not all(isinstance(w, FooterKey) for w in widgets):
            return widgets  # binding groups: leave Textual's layout alone
        keys: list[FooterKey] = [w for w in widgets if isinstance(w, FooterKey)]
        if self._width(keys, compact=self.compact) <= width:
            return keys
        self.set_reactive(Footer.compact, True)
        self.set_class(True, "-compact")
        app_actions = {binding.action for _key, binding in self.app._bindings}  # noqa: SLF001 - the app's own keys
        for leave_out in (
            lambda k: k.has_class("-command-palette"),
            lambda k: k.action in app_actions and not _is_help(k),
            lambda k: not _is_help(k),
        ):
            while self._width(keys, compact=True) > width and (drop := [k for k in keys if leave_out(k)]):
                keys.remove(drop[-1])
        return keys

    @staticmethod
    def _width(keys: list[FooterKey], *, compact: bool) -> int:
        """Columns the keys take (padding and margins as Textual's footer styles them)."""
        total = 0
        for key in keys:
            text = cell_len(key.key_display) + (cell_len(key.description) + 1 if key.description else 0)
            if key.has_class("-command-palette"):
                total += text + (2 if compact else 4)  # its left border, and its margin or padding
            else:
                total += text + (1 if compact else 2)  # compact: a margin after; else: padding
        # A compact row's last margin may fall off the edge: nothing is drawn there.
        return total - 1 if compact and keys else total

    def on_resize(self, event: events.Resize) -> None:
        """A new width: fit again."""
        self.call_after_refresh(self.recompose)


def _is_help(key: FooterKey) -> bool:
    return key.action.removeprefix("app.") == HELP_ACTION
