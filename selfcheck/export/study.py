"""学习情况汇总 (domain-notes §5): what the user studied in a period.

一、总体情况 (sessions and minutes by form of study, as a table), 二、学习内容 (one line per entry:
date, title, source, form, minutes), 三、原文摘抄 (the excerpts the user chose, marked as source
text with their 出处), 四、心得体会 (the reflections the user chose). No Textual or Rich here.
"""

from __future__ import annotations

from .compose import Composer, forms_summary
from .content import Text
from .gather import Choice, Material, Options, Period, short, study_in
from .model import Document

TEMPLATE = "study"


def choices(material: Material, period: Period, options: Options) -> list[Choice]:
    """What the user may leave out of a study summary for ``period``."""
    t = Text(options.lang)
    out: list[Choice] = []
    for e in study_in(material, period):
        day = t.date(e.date)
        out.append(Choice(e.id, "study", e.date, f"{day} {short(e.title)}"))
        if e.excerpt.strip():
            out.append(Choice(f"{e.id}#excerpt", "excerpt", e.date, f"{day} {short(e.excerpt)}"))
        if e.notes.strip():
            out.append(Choice(f"{e.id}#notes", "notes", e.date, f"{day} {short(e.notes)}"))
    return out


def build(material: Material, period: Period, options: Options) -> Document:
    """The study summary for ``period`` with the user's choices."""
    c = Composer(TEMPLATE, options)
    t = c.t
    chosen = options.chosen
    entries = [e for e in study_in(material, period) if chosen(e.id)]
    c.title(t("study.title"))
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

    c.h1(t("study.entries_heading"))
    for e in entries:
        minutes = t("format.minutes", n=e.minutes) if e.minutes else ""
        c.numbered(f"{t.date(e.date)} {e.title}" + t.details([e.source, e.form, minutes]))
    if not entries:
        c.gap("study.entries_empty")

    c.h1(t("study.excerpts_heading"))
    excerpts = [e for e in entries if e.excerpt.strip() and chosen(f"{e.id}#excerpt")]
    for e in excerpts:
        c.h3(t("format.titled", title=e.title, date=t.date(e.date)))
        c.quotes(e.excerpt)
        if e.source.strip():
            c.quotes(t("common.excerpt_source", source=e.source))
    if not excerpts:
        c.gap("study.excerpts_empty")

    c.h1(t("study.notes_heading"))
    notes = [e for e in entries if e.notes.strip() and chosen(f"{e.id}#notes")]
    for e in notes:
        c.h3(t("format.titled", title=e.title, date=t.date(e.date)))
        c.user(e.notes)
    if not notes:
        c.gap("study.notes_empty")
    return c.document()
