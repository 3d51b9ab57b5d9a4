"""The session: the vault's whole life in one owner, with no UI.

Create, unlock, lock, restore a backup, change the passphrase, the ordered save queue, the changes
the disk refused and the caches built from the data all live here. The TUI calls the blocking
methods from thread workers and learns what happened from the *events* the session reports
(``Unlocked``, ``Saved``, ``SaveFailed`` …, named in the past tense) through one ``report``
callable, which the app turns into a Textual message.

The rule that keeps the app from freezing: **no thread here ever waits on the event loop.** The save
thread reports and moves on (``report`` must not block: the app posts a message); the event loop
never waits on the save thread — lock and quit flush from a worker, with a bounded wait.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .store.errors import Locked, PayloadCorrupted, SelfcheckError, WrongPassphrase

if TYPE_CHECKING:
    from .analysis.study import StudyIndex
    from .store import kept as kept_changes
    from .store.journal import Journal
    from .store.lock import VaultLock
    from .store.vault import KdfParams, Rotation


# ---------------------------------------------------------------------------------------- events


class Event:
    """Something the session did, reported to whoever runs it (the app posts it as a message)."""


@dataclass
class Created(Event):
    """A new vault was created and is open."""


@dataclass
class CreateFailed(Event):
    """Creating the vault failed; nothing is open."""

    error: BaseException


@dataclass
class Unlocked(Event):
    """The vault is open. ``landed``: records of kept changes laid on it at unlock;
    ``unopened``: kept-change files that would not open (left where they are)."""

    landed: int = 0
    unopened: list[Path] = field(default_factory=list)


@dataclass
class UnlockFailed(Event):
    """The vault did not open (wrong passphrase, damaged file …)."""

    error: BaseException


@dataclass
class LockDone(Event):
    """The key and the data were dropped. ``kept``: where refused changes wait for the next unlock."""

    kept: Path | None = None


@dataclass
class Saved(Event):
    """Save number ``ticket`` landed; ``result`` is what the save action returned."""

    ticket: int
    result: Any = None


@dataclass
class SaveFailed(Event):
    """Save number ``ticket`` did not land. ``kept`` is True when the change was kept (the disk
    refused it); memory and disk are as they were before the save."""

    ticket: int
    error: BaseException
    kept: bool = False


@dataclass
class KeptResolved(Event):
    """Kept changes were dealt with: laid on the file now on disk (``landed`` records) or written
    as a separate copy (``copy``)."""

    landed: int = 0
    copy: Path | None = None


@dataclass
class KeptNeedsUnlock(Event):
    """The file now on disk has another key: the kept changes wait in ``path`` until the user
    unlocks it with its passphrase (the app locks)."""

    path: Path | None


@dataclass
class KeptFailed(Event):
    """Dealing with kept changes failed; they are still kept (in ``path``, when it was a file)."""

    error: BaseException
    path: Path | None = None


@dataclass
class Restored(Event):
    """A backup is in place and open; ``previous``: where the replaced vault was kept."""

    previous: Path | None


@dataclass
class RestoreFailed(Event):
    """Restoring failed. ``dropped``: the data was already dropped (the app shows unlock)."""

    error: BaseException
    dropped: bool = False


@dataclass
class BackupFound(Event):
    """The newest backup that opens with ``passphrase`` (None: none does)."""

    path: Path | None
    passphrase: str = field(repr=False, default="")


def rotation_lines(rotation: Rotation | None, tr: Any, *, new_recovery_key: bool = False) -> list[str]:
    """What a change of data key did, in the user's language: one line each, all true."""
    lines = [tr("rotation.done")]
    if rotation is None:
        return lines
    if rotation.resealed:
        lines.append(tr("rotation.resealed", n=rotation.resealed))
    if rotation.unopened:
        lines.append(tr("rotation.unopened", n=len(rotation.unopened), paths="、".join(str(p) for p in rotation.unopened)))
    if rotation.recovery_dropped and not new_recovery_key:
        lines.append(tr("rotation.recovery_dropped"))
    return lines


