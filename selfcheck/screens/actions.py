"""整改清单 (rectification list): every item, from self-checks or added by hand, as one ledger.

The columns follow domain notes §4.5 as far as a terminal row allows (problem, measure, due date,
立行立改/长期坚持, status, source); the panel below shows the highlighted item in full, with its
cause, standard, progress notes (进展情况) and 销号. Overdue open items carry a ``!`` marker as well
as the theme's error colour. Every string the user typed is shown as typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Static

from ..store.errors import NotFound
from ..store.models import ACTION_KINDS, ACTION_STATUSES, ActionItem, Assessment
from ..widgets.cells import cell, first_line, theme_style
from ..widgets.fields import DetailPanel, Value, muted
from ..widgets.footer import FittingFooter
from ..widgets.rowtable import RowTable
from .lists import BACK, RecordListScreen
from .modals.action_edit import ActionEditModal
from .modals.confirm import ConfirmModal
from .modals.dated_note import DatedNoteModal

if TYPE_CHECKING:
    from ..checklists import Checklist

#: The list's filters, in the order ``f`` cycles through them.
FILTERS = ("open", "done", "all")
#: Below this width the measure column is left to the detail panel.
WIDE = 100
OVERDUE_MARK = "!"
DONE_MARK = "✓"


class ActionsScreen(RecordListScreen[ActionItem]):
    """The rectification ledger: add, edit, note progress, 销号, filter, delete to the trash."""

    BINDINGS = [
        Binding("n", "new", "key.new", id="actions-new"),
        # priority: the table would otherwise take enter (and hide it from the Footer).
        Binding("enter", "edit", "key.edit", id="actions-edit", priority=True),
        Binding("p", "progress", "key.records.progress", id="actions-progress"),
        Binding("x", "mark_done", "key.records.mark_done", id="actions-done"),
        Binding("f", "cycle_filter", "key.records.filter", id="actions-filter"),
        Binding("delete", "delete", "key.delete", id="actions-delete"),
        Binding("z", "trash", "key.trash", id="actions-trash"),
        BACK,
    ]

    def __init__(self, filter: str = "open", selected: str | None = None) -> None:
        super().__init__(selected)
        #: Which items the list shows: ``open``, ``done`` or ``all``.
        self.filter = filter if filter in FILTERS else "open"
        self._width = 0
        self._item_index: dict[str, tuple[Checklist, int]] | None = None
        self._everything: list[ActionItem] | None = None
        self._years: dict[str, int] | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="actions-head"):
            yield Static("", id="actions-title", markup=False)
            yield Static("", id="actions-filter", markup=False)
        yield RowTable(id="actions-table", cursor_type="row", zebra_stripes=True)
        yield DetailPanel(id="actions-detail")
        yield FittingFooter(compact=True)  # every key of the ledger fits in 80 columns

    def on_mount(self) -> None:
        """Fill the table; the keys act on the highlighted row."""
        self.query_one(DataTable).focus()
        self.reload()

    def on_resize(self) -> None:
        """Columns follow the terminal's width."""
        if self.app.size.width != self._width:
            self.reload(read=False)

    # ------------------------------------------------------------------ data

    def _visible(self, items: list[ActionItem]) -> list[ActionItem]:
        """The items the filter shows: open ones soonest due first, then done ones latest first."""
        open_items = [a for a in items if a.status != "done"]
        done = sorted(
            (a for a in items if a.status == "done"), key=lambda a: (a.done_date or "", a.created), reverse=True
        )
        return {"open": open_items, "done": done, "all": open_items + done}[self.filter]

    def reload(self, *, read: bool = True) -> None:
        """Read the items again (unless ``read`` is False: a new filter or width) and redraw,
        keeping the highlighted one when it is still shown."""
        journal = self.journal
        if read or self._everything is None:
            self._everything = journal.actions()
            self._years = None
        everything = self._everything
        self.rows = self._visible(everything)
        self._fill_table()
        open_items = [a for a in everything if a.status != "done"]
        overdue = sum(1 for a in open_items if a.is_overdue(self.today))
        tr = self.tr
        title = tr("actions.title", open=len(open_items), total=len(everything))
        if overdue:
            title += tr("actions.overdue_count", n=overdue)
        self.query_one("#actions-title", Static).update(title)
        self.query_one("#actions-filter", Static).update(
            tr("actions.filter", filter=tr(f"actions.filter_{self.filter}"))
        )
        self.show_detail()

    def _fill_table(self) -> None:
        tr = self.tr
        table = self.query_one(DataTable)
        self._width = self.app.size.width
        wide = self._width >= WIDE
        kind_w = max(cell_len(tr(f"kind.{k}")) for k in ACTION_KINDS)
        status_w = max(cell_len(tr(f"action_status.{s}")) for s in ACTION_STATUSES)
        sources = [self.source_label(a) for a in self.rows]
        source_w = min(12, max([cell_len(tr("actions.col_source")), *map(cell_len, sources)]))
        fixed = [1, 10, kind_w, status_w, source_w]
        columns = len(fixed) + (2 if wide else 1)
        # Each column has one cell of padding either side; keep two cells for the scrollbar.
        free = max(16, self._width - sum(fixed) - 2 * columns - 2)
        problem_w = free * 3 // 5 if wide else free
        table.clear(columns=True)
        table.add_column("", width=1, key="mark")
        table.add_column(tr("actions.col_problem"), width=problem_w, key="problem")
        if wide:
            table.add_column(tr("actions.col_measure"), width=free - problem_w, key="measure")
        table.add_column(tr("actions.col_due"), width=10, key="due")
        table.add_column(tr("actions.col_kind"), width=kind_w, key="kind")
        table.add_column(tr("actions.col_status"), width=status_w, key="status")
        table.add_column(tr("actions.col_source"), width=source_w, key="source")
        alert = theme_style(self.app, "text-error", bold=True)
        quiet = Style(dim=True)
        for action, source in zip(self.rows, sources):
            overdue = action.is_overdue(self.today)
            done = action.status == "done"
            if overdue:
                mark = Text(OVERDUE_MARK, style=alert)
            else:
                mark = Text(DONE_MARK if done else "", style=quiet)
            row: list[Text] = [mark, cell(action.problem, quiet if done else "")]
            if wide:
                row.append(cell(action.measure, quiet if done else ""))
            row += [
                cell(action.due or tr("actions.no_due"), alert if overdue else ("" if action.due else quiet)),
                cell(tr(f"kind.{action.kind}") if action.kind in ACTION_KINDS else action.kind),
                cell(
                    tr(f"action_status.{action.status}") if action.status in ACTION_STATUSES else action.status,
                    quiet if done else "",
                ),
                cell(source, quiet),
            ]
            table.add_row(*row, key=action.id)
        self.restore_cursor([a.id for a in self.rows])

    def open_row(self) -> None:
        """A click on a row (enter is the screen's) opens the editor."""
        self.action_edit()

    # ------------------------------------------------------------------ display

    def _checklist_items(self) -> dict[str, tuple[Checklist, int]]:
        """Item id → (checklist, 1-based number), built once."""
        if self._item_index is None:
            self._item_index = {}
            for checklist in self.app.checklists:
                for n, item in enumerate(checklist.items, start=1):
                    self._item_index.setdefault(item.id, (checklist, n))
        return self._item_index

    def _meeting_years(self) -> dict[str, int]:
        if self._years is None:
            self._years = {m.id: m.year for m in self.journal.meetings()}
        return self._years

    def _origin_label(self, action: ActionItem, long: bool) -> str | None:
        """Where an item not from a self-check was raised (a meeting, a talk, feedback), or None."""
        kind = action.origin_kind()
        if kind == "meeting":
            year = self._meeting_years().get((action.origin or {}).get("id", ""))
            key = "actions.source_meeting_long" if long else "actions.source_meeting"
            return self.tr(key, year=year) if year else self.tr("actions.source_meeting_unknown")
        if kind in ("talk", "feedback"):
            return self.tr(f"actions.source_{kind}")
        return None

    def source_label(self, action: ActionItem) -> str:
        """Short source for the table: ``自警 2`` for item 2 of 自警, ``2025年度会`` for one raised at
        a meeting, or 手动 for one added by hand."""
        origin = self._origin_label(action, long=False)
        if origin is not None:
            return origin
        item_id = (action.source or {}).get("item")
        if not item_id:
            return self.tr("actions.source_manual")
        found = self._checklist_items().get(item_id)
        if found is None:
            return item_id
        checklist, number = found
        return self.tr("actions.source_item", checklist=checklist.title_in("zh"), n=number)

    def _source_detail(self, action: ActionItem) -> str:
        """Long source for the detail panel: checklist, item, its text and the self-check's date."""
        origin = self._origin_label(action, long=True)
        if origin is not None:
            return origin
        source = action.source or {}
        item_id = source.get("item")
        if not item_id:
            return self.tr("actions.source_manual_long")
        found = self._checklist_items().get(item_id)
        when = ""
        if source.get("assessment") and self.journal is not None:
            try:
                assessment = self.journal.get(Assessment, source["assessment"])
                when = self.tr("actions.source_when", date=(assessment.completed or assessment.started)[:10])
            except NotFound:
                when = ""
        if found is None:
            return self.tr("actions.source_other", item=item_id) + when
        checklist, number = found
        item = checklist.items[number - 1]
        return (
            self.tr(
                "actions.source_long",
                checklist=checklist.title_in(self.tr.lang),
                n=number,
                prompt=item.text_in(self.tr.lang),
            )
            + when
        )

    def show_detail(self) -> None:
        action, tr = self.current, self.tr
        panel = self.query_one(DetailPanel)
        if action is None:
            panel.message(tr(f"actions.empty_{self.filter}"))
            return
        blank = muted(tr("actions.blank"))
        rows: list[tuple[str, Value]] = [
            (tr(f"actions.detail_{key}"), getattr(action, key) or blank)
            for key in ("problem", "cause", "measure", "standard")
        ]
        due = Text(action.due or tr("actions.no_due"))
        if action.is_overdue(self.today):
            due.append(" " + tr("actions.overdue_mark"), theme_style(self.app, "text-error", bold=True))
        kind = tr(f"kind.{action.kind}") if action.kind in ACTION_KINDS else action.kind
        status = tr(f"action_status.{action.status}") if action.status in ACTION_STATUSES else action.status
        due.append(f" · {kind} · {status}")
        rows.append((tr("actions.detail_due"), due))
        rows.append((tr("actions.detail_source"), self._source_detail(action)))
        progress = Text("\n").join(Text.assemble((p.date, "bold"), "  ", p.note) for p in action.progress)
        rows.append((tr("actions.detail_progress"), progress if action.progress else blank))
        if action.status == "done":
            rows.append(
                (tr("actions.detail_done"), Text.assemble((action.done_date or "", "bold"), "  ", action.done_note))
            )
        panel.show(rows)

    # ------------------------------------------------------------------ keys

    def action_new(self) -> None:
        """``n``: add an item by hand."""

        def written(action: ActionItem | None) -> None:
            if action is not None:
                self.app.save(lambda journal: journal.add_action(action), self.saved("actions.added", action.id))

        self.app.push_screen(
            ActionEditModal(None, today=self.today, source_label=self.tr("actions.source_manual_long")), written
        )

    def action_edit(self) -> None:
        """``enter``: edit every field, status, progress and 销号."""
        action = self.current
        if action is None:
            return

        def written(edited: ActionItem | None) -> None:
            if edited is not None:
                self.app.save(lambda journal: journal.update_action(edited), self.saved("actions.saved", edited.id))

        self.app.push_screen(
            ActionEditModal(action, today=self.today, source_label=self._source_detail(action)), written
        )

    def action_progress(self) -> None:
        """``p``: add a dated progress note."""
        action = self.current
        if action is None:
            return
        tr = self.tr

        def keep(day: str, note: str) -> None:
            self.app.save(lambda journal: journal.add_progress(action.id, note, day))

        def written(result: tuple[str, str] | None) -> None:
            if result is not None:
                day, note = result
                self.app.save(
                    lambda journal: journal.add_progress(action.id, note, day), self.saved("actions.progress_added")
                )

        self.app.push_screen(
            DatedNoteModal(
                tr("actions.progress_title"),
                first_line(action.problem),
                today=self.today,
                date_label=tr("action_edit.progress_date"),
                note_label=tr("actions.progress_note"),
                need_note=True,
                keep=keep,
            ),
            written,
        )

    def action_mark_done(self) -> None:
        """``x``: 销号 — mark the item done with a date and a note."""
        action = self.current
        if action is None:
            return
        tr = self.tr
        if action.status == "done":
            self.notify(tr("actions.already_done", date=action.done_date or ""))
            return

        def keep(day: str, note: str) -> None:
            self.app.save(lambda journal: journal.mark_done(action.id, note, day))

        def written(result: tuple[str, str] | None) -> None:
            if result is not None:
                day, note = result
                self.app.save(
                    lambda journal: journal.mark_done(action.id, note, day), self.saved("actions.marked_done")
                )

        self.app.push_screen(
            DatedNoteModal(
                tr("actions.done_title"),
                first_line(action.problem),
                today=self.today,
                date_label=tr("action_edit.done_date"),
                note_label=tr("action_edit.done_note"),
                need_note=False,
                keep=keep,
            ),
            written,
        )

    def action_cycle_filter(self) -> None:
        """``f``: open → done → all."""
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        self.reload(read=False)

    def action_delete(self) -> None:
        """``delete``: ask, then move the item to the trash (it can be restored)."""
        action = self.current
        if action is None:
            return

        def decided(yes: bool | None) -> None:
            if yes:
                self.app.save(lambda journal: journal.delete(ActionItem, action.id), self.saved("actions.deleted"))

        detail = first_line(action.problem) + "\n" + self.tr("actions.delete_detail")
        self.app.push_screen(ConfirmModal(self.tr("actions.delete_question"), detail), decided)

    def action_trash(self) -> None:
        """``z``: deleted items, to bring one back."""
        from .modals.trash import TrashModal

        def restored(record_id: str | None) -> None:
            if record_id:
                self.selected = record_id
                self.filter = "all"  # the restored item shows whatever its status
                self.reload()

        self.app.push_screen(TrashModal(ActionItem.TABLE), restored)

    def rebuild(self) -> ActionsScreen:
        """The same list, same filter and item, after a language switch."""
        return ActionsScreen(self.filter, self.selected)
