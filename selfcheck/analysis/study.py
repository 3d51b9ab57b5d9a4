"""The study diary's in-memory index and the study overview's numbers (no Textual).

Search must answer each keystroke within 50 ms on a 10-year vault (5,000 entries). The index is
built once, then updated from each save's changes — each entry's texts, case-folded only where
that changes them, sorted newest first — and filtering is a scan over plain tuples; only the rows on screen are ever shown, never converted
back into records until the user opens one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

#: Periods the diary can filter by (catalog keys ``period.<name>``).
PERIODS = ("all", "week", "month", "year", "last_year", "12_months")


@dataclass(frozen=True, slots=True)
class StudyRow:
    """What the diary table shows of one entry, plus what search looks at."""

    id: str
    date: str
    created: str
    title: str
    form: str
    minutes: int
    tags: tuple[str, ...]
    #: The searchable texts: the entry's own strings where folding case leaves them as they are
    #: (Chinese text, lower-case words), a case-folded copy only where it does not.
    haystack: tuple[str, ...]
    #: Marked for the meeting preparation (``StudyEntry.marked``).
    marked: bool = False
    #: The stored document the row was made from (the index's updates find rows by it).
    doc: Any = field(default=None, compare=False, repr=False)

    def matches(self, needle: str) -> bool:
        """Whether the case-folded ``needle`` occurs in the title, source, excerpt, notes or a tag."""
        return any(needle in text for text in self.haystack)


def _folded(text: str) -> str:
    folded = text.casefold()
    return text if folded == text else folded


def _row(d: dict[str, Any]) -> StudyRow:
    tags = tuple(str(t) for t in d.get("tags", ()) or ())
    texts = [str(d.get(k, "") or "") for k in ("title", "source", "excerpt", "notes")] + list(tags)
    return StudyRow(
        id=str(d.get("id", "")),
        date=str(d.get("date", "")),
        created=str(d.get("created", "")),
        title=str(d.get("title", "")),
        form=str(d.get("form", "")),
        minutes=int(d.get("minutes", 0) or 0),
        tags=tags,
        haystack=tuple(_folded(t) for t in texts if t),
        marked=d.get("marked") is True,
        doc=d,
    )


def _newest_first(row: StudyRow) -> tuple[str, str]:
    return row.date, row.created


def period_range(period: str, today: date) -> tuple[str | None, str | None]:
    """``(from, to)`` ISO dates of a named period (None = open)."""
    if period == "week":
        return (today - timedelta(days=today.weekday())).isoformat(), today.isoformat()
    if period == "month":
        return today.replace(day=1).isoformat(), today.isoformat()
    if period == "year":
        return today.replace(month=1, day=1).isoformat(), today.isoformat()
    if period == "last_year":
        return date(today.year - 1, 1, 1).isoformat(), date(today.year - 1, 12, 31).isoformat()
    if period == "12_months":
        return (today - timedelta(days=365)).isoformat(), today.isoformat()
    return None, None


class StudyIndex:
    """All study entries as :class:`StudyRow`, newest first, ready to filter.

    Rows hold references to the stored strings, not copies (a 30-year diary is 15,000 entries);
    :meth:`updated` folds a save's changes in without reading every entry again.
    """

    def __init__(self, docs: Iterable[dict[str, Any]] = (), *, rows: list[StudyRow] | None = None) -> None:
        if rows is None:
            rows = [_row(d) for d in docs]
            rows.sort(key=_newest_first, reverse=True)
        #: Every entry, newest first.
        self.rows: list[StudyRow] = rows
        self._forms: list[str] | None = None
        self._tags: list[str] | None = None

    def updated(self, removed: Iterable[dict[str, Any]], added: Iterable[dict[str, Any]]) -> StudyIndex:
        """A new index with the rows of the ``removed`` documents gone and rows for ``added`` in
        place (a changed entry is both); this index stays as it is for whoever holds it."""
        gone = {id(d) for d in removed}
        rows = [r for r in self.rows if id(r.doc) not in gone] if gone else list(self.rows)
        present = {id(r.doc) for r in rows}  # an index built after a save already has its entries
        new = [_row(d) for d in added if id(d) not in present]
        if new:
            rows.extend(new)
            rows.sort(key=_newest_first, reverse=True)  # nearly sorted: a linear pass
        return StudyIndex(rows=rows)

    def filter(
        self,
        *,
        text: str = "",
        date_from: str | None = None,
        date_to: str | None = None,
        form: str | None = None,
        tag: str | None = None,
    ) -> list[StudyRow]:
        """Rows matching every given filter, newest first (``text`` is case-insensitive)."""
        needle = text.casefold().strip()
        return [
            r
            for r in self.rows
            if (not date_from or r.date >= date_from)
            and (not date_to or r.date <= date_to)
            and (not form or r.form == form)
            and (not tag or tag in r.tags)
            and (not needle or r.matches(needle))
        ]

    def forms(self) -> list[str]:
        """Forms used so far, most used first (counted once per index)."""
        if self._forms is None:
            self._forms = [f for f, _ in Counter(r.form for r in self.rows if r.form).most_common()]
        return list(self._forms)

    def tags(self) -> list[str]:
        """Tags used so far, most used first (for suggestions and the filter; counted once per index)."""
        if self._tags is None:
            self._tags = [t for t, _ in Counter(t for r in self.rows for t in r.tags).most_common()]
        return list(self._tags)


@dataclass
class StudyOverview:
    """Numbers for the study overview: a 52-week heatmap and totals. No streaks, no points."""

    #: Minutes per day for the last 52 full weeks plus this one, oldest first (Monday-based).
    days: list[tuple[date, int]] = field(default_factory=list)
    week: tuple[int, int] = (0, 0)
    month: tuple[int, int] = (0, 0)
    year: tuple[int, int] = (0, 0)
    #: This year's minutes by form and by tag, most first.
    by_form: list[tuple[str, int]] = field(default_factory=list)
    by_tag: list[tuple[str, int]] = field(default_factory=list)
    #: This year's progress toward the user's own targets: entries, minutes, characters of notes.
    year_entries: int = 0
    year_minutes: int = 0
    year_notes_chars: int = 0


def study_overview(docs: Iterable[dict[str, Any]], today: date) -> StudyOverview:
    """Compute the overview from stored study documents."""
    first = today - timedelta(days=today.weekday() + 52 * 7)
    minutes_by_day: Counter[str] = Counter()
    week_start = (today - timedelta(days=today.weekday())).isoformat()
    month_start = today.replace(day=1).isoformat()
    year_start = today.replace(month=1, day=1).isoformat()
    end = today.isoformat()
    out = StudyOverview()
    week = [0, 0]
    month = [0, 0]
    by_form: Counter[str] = Counter()
    by_tag: Counter[str] = Counter()
    for d in docs:
        day = str(d.get("date", ""))
        minutes = int(d.get("minutes", 0) or 0)
        if day > end:
            continue
        if day >= first.isoformat():
            minutes_by_day[day] += minutes
        if day >= week_start:
            week[0] += 1
            week[1] += minutes
        if day >= month_start:
            month[0] += 1
            month[1] += minutes
        if day >= year_start:
            out.year_entries += 1
            out.year_minutes += minutes
            out.year_notes_chars += len(str(d.get("notes", "")))
            if d.get("form"):
                by_form[str(d["form"])] += minutes
            for tag in d.get("tags", ()) or ():
                by_tag[str(tag)] += minutes
    out.days = [(first + timedelta(days=i), minutes_by_day[(first + timedelta(days=i)).isoformat()])
                for i in range((today - first).days + 1)]
    out.week, out.month = (week[0], week[1]), (month[0], month[1])
    out.year = (out.year_entries, out.year_minutes)
    out.by_form = by_form.most_common(6)
    out.by_tag = by_tag.most_common(6)
    return out
