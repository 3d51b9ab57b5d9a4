"""Add or edit one study diary entry.

The excerpt (摘抄) is marked as source text; the notes (心得体会) are the user's own words. Leaving
with unsaved changes asks first, so nothing is lost by one wrong key.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static, TextArea

from ..analysis.study import StudyIndex
from ..store.models import StudyEntry, clean_text, now_iso, parse_date
from ..widgets.footer import FittingFooter
from .base import AppScreen
from .modals.confirm import SaveChangesModal

#: Forms offered before the user has any of their own (学习形式).
DEFAULT_FORMS = ("个人自学", "集中学习", "专题党课", "线上学习", "研讨交流", "读书班", "主题党日")


class EntryScreen(AppScreen[str | None]):
    """Dismisses with the saved entry's id, or None when nothing was saved."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="save", priority=True),
        Binding("escape", "leave", "key.back", id="back"),
    ]

    def __init__(self, entry: StudyEntry | None, index: StudyIndex | None = None, *, new: StudyEntry | None = None) -> None:
        """``entry`` to edit, or None for a new one; ``new``: the new entry's id and creation
        time, carried over a language switch (a new entry saved twice stays one entry)."""
        super().__init__()
        self.entry = entry
        self.index = index
        self.new = new or StudyEntry()

    def compose(self) -> ComposeResult:
        tr = self.tr
        e = self.entry or StudyEntry(date=self.app.today().isoformat())
        forms = list(dict.fromkeys((self.index.forms() if self.index else []) + list(DEFAULT_FORMS)))
        tags = self.index.tags() if self.index else []
        with VerticalScroll(id="entry-form"):
            yield Static(tr("entry.title_new" if self.entry is None else "entry.title_edit"), classes="section-title", markup=False)
            yield Static(tr("notice.classified_line"), classes="notice-line", markup=False)
            with Horizontal(classes="field-row"):
                yield Label(tr("entry.date"), classes="field-label")
                yield Input(e.date, id="date", compact=True, max_length=10, placeholder="YYYY-MM-DD")
                yield Label(tr("entry.minutes"), classes="field-label short")
                # Empty is fine (0 minutes): not marked as invalid.
                yield Input(str(e.minutes or ""), id="minutes", compact=True, type="integer", max_length=4, valid_empty=True)
            with Horizontal(classes="field-row"):
                yield Label(tr("entry.title"), classes="field-label")
                yield Input(e.title, id="title", compact=True, placeholder=tr("entry.title_hint"))
            with Horizontal(classes="field-row"):
                yield Label(tr("entry.source"), classes="field-label")
                yield Input(e.source, id="source", compact=True, placeholder=tr("entry.source_hint"))
            with Horizontal(classes="field-row"):
                yield Label(tr("entry.form"), classes="field-label")
                yield Input(e.form, id="form", compact=True, suggester=SuggestFromList(forms), placeholder=tr("entry.form_hint", example=forms[0]))
            with Horizontal(classes="field-row"):
                yield Label(tr("entry.tags"), classes="field-label")
                yield Input(" ".join(e.tags), id="tags", compact=True, suggester=_TagSuggester(tags),
                            placeholder=tr("entry.tags_hint"))
            yield Label(tr("entry.excerpt"), classes="area-label")
            yield TextArea(e.excerpt, id="excerpt", soft_wrap=True, show_line_numbers=False)
            yield Label(tr("entry.notes"), classes="area-label")
            yield TextArea(e.notes, id="notes", soft_wrap=True, show_line_numbers=False)
            yield Static("", id="message", classes="error-line", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        """Start in the title for a new entry, else where the text is."""
        self.query_one("#title" if self.entry is None else "#notes").focus()
        self._original = self._values()

    def _values(self) -> dict[str, str]:
        values = {name: self.query_one(f"#{name}", Input).value for name in ("date", "minutes", "title", "source", "form", "tags")}
        values["excerpt"] = self.query_one("#excerpt", TextArea).text
        values["notes"] = self.query_one("#notes", TextArea).text
        return values

    def _entry(self, *, strict: bool = True) -> StudyEntry | None:
        """The entry as typed, or None after showing what is wrong.

        ``strict=False`` (lock, quit) never refuses what holds any text: a date that does not
        parse keeps the entry's date, minutes that do not parse count as 0, and an empty title
        takes the first line the user wrote, so nothing typed is lost."""
        v = self._values()
        message = self.query_one("#message", Static)
        base = self.entry or self.new
        try:
            day = parse_date(v["date"].strip())
        except ValueError:
            if strict:
                message.update(self.tr("error.bad_date", value=v["date"]))
                self.query_one("#date").focus()
                return None
            day = self.entry.date if self.entry else self.app.today().isoformat()
        minutes_text = v["minutes"].strip() or "0"
        if not minutes_text.isdigit():
            if strict:
                message.update(self.tr("error.bad_number", value=v["minutes"]))
                self.query_one("#minutes").focus()
                return None
            minutes_text = "0"
        title = v["title"].strip()
        if not title:
            if strict:
                message.update(self.tr("entry.need_title"))
                self.query_one("#title").focus()
                return None
            lines = (v[k].strip().splitlines() for k in ("notes", "excerpt", "source", "tags"))
            title = next((first[0] for first in lines if first), "")
            if not title:
                return None  # nothing written that a title could come from
        tags = list(dict.fromkeys(t for t in v["tags"].replace("，", " ").replace(",", " ").split() if t))
        return StudyEntry(
            id=base.id,
            date=day,
            title=clean_text(title),
            source=clean_text(v["source"].strip()),
            form=clean_text(v["form"].strip()),
            minutes=int(minutes_text),
            tags=[clean_text(t) for t in tags],
            excerpt=clean_text(v["excerpt"]),
            notes=clean_text(v["notes"]),
            created=base.created,
            updated=now_iso(),
            extra=base.extra,
        )

    def action_save(self) -> None:
        """Save and go back to the diary (once the keys typed before ctrl+s are in the fields)."""
        self.app.after_typing(self._save_now)

    def _save_now(self) -> None:
        if not self.is_attached:
            return
        entry = self._entry()
        if entry is None:
            return
        self._original = self._values()  # handed to the session: a lock now keeps nothing twice
        self.app.save(lambda j: j.add_study(entry), on_done=lambda _: self._done(entry.id))

    def _done(self, entry_id: str) -> None:
        self.notify(self.tr("entry.saved"))
        if self.is_current:
            self.dismiss(entry_id)

    def action_leave(self) -> None:
        """Back; with unsaved changes, ask whether to save them."""
        if self._values() == self._original:
            self.dismiss(None)
            return

        def decided(choice: str | None) -> None:
            if choice == "save":
                self.action_save()
            elif choice == "discard":
                self.dismiss(None)
            # escape: back to editing, nothing dropped

        self.app.push_screen(SaveChangesModal(self.tr("confirm.save_question")), decided)

    def keep_draft(self) -> None:
        """Lock, quit or restore with unsaved changes: save them as they stand."""
        if self._values() != self._original:
            entry = self._entry(strict=False)
            if entry is not None:
                self._original = self._values()
                self.app.save(lambda j: j.add_study(entry))
                self.app.kept_drafts.append(entry.title)

    def rebuild(self) -> EntryScreen:
        """The same entry after a language switch (what was typed is carried over)."""
        return EntryScreen(self.entry, self.index, new=self.new)


class _TagSuggester(SuggestFromList):
    """Suggest a used tag for the last word typed in the tags field."""

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(" ")
        if not last:
            return None
        found = await super().get_suggestion(last)
        return f"{head} {found}".lstrip() if found else None
