"""The single-writer lock: an OS lock on ``vault.lock`` held for the life of the process.

The lock file is separate from the vault because ``os.replace`` swaps the vault's inode. OS locks
(``flock`` on POSIX, ``msvcrt.locking`` on Windows) are released when the process dies, so a crash
never leaves a stale lock behind. There is no soft (pid-file) fallback: it can go stale.

Written on the two system calls rather than through ``filelock``: importing ``filelock`` took
18–24 ms of every CLI run (its asyncio and logging machinery), about a tenth of a ``list``, for
a lock this module takes once, without waiting, and never shares between threads.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .errors import VaultInUse
from .vault import LOCK_NAME, make_private_dir

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class VaultLock:
    """Exclusive, non-blocking lock on a data directory (one per process and directory; a second
    one on the same directory, even in this process, is refused like another process's)."""

    def __init__(self, directory: Path) -> None:
        make_private_dir(directory)
        self.path = Path(directory) / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> VaultLock:
        """Take the lock at once or raise :class:`VaultInUse`."""
        if self._fd is not None:
            return self
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
            if not _try_lock(fd):
                os.close(fd)
                raise VaultInUse(str(self.path))
            # Someone removed the file between our open and our lock: the lock guards nothing.
            if os.name == "nt" or os.fstat(fd).st_nlink > 0:
                break
            os.close(fd)  # pragma: no cover - a race with a deleting process
        self._fd = fd
        if os.name != "nt":
            try:
                os.fchmod(fd, 0o600)
            except OSError:
                pass
        return self

    def release(self) -> None:
        """Release the lock (idempotent)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            _unlock(fd)
        except OSError:
            pass  # closing the descriptor releases it anyway
        os.close(fd)

    @property
    def held(self) -> bool:
        """Whether this process holds the lock."""
        return self._fd is not None

    def __enter__(self) -> VaultLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
