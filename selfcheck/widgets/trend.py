"""A labelled trend line: a caption, Textual's ``Sparkline``, and a line saying what it shows."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Sparkline, Static

#: Cells per data point while there are few points, so two checks are two visible bars.
CELLS_PER_POINT = 3


class TrendLine(Vertical):
    """``label`` above a sparkline of ``values`` (oldest first), ``caption`` below.

    With fewer than two values there is nothing to draw; ``empty`` is shown instead.
    """

    DEFAULT_CSS = """
    TrendLine {
        height: auto;
    }
    TrendLine > .trend-label {
        color: $text-muted;
    }
    TrendLine > Sparkline {
        height: 2;
        margin: 0 0 0 2;
    }
    TrendLine > .trend-values {
        color: $text-muted;
        padding: 0 0 0 2;
        text-wrap: nowrap;
    }
    TrendLine > .trend-caption {
        color: $text-muted;
        padding: 0 0 0 2;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static("", classes="trend-label", markup=False)
        yield Sparkline([], summary_function=max)
        yield Static("", classes="trend-values", markup=False)
        yield Static("", classes="trend-caption", markup=False)

    def show(self, values: Sequence[int], *, label: str, caption: str, empty: str) -> None:
        """Draw ``values``; each point gets :data:`CELLS_PER_POINT` cells while they fit, with its
        number below it (the bars run from the lowest value to the highest, not from zero, so the
        numbers say what the heights mean). When they do not fit, the sparkline summarises."""
        sparkline = self.query_one(Sparkline)
        numbers = self.query_one(".trend-values", Static)
        self.query_one(".trend-label", Static).update(label)
        drawable = len(values) >= 2
        sparkline.display = drawable
        self.query_one(".trend-caption", Static).update(caption if drawable else empty)
        if not drawable:
            numbers.display = False
            return
        available = max(10, (self.size.width or self.app.size.width) - 6)
        fits = len(values) * CELLS_PER_POINT <= available
        sparkline.styles.width = len(values) * CELLS_PER_POINT if fits else available
        sparkline.data = list(values)
        numbers.display = fits
        numbers.update("".join(f"{v:^{CELLS_PER_POINT}}" for v in values) if fits else "")
