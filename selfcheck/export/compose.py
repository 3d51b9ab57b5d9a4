"""A small helper the builders share: numbered headings and paragraphs appended in order.

Headings are numbered as GB/T 9704 documents number them (一、 → （一） → 1.); numbered
paragraphs restart under every heading. No Textual or Rich here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..store.models import ActionItem, StudyEntry
from . import model
from .content import Text
from .gather import Options, Period
from .model import Block, Document


class Composer:
    """Collects the blocks of one document."""

    def __init__(self, template: str, options: Options) -> None:
        self.template = template
        self.options = options
        self.t = Text(options.lang)
        self.blocks: list[Block] = []
        self._levels = [0, 0, 0]
        self._items = 0

    # ------------------------------------------------------------------ head

    def title(self, text: str) -> None:
        """The title."""
        self.blocks.append(model.title(text))

    def date_line(self, text: str) -> None:
        """The line under the title, e.g. ``（2026年11月27日）``."""
        self.blocks.append(model.date_line(self.t("format.date_line", date=text)))

    # ------------------------------------------------------------------ headings

    def heading(self, level: int, text: str) -> None:
        """A numbered heading of ``level`` (1–3); the numbers below it restart."""
        self._levels[level - 1] += 1
        for deeper in range(level, 3):
            self._levels[deeper] = 0
        self._items = 0
        n = self._levels[level - 1]
        numbered = (self.t.level1, self.t.level2, self.t.level3)[level - 1](n, text)
        self.blocks.append(model.heading(numbered, level))

    def h1(self, text: str) -> None:
        """``一、text``."""
        self.heading(1, text)

    def h2(self, text: str) -> None:
        """``（一）text``."""
        self.heading(2, text)

    def h3(self, text: str) -> None:
        """``1. text``."""
        self.heading(3, text)

    # ------------------------------------------------------------------ body

    def para(self, text: str) -> None:
        """One paragraph of boilerplate or composed text (single line)."""
        self.blocks.append(model.paragraph(text))

    def user(self, text: str) -> None:
        """The user's words: one paragraph per non-blank line, verbatim."""
        self.blocks.extend(model.paragraphs(text))

    def numbered(self, text: str) -> None:
        """The user's words as the next numbered paragraph (``1. …``); later lines follow as
        plain paragraphs."""
        lines = model.paragraphs(text)
        if not lines:
            return
        self._items += 1
        self.blocks.append(Block(model.PARAGRAPH, self.t.item(self._items) + lines[0].text))
        self.blocks.extend(lines[1:])

    def gap(self, what_key: str, **fields: object) -> None:
        """A visible placeholder asking the user to write what ``what_key`` describes."""
        self.blocks.append(model.placeholder(self.t.placeholder(what_key, **fields)))

    def note(self, text: str) -> None:
        """A label line."""
        self.blocks.append(model.note(text))

    def quotes(self, text: str) -> None:
        """Source text the user copied, one quote block per line."""
        self.blocks.extend(model.quotes(text))

    def table(self, header: Iterable[str], rows: Iterable[Iterable[str]]) -> None:
        """A table (header first)."""
        self.blocks.append(model.table(header, rows))

    def signature(self, text: str) -> None:
        """A right-aligned line."""
        self.blocks.append(model.signature(text))

    def document(self) -> Document:
        """The finished document."""
        return Document(self.blocks, lang=self.t.lang, template=self.template)


# --------------------------------------------------------------------------- shared pieces



def forms_summary(entries: list[StudyEntry], t: Text) -> list[tuple[str, int, int]]:
    """``(form, sessions, minutes)`` per form of study, most sessions first."""
    counts: Counter[str] = Counter()
    minutes: Counter[str] = Counter()
    for e in entries:
        form = e.form.strip() or t("study.form_unknown")
        counts[form] += 1
        minutes[form] += max(0, int(e.minutes or 0))
    return sorted(((f, counts[f], minutes[f]) for f in counts), key=lambda r: (-r[1], -r[2], r[0]))


def study_sentence(entries: list[StudyEntry], period: Period, t: Text) -> str:
    """``2025年…至…，本人共记录学习120次，累计150小时，其中个人自学60次、…。`` (facts from the diary)."""
    total = sum(max(0, int(e.minutes or 0)) for e in entries)
    forms = t.join([t("meeting.study_form_part", form=f, count=n) for f, n, _ in forms_summary(entries, t)])
    return t("meeting.study_summary", period=period.label(t), count=len(entries), hours=t.hours(total), forms=forms)


def status_label(status: str, t: Text) -> str:
    """A rectification status code in words (an unknown stored code as it is)."""
    try:
        return t(f"status.{status}")
    except KeyError:
        return status


def due_label(action: ActionItem, t: Text) -> str:
    """The due date in words, 长期坚持 for an ongoing item without one."""
    if action.due:
        return t.date(action.due)
    return t("common.no_due") if action.kind == "ongoing" else ""


def progress_text(action: ActionItem, t: Text) -> str:
    """The latest progress note and the closing note, one per line (the user's words)."""
    lines = []
    if action.progress:
        last = max(action.progress, key=lambda p: p.date)
        lines.append(t("common.progress_line", date=t.date(last.date), note=last.note))
    if action.status == "done" and action.done_date:
        if action.done_note.strip():
            lines.append(t("common.done_line", date=t.date(action.done_date), note=action.done_note))
        else:
            lines.append(t("common.done_line_plain", date=t.date(action.done_date)))
    return "\n".join(lines)
