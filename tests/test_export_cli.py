"""``selfcheck export --template … --format md|txt|docx``: files, modes, the 年度 (``--year``),
opt-in sections (``--include``), the profile, a meeting imported from JSON, refusals and exit codes."""

from __future__ import annotations

import io
import json
import os
import re
import stat
from pathlib import Path

import docx
import pytest

from selfcheck import cli, export
from selfcheck.store import models
from selfcheck.store.journal import Journal
from selfcheck.store.models import ActionItem, StudyEntry, TalkNote
from selfcheck.store.vault import KdfParams

PASS = "导出命令 口令 pass"
NOTES = "心得 [bold]原样[/] *x* <tag>&amp; # 井号"
TODAY = "2026-11-27"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A vault (tiny KDF) with a study entry, a rectification item and a talk in 2026, a passphrase
    file, and "today" fixed at TODAY (the CLI reads it through ``models.today_iso``)."""
    monkeypatch.delenv("SELFCHECK_DATA_DIR", raising=False)
    monkeypatch.delenv("SELFCHECK_LANG", raising=False)
    monkeypatch.setattr(models, "today_iso", lambda: TODAY)
    (tmp_path / "pw").write_text(PASS + "\n", encoding="utf-8")
    (tmp_path / "wrong").write_text("wrong passphrase\n", encoding="utf-8")
    journal = Journal.create(tmp_path / "data", PASS, kdf=KdfParams(t=1, m_kib=64, p=1))
    try:
        journal.add_study(StudyEntry(date="2026-11-20", title="学习党章", form="个人自学", minutes=40, notes=NOTES,
                                     excerpt="原文摘抄"))
        journal.add_action(ActionItem(problem="问题：联系群众不够", cause="原因", measure="措施",
                                      created="2026-11-20T02:00:00Z"))
        journal.add_talk(TalkNote(date="2026-11-18", place="会议室", counterpart_role="支部书记", topic="征求意见",
                                  heard="对方建议 [bold]多走访[/]", said="我的表态", followups="跟进事项"))
    finally:
        journal.close()
    return tmp_path


def run(home: Path, *args: str, pw: str = "pw", capsys=None) -> tuple[int, str, str]:
    code = cli.main(["--data-dir", str(home / "data"), "--passphrase-file", str(home / pw), *args])
    out, err = capsys.readouterr() if capsys else ("", "")
    return code, out, err


def private(path: Path) -> bool:
    return os.name == "nt" or stat.S_IMODE(path.stat().st_mode) == 0o600


def unescape_md(text: str) -> str:
    """What a Markdown renderer shows: backslash escapes and ``&#32;`` undone."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text).replace("&#32;", " ")


#: A line each template prints from the fixture's records (None: nothing of the user's by default).
EXPECTED = {
    "meeting": "学习党章",  # the study paragraph's topics (no tags: the titles)
    "talk": "对方建议 [bold]多走访[/]",
    "talkprep": "问题：联系群众不够",
    "study": "本人共记录学习1次",
    "appraisal": None,
}


@pytest.mark.parametrize("template", export.TEMPLATES)
@pytest.mark.parametrize("fmt", ["md", "txt", "docx"])
def test_each_template_in_each_format(home: Path, capsys, template: str, fmt: str) -> None:
    target = home / f"out.{fmt}"
    code, out, err = run(home, "export", "--template", template, "--format", fmt, "-o", str(target), capsys=capsys)
    assert code == 0, err
    assert str(target) in out and "没有加密" in err
    assert private(target)
    if fmt == "docx":
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(target.read_bytes())).paragraphs)
    else:
        text = target.read_text(encoding="utf-8")
    if fmt == "md":
        text = unescape_md(text)
    expected = EXPECTED[template]
    if expected is not None:
        assert expected in text
    assert NOTES not in text  # 心得 are out unless included
    assert "示例" not in text  # a real vault's export is not marked as sample
    if template == "appraisal":
        assert "【请填写：本人选择的自评等次" in text and "姓名：" in text


