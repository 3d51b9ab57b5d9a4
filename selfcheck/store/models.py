"""Domain dataclasses and their converters to and from stored documents.

Screens and the CLI only ever see these classes, never raw TinyDB documents. Stored values are
stable codes (``status="in_progress"``); the UI translates them. Every converter is lenient on
read (missing fields take defaults, unknown ones are kept in ``extra``) so a vault written by a
later minor version still opens, and strict on the types it writes.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, date, datetime
from typing import Any, ClassVar, TypeVar

#: 立行立改 (fix at once) and 长期坚持 (keep at it).
ACTION_KINDS = ("immediate", "ongoing")
#: 未开始 / 整改中 / 已完成 / 持续整改.
ACTION_STATUSES = ("not_started", "in_progress", "done", "continuing")
#: Where a rectification item was raised (``ActionItem.origin``).
ORIGINS = ("meeting", "talk", "selfcheck", "feedback", "manual")

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def new_id() -> str:
    """A fresh random id (32 hex digits); ids survive export and import unchanged."""
    return uuid.uuid4().hex


def now_iso() -> str:
    """The current UTC time as ISO 8601 with seconds, e.g. ``2026-11-27T21:12:03Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def today_iso() -> str:
    """Today's local date as ``YYYY-MM-DD``."""
    return date.today().isoformat()


def parse_date(text: str) -> str:
    """Validate a ``YYYY-MM-DD`` date and return it; raises ``ValueError`` otherwise."""
    if not isinstance(text, str) or not _DATE_RE.match(text):
        raise ValueError(text)
    return date.fromisoformat(text).isoformat()


def clean_text(value: Any) -> str:
    """A user string made safe to store: lone surrogates (from undecodable input) become U+FFFD."""
    text = "" if value is None else str(value)
    return text.encode("utf-8", "replace").decode("utf-8") if _has_surrogate(text) else text


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _detach(value: Any) -> Any:
    """A copy of the lists and dicts in ``value`` (strings and numbers are shared).

    Records are built from the live TinyDB documents; without this, editing a returned record's
    ``tags`` (or ``extra``, ``source``, settings targets) in place would change the stored data
    without a save, and the next unrelated commit would write it to disk.
    """
    if isinstance(value, list):
        return [_detach(v) for v in value]
    if isinstance(value, dict):
        return {k: _detach(v) for k, v in value.items()}
    return value


T = TypeVar("T", bound="Record")


@dataclass
class Record:
    """Common shape of stored records: an ``id`` and conversion to and from a document."""

    TABLE: ClassVar[str] = ""

    id: str = field(default_factory=new_id)

    def to_doc(self) -> dict[str, Any]:
        """The document stored in TinyDB (plain JSON types)."""
        return _flatten(asdict(self))

    @classmethod
    def from_doc(cls: type[T], doc: dict[str, Any]) -> T:
        """Build from a stored document; unknown keys are kept in ``extra``."""
        return _lenient(cls, doc)


def _flatten(doc: dict[str, Any]) -> dict[str, Any]:
    """``asdict`` output with every ``extra`` (unknown keys kept on read) merged back in place."""
    extra = doc.pop("extra", None) or {}
    for key, value in doc.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) and "extra" in v for v in value):
            doc[key] = [_flatten(v) for v in value]
    return {**extra, **doc}


_FIELD_NAMES: dict[type, frozenset[str]] = {}


def _field_names(cls: type) -> frozenset[str]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(f.name for f in fields(cls))
    return names


def _lenient(cls: type[Any], doc: dict[str, Any], *, detach: bool = True) -> Any:
    """``cls`` from ``doc``: missing fields take defaults, unknown ones go to ``extra`` (a later
    version's record loads and saves back unchanged). ``detach=False`` for parts of a document
    already copied by :func:`_detach` (answers, progress notes: 500 self-checks hold 7,000)."""
    names = _field_names(cls)
    copy = _detach if detach else _same
    if "extra" not in doc and names.issuperset(doc):  # nothing unknown: the common case
        return cls(**{k: copy(v) for k, v in doc.items()})
    obj = cls(**{k: copy(v) for k, v in doc.items() if k in names and k != "extra"})
    if "extra" in names:
        obj.extra = {k: copy(v) for k, v in doc.items() if k not in names}
    return obj


def _same(value: Any) -> Any:
    return value


