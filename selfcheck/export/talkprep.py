"""谈心谈话准备提纲: a short outline to take into a talk, from what happened in the period.

一、近期思想和学习情况 (the user's own account; the self-check reflections and 心得 the user picks),
二、存在的问题和整改进展 (only the rectification items raised, advanced or closed in the period, with
their latest progress), 三、此前谈话的跟进事项 (follow-ups the user wrote after talks in the period),
四、希望交流的问题. The other person of an earlier talk is never named. No Textual or Rich here.
"""

from __future__ import annotations

from .compose import Composer, progress_text, status_label
from .content import Text
from .gather import (
    Choice,
    Material,
    Options,
    Period,
    actions_moved_in,
    assessments_in,
    short,
    study_in,
    talks_in,
)
from .model import Document, split_lines

TEMPLATE = "talkprep"


def choices(material: Material, period: Period, options: Options) -> list[Choice]:
    """Reflections and 心得 to pick (out unless picked); items and follow-ups (in unless left out)."""
    t = Text(options.lang)
    out: list[Choice] = []
    for a in assessments_in(material, period):
        if a.reflection.strip():
            day = (a.completed or a.started)[:10]
            out.append(Choice(f"{a.id}#reflection", "reflection", day, f"{t.date(day)} {short(a.reflection)}", default=False))
    for e in study_in(material, period):
        if e.notes.strip():
            out.append(Choice(f"{e.id}#notes", "notes", e.date, f"{t.date(e.date)} {short(e.title)}", default=False))
    for action in actions_moved_in(material, period):
        out.append(Choice(action.id, "rectification", action.created[:10], f"{t.date(action.created)} {short(action.problem)}"))
    for talk in talks_in(material, period):
        if talk.followups.strip():
            out.append(Choice(talk.id, "talk", talk.date, f"{t.date(talk.date)} {short(talk.topic or talk.followups)}"))
    return out


def build(material: Material, period: Period, options: Options) -> Document:
    """The preparation outline for ``period`` with the user's choices."""
    c = Composer(TEMPLATE, options)
    t = c.t
    chosen, picks = options.chosen, options.picks
    c.title(t("common.sample_title", title=t("talkprep.title")) if options.sample else t("talkprep.title"))
    c.date_line(t.date(options.day()))

    c.h1(t("talkprep.reflections_heading"))
    reflections = [a for a in assessments_in(material, period) if a.reflection.strip() and picks(f"{a.id}#reflection")]
    notes = [e for e in study_in(material, period) if e.notes.strip() and picks(f"{e.id}#notes")]
    for a in reflections:
        c.user(a.reflection)
    for e in notes:
        c.user(e.notes)
    if not reflections and not notes:
        c.gap("talkprep.reflections_empty")

    c.h1(t("talkprep.problems_heading"))
    actions = [a for a in actions_moved_in(material, period) if chosen(a.id)]
    for action in actions:
        c.numbered(action.problem + t("talkprep.problem_status", status=status_label(action.status, t)))
        progress = split_lines(progress_text(action, t))
        if progress:
            c.para(t("talkprep.latest_progress", line=progress[0]))
            for line in progress[1:]:
                c.para(line)
    if not actions:
        c.gap("talkprep.problems_empty")

    c.h1(t("talkprep.followups_heading"))
    talks = [talk for talk in talks_in(material, period) if talk.followups.strip() and chosen(talk.id)]
    for talk in talks:
        c.numbered(talk.followups)
    if not talks:
        c.gap("talkprep.followups_empty")

    c.h1(t("talkprep.questions_heading"))
    questions = [q for q in options.questions if q.strip()]
    for question in questions:
        c.numbered(question)
    if not questions:
        c.gap("talkprep.questions_empty")
    return c.document()
