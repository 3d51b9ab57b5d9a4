"""What an export is built from: the period, the user's records (:class:`Material`), the user's
choices (:class:`Options`, with the keys of what was left out) and the choosable items
(:class:`Choice`) the export screen lists.

Keys of choosable things (all chosen unless their key is in ``Options.left_out``):

======================  ============================================================
key                     what
======================  ============================================================
``<entry id>``          a study entry (its title in the lists, its minutes in totals)
``<entry id>#notes``    the entry's 心得体会
``<entry id>#excerpt``  the entry's 摘抄
``<assessment id>``     a finished self-check (counted in the appraisal's summary)
``<assessment id>#reflection``  the self-check's overall reflection
``<action id>``         a rectification item
``<talk id>``           notes of a heart-to-heart talk (their follow-ups)
======================  ============================================================

A choice is in by default unless it says ``default=False`` (心得 and 摘抄 are left out unless the
user picks a handful): those are in only when their key is in ``Options.picked``.

No Textual or Rich here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..checklists import Checklist, load_builtin
from ..store.models import ActionItem, Assessment, Meeting, StudyEntry, TalkNote, today_iso
from .content import Aspect, Text, aspects

if TYPE_CHECKING:
    from ..store.journal import Journal

#: How far back each template looks by default: a year, except a talk (a quarter).
DEFAULT_DAYS: dict[str, int] = {"meeting": 365, "talk": 91, "talkprep": 91, "study": 365, "appraisal": 365}
#: Templates that cover one 年度 (a calendar year) rather than the days up to today.
YEARLY = frozenset({"meeting", "study", "appraisal"})
#: The 方面 preset a meeting outline uses unless the user picks another.
DEFAULT_ASPECTS = "seed"


@dataclass(frozen=True)
class Period:
    """The days an export covers, both ends included (ISO dates); ``start=None`` means from the
    beginning."""

    start: str | None
    end: str

    def __post_init__(self) -> None:
        if self.start is not None and self.start > self.end:
            raise ValueError("the period starts after it ends")

    def contains(self, day: str | None) -> bool:
        """Whether the ISO date (or timestamp) ``day`` falls in the period."""
        if not day:
            return False
        day = day[:10]
        return (self.start is None or day >= self.start) and day <= self.end

    def label(self, text: Text) -> str:
        """``2025年1月1日至2025年12月31日`` / ``截至2025年12月31日``."""
        if self.start is None:
            return text("format.period_until", end=text.date(self.end))
        return text("format.period", start=text.date(self.start), end=text.date(self.end))

    @property
    def year(self) -> int:
        """The year the period ends in (the 年度 of a meeting held for it)."""
        return int(self.end[:4])

    @classmethod
    def ending(cls, end: str | date, days: int) -> Period:
        """The ``days`` days up to and including ``end``."""
        last = end if isinstance(end, date) else date.fromisoformat(end)
        return cls((last - timedelta(days=days - 1)).isoformat(), last.isoformat())

    @classmethod
    def of_year(cls, year: int) -> Period:
        """1 January to 31 December of ``year``."""
        return cls(f"{year:04d}-01-01", f"{year:04d}-12-31")


def default_year(today: str | date | None = None) -> int:
    """The 年度 a meeting prepared on ``today`` is for: the meeting for year X is held from
    December X to March X+1, so January to March mean the previous year."""
    day = today if isinstance(today, date) else date.fromisoformat((today or today_iso())[:10])
    return day.year - 1 if day.month <= 3 else day.year


def default_period(template: str, today: str | date | None = None) -> Period:
    """The period an export of ``template`` covers unless the user says otherwise: the 年度
    (:func:`default_year`) for the yearly templates, the last quarter for a talk."""
    if template in YEARLY:
        return Period.of_year(default_year(today))
    return Period.ending(today or today_iso(), DEFAULT_DAYS.get(template, 365))


@dataclass(frozen=True)
class Options:
    """The user's choices for one export. Everything is optional."""

    #: Language of the headings and connective text.
    lang: str = "zh"
    #: The date on the date line (ISO); default today.
    today: str | None = None
    #: Keys of the items the user left out (see the module docstring); everything else goes in.
    left_out: frozenset[str] = frozenset()
    #: Keys of the items that are out unless picked (心得, 摘抄) which the user picked.
    picked: frozenset[str] = frozenset()
    #: The meeting prepared for (its 年度, date, 方面, problems, causes, measures); None builds
    #: the outline's skeleton with placeholders.
    meeting: Meeting | None = None
    #: Built from sample data: every title says 示例.
    sample: bool = False
    #: The meeting's 方面 headings (:func:`selfcheck.export.aspects` or ``custom_aspects``);
    #: None for the default preset (the seed speech's four parts).
    aspects: tuple[Aspect, ...] | None = None
    #: Optional name: the meeting title becomes "XXX同志在…发言提纲"; the appraisal's 姓名.
    name: str = ""
    #: The appraisal's optional fields.
    branch: str = ""
    joined: str = ""
    position: str = ""
    #: The appraisal's 自评等次, chosen by the user (a code of ``GRADES``); None leaves a placeholder.
    grade: str | None = None
    #: Questions the user wants to raise in a talk, one per item.
    questions: tuple[str, ...] = ()

    def chosen(self, key: str) -> bool:
        """Whether the item with ``key`` (in by default) goes in."""
        return key not in self.left_out

    def picks(self, key: str) -> bool:
        """Whether the item with ``key`` (out by default) was picked."""
        return key in self.picked

    def day(self) -> str:
        """The date line's date (ISO)."""
        return self.today or today_iso()

    def meeting_aspects(self) -> tuple[Aspect, ...]:
        """The 方面 of part 三: the user's, else the default preset in the document's language."""
        return self.aspects if self.aspects is not None else aspects(DEFAULT_ASPECTS, self.lang)


