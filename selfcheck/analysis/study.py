"""The study diary's in-memory index and the study overview's numbers (no Textual).

Search must answer each keystroke within 50 ms on a 10-year vault (5,000 entries). The index is
built once when the diary opens — one lowercase haystack per entry, sorted newest first — and
filtering is a scan over plain tuples; only the rows on screen are ever shown, never converted
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


@dataclass(frozen=True)
class StudyRow:
    """What the diary table shows of one entry, plus what search looks at."""

    id: str
    date: str
    created: str
    title: str
    form: str
    minutes: int
    tags: tuple[str, ...]
    haystack: str
    #: Marked for the meeting preparation (``StudyEntry.marked``).
    marked: bool = False


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
    """All study entries as :class:`StudyRow`, newest first, ready to filter."""

    def __init__(self, docs: Iterable[dict[str, Any]]) -> None:
        rows = []
        for d in docs:
            tags = tuple(str(t) for t in d.get("tags", ()) or ())
            text = " ".join(
                [str(d.get("title", "")), str(d.get("source", "")), str(d.get("excerpt", "")), str(d.get("notes", ""))]
                + list(tags)
            )
            rows.append(
                StudyRow(
                    id=str(d.get("id", "")),
                    date=str(d.get("date", "")),
                    created=str(d.get("created", "")),
                    title=str(d.get("title", "")),
                    form=str(d.get("form", "")),
                    minutes=int(d.get("minutes", 0) or 0),
                    tags=tags,
                    haystack=text.casefold(),
                    marked=d.get("marked") is True,
                )
            )
        rows.sort(key=lambda r: (r.date, r.created), reverse=True)
        #: Every entry, newest first.
        self.rows: list[StudyRow] = rows

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
            and (not needle or needle in r.haystack)
        ]

    def forms(self) -> list[str]:
        """Forms used so far, most used first."""
        return [f for f, _ in Counter(r.form for r in self.rows if r.form).most_common()]

    def tags(self) -> list[str]:
        """Tags used so far, most used first (for suggestions and the filter)."""
        return [t for t, _ in Counter(t for r in self.rows for t in r.tags).most_common()]


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
