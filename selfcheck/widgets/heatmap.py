"""A calendar heatmap: one cell per day, weeks as columns, Monday at the top."""

from __future__ import annotations

from datetime import date

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Static

#: Shades from nothing to a lot; readable without colour too.
SHADES = ("·", "░", "▒", "▓", "█")


def shade(minutes: int) -> int:
    """0–4 for a day's minutes (0, under 30, under 60, under 120, 120 or more)."""
    if minutes <= 0:
        return 0
    if minutes < 30:
        return 1
    if minutes < 60:
        return 2
    if minutes < 120:
        return 3
    return 4


class Heatmap(Static):
    """Minutes a day as shaded cells; ``days`` oldest first, starting on a Monday."""

    DEFAULT_CSS = """
    Heatmap {
        height: auto;
        width: auto;
        color: $success;
    }
    """

    def __init__(self, days: list[tuple[date, int]], weekday_labels: list[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.days = days
        self.weekday_labels = weekday_labels

    def on_mount(self) -> None:
        """Draw."""
        self.update(self.render_map())

    def render_map(self) -> Content:
        """Seven rows (Mon–Sun), one column per week; the label column is muted."""
        width = max(cell_len(label) for label in self.weekday_labels) + 1
        rows: list[Content] = []
        for weekday in range(7):
            cells = "".join(SHADES[shade(m)] for d, m in self.days if d.weekday() == weekday)
            label = self.weekday_labels[weekday] if weekday in (0, 2, 4, 6) else ""
            rows.append(Content.assemble((label + " " * (width - cell_len(label)), "$text-muted"), cells))
        return Content("\n").join(rows)