@dataclass
class StudyEntry(Record):
    """One study diary entry (学习日志)."""

    TABLE: ClassVar[str] = "study"

    date: str = field(default_factory=today_iso)
    title: str = ""  # 学习内容 / 篇目
    source: str = ""  # 出处
    form: str = ""  # 学习形式, a code from the catalogs or the user's own words
    minutes: int = 0
    tags: list[str] = field(default_factory=list)
    excerpt: str = ""  # 摘抄 (source text, marked as such)
    notes: str = ""  # 心得体会 (the user's own words)
    #: Marked by the user as something to look at when finding problems before the meeting.
    marked: bool = False
    created: str = field(default_factory=now_iso)
    updated: str = field(default_factory=now_iso)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Answer:
    """One answered item of a self-check, with the prompt copied as it was shown."""

    item_id: str = ""
    prompt: str = ""
    answer: str | int | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Assessment(Record):
    """One self-check against a checklist (自重 / 自省 / 自警 / 自励); ``completed=None`` is a draft."""

    TABLE: ClassVar[str] = "assessments"

    checklist_id: str = ""
    checklist_version: int = 1
    started: str = field(default_factory=now_iso)
    completed: str | None = None
    period_label: str = ""
    answers: list[Answer] = field(default_factory=list)
    reflection: str = ""
    updated: str = field(default_factory=now_iso)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_draft(self) -> bool:
        """True until the user finishes the walk-through."""
        return self.completed is None

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Assessment:
        """Build from a stored document, answers included."""
        obj = super().from_doc(doc)
        obj.answers = [a if isinstance(a, Answer) else _lenient(Answer, a, detach=False) for a in obj.answers if isinstance(a, (Answer, dict))]
        return obj


@dataclass
class ProgressNote:
    """A dated line of progress on a rectification item."""

    date: str = ""
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class ActionItem(Record):
    """A rectification item (整改清单), from a self-check or added by hand."""

    TABLE: ClassVar[str] = "actions"

    problem: str = ""  # 问题
    cause: str = ""  # 原因
    measure: str = ""  # 整改措施
    standard: str = ""  # 整改标准 / 目标
    due: str | None = None  # 整改时限
    kind: str = "immediate"  # 立行立改 / 长期坚持
    status: str = "not_started"
    progress: list[ProgressNote] = field(default_factory=list)
    done_date: str | None = None
    done_note: str = ""
    #: ``{"assessment": id, "item": item_id}`` for items raised in a self-check, else None (manual).
    source: dict[str, str] | None = None
    #: Where the item was raised: ``{"kind": k, "id": record id}`` with ``k`` one of
    #: :data:`ORIGINS` (``manual`` has no id). None on items from before schema 2 (read as
    #: :meth:`origin_kind`).
    origin: dict[str, str] | None = None
    created: str = field(default_factory=now_iso)
    updated: str = field(default_factory=now_iso)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> ActionItem:
        """Build from a stored document, progress notes included."""
        obj = super().from_doc(doc)
        obj.progress = [
            p if isinstance(p, ProgressNote) else _lenient(ProgressNote, p, detach=False)
            for p in obj.progress
            if isinstance(p, (ProgressNote, dict))
        ]
        return obj

    def origin_kind(self) -> str:
        """``meeting``, ``talk``, ``selfcheck``, ``feedback`` or ``manual``."""
        if isinstance(self.origin, dict) and self.origin.get("kind") in ORIGINS:
            return str(self.origin["kind"])
        return "selfcheck" if self.source and self.source.get("assessment") else "manual"

    def raised_at(self, meeting_id: str) -> bool:
        """Whether the item was raised at the meeting with ``meeting_id``."""
        origin = self.origin if isinstance(self.origin, dict) else {}
        return origin.get("kind") == "meeting" and origin.get("id") == meeting_id

    def is_overdue(self, today: str | None = None) -> bool:
        """Open and past its due date."""
        return self.status != "done" and self.due is not None and self.due != "" and self.due < (today or today_iso())


