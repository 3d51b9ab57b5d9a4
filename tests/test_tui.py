"""Pilot tests of each TUI flow: first run, unlock, Home, walk-through, lock, language, help."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static
from tuikit import PASS, STRONG, FakeClock, app_for, known_vault, settle, type_text, unlock

from selfcheck.checklists import answer_label
from selfcheck.screens.checklist import ChecklistScreen
from selfcheck.screens.help import HelpScreen
from selfcheck.screens.home import HomeScreen
from selfcheck.screens.modals.action import ActionModal
from selfcheck.screens.modals.confirm import ConfirmModal
from selfcheck.screens.modals.note import NoteModal
from selfcheck.screens.modals.recovery import RecoveryKeyModal, RecoveryOfferModal
from selfcheck.screens.setup import SetupScreen
from selfcheck.screens.summary import SummaryScreen
from selfcheck.screens.unlock import UnlockScreen
from selfcheck.store.journal import Journal, vault_path
from selfcheck.store.lock import VaultLock
from selfcheck.store.models import ActionItem, Assessment


def screen_text(app) -> str:
    """Everything the current screen's Static widgets show."""
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


async def test_first_run_creates_the_vault_and_reaches_home(tmp_path: Path) -> None:
    app = app_for(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert "涉密不上网" in screen_text(app)
        await type_text(pilot, "短")
        await pilot.press("enter")
        await type_text(pilot, "短")
        await pilot.press("enter")
        assert "至少需要 8 个字符" in screen_text(app)
        assert not vault_path(tmp_path / "data").exists()
        # A passphrase that is easy to guess is refused; one that is only "fair" asks first.
        for field in ("#pass1", "#pass2"):
            app.screen.query_one(field, Input).value = "12345678"
        app.screen.query_one("#pass2", Input).focus()
        await pilot.press("enter")
        assert "太容易被猜到" in screen_text(app) and not vault_path(tmp_path / "data").exists()
        for field in ("#pass1", "#pass2"):
            app.screen.query_one(field, Input).value = "口令示例 abc"
        app.screen.query_one("#pass2", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal) and "一般" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert not vault_path(tmp_path / "data").exists()
        app.screen.query_one("#pass1", Input).value = ""
        app.screen.query_one("#pass1", Input).focus()
        await type_text(pilot, STRONG)
        await pilot.press("enter")
        await type_text(pilot, STRONG)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecoveryOfferModal)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        app.shutdown()
    Journal.open(tmp_path / "data", passphrase=STRONG).close()


async def test_first_run_recovery_key_must_be_confirmed(tmp_path: Path) -> None:
    app = app_for(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_text(pilot, STRONG)
        await pilot.press("enter")
        await type_text(pilot, STRONG)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, RecoveryKeyModal)
        key = modal.key
        await type_text(pilot, "WRONG123")
        await pilot.press("enter")
        assert isinstance(app.screen, RecoveryKeyModal) and "不一致" in screen_text(app)
        modal.query_one(Input).value = ""
        await type_text(pilot, key.split("-")[0].lower())
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        app.shutdown()
    Journal.open(tmp_path / "data", recovery_key=key).close()


