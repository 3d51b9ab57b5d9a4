"""The journal: the one facade the CLI and the screens use to read and change the vault.

It owns the process lock, the unlocked :class:`Vault`, and a TinyDB on :class:`VaultStorage`.
Every public method that changes something is one user action and exactly one commit; it either
lands completely or raises and leaves memory and disk as they were. Methods return dataclasses
from :mod:`selfcheck.store.models`, never TinyDB documents.
"""

from __future__ import annotations

import functools
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from tinydb import TinyDB

from . import kept, migrations
from .errors import Locked, NotFound, PayloadCorrupted, SelfcheckError, VaultMissing, WrongPassphrase
from .lock import VaultLock
from .models import (
    ActionItem,
    Assessment,
    Meeting,
    ProgressNote,
    Record,
    Settings,
    StudyEntry,
    TalkNote,
    now_iso,
    today_iso,
)
from .paths import VAULT_NAME
from .storage import CopyOnWriteTable, Tables, VaultStorage, loads
from .vault import (
    Fingerprint,
    KdfParams,
    Rotation,
    Vault,
    list_backups,
    open_payload,
    parse_vault,
    remove_stale_temp_files,
    unwrap_dek,
)

R = TypeVar("R", bound=Record)

TRASH_TABLE = "trash"
#: How many saves the change log remembers (the diary index catches up from it).
CHANGE_LOG_SAVES = 32


