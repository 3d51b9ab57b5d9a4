"""The full editor of a rectification item (整改清单): every column of domain notes §4.5 that the
user writes, its status, a new dated progress note (进展情况) and 销号 with a date and a note."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Label, RadioButton, RadioSet, Static, TextArea

from ...store.models import ACTION_KINDS, ACTION_STATUSES, ActionItem, ProgressNote, parse_date
from .editor import RecordEditor
from .form import FormScroll, fit_label_column

#: Where a new item may say it was raised (DESIGN.md §5); meetings and self-checks raise their own.
NEW_ORIGINS = ("manual", "feedback", "talk")

#: The text fields, in the order shown, with their catalog labels.
TEXT_FIELDS = (
    ("problem", "action_edit.problem"),
    ("cause", "action_edit.cause"),
    ("measure", "action_edit.measure"),
    ("standard", "action_edit.standard"),
)


class ActionEditModal(RecordEditor):
    """Edit ``action`` (or a new one when None); dismisses with the edited copy, or None.

    Nothing is saved here: the screen that opened the dialog saves what it dismisses with, so a
    cancelled edit leaves the journal untouched. ``today`` (YYYY-MM-DD) fills the date fields.
    """

    #: None here: on_mount chooses the first field. Textual's choice, made before the layout,
    #: "scrolled it into view" and hid the item's context above the problem field.
    AUTO_FOCUS = ""

    def __init__(self, action: ActionItem | None, *, today: str, source_label: str = "") -> None:
        super().__init__()
        #: The item as it was; None for a new one.
        self.original = action
        self.action = action or ActionItem()
        self.today = today
        self.source_label = source_label

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        tr = self.tr
        with Vertical(classes="dialog", id="action-edit"):
            title = tr("action_edit.title_new") if self.original is None else tr("action_edit.title_edit")
            yield Static(title, classes="dialog-title", markup=False)
            with FormScroll(classes="form"):
                yield from self._form()
            yield Static("", id="message", classes="error-line", markup=False)
            yield Static(self.keys_hint("action_edit.keys"), classes="dialog-keys", markup=False)

    def _form(self) -> ComposeResult:
        tr, action = self.tr, self.action
        if self.source_label:
            yield Static(self.source_label, classes="muted", markup=False)
        if self.original is None:
            # Where a new item was raised (an item from a self-check or a meeting says so itself).
            yield Label(tr("action_edit.origin"), classes="field-label")
            with RadioSet(id="origin", classes="choices"):
                for kind in NEW_ORIGINS:
                    yield RadioButton(tr(f"action_edit.origin_{kind}"), value=kind == "manual", id=f"origin-{kind}")
        for name, label in TEXT_FIELDS:
            yield Label(tr(label), classes="field-label")
            yield TextArea(getattr(action, name), id=name, soft_wrap=True, show_line_numbers=False)
        with Horizontal(classes="field-row"):
            yield Label(tr("action_edit.due"), classes="field-label")
            yield Input(action.due or "", id="due", compact=True, placeholder="YYYY-MM-DD", max_length=10)
        yield Label(tr("action_edit.kind"), classes="field-label")
        with RadioSet(id="kind", classes="choices"):
            for kind in ACTION_KINDS:
                yield RadioButton(tr(f"kind.{kind}"), value=action.kind == kind, id=f"kind-{kind}")
        yield Label(tr("action_edit.status"), classes="field-label")
        with RadioSet(id="status", classes="choices"):
            for status in ACTION_STATUSES:
                yield RadioButton(tr(f"action_status.{status}"), value=action.status == status, id=f"status-{status}")
        yield Label(tr("action_edit.progress"), classes="field-label")
        yield Static(self._progress_content(), id="progress-list")
        with Horizontal(classes="field-row"):
            yield Label(tr("action_edit.progress_date"), classes="field-label")
            yield Input(self.today, id="progress-date", compact=True, placeholder="YYYY-MM-DD", max_length=10)
        yield TextArea(
            "",
            id="progress-note",
            soft_wrap=True,
            show_line_numbers=False,
            placeholder=tr("action_edit.progress_placeholder"),
        )
        with Vertical(id="done-fields"):
            with Horizontal(classes="field-row"):
                yield Label(tr("action_edit.done_date"), classes="field-label")
                yield Input(
                    action.done_date or self.today,
                    id="done-date",
                    compact=True,
                    placeholder="YYYY-MM-DD",
                    max_length=10,
                )
            yield Label(tr("action_edit.done_note"), classes="field-label")
            yield TextArea(action.done_note, id="done-note", soft_wrap=True, show_line_numbers=False)

    def on_mount(self) -> None:
        """Start in the problem field; 销号 fields only when the status is 已完成."""
        fit_label_column(self)  # every label keeps a gap before its field, in any language
        self.query_one("#problem", TextArea).focus(scroll_visible=False)  # near the top: no scrolling
        self._show_done_fields()
        self._initial = self._snapshot()

    def _progress_content(self) -> Content:
        """The progress notes so far, oldest first, as the user wrote them."""
        if not self.action.progress:
            return Content.styled(self.tr("action_edit.no_progress"), "$text-muted")
        return Content("\n").join(Content.assemble((p.date, "bold"), "  ", p.note) for p in self.action.progress)

    # ------------------------------------------------------------------ state

    def _text(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", TextArea).text

    def _input(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def _chosen(self, set_id: str, prefix: str, default: str) -> str:
        pressed = self.query_one(f"#{set_id}", RadioSet).pressed_button
        return pressed.id.removeprefix(prefix) if pressed is not None and pressed.id else default

    @property
    def status(self) -> str:
        """The status chosen in the dialog."""
        return self._chosen("status", "status-", self.action.status)

    def _snapshot(self) -> tuple:
        """Everything the user can change, to tell whether anything was."""
        texts = tuple(self._text(name) for name, _ in TEXT_FIELDS)
        return (
            *texts,
            self._origin(),
            self._input("due"),
            self._chosen("kind", "kind-", self.action.kind),
            self.status,
            self._text("progress-note"),
            self._input("done-date"),
            self._text("done-note"),
        )

    @on(RadioSet.Changed, "#status")
    def _show_done_fields(self) -> None:
        self.query_one("#done-fields").display = self.status == "done"

    def edited(self, *, strict: bool = True) -> ActionItem:
        """The item as the dialog shows it now.

        Raises ``ValueError(widget_id, message)`` for the first invalid field when ``strict``;
        otherwise (saving before an auto-lock) a bad date keeps the stored one.
        """
        texts = {name: self._text(name).strip() for name, _ in TEXT_FIELDS}
        if strict and not texts["problem"]:
            raise ValueError("problem", self.tr("action.need_problem"))
        due = self._date("due", self.action.due, strict=strict, required=False)
        status = self.status
        progress = list(self.action.progress)
        note = self._text("progress-note").strip()
        if note:
            day = self._date("progress-date", self.today, strict=strict, required=True)
            progress.append(ProgressNote(day or self.today, note))
            if status == "not_started" and status == self.action.status:
                status = "in_progress"  # as journal.add_progress does
        done_date = None
        if status == "done":
            done_date = self._date("done-date", self.action.done_date or self.today, strict=strict, required=True)
        return replace(
            self.action,
            **cast(dict[str, Any], texts),
            due=due,
            kind=self._chosen("kind", "kind-", self.action.kind),
            status=status,
            progress=progress,
            done_date=done_date,
            # A 销号 note is kept even if the item is reopened: the user's words are never dropped.
            done_note=self._text("done-note").strip(),
            source=dict(self.action.source) if self.action.source else None,
            origin=self._origin(),
        )

    def _origin(self) -> dict[str, str] | None:
        if self.original is not None:
            return dict(self.action.origin) if self.action.origin else None
        return {"kind": self._chosen("origin", "origin-", "manual")}

    def _date(self, widget_id: str, fallback: str | None, *, strict: bool, required: bool) -> str | None:
        value = self._input(widget_id)
        if not value:
            if required:
                return fallback or self.today
            return None
        try:
            return parse_date(value)
        except ValueError:
            if strict:
                raise ValueError(widget_id, self.tr("error.bad_date", value=value)) from None
            return fallback

    # ------------------------------------------------------------------ keys

    @on(Input.Submitted)
    def _submitted(self) -> None:
        """Enter in a date field saves, as in the other dialogs."""
        self.action_save()

    def keep_draft(self) -> None:
        """Auto-lock while editing: keep what was typed (if there is a problem to keep)."""
        if not self.changed():
            return
        item = self.edited(strict=False)
        if not item.problem:
            return
        if self.original is None:
            self.app.save(lambda journal: journal.add_action(item))
        else:
            self.app.save(lambda journal: journal.update_action(item))
        self.app.kept_drafts.append((item.problem or "").splitlines()[0] if item.problem else self.tr("drafts.untitled"))
