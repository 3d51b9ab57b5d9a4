"""民主评议党员 个人自评 (domain-notes §4.3, §4.6): the self-assessment sheet.

姓名 / 所在党支部 / 入党时间 / 现任职务 from the profile, or blanks to fill in by hand; 一、一年来主要
表现 under the 测评 dimensions (理想信念、政治理论素质、组织纪律、廉洁自律、联系服务群众、发挥先锋
模范作用), each a placeholder for the user's own account with concrete examples; 二、存在的问题和不足
and 三、努力方向和整改措施 from the year's meeting (the user's words), else placeholders; 四、自评等次
— the grade the user chose, labelled 本人自评（供组织评定参考）; the app never derives or suggests
it — with the signature lines kept on its page. No app usage, no counts of self-checks.
No Textual or Rich here.
"""

from __future__ import annotations

from .compose import Composer
from .content import GRADES
from .gather import Choice, Material, Options, Period
from .meeting import meeting_of
from .model import Document

TEMPLATE = "appraisal"


def choices(material: Material, period: Period, options: Options) -> list[Choice]:
    """Nothing to pick: the sheet is the user's to write."""
    return []


def build(material: Material, period: Period, options: Options) -> Document:
    """The self-assessment for the 年度 of ``period``."""
    if options.grade is not None and options.grade not in GRADES:
        raise ValueError(f"unknown grade {options.grade!r}")
    c = Composer(TEMPLATE, options)
    t = c.t
    meeting = meeting_of(material, period, options)
    year = meeting.year if meeting else period.year
    title = t("appraisal.title", year=year)
    c.title(t("common.sample_title", title=title) if options.sample else title)
    for label_key, value in (
        ("appraisal.field_name", options.name),
        ("appraisal.field_branch", options.branch),
        ("appraisal.field_joined", options.joined),
        ("appraisal.field_position", options.position),
    ):
        c.para(t("appraisal.field_line", label=t(label_key), value=value if value.strip() else t("common.blank")))

    c.h1(t("appraisal.performance_heading"))
    for aspect in t.list("appraisal.performance_aspects"):
        c.h2(aspect)
        c.gap("appraisal.performance_empty", aspect=aspect)

    problems = [p for p in meeting.problems if p.text.strip()] if meeting else []
    c.h1(t("appraisal.problems_heading"))
    for p in problems:
        c.numbered(p.text)
    if not problems:
        c.gap("appraisal.problems_empty")

    c.h1(t("appraisal.measures_heading"))
    measures = [m.text for p in problems for m in p.measures if m.text.strip()]
    for text in measures:
        c.numbered(text)
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
