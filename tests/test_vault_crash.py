"""The write path under failure: crashes at every step, full disks, other processes, outsiders.

vault-research.md §8 rows 8–11, 15 and 17. The promise under test: after any failure the vault on
disk is exactly the old state or exactly the new one, memory never shows a record that is not on
disk, and nothing readable is ever written outside the encrypted file.
"""

from __future__ import annotations

import copy
import errno
import json
import logging
import os
import shutil
import signal
import stat
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from tinydb import Query

from selfcheck.store import paths, vault
from selfcheck.store.errors import ChangedOnDisk, VaultInUse, WriteFailed, WrongPassphrase
from selfcheck.store.journal import Journal, vault_path
from selfcheck.store.lock import VaultLock
from selfcheck.store.models import ActionItem, Settings, StudyEntry, TalkNote
from selfcheck.store.vault import KdfParams, Vault

TINY = KdfParams(t=1, m_kib=64, p=1)
PASS = "correct horse 电池 🐎"
#: Every step at which ``Vault.commit`` calls the fault hook, in order.
STEPS = ["encrypted", "tmp_partial", "tmp_written", "tmp_synced", "verified", "backed_up", "replaced", "dir_synced"]
#: From this step on the new file is in place.
AFTER_REPLACE = {"replaced", "dir_synced"}
CANARY = "CANARY-自省-7f3a"
#: A fixed record the crash tests add, so the expected "new" state is known to the byte.
NEW_ENTRY = StudyEntry(
    id="crash-new",
    date="2026-11-27",
    title="新的一条 " + CANARY,
    notes="崩溃测试",
    created="2026-11-27T00:00:00Z",
    updated="2026-11-27T00:00:00Z",
)


class Crash(Exception):
    """Raised by the fault hook: a crash that unwinds the stack (the in-process variant)."""


def crash_at(step: str):
    def hook(current: str) -> None:
        if current == step:
            raise Crash(step)

    return hook


def plain(tables: dict) -> dict:
    """A deep, JSON-normalised copy of raw tables (what reopening will give back)."""
    return json.loads(json.dumps(tables))


def records(tables: dict) -> dict:
    """Tables as sorted lists of documents, ignoring TinyDB's internal doc ids."""
    return {name: sorted(plain(list(docs.values())), key=json.dumps) for name, docs in tables.items()}


def with_new_entry(tables: dict) -> dict:
    """``tables`` after ``add_study(NEW_ENTRY)``."""
    expected = copy.deepcopy(tables)
    study = expected["study"]
    study[str(max((int(k) for k in study), default=0) + 1)] = NEW_ENTRY.to_doc()
    return plain(expected)


def assert_no_plaintext(directory: Path, *needles: str) -> None:
    for path in (p for p in directory.rglob("*") if p.is_file()):
        blob = path.read_bytes()
        for needle in needles:
            for form in _encodings(needle):
                assert form not in blob, f"{needle!r} ({form!r}) found in {path}"


def _encodings(text: str) -> list[bytes]:
    return [
        text.encode("utf-8"),
        text.encode("utf-16-le"),
        text.encode("utf-16-be"),
        json.dumps(text).encode("ascii").strip(b'"'),  # "CANARY-\u81ea\u7701-7f3a"
        b"CANARY",
    ]


@pytest.fixture
def seeded(make_journal, data_dir: Path) -> tuple[Journal, dict]:
    """A journal holding one committed entry (so backups exist), and its committed tables."""
    journal = make_journal()
    journal.add_study(StudyEntry(id="old-1", title="旧的一条", notes="已保存"))
    return journal, plain(journal._raw_tables())


# --------------------------------------------------------------------------- 8a. in-process crash


@pytest.mark.parametrize("step", STEPS)
def test_exception_at_each_step_leaves_old_or_new(seeded, data_dir: Path, reopen, helpers, step: str) -> None:
    journal, old = seeded
    vault._fault = crash_at(step)
    with pytest.raises(Crash):
        journal.add_study(NEW_ENTRY)
    vault._fault = vault._no_fault
    # Memory never shows the record the caller was told failed.
    assert [e.id for e in journal.study_entries()] == ["old-1"]
    assert plain(journal._raw_tables()) == old
    if step not in AFTER_REPLACE:
        assert helpers.temp_files(data_dir) == []  # the failed save cleaned up after itself
        assert Vault.open(vault_path(data_dir), passphrase=PASS).take_plaintext()  # still the good file
    journal.close()

    again = reopen()
    assert helpers.temp_files(data_dir) == []
    assert plain(again._raw_tables()) == (with_new_entry(old) if step in AFTER_REPLACE else old)
    assert_no_plaintext(data_dir, CANARY)


