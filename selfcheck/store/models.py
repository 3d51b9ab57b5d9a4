"""Domain dataclasses and their converters to and from stored documents.

Screens and the CLI only ever see these classes, never raw TinyDB documents. Stored values are
stable codes (``status="in_progress"``); the UI translates them. Every converter is lenient on
read (missing fields take defaults, unknown ones are kept in ``extra``) so a vault written by a
later minor version still opens, and strict on the types it writes.
"""

from __future__ import annotations

import os
import re
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
    """A fresh random id (32 hex digits, 128 random bits); ids survive export and import
    unchanged. Not ``uuid4``: the ``uuid`` module imports ``platform`` (5 ms of a CLI start)."""
    return os.urandom(16).hex()


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
    kind = type(value)
    if kind in _ATOMIC:  # most values: answered at once (an export converts 100,000 of them)
        return value
    if kind is list or isinstance(value, list):
        return [v if type(v) in _ATOMIC else _detach(v) for v in value]
    if kind is dict or isinstance(value, dict):
        return {k: v if type(v) in _ATOMIC else _detach(v) for k, v in value.items()}
    return value


_ATOMIC = frozenset((str, int, float, bool, type(None)))


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


def _parts(cls: type[Any], items: list[Any], build: Any = None) -> list[Any]:
    """A record's nested list (answers, progress notes, problems, measures) as ``cls`` objects;
    entries that are neither ``cls`` nor a dict are dropped. ``build`` turns a dict into ``cls``
    (default: leniently, the dicts being copies already)."""
    make = build or (lambda d: _lenient(cls, d, detach=False))
    return [i if isinstance(i, cls) else make(i) for i in items if isinstance(i, (cls, dict))]


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
        obj.answers = _parts(Answer, obj.answers)
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
        obj.progress = _parts(ProgressNote, obj.progress)
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
        obj.measures = _parts(Measure, obj.measures)
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
        obj.problems = _parts(Problem, obj.problems, Problem.from_doc)
        return obj

    def problem(self, problem_id: str) -> Problem | None:
        """The problem with ``problem_id``, or None."""
        return next((p for p in self.problems if p.id == problem_id), None)


#: The record classes stored in the vault, by table name.
RECORD_TYPES: dict[str, type[Record]] = {
    cls.TABLE: cls for cls in (StudyEntry, Assessment, ActionItem, TalkNote, Meeting)
}


# --------------------------------------------------------------------------- validation
#
# One validator per record kind (:data:`VALIDATORS`), used by import and by the CLI: text fields
# hold text, numbers are whole and in range, dates are real and not absurd, titles are not empty.
# The field kinds come from the dataclasses' own annotations, so a new field is checked too.

#: Dates a user or an import may give: real calendar dates within these years.
MIN_YEAR, MAX_YEAR = 1900, 2100
#: The most minutes one study entry may record (a whole day).
MAX_MINUTES = 24 * 60
#: A sane ceiling for other whole numbers in a record (checklist versions, steps).
MAX_NUMBER = 1_000_000

#: English wording of each problem (the catalogs hold ``error.field_<problem>`` in both languages).
FIELD_PROBLEMS = {
    "missing": "is missing",
    "empty": "is empty",
    "not_text": "is not text",
    "not_number": "is not a whole number",
    "out_of_range": "is not between {low} and {high}",
    "not_bool": "is not true or false",
    "not_list": "is not a list",
    "not_texts": "holds something other than text",
    "not_object": "is not an object",
    "not_objects": "is not a list of objects",
    "not_text_map": "is not an object of texts",
    "not_date": "is not a YYYY-MM-DD date",
    "date_range": "is not between the years {low} and {high}",
    "not_choice": "is not one of {allowed}",
}


