"""Checklists as data: load, validate and describe the 四自 (自重·自省·自警·自励) checklists.

A checklist is one TOML file (DESIGN.md §6)::

    id = "zizhong"                 # lower-case letters, digits, - and _
    version = 1                    # a positive integer; bump it when items change
    reviewed = 2026-11-27          # optional: when the wording was last checked (domain-notes §7.1.7)

    [title]
    zh = "自重"
    en = "Self-respect (自重)"

    [short]                        # optional: a tab's name where the title does not fit
    zh = "自重"
    en = "Respect"

    [summary]
    zh = "…"
    en = "…"

    [[items]]
    id = "zz-01"                   # unique within the checklist
    type = "yn"                    # "yn" (是/基本做到/否/不适用) or "rating" (1–5)
    discipline = "生活纪律"         # one tag of ALLOWED_TAGS
    seed = "第二部分 弘扬严实作风「…」"  # part of the seed speech「quote」(optional in user files)
    [items.text]
    zh = "…"
    en = "…"
    [items.hint]
    zh = "…"
    en = "…"

Items are first-person statements phrased so that 是 (or a high rating) is the good answer
(domain-notes §3.1). The four built-in files ship inside this package; users may add their own
files under ``<config dir>/checklists/``. A broken user file never breaks the app: :func:`load_all`
skips it and reports its problems. :func:`validate_file` reports *every* problem of a file, each
with a 1-based line number and a translatable message key.

No Textual or Rich import here: the CLI and the exports use this module too.
"""

from __future__ import annotations

import datetime as _dt
import re
import reprlib
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator, os_error_reason, translate

#: The built-in checklists in their fixed order: 自重, 自省, 自警, 自励.
BUILTIN_IDS: tuple[str, ...] = ("zizhong", "zixing", "zijing", "zili")
#: Built-in lists offered beside the four, not part of them (not on Home's panel, not in "all four").
OPTIONAL_IDS: tuple[str, ...] = ("sanxing",)

#: The 六大纪律 (six disciplines) of the 《中国共产党纪律处分条例》, used as ``discipline`` tags.
DISCIPLINE_TAGS: tuple[str, ...] = ("政治纪律", "组织纪律", "廉洁纪律", "群众纪律", "工作纪律", "生活纪律")
#: Theme tags for items that are not about one of the disciplines: 理论学习 (theoretical study),
#: 作风 (conduct and work style), 本领 (capability). 保密 (confidentiality) items are tagged 工作纪律.
THEME_TAGS: tuple[str, ...] = ("理论学习", "作风", "本领")
#: Every tag an item's ``discipline`` may carry.
ALLOWED_TAGS: tuple[str, ...] = DISCIPLINE_TAGS + THEME_TAGS
#: Catalog key (under ``checklists.tag.``) of each tag's display label.
TAG_KEYS: dict[str, str] = {
    "政治纪律": "political",
    "组织纪律": "organisational",
    "廉洁纪律": "integrity",
    "群众纪律": "public",
    "工作纪律": "work",
    "生活纪律": "life",
    "理论学习": "study",
    "作风": "conduct",
    "本领": "ability",
}

#: The answers each item type offers, in the order shown: ``yn`` is 是 / 基本做到 / 否 / 不适用,
#: ``rating`` is 1 (差距较大) … 5 (很好).
ANSWER_OPTIONS: dict[str, tuple] = {"yn": ("yes", "mostly", "no", "na"), "rating": (1, 2, 3, 4, 5)}
#: The item types.
ITEM_TYPES: tuple[str, ...] = tuple(ANSWER_OPTIONS)

_TOP_FIELDS = ("id", "version", "reviewed", "title", "short", "summary", "items")
_ITEM_FIELDS = ("id", "type", "text", "hint", "discipline", "seed")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_ITEM_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
#: The largest checklist file read (bytes); a checklist of a hundred items is about 30 KiB.
MAX_FILE_BYTES = 4 * 1024 * 1024
#: How deeply tables and arrays may nest (a checklist needs three levels).
MAX_DEPTH = 32


# --------------------------------------------------------------------------- data


def four(checklists: Sequence[Checklist]) -> list[Checklist]:
    """The four self-checks (自重 · 自省 · 自警 · 自励), in their order."""
    by_id = {c.id: c for c in checklists}
    return [by_id[cid] for cid in BUILTIN_IDS if cid in by_id]


