"""Keys: passphrase change (also interrupted), the recovery key, and the KDF parameter policy.

vault-research.md §8 rows 12, 13 and 18, plus the one test at the real default KDF cost.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from selfcheck.store import vault
from selfcheck.store.errors import WeakKdf, WrongPassphrase
from selfcheck.store.journal import Journal, vault_path
from selfcheck.store.models import StudyEntry
from selfcheck.store.vault import (
    SLOT_ARGON2ID,
    SLOT_RECOVERY,
    SLOT_SCRYPT,
    KdfParams,
    Vault,
    check_file,
    format_recovery_key,
    parse_recovery_key,
)

TINY = KdfParams(t=1, m_kib=64, p=1)
OLD = "correct horse 电池 🐎"
NEW = "新的口令 — a new passphrase"
STEPS = ["encrypted", "tmp_partial", "tmp_written", "tmp_synced", "verified", "backed_up", "replaced", "dir_synced"]
AFTER_REPLACE = {"replaced", "dir_synced"}


class Crash(Exception):
    """Raised by the fault hook."""


def plain(tables: dict) -> dict:
    return json.loads(json.dumps(tables))


def opens_with(data_dir: Path, passphrase: str) -> dict | None:
    """The tables if ``passphrase`` opens the vault, None on :class:`WrongPassphrase`."""
    try:
        journal = Journal.open(data_dir, passphrase=passphrase)
    except WrongPassphrase:
        return None
    try:
        return plain(journal._raw_tables())
    finally:
        journal.close()


@pytest.fixture
def filled(make_journal) -> tuple[Journal, dict]:
    journal = make_journal(passphrase=OLD)
    journal.add_study(StudyEntry(id="s1", title="学习《准则》", notes="心得"))
    journal.add_study(StudyEntry(id="s2", title="第二条 🙂"))
    return journal, plain(journal._raw_tables())


# --------------------------------------------------------------------------- 12. passphrase change


def test_passphrase_change_switches_keys(filled, data_dir: Path) -> None:
    journal, tables = filled
    journal.change_passphrase(NEW, kdf=TINY)
    journal.add_study(StudyEntry(id="s3", title="换口令之后"))  # the open journal keeps working
    expected = plain(journal._raw_tables())
    journal.close()
    assert opens_with(data_dir, OLD) is None  # the old passphrase fails on the main file
    assert opens_with(data_dir, NEW) == expected
    header = check_file(vault_path(data_dir))
    assert [s.kind for s in header.slots] == [SLOT_ARGON2ID]  # re-wrapped, not added


@pytest.mark.parametrize("step", STEPS)
def test_passphrase_change_interrupted_by_exception(filled, data_dir: Path, step: str) -> None:
    journal, tables = filled
    def crash(current: str) -> None:
        if current == step:
            raise Crash(current)

    vault._fault = crash
    with pytest.raises(Crash):
        journal.change_passphrase(NEW, kdf=TINY)
    vault._fault = vault._no_fault
    if step not in AFTER_REPLACE:
        journal.add_study(StudyEntry(id="s3", title="仍可保存"))  # header rolled back: still saves
        tables = plain(journal._raw_tables())
    journal.close()

    with_old, with_new = opens_with(data_dir, OLD), opens_with(data_dir, NEW)
    assert (with_old is None) != (with_new is None)  # exactly one of them opens
    assert (with_new if step in AFTER_REPLACE else with_old) == tables  # and the data is intact


_PASSPHRASE_CHILD = r"""
import os, sys
from pathlib import Path
from selfcheck.store import vault
from selfcheck.store.journal import Journal
from selfcheck.store.vault import KdfParams

