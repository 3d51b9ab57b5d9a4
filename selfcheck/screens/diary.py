"""The study diary (学习日志): a table of entries, newest first, with search and filters.

Fast on a 10-year vault: an in-memory :class:`~selfcheck.analysis.study.StudyIndex` answers each keystroke,
and the table holds one page of rows at a time, loading the next page as the cursor nears the end.
"""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Select, Static

from ..analysis.study import PERIODS, StudyIndex, StudyRow, period_range  # noqa: F401
from ..store.models import StudyEntry
from ..widgets.footer import FittingFooter
from ..widgets.rowtable import RowTable
from .base import cell
from .lists import BACK, RecordListScreen

#: Rows added to the table at a time.
PAGE = 60


#: Before the title of an entry marked for the meeting preparation.
MARK = "◆ "


class DiaryScreen(RecordListScreen[StudyRow]):
    """Browse, search, add, edit and delete study entries; the trash brings deleted ones back."""

    BINDINGS = [
        Binding("n", "new", "key.new", id="new"),
        Binding("enter", "edit", "key.edit", id="edit", show=False),
        Binding("slash", "search", "key.search", id="search"),
        Binding("delete", "delete", "key.delete", id="delete"),
        Binding("z", "trash", "key.trash", id="trash"),
        Binding("o", "overview", "key.overview", id="overview"),
        Binding("m", "mark", "key.mark", id="mark"),
        BACK,
    ]

    def __init__(self) -> None:
        super().__init__()
        self.index: StudyIndex | None = None
        #: The forms and tags the filter menus offer now.
        self._choices: tuple[list[str], list[str]] | None = None
        # ``rows``: the entries matching the current filters (the table shows a prefix of them).
        self.shown = 0

    def compose(self) -> ComposeResult:
        tr = self.tr
        yield Static(tr("notice.classified_line"), id="diary-notice", classes="notice-line", markup=False)
        with Horizontal(id="diary-filters"):
            yield Input(id="diary-search", placeholder=tr("diary.search_hint"), compact=True)
            yield Select(
                [(tr(f"period.{p}"), p) for p in PERIODS], value="all", allow_blank=False, id="diary-period", compact=True
            )
            yield Select([], prompt=tr("diary.any_form"), id="diary-form", compact=True)
            yield Select([], prompt=tr("diary.any_tag"), id="diary-tag", compact=True)
        yield RowTable(id="diary-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="diary-status", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        """Columns, the index, the first page."""
        tr = self.tr
        table = self.query_one(DataTable)
        width = max(16, self.app.size.width - 50)
        table.add_column(tr("diary.col_date"), width=10, key="date")
        table.add_column(tr("diary.col_title"), width=width, key="title")
        table.add_column(tr("diary.col_form"), width=8, key="form")
        table.add_column(tr("diary.col_minutes"), width=5, key="minutes")
        table.add_column(tr("diary.col_tags"), width=14, key="tags")
        self.reload()
        table.focus()

    # ------------------------------------------------------------------ data

    def reload(self, keep: str | None = None) -> None:
        """Rebuild the index from the journal (after a change) and re-apply the filters."""
        self.index = self.app.study_index()
        self._fill_selects()
        self.apply_filters(keep=keep)

    def _fill_selects(self) -> None:
        assert self.index is not None
        form_select = self.query_one("#diary-form", Select)
        tag_select = self.query_one("#diary-tag", Select)
        forms, tags = self.index.forms(), self.index.tags()[:50]
        if (forms, tags) == self._choices:
            return  # a save that added no form or tag: the menus stay as they are
        self._choices = (forms, tags)
        form, tag = form_select.value, tag_select.value
        form_select.set_options([(cell(f), f) for f in forms])
        tag_select.set_options([(cell(t), t) for t in tags])
        if form in forms:
            form_select.value = form
        if tag in tags:
            tag_select.value = tag

    def apply_filters(self, keep: str | None = None) -> None:
        """Filter the index by the search text, period, form and tag; show the first page."""
        if self.index is None:
            return
        text = self.query_one("#diary-search", Input).value
        period = self.query_one("#diary-period", Select).value
        date_from, date_to = period_range(str(period), self.app.today())
        form = self.query_one("#diary-form", Select).value
        tag = self.query_one("#diary-tag", Select).value
        self.rows = self.index.filter(
            text=text,
            date_from=date_from,
            date_to=date_to,
            form=None if form is Select.NULL else str(form),
            tag=None if tag is Select.NULL else str(tag),
        )
        table = self.query_one(DataTable)
        table.clear()
        self.shown = 0
        self._add_page()
        if keep is not None:
            for i, row in enumerate(self.rows):
                if row.id == keep:
                    while self.shown <= i:
                        self._add_page()
                    table.move_cursor(row=i)
                    break
        self._status()

    def _add_page(self) -> None:
        table = self.query_one(DataTable)
        page = self.rows[self.shown : self.shown + PAGE]
        table.add_rows(
            [
                (r.date, cell((MARK if r.marked else "") + r.title), cell(r.form), str(r.minutes), cell(" ".join(r.tags)))
                for r in page
            ]
        )
        # Row keys: add_rows does not take keys, so remember the ids by position.
        self.shown += len(page)

    def _status(self) -> None:
        total = len(self.index.rows) if self.index else 0
        minutes = sum(r.minutes for r in self.rows)
        status = self.tr("diary.status", matches=len(self.rows), total=total, minutes=minutes)
        if not total:
            status = self.tr("diary.empty")  # an empty table with no word would look broken
        elif not self.rows:
            status += self.tr("diary.no_match")
        self.query_one("#diary-status", Static).update(status)

    # ------------------------------------------------------------------ events

    @on(Input.Changed, "#diary-search")
    def searched(self) -> None:
        """Search as you type."""
        self.apply_filters()

    @on(Input.Submitted, "#diary-search")
    def search_done(self) -> None:
        """Enter in the search field goes to the table."""
        self.query_one(DataTable).focus()

    @on(Select.Changed)
    def filtered(self) -> None:
        """A filter changed."""
        self.apply_filters()

    @on(DataTable.RowHighlighted)
    def maybe_more(self, event: DataTable.RowHighlighted) -> None:
        """Load the next page when the cursor nears the end of what is shown."""
        if event.cursor_row >= self.shown - 5 and self.shown < len(self.rows):
            self._add_page()

    def open_row(self) -> None:
        """Enter on a row edits it."""
        self.action_edit()

    # ------------------------------------------------------------------ actions

    def action_search(self) -> None:
        """Focus the search field."""
        self.query_one("#diary-search", Input).focus()

    def action_back(self) -> None:
        """Escape: leave the search field first, then the diary."""
        if self.focused is not self.query_one(DataTable):
            self.query_one(DataTable).focus()
            return
        self.app.pop_screen()

    def action_new(self) -> None:
        """Add an entry."""
        from .entry import EntryScreen

        self.app.push_screen(EntryScreen(None, self.index), self._saved)

    def action_edit(self) -> None:
        """Edit the entry under the cursor."""
        from .entry import EntryScreen

        row = self.current
        if row is None:
            return
        entry = self.journal.get(StudyEntry, row.id)
        self.app.push_screen(EntryScreen(entry, self.index), self._saved)

    def _saved(self, entry_id: str | None) -> None:
        if not entry_id:
            return
        self.reload(keep=entry_id)
        if not any(r.id == entry_id for r in self.rows):
            self.clear_filters(keep=entry_id)  # the saved entry must be in sight

    def clear_filters(self, keep: str | None = None) -> None:
        """Show everything again."""
        with self.prevent(Input.Changed, Select.Changed):
            self.query_one("#diary-search", Input).value = ""
            self.query_one("#diary-period", Select).value = "all"
            self.query_one("#diary-form", Select).clear()
            self.query_one("#diary-tag", Select).clear()
        self.apply_filters(keep=keep)

    def action_delete(self) -> None:
        """Delete the entry under the cursor (after asking); it goes to the trash."""
        from .modals.confirm import ConfirmModal

        row = self.current
        if row is None:
            return

        def decided(yes: bool | None) -> None:
            if yes:
                self.app.save(lambda j: j.delete(StudyEntry, row.id), on_done=lambda _: self._deleted())

        self.app.push_screen(ConfirmModal(self.tr("diary.delete_question", title=row.title), self.tr("diary.delete_detail")), decided)

    def _deleted(self) -> None:
        self.notify(self.tr("diary.deleted"))
        self.reload()

    def action_trash(self) -> None:
        """Deleted entries, to restore."""
        from .modals.trash import TrashModal

        self.app.push_screen(TrashModal(StudyEntry.TABLE), lambda restored: self.reload(keep=restored) if restored else None)

    def action_mark(self) -> None:
        """m: mark the entry (or unmark it) as something to look at before the meeting: its 心得
        appear among the references of 会前准备's 查摆问题."""
        row = self.current
        if row is None:
            return
        entry = self.journal.get(StudyEntry, row.id)
        marked = replace(entry, marked=not entry.marked)
        message = self.tr("diary.marked" if marked.marked else "diary.unmarked")

        def done(_: object) -> None:
            self.notify(message)
            self.reload(keep=row.id)

        self.app.save(lambda j: j.update_study(marked), on_done=done)

    def action_overview(self) -> None:
        """Study overview: heatmap, totals, yearly targets."""
        from .study_overview import StudyOverviewScreen

        self.app.push_screen(StudyOverviewScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Row actions only with a row; typing in the search field types."""
        if action in ("new", "delete", "trash", "overview", "mark") and isinstance(self.focused, Input):
            return False
        if action in ("edit", "delete", "mark") and self.current is None:
            return None
        return True

    def rebuild(self) -> DiaryScreen:
        """A fresh diary after a language switch."""
        return DiaryScreen()
