"""Where an export goes (``-o`` and the export screen's destination): the format from ``--format``
or the extension, an unknown extension refused, a missing one added, a folder given its default
name, relative paths reported whole, missing folders made; the export screen remembers the
user's choices for the session, shows the Word fonts only for Word, and has no invisible tab stop."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from textual.widgets import Input, Select, SelectionList, Tabs, TextArea
from tuikit import app_for, known_app, known_vault, settle, unlocked

from selfcheck import cli
from selfcheck.export.files import TargetRefused, make_folders, resolve_target, write_export
from selfcheck.screens.export import ExportScreen
from selfcheck.screens.home import HomeScreen
from selfcheck.store import models
from selfcheck.store.journal import Journal
from selfcheck.store.models import StudyEntry
from selfcheck.store.vault import KdfParams

PASS = "导出路径 口令 pass"
TODAY = "2026-11-27"
POSIX = os.name != "nt"


def named(fmt: str) -> str:
    return {"md": "默认.md", "txt": "默认.txt", "docx": "默认.docx", "json": "默认.json"}[fmt]


# --------------------------------------------------------------------------- the rules


def test_the_extension_decides_the_format(tmp_path: Path) -> None:
    for name, fmt in [("a.md", "md"), ("a.MD", "md"), ("a.markdown", "md"), ("a.txt", "txt"), ("a.docx", "docx"),
                      ("a.json", "json")]:
        target = resolve_target(tmp_path / name, default_name=named)
        assert (target.path, target.format, target.in_folder, target.extended) == (tmp_path / name, fmt, False, False)
    assert resolve_target(tmp_path / "a.docx", "docx", default_name=named).format == "docx"


@pytest.mark.parametrize("name", ["m.pdf", "m.PDF", "m.doc", "m.odt", "提纲.v2"])
def test_an_unknown_extension_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(TargetRefused) as refused:
        resolve_target(tmp_path / name, default_name=named)
    assert refused.value.problem == "unknown_extension" and refused.value.fields["ext"] == Path(name).suffix
    with pytest.raises(TargetRefused):
        resolve_target(tmp_path / name, "md", default_name=named)  # --format does not make .pdf Markdown


def test_a_format_that_contradicts_the_extension_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TargetRefused) as refused:
        resolve_target(tmp_path / "a.md", "docx", default_name=named)
    assert refused.value.problem == "format_mismatch" and refused.value.fields == {"format": "docx", "ext": ".md"}


@pytest.mark.parametrize(
    ("name", "fmt", "written"),
    [
        ("提纲", None, "提纲.md"),
        ("提纲", "docx", "提纲.docx"),
        ("提纲2026.11.30", None, "提纲2026.11.30.md"),  # digits are part of the name
        ("v1.2 定稿", "txt", "v1.2 定稿.txt"),  # so is a part with a space
    ],
)
def test_no_extension_gets_the_formats(tmp_path: Path, name: str, fmt: str | None, written: str) -> None:
    target = resolve_target(tmp_path / name, fmt, default_name=named)
    assert target.path == tmp_path / written and target.extended and target.format == (fmt or "md")


def test_a_folder_gets_the_default_name_inside(tmp_path: Path) -> None:
    target = resolve_target(tmp_path, "docx", default_name=named)
    assert target.path == tmp_path / "默认.docx" and target.in_folder and target.format == "docx"
    target = resolve_target(str(tmp_path / "新的文件夹") + os.sep, default_format="json", default_name=named)
    assert target.path == tmp_path / "新的文件夹" / "默认.json"  # a name ending in / is a folder to make


def test_relative_and_home_paths_become_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_target("sub/a.md", default_name=named).path == tmp_path / "sub" / "a.md"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert resolve_target("~/a.txt", default_name=named).path == tmp_path / "home" / "a.txt"


def test_missing_folders_are_made_private(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "c" / "x.md"
    write_export(target, b"text")
    assert target.read_bytes() == b"text"
    if POSIX:
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError):
        make_folders(tmp_path / "file" / "sub")


# --------------------------------------------------------------------------- the CLI


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("SELFCHECK_DATA_DIR", raising=False)
    monkeypatch.delenv("SELFCHECK_LANG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(models, "today_iso", lambda: TODAY)
    (tmp_path / "pw").write_text(PASS + "\n", encoding="utf-8")
    journal = Journal.create(tmp_path / "data", PASS, kdf=KdfParams(t=1, m_kib=64, p=1))
    try:
        journal.add_study(StudyEntry(date="2026-11-20", title="学习党章", minutes=40))
    finally:
        journal.close()
    return tmp_path


def run(home: Path, *args: str, pw: bool = True, capsys=None) -> tuple[int, str, str]:
    head = ["--data-dir", str(home / "data")] + (["--passphrase-file", str(home / "pw")] if pw else [])
    code = cli.main([*head, *args])
    out, err = capsys.readouterr() if capsys else ("", "")
    return code, out, err


def test_cli_refuses_an_unknown_extension_before_the_passphrase(home: Path, capsys) -> None:
    code, out, err = run(home, "--lang", "zh", "export", "meeting", "-o", str(home / "x" / "m.pdf"), pw=False,
                         capsys=capsys)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert ".pdf" in err and ".md" in err and ".docx" in err and ".txt" in err
    assert not (home / "x").exists()
    code, _, err = run(home, "--lang", "en", "export", "meeting", "-o", str(home / "m.pdf"), pw=False, capsys=capsys)
    assert code == 2 and "Unknown file extension .pdf" in err


def test_cli_refuses_a_format_against_the_extension(home: Path, capsys) -> None:
    code, _, err = run(home, "export", "meeting", "--format", "txt", "-o", str(home / "a.md"), pw=False, capsys=capsys)
    assert code == 2 and "--format txt" in err and ".md" in err and not (home / "a.md").exists()
    code, _, err = run(home, "export", "--format", "json", "-o", str(home / "a.md"), pw=False, capsys=capsys)
    assert code == 2 and not (home / "a.md").exists()
    code, _, err = run(home, "export", "meeting", "-o", str(home / "a.json"), pw=False, capsys=capsys)
    assert code == 2 and "JSON" in err  # a document is never JSON; the full export takes no template


def test_cli_adds_the_extension_and_says_the_whole_path(home: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(home)
    code, out, _ = run(home, "export", "study", "-o", "汇总", capsys=capsys)
    assert code == 0 and f"已导出到：{home / '汇总.md'}" in out
    assert (home / "汇总.md").read_text(encoding="utf-8").startswith("# ")
    code, out, _ = run(home, "export", "study", "--format", "docx", "-o", "sub/汇总", capsys=capsys)
    assert code == 0 and str(home / "sub" / "汇总.docx") in out
    assert (home / "sub" / "汇总.docx").read_bytes()[:2] == b"PK"
    code, out, _ = run(home, "export", "-o", "全部", capsys=capsys)  # the full export: JSON
    assert code == 0 and str(home / "全部.json") in out
    assert json.loads((home / "全部.json").read_text(encoding="utf-8"))["format"] == "selfcheck"


def test_cli_writes_the_default_name_inside_a_folder(home: Path, capsys) -> None:
    folder = home / "导出"
    folder.mkdir()
    code, out, _ = run(home, "export", "meeting", "--format", "docx", "-o", str(folder), capsys=capsys)
    written = folder / "组织生活会对照检查材料-2026.docx"
    assert code == 0 and written.exists() and str(written) in out
    code, _, err = run(home, "export", "meeting", "--format", "docx", "-o", str(folder), capsys=capsys)
    assert code == 1 and "不会覆盖" in err and str(written) in err  # the file inside, not the folder
    assert run(home, "export", "meeting", "--format", "docx", "-o", str(folder), "--force", capsys=capsys)[0] == 0
    code, out, _ = run(home, "--lang", "en", "export", "-o", str(folder) + os.sep, capsys=capsys)
    assert code == 0 and (folder / f"selfcheck-all-data-{TODAY}.json").exists()
    code, out, _ = run(home, "export", "-o", str(folder), capsys=capsys)
    assert code == 0 and (folder / f"自省录全部数据-{TODAY}.json").exists()


def test_cli_makes_missing_folders(home: Path, capsys) -> None:
    target = home / "新" / "子" / "提纲.docx"
    code, out, _ = run(home, "export", "meeting", "-o", str(target), capsys=capsys)
    assert code == 0 and target.exists() and str(target) in out
    if POSIX:
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert stat.S_IMODE((home / "新").stat().st_mode) == 0o700


def test_cli_says_why_a_folder_cannot_be_made(home: Path, capsys) -> None:
    (home / "a-file").write_text("x")
    target = home / "a-file" / "sub" / "m.md"
    code, _, err = run(home, "export", "meeting", "-o", str(target), capsys=capsys)
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert str(target) in err and "路径中有一项不是文件夹" in err and "Not a directory" not in err
    code, _, err = run(home, "--lang", "en", "export", "meeting", "-o", str(target), capsys=capsys)
    assert code == 1 and "a part of the path is not a folder" in err


def test_cli_template_as_a_word_and_the_grade_optional(home: Path, capsys) -> None:
    code, out, _ = run(home, "export", "appraisal", "-o", str(home / "自评.md"), capsys=capsys)
    assert code == 0 and "请填写" in out  # no --grade: left to fill in, as in the app
    assert "【请填写：本人选择的自评等次" in (home / "自评.md").read_text(encoding="utf-8")
    code, _, err = run(home, "export", "meeting", "--template", "study", "-o", str(home / "x.md"), pw=False,
                       capsys=capsys)
    assert code == 2 and "meeting" in err and "study" in err
    assert run(home, "export", "study", "--template", "study", "-o", str(home / "y.md"), capsys=capsys)[0] == 0


# --------------------------------------------------------------------------- the export screen


async def open_export(pilot) -> ExportScreen:
    await pilot.press("e")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ExportScreen)
    return screen


async def test_the_screen_remembers_its_choices_and_shows_fonts_only_for_word(tmp_path: Path) -> None:
    app = known_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await unlocked(pilot)
        screen = await open_export(pilot)
        assert screen._value("template") == "meeting" and screen._value("format") == "docx"
        assert screen.query_one("#row-font-preset").display  # Word: its fonts
        screen.query_one("#template", Select).value = "talkprep"
        await settle(pilot)
        screen.query_one("#format", Select).value = "md"
        await settle(pilot)
        assert not screen.query_one("#row-font-preset").display  # Markdown has no fonts
        destination = screen.query_one("#destination", Input).value
        assert Path(destination).name.startswith("谈心谈话准备提纲") and destination.endswith(".md")
        kind = next(iter(screen.sections))
        screen.query_one("#sections", SelectionList).toggle(kind)  # a whole kind out
        await settle(pilot)
        assert kind not in screen.query_one("#sections", SelectionList).selected
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)

        screen = await open_export(pilot)  # reopens on what was chosen
        assert screen._value("template") == "talkprep" and screen._value("format") == "md"
        assert not screen.query_one("#row-font-preset").display
        assert screen.query_one("#destination", Input).value == destination
        assert kind not in screen.query_one("#sections", SelectionList).selected
        assert not any(k in screen.query_one("#choices", SelectionList).selected for k in screen.sections[kind])
        screen.query_one("#format", Select).value = "txt"
        await settle(pilot)
        assert not screen.query_one("#row-font-preset").display
        screen.query_one("#format", Select).value = "docx"
        await settle(pilot)
        assert screen.query_one("#row-font-preset").display
        screen.query_one("#font-preset", Select).value = "noto"
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        screen = await open_export(pilot)
        assert screen._value("font-preset") == "noto" and screen._value("format") == "docx"
        app.shutdown()


async def test_a_fresh_app_opens_on_the_defaults(tmp_path: Path) -> None:
    """Choices last as long as the app: nothing of them is written to the vault."""
    known_vault(tmp_path)
    for _ in range(2):
        app = app_for(tmp_path)
        async with app.run_test(size=(100, 30)) as pilot:
            await unlocked(pilot)
            screen = await open_export(pilot)
            assert screen._value("template") == "meeting" and screen._value("format") == "docx"
            screen.query_one("#template", Select).value = "talk"
            await settle(pilot)
            app.shutdown()


async def test_every_tab_stop_is_a_visible_field(tmp_path: Path) -> None:
    app = known_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await unlocked(pilot)
        screen = await open_export(pilot)
        for tab in ("options", "items", "preview"):
            screen.action_tab(tab)
            await settle(pilot)
            chain = screen.focus_chain
            assert chain
            for _ in range(len(chain) + 1):
                await pilot.press("tab")
                await pilot.pause()
                focused = app.focused
                assert focused is not None and focused.display and focused.region.area > 0, focused
                # A field or the tabs (they show focus), never a container (it shows none).
                assert isinstance(focused, (Tabs, Select, Input, SelectionList, TextArea)), focused
                # Hidden rows (headings, grade, fonts for Markdown) are never tab stops.
                assert all(w.display for w in focused.ancestors_with_self if hasattr(w, "display")), focused
        app.shutdown()


async def test_the_screen_follows_the_same_path_rules(tmp_path: Path) -> None:
    app = known_app(tmp_path)
    out = tmp_path / "导出"
    async with app.run_test(size=(100, 30)) as pilot:
        await unlocked(pilot)
        screen = await open_export(pilot)
        screen.query_one("#format", Select).value = "md"
        await settle(pilot)
        screen.query_one("#destination", Input).value = str(out / "提纲.pdf")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert ".pdf" in str(screen.query_one("#message").render()) and not out.exists()
        screen.query_one("#destination", Input).value = str(out / "提纲.json")  # the CLI's format, not this screen's
        await pilot.press("ctrl+s")
        await settle(pilot)
        said = str(screen.query_one("#message").render())
        assert "不认识的文件扩展名 .json" in said and "或 .json" not in said and not out.exists()
        screen.query_one("#format", Select).value = "docx"
        await settle(pilot)
        screen.query_one("#destination", Input).value = str(out / "提纲.md")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "所选格式 Word（.docx，公文格式） 与文件扩展名 .md 不一致" in str(screen.query_one("#message").render())
        screen.query_one("#format", Select).value = "md"
        await settle(pilot)
        screen.query_one("#destination", Input).value = str(out / "新文件夹") + os.sep  # a folder to make
        await pilot.press("ctrl+s")
        await settle(pilot)
        written = out / "新文件夹" / "组织生活会对照检查材料-2026.md"
        assert written.read_text(encoding="utf-8").startswith("# ")
        await pilot.press("escape")
        await settle(pilot)
        screen = await open_export(pilot)  # the next export suggests the folder last written to
        assert Path(screen.query_one("#destination", Input).value).parent == out / "新文件夹"
        app.shutdown()
