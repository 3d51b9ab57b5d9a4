"""The versioned JSON export and import (a lossless round trip).

Format (version 1)::

    {"format": "selfcheck", "version": 1, "exported": "...Z",
     "settings": {...}, "study": [...], "assessments": [...], "actions": [...], "talks": [...],
     "meetings": [...],
     "trash": [...]}

Import merges by ``id``: a record already present is left alone unless the incoming copy has a
later ``updated`` time; a record without an ``id`` (a file written by hand or by another tool)
gets a new one, unless the same content is already there, so a second import adds nothing.
Everything is validated before anything is written; the import is one commit.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ImportFailed
from .journal import TRASH_TABLE, Journal
from .models import (
    RECORD_TYPES,
    VALIDATORS,
    InvalidField,
    Settings,
    clean_text,
    new_id,
    now_iso,
    validate_settings,
)

FORMAT_NAME = "selfcheck"
FORMAT_VERSION = 1
TABLES = ("study", "assessments", "actions", "talks", "meetings")

#: Ignored when deciding whether an id-less item is already present: the id is new on every import,
#: and these time stamps default to the time of the import when a hand-written item leaves them out.
_IGNORED_FOR_SAMENESS = ("id", "created", "updated", "started")


@dataclass
class ImportReport:
    """How many records an import added, updated (newer copy) and found already present."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    settings_applied: bool = False

    @property
    def total_added(self) -> int:
        """Records added across all tables."""
        return sum(self.added.values())

    @property
    def total_updated(self) -> int:
        """Records replaced by a newer copy across all tables."""
        return sum(self.updated.values())

    @property
    def total_unchanged(self) -> int:
        """Records already present."""
        return sum(self.unchanged.values())


def export_document(journal: Journal) -> dict[str, Any]:
    """Everything in the journal as a JSON-ready dict (format version 1)."""
    tables = journal._raw_tables()  # noqa: SLF001 - the store's own exchange format
    doc: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported": now_iso(),
        "settings": journal.settings().to_doc(),
    }
    for name in TABLES:
        doc[name] = [dict(d) for d in tables.get(name, {}).values()]
    doc["trash"] = [dict(d) for d in tables.get(TRASH_TABLE, {}).values()]
    return doc


def export_json(journal: Journal) -> bytes:
    """The export document (:func:`export_document`) as UTF-8 JSON with one record per line:
    readable and diffable, Chinese kept as it is. Each record is encoded by the C encoder
    (``indent`` would switch it off and take twice as long on a 30-year journal)."""
    tables = journal._raw_tables()  # noqa: SLF001 - the store's own exchange format
    encode = json.JSONEncoder(ensure_ascii=False).encode
    head = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported": now_iso(),
        "settings": journal.settings().to_doc(),
    }
    lines = ["{"] + [f"{encode(key)}: {encode(value)}," for key, value in head.items()]
    names = [*TABLES, "trash"]
    for i, name in enumerate(names):
        table = tables.get(TRASH_TABLE if name == "trash" else name, {})
        lines.append(f"{encode(name)}: [")
        if table:
            lines.append(",\n".join(map(encode, table.values())))
        lines.append("]," if i < len(names) - 1 else "]")
    lines.append("}\n")
    return "\n".join(lines).encode("utf-8")


#: The largest import file read (bytes): a full export of ten busy years is a few MiB.
MAX_IMPORT_BYTES = 64 * 1024 * 1024
#: How deeply objects and lists may nest in an import (a real export needs about six levels).
MAX_DEPTH = 32


class ImportInvalid(ImportFailed):
    """An import file refused for one named reason. ``problem`` names the catalog key
    ``error.import_<problem>`` (or, for a field, ``error.field_<problem>`` with ``field`` its
    path); ``detail`` is the same in English, as :class:`ImportFailed` always had it."""

    def __init__(self, problem: str, english: str, *, field: str = "", **fields: object) -> None:
        super().__init__(english)
        self.problem = problem
        self.field = field
        self.fields = fields


def _field_failed(exc: InvalidField) -> ImportInvalid:
    return ImportInvalid(exc.problem, str(exc), field=exc.field, **exc.fields)


