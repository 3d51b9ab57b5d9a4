"""谈心谈话 notes: the user's own record of heart-to-heart talks, newest first (仅本人可见).

The other person is named by role only. The standing notice asks for nothing classified or
sensitive (涉密不上网，上网不涉密).
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ..store.models import TalkNote
from ..widgets.cells import cell, first_line
from ..widgets.fields import DetailPanel, Value, muted
from ..widgets.footer import FittingFooter
from ..widgets.rowtable import RowTable
from .lists import BACK, RecordListScreen
from .modals.confirm import ConfirmModal
from .modals.talk import TalkModal


class TalksScreen(RecordListScreen[TalkNote]):
    """The list of talk notes: ``n`` new, ``enter`` edit, ``delete`` to the trash, ``z`` restore."""

    BINDINGS = [
        Binding("n", "new", "key.new", id="talks-new"),
        Binding("enter", "edit", "key.edit", id="talks-edit", priority=True),
        Binding("delete", "delete", "key.delete", id="talks-delete"),
        Binding("z", "trash", "key.trash", id="talks-trash"),
        BACK,
    ]

    def compose(self) -> ComposeResult:
        yield Static(self.tr("talks.title"), id="talks-title", markup=False)
        yield Static(self.tr("notice.classified"), classes="notice", id="talks-notice", markup=False)
        yield RowTable(id="talks-table", cursor_type="row", zebra_stripes=True)
        yield DetailPanel(id="talks-detail")
        yield FittingFooter()

    def on_mount(self) -> None:
        """Fill the list."""
        self.query_one(DataTable).focus()
        self.reload()

    def reload(self) -> None:
        """Read the records again and redraw, keeping the highlighted one."""
        journal = self.journal
        tr = self.tr
        self.rows = journal.talks()
        self.query_one("#talks-title", Static).update(tr("talks.title_count", n=len(self.rows)))
        table = self.query_one(DataTable)
        table.clear(columns=True)
        kind_w = min(16, max([cell_len(tr("talks.col_kind")), *(cell_len(first_line(t.kind)) for t in self.rows)]))
        role_w = min(
            14, max([cell_len(tr("talks.col_role")), *(cell_len(first_line(t.counterpart_role)) for t in self.rows)])
        )
        topic_w = max(12, self.app.size.width - 10 - kind_w - role_w - 4 * 2 - 4)  # screen padding and scrollbar
        table.add_column(tr("talks.col_date"), width=10, key="date")
        table.add_column(tr("talks.col_kind"), width=kind_w, key="kind")
        table.add_column(tr("talks.col_role"), width=role_w, key="role")
        table.add_column(tr("talks.col_topic"), width=topic_w, key="topic")
        for talk in self.rows:
            table.add_row(cell(talk.date), cell(talk.kind), cell(talk.counterpart_role), cell(talk.topic), key=talk.id)
        self.restore_cursor([t.id for t in self.rows])
        self.show_detail()

    def open_row(self) -> None:
        """A click on a row opens the editor."""
        self.action_edit()

    def show_detail(self) -> None:
        tr, talk = self.tr, self.current
        panel = self.query_one(DetailPanel)
        if talk is None:
            panel.message(tr("talks.empty"))
            return
        blank = muted(tr("actions.blank"))
        rows: list[tuple[str, Value]] = [
            (tr("talks.detail_talk"), " · ".join(x for x in (talk.date, talk.kind, talk.counterpart_role) if x))
        ]
        rows += [
            (tr(f"talks.detail_{key}"), getattr(talk, key) or blank) for key in ("topic", "heard", "said", "followups")
        ]
        panel.show(rows)

    # ------------------------------------------------------------------ keys

    def _used_kinds(self) -> list[str]:
        kinds: list[str] = []
        for talk in self.rows:
            if talk.kind and talk.kind not in kinds:
                kinds.append(talk.kind)
        return kinds

    def action_new(self) -> None:
        """``n``: a new record, dated today."""

        def written(talk: TalkNote | None) -> None:
            if talk is not None:
                self.app.save(lambda journal: journal.add_talk(talk), self.saved("talks.added", talk.id))

        self.app.push_screen(TalkModal(None, today=self.today, used_kinds=self._used_kinds()), written)

    def action_edit(self) -> None:
        """``enter``: edit the highlighted record."""
        talk = self.current
        if talk is None:
            return

        def written(edited: TalkNote | None) -> None:
            if edited is not None:
                self.app.save(lambda journal: journal.update_talk(edited), self.saved("talks.saved", edited.id))

        self.app.push_screen(TalkModal(talk, today=self.today, used_kinds=self._used_kinds()), written)

    def action_delete(self) -> None:
        """``delete``: ask, then move the record to the trash (it can be restored)."""
        talk = self.current
        if talk is None:
            return

        def decided(yes: bool | None) -> None:
            if yes:
                self.app.save(lambda journal: journal.delete(TalkNote, talk.id), self.saved("talks.deleted"))

        detail = f"{talk.date}  {first_line(talk.topic)}\n" + self.tr("actions.delete_detail")
        self.app.push_screen(ConfirmModal(self.tr("talks.delete_question"), detail), decided)

    def action_trash(self) -> None:
        """``z``: deleted talk notes, to bring one back."""
        from .modals.trash import TrashModal

        def restored(record_id: str | None) -> None:
            if record_id:
                self.selected = record_id
                self.reload()

        self.app.push_screen(TrashModal(TalkNote.TABLE), restored)

    def rebuild(self) -> TalksScreen:
        """The same list after a language switch."""
        return TalksScreen(self.selected)
