"""After a self-check: the answers at a glance, what changed since last time, the items raised.

No overall score, verdict or grade (domain notes §7.1): only the user's own answers.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Static

from ..analysis.review import changes_between, previous_of
from ..checklists import answer_label
from ..store.models import ActionItem, Assessment
from .base import AppScreen, cell


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
                yield self._answers_table(assessment)
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
                                prompt=_short(change.prompt),
                                before=self._label(kind, change.before),
                                after=self._label(kind, change.after),
                            ),
                            markup=False,
                        )
                raised = [a for a in actions if (a.source or {}).get("assessment") == assessment_id]
                yield Static(tr("summary.actions", n=len(raised)), classes="muted", markup=False)
                for action in raised:
                    yield Static(_action_line(action, tr("home.no_due")), markup=False)
        yield Footer()

    def _answers_table(self, assessment: Assessment) -> DataTable:
        tr = self.tr
        table: DataTable = DataTable(cursor_type="none", zebra_stripes=True, show_cursor=False)
        table.can_focus = False  # enter and escape belong to the screen
        item_width = max(20, self.app.size.width - 30)
        table.add_column(tr("summary.col_item"), width=item_width)
        table.add_column(tr("summary.col_answer"), width=12)
        table.add_column(tr("summary.col_note"), width=4)
        checklist = self.app.checklist(assessment.checklist_id)
        by_id = {a.item_id: a for a in assessment.answers}
        items = checklist.items if checklist else []
        for n, item in enumerate(items, start=1):
            answer = by_id.get(item.id)
            prompt = answer.prompt if answer and answer.prompt else (item.text_in(tr.lang))
            table.add_row(
                cell(f"{n}. {_short(prompt, item_width // 2 - 4)}"),
                cell(self._label(item.type, answer.answer if answer else None)),
                "✎" if answer and answer.note else "",
            )
        return table

    def _label(self, item_type: str, value: str | int | None) -> str:
        if value is None:
            return self.tr("summary.unanswered")
        return answer_label(item_type, value, self.tr.lang)

    def action_home(self) -> None:
        """Back to Home."""
        self.app.pop_screen()

    def rebuild(self) -> SummaryScreen:
        """The same summary after a language switch."""
        return SummaryScreen(self.assessment_ids)


def _item_type(checklist, item_id: str) -> str:
    item = checklist.item(item_id) if checklist else None
    return item.type if item else "yn"


def _short(text: str, width: int = 40) -> str:
    """The first line of ``text``, cut to ``width`` characters."""
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= width else line[: width - 1] + "…"


def _action_line(action: ActionItem, no_due: str) -> str:
    return f"· {_short(action.problem, 50)}  ({action.due or no_due})"