def read_import_file(path: str | Path) -> bytes:
    """The bytes of an import file, refusing a directory, an unreadable file and anything larger
    than :data:`MAX_IMPORT_BYTES` (at most that much plus one byte is ever read: ``/dev/zero``
    ends too)."""
    target = Path(path)
    try:
        with open(target, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_IMPORT_BYTES:
                raw = b""
            else:
                raw = handle.read(MAX_IMPORT_BYTES + 1)
    except IsADirectoryError:
        raise ImportInvalid("is_dir", f"{target} is a folder, not a file", path=target) from None
    except FileNotFoundError:
        raise ImportInvalid("missing_file", f"{target} does not exist", path=target) from None
    except OSError as exc:
        detail = exc.strerror or type(exc).__name__
        raise ImportInvalid("unreadable", f"cannot read {target} ({detail})", path=target, detail=detail) from None
    if size > MAX_IMPORT_BYTES or len(raw) > MAX_IMPORT_BYTES:
        raise _too_large()
    return raw


def _too_large() -> ImportInvalid:
    mib = MAX_IMPORT_BYTES // (1024 * 1024)
    return ImportInvalid("too_large", f"the file is larger than {mib} MiB", mib=mib)


def _too_deep(doc: Any) -> bool:
    """Whether lists and objects in ``doc`` nest deeper than :data:`MAX_DEPTH` (no recursion)."""
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > MAX_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def parse_import(raw: bytes) -> dict[str, Any]:
    """Parse and validate an import file; raises :class:`ImportFailed` naming the first problem."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise _too_large()
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ImportInvalid("not_utf8", "not UTF-8") from None
    except RecursionError:
        raise ImportInvalid("too_deep", f"nested more than {MAX_DEPTH} levels deep", depth=MAX_DEPTH) from None
    except json.JSONDecodeError as exc:
        # Where, never Python's "Expecting value …" (English, and it may quote the file).
        line, column = exc.lineno, exc.colno
        raise ImportInvalid("json", f"JSON line {line} column {column}", line=line, column=column) from None
    except ValueError:  # a number of more digits than Python converts (sys.get_int_max_str_digits)
        raise ImportInvalid("json_number", "a number with too many digits") from None
    if _too_deep(doc):
        raise ImportInvalid("too_deep", f"nested more than {MAX_DEPTH} levels deep", depth=MAX_DEPTH)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
        raise ImportInvalid("format", '"format" is not "selfcheck"')
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ImportInvalid("version", '"version" is not a format version')
    if version > FORMAT_VERSION:
        raise ImportInvalid(
            "version_newer", f'"version" {version} is newer than this program reads ({FORMAT_VERSION})',
            version=version, supported=FORMAT_VERSION,
        )
    for name in TABLES:
        items = doc.get(name, [])
        if not isinstance(items, list):
            raise _field_failed(InvalidField(name, "not_list"))
        doc[name] = [_validate_item(name, i, item) for i, item in enumerate(items)]
    try:
        validate_settings(doc.get("settings", {}))
    except InvalidField as exc:
        raise _field_failed(exc) from None
    doc["trash"] = _validate_trash(doc.get("trash", []))
    return doc


def _validate_trash(trash: Any) -> list[dict[str, Any]]:
    """Deleted records: each names its table and id and holds a record that table would accept
    (a restored record must not break a screen)."""
    if not isinstance(trash, list):
        raise _field_failed(InvalidField("trash", "not_list"))
    for n, entry in enumerate(trash):
        where = f"trash[{n}]"
        if not (isinstance(entry, dict) and entry.get("table") in RECORD_TYPES and isinstance(entry.get("doc"), dict)
                and isinstance(entry.get("id"), str) and entry["id"]):
            raise _field_failed(InvalidField(where, "not_object"))
        try:
            VALIDATORS[entry["table"]](entry["doc"], f"{where}.doc")
        except InvalidField as exc:
            raise _field_failed(exc) from None
    return trash


def _validate_item(table: str, index: int, item: Any) -> dict[str, Any]:
    where = f"{table}[{index}]"
    try:
        VALIDATORS[table](item, where)
        if "id" in item and not (isinstance(item["id"], str) and item["id"]):
            raise InvalidField(f"{where}.id", "not_text")
    except InvalidField as exc:
        raise _field_failed(exc) from None
    try:
        normalised = RECORD_TYPES[table].from_doc({k: _clean(v) for k, v in item.items()}).to_doc()
    except (TypeError, ValueError):
        raise ImportInvalid("wrong_kind", f"{where} has a field of the wrong kind", field=where) from None
    if "id" not in item:
        del normalised["id"]  # the merge gives it a new id unless the same content is present
    return normalised


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def _sameness(doc: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in doc.items() if k not in _IGNORED_FOR_SAMENESS}, sort_keys=True)


def import_document(journal: Journal, doc: dict[str, Any]) -> ImportReport:
    """Merge a validated document (from :func:`parse_import`) into the journal in one commit."""
    report = ImportReport()
    empty_before = not any(journal._raw_tables().get(name) for name in TABLES)  # noqa: SLF001

    def change(tables: dict[str, Any]) -> bool:
        trash_added = 0
        for name in TABLES:
            table = tables.setdefault(name, {})
            by_id = {d.get("id"): key for key, d in table.items()}
            seen = {_sameness(d) for d in table.values()}
            next_key = max((int(k) for k in table), default=0) + 1
            added = updated = unchanged = 0
            for item in doc[name]:
                had_id = "id" in item
                item = dict(item)
                key = by_id.get(item["id"]) if had_id else None
                if key is not None:
                    if table[key] != item and item.get("updated", "") > table[key].get("updated", ""):
                        table[key] = item
                        updated += 1
                    else:
                        unchanged += 1
                    continue
                if not had_id:
                    item["id"] = new_id()
                    if _sameness(item) in seen:
                        unchanged += 1
                        continue
                table[str(next_key)] = item
                next_key += 1
                by_id[item["id"]] = str(next_key - 1)
                seen.add(_sameness(item))
                added += 1
            report.added[name], report.updated[name], report.unchanged[name] = added, updated, unchanged
        trash = tables.setdefault(TRASH_TABLE, {})
        trash_ids = {d.get("id") for d in trash.values()}
        next_key = max((int(k) for k in trash), default=0) + 1
        for item in doc.get("trash", []):
            if item["id"] not in trash_ids:
                trash[str(next_key)] = item
                next_key += 1
                trash_added += 1
        if empty_before and doc.get("settings"):
            settings = Settings.from_doc(doc["settings"])
            from . import migrations

            tables[migrations.META_TABLE][migrations.SETTINGS_DOC] = {"kind": "settings", "settings": settings.to_doc()}
            report.settings_applied = True
        # Nothing new (e.g. the same file imported twice): commit nothing.
        return bool(report.total_added or report.total_updated or trash_added or report.settings_applied)

    journal.apply_import(change)  # imported settings apply at once (backups kept …)
    return report


