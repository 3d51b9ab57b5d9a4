"""The detail panel under a list: labelled fields of the highlighted record, values wrapping under
themselves (a hanging indent), so a long problem or note stays readable at 80 columns.

It is one ``Static`` showing a Rich grid, updated on every cursor move. The text is at least as
tall as the panel, and a new layout is asked for only when a record is taller than that: a full
layout on each arrow key is what made scrolling a long list lag (measured on the 10-year vault).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from .cells import theme_style

#: What a field's value may be: plain user text (shown as typed) or a styled Rich ``Text``.
Value = str | Text

#: Style of a value that is a placeholder, e.g. "(not filled in)".
MUTED = Style(dim=True)


def muted(text: str) -> Text:
    """``text`` shown quieter than the user's own words."""
    return Text(text, style=MUTED)


class DetailPanel(VerticalScroll):
    """Label and value rows (:meth:`show`), or one line of text (:meth:`message`)."""

    DEFAULT_CSS = """
    DetailPanel > Static {
        height: auto;
        min-height: 100%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: What the panel shows, as plain text (one ``label value`` line per row).
        self.plain = ""

    def compose(self) -> ComposeResult:
        yield Static("", markup=False)

    def show(self, rows: Sequence[tuple[str, Value]]) -> None:
        """Show ``rows`` of ``(label, value)``; labels line up in one column."""
        grid = Table.grid(padding=(0, 1, 0, 0), expand=True)
        grid.add_column(style=theme_style(self.app, "text-primary", bold=True), no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        for label, value in rows:
            grid.add_row(Text(label), Text(value) if isinstance(value, str) else value)
        self.plain = "\n".join(f"{label} {value if isinstance(value, str) else value.plain}" for label, value in rows)
        self._update(grid)

    def message(self, text: str) -> None:
        """Show one quiet line instead of fields (an empty list says what to do)."""
        self.plain = text
        self._update(muted(text))

    def _update(self, renderable: RenderableType) -> None:
        static = self.query_one(Static)
        before = static.size.height
        static.update(renderable, layout=False)
        width = static.content_region.width
        # The text fills at least the panel (min-height: 100%): a shorter record needs no layout.
        after = max(static.get_content_height(self.size, self.size, width), self.scrollable_content_region.height)
        if not width or after != before:
            static.refresh(layout=True)
        if self.scroll_y:
            self.scroll_home(animate=False)
