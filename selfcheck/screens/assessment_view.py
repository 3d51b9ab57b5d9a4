"""One past self-check, read-only: every item with its answer and note (仅本人可见)."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ..analysis.trends import ItemRow, answered_count, rows_of
from ..checklists import ANSWER_OPTIONS, answer_label
from ..store.errors import NotFound
from ..store.models import Assessment
from ..widgets.cells import cell
from ..widgets.fields import DetailPanel, Value, muted
from ..widgets.footer import FittingFooter
from ..widgets.rowtable import RowTable
from .lists import BACK, RecordListScreen

NOTE_MARK = "✎"


class AssessmentViewScreen(RecordListScreen[ItemRow]):
    """The self-check ``assessment_id`` as it was answered; ``enter`` shows one item over time."""

    BINDINGS = [
        Binding("enter", "item_history", "key.records.item_history", id="view-item-history", priority=True),
        BACK,
    ]

    def __init__(self, assessment_id: str, row: int = 0) -> None:
        super().__init__()
        self.assessment_id = assessment_id
        self.start_row = row
        self.assessment: Assessment | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="view-title", markup=False)
        yield Static("", id="view-sub", markup=False)
        yield RowTable(id="view-table", cursor_type="row", zebra_stripes=True)
        yield DetailPanel(id="view-detail")
        yield FittingFooter()

    def on_mount(self) -> None:
        """Load the self-check and fill the table."""
        self.query_one(DataTable).focus()
        tr = self.tr
        try:
            self.assessment = self.journal.get(Assessment, self.assessment_id)
        except NotFound:
            self.query_one("#view-title", Static).update(tr("error.not_found"))
            return
        assessment = self.assessment
        checklist = self.app.checklist(assessment.checklist_id)
        title = checklist.title_in(tr.lang) if checklist else assessment.checklist_id
        self.rows = rows_of(assessment, checklist, tr.lang)
        day = (assessment.completed or assessment.started)[:10]
        self.query_one("#view-title", Static).update(tr("view.title", checklist=title, date=day))
        self.query_one("#view-sub", Static).update(
            tr("view.sub", n=answered_count(assessment), total=len(self.rows))
            + (tr("view.period", period=assessment.period_label) if assessment.period_label else "")
        )
        self._fill_table()

    def _fill_table(self) -> None:
        tr = self.tr
        table = self.query_one(DataTable)
        labels = [answer_label(t, v, tr.lang) for t, values in ANSWER_OPTIONS.items() for v in values]
        answer_w = max(cell_len(tr("view.col_answer")), cell_len(tr("view.unanswered")), *map(cell_len, labels))
        number_w = len(str(len(self.rows)))
        item_w = max(16, self.app.size.width - answer_w - number_w - 2 - 4 * 2 - 4)  # screen padding and scrollbar
        table.add_column("#", width=number_w, key="n")
        table.add_column(tr("view.col_item"), width=item_w, key="item")
        table.add_column(tr("view.col_answer"), width=answer_w, key="answer")
        table.add_column(NOTE_MARK, width=2, key="note")
        for row in self.rows:
            table.add_row(
                cell(str(row.number)),
                cell(self.tr("view.retired", prompt=row.prompt) if row.retired else row.prompt),
                cell(self._label(row)),
                cell(NOTE_MARK if row.answer and row.answer.note.strip() else ""),
                key=row.item_id,
            )
        if self.rows:
            table.move_cursor(row=min(self.start_row, len(self.rows) - 1), animate=False)
        self.show_detail()

    def _label(self, row: ItemRow) -> str:
        value = row.answer.answer if row.answer else None
        return self.tr("view.unanswered") if value is None else answer_label(row.item_type, value, self.tr.lang)

    def open_row(self) -> None:
        """A click on an item shows its history."""
        self.action_item_history()

    def show_detail(self) -> None:
        row, tr = self.current, self.tr
        panel = self.query_one(DetailPanel)
        if row is None or self.assessment is None:
            panel.message("")
            return
        note = row.answer.note if row.answer else ""
        rows: list[tuple[str, Value]] = [
            (tr("view.col_item"), tr("view.item", n=row.number, prompt=tr("view.retired", prompt=row.prompt) if row.retired else row.prompt)),
            (tr("view.answer"), self._label(row)),
            (tr("view.note"), note or muted(tr("view.no_note"))),
        ]
        if self.assessment.reflection:
            rows.append((tr("view.reflection"), self.assessment.reflection))
        panel.show(rows)

    def action_item_history(self) -> None:
        """``enter``: this item's answers in every self-check of the checklist."""
        from .item_history import ItemHistoryScreen

        row = self.current
        if row is not None and self.assessment is not None:
            self.app.push_screen(ItemHistoryScreen(self.assessment.checklist_id, row.item_id))

    def rebuild(self) -> AssessmentViewScreen:
        """The same self-check and item after a language switch."""
        table = self.query_one(DataTable)
        return AssessmentViewScreen(self.assessment_id, max(table.cursor_row, 0))