def _serialised(method: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``method`` under the journal's mutex: changes (and what must see no change halfway)
    run one at a time. Reads take no lock: the committed tables are never changed in place
    (:mod:`selfcheck.store.storage`), so the event loop reads while a save thread writes."""

    @functools.wraps(method)
    def wrapper(self: Journal, *args: Any, **kwargs: Any) -> Any:
        with self._mutex:  # noqa: SLF001 - the journal's own lock
            return method(self, *args, **kwargs)

    return wrapper


def vault_path(data_dir: Path) -> Path:
    """The vault file inside ``data_dir``."""
    return Path(data_dir) / VAULT_NAME


@dataclass(frozen=True)
class TrashItem:
    """A deleted record kept so one wrong key never loses anything."""

    id: str
    table: str
    deleted: str
    record: Record


class Journal:
    """An open, unlocked journal. Use :meth:`create` or :meth:`open`, and :meth:`close` at the end."""

    def __init__(self, data_dir: Path, lock: VaultLock, vault: Vault) -> None:
        self.data_dir = Path(data_dir)
        # Serialises every read and write (see :func:`_serialised`).
        self._mutex = threading.RLock()
        self.lock = lock
        self._vault = vault
        #: What the last :meth:`set_recovery_key` did to the kept copies (see :class:`Rotation`).
        self.last_rotation: Rotation | None = None
        self._storage = VaultStorage(vault)
        self._storage.on_commit = self._log_changes
        #: What the last saves changed, oldest first: (save counter, {table: (removed, added)}).
        self._changes: deque[tuple[int, dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]]]] = deque(
            maxlen=CHANGE_LOG_SAVES
        )
        self._db: TinyDB | None = TinyDB(storage=_Existing(self._storage))
        self._db.table_class = CopyOnWriteTable
        if migrations.schema_version(self._storage.tables) != migrations.LATEST:
            tables = loads(self._storage.encoded())  # migrations change documents: work on a copy
            if migrations.migrate(tables):
                self._storage.write(tables)
        self._vault.backups_kept = self.settings().backups_kept

    # ------------------------------------------------------------------ lifecycle

    @staticmethod
    def exists(data_dir: Path) -> bool:
        """Whether a vault exists in ``data_dir``."""
        return vault_path(data_dir).exists()

    @classmethod
    def create(cls, data_dir: Path, passphrase: str, *, kdf: KdfParams | None = None) -> Journal:
        """Create a new, empty vault in ``data_dir`` and return it open."""
        lock = VaultLock(Path(data_dir)).acquire()
        try:
            vault = Vault.create(vault_path(data_dir), passphrase, kdf=kdf)
            vault.plaintext = b"{}"
            return cls(data_dir, lock, vault)
        except BaseException:
            lock.release()
            raise

    @classmethod
    def open(
        cls,
        data_dir: Path,
        *,
        passphrase: str | None = None,
        recovery_key: str | None = None,
        lock: VaultLock | None = None,
    ) -> Journal:
        """Take the lock (unless given one already held) and unlock the vault in ``data_dir``."""
        data_dir = Path(data_dir)
        if not vault_path(data_dir).exists():
            raise VaultMissing(str(vault_path(data_dir)))
        own_lock = lock is None
        lock = lock or VaultLock(data_dir).acquire()
        try:
            remove_stale_temp_files(data_dir)
            vault = Vault.open(vault_path(data_dir), passphrase=passphrase, recovery_key=recovery_key)
            return cls(data_dir, lock, vault)
        except BaseException:
            if own_lock:
                lock.release()
            raise

    @_serialised
    def lock_keep_process_lock(self) -> VaultLock:
        """Drop the key and the data (auto-lock) but keep the process lock; returns it for unlock."""
        self._drop()
        return self.lock

    @_serialised
    def close(self) -> None:
        """Drop the key and the data and release the process lock."""
        self._drop()
        self.lock.release()

    def _drop(self) -> None:
        if self._db is not None:
            self._storage.close()
            self._db = None

    @property
    def _tinydb(self) -> TinyDB:
        """The TinyDB (raises :class:`Locked` after :meth:`close`)."""
        if self._db is None:
            raise Locked("journal is locked")
        return self._db

    # ------------------------------------------------------------------ generic records

    def _all(self, cls: type[R]) -> list[R]:
        return [cls.from_doc(doc) for doc in self._tinydb.table(cls.TABLE).all()]

    def _doc_id(self, table: str, record_id: str) -> int:
        for doc_id, doc in self._storage.tables.get(table, {}).items():
            if doc.get("id") == record_id:
                return int(doc_id)
        raise NotFound(record_id)

    def get(self, cls: type[R], record_id: str) -> R:
        """The record of type ``cls`` with ``record_id``; :class:`NotFound` otherwise."""
        for doc in self._storage.tables.get(cls.TABLE, {}).values():
            if doc.get("id") == record_id:
                return cls.from_doc(doc)
        raise NotFound(record_id)

    def _insert(self, record: R) -> R:
        # Adding a record that is already there replaces it: a save asked for twice (ctrl+s, then
        # the lock keeping the same draft) must not leave two copies.
        try:
            self._doc_id(record.TABLE, record.id)
        except NotFound:
            self._tinydb.table(record.TABLE).insert(record.to_doc())
            return record
        return self._update(record)

    def _update(self, record: R) -> R:
        record = replace(record, updated=now_iso()) if hasattr(record, "updated") else record  # type: ignore[call-arg]
        doc_id = self._doc_id(record.TABLE, record.id)
        # Replace the whole document (TinyDB's update would keep keys that were removed).
        self._bulk(lambda tables: tables[record.TABLE].__setitem__(str(doc_id), record.to_doc()))
        return record

    def _bulk(self, change: Callable[[dict[str, dict[str, dict[str, Any]]]], bool | None]) -> None:
        """Apply ``change`` to the raw tables and commit once (for multi-table actions).

        ``change`` may return False to say it changed nothing; then nothing is written.
        """
        tables = self._storage.working_copy()  # a change failing halfway leaves no trace
        try:
            if change(tables) is not False:
                self._storage.write(tables)
        finally:
            for name in list(tables):
                table = self._tinydb.table(name)
                table.clear_cache()
                table._next_id = None  # noqa: SLF001 - TinyDB caches the next id per table

    # ------------------------------------------------------------------ settings

    def settings(self) -> Settings:
        """The user's settings."""
        meta = self._storage.tables.get(migrations.META_TABLE, {})
        return Settings.from_doc(meta.get(migrations.SETTINGS_DOC, {}).get("settings"))

    @_serialised
    def save_settings(self, settings: Settings) -> Settings:
        """Save ``settings`` (one commit) and apply what the store itself uses."""

        def change(tables: dict[str, Any]) -> None:
            tables.setdefault(migrations.META_TABLE, {})[migrations.SETTINGS_DOC] = {
                "kind": "settings",
                "settings": settings.to_doc(),
            }

        self._bulk(change)
        self._vault.backups_kept = settings.backups_kept
        return settings

    # ------------------------------------------------------------------ study diary

    @_serialised
    def add_study(self, entry: StudyEntry) -> StudyEntry:
        """Add a study diary entry."""
        return self._insert(entry)

    @_serialised
    def update_study(self, entry: StudyEntry) -> StudyEntry:
        """Save changes to an existing entry."""
        return self._update(entry)

    def study_entries(self) -> list[StudyEntry]:
        """All entries, newest first (by date, then by creation time)."""
        return sorted(self._all(StudyEntry), key=lambda e: (e.date, e.created), reverse=True)

    def find_study(
        self,
        *,
        text: str = "",
        date_from: str | None = None,
        date_to: str | None = None,
        tag: str | None = None,
        limit: int | None = None,
    ) -> list[StudyEntry]:
        """Entries matching all the given filters, newest first.

        ``text`` matches case-insensitively in title, source, excerpt, notes and tags.
        """
        return self.study_page(text=text, date_from=date_from, date_to=date_to, tag=tag, limit=limit)[0]

    def study_page(
        self,
        *,
        text: str = "",
        date_from: str | None = None,
        date_to: str | None = None,
        tag: str | None = None,
        limit: int | None = None,
    ) -> tuple[list[StudyEntry], int]:
        """The newest ``limit`` entries matching the filters of :meth:`find_study`, and how many
        match in all. Only the page is converted to records (``list -n 3`` of 5,000)."""
        needle = text.casefold()
        found = []
        for doc in self._storage.tables.get(StudyEntry.TABLE, {}).values():
            day = doc.get("date", "")
            if date_from and day < date_from or date_to and day > date_to:
                continue
            if tag and tag not in doc.get("tags", ()):
                continue
            if needle and not any(
                needle in str(doc.get(k, "")).casefold() for k in ("title", "source", "excerpt", "notes")
            ) and not any(needle in t.casefold() for t in doc.get("tags", ())):
                continue
            found.append(doc)
        found.sort(key=lambda d: (d.get("date", ""), d.get("created", "")), reverse=True)
        return [StudyEntry.from_doc(d) for d in found[:limit]], len(found)

    def study_tags(self) -> list[str]:
        """Every tag used so far, most used first (for suggestions)."""
        counts: dict[str, int] = {}
        for doc in self._storage.tables.get(StudyEntry.TABLE, {}).values():
            for tag in doc.get("tags", ()):
                counts[tag] = counts.get(tag, 0) + 1
        return sorted(counts, key=lambda t: (-counts[t], t))

    # ------------------------------------------------------------------ trash

    @_serialised
    def delete(self, cls: type[Record], record_id: str) -> None:
        """Move a record to the trash (one commit); :meth:`restore_deleted` brings it back."""
        doc_id = self._doc_id(cls.TABLE, record_id)

        def change(tables: dict[str, Any]) -> None:
            doc = tables[cls.TABLE].pop(str(doc_id))
            trash = tables.setdefault(TRASH_TABLE, {})
            trash[str(_next_doc_id(trash))] = {"id": record_id, "table": cls.TABLE, "deleted": now_iso(), "doc": doc}

        self._bulk(change)

    def trash(self) -> list[TrashItem]:
        """Deleted records, most recently deleted first."""
        from .models import RECORD_TYPES

        items = [
            TrashItem(d["id"], d["table"], d["deleted"], RECORD_TYPES[d["table"]].from_doc(d["doc"]))
            for d in self._storage.tables.get(TRASH_TABLE, {}).values()
            if d.get("table") in RECORD_TYPES
        ]
        return sorted(items, key=lambda i: i.deleted, reverse=True)

    @_serialised
    def restore_deleted(self, record_id: str) -> None:
        """Move a record from the trash back to its table (one commit)."""
        doc_id = self._doc_id(TRASH_TABLE, record_id)

        def change(tables: dict[str, Any]) -> None:
            item = tables[TRASH_TABLE].pop(str(doc_id))
            target = tables.setdefault(item["table"], {})
            target[str(_next_doc_id(target))] = item["doc"]

        self._bulk(change)

    # ------------------------------------------------------------------ self-checks

    @_serialised
    def start_assessment(self, checklist_id: str, checklist_version: int = 1, period_label: str = "") -> Assessment:
        """Start a new draft self-check."""
        return self._insert(
            Assessment(checklist_id=checklist_id, checklist_version=checklist_version, period_label=period_label)
        )

    @_serialised
    def save_assessment(self, assessment: Assessment) -> Assessment:
        """Save a self-check, adding it if it is new (each answer is saved as it is given)."""
        try:
            return self._update(assessment)
        except NotFound:
            return self._insert(assessment)

    def assessments(
        self, checklist_id: str | None = None, *, drafts: bool | None = False, limit: int | None = None
    ) -> list[Assessment]:
        """Self-checks, newest first; ``drafts=None`` for both finished and drafts.

        Filters and sorts the stored documents and converts only the ``limit`` newest: Home asks
        for two of five hundred.
        """
        docs = [
            d
            for d in self._storage.tables.get(Assessment.TABLE, {}).values()
            if (checklist_id is None or d.get("checklist_id") == checklist_id)
            and (drafts is None or (d.get("completed") is None) == drafts)
        ]
        docs.sort(key=lambda d: d.get("completed") or d.get("started") or "", reverse=True)
        return [Assessment.from_doc(d) for d in docs[:limit]]

    # ------------------------------------------------------------------ rectification list

    @_serialised
    def add_action(self, action: ActionItem) -> ActionItem:
        """Add a rectification item (one without an origin says where it came from: a
        self-check when it has a source, else by hand)."""
        if action.origin is None:
            kind = action.origin_kind()
            source = action.source or {}
            origin = {"kind": kind, "id": source["assessment"]} if kind == "selfcheck" else {"kind": kind}
            action = replace(action, origin=origin)
        return self._insert(action)

    @_serialised
    def update_action(self, action: ActionItem) -> ActionItem:
        """Save changes to a rectification item."""
        return self._update(action)

    @_serialised
    def add_progress(self, action_id: str, note: str, day: str | None = None) -> ActionItem:
        """Append a dated progress note to a rectification item."""
        action = self.get(ActionItem, action_id)
        action.progress.append(ProgressNote(day or today_iso(), note))
        if action.status == "not_started":
            action.status = "in_progress"
        return self._update(action)

    @_serialised
    def mark_done(self, action_id: str, note: str = "", day: str | None = None) -> ActionItem:
        """销号: mark a rectification item done with a date and a note."""
        action = self.get(ActionItem, action_id)
        action.status, action.done_date, action.done_note = "done", day or today_iso(), note
        return self._update(action)

    def actions(self, *, open_only: bool = False) -> list[ActionItem]:
        """Rectification items, soonest due first (undated last)."""
        docs = self._storage.tables.get(ActionItem.TABLE, {}).values()
        # Filter before converting: Home asks for the open items of 900.
        found = [ActionItem.from_doc(d) for d in docs if not (open_only and d.get("status") == "done")]
        return sorted(found, key=lambda a: (a.due is None, a.due or "", a.created))

    # ------------------------------------------------------------------ talks

    @_serialised
    def add_talk(self, talk: TalkNote) -> TalkNote:
        """Add notes of a heart-to-heart talk."""
        return self._insert(talk)

    @_serialised
    def update_talk(self, talk: TalkNote) -> TalkNote:
        """Save changes to talk notes."""
        return self._update(talk)

    def talks(self) -> list[TalkNote]:
        """Talk notes, newest first."""
        return sorted(self._all(TalkNote), key=lambda t: (t.date, t.created), reverse=True)

    # ------------------------------------------------------------------ meetings

    def meetings(self) -> list[Meeting]:
        """Meetings prepared for, latest 年度 first."""
        return sorted(self._all(Meeting), key=lambda m: (m.year, m.created), reverse=True)

    def meeting_for(self, year: int) -> Meeting | None:
        """The meeting of 年度 ``year`` (the latest created, should there be two), or None."""
        found = [m for m in self._all(Meeting) if m.year == year]
        return max(found, key=lambda m: m.created) if found else None

    @_serialised
    def save_meeting(self, meeting: Meeting) -> Meeting:
        """Save a meeting, adding it if it is new (each step is saved as the user leaves it)."""
        return self._insert(meeting)

    @_serialised
    def finish_meeting(self, meeting: Meeting, today: str | None = None) -> Meeting:
        """Turn the meeting's measures into rectification items raised at it, in one commit.

        A measure already turned into an item updates that item (while it is still open); a
        measure without text is skipped. Returns the meeting with the items' ids filled in.
        """
        stamp = now_iso()
        meeting = replace(meeting, finished=meeting.finished or stamp, updated=stamp)
        meeting.problems = [replace(p, measures=[replace(m) for m in p.measures]) for p in meeting.problems]
        documents = {doc.get("id"): doc for doc in self._storage.tables.get(ActionItem.TABLE, {}).values()}
        new: list[dict[str, Any]] = []
        updated: dict[str, dict[str, Any]] = {}
        for problem in meeting.problems:
            for measure in problem.measures:
                if not measure.text.strip():
                    continue
                if measure.action and measure.action not in documents:
                    continue  # its item was deleted from the list: the user's choice stands
                existing = documents.get(measure.action) if measure.action else None
                problem_text = problem.text if problem.text.strip() else problem.example
                if existing is not None:
                    item = ActionItem.from_doc(existing)
                    if item.status != "done":
                        updated[item.id] = replace(
                            item, problem=problem_text, cause=problem.cause, measure=measure.text,
                            standard=measure.standard, due=measure.due, updated=stamp,
                        ).to_doc()
                    continue
                item = ActionItem(
                    problem=problem_text, cause=problem.cause, measure=measure.text, standard=measure.standard,
                    due=measure.due, origin={"kind": "meeting", "id": meeting.id}, created=stamp, updated=stamp,
                )
                measure.action = item.id
                new.append(item.to_doc())

        def change(tables: dict[str, Any]) -> None:
            actions = tables.setdefault(ActionItem.TABLE, {})
            for doc_id, doc in actions.items():
                if doc.get("id") in updated:
                    actions[doc_id] = updated[doc["id"]]
            for doc in new:
                actions[str(_next_doc_id(actions))] = doc
            table = tables.setdefault(Meeting.TABLE, {})
            for doc_id, doc in table.items():
                if doc.get("id") == meeting.id:
                    table[doc_id] = meeting.to_doc()
                    break
            else:
                table[str(_next_doc_id(table))] = meeting.to_doc()

        self._bulk(change)
        return meeting

    # ------------------------------------------------------------------ keys and backups

    @_serialised
    def change_passphrase(self, new_passphrase: str, *, kdf: KdfParams | None = None) -> Rotation:
        """A new data key under ``new_passphrase``, in one atomic save; the kept copies are sealed
        again under it (see :meth:`Vault.rotate`)."""
        return self._vault.change_passphrase(new_passphrase, self._storage.encoded(), kdf=kdf)

    @_serialised
    def set_recovery_key(self) -> str:
        """Create or replace the recovery key under a new data key; returns it (show it once,
        never store it)."""
        key, self.last_rotation = self._vault.set_recovery_key(self._storage.encoded())
        return key

    @_serialised
    def remove_recovery_key(self) -> Rotation:
        """Drop the recovery key slot, under a new data key (one atomic save)."""
        return self._vault.remove_recovery_key(self._storage.encoded())

    @property
    def opened_with_recovery_key(self) -> bool:
        """Whether this session holds no passphrase slot's key (opened with the recovery key)."""
        return not any(s.is_passphrase and s.salt in self._vault.keks for s in self._vault.header.slots)

    @_serialised
    def restore_records(self, source: Path, passphrase: str | None = None) -> Journal:
        """Put the records of the copy ``source`` in place of the current ones, under today's
        keys: the copy is read with this journal's data key (a backup made since the last key
        change), else with ``passphrase``; the records are saved as one commit of this vault (so
        the current state goes to ``backups/`` like any save) and reopened. Returns the new
        journal (this one is dropped). :class:`WrongPassphrase` when neither key opens the copy."""
        data = Path(source).read_bytes()
        header, ciphertext = parse_vault(data)
        head = data[: len(data) - len(ciphertext)]
        try:
            plaintext = open_payload(header, head, ciphertext, bytes(self._vault.dek))
        except PayloadCorrupted:
            if passphrase is None:
                raise WrongPassphrase("the copy has another key") from None
            plaintext = open_payload(header, head, ciphertext, bytes(unwrap_dek(header, passphrase=passphrase)))
        self._vault.commit(plaintext)
        return self.reopen_from_disk()

    @property
    def has_recovery_key(self) -> bool:
        """Whether the vault has a recovery key slot."""
        return self._vault.has_recovery_key

    def backups(self) -> list[Path]:
        """Backup files, newest first."""
        return list_backups(self._vault.backup_dir)

    # ------------------------------------------------------------------ bulk import

    @_serialised
    def apply_import(self, change: Callable[[dict[str, dict[str, dict[str, Any]]]], bool]) -> None:
        """Apply an import (computed by :mod:`selfcheck.store.exchange`) in one commit, or none
        when ``change`` returns False; imported settings apply at once."""
        self._bulk(change)
        self._vault.backups_kept = self.settings().backups_kept

    # ------------------------------------------------------------------ reading for screens

    @property
    def save_counter(self) -> int:
        """How many times the vault was saved: a cache built from the data is fresh while this holds."""
        return self._vault.header.save_counter

    def documents(self, table: str) -> list[dict[str, Any]]:
        """The stored documents of ``table`` (read-only: do not mutate), for summaries and indexes
        that would waste time converting thousands of records."""
        return list(self._storage.tables.get(table, {}).values())

    def _log_changes(self, old: Tables, new: Tables) -> None:
        """Note what a commit changed, by identity (committed documents are never changed in place)."""
        changes = {}
        for name in old.keys() | new.keys():
            before, after = old.get(name, {}), new.get(name, {})
            if before is after:
                continue
            removed = [d for k, d in before.items() if after.get(k) is not d]
            added = [d for k, d in after.items() if before.get(k) is not d]
            if removed or added:
                changes[name] = (removed, added)
        self._changes.append((self._vault.header.save_counter, changes))

    def changes_since(
        self, save_counter: int, table: str
    ) -> tuple[int, list[dict[str, Any]], list[dict[str, Any]]] | None:
        """The documents of ``table`` removed and added (a changed one is both) by the saves after
        ``save_counter``, oldest first, and the save counter they reach; None when that is further
        back than the log reaches."""
        log = list(self._changes)  # one snapshot: a save may land meanwhile
        if not log or log[-1][0] <= save_counter:
            return save_counter, [], []
        if log[0][0] > save_counter + 1:
            return None
        removed: list[dict[str, Any]] = []
        added: list[dict[str, Any]] = []
        for counter, changes in log:
            if counter > save_counter and table in changes:
                removed.extend(changes[table][0])
                added.extend(changes[table][1])
        return log[-1][0], removed, added

    @property
    def passphrase_kdf(self) -> KdfParams:
        """The KDF parameters of the passphrase slot (a new passphrase keeps them by default)."""
        return next(s.kdf for s in self._vault.header.slots if s.is_passphrase)

    @_serialised
    def check_passphrase(self, passphrase: str) -> KdfParams:
        """Raise :class:`WrongPassphrase` unless ``passphrase`` opens this vault; return
        :attr:`passphrase_kdf`."""
        unwrap_dek(self._vault.header, passphrase=passphrase)
        return self.passphrase_kdf

    # ------------------------------------------------------------------ refused saves

    @_serialised
    def take_refused(self) -> kept.Changes:
        """The changes the disk refused since the last call (see :mod:`selfcheck.store.kept`)."""
        refused, self._storage.refused = self._storage.refused, {}
        return refused

    @_serialised
    def apply_changes(self, changes: kept.Changes) -> int:
        """Lay kept changes on the vault in one commit; returns how many records they touch."""
        self._bulk(lambda tables: kept.apply(tables, changes))
        return kept.count(changes)

    @_serialised
    def write_kept(self, changes: kept.Changes, replaces: Path | None = None) -> Path:
        """Seal kept changes into ``kept/`` (encrypted like the vault); returns the file."""
        return kept.write_kept(self._vault, changes, replaces)

    @_serialised
    def write_copy(self, changes: kept.Changes) -> Path:
        """A separate vault file: the data as last saved here with ``changes`` laid on top."""
        from .storage import dumps

        tables = self._storage.working_copy()
        kept.apply(tables, changes)
        return kept.write_copy(self._vault, dumps(tables))

    @_serialised
    def apply_kept_files(self, passphrase: str | None = None) -> tuple[int, list[Path]]:
        """Lay every kept-change file found beside the vault on it (one commit each) and remove
        it. Returns how many records landed and the files that could not be opened (left alone)."""
        landed, unopened = 0, []
        for path in kept.kept_files(self.data_dir):
            try:
                changes = kept.read_kept(path, bytes(self._vault.dek), passphrase)
            except (SelfcheckError, OSError):
                unopened.append(path)
                continue
            landed += self._land(path, changes)
        return landed, unopened

    @_serialised
    def apply_kept_file(self, path: Path, passphrase: str | None = None) -> int:
        """Lay one kept-change file on the vault (one commit) and remove it; returns how many
        records it touched. Raises :class:`WrongPassphrase` when neither this vault's key nor
        ``passphrase`` opens it."""
        return self._land(path, kept.read_kept(path, bytes(self._vault.dek), passphrase))

    def _land(self, path: Path, changes: kept.Changes) -> int:
        landed = self.apply_changes(changes)
        path.unlink(missing_ok=True)
        return landed

    @_serialised
    def reopen_from_disk(self) -> Journal:
        """The vault file as it is on disk now, opened with this journal's data key (no KDF),
        on the same process lock; this journal is dropped. Raises :class:`PayloadCorrupted` when
        the file on disk has another data key (the passphrase is needed then)."""
        path = self._vault.path
        data = path.read_bytes()
        header, ciphertext = parse_vault(data)
        plaintext = open_payload(header, data[: len(data) - len(ciphertext)], ciphertext, bytes(self._vault.dek))
        vault = Vault(
            path=path,
            header=header,
            dek=bytearray(self._vault.dek),
            fingerprint=Fingerprint.of(path, header),
            plaintext=plaintext,
            keks=dict(self._vault.keks),
        )
        reopened = Journal(self.data_dir, self.lock, vault)
        self._drop()
        return reopened

    def _raw_tables(self) -> dict[str, dict[str, dict[str, Any]]]:
        """The stored documents, for the JSON exchange and the store's own tests (read-only).
        Screens use :meth:`documents`."""
        return self._storage.tables


def _next_doc_id(table: dict[str, Any]) -> int:
    return max((int(k) for k in table), default=0) + 1


class _Existing:
    """Adapter: TinyDB wants a storage *class*; give it one that returns our instance."""

    def __init__(self, storage: VaultStorage) -> None:
        self.storage = storage

    def __call__(self) -> VaultStorage:
        return self.storage