@dataclass
class TalkNote(Record):
    """Notes of a heart-to-heart talk (谈心谈话); the other person is recorded by role only."""

    TABLE: ClassVar[str] = "talks"

    date: str = field(default_factory=today_iso)
    place: str = ""  # 谈话地点
    kind: str = ""  # e.g. 组织约谈 / 同志间谈心
    counterpart_role: str = ""  # e.g. 支部书记 (a role, never required by name)
    topic: str = ""
    heard: str = ""  # what I heard
    said: str = ""  # what I said
    followups: str = ""
    created: str = field(default_factory=now_iso)
    updated: str = field(default_factory=now_iso)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Settings:
    """User settings stored inside the vault (``meta`` table)."""

    language: str = "zh"
    autolock_minutes: int = 5
    theme: str = "textual-dark"
    backups_kept: int = 10
    export_font_preset: str = "gb2312"
    #: Optional yearly targets the user sets for themselves, e.g. ``{"notes_chars": 20000}``.
    yearly_targets: dict[str, int] = field(default_factory=dict)
    #: 姓名, 所在党支部, 入党时间, 现任职务 (keys of :data:`PROFILE_FIELDS`), all optional: exports
    #: print them or leave blanks.
    profile: dict[str, str] = field(default_factory=dict)

    def to_doc(self) -> dict[str, Any]:
        """Plain JSON."""
        return asdict(self)

    @classmethod
    def from_doc(cls, doc: dict[str, Any] | None) -> Settings:
        """Build from stored settings; unknown keys are ignored."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: _detach(v) for k, v in (doc or {}).items() if k in names})


#: The profile's fields (``Settings.profile``), in the order forms and exports show them.
PROFILE_FIELDS = ("name", "branch", "joined", "position")


@dataclass
class Measure:
    """One 整改措施 settled for a problem at a meeting; ``action`` is the rectification item it
    became when the preparation was finished."""

    text: str = ""
    due: str | None = None
    standard: str = ""
    action: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Problem:
    """One problem the user settled for a meeting, in their own words."""

    id: str = field(default_factory=new_id)
    #: The 方面 heading it is filed under ("" when not yet placed).
    aspect: str = ""
    text: str = ""  # 表现
    example: str = ""  # 具体事例
    cause: str = ""  # 原因 (this problem's own; the meeting may also have general ones)
    measures: list[Measure] = field(default_factory=list)
    #: Records it grew from: ``{"kind": "assessment"|"talk"|"study"|"action", "id": …, "item": …}``.
    #: Shown beside it while writing; never printed.
    links: list[dict[str, str]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Problem:
        """Build from a stored document, measures included."""
        obj: Problem = _lenient(cls, doc)
        obj.measures = [m if isinstance(m, Measure) else _lenient(Measure, m, detach=False) for m in obj.measures if isinstance(m, (Measure, dict))]
        obj.links = [dict(link) for link in obj.links if isinstance(link, dict)]
        return obj


#: The steps of the 会前准备 flow, in order (``Meeting.step`` is an index into it).
MEETING_STEPS = ("setup", "carried", "problems", "causes", "measures", "preview")


@dataclass
class Meeting(Record):
    """A 组织生活会 / 民主评议 the user prepares for: its 年度, date, the 检视方面 of that year's
    notice, and the problems, causes and measures the user settled for it."""

    TABLE: ClassVar[str] = "meetings"

    year: int = 0  # 年度
    date: str | None = None  # planned (or held) date
    #: The 方面 headings of the year's notice, verbatim.
    aspects: list[str] = field(default_factory=list)
    #: Which preset the headings came from (``seed``, ``notice2024``, … or ``own``).
    aspect_preset: str = ""
    study_note: str = ""  # 会前学习
    opinions: str = ""  # 征求意见
    #: 上年度整改: rectification item id → the user's 落实情况.
    carried: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: General causes under the usual headings: heading → the user's text.
    causes: dict[str, str] = field(default_factory=dict)
    #: Study entries whose 心得 the user picked for 主要收获.
    gains: list[str] = field(default_factory=list)
    step: int = 0  # where the preparation resumes
    finished: str | None = None  # when the measures became rectification items
    created: str = field(default_factory=now_iso)
    updated: str = field(default_factory=now_iso)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Meeting:
        """Build from a stored document, problems included."""
        obj = super().from_doc(doc)
        obj.problems = [p if isinstance(p, Problem) else Problem.from_doc(p) for p in obj.problems if isinstance(p, (Problem, dict))]
        return obj

    def problem(self, problem_id: str) -> Problem | None:
        """The problem with ``problem_id``, or None."""
        return next((p for p in self.problems if p.id == problem_id), None)


#: The record classes stored in the vault, by table name.
RECORD_TYPES: dict[str, type[Record]] = {
    cls.TABLE: cls for cls in (StudyEntry, Assessment, ActionItem, TalkNote, Meeting)
}