def others(checklists: Sequence[Checklist]) -> list[Checklist]:
    """Every other list: the built-in optional ones (每日三省), then the user's own, as loaded."""
    return [c for c in checklists if c.id not in BUILTIN_IDS]


def localized(texts: dict[str, str], lang: str = DEFAULT_LANGUAGE) -> str:
    """``texts[lang]``, falling back to Chinese, then to any text there is."""
    return texts.get(lang) or texts.get(DEFAULT_LANGUAGE) or next(iter(texts.values()), "")


@dataclass(frozen=True)
class ChecklistItem:
    """One prompt of a checklist, answered by the user about themself."""

    id: str
    #: ``"yn"`` or ``"rating"`` (see :data:`ANSWER_OPTIONS`).
    type: str
    #: The statement, ``{"zh": …, "en": …}``.
    text: dict[str, str]
    #: A short prompt for thinking concretely (what to look back at), ``{"zh": …, "en": …}``.
    hint: dict[str, str]
    #: One tag of :data:`ALLOWED_TAGS`.
    discipline: str
    #: Where in the seed speech the item rests: part and a short quote (may be empty in user files).
    seed: str = ""

    @property
    def options(self) -> tuple:
        """The answers this item offers, in display order."""
        return ANSWER_OPTIONS[self.type]

    def text_in(self, lang: str) -> str:
        """The statement in ``lang``."""
        return localized(self.text, lang)

    def hint_in(self, lang: str) -> str:
        """The hint in ``lang``."""
        return localized(self.hint, lang)


