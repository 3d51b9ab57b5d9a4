"""Add a rectification item (整改措施) from a checklist item — offered, never forced."""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, RadioButton, RadioSet, Static, TextArea

from ...store.models import ActionItem, parse_date
from .editor import RecordEditor
from .form import FormScroll, fit_label_column


class ActionModal(RecordEditor):
    """Problem, measure, due date and kind; dismisses with an :class:`ActionItem` or None.

    The problem field starts empty: the user states the problem in their own words.
    """

    def __init__(self, context: str, source: dict[str, str] | None = None) -> None:
        super().__init__()
        self.context = context
        self.source = source
        #: The new item's id, fixed once: a draft kept twice (lock, then quit) stays one item.
        self.new = ActionItem()

    def compose(self) -> ComposeResult:
        tr = self.tr
        with FormScroll(classes="dialog"):
            yield Static(tr("action.title"), classes="dialog-title", markup=False)
            yield Static(self.context, classes="muted", markup=False)
            yield Label(tr("action.problem"), classes="field-label")
            yield TextArea(id="problem", soft_wrap=True, show_line_numbers=False)
            yield Label(tr("action.measure"), classes="field-label")
            yield TextArea(id="measure", soft_wrap=True, show_line_numbers=False)
            with Horizontal(classes="field-row"):
                yield Label(tr("action.due"), classes="field-label")
                yield Input(id="due", compact=True, placeholder="YYYY-MM-DD", max_length=10)
            with RadioSet(id="kind"):
                yield RadioButton(tr("kind.immediate"), value=True, id="immediate")
                yield RadioButton(tr("kind.ongoing"), id="ongoing")
            yield Static("", id="message", classes="error-line", markup=False)
            yield Static(self.keys_hint("action.keys"), classes="dialog-keys", markup=False)

    def on_mount(self) -> None:
        """Start in the problem field."""
        fit_label_column(self)  # every label keeps a gap before its field, in any language
        self.query_one("#problem", TextArea).focus()
        self._initial = self._snapshot()

    def _fields(self) -> tuple[str, str, str]:
        return (
            self.query_one("#problem", TextArea).text.strip(),
            self.query_one("#measure", TextArea).text.strip(),
            self.query_one("#due", Input).value.strip(),
        )

    def _kind(self) -> str:
        pressed = self.query_one("#kind", RadioSet).pressed_button
        return pressed.id if pressed is not None and pressed.id else "immediate"

    def _snapshot(self) -> tuple:
        return (*self._fields(), self._kind())

    def edited(self, *, strict: bool = True) -> ActionItem:
        """The item as typed. ``strict=False`` (a lock or quit with the dialog open): a due date
        that does not parse is left out, nothing else is."""
        problem, measure, due = self._fields()
        if strict and not problem:
            raise ValueError("problem", self.tr("action.need_problem"))
        try:
            day = parse_date(due) if due else None
        except ValueError:
            if strict:
                raise ValueError("due", self.tr("error.bad_date", value=due)) from None
            day = None
        return replace(self.new, problem=problem, measure=measure, due=day, kind=self._kind(), source=self.source)

    def draft(self) -> ActionItem | None:
        """What :meth:`edited` keeps on a lock, or None when no problem was written."""
        item = self.edited(strict=False)
        return item if item.problem else None

    @on(Input.Submitted, "#due")
    def submitted(self) -> None:
        """Enter in the date field saves."""
        self.action_save()
