"""Two self-checks of one checklist side by side, item by item; answers that differ stand out."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ..analysis.trends import ComparedItem, check_date, compare
from ..checklists import ANSWER_OPTIONS, answer_label
from ..store.errors import NotFound
from ..store.models import Answer, Assessment
from ..widgets.cells import cell, theme_style
from ..widgets.fields import MUTED, DetailPanel, Value
from ..widgets.footer import FittingFooter
from ..widgets.rowtable import RowTable
from .lists import BACK, RecordListScreen
from .modals.trash import local_time

DIFFERENT = "≠"


def headings(older: Assessment, newer: Assessment) -> tuple[str, str]:
    """What names the two self-checks above their columns: the day, and when both are of one day
    the local time they were finished too (``2026-11-20 08:30``), so two headings never look alike."""
    first, second = check_date(older), check_date(newer)
    if first != second:
        return first, second
    first = local_time(older.completed or older.started)
    second = local_time(newer.completed or newer.started)
    if first != second:
        return first, second
    return f"{first} (1)", f"{second} (2)"  # the same minute: at least say which is which


class CompareScreen(RecordListScreen[ComparedItem]):
    """``older_id`` (left) and ``newer_id`` (right); ``f`` shows only the items that differ."""

    BINDINGS = [
        Binding("f", "toggle_changed", "key.records.only_changed", id="compare-only-changed"),
        Binding("enter", "item_history", "key.records.item_history", id="compare-item-history", priority=True),
        BACK,
    ]

    def __init__(self, older_id: str, newer_id: str, *, only_changed: bool = False) -> None:
        super().__init__()
        self.older_id = older_id
        self.newer_id = newer_id
        #: Show only the items whose answers differ.
        self.only_changed = only_changed
        self.older: Assessment | None = None
        self.newer: Assessment | None = None
        self.compared: list[ComparedItem] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="compare-title", markup=False)
        yield Static("", id="compare-sub", markup=False)
        yield RowTable(id="compare-table", cursor_type="row", zebra_stripes=True)
        yield DetailPanel(id="compare-detail")
        yield FittingFooter()

    def on_mount(self) -> None:
        """Load both self-checks and line them up."""
        tr, journal = self.tr, self.journal
        self.query_one(DataTable).focus()
        try:
            self.older = journal.get(Assessment, self.older_id)
            self.newer = journal.get(Assessment, self.newer_id)
        except NotFound:
            self.query_one("#compare-title", Static).update(tr("error.not_found"))
            return
        checklist = self.app.checklist(self.newer.checklist_id)
        title = checklist.title_in(tr.lang) if checklist else self.newer.checklist_id
        self.compared = compare(self.older, self.newer, checklist, tr.lang)
        older, newer = headings(self.older, self.newer)
        self.query_one("#compare-title", Static).update(tr("compare.title", checklist=title, older=older, newer=newer))
        self.fill()

    def fill(self) -> None:
        """(Re)build the table for the current filter."""
        tr = self.tr
        assert self.older is not None and self.newer is not None
        changed = sum(1 for c in self.compared if c.changed)
        sub = tr("compare.sub", n=changed, total=len(self.compared))
        sub += tr("compare.showing_changed") if self.only_changed else tr("compare.showing_all")
        self.query_one("#compare-sub", Static).update(sub)
        self.rows = [c for c in self.compared if c.changed or not self.only_changed]
        table = self.query_one(DataTable)
        table.clear(columns=True)
        labels = [answer_label(t, v, tr.lang) for t, values in ANSWER_OPTIONS.items() for v in values]
        older, newer = headings(self.older, self.newer)
        answer_w = max(10, cell_len(tr("view.unanswered")), cell_len(older), cell_len(newer), *map(cell_len, labels))
        number_w = max(1, len(str(len(self.compared))))
        item_w = max(12, self.app.size.width - 1 - number_w - 2 * answer_w - 5 * 2 - 4)  # screen padding and scrollbar
        table.add_column("", width=1, key="mark")
        table.add_column("#", width=number_w, key="n")
        table.add_column(tr("view.col_item"), width=item_w, key="item")
        table.add_column(older, width=answer_w, key="older")
        table.add_column(newer, width=answer_w, key="newer")
        stand_out = theme_style(self.app, "text-warning", bold=True)
        for item in self.rows:
            style = stand_out if item.changed else ""
            table.add_row(
                Text(DIFFERENT if item.changed else "", style=stand_out),
                cell(str(item.number)),
                cell(self.tr("view.retired", prompt=item.prompt) if item.retired else item.prompt),
                cell(self._label(item, item.before), style),
                cell(self._label(item, item.after), style),
                key=item.item_id,
            )
        self.show_detail()

    def _label(self, item: ComparedItem, answer: Answer | None) -> str:
        if answer is None or answer.answer is None:
            return self.tr("view.unanswered")
        return answer_label(item.item_type, answer.answer, self.tr.lang)

    def open_row(self) -> None:
        """A click on an item shows its history."""
        self.action_item_history()

    def show_detail(self) -> None:
        tr, item = self.tr, self.current
        panel = self.query_one(DetailPanel)
        if item is None or self.older is None or self.newer is None:
            panel.message(tr("compare.no_changes") if self.only_changed and self.older is not None else "")
            return
        stand_out = theme_style(self.app, "text-warning", bold=True) if item.changed else ""
        rows: list[tuple[str, Value]] = [(tr("view.col_item"), tr("view.item", n=item.number, prompt=tr("view.retired", prompt=item.prompt) if item.retired else item.prompt))]
        for heading, answer in zip(headings(self.older, self.newer), (item.before, item.after), strict=True):
            value = Text()
            value.append(self._label(item, answer), stand_out)
            if answer is not None and answer.note:
                value.append("  ")
                value.append(tr("view.note"), MUTED)
                value.append(" " + answer.note)
            rows.append((heading, value))
        panel.show(rows)

    def action_toggle_changed(self) -> None:
        """``f``: only the items that differ, or all."""
        self.only_changed = not self.only_changed
        if self.older is not None:
            self.fill()

    def action_item_history(self) -> None:
        """``enter``: this item's answers in every self-check of the checklist."""
        from .item_history import ItemHistoryScreen

        item = self.current
        if item is not None and self.newer is not None:
            self.app.push_screen(ItemHistoryScreen(self.newer.checklist_id, item.item_id))

    def rebuild(self) -> CompareScreen:
        """The same comparison after a language switch."""
        return CompareScreen(self.older_id, self.newer_id, only_changed=self.only_changed)
