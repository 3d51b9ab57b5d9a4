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
from dataclasses import dataclass, field
from typing import Any

from .errors import ImportFailed
from .journal import TRASH_TABLE, Journal
from .models import RECORD_TYPES, Settings, clean_text, new_id, now_iso, parse_date

FORMAT_NAME = "selfcheck"
FORMAT_VERSION = 1
TABLES = ("study", "assessments", "actions", "talks", "meetings")

#: Fields that must be present in hand-written items, and the JSON types of typed fields.
_REQUIRED = {"study": ("date", "title"), "assessments": ("checklist_id",), "actions": ("problem",), "talks": ("date",), "meetings": ("year",)}
_DATE_FIELDS = {"study": ("date",), "talks": ("date",), "actions": ("due", "done_date"), "meetings": ("date",)}
_INT_FIELDS = ("minutes", "checklist_version", "year", "step")
_LIST_FIELDS = ("tags", "answers", "progress", "aspects", "problems", "gains")
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
    """The export document as indented UTF-8 JSON (Chinese kept readable)."""
    return json.dumps(export_document(journal), ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def parse_import(raw: bytes) -> dict[str, Any]:
    """Parse and validate an import file; raises :class:`ImportFailed` naming the first problem."""
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ImportFailed("not UTF-8") from None
    except ValueError as exc:
        raise ImportFailed(f"JSON line {exc.lineno} column {exc.colno}") from None  # type: ignore[attr-defined]
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
        raise ImportFailed('"format" is not "selfcheck"')
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ImportFailed('"version"')
    if version > FORMAT_VERSION:
        raise ImportFailed(f'"version" {version} is newer than this program reads ({FORMAT_VERSION})')
    for name in TABLES:
        items = doc.get(name, [])
        if not isinstance(items, list):
            raise ImportFailed(f'"{name}" is not a list')
        doc[name] = [_validate_item(name, i, item) for i, item in enumerate(items)]
    _validate_settings(doc.get("settings", {}))
    trash = doc.get("trash", [])
    if not isinstance(trash, list) or not all(
        isinstance(t, dict) and t.get("table") in RECORD_TYPES and isinstance(t.get("doc"), dict) and t.get("id")
        for t in trash
    ):
        raise ImportFailed('"trash"')
    return doc


def _validate_settings(settings: Any) -> None:
    """Known settings must have the type of their default (the store itself uses ``backups_kept``)."""
    if not isinstance(settings, dict):
        raise ImportFailed('"settings" is not an object')
    defaults = Settings().to_doc()
    for key, value in settings.items():
        if key not in defaults:
            continue  # unknown keys are ignored, as Settings.from_doc does
        kind = type(defaults[key])
        if key == "profile":
            ok = isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
        elif kind is int:
            ok = _is_count(value)
        elif kind is dict:
            ok = isinstance(value, dict) and all(isinstance(k, str) and _is_count(v) for k, v in value.items())
        else:
            ok = isinstance(value, kind)
        if not ok:
            raise ImportFailed(f"settings.{key} has the wrong kind")


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _validate_item(table: str, index: int, item: Any) -> dict[str, Any]:
    where = f"{table}[{index}]"
    if not isinstance(item, dict):
        raise ImportFailed(f"{where} is not an object")
    for key in _REQUIRED[table]:
        if key not in item:
            raise ImportFailed(f"{where}.{key} is missing")
    for key in _DATE_FIELDS.get(table, ()):
        if item.get(key) is not None:
            try:
                item[key] = parse_date(item[key])
            except ValueError:
                raise ImportFailed(f"{where}.{key} is not a YYYY-MM-DD date") from None
    for key in _INT_FIELDS:
        if key in item and (not isinstance(item[key], int) or isinstance(item[key], bool) or item[key] < 0):
            raise ImportFailed(f"{where}.{key} is not a whole number")
    for key in _LIST_FIELDS:
        if key in item and not isinstance(item[key], list):
            raise ImportFailed(f"{where}.{key} is not a list")
    for key in ("tags", "aspects", "gains"):
        if key in item and not all(isinstance(t, str) for t in item[key]):
            raise ImportFailed(f"{where}.{key} holds something other than text")
    if table == "meetings":
        _validate_meeting(where, item)
    if "marked" in item and not isinstance(item["marked"], bool):
        raise ImportFailed(f"{where}.marked is not true or false")
    for key in ("created", "updated", "finished", "started", "completed"):
        if item.get(key) is not None and not isinstance(item[key], str):
            raise ImportFailed(f"{where}.{key} is not text")
    origin = item.get("origin")
    if origin is not None and not (isinstance(origin, dict) and all(isinstance(v, str) for v in origin.values())):
        raise ImportFailed(f"{where}.origin is not an object of texts")
    if "id" in item and not (isinstance(item["id"], str) and item["id"]):
        raise ImportFailed(f"{where}.id is not text")
    # Nested parts need what makes them what they are (the models keep unknown keys on read).
    for key, needed in (("answers", "item_id"), ("progress", "date")):
        if key in item and not all(isinstance(p, dict) and isinstance(p.get(needed), str) for p in item[key]):
            raise ImportFailed(f"{where} has a field of the wrong kind")
    try:
        normalised = RECORD_TYPES[table].from_doc({k: _clean(v) for k, v in item.items()}).to_doc()
    except (TypeError, ValueError):
        raise ImportFailed(f"{where} has a field of the wrong kind") from None
    if "id" not in item:
        del normalised["id"]  # the merge gives it a new id unless the same content is present
    return normalised


def _validate_meeting(where: str, item: dict[str, Any]) -> None:
    """A meeting's 年度 is a year; its problems, measures and notes have their kinds."""
    if not 1900 <= item["year"] <= 9999:
        raise ImportFailed(f"{where}.year is not a year")
    for key in ("carried", "causes"):
        value = item.get(key, {})
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise ImportFailed(f"{where}.{key} is not an object of texts")
    for key in ("study_note", "opinions", "aspect_preset"):
        if not isinstance(item.get(key, ""), str):
            raise ImportFailed(f"{where}.{key} is not text")
    for n, problem in enumerate(item.get("problems", [])):
        place = f"{where}.problems[{n}]"
        if not isinstance(problem, dict):
            raise ImportFailed(f"{place} is not an object")
        for key in ("id", "aspect", "text", "example", "cause"):
            if not isinstance(problem.get(key, ""), str):
                raise ImportFailed(f"{place}.{key} is not text")
        measures = problem.get("measures", [])
        if not isinstance(measures, list) or not all(
            isinstance(m, dict)
            and isinstance(m.get("text", ""), str)
            and isinstance(m.get("standard", ""), str)
            and isinstance(m.get("action") or "", str)
            for m in measures
        ):
            raise ImportFailed(f"{place}.measures is not a list of measures")
        for m in measures:
            if m.get("due") is not None:
                try:
                    m["due"] = parse_date(m["due"])
                except (ValueError, TypeError):
                    raise ImportFailed(f"{place}.measures: a due date is not YYYY-MM-DD") from None
        links = problem.get("links", [])
        if not isinstance(links, list) or not all(
            isinstance(x, dict) and all(isinstance(v, str) for v in x.values()) for x in links
        ):
            raise ImportFailed(f"{place}.links is not a list of objects")


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


