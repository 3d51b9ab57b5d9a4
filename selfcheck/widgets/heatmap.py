"""A calendar heatmap: one cell per day, weeks as columns, Monday at the top, month names above."""

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

    def __init__(
        self,
        days: list[tuple[date, int]],
        weekday_labels: list[str],
        month_labels: list[str] | None = None,
        month_title: str = "",
        **kwargs,
    ) -> None:
        """``weekday_labels`` Monday first; ``month_labels`` January first (none: no month row),
        with ``month_title`` in the label column before them (e.g. 月 over 一 三 五 日)."""
        super().__init__(**kwargs)
        self.days = days
        self.weekday_labels = weekday_labels
        self.month_labels = month_labels or []
        self.month_title = month_title.strip()

    def on_mount(self) -> None:
        """Draw."""
        self.update(self.render_map())

    def render_map(self) -> Content:
        """The month row, then seven rows (Mon–Sun), one column per week; the labels are muted."""
        width = max(cell_len(label) for label in [*self.weekday_labels, self.month_title]) + 1
        rows: list[Content] = []
        if self.month_labels and self.days:
            title = self.month_title + " " * (width - cell_len(self.month_title))
            rows.append(Content.styled(title + month_row(self.days, self.month_labels), "$text-muted"))
        for weekday in range(7):
            cells = "".join(SHADES[shade(m)] for d, m in self.days if d.weekday() == weekday)
            label = self.weekday_labels[weekday] if weekday in (0, 2, 4, 6) else ""
            rows.append(Content.assemble((label + " " * (width - cell_len(label)), "$text-muted"), cells))
        return Content("\n").join(rows)


def month_row(days: list[tuple[date, int]], labels: list[str]) -> str:
    """The line of month names over the week columns of ``days`` (oldest first, from a Monday).

    Each name starts at the column of the week its month begins in, with a blank cell before the
    next; the first column, in a month begun before the map, is named too when there is room.
    Should two names ever touch, the later month keeps its name (the recent weeks matter most)."""
    start = days[0][0]
    begun = [((day - start).days // 7, labels[day.month - 1]) for day, _ in days if day.day == 1]
    chosen: list[tuple[int, str]] = []  # right to left
    for column, label in reversed(begun):
        if not chosen or column + cell_len(label) < chosen[-1][0]:
            chosen.append((column, label))
    first = labels[start.month - 1]
    if not chosen or cell_len(first) < chosen[-1][0]:
        chosen.append((0, first))
    line, used = "", 0
    for column, label in reversed(chosen):
        line += " " * (column - used) + label
        used = column + cell_len(label)
    return line
