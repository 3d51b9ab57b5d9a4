"""Kept changes: what the user saved when the disk refused it, held until it can land.

A save is refused when the vault file changed behind our back (a sync tool, a copy, a restore by
another program) or the disk is full. The store never overwrites the other program's file, and the
user's change must not vanish either: the change is taken as *records* — ``{table: {key: document
or None}}``, None meaning deleted — by comparing what the save wanted to write with what was last
committed. Records merge by id (as an import does), so the change can later be laid on top of
whatever file is on disk.

While it waits, the change is written to ``kept/`` beside the vault, sealed with the vault's own
header and data key (the same passphrase opens it; nothing plaintext touches the disk), so a lock,
a quit or a crash does not lose it. The next unlock lays it on top of the vault and removes it.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import PayloadCorrupted
from .vault import KEPT_DIR, Vault, make_private_dir, open_payload, parse_vault, seal, unwrap_dek, write_new_file

#: Folder beside the vault for kept changes and separate copies.
KEPT_FORMAT = "selfcheck-kept"
KEPT_VERSION = 1

#: ``{table: {record key: document, or None when the record was deleted}}``.
Changes = dict[str, dict[str, dict[str, Any] | None]]


def record_key(doc_id: str, doc: dict[str, Any]) -> str:
    """How a document is matched across two versions of the vault: its record id, or (for
    documents without one, such as the settings) its TinyDB document id."""
    rid = doc.get("id")
    return rid if isinstance(rid, str) and rid else f"#{doc_id}"


def diff_tables(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> Changes:
    """The records that differ between ``old`` and ``new``, as :data:`Changes`."""
    changes: Changes = {}
    for table in set(old) | set(new):
        before = {record_key(k, d): d for k, d in old.get(table, {}).items()}
        after = {record_key(k, d): d for k, d in new.get(table, {}).items()}
        changed: dict[str, dict[str, Any] | None] = {
            key: doc for key, doc in after.items() if before.get(key) != doc
        }
        changed.update({key: None for key in before if key not in after})
        if changed:
            changes[table] = changed
    return changes


def merge(into: Changes, later: Changes) -> None:
    """Add ``later`` to ``into``; for the same record the later change wins."""
    for table, records in later.items():
        into.setdefault(table, {}).update(records)


def count(changes: Changes) -> int:
    """How many records ``changes`` touches."""
    return sum(len(records) for records in changes.values())


def apply(tables: dict[str, dict[str, Any]], changes: Changes) -> bool:
    """Lay ``changes`` on ``tables`` in place (a record with the same key is replaced, a new one
    added, a deleted one removed). Returns whether anything changed."""
    changed = False
    for table, records in changes.items():
        target = tables.setdefault(table, {})
        by_key = {record_key(k, d): k for k, d in target.items()}
        next_id = max((int(k) for k in target if k.isdigit()), default=0) + 1
        for key, doc in records.items():
            doc_id = by_key.get(key)
            if doc is None:
                if doc_id is not None:
                    del target[doc_id]
                    changed = True
                continue
            if doc_id is None:
                doc_id = key[1:] if key.startswith("#") and key[1:] not in target else str(next_id)
                next_id = max(next_id, int(doc_id) + 1) if doc_id.isdigit() else next_id
            if target.get(doc_id) != doc:
                target[doc_id] = doc
                changed = True
    return changed


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def write_kept(vault: Vault, changes: Changes, replaces: Path | None = None) -> Path:
    """Seal ``changes`` with ``vault``'s header and key into a new file in ``kept/``; remove the
    file it ``replaces`` (an earlier, smaller set of the same changes) once it is written."""
    directory = vault.path.parent / KEPT_DIR
    make_private_dir(directory)
    payload = json.dumps(
        {"format": KEPT_FORMAT, "version": KEPT_VERSION, "changes": changes}, ensure_ascii=False
    ).encode("utf-8")
    target = directory / f"kept-{_stamp()}-{os.urandom(2).hex()}.scv"
    write_new_file(target, seal(vault.header, bytes(vault.dek), payload))
    if replaces is not None and replaces != target:
        replaces.unlink(missing_ok=True)
    return target


def write_copy(vault: Vault, plaintext: bytes) -> Path:
    """A separate, complete vault file holding ``plaintext`` (opens with the same passphrase;
    ``selfcheck restore`` or Settings → restore can put it in place)."""
    directory = vault.path.parent / KEPT_DIR
    make_private_dir(directory)
    target = directory / f"copy-{_stamp()}-{os.urandom(2).hex()}.scv"
    write_new_file(target, seal(vault.header, bytes(vault.dek), plaintext))
    return target


def kept_files(data_dir: Path) -> list[Path]:
    """Kept-change files waiting in ``data_dir``, oldest first."""
    directory = Path(data_dir) / KEPT_DIR
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.name.startswith("kept-") and p.name.endswith(".scv"))


def read_kept(path: Path, dek: bytes, passphrase: str | None = None) -> Changes:
    """Open a kept-change file with the vault's data key (or, when the key changed since, the
    passphrase). Raises a :class:`SelfcheckError` when it cannot be opened or read."""
    data = Path(path).read_bytes()
    header, ciphertext = parse_vault(data)
    head = data[: len(data) - len(ciphertext)]
    try:
        plaintext = open_payload(header, head, ciphertext, dek)
    except PayloadCorrupted:
        if passphrase is None:
            raise
        plaintext = open_payload(header, head, ciphertext, bytes(unwrap_dek(header, passphrase=passphrase)))
    try:
        doc = json.loads(str(plaintext, "utf-8"))
    except ValueError:
        raise PayloadCorrupted("kept changes are not JSON") from None
    changes = doc.get("changes") if isinstance(doc, dict) and doc.get("format") == KEPT_FORMAT else None
    if not isinstance(changes, dict) or not all(
        isinstance(records, dict) and all(d is None or isinstance(d, dict) for d in records.values())
        for records in changes.values()
    ):
        raise PayloadCorrupted("kept changes have the wrong shape")
    return changes


__all__ = [
    "KEPT_DIR",
    "Changes",
    "apply",
    "count",
    "diff_tables",
    "kept_files",
    "merge",
    "read_kept",
    "write_copy",
    "write_kept",
]
