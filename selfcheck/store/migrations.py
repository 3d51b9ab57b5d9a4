"""Numbered schema migrations of the data inside the vault.

``MIGRATIONS[n]`` turns a database at schema ``n - 1`` into schema ``n``. They run once, at
unlock, all in one commit; a vault from a newer schema is refused rather than misread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import UnsupportedVersion

Tables = dict[str, dict[str, dict[str, Any]]]

META_TABLE = "meta"
SCHEMA_DOC = "1"  # doc id of the schema record in ``meta``
SETTINGS_DOC = "2"  # doc id of the settings record in ``meta``


def _m1_initial(tables: Tables) -> None:
    """Schema 1: the tables of DESIGN.md §5 and default settings."""
    for name in ("study", "assessments", "actions", "talks", "trash"):
        tables.setdefault(name, {})
    meta = tables.setdefault(META_TABLE, {})
    meta.setdefault(SETTINGS_DOC, {"kind": "settings", "settings": {}})


def _m2_meetings(tables: Tables) -> None:
    """Schema 2: the ``meetings`` table, and every rectification item says where it was raised
    (an item from a self-check keeps its ``source``; every other earlier item was added by hand)."""
    tables.setdefault("meetings", {})
    for doc in tables.get("actions", {}).values():
        if not isinstance(doc.get("origin"), dict):
            source = doc.get("source")
            if isinstance(source, dict) and source.get("assessment"):
                doc["origin"] = {"kind": "selfcheck", "id": str(source["assessment"])}
            else:
                doc["origin"] = {"kind": "manual"}


MIGRATIONS: dict[int, Callable[[Tables], None]] = {1: _m1_initial, 2: _m2_meetings}
LATEST = max(MIGRATIONS)


def schema_version(tables: Tables) -> int:
    """The schema version recorded in ``meta`` (0 for a brand-new, empty database)."""
    return int(tables.get(META_TABLE, {}).get(SCHEMA_DOC, {}).get("version", 0))


def migrate(tables: Tables) -> bool:
    """Bring ``tables`` up to :data:`LATEST` in place; return True when anything changed."""
    current = schema_version(tables)
    if current > LATEST:
        raise UnsupportedVersion(f"schema {current}")
    if current == LATEST:
        return False
    for number in range(current + 1, LATEST + 1):
        MIGRATIONS[number](tables)
    tables.setdefault(META_TABLE, {})[SCHEMA_DOC] = {"kind": "schema", "version": LATEST}
    return True