def test_format_follows_the_file_name(home: Path, capsys) -> None:
    assert run(home, "export", "--template", "meeting", "-o", str(home / "a.docx"), capsys=capsys)[0] == 0
    assert (home / "a.docx").read_bytes()[:2] == b"PK"
    assert run(home, "export", "--template", "study", "-o", str(home / "b.txt"), capsys=capsys)[0] == 0
    assert (home / "b.txt").read_text(encoding="utf-8").startswith("个人学习情况汇总\n")
    # An extension that names no format is refused (never Markdown under another name); no
    # extension at all gets the format's (Markdown by default).
    assert run(home, "export", "--template", "talk", "-o", str(home / "c.out"), capsys=capsys)[0] == 2
    assert not (home / "c.out").exists()
    assert run(home, "export", "--template", "talk", "-o", str(home / "c"), capsys=capsys)[0] == 0
    assert (home / "c.md").read_text(encoding="utf-8").startswith("# 谈心谈话记录")
    assert run(home, "export", "--template", "talkprep", "-o", str(home / "d.md"), capsys=capsys)[0] == 0
    assert (home / "d.md").read_text(encoding="utf-8").startswith("# 谈心谈话准备提纲")
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


def test_appraisal_grade_is_optional_and_only_the_users(home: Path, capsys) -> None:
    code, out, _ = run(home, "export", "--template", "appraisal", "-o", str(home / "a.md"), capsys=capsys)
    assert code == 0 and "请填写" in out
    text = (home / "a.md").read_text(encoding="utf-8")
    assert "自评等次（优秀／合格／基本合格／不合格）" in text and "本人自评等次：" not in text
    code, _, err = run(home, "export", "--template", "appraisal", "--grade", "很好", "-o", str(home / "b.md"),
                       capsys=capsys)
    assert code == 2 and "很好" in err and len(err.strip().splitlines()) == 1
    assert not (home / "b.md").exists()
    code, _, _ = run(home, "export", "--template", "appraisal", "--grade", "basically_qualified", "-o",
                     str(home / "c.md"), capsys=capsys)
    assert code == 0 and "本人自评等次：基本合格" in (home / "c.md").read_text(encoding="utf-8")


def test_profile_from_settings_and_name_overrides(home: Path, capsys) -> None:
    journal = Journal.open(home / "data", passphrase=PASS)
    try:
        settings = journal.settings()
        settings.profile = {"name": "李四", "branch": "第一党支部", "joined": "2010年7月", "position": "科员"}
        journal.save_settings(settings)
    finally:
        journal.close()
    assert run(home, "export", "--template", "appraisal", "-o", str(home / "a.txt"), capsys=capsys)[0] == 0
    lines = (home / "a.txt").read_text(encoding="utf-8").splitlines()
    for line in ("姓名：李四", "所在党支部：第一党支部", "入党时间：2010年7月", "现任职务：科员"):
        assert line in lines
    assert run(home, "export", "--template", "appraisal", "--name", "张三", "-o", str(home / "b.txt"),
               capsys=capsys)[0] == 0
    lines = (home / "b.txt").read_text(encoding="utf-8").splitlines()
    assert "姓名：张三" in lines and "所在党支部：第一党支部" in lines
    assert run(home, "export", "--template", "meeting", "-o", str(home / "m.txt"), capsys=capsys)[0] == 0
    assert (home / "m.txt").read_text(encoding="utf-8").startswith("李四同志在2026年度组织生活会上的发言提纲")


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--format", "md"], "talkprep"),
        (["--template", "meeting", "--format", "json"], "JSON"),
        (["--template", "meeting", "--from", "2026-13-01"], "YYYY-MM-DD"),
        (["--template", "meeting", "--from", "2026-05-01", "--to", "2026-01-01"], "晚于"),
        (["--template", "meeting", "--year", "2026", "--from", "2027-01-01"], "晚于"),
        (["--template", "meeting", "--year", "25"], "年度"),
        (["--template", "study", "--year", "二〇二五"], "二〇二五"),
        (["--template", "meeting", "--font-preset", "华文"], "华文"),
        (["--template", "nope"], "用法有误"),
        (["--template", "meeting", "--leave-out", "everything"], "用法有误"),
        (["--template", "meeting", "--leave-out", "problem"], "用法有误"),
        (["--template", "meeting", "--include", "talk"], "用法有误"),
    ],
)
def test_usage_errors_are_one_translated_line(home: Path, capsys, args: list[str], needle: str) -> None:
    code, _, err = run(home, "export", *args, "-o", str(home / "x.md"), capsys=capsys)
    assert code == 2, err
    assert needle in err and err.startswith("错误：") and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and not (home / "x.md").exists()


