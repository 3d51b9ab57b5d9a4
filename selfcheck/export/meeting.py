"""组织生活会 个人对照检查材料 / 发言提纲 (domain-notes §4.1): the meeting outline.

Title and date line, opening, 一、学习情况和主要收获 (from the diary), 二、上次组织生活会整改落实情况
(from the rectification list, as a ledger), 三、查摆的问题 by 方面, 四、原因剖析, 五、整改措施,
closing line. Every problem, cause, measure and reflection is the user's own text; where the user
wrote nothing, the section shows a placeholder. No Textual or Rich here.
"""

from __future__ import annotations

from .compose import (
    Composer,
    due_label,
    measure_text,
    progress_text,
    status_label,
    study_sentence,
    unique,
)
from .content import Text
from .gather import (
    Choice,
    Finding,
    Material,
    Options,
    Period,
    actions_before,
    findings,
    short,
    study_in,
)
from .model import Document

TEMPLATE = "meeting"


def choices(material: Material, period: Period, options: Options) -> list[Choice]:
    """What the user may leave out of a meeting outline for ``period``."""
    t = Text(options.lang)
    out: list[Choice] = []
    for e in study_in(material, period):
        out.append(Choice(e.id, "study", e.date, f"{t.date(e.date)} {short(e.title)}"))
        if e.notes.strip():
            out.append(Choice(f"{e.id}#notes", "notes", e.date, f"{t.date(e.date)} {short(e.notes)}"))
    for a in actions_before(material, period):
        out.append(Choice(a.id, "rectification", a.created[:10], f"{t.date(a.created)} {short(a.problem)}"))
    for f in findings(material, period):
        text = f.action.problem if f.action else f.answer_text(material, t)
        out.append(Choice(f.key, "problem", f.day, f"{t.date(f.day)} {short(text)}"))
    return out


def build(material: Material, period: Period, options: Options) -> Document:
    """The meeting outline for ``period`` with the user's choices."""
    c = Composer(TEMPLATE, options)
    t = c.t
    year = period.year
    name = options.name.strip()
    c.title(t("meeting.title_named", name=name, year=year) if name else t("meeting.title", year=year))
    c.date_line(t.date(options.day()))
    c.para(t("meeting.opening", year=year))
    _study(c, material, period)
    _rectification(c, material, period)
    chosen = [f for f in findings(material, period) if options.chosen(f.key)]
    _problems(c, material, chosen)
    actions = [f.action for f in chosen if f.action is not None]
    c.h1(t("meeting.causes_heading"))
    causes = unique(a.cause for a in actions)
    for cause in causes:
        c.numbered(cause)
    if not causes:
        c.gap("meeting.causes_empty")
    c.h1(t("meeting.measures_heading"))
    measures = unique(measure_text(a, t) for a in actions)
    for measure in measures:
        c.numbered(measure)
    if not measures:
        c.gap("meeting.measures_empty")
    c.para(t("meeting.closing"))
    return c.document()


def _study(c: Composer, material: Material, period: Period) -> None:
    t, options = c.t, c.options
    c.h1(t("meeting.study_heading"))
    entries = [e for e in study_in(material, period) if options.chosen(e.id)]
    if not entries:
        c.gap("meeting.study_empty")
        return
    c.para(study_sentence(entries, period, t))
    c.h2(t("meeting.study_topics_heading"))
    counts: dict[str, int] = {}
    for e in entries:
        if e.title.strip():
            counts[e.title] = counts.get(e.title, 0) + 1
    for title, n in counts.items():
        c.numbered(title if n == 1 else t("meeting.study_topic_repeat", title=title, count=n))
    c.h2(t("meeting.study_gains_heading"))
    gains = [e for e in entries if e.notes.strip() and options.chosen(f"{e.id}#notes")]
    for e in gains:
        c.h3(t("format.titled", title=e.title, date=t.date(e.date)))
        c.user(e.notes)
    if not gains:
        c.gap("meeting.gains_empty")


def _rectification(c: Composer, material: Material, period: Period) -> None:
    t, options = c.t, c.options
    c.h1(t("meeting.rectification_heading"))
    items = [a for a in actions_before(material, period) if options.chosen(a.id)]
    if not items:
        c.gap("meeting.rectification_empty")
        return
    counts: dict[str, int] = {}
    for a in items:
        counts[a.status] = counts.get(a.status, 0) + 1
    order = ("done", "in_progress", "continuing", "not_started")
    statuses = t.join(
        [
            t("meeting.rectification_status_part", status=status_label(s, t), count=counts[s])
            for s in sorted(counts, key=lambda s: order.index(s) if s in order else len(order))
        ]
    )
    c.para(t("meeting.rectification_summary", count=len(items), statuses=statuses))
    if options.ledger_table:
        c.table(
            t.list("common.ledger_header"),
            [
                (str(i), a.problem, a.measure, due_label(a, t), status_label(a.status, t), progress_text(a, t))
                for i, a in enumerate(items, 1)
            ],
        )
        return
    for a in items:
        c.numbered(a.problem + t.details([status_label(a.status, t)]))
        c.user(progress_text(a, t))


def _problems(c: Composer, material: Material, chosen: list[Finding]) -> None:
    t, options = c.t, c.options
    c.h1(t("meeting.problems_heading"))
    aspects = options.meeting_aspects()
    groups: list[list[str]] = [[] for _ in aspects]
    other: list[str] = []
    seen: set[str] = set()  # the same problem raised twice is listed once, under its first 方面
    for f in chosen:
        text = f.action.problem if f.action else f.answer_text(material, t)
        if not text.strip() or text in seen:
            continue
        seen.add(text)
        index = f.aspect(aspects, options.assign)
        (other if index is None else groups[index]).append(text)
    if any(f.answer is not None for f in chosen):
        c.note(t("common.self_check_label"))
    for aspect, texts in zip(aspects, groups):
        c.h2(aspect.heading)
        for text in texts:
            c.numbered(text)
        if not texts:
            c.gap("meeting.aspect_empty")
    if other:
        c.h2(t("common.other_aspect"))
        for text in other:
            c.numbered(text)
    if not aspects and not other:
        c.gap("meeting.aspect_empty")
