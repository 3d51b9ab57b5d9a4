"""The single-writer lock: an OS lock on ``vault.lock`` held for the life of the process.

The lock file is separate from the vault because ``os.replace`` swaps the vault's inode. OS locks
(``flock`` / ``msvcrt.locking`` through ``filelock``) are released when the process dies, so a
crash never leaves a stale lock behind.
"""

from __future__ import annotations

import os
from pathlib import Path

from filelock import FileLock, Timeout

from .errors import VaultInUse
from .vault import LOCK_NAME, make_private_dir


class VaultLock:
    """Exclusive, non-blocking lock on a data directory."""

    def __init__(self, directory: Path) -> None:
        make_private_dir(directory)
        self.path = Path(directory) / LOCK_NAME
        # No soft (pid-file) fallback: it can go stale after a crash. Not thread-local: TUI workers
        # run in threads, and the lock belongs to the process.
        self._lock = FileLock(str(self.path), timeout=0, mode=0o600, thread_local=False, fallback_to_soft=False)

    def acquire(self) -> VaultLock:
        """Take the lock at once or raise :class:`VaultInUse`."""
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise VaultInUse(str(self.path)) from None
        if os.name != "nt":
            try:
                os.chmod(self.path, 0o600)
            except OSError:
                pass
        return self

    def release(self) -> None:
        """Release the lock (idempotent)."""
        if self._lock.is_locked:
            self._lock.release(force=True)

    @property
    def held(self) -> bool:
        """Whether this process holds the lock."""
        return self._lock.is_locked

    def __enter__(self) -> VaultLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
