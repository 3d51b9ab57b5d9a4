"""TinyDB storage on top of the encrypted vault.

TinyDB reads the whole database before every query and writes it after every change. So the
vault is decrypted once at unlock and ``read()`` serves the tables from memory; ``write()``
serialises and commits through :meth:`Vault.commit`.

**Copy on write.** The tables in memory are always exactly what is on disk, and a committed
document is never changed in place: a change works on new table dicts (``read()`` hands TinyDB a
new outer dict, :meth:`VaultStorage.working_copy` gives the journal new table dicts) holding new
documents, and the write swaps them in only once the disk has them. So:

- a failed write leaves nothing to roll back (no phantom record, vault-research.md §1.4) and no
  copy of the last committed bytes is kept for it;
- readers need no lock: whatever tables they hold stay as they were, while a save runs;
- what a save changed is found by identity (``new is not old``), which keeps the diary's index
  up to date without rebuilding it, and lets a save skip measuring the documents it did not touch.

TinyDB's own ``update`` changes documents in place; :class:`Table` gives it copies first. Tests
set :attr:`VaultStorage.check_in_place` to catch any code that changes a committed document.

**Saves do not stall the screen.** Encoding 20 MB of JSON in one ``json.dumps`` call holds the GIL
for 100 ms or more, and the event loop with it. The encoder here works in slices of documents,
lets other threads run between them, and hands the pieces straight to the streaming encryption:
no whole-database string or bytes is made.
"""

from __future__ import annotations

import json
import operator
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, ClassVar

from tinydb.storages import Storage
from tinydb.table import Document, Table

from . import kept
from .errors import ChangedOnDisk, Locked, PayloadCorrupted, WriteFailed
from .vault import Vault

Tables = dict[str, dict[str, dict[str, Any]]]

#: Documents per ``json.dumps`` call while saving: a slice encodes in well under a millisecond,
#: so the event loop never waits long for the GIL.
SLICE = 64

_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def dumps(data: Mapping[str, Any]) -> bytes:
    """Serialise the database: compact UTF-8 JSON (Chinese stays three bytes a character)."""
    return _ENCODE(data).encode("utf-8")


def loads(raw: bytes | memoryview | str) -> Tables:
    """Parse decrypted vault JSON and check its shape: ``{table: {doc_id: document}}``."""
    try:
        data = json.loads(raw if isinstance(raw, str | bytes) else str(raw, "utf-8"))
    except (ValueError, UnicodeDecodeError):
        # Never log or show the exception: JSONDecodeError carries the whole document.
        raise PayloadCorrupted("payload is not JSON") from None
    if not isinstance(data, dict) or not all(
        isinstance(t, dict) and all(isinstance(d, dict) for d in t.values()) for t in data.values()
    ):
        raise PayloadCorrupted("payload has the wrong shape")
    return data


def _text(vault: Vault) -> str:
    """The JSON read at unlock, as text; the decrypted bytes are freed before parsing (at 30 years
    they are 23 MB, held beside the parsed tables they would raise the peak by as much)."""
    view = vault.take_plaintext_view()
    try:
        return str(view, "utf-8")
    except UnicodeDecodeError:
        raise PayloadCorrupted("payload is not UTF-8") from None
    finally:
        if isinstance(view, memoryview):
            view.release()
        del view


class _Slices:
    """The JSON of a database as pieces of bytes, one slice of documents at a time.

    Joined, the pieces equal :func:`dumps` of the same data. Each slice's length is remembered with
    the documents it was made from, so the next save measures only the slices whose documents
    changed (by identity), and can tell the encryption the payload's length before encoding.
    """

    def __init__(self) -> None:
        self._lengths: dict[tuple[str, int, bool], tuple[tuple[str, ...], tuple[Any, ...], int]] = {}

    @staticmethod
    def _slices(data: Mapping[str, Mapping[str, Any]]) -> Iterator[tuple[str, int, tuple[str, ...], tuple[Any, ...]]]:
        for name, table in data.items():
            keys = tuple(table)
            for start in range(0, max(len(keys), 1), SLICE):
                part = keys[start : start + SLICE]
                yield name, start, part, tuple(table[k] for k in part)

    @staticmethod
    def _piece(name: str, start: int, count: int, keys: tuple[str, ...], docs: tuple[Any, ...], first: bool) -> bytes:
        body = _ENCODE(dict(zip(keys, docs, strict=True)))[1:-1]
        if start == 0:
            head = ("{" if first else ",") + _ENCODE(name) + ":{"
            body = head + body
        elif body:
            body = "," + body
        if start + SLICE >= count:
            body += "}"
        return body.encode("utf-8")

    def length(self, data: Mapping[str, Mapping[str, Any]], pause: Callable[[], None]) -> int:
        """The byte length of the database's JSON (slices not changed since last time are not
        encoded again)."""
        total, lengths = 2 if not data else 1, {}
        first = True
        for name, start, keys, docs in self._slices(data):
            slot = (name, start, start + SLICE >= len(data[name]))  # the last slice closes its table
            cached = self._lengths.get(slot)
            if cached is not None and cached[0] == keys and all(map(operator.is_, cached[1], docs)):
                size = cached[2]
            else:
                size = len(self._piece(name, start, len(data[name]), keys, docs, first))
                pause()
            lengths[slot] = (keys, docs, size)
            total += size
            first = False
        self._lengths = lengths
        return total

    def pieces(self, data: Mapping[str, Mapping[str, Any]], pause: Callable[[], None]) -> Iterator[bytes]:
        """The database's JSON, a slice at a time (each slice's length is remembered)."""
        if not data:
            yield b"{}"
            return
        first = True
        lengths = {}
        for name, start, keys, docs in self._slices(data):
            piece = self._piece(name, start, len(data[name]), keys, docs, first)
            lengths[(name, start, start + SLICE >= len(data[name]))] = (keys, docs, len(piece))
            yield piece
            first = False
            pause()
        self._lengths = lengths
        yield b"}"


