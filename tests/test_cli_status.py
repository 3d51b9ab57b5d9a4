"""``selfcheck status [--json]``: the vault found and free before any passphrase, then Home's
numbers (last check per list, study this week and month, open and overdue rectification items,
the next meeting) in zh, en and JSON; never an entry's text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from selfcheck import cli
from selfcheck.store import models
from selfcheck.store.journal import Journal, vault_path
from selfcheck.store.lock import VaultLock
from selfcheck.store.models import ActionItem, Assessment, Meeting, StudyEntry
from selfcheck.store.vault import KdfParams

PASS = "状态命令 口令 pass"
#: A Friday: the week is Monday 2026-11-23 to today, the month from 2026-11-01.
TODAY = "2026-11-27"
SECRET_TITLE = "不该出现的学习标题"
SECRET_NOTES = "不该出现的心得"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A passphrase file, no vault yet, "today" fixed at TODAY and no user checklists."""
    monkeypatch.delenv("SELFCHECK_DATA_DIR", raising=False)
    monkeypatch.delenv("SELFCHECK_LANG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(models, "today_iso", lambda: TODAY)
    (tmp_path / "pw").write_text(PASS + "\n", encoding="utf-8")
    (tmp_path / "wrong").write_text("wrong passphrase\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def vault(home: Path) -> Path:
    """A vault with known study, self-checks, rectification items and meetings."""
    journal = Journal.create(home / "data", PASS, kdf=KdfParams(t=1, m_kib=64, p=1))
    try:
        for day, minutes in [("2026-11-23", 45), ("2026-11-26", 90), ("2026-11-03", 120), ("2026-10-30", 30),
                             ("2026-11-28", 600)]:  # Monday, Thursday, this month, last month, tomorrow
            journal.add_study(StudyEntry(date=day, title=SECRET_TITLE, minutes=minutes, notes=SECRET_NOTES))
        for cid, completed in [("zijing", "2026-09-01T08:30:00Z"), ("zijing", "2026-11-20T08:30:00Z"),
                               ("sanxing", "2026-11-25T21:00:00Z"), ("zizhong", None)]:  # the last a draft
            journal.save_assessment(Assessment(checklist_id=cid, started="2026-09-01T08:00:00Z", completed=completed))
        journal.add_action(ActionItem(problem=SECRET_TITLE, due="2026-11-01"))  # open, overdue
        journal.add_action(ActionItem(problem="b", due=TODAY))  # open, due today: not overdue
        journal.add_action(ActionItem(problem="c"))  # open, no due date
        journal.add_action(ActionItem(problem="d", due="2026-10-01", status="done", done_date="2026-10-02"))
        journal.save_meeting(Meeting(year=2025, date="2026-01-15"))  # held
        journal.save_meeting(Meeting(year=2027, date="2027-01-10"))
        journal.save_meeting(Meeting(year=2026, date="2026-12-20"))  # the next one
        journal.save_meeting(Meeting(year=2028))  # no date yet
    finally:
        journal.close()
    return home


def run(home: Path, *args: str, pw: str | None = "pw", capsys=None) -> tuple[int, str, str]:
    head = ["--data-dir", str(home / "data")] + (["--passphrase-file", str(home / pw)] if pw else [])
    code = cli.main([*head, *args])
    out, err = capsys.readouterr() if capsys else ("", "")
    return code, out, err


@pytest.fixture
def no_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the CLI asks for a passphrase."""

    def ask(prompt: str, tr) -> str:
        raise AssertionError(f"asked for a passphrase: {prompt}")

    monkeypatch.setattr(cli, "ask", ask)


def test_json_has_the_known_numbers(vault: Path, capsys) -> None:
    code, out, err = run(vault, "status", "--json", capsys=capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["vault"] == str(vault_path(vault / "data")) and data["found"] is True and data["in_use"] is False
    assert data["today"] == TODAY
    checks = {c["id"]: c["last"] for c in data["checks"]}
    # The four in order, then the other lists that have a check (每日三省 here).
    assert [c["id"] for c in data["checks"]] == ["zizhong", "zixing", "zijing", "zili", "sanxing"]
    assert checks == {"zizhong": None, "zixing": None, "zijing": "2026-11-20", "zili": None, "sanxing": "2026-11-25"}
    assert data["study"] == {"week": {"entries": 2, "minutes": 135}, "month": {"entries": 3, "minutes": 255}}
    assert data["rectification"] == {"open": 3, "overdue": 1}
    assert data["next_meeting"] == {"date": "2026-12-20", "year": 2026}
    assert SECRET_TITLE not in out and SECRET_NOTES not in out


def test_json_of_an_empty_vault(home: Path, capsys) -> None:
    Journal.create(home / "data", PASS, kdf=KdfParams(t=1, m_kib=64, p=1)).close()
    code, out, _ = run(home, "status", "--json", capsys=capsys)
    data = json.loads(out)
    assert code == 0 and data["next_meeting"] is None and data["rectification"] == {"open": 0, "overdue": 0}
    assert [c["last"] for c in data["checks"]] == [None] * 4


def _value_columns(out: str) -> set[int]:
    """The terminal column where each line's value starts (after the label and two spaces)."""
    from selfcheck.cli import _columns

    columns = set()
    for line in out.splitlines()[1:]:  # the vault's line is a heading
        label, _, _ = line.partition("  ")
        rest = line[len(label):]
        columns.add(_columns(label) + len(rest) - len(rest.lstrip(" ")))
    return columns


def test_human_output_in_chinese(vault: Path, capsys) -> None:
    code, out, _ = run(vault, "status", capsys=capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"数据文件：{vault_path(vault / 'data')}（未被其他窗口占用）"
    assert any(line.startswith("自警") and line.endswith("上次 2026-11-20") for line in lines)
    assert any(line.startswith("自重") and line.endswith("还没有做过") for line in lines)
    assert any(line.startswith("每日三省") and "2026-11-25" in line for line in lines)
    assert any(line.startswith("本周学习") and line.endswith("2 条，135 分钟") for line in lines)
    assert any(line.startswith("本月学习") and line.endswith("3 条，255 分钟") for line in lines)
    assert any(line.startswith("整改事项") and line.endswith("未完成 3 项，其中逾期 1 项") for line in lines)
    assert any(line.startswith("下次会议") and line.endswith("2026-12-20（2026 年度）") for line in lines)
    assert len(_value_columns(out)) == 1  # the values line up
    assert SECRET_TITLE not in out and SECRET_NOTES not in out


def test_human_output_in_english(vault: Path, capsys) -> None:
    code, out, _ = run(vault, "--lang", "en", "status", capsys=capsys)
    assert code == 0
    assert "Study this week" in out and "2 entries, 135 min" in out and "3 entries, 255 min" in out
    assert "last 2026-11-20" in out and "not done yet" in out and "3 open, 1 of them overdue" in out
    assert "2026-12-20 (year 2026)" in out
    assert len(_value_columns(out)) == 1
    # Only the lists' own names carry Chinese (e.g. "Self-respect (自重)"); no value does.
    values = [line.split("  ", 1)[1] for line in out.splitlines()[1:]]
    assert not any("\u4e00" <= ch <= "\u9fff" for value in values for ch in value)


def test_not_found_says_so_without_asking(home: Path, capsys, no_prompt: None) -> None:
    code, out, err = run(home, "status", pw=None, capsys=capsys)
    assert code == 1 and out == ""
    assert err.startswith("错误：没有找到数据文件") and str(vault_path(home / "data")) in err and "init" in err
    assert len(err.strip().splitlines()) == 1
    code, out, err = run(home, "--lang", "en", "status", "--json", pw=None, capsys=capsys)
    assert code == 1 and json.loads(out) == {"vault": str(vault_path(home / "data")), "found": False, "in_use": False}
    assert err.startswith("Error: No vault found")
    assert not (home / "data").exists()  # a look only: nothing created


def test_in_use_exit_5_without_asking(vault: Path, capsys, no_prompt: None) -> None:
    with VaultLock(vault / "data"):
        code, out, err = run(vault, "status", pw=None, capsys=capsys)
        assert code == 5 and out == "" and "另一个自省录窗口" in err and len(err.strip().splitlines()) == 1
        code, out, _ = run(vault, "status", "--json", pw=None, capsys=capsys)
        assert code == 5 and json.loads(out)["in_use"] is True


def test_in_use_from_another_process_never_prompts(vault: Path) -> None:
    """A real second process, no passphrase file, no terminal: exit 5 at once, not 2 (no tty)."""
    with VaultLock(vault / "data"):
        env = {**os.environ, "XDG_CONFIG_HOME": str(vault / "config")}
        env.pop("SELFCHECK_LANG", None)
        proc = subprocess.run(
            [sys.executable, "-m", "selfcheck", "--data-dir", str(vault / "data"), "status"],
            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL, env=env,
        )
    assert proc.returncode == 5, proc.stderr
    assert "口令" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_wrong_passphrase_exit_3(vault: Path, capsys) -> None:
    code, out, err = run(vault, "status", pw="wrong", capsys=capsys)
    assert code == 3 and "口令不正确" in err
    assert "数据文件" in out and "本周学习" not in out  # the vault line came before the passphrase