@dataclass(frozen=True)
class Checklist:
    """A checklist file: its identity, bilingual title and summary, and its items in order."""

    id: str
    version: int
    title: dict[str, str]
    summary: dict[str, str]
    items: tuple[ChecklistItem, ...]
    #: The file it was read from.
    source: Path | None = None
    #: True for the four checklists shipped with the app.
    builtin: bool = False
    #: When the wording was last reviewed, if the file says.
    reviewed: _dt.date | None = None
    #: A short name for tabs where the title does not fit (optional; the title otherwise).
    short: dict[str, str] | None = None

    def title_in(self, lang: str) -> str:
        """The title in ``lang``."""
        return localized(self.title, lang)

    def short_in(self, lang: str) -> str:
        """The short name in ``lang`` (the title if the file gives none)."""
        return localized(self.short, lang) if self.short else self.title_in(lang)

    def summary_in(self, lang: str) -> str:
        """The summary in ``lang``."""
        return localized(self.summary, lang)

    def item(self, item_id: str) -> ChecklistItem | None:
        """The item with ``item_id``, or None."""
        return next((i for i in self.items if i.id == item_id), None)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a checklist file: where it is and a translatable message."""

    file: Path
    #: 1-based line (best effort: the line of the offending key, table or ``[[items]]`` block).
    line: int
    #: Catalog key of the message, e.g. ``checklists.missing_field``.
    key: str
    #: The message's fields (plain strings and numbers).
    fields: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The message in ``lang`` (a file the system refused: why, in ``lang`` too)."""
        fields = dict(self.fields)
        if fields.get("errno"):
            fields["detail"] = os_error_reason(OSError(fields["errno"], fields.get("detail", "")), Translator(lang))
        return translate(self.key, lang, **fields)

    def format(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """``FILE:LINE: message``, as compilers and linters print it."""
        return f"{self.file}:{self.line}: {self.message(lang)}"


class ChecklistError(Exception):
    """A built-in checklist file is broken (a packaging or editing mistake, caught by the tests)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.format("en") for p in problems))
        self.problems = problems


@dataclass
class LoadResult:
    """What :func:`load_all` found: the usable checklists and the user files it had to skip."""

    checklists: list[Checklist]
    #: Each skipped user file with its problems, in the order the files were read.
    skipped: dict[Path, list[Problem]] = field(default_factory=dict)

    @property
    def problems(self) -> list[Problem]:
        """Every problem of every skipped file."""
        return [p for problems in self.skipped.values() for p in problems]

    def get(self, checklist_id: str) -> Checklist | None:
        """The checklist with ``checklist_id``, or None."""
        return next((c for c in self.checklists if c.id == checklist_id), None)


# --------------------------------------------------------------------------- answers


def is_concern(item_type: str, answer: object) -> bool:
    """True for an answer where the app offers (never forces) a rectification item: 否, or a rating ≤ 2."""
    if item_type == "yn":
        return answer == "no"
    if item_type == "rating" and isinstance(answer, int) and not isinstance(answer, bool):
        return 1 <= answer <= 2
    return False


def answer_label(item_type: str, answer: object, lang: str = DEFAULT_LANGUAGE) -> str:
    """The label of an answer: ``是`` / ``Mostly`` / ``4 较好`` …; unknown answers as they are."""
    if item_type == "yn" and answer in ANSWER_OPTIONS["yn"]:
        return translate(f"answer.{answer}", lang)
    if item_type == "rating" and answer in ANSWER_OPTIONS["rating"] and not isinstance(answer, bool):
        return f"{answer} {translate(f'answer.rating_{answer}', lang)}"
    return str(answer)


def tag_label(tag: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The display label of a ``discipline`` tag (the tag itself when it is not a known one)."""
    key = TAG_KEYS.get(tag)
    return translate(f"checklists.tag.{key}", lang) if key else tag


# --------------------------------------------------------------------------- loading


def _builtin_file(checklist_id: str):
    return resources.files(__package__).joinpath(f"{checklist_id}.toml")


def _builtin_paths() -> set[Path]:
    return {Path(str(_builtin_file(cid))).resolve() for cid in BUILTIN_IDS + OPTIONAL_IDS}


@lru_cache(maxsize=1)
def _builtins() -> tuple[Checklist, ...]:
    loaded = []
    for checklist_id in BUILTIN_IDS + OPTIONAL_IDS:
        resource = _builtin_file(checklist_id)
        checklist, problems = _parse(Path(str(resource)), resource.read_bytes(), builtin=True)
        if problems or checklist is None:
            raise ChecklistError(problems)
        loaded.append(checklist)
    return tuple(loaded)


def load_builtin(*, optional: bool = False) -> list[Checklist]:
    """The four built-in checklists in their fixed order: 自重, 自省, 自警, 自励; with ``optional``
    the optional built-in lists (每日三省) after them."""
    lists = _builtins()
    return list(lists if optional else lists[: len(BUILTIN_IDS)])


def user_checklist_dir() -> Path:
    """Where the user's own checklist files live: ``<config dir>/checklists``."""
    from ..store import paths

    return paths.config_dir() / "checklists"


def load_all(user_dir: Path | None = None) -> LoadResult:
    """The built-in checklists, then the user's (``*.toml`` in ``user_dir``, sorted by file name).

    ``user_dir`` defaults to :func:`user_checklist_dir`; a missing directory means no user files.
    A user file with any problem, or whose id is already taken, is skipped and reported.
    """
    result = LoadResult(checklists=load_builtin(optional=True))
    folder = user_checklist_dir() if user_dir is None else Path(user_dir)
    try:
        files = sorted(p for p in folder.glob("*.toml") if p.is_file())
    except OSError as exc:
        result.skipped[folder] = [Problem(folder, 1, "checklists.unreadable", _os_detail(exc))]
        return result
    taken = {c.id: c.source for c in result.checklists}
    for path in files:
        data, problem = _read(path)
        if problem is not None:
            result.skipped[path] = [problem]
            continue
        try:
            checklist, problems = _parse(path, data, builtin=False)
        except Exception as exc:  # noqa: BLE001 - a broken user file never stops the app
            result.skipped[path] = [Problem(path, 1, "error.checklist_broken", {"detail": type(exc).__name__})]
            continue
        if checklist is not None and checklist.id in taken and checklist.id not in BUILTIN_IDS + OPTIONAL_IDS:
            line = _LineIndex(data.decode("utf-8")).top_line("id")
            problems.append(Problem(path, line, "checklists.duplicate_checklist",
                                    {"id": checklist.id, "other": taken[checklist.id]}))
        if problems or checklist is None:
            result.skipped[path] = problems
            continue
        taken[checklist.id] = path
        result.checklists.append(checklist)
    return result


def validate_file(path: str | Path) -> list[Problem]:
    """Every problem of the checklist file at ``path`` (empty when it is valid).

    An id that is one of the built-in checklists' is a problem, except in that built-in file itself.
    """
    return check_file(path)[1]


def check_file(path: str | Path) -> tuple[Checklist | None, list[Problem]]:
    """The checklist at ``path`` (None unless it is valid) and every problem found in it."""
    path = Path(path)
    data, problem = _read(path)
    if problem is not None:
        return None, [problem]
    try:
        builtin = path.resolve() in _builtin_paths()
    except OSError:
        builtin = False
    try:
        return _parse(path, data, builtin=builtin)
    except Exception as exc:  # noqa: BLE001 - reported as a problem of the file, never raised
        return None, [Problem(path, 1, "error.checklist_broken", {"detail": type(exc).__name__})]


def _read(path: Path) -> tuple[bytes, Problem | None]:
    """The file's bytes, or the problem that stops it being read (at most
    :data:`MAX_FILE_BYTES` plus one byte is ever read)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return b"", Problem(path, 1, "checklists.unreadable", _os_detail(exc))
    if len(data) > MAX_FILE_BYTES:
        return b"", Problem(path, 1, "error.checklist_too_large", {"mib": MAX_FILE_BYTES // (1024 * 1024)})
    return data, None


def _os_detail(exc: OSError) -> dict[str, Any]:
    """The fields of an "unreadable" problem: the system's words, and the errno that
    :meth:`Problem.message` says in the user's language."""
    return {"detail": exc.strerror or type(exc).__name__, "errno": exc.errno or 0}


def _too_deep(doc: Any) -> bool:
    """Whether tables and arrays in ``doc`` nest deeper than :data:`MAX_DEPTH` (no recursion)."""
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        if children and depth > MAX_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


# --------------------------------------------------------------------------- parsing and checks


def _parse(path: Path, data: bytes, *, builtin: bool) -> tuple[Checklist | None, list[Problem]]:
    """Parse and check one file; the checklist is None when the file cannot be read as TOML."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(path, line, "checklists.not_utf8")]
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [_syntax_problem(path, text, exc)]
    except RecursionError:  # arrays or inline tables nested hundreds deep
        return None, [Problem(path, 1, "error.checklist_too_deep", {"depth": MAX_DEPTH})]
    if _too_deep(doc):  # e.g. [a.a.a.…] headers: parsed, but no checklist is shaped like that
        return None, [Problem(path, 1, "error.checklist_too_deep", {"depth": MAX_DEPTH})]
    checker = _Checker(path, _LineIndex(text), builtin=builtin)
    checklist = checker.check(doc)
    return checklist, sorted(checker.problems, key=lambda p: p.line)  # stable: file order, then check order


def _syntax_problem(path: Path, text: str, exc: tomllib.TOMLDecodeError) -> Problem:
    message = str(exc)
    found = _TOML_POSITION.search(message)
    if found:
        line, column = int(found.group(1)), int(found.group(2))
    else:  # "(at end of document)"
        line, column = max(1, len(text.splitlines())), 1
    detail = _TOML_POSITION.sub("", message).replace("(at end of document)", "").strip()
    return Problem(path, line, "checklists.bad_toml", {"column": column, "detail": detail})


class _LineIndex:
    """Best-effort map from dotted keys to 1-based lines, for the top level and each ``[[items]]`` block.

    It reads the text line by line (``[table]``, ``[[items]]``, ``[items.text]``, ``key = …``,
    ``a.b = …``), skipping comments and multi-line strings. Inline tables are located by their key.
    """

    _ARRAY = re.compile(r"^\[\[\s*([^\]]+?)\s*\]\]")
    _TABLE = re.compile(r"^\[\s*([^\]]+?)\s*\]")
    _PART = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
    _KEY = re.compile(rf"^({_PART}(?:\s*\.\s*{_PART})*)\s*=")

    def __init__(self, text: str) -> None:
        self.last = max(1, len(text.splitlines()))
        self.top: dict[str, int] = {}
        self.items: list[dict[str, int]] = []
        current, prefix = self.top, ""
        open_quote: str | None = None
        for number, raw in enumerate(text.splitlines(), 1):
            line = raw.strip()
            if open_quote:
                if raw.count(open_quote) % 2:
                    open_quote = None
                continue
            if not line or line.startswith("#"):
                continue
            if match := self._ARRAY.match(line):
                name = self._name(match.group(1))
                if name == "items":
                    current, prefix = {"": number}, ""
                    self.items.append(current)
                else:
                    current, prefix = self.top, name + "."
                    self.top.setdefault(name, number)
                continue
            if match := self._TABLE.match(line):
                name = self._name(match.group(1))
                if name.startswith("items.") and self.items:
                    current, prefix = self.items[-1], name[len("items."):] + "."
                else:
                    current, prefix = self.top, name + "."
                current.setdefault(prefix[:-1], number)
                continue
            if match := self._KEY.match(line):
                current.setdefault(prefix + self._name(match.group(1)), number)
                for quote in ('"""', "'''"):
                    if line.count(quote) % 2:
                        open_quote = quote
                        break

    @staticmethod
    def _name(dotted: str) -> str:
        return ".".join(part.strip().strip("\"'") for part in dotted.split("."))

    @staticmethod
    def _find(table: dict[str, int], key: str) -> int | None:
        while key:
            if key in table:
                return table[key]
            key = key.rpartition(".")[0]
        return None

    def top_line(self, key: str) -> int:
        """The line of top-level ``key`` (or its nearest parent), else line 1."""
        return self._find(self.top, key) or 1

    def item_line(self, index: int, key: str = "") -> int:
        """The line of ``key`` in the ``index``-th (0-based) ``[[items]]`` block, else the block's start."""
        if index < len(self.items):
            block = self.items[index]
            return self._find(block, key) or block[""]
        return self.top_line("items")


class _Checker:
    """Collects every problem of one parsed file and builds the checklist when there are none."""

    def __init__(self, path: Path, lines: _LineIndex, *, builtin: bool) -> None:
        self.path = path
        self.lines = lines
        self.builtin = builtin
        self.problems: list[Problem] = []

    def add(self, line: int, key: str, **fields: Any) -> None:
        self.problems.append(Problem(self.path, line, f"checklists.{key}", fields))

    # -- top level

    def check(self, doc: dict[str, Any]) -> Checklist | None:
        for key in doc:
            if key not in _TOP_FIELDS:
                self.add(self.lines.top_line(key), "unknown_field", field=key)
        checklist_id = self.check_checklist_id(doc)
        version = doc.get("version")
        if "version" not in doc:
            self.add(1, "missing_field", field="version")
        elif not isinstance(version, int) or not _is_int(version) or version < 1:
            self.add(self.lines.top_line("version"), "bad_version", value=_show(version))
        reviewed = doc.get("reviewed")
        if reviewed is not None and (not isinstance(reviewed, _dt.date) or isinstance(reviewed, _dt.datetime)):
            self.add(self.lines.top_line("reviewed"), "bad_reviewed", value=_show(reviewed))
        title = self.check_texts(doc, "title", self.lines.top_line)
        short = self.check_texts(doc, "short", self.lines.top_line) if "short" in doc else None
        summary = self.check_texts(doc, "summary", self.lines.top_line)
        items = self.check_items(doc)
        if self.problems:
            return None
        assert isinstance(version, int)  # checked above: a problem otherwise
        return Checklist(
            id=checklist_id,
            version=version,
            title=title,
            summary=summary,
            items=tuple(items),
            source=self.path,
            builtin=self.builtin,
            reviewed=reviewed,
            short=short,
        )

    def check_checklist_id(self, doc: dict[str, Any]) -> str:
        value = doc.get("id")
        line = self.lines.top_line("id")
        if "id" not in doc:
            self.add(1, "missing_field", field="id")
        elif not isinstance(value, str):
            self.add(line, "not_text", field="id")
        elif not _ID.match(value):
            self.add(line, "bad_id", field="id", value=value)
        elif value in BUILTIN_IDS + OPTIONAL_IDS and not self.builtin:
            self.add(line, "builtin_clash", id=value)
        return value if isinstance(value, str) else ""

    def check_texts(self, table: dict[str, Any], name: str, line_of, label: str = "") -> dict[str, str]:
        """A ``{zh, en}`` table: present, a table, both languages non-empty text, nothing else."""
        label = label or name
        if name not in table:
            self.add(line_of(""), "missing_field", field=label)
            return {}
        value = table[name]
        if not isinstance(value, dict):
            self.add(line_of(name), "not_table", field=label)
            return {}
        texts: dict[str, str] = {}
        for lang in LANGUAGES:
            text = value.get(lang)
            if lang in value and not isinstance(text, str):
                self.add(line_of(f"{name}.{lang}"), "not_text", field=f"{label}.{lang}")
            elif not (isinstance(text, str) and text.strip()):
                self.add(line_of(f"{name}.{lang}"), "missing_translation", field=label, lang=lang)
            else:
                texts[lang] = text.strip()
        for extra in value:
            if extra not in LANGUAGES:
                self.add(line_of(f"{name}.{extra}"), "unknown_field", field=f"{label}.{extra}")
        return texts

    # -- items

    def check_items(self, doc: dict[str, Any]) -> list[ChecklistItem]:
        if "items" not in doc:
            self.add(1, "missing_field", field="items")
            return []
        items = doc["items"]
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            self.add(self.lines.top_line("items"), "not_items")
            return []
        if not items:
            self.add(self.lines.top_line("items"), "no_items")
            return []
        seen: dict[str, int] = {}
        built = []
        for index, item in enumerate(items):
            built.append(self.check_item(index, item, seen))
        return built

    def check_item(self, index: int, item: dict[str, Any], seen: dict[str, int]) -> ChecklistItem:
        def line_of(key: str) -> int:
            return self.lines.item_line(index, key)

        raw_id = item.get("id")
        label = f"items[{raw_id}]" if isinstance(raw_id, str) and raw_id else f"items[#{index + 1}]"
        for key in item:
            if key not in _ITEM_FIELDS:
                self.add(line_of(key), "unknown_field", field=f"{label}.{key}")

        if "id" not in item:
            self.add(line_of(""), "missing_field", field=f"{label}.id")
        elif not isinstance(raw_id, str):
            self.add(line_of("id"), "not_text", field=f"{label}.id")
        elif not _ITEM_ID.match(raw_id):
            self.add(line_of("id"), "bad_id", field=f"{label}.id", value=raw_id)
        elif raw_id in seen:
            self.add(line_of("id"), "duplicate_item", id=raw_id, first_line=seen[raw_id])
        else:
            seen[raw_id] = line_of("id")

        item_type = item.get("type")
        if "type" not in item:
            self.add(line_of(""), "missing_field", field=f"{label}.type")
        elif item_type not in ITEM_TYPES:
            self.add(line_of("type"), "unknown_type", field=label, value=_show(item_type),
                     allowed=" / ".join(ITEM_TYPES))

        text = self.check_texts(item, "text", line_of, f"{label}.text")
        hint = self.check_texts(item, "hint", line_of, f"{label}.hint")

        discipline = item.get("discipline")
        if "discipline" not in item:
            self.add(line_of(""), "missing_field", field=f"{label}.discipline")
        elif discipline not in ALLOWED_TAGS:
            self.add(line_of("discipline"), "unknown_discipline", field=label, value=_show(discipline),
                     allowed=" / ".join(ALLOWED_TAGS))

        seed = item.get("seed", "")
        if "seed" not in item and self.builtin:
            self.add(line_of(""), "missing_field", field=f"{label}.seed")
        elif not isinstance(seed, str):
            self.add(line_of("seed"), "not_text", field=f"{label}.seed")
        elif self.builtin and not seed.strip():
            self.add(line_of("seed"), "missing_field", field=f"{label}.seed")

        return ChecklistItem(
            id=raw_id if isinstance(raw_id, str) else "",
            type=item_type if isinstance(item_type, str) else "",
            text=text,
            hint=hint,
            discipline=discipline if isinstance(discipline, str) else "",
            seed=seed.strip() if isinstance(seed, str) else "",
        )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _show(value: object) -> str:
    """A value from the file, shortened for a one-line message."""
    text = value if isinstance(value, str) else reprlib.repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def all_items(checklists: Iterable[Checklist]) -> list[tuple[Checklist, ChecklistItem]]:
    """Every (checklist, item) pair, in order: handy for history and exports."""
    return [(c, i) for c in checklists for i in c.items]
