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
``<assessment id>#<item id>``   one answer of concern (否 / a rating ≤ 2) listed as a problem
``<action id>``         a rectification item
``<talk id>``           notes of a heart-to-heart talk (their follow-ups)
======================  ============================================================

No Textual or Rich here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..checklists import Checklist, answer_label, is_concern, load_builtin
from ..store.models import ActionItem, Answer, Assessment, StudyEntry, TalkNote, today_iso
from .content import Aspect, Text, aspects

if TYPE_CHECKING:
    from ..store.journal import Journal

#: How far back each template looks by default: a year, except a talk (a quarter).
DEFAULT_DAYS: dict[str, int] = {"meeting": 365, "talk": 91, "study": 365, "appraisal": 365}
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


def default_period(template: str, today: str | date | None = None) -> Period:
    """The period an export of ``template`` covers unless the user says otherwise."""
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
    #: The meeting's 方面 headings (:func:`selfcheck.export.aspects` or ``custom_aspects``);
    #: None for the default preset (the seed speech's four parts).
    aspects: tuple[Aspect, ...] | None = None
    #: The user's placement of problems: finding key → index into ``aspects``.
    assign: Mapping[str, int] = field(default_factory=dict)
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
    #: The meeting's 上次整改落实情况 as a ledger table (True) or as numbered lines.
    ledger_table: bool = True

    def chosen(self, key: str) -> bool:
        """Whether the item with ``key`` goes in."""
        return key not in self.left_out

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
    #: Checklists by id, for titles, item texts and the 方面 rules (default: the built-in four).
    checklists: dict[str, Checklist] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.checklists:
            self.checklists = {c.id: c for c in load_builtin()}
        self.study = sorted(self.study, key=lambda e: (e.date, e.created))
        self.assessments = sorted((a for a in self.assessments if not a.is_draft), key=_completed)
        self.talks = sorted(self.talks, key=lambda t: (t.date, t.created))
        self._assessment_by_id = {a.id: a for a in self.assessments}

    @classmethod
    def from_journal(
        cls, journal: Journal, period: Period | None = None, checklists: Iterable[Checklist] | None = None
    ) -> Material:
        """Read what an export for ``period`` needs from an open journal (study entries only
        within the period; the rectification list whole, since earlier items matter)."""
        if period is None:
            study = journal.study_entries()
        else:
            study = journal.find_study(date_from=period.start, date_to=period.end)
        return cls(
            study=study,
            assessments=journal.assessments(drafts=False),
            actions=journal.actions(),
            talks=journal.talks(),
            checklists={c.id: c for c in checklists} if checklists is not None else {},
        )

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


def actions_before(material: Material, period: Period) -> list[ActionItem]:
    """Items raised before ``period`` and still open when it began (or closed during it): the
    problems found last time, whose 整改落实情况 the meeting reports."""
    if period.start is None:
        return []
    start = period.start
    found = [
        a
        for a in material.actions
        if a.created[:10] < start and (a.status != "done" or not a.done_date or a.done_date >= start)
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


# --------------------------------------------------------------------------- findings (查摆的问题)


@dataclass(frozen=True)
class Finding:
    """A problem for part 三 of the meeting outline: a rectification item the user raised, or
    an answer of concern the user gave in a self-check (with the user's note)."""

    key: str
    day: str
    #: The action, when the finding is a rectification item.
    action: ActionItem | None
    #: The self-check and answer, when the finding is an answer.
    assessment: Assessment | None = None
    answer: Answer | None = None
    checklist_id: str | None = None
    seed: str = ""
    tag: str = ""

    def aspect(self, aspects_: tuple[Aspect, ...], assign: Mapping[str, int]) -> int | None:
        """Index of the 方面 this finding goes under (the user's placement first), or None."""
        placed = assign.get(self.key)
        if placed is not None and 0 <= placed < len(aspects_):
            return placed
        return next((i for i, a in enumerate(aspects_) if a.matches(self.checklist_id, self.seed, self.tag)), None)

    def answer_text(self, material: Material, text: Text) -> str:
        """The answer as one line: date, self-check, item, the user's answer, and the user's note."""
        assert self.assessment is not None and self.answer is not None
        checklist = material.checklists.get(self.assessment.checklist_id)
        item = checklist.item(self.answer.item_id) if checklist else None
        prompt = self.answer.prompt or (item.text_in(text.lang) if item else self.answer.item_id)
        if item is not None and text.lang != "zh":
            prompt = item.text_in(text.lang)
        kind = item.type if item else ("rating" if isinstance(self.answer.answer, int) else "yn")
        line = text(
            "common.answer_line",
            date=text.date(_completed(self.assessment)),
            checklist=material.checklist_title(self.assessment.checklist_id, text.lang),
            item=prompt,
            answer=answer_label(kind, self.answer.answer, text.lang),
        )
        return line + (text("common.answer_note", note=self.answer.note) if self.answer.note.strip() else "")


def _item_facts(material: Material, checklist_id: str | None, item_id: str | None) -> tuple[str, str]:
    checklist = material.checklists.get(checklist_id or "")
    item = checklist.item(item_id or "") if checklist else None
    return (item.seed, item.discipline) if item else ("", "")


def findings(material: Material, period: Period) -> list[Finding]:
    """This period's problems: items raised in it, then answers of concern not already turned into
    an item, in date order."""
    found: list[Finding] = []
    linked: set[tuple[str, str]] = set()
    for action in material.actions:
        if action.source and action.source.get("assessment"):
            linked.add((action.source["assessment"], action.source.get("item", "")))
    for action in actions_raised_in(material, period):
        checklist_id = item_id = None
        if action.source:
            source_assessment = material.assessment(action.source.get("assessment"))
            checklist_id = source_assessment.checklist_id if source_assessment else None
            item_id = action.source.get("item")
        seed, tag = _item_facts(material, checklist_id, item_id)
        found.append(Finding(action.id, action.created[:10], action, checklist_id=checklist_id, seed=seed, tag=tag))
    for assessment in assessments_in(material, period):
        checklist = material.checklists.get(assessment.checklist_id)
        for answer in assessment.answers:
            if (assessment.id, answer.item_id) in linked:
                continue
            item = checklist.item(answer.item_id) if checklist else None
            kind = item.type if item else ("rating" if isinstance(answer.answer, int) else "yn")
            if not is_concern(kind, answer.answer):
                continue
            seed, tag = _item_facts(material, assessment.checklist_id, answer.item_id)
            found.append(
                Finding(
                    f"{assessment.id}#{answer.item_id}",
                    _completed(assessment)[:10],
                    None,
                    assessment,
                    answer,
                    assessment.checklist_id,
                    seed,
                    tag,
                )
            )
    found.sort(key=lambda f: f.day)
    return found
