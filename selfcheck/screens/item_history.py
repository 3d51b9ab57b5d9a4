"""One checklist item over time: how the user answered it in each self-check, with the notes."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from ..analysis.trends import ItemAnswer, item_history, item_order, rows_of
from ..checklists import ANSWER_OPTIONS, answer_label
from ..widgets.cells import cell
from ..widgets.fields import DetailPanel, muted
from ..widgets.footer import FittingFooter
from ..widgets.rowtable import RowTable
from ..widgets.trend import TrendLine
from .lists import BACK, RecordListScreen


class ItemHistoryScreen(RecordListScreen[ItemAnswer]):
    """Answers to ``item_id`` of ``checklist_id``, newest first; ratings also as a trend line."""

    BINDINGS = [BACK]

    def __init__(self, checklist_id: str, item_id: str) -> None:
        super().__init__()
        self.checklist_id = checklist_id
        self.item_id = item_id

    def compose(self) -> ComposeResult:
        yield Static("", id="item-title", markup=False)
        yield Static("", id="item-prompt", markup=False)
        yield Static("", id="item-sub", markup=False)
        yield TrendLine(id="item-trend")
        yield RowTable(id="item-table", cursor_type="row", zebra_stripes=True)
        yield DetailPanel(id="item-detail")
        yield FittingFooter()

    def on_mount(self) -> None:
        """Gather the answers from every finished self-check of the checklist."""
        tr, journal = self.tr, self.journal
        self.query_one(DataTable).focus()
        checklist = self.app.checklist(self.checklist_id)
        checks = journal.assessments(self.checklist_id)
        order = item_order(checklist, *checks)
        number = order.index(self.item_id) + 1 if self.item_id in order else 0
        title = checklist.title_in(tr.lang) if checklist else self.checklist_id
        item = checklist.item(self.item_id) if checklist else None
        prompt = (
            item.text_in(tr.lang)
            if item
            else next(
                (r.prompt for c in checks for r in rows_of(c, checklist, tr.lang) if r.item_id == self.item_id),
                self.item_id,
            )
        )
        self.item_type = item.type if item else "yn"
        self.rows = list(reversed(item_history(checks, self.item_id)))
        raised = sum(1 for a in journal.actions() if (a.source or {}).get("item") == self.item_id)
        self.query_one("#item-title", Static).update(tr("item.title", checklist=title, n=number))
        self.query_one("#item-prompt", Static).update(prompt)

        trend = self.query_one(TrendLine)
        ratings = [
            a.answer for a in reversed(self.rows) if isinstance(a.answer, int) and not isinstance(a.answer, bool)
        ]
        if self.item_type == "rating":
            trend.show(
                ratings,
                top=5,
                label=tr("item.trend_label"),
                caption=tr(
                    "item.trend_caption", n=len(ratings), low=min(ratings, default=0), high=max(ratings, default=0)
                ),
                empty=tr("history.trend_empty"),
            )
        else:
            trend.display = False

        table = self.query_one(DataTable)
        labels = [answer_label(self.item_type, v, tr.lang) for v in ANSWER_OPTIONS.get(self.item_type, ())]
        answer_w = max(cell_len(tr("view.col_answer")), cell_len(tr("view.unanswered")), *map(cell_len, labels))
        note_w = max(10, self.app.size.width - 10 - answer_w - 3 * 2 - 4)  # screen padding and scrollbar
        table.add_column(tr("history.col_date"), width=10, key="date")
        table.add_column(tr("view.col_answer"), width=answer_w, key="answer")
        table.add_column(tr("view.note"), width=note_w, key="note")
        for entry in self.rows:
            table.add_row(cell(entry.date), cell(self._label(entry)), cell(entry.note), key=entry.assessment_id)
        sub = tr("item.count", n=len(self.rows)) + (tr("item.raised", n=raised) if raised else "")
        self.query_one("#item-sub", Static).update(sub)
        self.show_detail()

    def _label(self, entry: ItemAnswer) -> str:
        if entry.answer is None:
            return self.tr("view.unanswered")
        return answer_label(self.item_type, entry.answer, self.tr.lang)

    def show_detail(self) -> None:
        """The highlighted answer's note in full."""
        tr, entry = self.tr, self.current
        panel = self.query_one(DetailPanel)
        if entry is None:
            panel.message(tr("item.none"))
            return
        panel.show([(entry.date, self._label(entry)), (tr("view.note"), entry.note or muted(tr("view.no_note")))])

    def rebuild(self) -> ItemHistoryScreen:
        """The same item after a language switch."""
        return ItemHistoryScreen(self.checklist_id, self.item_id)