@pytest.mark.parametrize("step", [s for s in STEPS if s not in AFTER_REPLACE])
def test_journal_keeps_working_after_a_failed_save(seeded, reopen, step: str) -> None:
    journal, old = seeded
    vault._fault = crash_at(step)
    with pytest.raises(Crash):
        journal.add_study(NEW_ENTRY)
    vault._fault = vault._no_fault
    journal.add_study(NEW_ENTRY)  # the same save now succeeds
    # (TinyDB may skip the doc id the failed insert had taken; ids inside a table are internal.)
    assert records(journal._raw_tables()) == records(with_new_entry(old))
    journal.close()
    assert records(reopen()._raw_tables()) == records(with_new_entry(old))


# --------------------------------------------------------------------------- 8b. process killed

_CRASH_CHILD = r"""
import os, sys
from pathlib import Path
from selfcheck.store import vault
from selfcheck.store.journal import Journal
from selfcheck.store.models import StudyEntry
from selfcheck.store.vault import KdfParams

data_dir, step, action, passphrase, new_passphrase = sys.argv[1:6]

def hook(current):
    if current == step:
        os._exit(1)  # no unwinding, no finally, no atexit: as close to a power cut as Python gets

journal = Journal.open(Path(data_dir), passphrase=passphrase)
vault._fault = hook
if action == "add":
    journal.add_study(StudyEntry(id="crash-new", date="2026-11-27", title=sys.argv[6], notes="崩溃测试",
                                 created="2026-11-27T00:00:00Z", updated="2026-11-27T00:00:00Z"))
else:
    journal.change_passphrase(new_passphrase, kdf=KdfParams(t=1, m_kib=64, p=1))
os._exit(0)
"""


def test_killed_process_at_each_step_leaves_old_or_new(tmp_path: Path, child, helpers) -> None:
    """One child per step, all running at once; each is killed by ``os._exit(1)`` inside the save."""
    runs = {}
    for step in STEPS:
        data_dir = tmp_path / step
        journal = Journal.create(data_dir, PASS, kdf=TINY)
        journal.add_study(StudyEntry(id="old-1", title="旧的一条"))
        old = plain(journal._raw_tables())
        journal.close()
        proc = child(_CRASH_CHILD, str(data_dir), step, "add", PASS, "unused", NEW_ENTRY.title)
        runs[step] = (data_dir, old, proc)
    for step, (data_dir, old, proc) in runs.items():
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 1, f"{step}: the fault did not fire: {err}"
        journal = Journal.open(data_dir, passphrase=PASS)  # never an error
        try:
            state = plain(journal._raw_tables())
            assert state == (with_new_entry(old) if step in AFTER_REPLACE else old), step
            assert state in (old, with_new_entry(old))  # never a mix
        finally:
            journal.close()
        assert helpers.temp_files(data_dir) == [], step  # stale temp removed by the next open
        assert_no_plaintext(data_dir, CANARY)


# --------------------------------------------------------------------------- 9. failed write


