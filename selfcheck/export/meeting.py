"""组织生活会 个人对照检查材料 / 发言提纲 (domain-notes §4.1, §4.6): the meeting outline.

Built from the meeting the user prepared (``Options.meeting``, see the 会前准备 screen): title and
date line from its 年度 and date; a short opening; 一、学习情况 in one sentence of facts, the top
topics, the user's note on 会前学习 and the handful of 心得 the user picked; 二、上年度整改落实情况
for exactly the items raised at the previous meeting, each with the user's 落实情况; 三、查摆的问题
under that year's 方面, each problem's 表现 and 事例 in the user's words; 四、原因剖析; 五、整改措施;
the closing line. "不讲成绩而专讲问题": the weight is on 三 to 五.

The app writes no problem, cause or measure: where the user wrote none there is a visible
``【请填写：…】``, and every problem has its cause and measure or such a gap. No checklist statement
is printed, nor an answer label or a rating. No Textual or Rich here.
"""

from __future__ import annotations

from collections import Counter

from ..store.models import Meeting, Problem, StudyEntry
from .compose import Composer, study_sentence
from .content import Text, cause_headings
from .gather import Choice, Material, Options, Period, carried_problems, short, study_in
from .model import Document

TEMPLATE = "meeting"
#: How many topics the study paragraph names.
TOP_TOPICS = 6


def meeting_of(material: Material, period: Period, options: Options) -> Meeting | None:
    """The meeting the outline is for: the one given, else the one of the period's 年度."""
    return options.meeting or material.meeting_for(period.year)


def choices(material: Material, period: Period, options: Options) -> list[Choice]:
    """The 心得 the user may pick for 主要收获 (none unless picked: the outline is about problems)."""
    t = Text(options.lang)
    return [
        Choice(f"{e.id}#notes", "notes", e.date, f"{t.date(e.date)} {short(e.title)}：{short(e.notes, 30)}", default=False)
        for e in study_in(material, period)
        if e.notes.strip()
    ]


def title(t: Text, year: int, name: str, sample: bool) -> str:
    """The outline's title."""
    text = t("meeting.title_named", name=name, year=year) if name else t("meeting.title", year=year)
    return t("common.sample_title", title=text) if sample else text


def build(material: Material, period: Period, options: Options) -> Document:
    """The meeting outline for the 年度 of ``period`` (or of ``options.meeting``)."""
    c = Composer(TEMPLATE, options)
    t = c.t
    meeting = meeting_of(material, period, options)
    year = meeting.year if meeting else period.year
    if meeting and meeting.year != period.year:
        period = Period.of_year(meeting.year)
    c.title(title(t, year, options.name.strip(), options.sample))
    c.date_line(t.date(meeting.date if meeting and meeting.date else options.day()))
    c.para(t("meeting.opening", year=year))
    _study(c, material, period, meeting)
    _carried(c, material, period, meeting)
    problems = [p for p in meeting.problems if _written(p)] if meeting else []
    _problems(c, meeting, problems)
    _causes(c, meeting, problems)
    _measures(c, problems)
    c.para(t("meeting.closing"))
    return c.document()


def _written(problem: Problem) -> bool:
    return bool(problem.text.strip() or problem.example.strip())


