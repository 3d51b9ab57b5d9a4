"""谈心谈话 preparation notes (domain-notes §4.4): a short summary to take into a talk.

一、近期思想和学习情况 (the user's self-check reflections and study notes), 二、存在的问题和整改进展
(rectification items open during the period, with their latest progress), 三、此前谈话的跟进事项
(the user's follow-ups from earlier talk notes), 四、希望交流的问题 (the user's questions). The
other person of an earlier talk is never named: talk notes appear by date and topic only.
No Textual or Rich here.
"""

from __future__ import annotations

from .compose import Composer, progress_text, status_label
from .content import Text
from .gather import (
    Choice,
    Material,
    Options,
    Period,
    actions_active_in,
    assessments_in,
    short,
    study_in,
    talks_in,
)
from .model import Document, split_lines

TEMPLATE = "talk"


def choices(material: Material, period: Period, options: Options) -> list[Choice]:
    """What the user may leave out of talk notes for ``period``."""
    t = Text(options.lang)
    out: list[Choice] = []
    for a in assessments_in(material, period):
        if a.reflection.strip():
            day = (a.completed or a.started)[:10]
            out.append(Choice(f"{a.id}#reflection", "reflection", day, f"{t.date(day)} {short(a.reflection)}"))
    for e in study_in(material, period):
        if e.notes.strip():
            out.append(Choice(f"{e.id}#notes", "notes", e.date, f"{t.date(e.date)} {short(e.title)}"))
    for action in actions_active_in(material, period):
        out.append(
            Choice(action.id, "rectification", action.created[:10], f"{t.date(action.created)} {short(action.problem)}")
        )
    for talk in talks_in(material, period):
        if talk.followups.strip():
            out.append(Choice(talk.id, "talk", talk.date, f"{t.date(talk.date)} {short(talk.topic or talk.followups)}"))
    return out


def build(material: Material, period: Period, options: Options) -> Document:
    """Talk notes for ``period`` with the user's choices."""
    c = Composer(TEMPLATE, options)
    t = c.t
    chosen = options.chosen
    c.title(t("talk.title"))
    c.date_line(t.date(options.day()))

    c.h1(t("talk.reflections_heading"))
    reflections = [a for a in assessments_in(material, period) if a.reflection.strip() and chosen(f"{a.id}#reflection")]
    notes = [e for e in study_in(material, period) if e.notes.strip() and chosen(f"{e.id}#notes")]
    if reflections:
        c.h2(t("talk.selfcheck_reflections_heading"))
        for a in reflections:
            title = material.checklist_title(a.checklist_id, t.lang)
            c.h3(t("talk.reflection_title", checklist=title, date=t.date(a.completed)))
            c.user(a.reflection)
    if notes:
        c.h2(t("talk.study_notes_heading"))
        for e in notes:
            c.h3(t("format.titled", title=e.title, date=t.date(e.date)))
            c.user(e.notes)
    if not reflections and not notes:
        c.gap("talk.reflections_empty")

    c.h1(t("talk.problems_heading"))
    actions = [a for a in actions_active_in(material, period) if chosen(a.id)]
    for action in actions:
        c.numbered(action.problem + t("talk.problem_status", status=status_label(action.status, t)))
        progress = split_lines(progress_text(action, t))
        if progress:
            c.para(t("talk.latest_progress", line=progress[0]))
            for line in progress[1:]:
                c.para(line)
    if not actions:
        c.gap("talk.problems_empty")

    c.h1(t("talk.followups_heading"))
    talks = [talk for talk in talks_in(material, period) if talk.followups.strip() and chosen(talk.id)]
    for talk in talks:
        c.h3(t("format.titled", title=talk.topic or talk.kind, date=t.date(talk.date)))
        c.user(talk.followups)
    if not talks:
        c.gap("talk.followups_empty")

    c.h1(t("talk.questions_heading"))
    questions = [q for q in options.questions if q.strip()]
    for question in questions:
        c.numbered(question)
    if not questions:
        c.gap("talk.questions_empty")
    return c.document()
