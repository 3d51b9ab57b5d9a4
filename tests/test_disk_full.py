"""A full disk (an injected ENOSPC) during a save, a backup, a restore and an export: the old
files stay intact and no partial file is left anywhere (issue 10)."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from selfcheck import export
from selfcheck.store.backups import copy_vault, restore_backup
from selfcheck.store.errors import WriteFailed
from selfcheck.store.journal import Journal
from selfcheck.store.models import StudyEntry
from selfcheck.store.vault import KdfParams

TINY = KdfParams(t=1, m_kib=64, p=1)
PASS = "磁盘满了 disk full 2026"


def listing(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    journal = Journal.create(tmp_path / "data", PASS, kdf=TINY)
    journal.add_study(StudyEntry(title="磁盘满之前写的"))
    journal.close()
    return tmp_path / "data"


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every write after the first 100 bytes of a file fails with ENOSPC."""
    real = os.write
    written: dict[int, int] = {}

    def write(fd: int, data: bytes) -> int:
        done = written.get(fd, 0)
        if done >= 100:
            raise OSError(errno.ENOSPC, "No space left on device")
        n = real(fd, bytes(data)[: 100 - done])
        written[fd] = done + n
        return n

    monkeypatch.setattr(os, "write", write)
    yield


def test_a_save_on_a_full_disk_changes_nothing(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    journal = Journal.open(data_dir, passphrase=PASS)
    before = listing(data_dir)
    try:
        monkeypatch.setattr(os, "write", lambda fd, data: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
        with pytest.raises(WriteFailed):
            journal.add_study(StudyEntry(title="写不进去的"))
        monkeypatch.undo()
        assert [e.title for e in journal.study_entries()] == ["磁盘满之前写的"]
    finally:
        journal.close()
    after = listing(data_dir)
    after.pop("vault.lock", None)
    before.pop("vault.lock", None)
    assert after == before


def test_a_backup_copy_on_a_full_disk_leaves_no_partial_file(data_dir: Path, tmp_path: Path, full_disk: None) -> None:
    target = tmp_path / "out" / "backup.scv"
    with pytest.raises(OSError):
        copy_vault(data_dir, target)
    assert not target.exists()


def test_a_restore_on_a_full_disk_keeps_the_vault_and_spends_no_backup_slot(data_dir: Path, monkeypatch) -> None:
    journal = Journal.open(data_dir, passphrase=PASS)
    journal.add_study(StudyEntry(title="第二条"))
    source = journal.backups()[0]
    journal.close()
    before = listing(data_dir)
    real = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    with pytest.raises((OSError, WriteFailed)):
        restore_backup(data_dir, source, passphrase=PASS)
    monkeypatch.setattr(os, "write", real)
    after = listing(data_dir)
    for name in ("vault.lock",):
        before.pop(name, None)
        after.pop(name, None)
    assert after == before  # no 0-byte or truncated copy among the backups, the vault as it was


def test_an_export_on_a_full_disk_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_fdopen = os.fdopen

    class Full:
        """A file that takes 100 bytes, then the disk is full."""

        def __init__(self, fd: int, mode: str) -> None:
            self.handle = real_fdopen(fd, mode)

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            self.handle.write(data[:100])
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", Full)
    document = export.build("study", export.Material(), export.Period.of_year(2026))
    data = export.render(document, "docx")
    for overwrite in (False, True):
        target = tmp_path / f"out-{overwrite}.docx"
        if overwrite:
            target.write_bytes(b"the old export")
        with pytest.raises(OSError):
            export.write_export(target, data, overwrite=overwrite)
        assert (target.read_bytes() == b"the old export") if overwrite else not target.exists()
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".selfcheck-export-")] == []


def test_a_full_disk_is_said_in_the_users_language_on_screen(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from selfcheck.i18n import Translator
    from selfcheck.screens.base import error_text

    journal = Journal.open(data_dir, passphrase=PASS)
    try:
        monkeypatch.setattr(os, "write", lambda fd, data: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device")))
        with pytest.raises(WriteFailed) as caught:
            journal.add_study(StudyEntry(title="写不进去的"))
        monkeypatch.undo()
    finally:
        journal.close()
    zh, en = error_text(caught.value, Translator("zh")), error_text(caught.value, Translator("en"))
    assert "No space" not in zh and "保存失败" in zh and "No space" not in en
