"""Pilot tests of the export screen: items, preview, edits, writing a private file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from textual.widgets import Input, Select, SelectionList, TextArea
from tuikit import app_for, known_vault, settle, unlock

from selfcheck.screens.export import ExportScreen
from selfcheck.screens.home import HomeScreen
from selfcheck.screens.modals.confirm import ConfirmModal


async def open_export(pilot) -> ExportScreen:
    await unlock(pilot)
    await pilot.press("e")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ExportScreen)
    return screen


async def test_preview_holds_the_users_words_and_items_can_be_left_out(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = await open_export(pilot)
        text = screen.query_one("#text", TextArea).text
        assert "关于2026年度组织生活会个人对照检查材料" in text  # the 年度 of the meeting season
        assert "学习党章 [bold]第二章[/]" in text and "【请填写" in text
        screen.query_one("#template", Select).value = "talkprep"
        await settle(pilot)
        assert "调查研究不够深入 [/]" in screen.query_one("#text", TextArea).text
        choices = screen.query_one("#choices", SelectionList)
        options = [choices.get_option_at_index(i) for i in range(choices.option_count)]
        key = next(o.value for o in options if "调查研究" in str(o.prompt))
        choices.deselect(key)
        await settle(pilot)
        assert "调查研究不够深入 [/]" not in screen.query_one("#text", TextArea).text
        app.shutdown()


async def test_edit_the_preview_and_write_markdown_privately(tmp_path: Path) -> None:
    known_vault(tmp_path)
    target = tmp_path / "out" / "提纲.md"
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = await open_export(pilot)
        screen.query_one("#format", Select).value = "md"
        await settle(pilot)
        screen.query_one("#destination", Input).value = str(target)
        area = screen.query_one("#text", TextArea)
        area.load_text(area.text + "\n我自己补充的一段话 *不是强调* <b>&amp;\n")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert target.exists()
        written = target.read_text(encoding="utf-8")
        assert "我自己补充的一段话" in written and "学习党章" in written
        if os.name != "nt":
            assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
        # A second write asks before replacing the file.
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        # Leaving with an edited preview asks too.
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        app.shutdown()


async def test_changing_options_keeps_the_users_edits(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = await open_export(pilot)
        area = screen.query_one("#text", TextArea)
        area.load_text("只有我写的这一行")
        screen.query_one("#aspects", Select).value = "sizi"
        await settle(pilot)
        assert area.text == "只有我写的这一行"
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert "只有我写的这一行" not in area.text and "自警" in area.text
        app.shutdown()


async def test_appraisal_grade_is_the_users_choice(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = await open_export(pilot)
        screen.query_one("#template", Select).value = "appraisal"
        await settle(pilot)
        assert screen.query_one("#row-grade").display
        text = screen.query_one("#text", TextArea).text
        assert "本人自评等次：" not in text and "【请填写：本人选择的自评等次" in text  # never derived
        screen.query_one("#grade", Select).value = "qualified"
        await settle(pilot)
        assert "本人自评等次：合格（本人自评，供组织评定参考）" in screen.query_one("#text", TextArea).text
        app.shutdown()


async def test_a_whole_kind_of_item_can_be_left_out_at_once(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = await open_export(pilot)
        screen.query_one("#template", Select).value = "talkprep"
        await settle(pilot)
        assert "调查研究不够深入 [/]" in screen.query_one("#text", TextArea).text
        sections = screen.query_one("#sections", SelectionList)
        sections.toggle("rectification")  # as the space key does
        await settle(pilot)
        choices = screen.query_one("#choices", SelectionList)
        assert not any(k in choices.selected for k in screen.sections["rectification"])
        assert "调查研究不够深入 [/]" not in screen.query_one("#text", TextArea).text
        sections.toggle("rectification")
        await settle(pilot)
        assert "调查研究不够深入 [/]" in screen.query_one("#text", TextArea).text
        app.shutdown()


async def test_demo_exports_are_marked_and_stay_out_of_documents(tmp_path: Path) -> None:
    """Sample data never lands among the user's real files under a real file name."""
    import tempfile

    from selfcheck.store.paths import documents_dir

    known_vault(tmp_path)
    app = app_for(tmp_path)
    app.demo = True
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = await open_export(pilot)
        for template in ("meeting", "talk", "talkprep", "study", "appraisal"):
            screen.query_one("#template", Select).value = template
            await settle(pilot)
            assert "【示例】" in screen.query_one("#text", TextArea).text.splitlines()[0], template
            destination = Path(screen.query_one("#destination", Input).value)
            assert destination.parent == Path(tempfile.gettempdir()) / "selfcheck-demo-exports"
            assert documents_dir() not in destination.parents and destination.name.startswith("示例-")
        app.shutdown()