@dataclass
class Material:
    """The user's records an export may draw on, oldest first (plain data; no journal needed)."""

    study: list[StudyEntry] = field(default_factory=list)
    #: Finished self-checks only.
    assessments: list[Assessment] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)
    talks: list[TalkNote] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    #: Checklists by id, for titles, item texts and the 方面 rules (default: the built-in four).
    checklists: dict[str, Checklist] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.checklists:
            self.checklists = {c.id: c for c in load_builtin()}
        self.study = sorted(self.study, key=lambda e: (e.date, e.created))
        self.assessments = sorted((a for a in self.assessments if not a.is_draft), key=_completed)
        self.talks = sorted(self.talks, key=lambda t: (t.date, t.created))
        self.meetings = sorted(self.meetings, key=lambda m: (m.year, m.created))
        self._assessment_by_id = {a.id: a for a in self.assessments}

    @classmethod
    def from_journal(
        cls, journal: Journal, period: Period | None = None, checklists: Iterable[Checklist] | None = None
    ) -> Material:
        """Read what an export for ``period`` needs from an open journal: study entries and
        finished self-checks only within the period (only those are converted to records: a
        30-year journal holds 1,500 self-checks of 57 answers each); the rectification list
        whole, since earlier items matter."""
        if period is None:
            study = journal.study_entries()
            assessments = journal.assessments(drafts=False)
        else:
            study = journal.find_study(date_from=period.start, date_to=period.end)
            assessments = [
                Assessment.from_doc(d)
                for d in journal.documents(Assessment.TABLE)
                if d.get("completed") and period.contains(d.get("completed"))
            ]
        return cls(
            study=study,
            assessments=assessments,
            actions=journal.actions(),
            talks=journal.talks(),
            meetings=journal.meetings(),
            checklists={c.id: c for c in checklists} if checklists is not None else {},
        )

    def meeting_for(self, year: int) -> Meeting | None:
        """The meeting of 年度 ``year`` (the latest created), or None."""
        found = [m for m in self.meetings if m.year == year]
        return found[-1] if found else None

    def previous_meeting(self, year: int) -> Meeting | None:
        """The latest meeting of a 年度 before ``year`` (usually last year's), or None."""
        found = [m for m in self.meetings if m.year < year]
        return found[-1] if found else None

    def raised_at(self, meeting: Meeting | None) -> list[ActionItem]:
        """The rectification items raised at ``meeting``, in the order they were raised."""
        if meeting is None:
            return []
        return sorted((a for a in self.actions if a.raised_at(meeting.id)), key=lambda a: a.created)

    def assessment(self, assessment_id: str | None) -> Assessment | None:
        """The finished self-check with ``assessment_id``, or None."""
        return self._assessment_by_id.get(assessment_id or "")

    def checklist_title(self, checklist_id: str, lang: str) -> str:
        """A checklist's title in ``lang`` (its id if the checklist is unknown)."""
        checklist = self.checklists.get(checklist_id)
        return checklist.title_in(lang) if checklist else checklist_id


