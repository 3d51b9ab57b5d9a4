"""Pilot tests of the study diary, entry editor, trash, study overview and settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, Static, TextArea
from tuikit import PASS, TINY, app_for, known_vault, settle, type_text, unlock

from selfcheck.screens.diary import DiaryScreen
from selfcheck.screens.entry import EntryScreen
from selfcheck.screens.home import HomeScreen
from selfcheck.screens.modals.backups import BackupsModal
from selfcheck.screens.modals.confirm import ConfirmModal, SaveChangesModal
from selfcheck.screens.modals.passphrase import ChangePassphraseModal
from selfcheck.screens.modals.trash import TrashModal
from selfcheck.screens.settings import SettingsScreen
from selfcheck.screens.study_overview import StudyOverviewScreen
from selfcheck.screens.unlock import UnlockScreen
from selfcheck.store.errors import WrongPassphrase
from selfcheck.store.journal import Journal
from selfcheck.store.models import StudyEntry


def table_text(app) -> list[str]:
    """The diary table's rows as plain text."""
    table = app.screen.query_one(DataTable)
    return [" | ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


def screen_text(app) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


async def open_diary(pilot) -> DiaryScreen:
    await unlock(pilot)
    await pilot.press("d")
    await settle(pilot)
    assert isinstance(pilot.app.screen, DiaryScreen)
    return pilot.app.screen


async def test_diary_lists_newest_first_and_shows_titles_verbatim(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await open_diary(pilot)
        rows = table_text(app)
        assert [r[:10] for r in rows] == ["2026-11-26", "2026-11-24", "2026-11-03", "2026-10-30"]
        assert "学习党章 [bold]第二章[/]" in rows[1]
        assert "共 4 条" in screen_text(app) and "涉密不上网" in screen_text(app)
        app.shutdown()


async def test_search_as_you_type_and_filters(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = await open_diary(pilot)
        await pilot.press("slash")
        await type_text(pilot, "[bold]")
        await pilot.pause()
        assert len(table_text(app)) == 1 and "第二章" in table_text(app)[0]
        await pilot.press("escape")  # leaves the search field, not the diary
        assert isinstance(app.screen, DiaryScreen)
        screen.query_one("#diary-search", Input).value = ""
        await pilot.pause()
        screen.query_one("#diary-period", Select).value = "month"
        await pilot.pause()
        assert [r[:10] for r in table_text(app)] == ["2026-11-26", "2026-11-24", "2026-11-03"]
        screen.query_one("#diary-period", Select).value = "week"
        await pilot.pause()
        assert [r[:10] for r in table_text(app)] == ["2026-11-26", "2026-11-24"]
        app.shutdown()


async def test_add_edit_delete_and_restore_an_entry(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = await open_diary(pilot)
        await pilot.press("n")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, EntryScreen)
        await type_text(pilot, "新的 [/] 学习")
        editor.query_one("#minutes", Input).value = "40"
        editor.query_one("#tags", Input).value = "党章 作风建设"
        editor.query_one("#notes", TextArea).text = "心得 *原样* <b>&amp;"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert "新的 [/] 学习" in table_text(app)[0] and "40" in table_text(app)[0]

        await pilot.press("enter")  # edit the row under the cursor: the new one
        await settle(pilot)
        app.screen.query_one("#notes", TextArea).text = "改过的心得"
        await pilot.press("ctrl+s")
        await settle(pilot)

        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert not any("新的 [/] 学习" in r for r in table_text(app))
        await pilot.press("z")
        await settle(pilot)
        assert isinstance(app.screen, TrashModal)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and "新的 [/] 学习" in table_text(app)[0]
        app.shutdown()
    journal = Journal.open(tmp_path, passphrase=PASS)
    entry = next(e for e in journal.study_entries() if e.title == "新的 [/] 学习")
    assert (entry.minutes, entry.tags, entry.notes) == (40, ["党章", "作风建设"], "改过的心得")
    assert journal.trash() == []
    journal.close()


async def test_leaving_the_editor_with_changes_asks_first(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await open_diary(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "写了一半")
        await pilot.press("escape")
        assert isinstance(app.screen, SaveChangesModal)
        assert screen_text(app).count("y ") == 1  # one line of keys, not two that disagree
        await pilot.press("escape")  # keep editing: a second escape drops nothing
        assert isinstance(app.screen, EntryScreen) and app.screen.query_one("#title", Input).value == "写了一半"
        await pilot.press("escape")
        assert isinstance(app.screen, SaveChangesModal)
        await pilot.press("y")  # save
        await settle(pilot)
        assert isinstance(app.screen, DiaryScreen) and "写了一半" in table_text(app)[0]
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("escape")  # nothing typed: leaves at once
        assert isinstance(app.screen, DiaryScreen)
        app.shutdown()


async def test_editor_refuses_a_bad_date_and_keeps_the_text(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await open_diary(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "标题")
        app.screen.query_one("#date", Input).value = "2026-02-30"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EntryScreen) and "YYYY-MM-DD" in screen_text(app)
        assert app.screen.query_one("#title", Input).value == "标题"
        app.shutdown()


async def test_study_overview_and_yearly_targets(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await open_diary(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, StudyOverviewScreen)
        text = screen_text(app)
        assert "本周 2 次 135 分钟" in text and "今年 4 次 285 分钟" in text
        await pilot.press("g")
        await settle(pilot)
        app.screen.query_one("#entries", Input).value = "10"
        app.screen.query_one("#minutes", Input).value = "600"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, StudyOverviewScreen)
        assert "4 / 10" in " ".join(str(w.render()) for w in app.screen.query("Label"))
        app.shutdown()
    journal = Journal.open(tmp_path, passphrase=PASS)
    assert journal.settings().yearly_targets == {"entries": 10, "minutes": 600}
    journal.close()


async def test_settings_apply_and_are_saved(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        field = screen.query_one("#autolock", Input)
        field.value = "15"
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        screen.query_one("#backups_kept", Input).value = "0"
        screen.query_one("#backups_kept", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert "1 到 100" in screen_text(app)
        screen.query_one("#font", Select).value = "noto"
        await settle(pilot)
        screen.query_one("#language", Select).value = "en"
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen) and "Settings" in screen_text(app)
        app.shutdown()
    journal = Journal.open(tmp_path, passphrase=PASS)
    settings = journal.settings()
    assert (settings.autolock_minutes, settings.backups_kept, settings.export_font_preset, settings.language) == (
        15,
        10,
        "noto",
        "en",
    )
    journal.close()


async def test_opening_settings_changes_nothing(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        before = app.journal.settings()
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.journal.settings() == before and isinstance(app.screen, HomeScreen)
        app.shutdown()


async def test_change_passphrase_then_unlock_with_the_new_one(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("p")
        assert isinstance(app.screen, ChangePassphraseModal)
        for text in ("不对的", "新口令 new one", "新口令 new one"):
            await type_text(pilot, text)
            await pilot.press("enter")
        await settle(pilot)
        assert "当前口令不正确" in screen_text(app)
        app.screen.query_one("#current", Input).value = PASS
        app.screen.query_one("#repeat", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("ctrl+l")
        await settle(pilot)
        await unlock(pilot)
        assert isinstance(app.screen, UnlockScreen)  # the old one no longer opens
        app.screen.query_one(Input).value = ""
        await unlock(pilot, "新口令 new one")
        assert isinstance(app.screen, HomeScreen)
        app.shutdown()


async def test_restore_a_backup_from_settings(tmp_path: Path) -> None:
    """Restore takes the backup's records and keeps today's passphrase: after a passphrase
    change, a backup made before it is restored without asking, and the new passphrase opens
    the result (the old one does not)."""
    known_vault(tmp_path)
    journal = Journal.open(tmp_path, passphrase=PASS)
    journal.add_study(StudyEntry(title="备份之后才写的"))
    journal.change_passphrase("今天的新口令 today", kdf=TINY)
    journal.close()
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await unlock(pilot, "今天的新口令 today")
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BackupsModal)
        await pilot.press("down", "enter")  # the state before the entry was written
        assert isinstance(app.screen, ConfirmModal) and "仍用现在的口令打开" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        titles = [e.title for e in app.journal.study_entries()]
        assert "备份之后才写的" not in titles and len(titles) == 4
        app.shutdown()
    with pytest.raises(WrongPassphrase):
        Journal.open(tmp_path, passphrase=PASS)
    journal = Journal.open(tmp_path, passphrase="今天的新口令 today")
    from selfcheck.store.vault import Vault

    newest = journal.backups()[0]  # the records that were replaced are kept, under today's key
    journal.close()
    assert "备份之后才写的" in Vault.open(newest, passphrase="今天的新口令 today").take_plaintext().decode("utf-8")


async def test_language_switch_in_settings_keeps_the_way_back(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await pilot.press("s")
        await settle(pilot)
        app.screen.query_one("#language", Select).value = "en"
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen) and "Settings" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and "Week:" in screen_text(app)
        app.shutdown()


async def test_the_recovery_key_unlocks_from_the_unlock_screen_and_a_new_passphrase_follows(tmp_path: Path) -> None:
    """忘记口令？ ctrl+r takes the recovery key; once open, the app asks for a new passphrase
    (no current one), which then opens the vault; the recovery key keeps working."""
    known_vault(tmp_path)
    journal = Journal.open(tmp_path, passphrase=PASS)
    key = journal.set_recovery_key()
    journal.close()
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen) and "ctrl+r" in screen_text(app)
        await pilot.press("ctrl+r")
        await type_text(pilot, "0000-not-a-key")
        await pilot.press("enter")
        await settle(pilot)
        assert "恢复密钥不正确" in screen_text(app)
        await type_text(pilot, key)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChangePassphraseModal) and "设置新口令" in screen_text(app)
        await type_text(pilot, "新的口令 after recovery 2026")
        await pilot.press("enter")
        await type_text(pilot, "新的口令 after recovery 2026")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        app.shutdown()
    Journal.open(tmp_path, passphrase="新的口令 after recovery 2026").close()
    Journal.open(tmp_path, recovery_key=key).close()
    with pytest.raises(WrongPassphrase):
        Journal.open(tmp_path, passphrase=PASS)
