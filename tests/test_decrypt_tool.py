"""tools/decrypt-vault.py: the stand-alone reader of docs/VAULT_FORMAT.md opens what the app writes.

The script runs as a subprocess (as a user would run it), against the frozen golden vault and
against vaults made now, including after a key rotation; bad secrets and damaged files end in one
line on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from selfcheck.store import vault as app_vault
from selfcheck.store.journal import Journal, vault_path
from selfcheck.store.models import StudyEntry
from selfcheck.store.vault import KdfParams

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tools" / "decrypt-vault.py"
DATA_DIR = Path(__file__).parent / "data"
GOLDEN = DATA_DIR / "vault_v1_golden.scv"
GOLDEN_JSON = DATA_DIR / "vault_v1_golden.json"
TINY = KdfParams(t=1, m_kib=64, p=1)
OLD_PASS = "旧口令 old 🔑"
NEW_PASS = "新口令：自重自省 🐎"


def run(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    """The script in a fresh interpreter, no terminal (stdin closed), output as bytes."""
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=False,
    )


def secret_file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text + "\n", encoding="utf-8")
    return path


def decrypted(result: subprocess.CompletedProcess[bytes]) -> object:
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout.decode("utf-8"))


def assert_one_line_error(result: subprocess.CompletedProcess[bytes], code: int, *words: str) -> None:
    err = result.stderr.decode("utf-8")
    assert result.returncode == code, err
    assert result.stdout == b""
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    assert err.startswith("decrypt-vault: ")
    for word in words:
        assert word in err


@pytest.fixture(scope="module")
def golden() -> dict:
    return json.loads(GOLDEN_JSON.read_text("utf-8"))


# --------------------------------------------------------------------------- the golden vault


def test_golden_vault_with_the_passphrase(tmp_path: Path, golden: dict) -> None:
    result = run(GOLDEN, "--passphrase-file", secret_file(tmp_path, "pass.txt", golden["passphrase"]))
    assert decrypted(result) == golden["tables"]
    assert result.stderr == b""


def test_golden_vault_with_the_recovery_key(tmp_path: Path, golden: dict) -> None:
    result = run(GOLDEN, "--recovery-key-file", secret_file(tmp_path, "key.txt", golden["recovery_key"]))
    assert decrypted(result) == golden["tables"]


def test_golden_vault_to_a_file_mode_0600_never_overwritten(tmp_path: Path, golden: dict) -> None:
    passfile = secret_file(tmp_path, "pass.txt", golden["passphrase"])
    out = tmp_path / "journal.json"
    assert run(GOLDEN, "--passphrase-file", passfile, "-o", out).returncode == 0
    assert json.loads(out.read_text("utf-8")) == golden["tables"]
    if os.name != "nt":
        assert out.stat().st_mode & 0o777 == 0o600
    before = out.read_bytes()
    assert_one_line_error(run(GOLDEN, "--passphrase-file", passfile, "-o", out), 1, "not overwriting")
    assert out.read_bytes() == before


def test_golden_header_needs_no_secret(golden: dict) -> None:
    result = run(GOLDEN, "--header")
    assert result.returncode == 0
    text = result.stdout.decode()
    assert f"save_counter  {golden['save_counter']}" in text
    assert "argon2id (t, m_kib, p) (1, 64, 1)" in text and "recovery" in text


# --------------------------------------------------------------------------- a vault made now


@pytest.fixture
def rotated(tmp_path: Path) -> tuple[Path, dict]:
    """A vault with Chinese text, saved a few times, then a passphrase change (new data key)."""
    data_dir = tmp_path / "data"
    journal = Journal.create(data_dir, OLD_PASS, kdf=TINY)
    try:
        journal.add_study(StudyEntry(title="学习《准则》", notes="心得体会：自重、自省、自警、自励。\n第二行 🙂"))
        journal.add_study(StudyEntry(title="第二篇", tags=["理论学习", "自省"]))
        journal.change_passphrase(NEW_PASS, kdf=TINY)
        tables = json.loads(json.dumps(journal._raw_tables()))  # noqa: SLF001 - what the vault holds
    finally:
        journal.close()
    return data_dir, tables


def test_fresh_vault_after_a_passphrase_change(tmp_path: Path, rotated: tuple[Path, dict]) -> None:
    data_dir, tables = rotated
    new = secret_file(tmp_path, "new.txt", NEW_PASS)
    assert decrypted(run(vault_path(data_dir), "--passphrase-file", new)) == tables
    titles = {doc["title"] for doc in tables["study"].values()}
    assert titles == {"学习《准则》", "第二篇"}

    old = secret_file(tmp_path, "old.txt", OLD_PASS)
    assert_one_line_error(run(vault_path(data_dir), "--passphrase-file", old), 3, "wrong passphrase")


def test_backups_are_resealed_under_the_new_key(tmp_path: Path, rotated: tuple[Path, dict]) -> None:
    data_dir, _ = rotated
    new = secret_file(tmp_path, "new.txt", NEW_PASS)
    old = secret_file(tmp_path, "old.txt", OLD_PASS)
    backups = sorted((data_dir / "backups").glob("vault-*.scv"))
    assert backups
    for backup in backups:
        assert isinstance(decrypted(run(backup, "--passphrase-file", new)), dict)
        assert run(backup, "--passphrase-file", old).returncode == 3


def test_kept_and_copy_files(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    journal = Journal.create(data_dir, OLD_PASS, kdf=TINY)
    try:
        entry = journal.add_study(StudyEntry(title="谈心谈话"))
        changes = {"study": {entry.id: {**entry.to_doc(), "title": "谈心谈话（改）"}}}
        kept_file = journal.write_kept(changes)
        copy_file = journal.write_copy(changes)
        recovery_key = journal.set_recovery_key()
        tables = json.loads(json.dumps(journal._raw_tables()))  # noqa: SLF001
    finally:
        journal.close()
    passfile = secret_file(tmp_path, "pass.txt", OLD_PASS)

    # set_recovery_key rotated the data key and resealed kept/: both files follow the vault.
    kept_result = run(kept_file, "--passphrase-file", passfile)
    assert decrypted(kept_result) == {"format": "selfcheck-kept", "version": 1, "changes": changes}
    assert b"kept-changes file" in kept_result.stderr
    copy_tables = decrypted(run(copy_file, "--passphrase-file", passfile))
    assert [d["title"] for d in copy_tables["study"].values()] == ["谈心谈话（改）"]

    keyfile = secret_file(tmp_path, "key.txt", recovery_key.lower().replace("-", " "))
    assert decrypted(run(vault_path(data_dir), "--recovery-key-file", keyfile)) == tables


# --------------------------------------------------------------------------- refusals


def test_wrong_passphrase_one_line(tmp_path: Path) -> None:
    result = run(GOLDEN, "--passphrase-file", secret_file(tmp_path, "pass.txt", "golden-口令"))
    assert_one_line_error(result, 3, "wrong passphrase")


def test_wrong_and_mistyped_recovery_keys(tmp_path: Path, golden: dict) -> None:
    key = golden["recovery_key"]
    typo = key[:-1] + ("0" if key[-1] != "0" else "1")
    assert_one_line_error(run(GOLDEN, "--recovery-key-file", secret_file(tmp_path, "k1", typo)), 3, "typing error")
    assert_one_line_error(run(GOLDEN, "--recovery-key-file", secret_file(tmp_path, "k2", "abc")), 3, "not a recovery")


@pytest.mark.parametrize("keep", [0, 5, 40, 150, 287, 288, 1000, -1], ids=lambda n: f"keep{n}")
def test_truncated_file_one_line(tmp_path: Path, golden: dict, keep: int) -> None:
    data = GOLDEN.read_bytes()
    cut = tmp_path / "cut.scv"
    cut.write_bytes(data[:keep] if keep >= 0 else data[:-1])
    result = run(cut, "--passphrase-file", secret_file(tmp_path, "pass.txt", golden["passphrase"]))
    assert_one_line_error(result, 4)


def test_flipped_ciphertext_bit_is_damage_not_wrong_passphrase(tmp_path: Path, golden: dict) -> None:
    data = bytearray(GOLDEN.read_bytes())
    data[-20] ^= 0x01
    bad = tmp_path / "bad.scv"
    bad.write_bytes(bytes(data))
    result = run(bad, "--passphrase-file", secret_file(tmp_path, "pass.txt", golden["passphrase"]))
    assert_one_line_error(result, 4, "damaged", "authenticate")


def test_not_a_vault_and_missing_file(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("学习笔记", encoding="utf-8")
    assert_one_line_error(run(text, "--header"), 4, "not a selfcheck vault")
    assert_one_line_error(run(tmp_path / "nowhere.scv", "--header"), 1, "cannot read")


def test_no_terminal_no_passphrase_file() -> None:
    assert_one_line_error(run(GOLDEN), 2, "--passphrase-file")


# --------------------------------------------------------------------------- the script stays honest


def test_script_imports_only_the_standard_library_and_cryptography() -> None:
    tree = ast.parse(SCRIPT.read_text("utf-8"))
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    roots = {name.split(".")[0] for name in modules}
    assert roots - {"cryptography"} <= set(sys.stdlib_module_names), roots


def test_script_accepts_what_the_app_accepts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The caps and constants are copied, not imported: a change in the app must change both."""
    spec = importlib.util.spec_from_file_location("decrypt_vault", SCRIPT)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "decrypt_vault", script)  # dataclasses look the module up
    spec.loader.exec_module(script)
    for name in (
        "MAGIC", "FORMAT_MAJOR", "CIPHER_AES256GCM", "SLOT_ARGON2ID", "SLOT_SCRYPT", "SLOT_RECOVERY",
        "SALT_LEN", "NONCE_LEN", "WRAPPED_LEN", "PAYLOAD_SALT_LEN", "HASH_LEN", "MAX_SLOTS", "MAX_PAYLOAD",
        "ARGON2_MAX_T", "ARGON2_MAX_P", "ARGON2_MAX_M_KIB", "SCRYPT_MIN_LOG_N", "SCRYPT_MAX_LOG_N",
        "PAYLOAD_INFO", "RECOVERY_INFO", "PLAINTEXT_MAGIC", "PLAINTEXT_VERSION",
    ):
        assert getattr(script, name) == getattr(app_vault, name), name
