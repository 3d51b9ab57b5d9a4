"""The self-check walk-through: one item at a time, answered by digit, saved at once."""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import ProgressBar, Static, TextArea

from ..analysis.review import answer_for, answered
from ..checklists import ANSWER_OPTIONS, answer_label, is_concern
from ..store.models import ActionItem, Answer, Assessment, now_iso
from ..widgets.footer import FittingFooter
from .base import AppScreen
from .modals.action import ActionModal
from .modals.confirm import ConfirmModal
from .modals.note import NoteModal

if TYPE_CHECKING:
    from ..checklists import Checklist, ChecklistItem
    from ..store.journal import Journal


class ChecklistScreen(AppScreen):
    """Walk through one or more checklists (``queue`` of ids); drafts resume where they stopped."""

    BINDINGS = [
        *[
            Binding(str(n), f"answer({n})", "key.answer", show=n == 1, key_display="1-5" if n == 1 else None, id=f"answer-{n}")
            for n in range(1, 6)
        ],
        Binding("enter,right", "next", "key.next", id="next"),
        Binding("left", "previous", "key.previous", id="previous"),
        Binding("n", "note", "key.note", id="note"),
        Binding("t", "add_action", "key.action", id="action"),
        Binding("escape", "leave", "key.back", id="back"),
    ]

    def __init__(self, queue: list[str], *, done: list[str] | None = None, position: int | None = None) -> None:
        super().__init__()
        self.queue = list(queue)
        #: Ids of self-checks finished in this run, for the summary.
        self.done = list(done or [])
        self.start_position = position
        self.checklist: Checklist
        self.assessment: Assessment
        self.position = 0
        self.created_actions: int = 0

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="walk"):
            with Horizontal(id="walk-head"):
                yield Static("", id="walk-title", markup=False)
                yield Static("", id="walk-count", markup=False)
            yield ProgressBar(id="progress", show_eta=False, show_percentage=False)
            yield Static("", id="item-text", markup=False)
            yield Static("", id="item-hint", markup=False)
            yield Static("", id="options")
            yield Static("", id="item-note", markup=False)
            yield Static("", id="item-offer", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        """Open the first checklist of the queue."""
        self.load(self.queue[0], self.start_position)

    # ------------------------------------------------------------------ state

    def load(self, checklist_id: str, position: int | None = None) -> None:
        """Resume the draft of ``checklist_id`` or start a new one (saved with the first answer)."""
        journal = self.journal
        checklist = self.app.checklist(checklist_id)
        assert checklist is not None, checklist_id
        self.checklist = checklist
        drafts = journal.assessments(checklist_id, drafts=True)
        if drafts:
            self.assessment = drafts[0]
        else:
            self.assessment = Assessment(
                checklist_id=checklist.id,
                checklist_version=checklist.version,
                period_label=self.app.today().strftime("%Y-%m"),
            )
        if position is None:
            position = next(
                (i for i, item in enumerate(checklist.items) if not self._answer_value(item.id)), 0
            )
        self.position = min(position, len(checklist.items) - 1)
        self.show()

    @property
    def item(self) -> ChecklistItem:
        """The item on screen."""
        return self.checklist.items[self.position]

    def _answer_value(self, item_id: str) -> str | int | None:
        answer = answer_for(self.assessment, item_id)
        return answer.answer if answer else None

    def _answer(self, item_id: str) -> Answer:
        """The answer record for ``item_id``, created (empty) if needed."""
        answer = answer_for(self.assessment, item_id)
        if answer is None:
            answer = Answer(item_id=item_id, prompt=self.item.text_in(self.tr.lang))
            self.assessment.answers.append(answer)
        return answer

    def _persist(self, on_done: Callable[[object], None] | None = None) -> None:
        """Save the whole self-check as it is now (the save thread keeps the order)."""
        self.assessment.updated = now_iso()
        snapshot = copy.deepcopy(self.assessment)
        self.app.save(lambda journal: journal.save_assessment(snapshot), on_done)

    # ------------------------------------------------------------------ display

    def show(self, offer: bool = False) -> None:
        """Render the current item."""
        tr, lang, item = self.tr, self.tr.lang, self.item
        total = len(self.checklist.items)
        title = self.checklist.title_in(lang)
        prefix = tr("walk.queue", n=len(self.done) + 1, total=len(self.done) + len(self.queue)) if len(self.queue) + len(self.done) > 1 else ""
        self.query_one("#walk-title", Static).update(prefix + tr("walk.title", checklist=title))
        self.query_one("#walk-count", Static).update(tr("walk.count", n=self.position + 1, total=total))
        self.query_one(ProgressBar).update(total=total, progress=answered(self.assessment))
        self.query_one("#item-text", Static).update(item.text_in(lang))
        hint = item.hint_in(lang)
        self.query_one("#item-hint", Static).update(tr("walk.hint", hint=hint) if hint else "")
        self.query_one("#options", Static).update(self._options_content())
        answer = answer_for(self.assessment, item.id)
        note = answer.note if answer else ""
        self.query_one("#item-note", Static).update(tr("walk.note", note=note) if note else tr("walk.no_note"))
        self.query_one("#item-offer", Static).update(tr("walk.offer") if offer else "")

    def _options_content(self) -> Content:
        """The answer options with their digits; the chosen one stands out."""
        chosen = self._answer_value(self.item.id)
        parts: list[Content | str | tuple[str, str]] = []
        for n, value in enumerate(ANSWER_OPTIONS[self.item.type], start=1):
            label = f" {n} {self._label(value)} " if isinstance(value, str) else f" {self._label(value)} "
            parts.append((label, "bold reverse") if value == chosen else (label, ""))
            parts.append("  ")
        return Content.assemble(*parts)

    def _label(self, value: str | int) -> str:
        return answer_label(self.item.type, value, self.tr.lang)

    # ------------------------------------------------------------------ actions

    def action_answer(self, number: int) -> None:
        """Choose the answer shown as ``number``; saved at once."""
        options = ANSWER_OPTIONS[self.item.type]
        if not 1 <= number <= len(options):
            # 5 on a 是/否 item: say which keys answer it rather than do nothing without a word.
            self.notify(self.tr("walk.no_such_answer", n=number, last=len(options)), severity="warning", timeout=4)
            return
        value = options[number - 1]
        self._answer(self.item.id).answer = value
        self._persist()
        self.show(offer=is_concern(self.item.type, value))

    def action_next(self) -> None:
        """Next item; after the last one, finish."""
        if self.position < len(self.checklist.items) - 1:
            self.position += 1
            self.show()
            return
        missing = [i for i, item in enumerate(self.checklist.items) if self._answer_value(item.id) is None]
        if not missing:
            self.finish()
            return

        def decided(finish: bool | None) -> None:
            if finish:
                self.finish()
            else:
                self.position = missing[0]
                self.show()

        self.app.push_screen(ConfirmModal(self.tr("walk.unanswered", n=len(missing))), decided)

    def action_previous(self) -> None:
        """Previous item."""
        if self.position > 0:
            self.position -= 1
            self.show()

    def action_note(self) -> None:
        """Write or edit a private note on this item."""
        answer = answer_for(self.assessment, self.item.id)
        context = self.item.text_in(self.tr.lang)
        self.app.push_screen(NoteModal(context, answer.note if answer else ""), self._note_written)

    def _note_written(self, text: str | None) -> None:
        if text is None:
            return
        answer = self._answer(self.item.id)
        if text != answer.note:
            answer.note = text
            self._persist()
        self.show()

    def action_add_action(self) -> None:
        """Offer a rectification item for this item (never required)."""
        context = self.item.text_in(self.tr.lang)
        source = {"assessment": self.assessment.id, "item": self.item.id}
        self.app.push_screen(ActionModal(context, source), self._action_written)

    def _action_written(self, action: ActionItem | None) -> None:
        if action is None:
            return
        if not self.assessment.answers:
            self._persist()  # the item's source must exist
        self.app.save(lambda journal: journal.add_action(action))
        self.created_actions += 1
        self.notify(self.tr("walk.action_added"))
        self.show()

    def finish(self) -> None:
        """Complete this self-check; go on to the next in the queue or to the summary."""
        self.assessment.completed = now_iso()
        self.done.append(self.assessment.id)
        self.queue.pop(0)
        if self.queue:
            self._persist()
            self.load(self.queue[0])
            return
        # The summary reads what was saved: show it once the save has landed (never wait here).
        self._persist(on_done=self._show_summary)

    def _show_summary(self, _saved: object) -> None:
        from .summary import SummaryScreen

        self.app.switch_screen(SummaryScreen(self.done))

    def action_leave(self) -> None:
        """Back to Home; the draft is kept and resumes next time."""
        if self.assessment.answers:
            self.notify(self.tr("walk.draft_kept"))
        self.app.pop_screen()

    # ------------------------------------------------------------------ lock, language

    def keep_draft(self) -> None:
        """Keep what an open note or rectification dialog holds before the data is dropped."""
        for screen in self.app.screen_stack:
            if isinstance(screen, NoteModal):
                answer = self._answer(self.item.id)
                text = screen.query_one(TextArea).text
                if text != answer.note:
                    answer.note = text
                    self._persist()
                    self.app.kept_drafts.append(self.tr("walk.note_kept"))
            elif isinstance(screen, ActionModal):
                item = screen.draft()
                if item is not None:
                    if not self.assessment.answers:
                        self._persist()  # the item's source must exist
                    self.app.save(partial(_add_action, item=item))
                    self.app.kept_drafts.append(item.problem.splitlines()[0])

    def rebuild(self) -> ChecklistScreen:
        """The same walk-through, same item, after a language switch."""
        return ChecklistScreen(self.queue, done=self.done, position=self.position)


def _add_action(journal: Journal, *, item: ActionItem) -> ActionItem:
    """Save a rectification item (bound early: a closure in a loop would see the last item)."""
    return journal.add_action(item)
