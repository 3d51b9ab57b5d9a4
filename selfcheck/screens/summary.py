"""After a self-check: the answers at a glance, what changed since last time, the items raised.

No overall score, verdict or grade (domain notes §7.1): only the user's own answers.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, Static

from ..analysis.review import changes_between, previous_of
from ..checklists import Checklist, answer_label
from ..i18n import Translator
from ..store.models import ActionItem, Assessment
from ..widgets.footer import FittingFooter
from .base import AppScreen


class SummaryScreen(AppScreen):
    """Summary of the self-checks finished in one run (ids in ``assessment_ids``)."""

    BINDINGS = [
        Binding("escape,enter", "home", "key.home", id="home"),
    ]

    def __init__(self, assessment_ids: list[str]) -> None:
        super().__init__()
        self.assessment_ids = list(assessment_ids)

    def compose(self) -> ComposeResult:
        tr, lang = self.tr, self.tr.lang
        journal = self.journal
        actions = journal.actions()
        with VerticalScroll(id="summary"):
            yield Static(tr("summary.title"), classes="section-title", markup=False)
            yield Static(tr("summary.private"), classes="disclaimer", markup=False)
            for assessment_id in self.assessment_ids:
                assessment = journal.get(Assessment, assessment_id)
                checklist = self.app.checklist(assessment.checklist_id)
                title = checklist.title_in(lang) if checklist else assessment.checklist_id
                when = (assessment.completed or assessment.started)[:10]
                yield Static(tr("summary.check", checklist=title, date=when), classes="section-title", markup=False)
                yield AnswersTable(assessment, checklist, tr)
                previous = previous_of(journal, assessment)
                if previous is None:
                    yield Static(tr("summary.first_time"), classes="muted", markup=False)
                else:
                    changes = changes_between(previous, assessment)
                    if not changes:
                        yield Static(tr("summary.no_changes"), classes="muted", markup=False)
                    for change in changes:
                        kind = _item_type(checklist, change.item_id)
                        yield Static(
                            tr(
                                "summary.change",
                                prompt=_as_clause(change.prompt),
                                before=_answer_text(kind, change.before, tr),
                                after=_answer_text(kind, change.after, tr),
                            ),
                            markup=False,
                        )
                raised = [a for a in actions if (a.source or {}).get("assessment") == assessment_id]
                yield Static(tr("summary.actions", n=len(raised)), classes="muted", markup=False)
                for action in raised:
                    yield Static(_action_line(action, tr("home.no_due")), markup=False)
        yield FittingFooter()

    def action_home(self) -> None:
        """Back to Home."""
        self.app.pop_screen()

    def rebuild(self) -> SummaryScreen:
        """The same summary after a language switch."""
        return SummaryScreen(self.assessment_ids)


class AnswersTable(DataTable):
    """One self-check's answers, one row per item with its whole text wrapped in the item column.

    The rows are laid out for the table's own width (less the summary's scrollbar, shown or not),
    and again after a resize: DataTable columns have fixed widths, and an auto-height row is
    measured once, when it is added.
    """

    DEFAULT_CSS = """
    AnswersTable {
        max-height: initial;  /* as tall as its rows: the summary scrolls, not the table */
    }
    """

    #: The widest the answer column grows; a longer answer wraps.
    ANSWER_WIDTH = 16

    def __init__(self, assessment: Assessment, checklist: Checklist | None, tr: Translator) -> None:
        super().__init__(cursor_type="none", zebra_stripes=True, show_cursor=False)
        self.can_focus = False  # enter and escape belong to the screen
        self.assessment = assessment
        self.checklist = checklist
        self.tr = tr
        #: The width the rows were laid out for (0: not yet).
        self.laid_out_for = 0

    def on_resize(self, event: events.Resize) -> None:
        """Lay the rows out again for the new width."""
        width = event.size.width
        parent = self.parent
        if isinstance(parent, Widget) and parent.styles.overflow_y == "auto" and not parent.show_vertical_scrollbar:
            # Leave room for the summary's scrollbar even while it is hidden: laying the rows out
            # changes the summary's height, which would show or hide it and change the width again.
            width -= parent.styles.scrollbar_size_vertical
        if width != self.laid_out_for:
            # After this layout pass: rows added during it would be measured by a box model
            # Textual has already cached for the empty table.
            self.laid_out_for = width
            self.call_after_refresh(self.lay_out, width)

    def lay_out(self, width: int) -> None:
        """Columns and rows for a table ``width`` cells wide."""
        tr = self.tr
        self.laid_out_for = width
        by_id = {a.item_id: a for a in self.assessment.answers}
        items = self.checklist.items if self.checklist else []
        rows = []
        for n, item in enumerate(items, start=1):
            answer = by_id.get(item.id)
            prompt = answer.prompt if answer and answer.prompt else item.text_in(tr.lang)
            label = _answer_text(item.type, answer.answer if answer else None, tr)
            rows.append((f"{n}.", prompt.strip(), label, "✎" if answer and answer.note else ""))
        headers = ("", tr("summary.col_item"), tr("summary.col_answer"), tr("summary.col_note"))
        number_width = max([cell_len(row[0]) for row in rows] or [1])
        answer_width = min(self.ANSWER_WIDTH, max(cell_len(text) for text in [headers[2], *(row[2] for row in rows)]))
        note_width = cell_len(headers[3])
        # The item takes what is left; each column has a cell of padding on both sides.
        padding = 2 * self.cell_padding * len(headers)
        item_width = max(10, width - number_width - answer_width - note_width - padding)
        self.clear(columns=True)
        for header, column_width in zip(headers, (number_width, item_width, answer_width, note_width)):
            self.add_column(header, width=column_width)
        for row in rows:
            # User text is a Text (never markup); it wraps, and the row is as tall as it needs.
            self.add_row(Text(row[0].rjust(number_width)), *(Text(text) for text in row[1:]), height=None)


def _answer_text(item_type: str, value: str | int | None, tr: Translator) -> str:
    """An answer's label in the user's language (``未作答`` when there is none)."""
    if value is None:
        return tr("summary.unanswered")
    return answer_label(item_type, value, tr.lang)


def _as_clause(prompt: str) -> str:
    """An item's text, to be followed by ``：`` in a sentence: its first line without the
    sentence's final punctuation (``……相符。：`` would double it)."""
    line = prompt.strip().splitlines()[0] if prompt.strip() else ""
    return line.rstrip("。．.！!？?；;：:，,、 ")


def _item_type(checklist, item_id: str) -> str:
    item = checklist.item(item_id) if checklist else None
    return item.type if item else "yn"


def _short(text: str, width: int = 40) -> str:
    """The first line of ``text``, cut to ``width`` characters."""
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= width else line[: width - 1] + "…"


def _action_line(action: ActionItem, no_due: str) -> str:
    return f"· {_short(action.problem, 50)}  ({action.due or no_due})"
