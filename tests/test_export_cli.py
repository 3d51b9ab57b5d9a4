"""``selfcheck export --template … --format md|txt|docx``: files, modes, refusals and exit codes."""

from __future__ import annotations

import io
import json
import os
import stat
from pathlib import Path

import docx
import pytest

from selfcheck import cli, export
from selfcheck.store.journal import Journal
from selfcheck.store.models import ActionItem, StudyEntry
from selfcheck.store.vault import KdfParams

PASS = "导出命令 口令 pass"
NOTES = "心得 [bold]原样[/] *x* <tag>&amp; # 井号"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A vault (tiny KDF) with a study entry and a rectification item dated today, and a passphrase file."""
    monkeypatch.delenv("SELFCHECK_DATA_DIR", raising=False)
    monkeypatch.delenv("SELFCHECK_LANG", raising=False)
    (tmp_path / "pw").write_text(PASS + "\n", encoding="utf-8")
    (tmp_path / "wrong").write_text("wrong passphrase\n", encoding="utf-8")
    journal = Journal.create(tmp_path / "data", PASS, kdf=KdfParams(t=1, m_kib=64, p=1))
    try:
        journal.add_study(StudyEntry(title="学习党章", form="个人自学", minutes=40, notes=NOTES, excerpt="原文摘抄"))
        journal.add_action(ActionItem(problem="问题：联系群众不够", cause="原因", measure="措施"))
    finally:
        journal.close()
    return tmp_path


def run(home: Path, *args: str, pw: str = "pw", capsys=None) -> tuple[int, str, str]:
    code = cli.main(["--data-dir", str(home / "data"), "--passphrase-file", str(home / pw), *args])
    out, err = capsys.readouterr() if capsys else ("", "")
    return code, out, err


def private(path: Path) -> bool:
    return os.name == "nt" or stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("template", export.TEMPLATES)
@pytest.mark.parametrize("fmt", ["md", "txt", "docx"])
def test_each_template_in_each_format(home: Path, capsys, template: str, fmt: str) -> None:
    target = home / f"out.{fmt}"
    extra = ["--grade", "合格"] if template == "appraisal" else []
    code, out, err = run(home, "export", "--template", template, "--format", fmt, "-o", str(target), *extra,
                         capsys=capsys)
    assert code == 0, err
    assert str(target) in out and "没有加密" in err
    assert private(target)
    if fmt == "docx":
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(target.read_bytes())).paragraphs)
    else:
        text = target.read_text(encoding="utf-8")
    if fmt != "md" and template in ("meeting", "talk", "study"):
        assert NOTES in text  # (Markdown escapes the special characters; rendering shows them as typed)
    if template in ("meeting", "talk", "appraisal"):
        assert "问题：联系群众不够" in text
    if template == "appraisal":
        assert "本人自评等次：合格（本人自评，供组织评定参考）" in text


def test_format_follows_the_file_name(home: Path, capsys) -> None:
    assert run(home, "export", "--template", "meeting", "-o", str(home / "a.docx"), capsys=capsys)[0] == 0
    assert (home / "a.docx").read_bytes()[:2] == b"PK"
    assert run(home, "export", "--template", "study", "-o", str(home / "b.txt"), capsys=capsys)[0] == 0
    assert (home / "b.txt").read_text(encoding="utf-8").startswith("个人学习情况汇总\n")
    assert run(home, "export", "--template", "talk", "-o", str(home / "c.out"), capsys=capsys)[0] == 0
    assert (home / "c.out").read_text(encoding="utf-8").startswith("# 谈心谈话准备提纲")  # Markdown by default
    # Without a template it is still the full, lossless JSON export.
    assert run(home, "export", "-o", str(home / "all.json"), capsys=capsys)[0] == 0
    assert json.loads((home / "all.json").read_text(encoding="utf-8"))["format"] == "selfcheck"


def test_never_overwrites_without_force(home: Path, capsys) -> None:
    target = home / "out.md"
    target.write_text("我的旧文件", encoding="utf-8")
    code, _, err = run(home, "export", "--template", "meeting", "-o", str(target), capsys=capsys)
    assert code == 1 and "不会覆盖" in err and "--force" in err and len(err.strip().splitlines()) == 1
    assert target.read_text(encoding="utf-8") == "我的旧文件"
    target.chmod(0o644)
    assert run(home, "export", "--template", "meeting", "-o", str(target), "--force", capsys=capsys)[0] == 0
    assert target.read_text(encoding="utf-8").startswith("# 关于")
    assert private(target)


def test_appraisal_needs_the_users_grade(home: Path, capsys) -> None:
    code, _, err = run(home, "export", "--template", "appraisal", "-o", str(home / "a.md"), capsys=capsys)
    assert code == 2 and "--grade" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(home, "export", "--template", "appraisal", "--grade", "很好", "-o", str(home / "a.md"),
                       capsys=capsys)
    assert code == 2 and "很好" in err
    assert not (home / "a.md").exists()
    code, _, _ = run(home, "export", "--template", "appraisal", "--grade", "basically_qualified", "-o",
                     str(home / "a.md"), capsys=capsys)
    assert code == 0 and "本人自评等次：基本合格" in (home / "a.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--format", "md"], "--template"),
        (["--template", "meeting", "--format", "json"], "JSON"),
        (["--template", "meeting", "--from", "2026-13-01"], "YYYY-MM-DD"),
        (["--template", "meeting", "--from", "2026-05-01", "--to", "2026-01-01"], "晚于"),
        (["--template", "meeting", "--font-preset", "华文"], "华文"),
        (["--template", "nope"], "用法有误"),
        (["--template", "meeting", "--leave-out", "everything"], "用法有误"),
    ],
)
def test_usage_errors_are_one_translated_line(home: Path, capsys, args: list[str], needle: str) -> None:
    code, _, err = run(home, "export", *args, "-o", str(home / "x.md"), capsys=capsys)
    assert code == 2, err
    assert needle in err and err.startswith("错误：") and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and not (home / "x.md").exists()


def test_errors_in_english_and_wrong_passphrase(home: Path, capsys) -> None:
    code, _, err = cli.main(["--lang", "en", "--data-dir", str(home / "data"), "--passphrase-file", str(home / "pw"),
                             "export", "--template", "appraisal", "-o", str(home / "a.md")]), *capsys.readouterr()
    assert code == 2 and err.startswith("Error: ") and "grade" in err
    code, _, err = run(home, "export", "--template", "meeting", "-o", str(home / "a.md"), pw="wrong", capsys=capsys)
    assert code == 3 and not (home / "a.md").exists()


def test_period_leave_out_aspects_and_name(home: Path, capsys) -> None:
    target = home / "m.txt"
    code, out, _ = run(home, "export", "--template", "meeting", "-o", str(target), "--leave-out", "notes",
                       "--aspect", "我自己的方面", "--name", "张三", capsys=capsys)
    assert code == 0
    text = target.read_text(encoding="utf-8")
    assert NOTES not in text and "学习党章" in text
    assert "（一）我自己的方面" in text and "（二）其他方面" in text
    assert "张三同志在" in text.splitlines()[0]
    assert "请填写" in out  # says how many placeholders are left to fill in
    # A period with nothing in it: every section is a placeholder.
    target = home / "old.txt"
    assert run(home, "export", "--template", "study", "--from", "2001-01-01", "--to", "2001-12-31", "-o",
               str(target), capsys=capsys)[0] == 0
    old = target.read_text(encoding="utf-8")
    assert "（2001年1月1日至2001年12月31日）" in old and "学习党章" not in old and old.count("【请填写：") == 4


def test_cli_constants_match_the_export_package() -> None:
    assert cli.EXPORT_TEMPLATES == export.TEMPLATES
    assert set(cli.EXPORT_FORMATS) == set(export.FORMATS) | {"json"}
    assert set(cli.EXPORT_ASPECT_PRESETS) == set(export.aspect_presets())
    material = export.Material(
        study=[StudyEntry(date="2026-01-02", title="t", notes="n", excerpt="e")],
    )
    period = export.Period("2026-01-01", "2026-12-31")
    sections = {c.section for t in export.TEMPLATES for c in export.choices(t, material, period)}
    assert sections <= set(cli.EXPORT_SECTIONS)