@dataclass
class PassphraseChanged(Event):
    """The passphrase was changed, with a new data key (``rotation`` says what happened to the
    kept copies and the recovery key)."""

    rotation: Rotation | None = None


@dataclass
class PassphraseChangeFailed(Event):
    """The passphrase was not changed (wrong current passphrase, write failed)."""

    error: BaseException


# ---------------------------------------------------------------------------------------- session

#: How long quit waits for queued saves before it gives up on them (seconds).
QUIT_FLUSH_SECONDS = 10.0


@dataclass
class _Job:
    ticket: int
    action: Callable[[Journal], Any] | None  # None: a flush marker
    done: threading.Event = field(default_factory=threading.Event)
    stop: bool = False  # the session closed: the save thread ends


class Session:
    """The vault's life, UI-free. Blocking methods are for worker threads; saves are queued."""

    def __init__(
        self,
        data_dir: Path,
        *,
        kdf: KdfParams | None = None,
        journal: Journal | None = None,
        report: Callable[[Event], None] | None = None,
    ) -> None:
        """``journal`` already open (the demo); ``report`` receives every event and must not block."""
        self.data_dir = Path(data_dir)
        self.kdf = kdf
        self.report: Callable[[Event], None] = report or (lambda event: None)
        self._journal = journal
        self._process_lock: VaultLock | None = journal.lock if journal else None
        #: Serialises the life operations (unlock, lock, restore, passphrase) with each other.
        self._life = threading.RLock()
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._tickets = 0
        self._tickets_lock = threading.Lock()
        self._saver: threading.Thread | None = None
        self._closed = False
        #: Changes the disk refused, not yet on disk in the vault.
        self.kept: kept_changes.Changes = {}
        #: Where ``kept`` is sealed on disk meanwhile (replaced as it grows).
        self.kept_file: Path | None = None
        self._index: tuple[int, Journal, StudyIndex] | None = None
        self._index_lock = threading.Lock()
        self.autolock_minutes = journal.settings().autolock_minutes if journal else 5

    # ------------------------------------------------------------------ state

    @property
    def journal(self) -> Journal | None:
        """The open journal, or None while locked."""
        return self._journal

    @property
    def is_open(self) -> bool:
        """Whether the vault is unlocked."""
        return self._journal is not None

    @property
    def holds_vault(self) -> bool:
        """Whether this process holds the vault's single-writer lock (it does while locked too)."""
        return self._process_lock is not None and self._process_lock.held

    def vault_exists(self) -> bool:
        """Whether the data dir holds a vault yet (first run otherwise)."""
        from .store.paths import vault_file

        return vault_file(self.data_dir).exists()

    def _opened(self, journal: Journal) -> None:
        self._journal = journal
        self._process_lock = journal.lock
        self.autolock_minutes = journal.settings().autolock_minutes

    # ------------------------------------------------------------------ life

    def create(self, passphrase: str) -> None:
        """Create a new vault and open it; reports :class:`Created` or :class:`CreateFailed`."""
        from .store.journal import Journal

        with self._life:
            try:
                self._opened(Journal.create(self.data_dir, passphrase, kdf=self.kdf))
            except Exception as exc:  # noqa: BLE001 - reported, shown as one line
                self.report(CreateFailed(exc))
                return
        self.report(Created())

    def unlock(
        self,
        passphrase: str | None = None,
        *,
        recovery_key: str | None = None,
        prepare: Callable[[], None] | None = None,
    ) -> None:
        """Open the vault, then lay on it any changes kept from a refused save. ``prepare`` runs
        after the key derivation, before :class:`Unlocked` is reported (imports for Home)."""
        from .store.journal import Journal

        with self._life:
            try:
                journal = Journal.open(
                    self.data_dir, passphrase=passphrase, recovery_key=recovery_key, lock=self._process_lock
                )
            except Exception as exc:  # noqa: BLE001
                self.report(UnlockFailed(exc))
                return
            self._opened(journal)
            landed, unopened = self._land_kept(journal, passphrase)
            if prepare is not None:
                prepare()
        self.report(Unlocked(landed, unopened))

    def _land_kept(self, journal: Journal, passphrase: str | None) -> tuple[int, list[Path]]:
        """Lay kept changes (in memory from before the lock, and on disk) on the vault just opened."""
        landed = 0
        try:
            landed = self._land_in_memory(journal)
            more, unopened = journal.apply_kept_files(passphrase)
        except (SelfcheckError, OSError):
            # Still refused (the file changed again, the disk is full): they stay kept.
            return landed, []
        if self.kept_file is not None and not self.kept_file.exists():
            self.kept_file = None  # landed
        return landed + more, unopened

    def land_kept_file(self, path: Path, passphrase: str) -> None:
        """Lay the kept-change file ``path`` on the open vault, opening it with ``passphrase``
        (the one it was sealed under, when the vault's key changed since). Reports
        :class:`KeptResolved` or :class:`KeptFailed`."""
        with self._life:
            journal = self._journal
            try:
                if journal is None:
                    raise Locked("locked")
                landed = journal.apply_kept_file(path, passphrase)
            except Exception as exc:  # noqa: BLE001
                self.report(KeptFailed(exc, path))
                return
        self.report(KeptResolved(landed))

    def lock(self) -> None:
        """Finish every queued save, keep refused changes sealed on disk, drop the key and the
        data (the process lock stays held for unlock). Always reports :class:`LockDone`."""
        kept_path = None
        try:
            with self._life:
                self.flush()
                kept_path = self._drop()
        finally:
            self.report(LockDone(kept_path))

    def _drop(self) -> Path | None:
        """Seal kept changes, then forget the key, the data and what was built from them (the
        process lock stays). Returns where kept changes wait, if any. Call under ``_life``."""
        journal, self._journal = self._journal, None
        with self._index_lock:
            self._index = None  # it holds the user's text
        if journal is None:
            return self.kept_file
        kept_path = self._seal_kept(journal)
        self._process_lock = journal.lock_keep_process_lock()
        return kept_path

    def close(self, timeout: float | None = QUIT_FLUSH_SECONDS) -> bool:
        """Quit: finish queued saves (waiting at most ``timeout``), keep refused changes sealed,
        drop everything and release the process lock. Returns False if saves were still pending."""
        flushed = self.flush(timeout)
        if not self._life.acquire(timeout=timeout if timeout is not None else -1):
            return False
        try:
            self._drop()
            if self._process_lock is not None:
                self._process_lock.release()
            self._process_lock = None
        finally:
            self._life.release()
        with self._tickets_lock:
            self._closed = True  # a save asked for from now on fails at once (nothing is open)
            if self._saver is not None and self._saver.is_alive():
                self._jobs.put(_Job(0, None, stop=True))
        return flushed

    def _seal_kept(self, journal: Journal, *, forget: bool = True) -> Path | None:
        """Write the kept changes beside the vault, sealed with its key; with ``forget`` (the
        data is being dropped) the plaintext copy in memory goes — the next unlock reads the
        file. When the disk refuses even that, they stay in memory for the next unlock."""
        if not self.kept:
            return self.kept_file
        try:
            self.kept_file = journal.write_kept(self.kept, self.kept_file)
        except (SelfcheckError, OSError):
            return self.kept_file
        if forget:
            self.kept = {}
        return self.kept_file

    def _land_in_memory(self, journal: Journal) -> int:
        """Lay the kept changes held in memory on ``journal`` (one commit); returns how many
        records landed. Raises as the commit does, leaving them kept."""
        if not self.kept:
            return 0
        landed = journal.apply_changes(self.kept)
        self._forget_kept()
        return landed

    def _forget_kept(self) -> None:
        """The kept changes landed or went into a copy: drop them and their sealed file."""
        self.kept = {}
        if self.kept_file is not None:
            self.kept_file.unlink(missing_ok=True)
            self.kept_file = None

    def restore_backup(self, source: Path, passphrase: str | None = None) -> None:
        """Put the records of the copy ``source`` in place of the current ones, under today's
        keys: the passphrase in use today still opens the result. The copy is read with today's
        data key (every copy kept since the last key change), else with ``passphrase`` (a copy
        from before it; :class:`RestoreFailed` with :class:`WrongPassphrase` when it is needed).
        The current records go to ``backups/`` as with any save. Reports :class:`Restored` or
        :class:`RestoreFailed`; nothing changes on failure."""
        with self._life:
            self.flush()
            journal = self._journal
            if journal is None:  # the vault would not open (damaged): put the copy in its place
                self._restore_file(source, passphrase or "")
                return
            try:
                with self._index_lock:
                    self._index = None
                self._opened(journal.restore_records(source, passphrase))
            except Exception as exc:  # noqa: BLE001
                self.report(RestoreFailed(exc))
                return
        self.report(Restored(None))

    def _restore_file(self, source: Path, passphrase: str) -> None:
        """No vault open (it is damaged): keep the damaged file among the backups, put the copy
        ``source`` in its place and open it with ``passphrase``. Call under ``_life``."""
        from .store.backups import restore_backup, verify_backup
        from .store.journal import Journal

        try:
            verify_backup(source, passphrase=passphrase)
        except Exception as exc:  # noqa: BLE001
            self.report(RestoreFailed(exc))
            return
        try:
            previous = restore_backup(self.data_dir, source, passphrase=passphrase, lock=self._process_lock)
            self._opened(Journal.open(self.data_dir, passphrase=passphrase, lock=self._process_lock))
        except Exception as exc:  # noqa: BLE001
            self.report(RestoreFailed(exc, dropped=True))
            return
        self.report(Restored(previous))

    def backups(self) -> list[Path]:
        """The vault's backup files, newest first (no key needed)."""
        from .store.vault import BACKUP_DIR, list_backups

        return list_backups(self.data_dir / BACKUP_DIR)

    def restorable(self) -> list[Path]:
        """What Settings offers to restore: the backups and the separate copies written after a
        refused save, newest first (both names carry a UTC time stamp after the first dash)."""
        from .store.kept import KEPT_DIR

        copies = sorted((self.data_dir / KEPT_DIR).glob("copy-*.scv"))
        return sorted([*self.backups(), *copies], key=lambda p: p.name.split("-")[1], reverse=True)

    def find_backup(self, passphrase: str) -> None:
        """Look for the newest backup that opens with ``passphrase``; reports :class:`BackupFound`."""
        from .store.backups import verify_backup

        for candidate in self.backups():
            try:
                verify_backup(candidate, passphrase=passphrase)
            except (SelfcheckError, OSError):
                continue
            self.report(BackupFound(candidate, passphrase))
            return
        self.report(BackupFound(None))

    def change_passphrase(self, current: str | None, new: str) -> None:
        """Check ``current``, then put the data under a new data key and ``new`` (queued saves
        land first). ``current`` may be None only when the vault was opened with the recovery
        key (the way back from a forgotten passphrase)."""
        with self._life:
            self.flush()
            journal = self._journal
            try:
                if journal is None:
                    raise Locked("locked")
                if current is None:
                    if not journal.opened_with_recovery_key:
                        raise WrongPassphrase("the current passphrase is needed")
                    kdf = journal.passphrase_kdf
                else:
                    kdf = journal.check_passphrase(current)
                rotation = journal.change_passphrase(new, kdf=kdf)
            except Exception as exc:  # noqa: BLE001
                self.report(PassphraseChangeFailed(exc))
                return
        self.report(PassphraseChanged(rotation))

    # ------------------------------------------------------------------ refused saves

    def resolve_kept(self, *, copy: bool) -> None:
        """Deal with the kept changes: write them as a separate copy (``copy``), or lay them on
        the file now on disk. Either way the session then follows the file on disk. When that
        file has another key, the changes wait sealed for the unlock: :class:`KeptNeedsUnlock`."""
        with self._life:
            self.flush()
            journal = self._journal
            if journal is None:
                return
            try:
                copy_path = journal.write_copy(self.kept) if copy else None
                if copy:
                    self._forget_kept()
                try:
                    reopened = journal.reopen_from_disk()
                except (PayloadCorrupted, SelfcheckError, OSError):
                    self.report(KeptNeedsUnlock(self._drop()))
                    return
                self._opened(reopened)
                landed = self._land_in_memory(reopened)
            except Exception as exc:  # noqa: BLE001
                self.report(KeptFailed(exc))
                return
        self.report(KeptResolved(landed, copy_path))

    # ------------------------------------------------------------------ saves

    def save(self, action: Callable[[Journal], Any]) -> int:
        """Queue ``action(journal)``; saves run one at a time in the order asked. Returns the
        ticket that :class:`Saved` or :class:`SaveFailed` will carry."""
        with self._tickets_lock:
            self._tickets += 1
            ticket = self._tickets
            if self._closed:
                self.report(SaveFailed(ticket, Locked("the session is closed")))
                return ticket
            if self._saver is None or not self._saver.is_alive():
                self._saver = threading.Thread(target=self._run_saves, name="selfcheck-save", daemon=True)
                self._saver.start()
        self._jobs.put(_Job(ticket, action))
        return ticket

    def flush(self, timeout: float | None = None) -> bool:
        """Wait (at most ``timeout``) until every save queued so far has run. Never call this on
        the event loop: it is for workers, lock and quit."""
        if threading.current_thread() is self._saver:
            return True
        with self._tickets_lock:
            saver = self._saver
            if saver is None or not saver.is_alive():
                return True
            stopping = self._closed  # the thread ends at the stop marker, after the saves before it
        if stopping:
            saver.join(timeout)
            return not saver.is_alive()
        marker = _Job(0, None)
        self._jobs.put(marker)
        return marker.done.wait(timeout)

    def _run_saves(self) -> None:
        while True:
            job = self._jobs.get()
            if job.action is None:
                job.done.set()
                if job.stop:
                    return
                continue
            self._run(job)

    def _run(self, job: _Job) -> None:
        journal = self._journal
        try:
            if journal is None:
                raise Locked("locked")
            assert job.action is not None
            result = job.action(journal)
        except Exception as exc:  # noqa: BLE001 - reported, shown as one line
            refused = journal.take_refused() if journal is not None else {}
            if refused and journal is not None:
                from .store.kept import merge

                merge(self.kept, refused)
                self._seal_kept(journal, forget=False)  # sealed at once: a crash loses nothing
            self.report(SaveFailed(job.ticket, exc, kept=bool(refused)))
            return
        from .store.models import Settings  # after the first save: not on the way to first paint

        if isinstance(result, Settings):
            self.autolock_minutes = result.autolock_minutes
        self.report(Saved(job.ticket, result))

    # ------------------------------------------------------------------ caches

    def study_index(self) -> StudyIndex:
        """The diary's search index, rebuilt only when the vault was saved since it was built."""
        from .analysis.study import StudyIndex
        from .store.models import StudyEntry

        journal = self._journal
        if journal is None:
            raise Locked("locked")
        with self._index_lock:
            version = journal.save_counter
            cached = self._index
            if cached is not None and cached[1] is journal and cached[0] != version:
                # Saved since: fold in what the saves changed rather than read 15,000 entries again.
                delta = journal.changes_since(cached[0], StudyEntry.TABLE)
                if delta is not None:
                    upto, removed, added = delta
                    cached = self._index = (upto, journal, cached[2].updated(removed, added))
                    version = max(version, upto)
            if cached is None or cached[0] < version or cached[1] is not journal:
                cached = (version, journal, StudyIndex(journal.documents(StudyEntry.TABLE)))
                self._index = cached
            return cached[2]

