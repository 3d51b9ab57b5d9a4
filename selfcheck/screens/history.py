"""History and trends (检视记录与趋势): past self-checks per checklist, for the user's eyes only.

Newest first, with the date, how many items were answered, how many answers changed since the
check before, notes and rectification items raised. ``enter`` opens one read-only; ``c`` marks
two to compare side by side. The trend above the list counts, per check, the items answered 是
or rated 4–5 — read against the user's own earlier checks; there is no grade or total score.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Static, Tab, Tabs

from ..analysis.review import changes_between
from ..analysis.trends import answered_count, item_order, noted_count, trend
from ..store.models import Assessment
from ..widgets.cells import cell, theme_style
from ..widgets.footer import FittingFooter
from ..widgets.rowtable import RowTable
from ..widgets.trend import TrendLine
from .lists import BACK, RecordListScreen

MARK = "●"


class HistoryScreen(RecordListScreen[Assessment]):
    """Past self-checks of one checklist at a time (digits or the tabs choose which)."""

    BINDINGS = [
        *[
            Binding(
                str(n),
                f"pick({n})",
                "key.records.checklist",
                show=n == 1,
                key_display="1-9" if n == 1 else None,  # one tab per list: the four, 每日三省, the user's own
                id=f"history-pick-{n}",
            )
            for n in range(1, 10)
        ],
        Binding("enter", "open", "key.records.open", id="history-open", priority=True),
        Binding("c", "mark", "key.records.compare", id="history-compare"),
        BACK,
    ]

    def __init__(self, checklist_id: str | None = None, marked: str | None = None) -> None:
        super().__init__()
        #: The checklist shown (None: the first one).
        self.checklist_id = checklist_id
        #: Id of the self-check marked with ``c``, waiting for a second one to compare with.
        self.marked = marked
        self._raised_counts: dict[str, int] | None = None

    def compose(self) -> ComposeResult:
        tr, lang = self.tr, self.tr.lang
        checklists = self.app.checklists
        if self.checklist_id is None or self.app.checklist(self.checklist_id) is None:
            self.checklist_id = checklists[0].id if checklists else ""
        yield Static(tr("history.title"), id="history-title", markup=False)
        titles = [c.title_in(lang) for c in checklists]
        if sum(cell_len(t) + 4 for t in titles) > self.app.size.width - 2:
            titles = [c.short_in(lang) for c in checklists]  # "Vigilance" rather than "Self-vigilance (自警)"
        tabs = [
            Tab(Content(f"{n} {title}" if n <= 9 else title), id=f"tab-{c.id}")  # a title is text, not markup
            for n, (c, title) in enumerate(zip(checklists, titles), start=1)
        ]
        yield Tabs(*tabs, active=f"tab-{self.checklist_id}", id="history-tabs")
        yield TrendLine(id="history-trend")
        yield RowTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="history-hint", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        """Keys go to the list; the tabs can still be clicked."""
        self.query_one(Tabs).can_focus = False
        self.query_one(DataTable).focus()
        self.show_checklist()

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        """A tab chosen (click or digit)."""
        if event.tab is None or event.tab.id is None:
            return
        checklist_id = event.tab.id.removeprefix("tab-")
        if checklist_id != self.checklist_id:
            self.checklist_id = checklist_id
            self.marked = None
            self.show_checklist()

    # ------------------------------------------------------------------ display

    def show_checklist(self) -> None:
        """Fill the trend and the list for the chosen checklist."""
        journal = self.journal
        tr = self.tr
        checklist = self.app.checklist(self.checklist_id or "")
        title = checklist.title_in(tr.lang) if checklist else (self.checklist_id or "")
        self.rows = journal.assessments(self.checklist_id)
        raised = self._raised()

        points = trend(self.rows)
        values = [p.fully_met for p in points]
        caption = ""
        if len(points) >= 2:
            caption = tr(
                "history.trend_caption",
                n=len(points),
                first=points[0].date,
                last=points[-1].date,
                low=min(values),
                high=max(values),
            )
        trend_line = self.query_one(TrendLine)
        # The top of the scale is every item of the checklist (or the most ever answered).
        top = max([len(checklist.items) if checklist else 0, *(p.answered for p in points)])
        label = tr("history.trend_label", checklist=title)
        trend_line.show(values, top=top, label=label, caption=caption, empty=tr("history.trend_empty"))
        if 0 < len(trend_line.values) < len(values):
            shown = tr("history.trend_recent", n=len(trend_line.values))
            trend_line.query_one(".trend-caption", Static).update(caption + shown)

        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        table.add_column("", width=1, key="mark")
        table.add_column(tr("history.col_date"), width=10, key="date")
        table.add_column(tr("history.col_answered"), key="answered")
        table.add_column(tr("history.col_changed"), key="changed")
        table.add_column(tr("history.col_notes"), key="notes")
        table.add_column(tr("history.col_actions"), key="actions")
        accent = theme_style(self.app, "text-accent", bold=True)
        quiet = Style(dim=True)
        ordered = list(self.rows)
        for index, check in enumerate(ordered):
            previous = ordered[index + 1] if index + 1 < len(ordered) else None
            total = len(item_order(checklist, check))
            changed = cell(str(len(changes_between(previous, check)))) if previous else cell(tr("history.first"), quiet)
            notes, actions = noted_count(check), raised.get(check.id, 0)
            table.add_row(
                Text(MARK if check.id == self.marked else "", style=accent),
                cell((check.completed or check.started)[:10]),
                cell(tr("history.answered", n=answered_count(check), total=total)),
                changed,
                cell(str(notes) if notes else "–", "" if notes else quiet),
                cell(str(actions) if actions else "–", "" if actions else quiet),
                key=check.id,
            )
        if ordered:
            table.move_cursor(row=min(max(cursor, 0), len(ordered) - 1), animate=False)
        self._hint()

    def _raised(self) -> dict[str, int]:
        """Rectification items raised per self-check id (read once: nothing here changes them)."""
        if self._raised_counts is None:
            self._raised_counts = {}
            for action in self.journal.actions():
                source = (action.source or {}).get("assessment")
                if source:
                    self._raised_counts[source] = self._raised_counts.get(source, 0) + 1
        return self._raised_counts

    def _hint(self) -> None:
        tr = self.tr
        hint = self.query_one("#history-hint", Static)
        if not self.rows:
            checklist = self.app.checklist(self.checklist_id or "")
            hint.update(tr("history.none", checklist=checklist.title_in(tr.lang) if checklist else ""))
        elif self.marked is not None:
            marked = next((c for c in self.rows if c.id == self.marked), None)
            hint.update(tr("history.marked", date=(marked.completed or "")[:10] if marked else ""))
        elif len(self.rows) >= 2:
            hint.update(tr("history.hint"))
        else:
            hint.update(tr("history.hint_one"))

    # ------------------------------------------------------------------ keys

    def action_pick(self, number: int) -> None:
        """``1``–``4``: show that checklist."""
        checklists = self.app.checklists
        if 1 <= number <= len(checklists):
            self.query_one(Tabs).active = f"tab-{checklists[number - 1].id}"

    def action_open(self) -> None:
        """``enter``: the highlighted self-check, read-only."""
        from .assessment_view import AssessmentViewScreen

        check = self.current
        if check is not None:
            self.app.push_screen(AssessmentViewScreen(check.id))

    def open_row(self) -> None:
        """A click on a row opens it."""
        self.action_open()

    def action_mark(self) -> None:
        """``c``: mark this self-check; on a second one, compare the two side by side."""
        from .compare import CompareScreen

        check = self.current
        if check is None:
            return
        if self.marked is None or self.marked == check.id:
            self.marked = None if self.marked == check.id else check.id
            self.show_checklist()
            return
        first = next((c for c in self.rows if c.id == self.marked), None)
        self.marked = None
        self.show_checklist()
        if first is not None:
            older, newer = sorted((first, check), key=lambda a: a.completed or a.started)
            self.app.push_screen(CompareScreen(older.id, newer.id))

    def rebuild(self) -> HistoryScreen:
        """The same checklist after a language switch."""
        return HistoryScreen(self.checklist_id, self.marked)