@dataclass(frozen=True)
class Choice:
    """One thing the user may leave out of an export (the screen lists these, all ticked)."""

    key: str
    #: Which part of the document it feeds: ``study``, ``notes``, ``excerpt``, ``problem``,
    #: ``rectification``, ``reflection``, ``selfcheck``, ``talk``.
    section: str
    #: The ISO date it is filed under.
    day: str
    #: A one-line description: date and the start of its text.
    label: str
    #: In unless left out (True), or out unless picked (False).
    default: bool = True


def _completed(a: Assessment) -> str:
    return a.completed or a.started


def short(text: str, width: int = 40) -> str:
    """The first line of ``text``, cut to ``width`` characters with an ellipsis."""
    line = next((ln for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= width else line[: width - 1] + "…"


# --------------------------------------------------------------------------- selections


def study_in(material: Material, period: Period) -> list[StudyEntry]:
    """Study entries dated in ``period``, oldest first."""
    return [e for e in material.study if period.contains(e.date)]


def assessments_in(material: Material, period: Period) -> list[Assessment]:
    """Finished self-checks completed in ``period``, oldest first."""
    return [a for a in material.assessments if period.contains(_completed(a))]


def actions_raised_in(material: Material, period: Period) -> list[ActionItem]:
    """Rectification items the user raised (created) in ``period``: this time's problems."""
    return sorted((a for a in material.actions if period.contains(a.created)), key=lambda a: a.created)



def status_at(action: ActionItem, day: str) -> str:
    """An item's status as it stood at the end of ``day``: done only if closed by then; an item
    closed later was in progress (or not started, with no progress noted by then)."""
    if action.status == "done":
        if action.done_date and action.done_date <= day:
            return "done"
        return "in_progress" if any(p.date <= day for p in action.progress) else "not_started"
    return action.status


@dataclass(frozen=True)
class Carried:
    """One problem raised at an earlier meeting (all the items its measures became)."""

    problem: str
    items: tuple[ActionItem, ...]
    #: The status of the whole problem at the day asked for.
    status: str

    @property
    def key(self) -> str:
        """The key its 落实情况 is stored under (``Meeting.carried``): the first item's id."""
        return self.items[0].id

    def note(self, notes: dict[str, str]) -> str:
        """The user's 落实情况 for this problem (written under any of its items)."""
        return "\n".join(dict.fromkeys(notes[i.id] for i in self.items if notes.get(i.id, "").strip()))


def carried_problems(items: Iterable[ActionItem], day: str) -> list[Carried]:
    """``items`` grouped by problem (a problem with two measures became two items), each with its
    status at ``day``: done when every measure was done, not started when none had begun,
    continuing when the rest are continuing, else in progress."""
    groups: dict[str, list[ActionItem]] = {}
    for item in items:
        groups.setdefault(item.problem.strip(), []).append(item)
    out = []
    for group in groups.values():
        statuses = {status_at(a, day) for a in group}
        if len(statuses) == 1:
            status = statuses.pop()
        elif statuses <= {"done", "continuing"}:
            status = "continuing"
        else:
            status = "in_progress"
        out.append(Carried(group[0].problem, tuple(group), status))
    return out


def actions_moved_in(material: Material, period: Period) -> list[ActionItem]:
    """Items raised, advanced or closed in ``period`` (what a talk may report on)."""
    found = [
        a
        for a in material.actions
        if period.contains(a.created)
        or any(period.contains(p.date) for p in a.progress)
        or (a.status == "done" and period.contains(a.done_date))
    ]
    return sorted(found, key=lambda a: a.created)


def actions_active_in(material: Material, period: Period) -> list[ActionItem]:
    """Items that were open at some time during ``period`` (for the talk and the appraisal)."""
    found = [
        a
        for a in material.actions
        if a.created[:10] <= period.end
        and (a.status != "done" or not a.done_date or period.start is None or a.done_date >= period.start)
    ]
    return sorted(found, key=lambda a: a.created)


def talks_in(material: Material, period: Period) -> list[TalkNote]:
    """Talk notes dated in ``period``, oldest first."""
    return [t for t in material.talks if period.contains(t.date)]
