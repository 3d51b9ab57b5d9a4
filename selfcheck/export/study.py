"""学习情况汇总 (domain-notes §5): what the user studied in a period, sized like the real thing.

一、总体情况 (one sentence of totals and a table by form of study), 二、主要学习内容 (the most used
topics), then — only when the user picks some — 原文摘抄 and 心得体会, and last 存在的不足 and
下一步打算 as placeholders for the user's own words. No Textual or Rich here.
"""

from __future__ import annotations

from collections import Counter

from .compose import Composer, forms_summary
from .content import Text
from .gather import Choice, Material, Options, Period, short, study_in
from .model import Document

TEMPLATE = "study"
#: How many topics the summary names.
TOPICS = 10


def choices(material: Material, period: Period, options: Options) -> list[Choice]:
    """Excerpts and 心得 the user may pick (none are in unless picked)."""
    t = Text(options.lang)
    out: list[Choice] = []
    for e in study_in(material, period):
        day = t.date(e.date)
        if e.excerpt.strip():
            out.append(Choice(f"{e.id}#excerpt", "excerpt", e.date, f"{day} {short(e.title)}：{short(e.excerpt, 24)}", default=False))
        if e.notes.strip():
            out.append(Choice(f"{e.id}#notes", "notes", e.date, f"{day} {short(e.title)}：{short(e.notes, 24)}", default=False))
    return out


def build(material: Material, period: Period, options: Options) -> Document:
    """The study summary for ``period`` with the user's picks."""
    c = Composer(TEMPLATE, options)
    t = c.t
    entries = study_in(material, period)
    c.title(t("common.sample_title", title=t("study.title")) if options.sample else t("study.title"))
    c.date_line(period.label(t))

    c.h1(t("study.overview_heading"))
    if entries:
        total = sum(max(0, int(e.minutes or 0)) for e in entries)
        c.para(t("study.overview", period=period.label(t), count=len(entries), minutes=total, hours=t.hours(total)))
        rows = [(form, str(n), str(minutes)) for form, n, minutes in forms_summary(entries, t)]
        rows.append((t("study.total"), str(len(entries)), str(total)))
        c.table(t.list("study.forms_header"), rows)
    else:
        c.gap("study.overview_empty")

    c.h1(t("study.topics_heading"))
    topics: Counter[str] = Counter(tag for e in entries for tag in e.tags if tag.strip())
    if topics:
        top = sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))[:TOPICS]
        c.para(t("study.topics", topics=t.join([t("study.topic_count", topic=k, count=n) for k, n in top])))
    c.gap("study.topics_empty")

    excerpts = [e for e in entries if e.excerpt.strip() and options.picks(f"{e.id}#excerpt")]
    if excerpts:
        c.h1(t("study.excerpts_heading"))
        for e in excerpts:
            c.h3(t("format.titled", title=e.title, date=t.date(e.date)))
            c.quotes(e.excerpt)
            if e.source.strip():
                c.quotes(t("common.excerpt_source", source=e.source))
    notes = [e for e in entries if e.notes.strip() and options.picks(f"{e.id}#notes")]
    if notes:
        c.h1(t("study.notes_heading"))
        for e in notes:
            c.h3(t("format.titled", title=e.title, date=t.date(e.date)))
            c.user(e.notes)

    c.h1(t("study.shortcomings_heading"))
    c.gap("study.shortcomings_empty")
    c.h1(t("study.plans_heading"))
    c.gap("study.plans_empty")
    return c.document()