def top_topics(entries: list[StudyEntry], n: int = TOP_TOPICS) -> list[str]:
    """The most used tags of ``entries`` (titles when nothing is tagged), most used first."""
    counts: Counter[str] = Counter(tag for e in entries for tag in e.tags if tag.strip())
    if not counts:
        counts = Counter(e.title for e in entries if e.title.strip())
    return [topic for topic, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def _study(c: Composer, material: Material, period: Period, meeting: Meeting | None) -> None:
    t, options = c.t, c.options
    c.h1(t("meeting.study_heading"))
    entries = study_in(material, period)
    wrote = False
    if entries:
        c.para(study_sentence(entries, period, t))
        topics = top_topics(entries)
        if topics:
            c.para(t("meeting.study_topics", topics=t.join([t("format.topic", topic=x) for x in topics])))
        wrote = True
    if meeting and meeting.study_note.strip():
        c.user(meeting.study_note)
        wrote = True
    picked = set(meeting.gains if meeting else ()) | {k.removesuffix("#notes") for k in options.picked}
    for e in entries:
        if e.id in picked and e.notes.strip():
            c.user(e.notes)
            wrote = True
    if not wrote:
        c.gap("meeting.study_empty")


def _carried(c: Composer, material: Material, period: Period, meeting: Meeting | None) -> None:
    t, options = c.t, c.options
    c.h1(t("meeting.rectification_heading"))
    year = meeting.year if meeting else period.year
    previous = material.previous_meeting(year)
    items = material.raised_at(previous)
    if not items:
        c.gap("meeting.rectification_empty" if previous is None else "meeting.rectification_none")
        return
    end = min(period.end, options.day())
    problems = carried_problems(items, end)
    counts = Counter(p.status for p in problems)
    order = ("done", "in_progress", "continuing", "not_started")
    statuses = t.join(
        [
            t("meeting.rectification_status_part", status=t(f"carried_status.{s}"), count=counts[s])
            for s in sorted(counts, key=lambda s: order.index(s) if s in order else len(order))
        ]
    )
    c.para(t("meeting.rectification_summary", count=len(problems), date=t.date(end), statuses=statuses))
    notes = meeting.carried if meeting else {}
    for p in problems:
        c.numbered(p.problem + t.details([t(f"carried_status.{p.status}")]))
        if p.note(notes):
            c.user(p.note(notes))
        else:
            c.gap("meeting.carried_empty")


def _problems(c: Composer, meeting: Meeting | None, problems: list[Problem]) -> None:
    t, options = c.t, c.options
    c.h1(t("meeting.problems_heading"))
    if meeting is not None and (meeting.aspects or options.aspects is None):
        headings = list(dict.fromkeys(h for h in meeting.aspects if h.strip()))
        if not headings:  # the user's notice sets no 方面: the problems stand by themselves
            _listed(c, problems)
            if not problems:
                c.gap("meeting.aspect_empty")
            return
    else:
        headings = [a.heading for a in options.meeting_aspects()]
    groups: dict[str, list[Problem]] = {h: [] for h in headings}
    other: list[Problem] = []
    for p in problems:
        groups[p.aspect].append(p) if p.aspect in groups else other.append(p)
    placed = [(h, groups[h]) for h in headings] + ([(t("common.other_aspect"), other)] if other else [])
    for heading, group in placed:
        c.h2(heading)
        _listed(c, group)
        if not group:
            c.gap("meeting.aspect_empty")


def _listed(c: Composer, problems: list[Problem]) -> None:
    """Each problem's 表现 (numbered) and 事例, or gaps where the user wrote none."""
    for p in problems:
        if p.text.strip():
            c.numbered(p.text)
        else:
            c.numbered(c.t.placeholder("meeting.problem_empty"))
        if p.example.strip():
            c.user(p.example)
        else:
            c.gap("meeting.example_empty")


def _label(p: Problem) -> str:
    return short(p.text or p.example, 16)


def _causes(c: Composer, meeting: Meeting | None, problems: list[Problem]) -> None:
    t = c.t
    c.h1(t("meeting.causes_heading"))
    general = {k: v for k, v in (meeting.causes if meeting else {}).items() if v.strip()}
    usual = cause_headings(t.lang)
    for heading in usual + [h for h in general if h not in usual]:
        if heading in general:
            c.h2(heading)
            c.user(general[heading])
    own = [p for p in problems if p.cause.strip()]
    if general and own:
        c.h2(t("meeting.causes_specific"))
    seen: set[str] = set()
    for p in own:
        if p.cause not in seen:
            seen.add(p.cause)
            c.numbered(p.cause)
    if general:
        return
    missing = [p for p in problems if not p.cause.strip()]
    for p in missing:
        c.gap("meeting.cause_for", problem=_label(p))
    if not own and not missing:
        for heading in usual:
            c.h2(heading)
            c.gap("meeting.causes_empty")


def _measures(c: Composer, problems: list[Problem]) -> None:
    t = c.t
    c.h1(t("meeting.measures_heading"))
    for p in problems:
        measures = [m for m in p.measures if m.text.strip()]
        if not measures:
            c.gap("meeting.measure_for", problem=_label(p))
        for m in measures:
            details = []
            if m.standard.strip():
                details.append(t("meeting.measure_standard", standard=m.standard))
            if m.due:
                details.append(t("meeting.measure_due", due=t.date(m.due)))
            lines = m.text.strip("\n")
            c.numbered(lines + t.details(details))
    if not problems:
        c.gap("meeting.measures_empty")