async def test_unconfirmed_recovery_key_is_removed(tmp_path: Path) -> None:
    app = app_for(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_text(pilot, STRONG)
        await pilot.press("enter")
        await type_text(pilot, STRONG)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        key = app.screen.key
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        app.shutdown()
    journal = Journal.open(tmp_path / "data", passphrase=STRONG)
    assert not journal.has_recovery_key
    journal.close()
    with pytest.raises(Exception):
        Journal.open(tmp_path / "data", recovery_key=key)


async def test_wrong_then_right_passphrase(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        await unlock(pilot, "不对的口令")
        assert isinstance(app.screen, UnlockScreen)
        assert "口令不正确" in screen_text(app)
        assert app.screen.query_one(Input).value == ""
        await unlock(pilot)
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        assert "本周 2 次 · 135 分钟" in text and "本月 3 次 · 255 分钟" in text
        assert "上次 2026-11-20" in text and "较上次 1 项有变化" in text
        assert "已到期未完成 1 项" in text and "调查研究不够深入 [/]" in text
        app.shutdown()


async def test_vault_in_use_is_a_clear_message(tmp_path: Path) -> None:
    known_vault(tmp_path)
    lock = VaultLock(tmp_path).acquire()
    try:
        app = app_for(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await unlock(pilot)
            assert isinstance(app.screen, UnlockScreen)
            assert "另一个自省录窗口" in screen_text(app)
    finally:
        lock.release()


async def test_damaged_vault_offers_the_newest_working_backup(tmp_path: Path) -> None:
    known_vault(tmp_path)
    path = vault_path(tmp_path)
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_text(pilot, PASS)
        await pilot.press("enter")
        await settle(pilot)
        assert "损坏" in screen_text(app) and "ctrl+b" in screen_text(app)
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert "替换" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        app.shutdown()
    # The damaged file was kept, the restored one opens; the newest save (the last action) is lost
    # with the damaged file, everything before it is back.
    journal = Journal.open(tmp_path, passphrase=PASS)
    assert len(journal.study_entries()) == 4
    journal.close()


async def test_zijing_walk_through_with_note_action_quit_and_resume(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await pilot.press("3")  # 自警 directly from Home
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChecklistScreen) and screen.checklist.id == "zijing"
        assert screen.position == 0
        await pilot.press("1")
        await pilot.press("enter")
        await pilot.press("1")  # zj-02 is a 1–5 rating; 1 brings the offer, nothing is forced
        assert "是否需要为此项记录一条整改措施" in screen_text(app)
        await pilot.press("t")
        assert isinstance(app.screen, ActionModal)
        await type_text(pilot, "[bold]未及时学习[/]")
        await pilot.press("ctrl+s")
        await pilot.press("n")
        assert isinstance(app.screen, NoteModal)
        await type_text(pilot, "备注 [/] 原样")
        await pilot.press("ctrl+s")
        assert "备注 [/] 原样" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.position == 2
        await pilot.press("ctrl+q")
        await settle(pilot)

    journal = Journal.open(tmp_path, passphrase=PASS)
    draft = journal.assessments("zijing", drafts=True)[0]
    assert [(a.item_id, a.answer) for a in draft.answers] == [("zj-01", "yes"), ("zj-02", 1)]
    assert draft.answers[1].note == "备注 [/] 原样"
    action = next(a for a in journal.actions() if a.source)
    assert action.problem == "[bold]未及时学习[/]"
    assert action.source == {"assessment": draft.id, "item": "zj-02"}
    journal.close()

    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        assert "草稿 2/" in screen_text(app)
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        assert screen.assessment.id == draft.id and screen.position == 2  # resumes at the first unanswered
        total = len(screen.checklist.items)
        for _ in range(total - 2):
            await pilot.press("2")
            await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "不构成组织评价" in text
        before, after = answer_label("rating", 4), answer_label("rating", 1)
        assert f"上次「{before}」，本次「{after}」" in text  # zj-02 changed since 2026-11-20
        assert "本次记下的整改措施：1 项" in text and "[bold]未及时学习[/]" in text
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        app.shutdown()

    journal = Journal.open(tmp_path, passphrase=PASS)
    done = journal.get(Assessment, draft.id)
    assert done.completed is not None and len(done.answers) == total
    assert not journal.assessments("zijing", drafts=True)
    journal.close()


async def test_finishing_with_unanswered_items_asks_first(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await pilot.press("1")
        await settle(pilot)
        screen = app.screen
        await pilot.press("1")
        for _ in range(len(screen.checklist.items)):
            await pilot.press("right")
        assert "项未作答" in screen_text(app)
        await pilot.press("n")
        assert app.screen is screen and screen.position == 1
        app.shutdown()


async def test_lock_drops_the_data_and_unlock_brings_it_back(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        journal = app.journal
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen) and app.journal is None
        with pytest.raises(Exception):
            journal.study_entries()  # the key and the data are gone from the journal
        assert app.session.holds_vault  # the process keeps the vault
        await unlock(pilot)
        assert isinstance(app.screen, HomeScreen)
        app.shutdown()


async def test_idle_auto_lock_with_a_fake_clock(tmp_path: Path) -> None:
    known_vault(tmp_path)
    clock = FakeClock()
    app = app_for(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        clock.now += 4 * 60
        app.lock_if_idle()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("1")  # activity resets the timer
        await settle(pilot)
        clock.now += 4 * 60
        app.lock_if_idle()
        assert isinstance(app.screen, ChecklistScreen)
        clock.now += 60
        app.lock_if_idle()
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen) and app.journal is None
        app.shutdown()


async def test_auto_lock_keeps_an_open_note(tmp_path: Path) -> None:
    known_vault(tmp_path)
    clock = FakeClock()
    app = app_for(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("n")
        await type_text(pilot, "写了一半")
        clock.now += 10 * 60
        app.lock_if_idle()
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        app.shutdown()
    journal = Journal.open(tmp_path, passphrase=PASS)
    assert journal.assessments("zixing", drafts=True)[0].answers[0].note == "写了一半"
    journal.close()


async def test_language_switch_rebuilds_and_is_remembered(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path, lang=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        assert "本周" in screen_text(app)
        app.action_toggle_language()
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Week: 2 · 135 min" in screen_text(app)
        app.shutdown()
    journal = Journal.open(tmp_path, passphrase=PASS)
    assert journal.settings().language == "en"
    journal.close()
    app = app_for(tmp_path, lang=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        assert "Week:" in screen_text(app)  # the vault's setting applies after unlock
        app.shutdown()


async def test_help_lists_the_keys_in_the_users_language(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "自我检视" in text and "锁定" in text and "ctrl+p" in text
        assert "Focus" not in text
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        app.shutdown()


async def test_palette_offers_the_apps_commands(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles[0] == "锁定" and "退出" in titles  # the sections: tests/test_keymap_palette.py
        app.shutdown()


async def test_user_text_is_shown_verbatim_on_home(tmp_path: Path) -> None:
    known_vault(tmp_path)
    journal = Journal.open(tmp_path, passphrase=PASS)
    journal.add_action(ActionItem(problem="[bold]x[/] 与 [/] 和 [red]", due="2026-01-01"))
    journal.close()
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        assert "[bold]x[/] 与 [/] 和 [red]" in screen_text(app)
        app.shutdown()
