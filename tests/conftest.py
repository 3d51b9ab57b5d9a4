"""Shared fixtures for the storage tests: a tiny KDF, a private data dir, journals and child processes.

Every vault here is made with Argon2id t=1, m=64 KiB, p=1 so the KDF costs well under a
millisecond; one test in ``test_vault_keys.py`` runs the real default parameters.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The package is not installed into the venv; make ``import selfcheck`` work from any runner.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from selfcheck.store import vault  # noqa: E402
from selfcheck.store.journal import Journal  # noqa: E402
from selfcheck.store.vault import KdfParams  # noqa: E402

#: Argon2id at the smallest legal cost: fast enough to run the KDF thousands of times.
TINY_KDF = KdfParams(t=1, m_kib=64, p=1)
#: A passphrase that needs NFC normalisation to be stable: Chinese, emoji, spaces.
PASSPHRASE = "correct horse 电池 🐎"


@pytest.fixture
def tiny_kdf() -> KdfParams:
    """The tiny Argon2id parameters used by every fast test."""
    return TINY_KDF


@pytest.fixture
def passphrase() -> str:
    """The passphrase of the journals made by :func:`make_journal`."""
    return PASSPHRASE


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data directory (not yet created) inside the test's tmp dir."""
    return tmp_path / "data"


@pytest.fixture(autouse=True)
def _fault_hook_reset() -> Iterator[None]:
    """Every test starts and ends with the no-op fault hook, whatever a failing test did."""
    vault._fault = vault._no_fault
    yield
    vault._fault = vault._no_fault


@pytest.fixture
def make_journal(data_dir: Path) -> Iterator[Callable[..., Journal]]:
    """Factory: ``make_journal(path=None, passphrase=PASSPHRASE)`` creates and returns an open journal.

    Every journal it made is closed at the end of the test (closing twice is harmless).
    """
    made: list[Journal] = []

    def factory(path: Path | None = None, passphrase: str = PASSPHRASE, kdf: KdfParams = TINY_KDF) -> Journal:
        journal = Journal.create(path or data_dir, passphrase, kdf=kdf)
        made.append(journal)
        return journal

    yield factory
    for journal in made:
        journal.close()


@pytest.fixture
def reopen(data_dir: Path) -> Iterator[Callable[..., Journal]]:
    """Factory: ``reopen(path=None, passphrase=PASSPHRASE, **kw)`` opens a journal; closed at teardown."""
    opened: list[Journal] = []

    def factory(path: Path | None = None, passphrase: str | None = PASSPHRASE, **kw: object) -> Journal:
        if "recovery_key" in kw:
            passphrase = None
        journal = Journal.open(path or data_dir, passphrase=passphrase, **kw)  # type: ignore[arg-type]
        opened.append(journal)
        return journal

    yield factory
    for journal in opened:
        journal.close()


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


@pytest.fixture
def child() -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """Factory: ``child(code, *args)`` starts ``python -c code args...`` with the project importable.

    The child's stdin and stdout are text pipes. Children still running at teardown are killed.
    """
    started: list[subprocess.Popen[str]] = []

    def factory(code: str, *args: str) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-c", code, *args],
            cwd=ROOT,
            env=_child_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(proc)
        return proc

    yield factory
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=30)


def files_under(root: Path) -> list[Path]:
    """Every regular file below ``root`` (used by the plaintext and temp-file checks)."""
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


def temp_files(directory: Path) -> list[Path]:
    """Leftover ``.vault.*.tmp`` files in ``directory``."""
    return sorted(p for p in Path(directory).iterdir() if p.name.startswith(vault.TMP_PREFIX))


@pytest.fixture
def helpers() -> object:
    """Small helper functions, as attributes (tests cannot import conftest cleanly)."""

    class Helpers:
        files_under = staticmethod(files_under)
        temp_files = staticmethod(temp_files)

    return Helpers


# Every write in the tests first checks that no committed document was changed in place: the
# storage relies on it (copy on write; lock-free reads; the change log and the save's length cache).
from selfcheck.store.storage import VaultStorage  # noqa: E402

VaultStorage.check_in_place = True
