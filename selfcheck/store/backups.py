"""Manual backups and restoring one (the rotating per-save backups live in :mod:`.vault`)."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import VaultError, VaultExists, WriteFailed
from .journal import vault_path
from .lock import VaultLock
from .vault import (
    BACKUP_DIR,
    TMP_PREFIX,
    TMP_SUFFIX,
    backup_name,
    check_file,
    fsync_dir,
    make_private_dir,
    open_payload,
    parse_vault,
    replace_file,
    unwrap_dek,
    write_new_file,
)


def copy_vault(data_dir: Path, target: Path) -> Path:
    """Copy the (encrypted) vault file to ``target``, a new file with mode 0600.

    No passphrase is needed; the file is checked for damage first so a broken vault is never
    mistaken for a good backup. Raises :class:`VaultExists` if ``target`` exists.
    """
    data = vault_path(data_dir).read_bytes()
    parse_vault(data)
    target = Path(target)
    if target.exists():
        raise VaultExists(str(target))
    if not target.parent.exists():
        make_private_dir(target.parent)
    try:
        write_new_file(target, data)
    except FileExistsError:
        raise VaultExists(str(target)) from None
    return target


def verify_backup(source: Path, *, passphrase: str | None = None, recovery_key: str | None = None) -> bytes:
    """Read a backup and prove it opens (header, key and payload); return its bytes."""
    data = Path(source).read_bytes()
    try:
        header, ciphertext = parse_vault(data)
    except VaultError as exc:
        exc.detail = str(source)  # type: ignore[attr-defined]  # the message names the file
        raise
    dek = unwrap_dek(header, passphrase=passphrase, recovery_key=recovery_key)
    open_payload(header, data[: len(data) - len(ciphertext)], ciphertext, bytes(dek))
    return data


def restore_backup(
    data_dir: Path,
    source: Path,
    *,
    passphrase: str | None = None,
    recovery_key: str | None = None,
    lock: VaultLock | None = None,
) -> Path | None:
    """Replace the vault in ``data_dir`` with the backup ``source`` after proving it opens.

    The current vault (damaged or not) is first kept in ``backups/``; its path is returned. Takes
    the process lock unless one is given. The replace is atomic: old or new, never a mix.
    """
    data = verify_backup(source, passphrase=passphrase, recovery_key=recovery_key)
    own_lock = lock is None
    lock = lock or VaultLock(Path(data_dir)).acquire()
    try:
        target = vault_path(data_dir)
        kept = None
        if target.exists():
            try:
                counter = check_file(target).save_counter
            except VaultError:
                counter = 0
            backups = Path(data_dir) / BACKUP_DIR
            make_private_dir(backups)
            kept = backups / backup_name(counter)
            write_new_file(kept, target.read_bytes())
            fsync_dir(backups)
        tmp = Path(data_dir) / f"{TMP_PREFIX}{os.urandom(8).hex()}{TMP_SUFFIX}"
        try:
            write_new_file(tmp, data)
            replace_file(tmp, target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise WriteFailed(exc.strerror or str(exc)) from None
        fsync_dir(Path(data_dir))
        return kept
    finally:
        if own_lock:
            lock.release()
