"""谈心谈话记录 (domain-notes §4.4, §4.6): one record per talk in the period.

Each talk: 谈话时间、谈话地点、谈话对象 (by role only, as the user recorded it)、谈话类型、谈话主题,
then 对方谈的意见, 本人的认识与表态 and 后续跟进 — the user's own notes, verbatim; a field left
empty stays a blank to fill in by hand. No Textual or Rich here.
"""

from __future__ import annotations

from ..store.models import TalkNote
from .compose import Composer
from .content import Text
from .gather import Choice, Material, Options, Period, short, talks_in
from .model import Document

TEMPLATE = "talk"


def choices(material: Material, period: Period, options: Options) -> list[Choice]:
    """The talks of ``period`` (each in unless left out)."""
    t = Text(options.lang)
    return [
        Choice(talk.id, "talk", talk.date, f"{t.date(talk.date)} {short(talk.topic or talk.kind or talk.counterpart_role)}")
        for talk in talks_in(material, period)
    ]


def build(material: Material, period: Period, options: Options) -> Document:
    """The records of the talks in ``period`` the user kept in."""
    c = Composer(TEMPLATE, options)
    t = c.t
    c.title(t("common.sample_title", title=t("talk.title")) if options.sample else t("talk.title"))
    c.date_line(period.label(t))
    talks = [talk for talk in talks_in(material, period) if options.chosen(talk.id)]
    for talk in talks:
        _record(c, talk)
    if not talks:
        c.gap("talk.empty")
    return c.document()


def _record(c: Composer, talk: TalkNote) -> None:
    t = c.t
    c.h1(t("talk.record_heading", date=t.date(talk.date)))
    for label, value in (
        ("talk.field_date", t.date(talk.date)),
        ("talk.field_place", talk.place),
        ("talk.field_counterpart", talk.counterpart_role),
        ("talk.field_kind", talk.kind),
        ("talk.field_topic", talk.topic),
    ):
        c.para(t("talk.field_line", label=t(label), value=value if value.strip() else t("common.blank")))
    for heading, text, empty in (
        ("talk.heard_heading", talk.heard, "talk.heard_empty"),
        ("talk.said_heading", talk.said, "talk.said_empty"),
        ("talk.followups_heading", talk.followups, "talk.followups_empty"),
    ):
        c.h2(t(heading))
        if text.strip():
            c.user(text)
        else:
            c.gap(empty)
