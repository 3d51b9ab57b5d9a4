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

TinyDB's own ``update`` changes documents in place; :class:`CopyOnWriteTable` gives it copies first. Tests
set :attr:`VaultStorage.check_in_place` to catch any code that changes a committed document.

**Saves do not stall the screen.** Encoding 20 MB of JSON in one ``json.dumps`` call holds the GIL
for 100 ms or more, and the event loop with it. The encoder here works in slices of documents,
lets other threads run between them, and hands the pieces straight to the streaming encryption:
no whole-database string or bytes is made.
"""

from __future__ import annotations

import json
import operator
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, ClassVar, TypeVar

from tinydb.storages import Storage
from tinydb.table import Document, Table

from . import kept
from .errors import ChangedOnDisk, Locked, PayloadCorrupted, WriteFailed
from .vault import Vault

Tables = dict[str, dict[str, dict[str, Any]]]
#: A slice of a table, as cached: the table, the index of its first document, whether it is the last.
Slot = tuple[str, int, bool]
#: What a slice was made from (its keys and documents) and what is remembered of it.
Slice = tuple[tuple[str, ...], tuple[Any, ...], bytes]
R = TypeVar("R")

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


def _load(vault: Vault, keep: dict[Slot, Slice] | None) -> Tables:
    """The tables read at unlock. The decrypted bytes are consumed while parsing (or, for JSON
    laid out by an earlier version, freed once decoded): at 30 years they are 23 MB, and held
    beside the parsed tables they would raise the peak by as much."""
    raw = vault.take_plaintext_view()
    if isinstance(raw, bytearray):
        data = parse_lines(raw, keep=keep)  # no pauses: the user waits for this, and the
        # interpreter hands the GIL to the event loop every 5 ms anyway (a line parses in < 1 ms)
        if data is not None:
            return data
    try:
        text = str(raw, "utf-8")
    except UnicodeDecodeError:
        raise PayloadCorrupted("payload is not UTF-8") from None
    finally:
        if isinstance(raw, memoryview):
            raw.release()
        del raw
    return loads(text)


class _Slices:
    """The JSON of a database as lines of bytes, one slice of documents a line::

        {"study":{
        "1":{…},"2":{…},…,"64":{…},
        "65":{…},…
        },"assessments":{
        …
        }}

    Valid JSON as a whole (a raw newline never occurs inside encoded JSON, so the line breaks are
    only ever these). Each slice's length is remembered with the documents it was made from, so
    the next save measures only the slices whose documents changed (by identity), and can tell the
    encryption the payload's length before encoding; :func:`parse_lines` reads it back a line at
    a time.
    """

    def __init__(self) -> None:
        self._lengths: dict[Slot, tuple[tuple[str, ...], tuple[Any, ...], int]] = {}
        #: The lines as read at unlock, by slice (the CLI's one save re-encodes only what changed;
        #: the app keeps none: they would be a second copy of the data).
        self._read: dict[Slot, Slice] = {}

    def remember(self, lines: dict[Slot, Slice]) -> None:
        """Keep the lines read at unlock (see :func:`parse_lines`)."""
        self._read = lines

    @staticmethod
    def _lines(
        data: Mapping[str, Mapping[str, Any]],
    ) -> Iterator[tuple[bytes | None, Slot, tuple[str, ...], tuple[Any, ...]]]:
        """Each line: either its bytes (a table's opening) or, for documents, None and what
        makes them (the cache slot, the keys and the documents)."""
        for i, (name, table) in enumerate(data.items()):
            yield ("{" if i == 0 else "},").encode() + _ENCODE(name).encode("utf-8") + b":{\n", ("", 0, False), (), ()
            keys = tuple(table)
            for start in range(0, len(keys), SLICE):
                part = keys[start : start + SLICE]
                yield None, (name, start, start + SLICE >= len(keys)), part, tuple(table[k] for k in part)

    @staticmethod
    def _encode(slot: Slot, keys: tuple[str, ...], docs: tuple[Any, ...]) -> bytes:
        body = _ENCODE(dict(zip(keys, docs, strict=True)))[1:-1]
        return (body + ("\n" if slot[2] else ",\n")).encode("utf-8")

    def length(self, data: Mapping[str, Mapping[str, Any]], pause: Callable[[], None]) -> int:
        """The byte length of the database's JSON (slices not changed since last time are not
        encoded again)."""
        total, lengths = (3 if data else 2), {}
        for line, slot, keys, docs in self._lines(data):
            if line is not None:
                total += len(line)
                continue
            size = _remembered(self._lengths.get(slot), keys, docs)
            if size is None:
                size = len(self._encode(slot, keys, docs))
                pause()
            lengths[slot] = (keys, docs, size)
            total += size
        self._lengths = lengths
        return total

    def pieces(self, data: Mapping[str, Mapping[str, Any]], pause: Callable[[], None]) -> Iterator[bytes]:
        """The database's JSON, a line at a time (each slice's length is remembered)."""
        if not data:
            yield b"{}"
            return
        lengths = {}
        for line, slot, keys, docs in self._lines(data):
            if line is None:
                line = _remembered(self._read.get(slot), keys, docs)
                if line is None:
                    line = self._encode(slot, keys, docs)
                    pause()
                lengths[slot] = (keys, docs, len(line))
            yield line
        self._lengths = lengths
        self._read = {}
        yield b"}}\n"


def _remembered(entry: tuple[tuple[str, ...], tuple[Any, ...], R] | None, keys: tuple[str, ...], docs: tuple[Any, ...]) -> R | None:
    """What is remembered of a slice (its length, or its line), if it was made from these keys and
    these very documents (committed documents are never changed in place: the same object means
    the same content); None otherwise."""
    if entry is not None and entry[0] == keys and all(map(operator.is_, entry[1], docs)):
        return entry[2]
    return None


_TABLE_LINE = re.compile(rb'(\{|\},)("[A-Za-z0-9_]+"):\{')


def parse_lines(
    buf: bytearray,
    keep: dict[Slot, Slice] | None = None,
) -> Tables | None:
    """The tables from JSON laid out by :class:`_Slices`, read a line at a time from the end and
    the buffer cut short behind each line, so the bytes shrink as the tables grow (a 30-year vault
    is 23 MB of JSON and 41 MiB parsed). None, with ``buf`` untouched, when the JSON is laid out
    otherwise (written by an earlier version): parse it whole then. With ``keep``, each slice's
    line is put there with the documents read from it (for :meth:`_Slices.remember`)."""
    first_end = buf.find(b"\n", 0, 256)
    match = _TABLE_LINE.fullmatch(buf, 0, first_end) if first_end > 0 else None
    if match is None or match.group(1) != b"{" or bytes(buf[-3:]) != b"}}\n":
        return None
    del buf[-3:]
    tables: list[tuple[str, list[tuple[dict[str, Any], bytes]]]] = []
    chunks: list[tuple[dict[str, Any], bytes]] = []
    while buf:
        start = buf.rfind(b"\n") + 1  # after the line before; 0 for the first line
        line = bytes(buf[start:])
        del buf[max(start - 1, 0) :]
        table = _TABLE_LINE.fullmatch(line)
        if table is not None:
            if (table.group(1) == b"{") != (start == 0):
                raise PayloadCorrupted("payload has the wrong shape")
            tables.append((json.loads(table.group(2)), chunks))
            chunks = []
            continue
        try:
            chunk = json.loads(b"{" + line.rstrip(b",") + b"}")
        except (ValueError, UnicodeDecodeError):
            raise PayloadCorrupted("payload is not JSON") from None
        if not all(isinstance(d, dict) for d in chunk.values()):
            raise PayloadCorrupted("payload has the wrong shape")
        chunks.append((chunk, line if keep is not None else b""))  # the bytes only when kept
    if chunks:
        raise PayloadCorrupted("payload has the wrong shape")
    data: Tables = {}
    for name, parts in reversed(tables):
        docs: dict[str, dict[str, Any]] = {}
        for i, (part, line) in enumerate(reversed(parts)):
            if keep is not None:
                last = i == len(parts) - 1
                keep[(name, i * SLICE, last)] = (tuple(part), tuple(part.values()), line + b"\n")
            docs.update(part)
        data[name] = docs
    return data


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
        self._slices = _Slices()
        # The CLI (on the main thread) keeps the lines it read, for its one save; the app does not.
        read: dict[Slot, Slice] | None = (
            {} if threading.current_thread() is threading.main_thread() else None
        )
        self._data: Tables = _load(vault, read)
        if read:
            self._slices.remember(read)
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