def _enospc(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("where", ["replace", "write_new_file"])
def test_disk_full_keeps_memory_and_disk_honest(seeded, data_dir, reopen, monkeypatch, helpers, where: str) -> None:
    journal, old = seeded
    on_disk = vault_path(data_dir).read_bytes()
    if where == "replace":
        monkeypatch.setattr(os, "replace", _enospc)
    else:
        monkeypatch.setattr(vault, "write_new_file", _enospc)

    with pytest.raises(WriteFailed):
        journal.add_study(StudyEntry(id="phantom", title="不应出现"))
    assert [e.id for e in journal.study_entries()] == ["old-1"]  # no phantom record
    assert journal._tinydb.table("study").search(Query().id == "phantom") == []
    assert plain(journal._raw_tables()) == old
    assert vault_path(data_dir).read_bytes() == on_disk
    assert helpers.temp_files(data_dir) == []

    monkeypatch.undo()
    journal.add_study(StudyEntry(id="second", title="第二条"))
    assert sorted(e.id for e in journal.study_entries()) == ["old-1", "second"]
    journal.close()
    assert sorted(e.id for e in reopen().study_entries()) == ["old-1", "second"]


def test_failed_update_is_rolled_back_in_memory(seeded, reopen, monkeypatch) -> None:
    journal, old = seeded
    entry = journal.get(StudyEntry, "old-1")
    monkeypatch.setattr(os, "replace", _enospc)

    changed = StudyEntry(**{**entry.__dict__, "title": "改过的标题", "tags": ["新标签"]})
    with pytest.raises(WriteFailed):
        journal.update_study(changed)
    assert journal.get(StudyEntry, "old-1").title == "旧的一条"
    # TinyDB's own update mutates the stored document in place before writing: also rolled back.
    with pytest.raises(WriteFailed):
        journal._tinydb.table("study").update({"title": "直接改"}, Query().id == "old-1")
    assert journal.get(StudyEntry, "old-1").title == "旧的一条"
    with pytest.raises(WriteFailed):
        journal.delete(StudyEntry, "old-1")
    assert [e.id for e in journal.study_entries()] == ["old-1"] and journal.trash() == []
    with pytest.raises(WriteFailed):
        journal.save_settings(Settings(language="en"))
    assert journal.settings().language == "zh"
    assert plain(journal._raw_tables()) == old

    monkeypatch.undo()
    journal.update_study(changed)
    journal.close()
    assert reopen().get(StudyEntry, "old-1").title == "改过的标题"


# --------------------------------------------------------------------------- 10. two processes

_HOLDER_CHILD = r"""
import sys
from pathlib import Path
from selfcheck.store.journal import Journal
from selfcheck.store.models import StudyEntry

journal = Journal.open(Path(sys.argv[1]), passphrase=sys.argv[2])
journal.add_study(StudyEntry(id="from-child", title="子进程"))  # os.replace while holding the lock
print("ready", flush=True)
sys.stdin.readline()  # hold the lock until killed
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_second_process_is_refused_then_succeeds_after_kill(make_journal, data_dir: Path, child) -> None:
    make_journal().close()
    inode_before = vault_path(data_dir).stat().st_ino
    holder = child(_HOLDER_CHILD, str(data_dir), PASS)
    assert holder.stdout.readline().strip() == "ready", holder.stderr.read()
    assert vault_path(data_dir).stat().st_ino != inode_before  # the vault file was replaced...

    started = time.monotonic()
    with pytest.raises(VaultInUse):  # ...and the lock still holds
        Journal.open(data_dir, passphrase=PASS)
    assert time.monotonic() - started < 2.0  # refused at once, not after waiting
    with pytest.raises(VaultInUse):
        VaultLock(data_dir).acquire()

    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    assert holder.returncode == -signal.SIGKILL
    journal = Journal.open(data_dir, passphrase=PASS)  # the OS released the dead process's lock
    try:
        assert [e.id for e in journal.study_entries()] == ["from-child"]
    finally:
        journal.close()


def test_lock_is_held_across_commits_in_process(make_journal, data_dir: Path) -> None:
    journal = make_journal()
    for i in range(3):
        journal.add_study(StudyEntry(title=f"第{i}条"))
        with pytest.raises(VaultInUse):
            Journal.open(data_dir, passphrase=PASS)
    journal.close()
    assert not journal.lock.held
    Journal.open(data_dir, passphrase=PASS).close()


# --------------------------------------------------------------------------- 11. external modification


def _later(path: Path, journal: Journal) -> None:
    """Give an in-place rewrite an mtime one second after our last save.

    The kernel's file timestamps are coarse (a few ms); a rewrite of the same inode and size
    within the same tick as our own save is indistinguishable by ``stat``. Real outsiders (sync
    tools, a second copy of the program) write later than that; the test says so explicitly.
    """
    fp = journal._vault.fingerprint
    os.utime(path, ns=(time.time_ns(), fp.mtime_ns + 1_000_000_000))


def test_older_copy_swapped_in_is_refused_and_kept(seeded, data_dir: Path) -> None:
    journal, _ = seeded
    journal.add_study(StudyEntry(title="第二条"))
    older = journal.backups()[0]
    shutil.copyfile(older, vault_path(data_dir))  # e.g. a sync tool restoring yesterday's copy, in place
    _later(vault_path(data_dir), journal)
    outsider = vault_path(data_dir).read_bytes()

    with pytest.raises(ChangedOnDisk):
        journal.add_study(StudyEntry(title="第三条"))
    assert vault_path(data_dir).read_bytes() == outsider
    assert len(journal.study_entries()) == 2  # memory is not rolled forward either


@pytest.mark.parametrize("how", ["rewrite bytes", "delete", "replace by new file", "truncate"])
def test_external_change_is_refused(seeded, data_dir: Path, how: str) -> None:
    journal, _ = seeded
    path = vault_path(data_dir)
    data = path.read_bytes()
    if how == "rewrite bytes":
        path.write_bytes(data[:40] + bytes([data[40] ^ 0xFF]) + data[41:])  # same inode, same size
        _later(path, journal)
    elif how == "delete":
        path.unlink()
    elif how == "replace by new file":
        other = data_dir.parent / "other"
        Vault.create(other / "vault.scv", PASS, kdf=TINY, plaintext=b"{}")
        os.replace(other / "vault.scv", path)
    else:
        path.write_bytes(data[:100])
    after = path.read_bytes() if path.exists() else None

    with pytest.raises(ChangedOnDisk):
        journal.add_study(StudyEntry(title="不应写入"))
    assert (path.read_bytes() if path.exists() else None) == after
    assert [e.id for e in journal.study_entries()] == ["old-1"]


def test_touched_but_identical_file_is_not_a_change(seeded, data_dir: Path, reopen) -> None:
    journal, _ = seeded
    path = vault_path(data_dir)
    os.utime(path, ns=(time.time_ns(), path.stat().st_mtime_ns + 5_000_000_000))  # a backup tool touched it
    journal.add_study(StudyEntry(id="after-touch", title="照常保存"))
    journal.close()
    assert {e.id for e in reopen().study_entries()} == {"old-1", "after-touch"}


# --------------------------------------------------------------------------- 15. no plaintext on disk


def test_no_plaintext_anywhere(tmp_path: Path, monkeypatch, caplog) -> None:
    for name in ("HOME", "TMPDIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR"):
        target = tmp_path / name.lower()
        target.mkdir()
        monkeypatch.setenv(name, str(target))
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "xdg_data_home" / "selfcheck"))
    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    caplog.set_level(logging.DEBUG)
    data_dir = paths.data_dir()
    assert tmp_path in data_dir.parents
    errors: list[str] = []

    journal = Journal.create(data_dir, PASS, kdf=TINY)
    entry = journal.add_study(
        StudyEntry(title=f"学习 {CANARY}", notes=f"心得 {CANARY}", excerpt=CANARY, tags=[CANARY], source=CANARY)
    )
    journal.update_study(StudyEntry(**{**entry.__dict__, "notes": f"改过 {CANARY} 🙂"}))
    action = journal.add_action(ActionItem(problem=CANARY, measure=CANARY))
    journal.add_progress(action.id, f"进展 {CANARY}")
    journal.mark_done(action.id, CANARY)
    journal.add_talk(TalkNote(heard=CANARY, said=CANARY))
    journal.delete(StudyEntry, entry.id)
    journal.restore_deleted(entry.id)
    captured = tmp_path / "captured-temp-files"
    captured.mkdir()

    def capture_temp(step: str) -> None:  # keep a copy of the temp file as it is just before the replace
        if step == "backed_up":
            for tmp in data_dir.glob(vault.TMP_PREFIX + "*" + vault.TMP_SUFFIX):
                shutil.copyfile(tmp, captured / tmp.name)

    vault._fault = capture_temp
    journal.add_study(StudyEntry(title=f"临时文件 {CANARY}"))
    vault._fault = vault._no_fault
    assert len(list(captured.iterdir())) == 1
    for step in ("tmp_written", "verified", "backed_up"):  # failed saves leave nothing readable
        vault._fault = crash_at(step)
        try:
            journal.add_study(StudyEntry(title=CANARY))
        except Crash as exc:
            errors.append(str(exc))
        vault._fault = vault._no_fault
    with monkeypatch.context() as m:
        m.setattr(os, "replace", _enospc)
        try:
            journal.add_study(StudyEntry(title=CANARY))
        except WriteFailed as exc:
            errors.append(str(exc))
    journal.change_passphrase("新的口令 " + CANARY[:3], kdf=TINY)
    journal.set_recovery_key()
    journal.close()
    try:
        Journal.open(data_dir, passphrase=PASS)
    except WrongPassphrase as exc:
        errors.append(str(exc))
    journal = Journal.open(data_dir, passphrase="新的口令 " + CANARY[:3])
    assert any(CANARY in e.title for e in journal.study_entries())  # the canary really was stored
    journal.close()

    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert vault_path(data_dir) in files and (data_dir / vault.LOCK_NAME) in files
    assert any(p.parent.name == vault.BACKUP_DIR for p in files)
    assert_no_plaintext(tmp_path, CANARY, "自省", "心得")
    for text in [caplog.text, *errors]:
        for form in _encodings(CANARY):
            assert form.decode("latin-1") not in text and CANARY not in text


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_posix_modes(make_journal, data_dir: Path) -> None:
    old_umask = os.umask(0o022)  # a typical, permissive umask must not leak into our modes
    try:
        journal = make_journal()
        for i in range(3):
            journal.add_study(StudyEntry(title=f"第{i}条"))
    finally:
        os.umask(old_umask)
    mode = lambda p: stat.S_IMODE(p.stat().st_mode)  # noqa: E731
    assert mode(data_dir) == 0o700
    assert mode(vault_path(data_dir)) == 0o600
    assert mode(data_dir / vault.LOCK_NAME) == 0o600
    assert mode(data_dir / vault.BACKUP_DIR) == 0o700
    backups = journal.backups()
    assert len(backups) >= 3
    assert all(mode(b) == 0o600 for b in backups)


# --------------------------------------------------------------------------- 16. Windows replace retry


def _sharing_violation() -> PermissionError:
    exc = PermissionError(errno.EACCES, "The process cannot access the file because it is being used")
    exc.winerror = 32  # type: ignore[attr-defined]
    return exc


def test_replace_retries_windows_sharing_violation(seeded, data_dir: Path, monkeypatch, reopen) -> None:
    journal, _ = seeded
    sleeps: list[float] = []
    monkeypatch.setattr(vault, "time", SimpleNamespace(sleep=sleeps.append))
    real_replace = os.replace
    attempts = []

    def flaky_replace(src, dst):
        attempts.append(src)
        if len(attempts) <= 2:
            raise _sharing_violation()
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky_replace)
    journal.add_study(StudyEntry(id="after-retry", title="重试后成功"))
    assert len(attempts) == 3 and len(sleeps) == 2
    monkeypatch.undo()
    journal.close()
    assert {e.id for e in reopen().study_entries()} == {"old-1", "after-retry"}


def test_replace_gives_up_on_persistent_sharing_violation(seeded, data_dir: Path, monkeypatch, helpers) -> None:
    journal, old = seeded
    on_disk = vault_path(data_dir).read_bytes()
    sleeps: list[float] = []

    def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) > 50:
            raise AssertionError("replace retried without bound")

    monkeypatch.setattr(vault, "time", SimpleNamespace(sleep=fake_sleep))

    def locked_replace(src, dst):
        raise _sharing_violation()

    monkeypatch.setattr(os, "replace", locked_replace)
    with pytest.raises(WriteFailed):
        journal.add_study(StudyEntry(title="失败"))
    assert 1 < len(sleeps) < 20 and sum(sleeps) <= 5.0  # bounded, not forever
    assert vault_path(data_dir).read_bytes() == on_disk
    assert helpers.temp_files(data_dir) == []
    assert plain(journal._raw_tables()) == old


def test_other_permission_errors_are_not_retried(seeded, monkeypatch) -> None:
    journal, _ = seeded
    sleeps: list[float] = []
    monkeypatch.setattr(vault, "time", SimpleNamespace(sleep=sleeps.append))

    def denied(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", denied)
    with pytest.raises(WriteFailed):
        journal.add_study(StudyEntry(title="失败"))
    assert sleeps == []


def test_a_replace_that_keeps_failing_does_not_push_out_backups(make_journal, monkeypatch) -> None:
    journal = make_journal()
    journal._vault.backups_kept = 3
    for n in range(5):
        journal.add_study(StudyEntry(title=f"第 {n} 条"))
    before = sorted(p.name for p in journal.backups())
    assert len(before) == 3

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(vault.os, "replace", refuse)
    for _ in range(5):
        with pytest.raises(WriteFailed):
            journal.add_study(StudyEntry(title="写不进去"))
    assert sorted(p.name for p in journal.backups()) == before
    monkeypatch.undo()
    journal.add_study(StudyEntry(title="又能写了"))
    assert len(journal.backups()) == 3
    journal.close()


def test_repeated_crashes_between_backup_and_replace_spend_one_backup_slot(tmp_path: Path, monkeypatch) -> None:
    """A save killed after its backup link and before the replace, retried again and again, keeps
    one copy of that generation in backups/, not one per attempt."""
    journal = Journal.create(tmp_path / "d", PASS, kdf=TINY)
    journal.add_study(StudyEntry(title="第一条"))
    before = len(journal.backups())

    def boom(step: str) -> None:
        if step == "backed_up":
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(vault, "_fault", boom)
    monkeypatch.setattr(vault, "_unlink_quietly", lambda path: None)  # as a kill would: no clean-up
    for _ in range(5):
        with pytest.raises(WriteFailed):
            journal.add_study(StudyEntry(title="写不进去"))
    monkeypatch.setattr(vault, "_fault", lambda step: None)
    journal.add_study(StudyEntry(title="终于写进去"))
    after = journal.backups()
    journal.close()
    assert len(after) == before + 1
