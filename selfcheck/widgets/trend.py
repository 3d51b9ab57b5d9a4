"""A labelled trend: small bars from zero to a fixed top, each with its number below it.

Textual's ``Sparkline`` scales from the lowest value to the highest, so a check with 12 of 14
items fully met drew an empty bar next to a full one for 13: a small change looked like a large
swing. For a person looking back at their own checks that misleads, so these bars start at zero
and end at ``top`` (the number of items), and each carries its number.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

#: Eighths of a cell, from empty to full.
BARS = " ▁▂▃▄▅▆▇█"
#: Cells per point: a bar two cells wide and a gap.
CELLS_PER_POINT = 3
#: Rows of bars.
HEIGHT = 2


def bar_lines(values: Sequence[int], top: int, height: int = HEIGHT) -> list[str]:
    """The bars of ``values`` on a scale of 0 to ``top``, as ``height`` lines, top line first."""
    levels = [round(min(max(v, 0), top) / top * 8 * height) if top > 0 else 0 for v in values]
    lines = []
    for row in reversed(range(height)):
        cells = [BARS[min(8, max(0, level - row * 8))] * (CELLS_PER_POINT - 1) + " " for level in levels]
        lines.append("".join(cells).rstrip())
    return lines


class TrendLine(Vertical):
    """``label`` above bars of the most recent ``values`` that fit (oldest first), ``caption`` below.

    With fewer than two values there is nothing to compare; ``empty`` is shown instead.
    """

    DEFAULT_CSS = """
    TrendLine {
        height: auto;
    }
    TrendLine > .trend-label {
        color: $text-muted;
    }
    TrendLine > .trend-bars {
        padding: 0 0 0 2;
        text-wrap: nowrap;
    }
    TrendLine > .trend-values, TrendLine > .trend-caption {
        color: $text-muted;
        padding: 0 0 0 2;
        text-wrap: nowrap;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: The values drawn, oldest first (the most recent ones that fit).
        self.values: list[int] = []

    def compose(self) -> ComposeResult:
        yield Static("", classes="trend-label", markup=False)
        yield Static("", classes="trend-bars")
        yield Static("", classes="trend-values", markup=False)
        yield Static("", classes="trend-caption", markup=False)

    def show(self, values: Sequence[int], *, top: int, label: str, caption: str, empty: str) -> None:
        """Draw ``values`` (oldest first) on a scale of 0 to ``top``."""
        drawable = len(values) >= 2
        self.query_one(".trend-label", Static).update(label)
        self.query_one(".trend-caption", Static).update(caption if drawable else empty)
        bars, numbers = self.query_one(".trend-bars", Static), self.query_one(".trend-values", Static)
        bars.display = numbers.display = drawable
        if not drawable:
            self.values = []
            return
        room = max(2, ((self.size.width or self.app.size.width) - 6) // CELLS_PER_POINT)
        self.values = list(values)[-room:]
        bars.update(Content("\n").join(Content.styled(line, "$primary") for line in bar_lines(self.values, top)))
        numbers.update("".join(f"{v:<{CELLS_PER_POINT}}" for v in self.values))
