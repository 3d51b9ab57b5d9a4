"""TinyDB storage on top of the encrypted vault.

TinyDB reads the whole database before every query and writes it after every change. So the
vault is decrypted once at unlock and ``read()`` serves the live dict from memory; ``write()``
serialises and commits through :meth:`Vault.commit`. TinyDB mutates the dict it read in place
*before* calling ``write()``: when a write fails we rebuild the dict from the last committed bytes,
so no phantom record stays visible (vault-research.md §1.4). No ``CachingMiddleware``: one call,
one commit.
"""

from __future__ import annotations

import json
from typing import Any

from tinydb.storages import Storage

from . import kept
from .errors import ChangedOnDisk, Locked, PayloadCorrupted, WriteFailed
from .vault import Vault


def dumps(data: dict[str, Any]) -> bytes:
    """Serialise the database: compact UTF-8 JSON (Chinese stays three bytes a character)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def loads(raw: bytes) -> dict[str, Any]:
    """Parse decrypted vault JSON and check its shape: ``{table: {doc_id: document}}``."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        # Never log or show the exception: JSONDecodeError carries the whole document.
        raise PayloadCorrupted("payload is not JSON") from None
    if not isinstance(data, dict) or not all(
        isinstance(t, dict) and all(isinstance(d, dict) for d in t.values()) for t in data.values()
    ):
        raise PayloadCorrupted("payload has the wrong shape")
    return data


class VaultStorage(Storage):
    """A TinyDB ``Storage`` whose file is an unlocked :class:`Vault`."""

    def __init__(self, vault: Vault) -> None:
        self.vault: Vault | None = vault
        self._committed = vault.take_plaintext()
        self._data = loads(self._committed)
        #: Changes the disk refused (changed behind our back, disk full), kept for the user.
        self.refused: kept.Changes = {}

    def read(self) -> dict[str, Any]:
        """The live database dict (no copy: TinyDB reads before every query)."""
        if self.vault is None:
            raise Locked("storage closed")
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        """Commit ``data``; on failure restore the last committed state and re-raise."""
        if self.vault is None:
            raise Locked("storage closed")
        try:
            raw = dumps(data)
        except (TypeError, ValueError, UnicodeEncodeError):
            self._data = loads(self._committed)
            raise WriteFailed("data cannot be serialised") from None
        try:
            self.vault.commit(raw)
        except (ChangedOnDisk, WriteFailed):
            self._data = loads(self._committed)
            kept.merge(self.refused, kept.diff_tables(self._data, data))
            raise
        except BaseException:
            self._data = loads(self._committed)
            raise
        self._committed = raw
        self._data = data

    def rollback(self) -> None:
        """Forget uncommitted changes made to the live dict (a change that failed halfway)."""
        if self.vault is not None:
            self._data = loads(self._committed)

    @property
    def committed_bytes(self) -> bytes:
        """The JSON last written to disk (for passphrase change and recovery-key updates)."""
        return self._committed

    def close(self) -> None:
        """Forget the key and the data (the lock is the journal's to release)."""
        if self.vault is not None:
            self.vault.forget()
        self.vault = None
        self._data = {}
        self._committed = b""
        self.refused = {}
