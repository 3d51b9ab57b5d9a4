"""民主评议党员 个人自评 (domain-notes §4.3): the self-assessment sheet.

Optional 姓名 / 所在党支部 / 入党时间 / 现任职务 lines, 一、一年来主要表现 (five sub-headings, each a
placeholder for the user's own account; the study one opens with the diary's totals),
二、自我检视情况 (how many self-checks of each kind and the user's reflections, labelled as the
user's own record), 三、存在的问题和不足, 四、努力方向和整改措施, 五、自评等次 — the grade the user
chose, labelled 本人自评（供组织评定参考）; the app never derives or suggests it — and a signature
line left blank for a handwritten signature. No Textual or Rich here.
"""

from __future__ import annotations

from .compose import Composer, measure_text, study_sentence, unique
from .content import GRADES, Text
from .gather import (
    Choice,
    Material,
    Options,
    Period,
    assessments_in,
    findings,
    short,
    study_in,
)
from .model import Document

TEMPLATE = "appraisal"


def choices(material: Material, period: Period, options: Options) -> list[Choice]:
    """What the user may leave out of the self-assessment for ``period``."""
    t = Text(options.lang)
    out: list[Choice] = []
    for e in study_in(material, period):
        out.append(Choice(e.id, "study", e.date, f"{t.date(e.date)} {short(e.title)}"))
    for a in assessments_in(material, period):
        day = (a.completed or a.started)[:10]
        title = material.checklist_title(a.checklist_id, options.lang)
        out.append(Choice(a.id, "selfcheck", day, f"{t.date(day)} {title}"))
        if a.reflection.strip():
            out.append(Choice(f"{a.id}#reflection", "reflection", day, f"{t.date(day)} {short(a.reflection)}"))
    for f in findings(material, period):
        text = f.action.problem if f.action else f.answer_text(material, t)
        out.append(Choice(f.key, "problem", f.day, f"{t.date(f.day)} {short(text)}"))
    return out


def build(material: Material, period: Period, options: Options) -> Document:
    """The self-assessment for ``period`` with the user's choices."""
    if options.grade is not None and options.grade not in GRADES:
        raise ValueError(f"unknown grade {options.grade!r}")
    c = Composer(TEMPLATE, options)
    t = c.t
    chosen = options.chosen
    c.title(t("appraisal.title"))
    c.date_line(t.date(options.day()))
    for label_key, value in (
        ("appraisal.field_name", options.name),
        ("appraisal.field_branch", options.branch),
        ("appraisal.field_joined", options.joined),
        ("appraisal.field_position", options.position),
    ):
        if value.strip():
            c.para(t("appraisal.field_line", label=t(label_key), value=value))

    c.h1(t("appraisal.performance_heading"))
    entries = [e for e in study_in(material, period) if chosen(e.id)]
    study_index = t.raw("appraisal.study_aspect")
    for i, aspect in enumerate(t.list("appraisal.performance_aspects")):
        c.h2(aspect)
        if i == study_index and entries:
            c.para(study_sentence(entries, period, t))
        c.gap("appraisal.performance_empty", aspect=aspect)

    c.h1(t("appraisal.selfcheck_heading"))
    checks = [a for a in assessments_in(material, period) if chosen(a.id)]
    if checks:
        c.note(t("common.self_check_label"))
        counts: dict[str, int] = {}
        for a in checks:
            counts[a.checklist_id] = counts.get(a.checklist_id, 0) + 1
        for checklist_id, n in counts.items():
            c.para(t("appraisal.selfcheck_line", checklist=material.checklist_title(checklist_id, t.lang), count=n))
        for a in checks:
            if a.reflection.strip() and chosen(f"{a.id}#reflection"):
                title = material.checklist_title(a.checklist_id, t.lang)
                c.h3(t("talk.reflection_title", checklist=title, date=t.date(a.completed)))
                c.user(a.reflection)
    else:
        c.gap("appraisal.selfcheck_empty")

    c.h1(t("appraisal.problems_heading"))
    found = [f for f in findings(material, period) if chosen(f.key)]
    problems = unique(f.action.problem if f.action else f.answer_text(material, t) for f in found)
    if any(f.answer is not None for f in found):
        c.note(t("common.self_check_label"))
    for problem in problems:
        c.numbered(problem)
    if not problems:
        c.gap("appraisal.problems_empty")

    c.h1(t("appraisal.measures_heading"))
    measures = unique(measure_text(f.action, t) for f in found if f.action is not None)
    for measure in measures:
        c.numbered(measure)
    if not measures:
        c.gap("appraisal.measures_empty")

    c.h1(t("appraisal.grade_heading"))
    if options.grade:
        c.para(t("appraisal.grade_line", grade=t(f"grades.{options.grade}")))
    else:
        c.gap("appraisal.grade_empty")
    c.signature(t("appraisal.signature"))
    c.signature(t("appraisal.signature_date"))
    return c.document()