class InvalidField(ValueError):
    """A field that does not hold what it must. ``field`` is its path (``study[3].title``),
    ``problem`` a key of :data:`FIELD_PROBLEMS` and ``fields`` the values its message names."""

    def __init__(self, field: str, problem: str, **fields: object) -> None:
        self.field = field
        self.problem = problem
        self.fields = fields
        super().__init__(f"{field} {FIELD_PROBLEMS[problem].format(**fields)}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_date(value: Any, where: str) -> str:
    """A real ``YYYY-MM-DD`` date between :data:`MIN_YEAR` and :data:`MAX_YEAR`, normalised."""
    try:
        day = parse_date(value)
    except (TypeError, ValueError):
        raise InvalidField(where, "not_date") from None
    if not MIN_YEAR <= int(day[:4]) <= MAX_YEAR:
        raise InvalidField(where, "date_range", low=MIN_YEAR, high=MAX_YEAR)
    return day


def check_number(value: Any, where: str, low: int = 0, high: int = MAX_NUMBER) -> int:
    """A whole number (never a bool) between ``low`` and ``high``."""
    if not _is_int(value):
        raise InvalidField(where, "not_number")
    if not low <= value <= high:
        raise InvalidField(where, "out_of_range", low=low, high=high)
    return int(value)


def check_title(value: Any, where: str) -> str:
    """Text with something in it besides spaces."""
    if not isinstance(value, str):
        raise InvalidField(where, "not_text")
    if not value.strip():
        raise InvalidField(where, "empty")
    return value


def _check_kind(kind: str, value: Any, where: str) -> None:
    """``value`` has the JSON shape of the annotation ``kind`` (a string: annotations are lazy)."""
    if kind.endswith(" | None"):
        if value is None:
            return
        kind = kind[: -len(" | None")]
    if kind == "str":
        ok, problem = isinstance(value, str), "not_text"
    elif kind == "int":
        ok, problem = _is_int(value), "not_number"
    elif kind == "bool":
        ok, problem = isinstance(value, bool), "not_bool"
    elif kind == "str | int":
        ok, problem = isinstance(value, str) or _is_int(value), "not_text"
    elif kind == "list[str]":
        if not isinstance(value, list):
            raise InvalidField(where, "not_list")
        ok, problem = all(isinstance(v, str) for v in value), "not_texts"
    elif kind == "dict[str, str]":
        ok = isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
        problem = "not_text_map"
    elif kind == "dict[str, int]":
        ok = isinstance(value, dict) and all(_is_int(v) for v in value.values())
        problem = "not_object"
    elif kind == "list[dict[str, str]]":
        ok = isinstance(value, list) and all(
            isinstance(v, dict) and all(isinstance(x, str) for x in v.values()) for v in value
        )
        problem = "not_objects"
    elif kind.startswith("list["):
        if not isinstance(value, list):
            raise InvalidField(where, "not_list")
        ok, problem = all(isinstance(v, dict) for v in value), "not_objects"
    elif kind.startswith("dict["):
        ok, problem = isinstance(value, dict), "not_object"
    else:  # pragma: no cover - a field kind this checker does not know yet
        return
    if not ok:
        raise InvalidField(where, problem)


#: Fields checked as dates by the validators (a number there is "not a date", not "not text").
_DATE_NAMES = frozenset({"date", "due", "done_date"})


def _check_fields(cls: type, doc: Any, where: str, required: tuple[str, ...] = ()) -> dict[str, Any]:
    """``doc`` is an object whose known fields have the kinds ``cls`` declares."""
    if not isinstance(doc, dict):
        raise InvalidField(where, "not_object")
    for name in required:
        if name not in doc:
            raise InvalidField(f"{where}.{name}", "missing")
    for f in fields(cls):
        if f.name != "extra" and f.name in doc and f.name not in _DATE_NAMES:
            _check_kind(str(f.type), doc[f.name], f"{where}.{f.name}")
    return doc


def _check_optional_date(doc: dict[str, Any], key: str, where: str) -> None:
    if doc.get(key) is not None:
        doc[key] = check_date(doc[key], f"{where}.{key}")


def _check_choice(doc: dict[str, Any], key: str, allowed: tuple[str, ...], where: str) -> None:
    if key in doc and doc[key] not in allowed:
        raise InvalidField(f"{where}.{key}", "not_choice", allowed=", ".join(allowed))


def validate_study(doc: Any, where: str = "study") -> dict[str, Any]:
    """A study entry's document: a real date, a non-empty title, minutes within a day, text as text.
    Dates are normalised in place; returns ``doc``. Raises :class:`InvalidField`."""
    _check_fields(StudyEntry, doc, where, ("date", "title"))
    doc["date"] = check_date(doc["date"], f"{where}.date")
    check_title(doc["title"], f"{where}.title")
    if "minutes" in doc:
        check_number(doc["minutes"], f"{where}.minutes", 0, MAX_MINUTES)
    return doc


def validate_assessment(doc: Any, where: str = "assessments") -> dict[str, Any]:
    """A self-check's document: its checklist named, its answers shaped as answers."""
    _check_fields(Assessment, doc, where, ("checklist_id",))
    if "checklist_version" in doc:
        check_number(doc["checklist_version"], f"{where}.checklist_version")
    for n, answer in enumerate(doc.get("answers", [])):
        _check_fields(Answer, answer, f"{where}.answers[{n}]", ("item_id",))
    return doc


def validate_action(doc: Any, where: str = "actions") -> dict[str, Any]:
    """A rectification item's document: a problem in text, real dates, a known kind and status."""
    _check_fields(ActionItem, doc, where, ("problem",))
    for key in ("due", "done_date"):
        _check_optional_date(doc, key, where)
    _check_choice(doc, "kind", ACTION_KINDS, where)
    _check_choice(doc, "status", ACTION_STATUSES, where)
    for n, note in enumerate(doc.get("progress", [])):
        place = f"{where}.progress[{n}]"
        _check_fields(ProgressNote, note, place, ("date",))
        note["date"] = check_date(note["date"], f"{place}.date")
    return doc


def validate_talk(doc: Any, where: str = "talks") -> dict[str, Any]:
    """A talk's document: a real date, text as text."""
    _check_fields(TalkNote, doc, where, ("date",))
    doc["date"] = check_date(doc["date"], f"{where}.date")
    return doc


def validate_meeting(doc: Any, where: str = "meetings") -> dict[str, Any]:
    """A meeting's document: its 年度 a year, its problems, measures and links in their kinds."""
    _check_fields(Meeting, doc, where, ("year",))
    check_number(doc["year"], f"{where}.year", MIN_YEAR, MAX_YEAR)
    _check_optional_date(doc, "date", where)
    if "step" in doc:
        check_number(doc["step"], f"{where}.step")
    for n, problem in enumerate(doc.get("problems", [])):
        place = f"{where}.problems[{n}]"
        _check_fields(Problem, problem, place)
        for m, measure in enumerate(problem.get("measures", [])):
            _check_fields(Measure, measure, f"{place}.measures[{m}]")
            _check_optional_date(measure, "due", f"{place}.measures[{m}]")
    return doc


#: The validator of each record kind, by table name.
VALIDATORS = {
    StudyEntry.TABLE: validate_study,
    Assessment.TABLE: validate_assessment,
    ActionItem.TABLE: validate_action,
    TalkNote.TABLE: validate_talk,
    Meeting.TABLE: validate_meeting,
}

#: Ranges of the settings that are numbers (as the Settings screen allows them).
SETTING_RANGES = {"autolock_minutes": (0, 240), "backups_kept": (1, 100)}


def validate_settings(doc: Any, where: str = "settings") -> dict[str, Any]:
    """Known settings have the kind of their field and numbers are in range; unknown keys are
    ignored (as :meth:`Settings.from_doc` does)."""
    _check_fields(Settings, doc, where)
    for key, (low, high) in SETTING_RANGES.items():
        if key in doc:
            check_number(doc[key], f"{where}.{key}", low, high)
    for key, value in doc.get("yearly_targets", {}).items():
        check_number(value, f"{where}.yearly_targets.{key}", 0, 10**9)
    return doc