data_dir, step, old, new = sys.argv[1:5]
journal = Journal.open(Path(data_dir), passphrase=old)
vault._fault = lambda current: os._exit(1) if current == step else None
journal.change_passphrase(new, kdf=KdfParams(t=1, m_kib=64, p=1))
os._exit(0)
"""


def test_passphrase_change_interrupted_by_process_death(tmp_path: Path, child) -> None:
    runs = {}
    for step in STEPS:
        data_dir = tmp_path / step
        journal = Journal.create(data_dir, OLD, kdf=TINY)
        journal.add_study(StudyEntry(id="s1", title="学习《准则》"))
        tables = plain(journal._raw_tables())
        journal.close()
        runs[step] = (data_dir, tables, child(_PASSPHRASE_CHILD, str(data_dir), step, OLD, NEW))
    for step, (data_dir, tables, proc) in runs.items():
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 1, f"{step}: the fault did not fire: {err}"
        with_old, with_new = opens_with(data_dir, OLD), opens_with(data_dir, NEW)
        assert (with_old is None) != (with_new is None), step
        assert (with_new if step in AFTER_REPLACE else with_old) == tables, step


def _attacker_key(copy: bytes, passphrase: str) -> bytes:
    """What someone holding an old copy of the file and the old passphrase can unwrap."""
    header, _ = vault.parse_vault(copy)
    return bytes(vault.unwrap_dek(header, passphrase=passphrase))


def _opens_with_key(data: bytes, dek: bytes) -> bool:
    header, ciphertext = vault.parse_vault(data)
    try:
        vault.open_payload(header, data[: len(data) - len(ciphertext)], ciphertext, dek)
    except vault.PayloadCorrupted:
        return False
    return True


def test_a_passphrase_change_draws_a_new_data_key(filled, data_dir: Path) -> None:
    """An old copy of the file (a sync tool's, a system backup's) plus the old passphrase opens
    nothing saved after the change: not the vault, not a later save, not a kept backup — the
    backups are sealed again under the new key and open with the new passphrase."""
    journal, _ = filled
    old_copy = vault_path(data_dir).read_bytes()
    old_key = _attacker_key(old_copy, OLD)
    recovery = journal.set_recovery_key()  # a key change too
    assert not _opens_with_key(vault_path(data_dir).read_bytes(), old_key)
    journal.close()
    journal = Journal.open(data_dir, passphrase=OLD)  # a later session: the recovery key's KEK is unknown
    old_key = _attacker_key(vault_path(data_dir).read_bytes(), OLD)
    rotation = journal.change_passphrase(NEW, kdf=TINY)
    assert rotation.resealed == len(journal.backups()) and rotation.unopened == [] and rotation.recovery_dropped
    journal.add_study(StudyEntry(title="改口令之后写的 after the change"))
    backups = journal.backups()
    journal.close()
    current = vault_path(data_dir).read_bytes()
    assert not _opens_with_key(current, old_key)
    for copy in backups:
        data = copy.read_bytes()
        assert not _opens_with_key(data, old_key), copy.name
        with pytest.raises(WrongPassphrase):
            Vault.open(copy, passphrase=OLD)
        assert Vault.open(copy, passphrase=NEW).take_plaintext()
    with pytest.raises(WrongPassphrase):  # the recovery key was dropped with the old data key
        Vault.open(vault_path(data_dir), recovery_key=recovery)
    assert opens_with(data_dir, NEW) is not None


def test_a_change_made_after_opening_with_the_recovery_key_keeps_it(filled, data_dir: Path) -> None:
    journal, _ = filled
    recovery = journal.set_recovery_key()
    journal.close()
    journal = Journal.open(data_dir, recovery_key=recovery)
    assert journal.opened_with_recovery_key
    rotation = journal.change_passphrase(NEW, kdf=TINY)
    journal.close()
    assert not rotation.recovery_dropped
    assert Vault.open(vault_path(data_dir), recovery_key=recovery).take_plaintext()
    assert opens_with(data_dir, NEW) is not None


def test_empty_new_passphrase_is_refused(filled, data_dir: Path) -> None:
    journal, tables = filled
    with pytest.raises(WeakKdf):
        journal.change_passphrase("", kdf=TINY)
    journal.close()
    assert opens_with(data_dir, OLD) == tables


# --------------------------------------------------------------------------- 13. recovery key


def test_recovery_key_opens_and_resets_passphrase(filled, data_dir: Path) -> None:
    journal, tables = filled
    key = journal.set_recovery_key()
    assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{8}-){6}[0-9A-HJKMNP-TV-Z]{8}", key)
    assert journal.has_recovery_key
    journal.close()

    typed = [key, key.lower(), key.replace("-", " "), " " + key.replace("-", "").lower() + "\n",
             key.replace("0", "O").replace("1", "l")]
    for form in typed:
        recovered = Journal.open(data_dir, recovery_key=form)
        assert plain(recovered._raw_tables()) == tables, form
        recovered.close()

    # Reset the passphrase after recovering; the recovery slot keeps working.
    recovered = Journal.open(data_dir, recovery_key=key)
    recovered.change_passphrase(NEW, kdf=TINY)
    recovered.close()
    assert opens_with(data_dir, OLD) is None
    assert opens_with(data_dir, NEW) == tables
    again = Journal.open(data_dir, recovery_key=key)
    assert plain(again._raw_tables()) == tables
    again.close()
    assert [s.kind for s in check_file(vault_path(data_dir)).slots] == [SLOT_ARGON2ID, SLOT_RECOVERY]


def test_wrong_or_mistyped_recovery_key_fails(filled, data_dir: Path) -> None:
    journal, _ = filled
    key = journal.set_recovery_key()
    journal.close()
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    position = 3
    mistyped = key[:position] + alphabet[(alphabet.index(key[position]) + 1) % 32] + key[position + 1 :]
    another = format_recovery_key(bytes(32))  # well-formed, checksum right, wrong key
    for bad in [mistyped, another, key[:-1], key + "0", "", "not a key", OLD]:
        with pytest.raises(WrongPassphrase):
            Journal.open(data_dir, recovery_key=bad)
    with pytest.raises(WrongPassphrase):  # the recovery key is not a passphrase
        Journal.open(data_dir, passphrase=key)
    with pytest.raises(WrongPassphrase):
        parse_recovery_key(mistyped)


def test_replacing_the_recovery_key_revokes_the_old_one(filled, data_dir: Path) -> None:
    journal, _ = filled
    first = journal.set_recovery_key()
    second = journal.set_recovery_key()
    journal.close()
    assert first != second
    with pytest.raises(WrongPassphrase):
        Journal.open(data_dir, recovery_key=first)
    Journal.open(data_dir, recovery_key=second).close()
    assert [s.kind for s in check_file(vault_path(data_dir)).slots].count(SLOT_RECOVERY) == 1


def test_recovery_key_format_round_trip() -> None:
    for raw in (bytes(32), bytes(range(32)), b"\xff" * 32):
        text = format_recovery_key(raw)
        assert parse_recovery_key(text) == raw
        assert parse_recovery_key(text.lower().replace("-", "  ")) == raw


# --------------------------------------------------------------------------- 17. parameter policy


def test_default_parameters_meet_the_floor() -> None:
    default = KdfParams.default()
    assert default.meets_floor()
    if vault.argon2_supported():
        assert (default.kind, default.t, default.m_kib, default.p) == ("argon2id", 3, 256 * 1024, 4)


def test_for_memory_enforces_the_floor() -> None:
    with pytest.raises(WeakKdf):
        KdfParams.for_memory(18)
    with pytest.raises(WeakKdf):
        KdfParams.for_memory(0)
    with pytest.raises(WeakKdf):
        KdfParams.for_memory(1025)  # above the reader's cap: such a vault could never be opened
    for mib in (19, 32, 64, 256, 1024):
        params = KdfParams.for_memory(mib)
        assert params.meets_floor(), mib
        vault._check_kdf_bounds(SLOT_SCRYPT if params.kind == "scrypt" else SLOT_ARGON2ID, params)  # readable
    assert not TINY.meets_floor()


def test_without_argon2_scrypt_is_used(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(vault, "argon2_supported", lambda: False)
    default = KdfParams.default()
    assert default.kind == "scrypt" and default.meets_floor()
    assert KdfParams.for_memory(64).kind == "scrypt"

    small = KdfParams(kind="scrypt", log_n=14, r=8, p=1)
    data_dir = tmp_path / "data"
    journal = Journal.create(data_dir, OLD, kdf=small)
    journal.add_study(StudyEntry(id="s1", title="scrypt 学习"))
    journal.close()
    header = check_file(vault_path(data_dir))
    assert header.slots[0].kind == SLOT_SCRYPT and header.slots[0].kdf == small
    again = Journal.open(data_dir, passphrase=OLD)
    assert [e.title for e in again.study_entries()] == ["scrypt 学习"]
    again.close()
    with pytest.raises(WrongPassphrase):
        Journal.open(data_dir, passphrase=NEW)


# --------------------------------------------------------------------------- 18. real default KDF


@pytest.mark.slow
def test_real_default_kdf_round_trip(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    journal = Journal.create(data_dir, OLD)  # KdfParams.default(): Argon2id t=3, p=4, 256 MiB
    journal.add_study(StudyEntry(id="s1", title="真实参数"))
    journal.close()
    assert check_file(vault_path(data_dir)).slots[0].kdf == KdfParams.default()
    again = Journal.open(data_dir, passphrase=OLD)
    assert [e.title for e in again.study_entries()] == ["真实参数"]
    again.close()
