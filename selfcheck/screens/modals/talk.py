"""The editor of a 谈心谈话 record (domain notes §4.4): the user's own notes of a talk.

The other person is recorded by role (支部书记, 同支部党员A …), never required by name.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static, TextArea

from ...store.models import TalkNote, parse_date
from .editor import RecordEditor
from .form import FormScroll, fit_label_column

#: The kinds of talk of domain notes §4.4, as catalog keys (stored as the text the user saw).
TALK_KINDS = ("before_meeting", "daily", "reminder", "appointment", "other")
#: The single-line fields and the notes, in the order shown.
LINE_FIELDS = ("place", "counterpart_role", "topic")
NOTE_FIELDS = ("heard", "said", "followups")


class TalkModal(RecordEditor):
    """Edit ``talk`` (or a new one when None); dismisses with the edited copy, or None.

    ``used_kinds`` are kinds recorded before (offered beside the standard ones). Nothing is saved
    here; the screen that opened the dialog saves what it dismisses with.
    """

    def __init__(self, talk: TalkNote | None, *, today: str, used_kinds: list[str] | None = None) -> None:
        super().__init__()
        #: The record as it was; None for a new one.
        self.original = talk
        self.talk = talk or TalkNote(date=today)
        self.today = today
        self.used_kinds = list(used_kinds or [])

    def _kind_options(self) -> list[tuple[str, str]]:
        """Standard kinds in the user's language, then the ones used before, then the current one."""
        kinds: list[str] = [self.tr(f"talk_kind.{k}") for k in TALK_KINDS]
        for kind in [*self.used_kinds, self.talk.kind]:
            if kind and kind not in kinds:
                kinds.append(kind)
        return [(k, k) for k in kinds]

    def compose(self) -> ComposeResult:
        tr, talk = self.tr, self.talk
        with Vertical(classes="dialog", id="talk-edit"):
            title = tr("talk.title_new") if self.original is None else tr("talk.title_edit")
            yield Static(title, classes="dialog-title", markup=False)
            with FormScroll(classes="form"):
                yield Static(tr("notice.classified"), classes="notice", markup=False)
                with Horizontal(classes="field-row"):
                    yield Label(tr("talk.date"), classes="field-label")
                    yield Input(talk.date, id="date", compact=True, placeholder="YYYY-MM-DD", max_length=10)
                with Horizontal(classes="field-row"):
                    yield Label(tr("talk.place"), classes="field-label")
                    yield Input(talk.place, id="place", compact=True, placeholder=tr("talk.place_placeholder"))
                with Horizontal(classes="field-row"):
                    yield Label(tr("talk.kind"), classes="field-label")
                    yield Select(
                        self._kind_options(),
                        prompt=tr("talk.kind_prompt"),
                        value=talk.kind or Select.NULL,
                        id="kind",
                        compact=True,
                    )
                with Horizontal(classes="field-row"):
                    yield Label(tr("talk.counterpart_role"), classes="field-label")
                    yield Input(
                        talk.counterpart_role,
                        id="counterpart_role",
                        compact=True,
                        placeholder=tr("talk.role_placeholder"),
                    )
                with Horizontal(classes="field-row"):
                    yield Label(tr("talk.topic"), classes="field-label")
                    yield Input(talk.topic, id="topic", compact=True)
                for name in NOTE_FIELDS:
                    yield Label(tr(f"talk.{name}"), classes="field-label")
                    yield TextArea(getattr(talk, name), id=name, soft_wrap=True, show_line_numbers=False)
            yield Static("", id="message", classes="error-line", markup=False)
            yield Static(self.keys_hint("talk.keys"), classes="dialog-keys", markup=False)

    def on_mount(self) -> None:
        """Start at the date (new) or the notes of what was heard (editing)."""
        fit_label_column(self)  # every label keeps a gap before its field, in any language
        (self.query_one("#date", Input) if self.original is None else self.query_one("#heard", TextArea)).focus()
        self._initial = self._snapshot()

    # ------------------------------------------------------------------ state

    def _kind(self) -> str:
        value = self.query_one("#kind", Select).value
        return "" if value is Select.NULL else str(value)

    def _snapshot(self) -> tuple:
        return (
            self.query_one("#date", Input).value.strip(),
            self._kind(),
            *(self.query_one(f"#{name}", Input).value for name in LINE_FIELDS),
            *(self.query_one(f"#{name}", TextArea).text for name in NOTE_FIELDS),
        )

    def edited(self, *, strict: bool = True) -> TalkNote:
        """The record as the dialog shows it now; raises ``ValueError(widget_id, message)`` when
        ``strict`` and a field is invalid (before an auto-lock a bad date keeps the stored one)."""
        day = self.query_one("#date", Input).value.strip()
        try:
            day = parse_date(day) if day else self.talk.date
        except ValueError:
            if strict:
                raise ValueError("date", self.tr("error.bad_date", value=day)) from None
            day = self.talk.date
        fields = {name: self.query_one(f"#{name}", Input).value.strip() for name in LINE_FIELDS}
        fields.update({name: self.query_one(f"#{name}", TextArea).text.strip() for name in NOTE_FIELDS})
        if strict and not (fields["topic"] or any(fields[name] for name in NOTE_FIELDS)):
            raise ValueError("topic", self.tr("talk.need_something"))
        return replace(self.talk, date=day, kind=self._kind(), **cast(dict[str, Any], fields))

    # ------------------------------------------------------------------ keys

    @on(Input.Submitted)
    def _next_field(self) -> None:
        """Enter in a one-line field moves on, as tab does."""
        self.focus_next()

    def keep_draft(self) -> None:
        """Auto-lock while editing: keep what was typed."""
        if not self.changed():
            return
        talk = self.edited(strict=False)
        if self.original is None:
            self.app.save(lambda journal: journal.add_talk(talk))
        else:
            self.app.save(lambda journal: journal.update_talk(talk))
        self.app.kept_drafts.append((talk.topic or "").splitlines()[0] if talk.topic else self.tr("drafts.untitled"))