def test_errors_in_english_and_wrong_passphrase(home: Path, capsys) -> None:
    base = ["--lang", "en", "--data-dir", str(home / "data"), "--passphrase-file", str(home / "pw"), "export"]
    code, _, err = cli.main([*base, "--template", "appraisal", "--grade", "great", "-o", str(home / "a.md")]), \
        *capsys.readouterr()
    assert code == 2 and err.startswith("Error: ") and "grade" in err and len(err.strip().splitlines()) == 1
    code, _, err = cli.main([*base, "--template", "meeting", "--year", "last", "-o", str(home / "a.md")]), \
        *capsys.readouterr()
    assert code == 2 and err.startswith("Error: ") and "four digits" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(home, "export", "--template", "meeting", "-o", str(home / "a.md"), pw="wrong", capsys=capsys)
    assert code == 3 and not (home / "a.md").exists()


def test_year_sets_the_period(home: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    def first_lines(*args: str) -> list[str]:
        target = home / "y.txt"
        code, _, err = run(home, "export", *args, "-o", str(target), "--force", capsys=capsys)
        assert code == 0, err
        return target.read_text(encoding="utf-8").splitlines()[:2]

    # Today (27 November 2026): the 年度 is this year.
    assert first_lines("--template", "study")[1] == "（2026年1月1日至2026年12月31日）"
    assert first_lines("--template", "meeting")[0] == "关于2026年度组织生活会个人对照检查材料"
    # In January–March the default 年度 is the previous year.
    monkeypatch.setattr(models, "today_iso", lambda: "2026-02-10")
    assert first_lines("--template", "study")[1] == "（2025年1月1日至2025年12月31日）"
    assert first_lines("--template", "meeting")[0] == "关于2025年度组织生活会个人对照检查材料"
    assert first_lines("--template", "appraisal")[0] == "2025年度民主评议党员个人自评材料"
    # A talk still covers the last quarter unless a year is named.
    assert first_lines("--template", "talk")[1] == "（2025年11月12日至2026年2月10日）"
    assert first_lines("--template", "talk", "--year", "2026")[1] == "（2026年1月1日至2026年12月31日）"
    # --year names the 年度; --from / --to move either end.
    assert first_lines("--template", "meeting", "--year", "2024")[0] == "关于2024年度组织生活会个人对照检查材料"
    assert first_lines("--template", "study", "--year", "2024", "--to", "2024-06-30")[1] == "（2024年1月1日至2024年6月30日）"
    assert first_lines("--template", "study", "--from", "2001-01-01", "--to", "2001-12-31")[1] == (
        "（2001年1月1日至2001年12月31日）"
    )
    assert first_lines("--template", "study", "--to", "2023-05-31")[1] == "（2023年1月1日至2023年5月31日）"


def test_include_leave_out_aspects_and_name(home: Path, capsys) -> None:
    target = home / "m.txt"
    code, out, _ = run(home, "export", "--template", "meeting", "-o", str(target), "--include", "notes",
                       "--aspect", "我自己的方面", "--name", "张三", capsys=capsys)
    assert code == 0
    text = target.read_text(encoding="utf-8")
    assert NOTES in text and "学习党章" in text
    assert "（一）我自己的方面" in text and "（二）" not in text.split("三、查摆的问题")[1].split("四、")[0]
    assert "张三同志在" in text.splitlines()[0]
    assert "请填写" in out  # says how many placeholders are left to fill in
    # Leaving a section out wins over including it.
    assert run(home, "export", "--template", "meeting", "-o", str(target), "--force", "--include", "notes",
               "--leave-out", "notes", capsys=capsys)[0] == 0
    assert NOTES not in target.read_text(encoding="utf-8")
    # The study summary takes excerpts and 心得 only when asked.
    assert run(home, "export", "--template", "study", "-o", str(target), "--force", capsys=capsys)[0] == 0
    assert "原文摘抄" not in target.read_text(encoding="utf-8")
    assert run(home, "export", "--template", "study", "-o", str(target), "--force", "--include", "excerpt",
               "--include", "notes", capsys=capsys)[0] == 0
    assert "原文摘抄" in target.read_text(encoding="utf-8") and NOTES in target.read_text(encoding="utf-8")
    # Talk records and rectification items can be left out.
    assert run(home, "export", "--template", "talk", "-o", str(target), "--force", "--leave-out", "talk",
               capsys=capsys)[0] == 0
    assert "多走访" not in target.read_text(encoding="utf-8")
    assert run(home, "export", "--template", "talkprep", "-o", str(target), "--force", "--leave-out", "rectification",
               capsys=capsys)[0] == 0
    assert "联系群众" not in target.read_text(encoding="utf-8")
    # A period with nothing in it: every section is a placeholder.
    target = home / "old.txt"
    assert run(home, "export", "--template", "study", "--year", "2001", "-o", str(target), capsys=capsys)[0] == 0
    old = target.read_text(encoding="utf-8")
    assert "（2001年1月1日至2001年12月31日）" in old and "学习党章" not in old and old.count("【请填写：") == 4


# --------------------------------------------------------------------------- a meeting from JSON

LAST_MEETING, THIS_MEETING, CARRIED_ITEM = "m" * 32, "n" * 32, "c" * 32
PROBLEM = "理论学习 [bold]不够系统[/]，有时 *碎片化* <学习> | 竖线"
EXAMPLE = "如：[red]上半年[/] 有两个月的学习日志只有零散记录。"
CAUSE = "对理论学习的重要性认识 [/] 还不够深 \\ 反斜杠"
MEASURE = "每周固定安排 #2 小时自学 [bold]"
CARRIED = "已按措施完成 [bold]转为日常坚持[/]"


def meeting_file(path: Path) -> Path:
    """Last year's meeting with the item raised at it, and this year's meeting, hand-written."""
    doc = {
        "format": "selfcheck",
        "version": 1,
        "actions": [
            {"id": CARRIED_ITEM, "problem": "去年查摆的问题", "measure": "去年的措施", "status": "done",
             "done_date": "2025-06-01", "origin": {"kind": "meeting", "id": LAST_MEETING},
             "created": "2025-02-20T08:00:00Z"},
            {"problem": "手工记下的问题", "created": "2025-05-01T08:00:00Z"},
        ],
        "meetings": [
            {"id": LAST_MEETING, "year": 2024, "date": "2025-02-20", "problems": [{"text": "去年查摆的问题"}]},
            {
                "id": THIS_MEETING,
                "year": 2025,
                "date": "2026-02-26",
                "aspects": ["政治信仰方面", "理论学习方面"],
                "study_note": "会前集中学习了通知要求 [bold]原样[/]",
                "carried": {CARRIED_ITEM: CARRIED},
                "problems": [
                    {"aspect": "理论学习方面", "text": PROBLEM, "example": EXAMPLE, "cause": CAUSE,
                     "measures": [{"text": MEASURE, "due": "2026-12-31", "standard": "每季度1篇心得"}]},
                    {"aspect": "政治信仰方面", "text": "第二个问题，还没写原因和措施"},
                ],
            },
        ],
    }
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_meeting_imported_from_json_exports_the_users_words_verbatim(home: Path, capsys, lang: str) -> None:
    source = meeting_file(home / "meeting.json")
    code, _, err = run(home, "--lang", lang, "import", str(source), capsys=capsys)
    assert code == 0, err
    target = home / "meeting.md"
    code, _, err = run(home, "--lang", lang, "export", "--template", "meeting", "--year", "2025", "--format", "md",
                       "-o", str(target), capsys=capsys)
    assert code == 0, err
    raw = target.read_text(encoding="utf-8")
    shown = unescape_md(raw)
    for words in (PROBLEM, EXAMPLE, CAUSE, CARRIED, "会前集中学习了通知要求 [bold]原样[/]", "去年查摆的问题"):
        assert words in shown, words
    assert MEASURE in shown and ("2026年12月31日" in shown or "31 December 2026" in shown)
    assert "[bold]" not in raw.replace("\\[bold\\]", "")  # escaped, so a renderer shows it as typed
    if lang == "zh":
        assert raw.startswith("# 关于2025年度组织生活会个人对照检查材料")
        assert "（2026年2月26日）" in shown
        assert "### （一）政治信仰方面" in raw and "### （二）理论学习方面" in raw
        # 上年度整改: exactly the item raised at the 2024 meeting, not the one written by hand.
        assert "上年度组织生活会查摆的问题共1项" in shown and "手工记下的问题" not in shown
        # The second problem has no cause or measure yet: visible placeholders, never invented text.
        assert "【请填写：“第二个问题，还没写原因和措施”产生的原因】" in shown
        assert "【请填写：针对“第二个问题，还没写原因和措施”的整改措施和时限】" in shown
    else:
        assert raw.startswith("# Self-examination statement for the 2025 organisational-life meeting")
        assert "[To fill in: the cause of" in shown and "手工记下的问题" not in shown
    # The same words, unescaped, in plain text.
    plain = home / "meeting.txt"
    assert run(home, "--lang", lang, "export", "--template", "meeting", "--year", "2025", "-o", str(plain),
               capsys=capsys)[0] == 0
    text = plain.read_text(encoding="utf-8")
    for words in (PROBLEM, EXAMPLE, CAUSE, CARRIED):
        assert words in text


def test_cli_constants_match_the_export_package() -> None:
    assert cli.EXPORT_TEMPLATES == export.TEMPLATES
    assert set(cli.EXPORT_FORMATS) == set(export.FORMATS) | {"json"}
    assert set(cli.EXPORT_ASPECT_PRESETS) == set(export.aspect_presets())
    material = export.Material(
        study=[StudyEntry(date="2026-01-02", title="t", notes="n", excerpt="e")],
        assessments=[models.Assessment(checklist_id="zizhong", completed="2026-01-03T00:00:00Z", reflection="r")],
        actions=[ActionItem(problem="p", created="2026-01-04T00:00:00Z")],
        talks=[TalkNote(date="2026-01-05", followups="f")],
    )
    period = export.Period("2026-01-01", "2026-12-31")
    listed = [c for t in export.TEMPLATES for c in export.choices(t, material, period)]
    assert {c.section for c in listed} == set(cli.EXPORT_SECTIONS)
    assert {c.section for c in listed if not c.default} == set(cli.EXPORT_OPT_IN_SECTIONS)
    assert not {c.section for c in listed if c.default} & set(cli.EXPORT_OPT_IN_SECTIONS)


def test_help_lists_the_templates_and_the_year(capsys) -> None:
    for lang in ("zh", "en"):
        with pytest.raises(SystemExit):
            cli.main(["--lang", lang, "export", "--help"])
        out = capsys.readouterr().out
        assert "talkprep" in out and "--year" in out and "--include" in out and "notice2024" in out