def _checked(total: int, pieces: Iterator[bytes]) -> Iterator[bytes]:
    """``pieces``, raising :class:`WriteFailed` at the end unless they add up to ``total`` (the
    length the header was written with)."""
    written = 0
    for piece in pieces:
        written += len(piece)
        yield piece
    if written != total:
        raise WriteFailed("the data changed while it was being saved")


def _pause() -> None:
    """Let other threads (the event loop) run: a save thread between two slices."""
    if threading.current_thread() is not threading.main_thread():
        time.sleep(0)


def _no_pause() -> None:
    pass


class VaultStorage(Storage):
    """A TinyDB ``Storage`` whose file is an unlocked :class:`Vault`."""

    #: Tests turn this on: every write first checks that no committed document changed in place.
    check_in_place: ClassVar[bool] = False

    def __init__(self, vault: Vault) -> None:
        self.vault: Vault | None = vault
        self._data: Tables = loads(_text(vault))
        self._slices = _Slices()
        self._check = dumps(self._data) if self.check_in_place else b""
        #: Changes the disk refused (changed behind our back, disk full), kept for the user.
        self.refused: kept.Changes = {}
        #: Called after each commit with the old and the new tables (the journal's change log).
        self.on_commit: Callable[[Tables, Tables], None] | None = None

    @property
    def tables(self) -> Tables:
        """The committed tables (read-only: never change them or their documents)."""
        if self.vault is None:
            raise Locked("storage closed")
        return self._data

    def read(self) -> Tables:
        """The committed tables in a new outer dict: TinyDB replaces a table in what it read before
        it writes, and the committed tables must not change until the write lands."""
        return dict(self.tables)

    def working_copy(self) -> Tables:
        """New dicts of every table (the documents shared): change them, then :meth:`write`."""
        return {name: dict(table) for name, table in self.tables.items()}

    def write(self, data: Tables) -> None:
        """Commit ``data``; on failure the committed tables stay as they were and it re-raises."""
        if self.vault is None:
            raise Locked("storage closed")
        if self.check_in_place and dumps(self._data) != self._check:
            raise AssertionError("a committed document was changed in place")
        try:
            if threading.current_thread() is threading.main_thread():
                # The CLI (and tests): nothing to keep responsive, so encode once, in memory.
                pieces: Iterable[bytes] = list(self._slices.pieces(data, _no_pause))
                total = sum(len(p) for p in pieces)
            else:
                # A save thread: measure (only the slices that changed), then encode while
                # encrypting, so no second copy of the database is ever held.
                total = self._slices.length(data, _pause)
                pieces = _checked(total, self._slices.pieces(data, _pause))
        except (TypeError, ValueError, UnicodeEncodeError):
            self._slices = _Slices()
            raise WriteFailed("data cannot be serialised") from None
        try:
            self.vault.commit(pieces, size=total)
        except (ChangedOnDisk, WriteFailed):
            kept.merge(self.refused, kept.diff_tables(self._data, data))
            raise
        old, self._data = self._data, data
        if self.check_in_place:
            self._check = dumps(data)
        if self.on_commit is not None:
            self.on_commit(old, data)

    def rollback(self) -> None:
        """Nothing to undo: a change never touches the committed tables (kept for callers)."""

    def encoded(self) -> bytes:
        """The committed data as JSON bytes (for a passphrase change and recovery-key updates)."""
        return b"".join(self._slices.pieces(self.tables, _no_pause))

    def close(self) -> None:
        """Forget the key and the data (the lock is the journal's to release)."""
        if self.vault is not None:
            self.vault.forget()
        self.vault = None
        self._data = {}
        self._slices = _Slices()
        self.refused = {}


class _CopyingTable(dict[Any, dict[str, Any]]):
    """A table handed to TinyDB's updaters: a document read from it is a copy, stored back, so
    TinyDB's in-place ``update`` never touches a committed document."""

    def __init__(self, items: Mapping[Any, dict[str, Any]]) -> None:
        super().__init__(items)
        self._copied: set[Any] = set()

    def __getitem__(self, key: Any) -> dict[str, Any]:
        doc = super().__getitem__(key)
        if key not in self._copied:
            doc = json.loads(_ENCODE(doc))  # deep: updaters may change nested lists too
            super().__setitem__(key, doc)
            self._copied.add(key)
        return doc


class CopyOnWriteTable(Table):
    """TinyDB's table, whose updates work on copies of the documents they touch."""

    def _update_table(self, updater: Callable[[dict[int, Mapping]], None]) -> None:
        tables = self._storage.read() or {}
        raw = tables.get(self.name, {})
        table = _CopyingTable({self.document_id_class(doc_id): doc for doc_id, doc in raw.items()})
        updater(table)  # type: ignore[arg-type]  # a dict of documents, as TinyDB's own
        tables[self.name] = {str(doc_id): dict.__getitem__(table, doc_id) for doc_id in table}
        self._storage.write(tables)
        self.clear_cache()


__all__ = ["CopyOnWriteTable", "Document", "VaultStorage", "dumps", "loads"]
