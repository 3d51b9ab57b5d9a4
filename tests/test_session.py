"""The shell: the app never freezes, and nothing the user typed is lost.

Each test here is one failure seen on 0.1 (issue 8): a save then a lock or quit at once, a save
the disk refused, a language switch or an auto-lock with an editor or dialog open, a restore while
the idle timer runs, a path with markup characters in a notification, a record from a later version.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

from textual.widgets import Input, TextArea
from textual.widgets._toast import Toast
from tuikit import PASS, TINY, FakeClock, app_for, known_vault, settle, type_text, unlock

from selfcheck.screens.actions import ActionsScreen
from selfcheck.screens.checklist import ChecklistScreen
from selfcheck.screens.entry import EntryScreen
from selfcheck.screens.home import HomeScreen
from selfcheck.screens.modals.action import ActionModal
from selfcheck.screens.modals.action_edit import ActionEditModal
from selfcheck.screens.modals.refused import KeptPassphraseModal, RefusedSaveModal
from selfcheck.screens.unlock import UnlockScreen
from selfcheck.session import Saved, SaveFailed, Session
from selfcheck.store import kept
from selfcheck.store.journal import Journal, vault_path
from selfcheck.store.models import ActionItem, Assessment, StudyEntry


def titles(data_dir: Path, passphrase: str = PASS) -> list[str]:
    """Study titles in the vault on disk."""
    journal = Journal.open(data_dir, passphrase=passphrase)
    try:
        return [e.title for e in journal.study_entries()]
    finally:
        journal.close()


async def open_new_entry(pilot) -> None:
    """Home → diary → new entry."""
    await pilot.press("d")
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, EntryScreen)


def other_program_adds(data_dir: Path, title: str, tmp: Path) -> None:
    """Another program (a sync tool bringing a change from elsewhere) replaces the vault file with
    a version holding one more entry: same vault, same key, a different file."""
    elsewhere = tmp / "elsewhere"
    elsewhere.mkdir()
    shutil.copy2(vault_path(data_dir), vault_path(elsewhere))
    journal = Journal.open(elsewhere, passphrase=PASS)
    journal.add_study(StudyEntry(date="2026-11-20", title=title))
    journal.close()
    shutil.copyfile(vault_path(elsewhere), vault_path(data_dir))


# ------------------------------------------------------------------ save, then lock or quit at once


async def test_ctrl_s_then_ctrl_l_at_once_saves_then_locks(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await open_new_entry(pilot)
        await type_text(pilot, "The quick brown fox")
        await pilot.press("ctrl+s", "ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen) and app.journal is None
        app.shutdown()
    found = titles(tmp_path)
    assert found.count("The quick brown fox") == 1  # saved once, not cut off, not twice


async def test_ctrl_s_then_ctrl_q_at_once_saves_then_quits(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await open_new_entry(pilot)
        await type_text(pilot, "quit at once")
        await pilot.press("ctrl+s", "ctrl+q")
        await settle(pilot)
    assert app._shut_down  # noqa: SLF001 - the app closed the vault on its way out
    assert titles(tmp_path).count("quit at once") == 1


async def test_ctrl_s_then_ctrl_q_in_the_rectification_editor(tmp_path: Path) -> None:
    """The list's reload after the save must not run against a vault the quit has closed."""
    known_vault(tmp_path)
    app = app_for(tmp_path)
    report = app.session.report

    def late(event: object) -> None:  # the report of a save reaches the loop after the close
        if isinstance(event, Saved):
            threading.Timer(0.5, report, (event,)).start()
        else:
            report(event)

    app.session.report = late
    exits: list[object] = []
    real_exit = app.exit
    app.exit = lambda *args, **kwargs: exits.append(args)  # type: ignore[method-assign]  # stay up
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "[bold]problem[/] and [/]")
        await pilot.press("ctrl+s", "ctrl+q")
        await settle(pilot)
        while not exits:  # the quit closed the vault and asked to exit
            await pilot.pause(0.05)
        await pilot.pause(0.8)  # meanwhile the save's report arrives
        assert app.session.journal is None and app.is_running
        real_exit()
    assert app._exception is None  # noqa: SLF001 - no "internal error" on the way out
    journal = Journal.open(tmp_path, passphrase=PASS)
    assert "[bold]problem[/] and [/]" in [a.problem for a in journal.actions()]
    journal.close()


async def test_lock_keeps_an_entry_with_a_bad_date_and_no_title(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await open_new_entry(pilot)
        app.screen.query_one("#date", Input).value = "2026-13-45"
        app.screen.query_one("#notes", TextArea).load_text("心得第一行\n第二行")
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        await unlock(pilot)
        assert "心得第一行" in str(list(app._notifications)[-1].message)  # says where the draft went
        app.shutdown()
    journal = Journal.open(tmp_path, passphrase=PASS)
    entry = next(e for e in journal.study_entries() if e.title == "心得第一行")
    assert entry.notes == "心得第一行\n第二行" and entry.date == "2026-11-27"
    journal.close()


# ------------------------------------------------------------------ refused saves


async def refuse_a_save(pilot, tmp_path: Path, title: str) -> None:
    """Type an entry, let another program replace the vault, press ctrl+s: the save is refused."""
    app = pilot.app
    await open_new_entry(pilot)
    await type_text(pilot, title)
    other_program_adds(tmp_path, "来自另一台电脑", tmp_path)
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert isinstance(app.screen, RefusedSaveModal)
    assert app.session.kept  # the change is kept …
    assert kept.kept_files(tmp_path)  # … and sealed on disk (a crash would not lose it)
    assert title.encode() not in kept.kept_files(tmp_path)[0].read_bytes()  # encrypted


async def test_refused_save_then_lock_keeps_the_change_and_unlock_merges_it(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await refuse_a_save(pilot, tmp_path, "refused then locked")
        await pilot.press("escape")  # decide later
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        await unlock(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert any("合并" in str(n.message) for n in app._notifications)
        app.shutdown()
    found = titles(tmp_path)
    assert "refused then locked" in found and "来自另一台电脑" in found
    assert not kept.kept_files(tmp_path)


async def test_refused_save_then_quit_keeps_the_change_for_the_next_unlock(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await refuse_a_save(pilot, tmp_path, "refused then quit")
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert app._shut_down and kept.kept_files(tmp_path)  # noqa: SLF001
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        app.shutdown()
    found = titles(tmp_path)
    assert "refused then quit" in found and "来自另一台电脑" in found


async def test_refused_save_then_auto_lock(tmp_path: Path) -> None:
    known_vault(tmp_path)
    clock = FakeClock()
    app = app_for(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await refuse_a_save(pilot, tmp_path, "refused then idle")
        clock.now += 10 * 60
        app.lock_if_idle()
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        await unlock(pilot)
        app.shutdown()
    assert "refused then idle" in titles(tmp_path)


async def test_kept_change_merged_onto_the_file_now_on_disk(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await refuse_a_save(pilot, tmp_path, "merged at once")
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.journal is not None
        assert {"merged at once", "来自另一台电脑"} <= {e.title for e in app.journal.study_entries()}
        # The session follows the file on disk now: the next save lands.
        app.save(lambda j: j.add_study(StudyEntry(date="2026-11-27", title="after the merge")))
        await settle(pilot)
        app.shutdown()
    found = titles(tmp_path)
    assert {"merged at once", "来自另一台电脑", "after the merge"} <= set(found)


async def test_kept_change_saved_as_a_separate_copy(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await refuse_a_save(pilot, tmp_path, "in the copy")
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        copies = sorted((tmp_path / kept.KEPT_DIR).glob("copy-*.scv"))
        assert len(copies) == 1 and str(copies[0]) in str(list(app._notifications)[-1].message)
        assert app.session.restorable()[0] == copies[0]  # Settings → restore offers it first
        app.shutdown()
    assert "in the copy" not in titles(tmp_path)  # the file on disk is left as the other program made it
    copy_dir = tmp_path / "copy"
    copy_dir.mkdir()
    shutil.copyfile(copies[0], vault_path(copy_dir))
    assert "in the copy" in titles(copy_dir)  # the copy opens with the same passphrase


async def test_kept_change_waits_for_the_passphrase_when_the_key_changed(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await open_new_entry(pilot)
        await type_text(pilot, "across keys")
        other = tmp_path / "other"
        Journal.create(other, "another passphrase", kdf=TINY).close()
        shutil.copyfile(vault_path(other), vault_path(tmp_path))
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        await unlock(pilot, "another passphrase")
        # The kept change is sealed under the passphrase it was typed with: asked for once.
        assert isinstance(app.screen, KeptPassphraseModal)
        await type_text(pilot, "wrong one")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and kept.kept_files(tmp_path)  # still kept
        app.shutdown()
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot, "another passphrase")
        assert isinstance(app.screen, KeptPassphraseModal)  # asked again at the next unlock
        await type_text(pilot, PASS)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and not kept.kept_files(tmp_path)
        app.shutdown()
    assert titles(tmp_path, "another passphrase") == ["across keys"]


# ------------------------------------------------------------------ language switch, auto-lock


async def test_language_switch_keeps_an_open_editor(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path, lang=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await open_new_entry(pilot)
        await type_text(pilot, "half typed")
        app.screen.query_one("#notes", TextArea).load_text("未写完的心得")
        app.action_toggle_language()
        await settle(pilot)
        assert isinstance(app.screen, EntryScreen) and app.tr.lang == "en"
        assert app.screen.query_one("#title", Input).value == "half typed"
        assert app.screen.query_one("#notes", TextArea).text == "未写完的心得"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")  # the diary, then Home: the way back survived
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        app.shutdown()
    assert "half typed" in titles(tmp_path)


async def test_language_switch_keeps_an_open_dialog(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path, lang=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ActionEditModal)
        await type_text(pilot, "half a problem")
        app.action_toggle_language()
        await settle(pilot)
        assert isinstance(app.screen, ActionEditModal)
        assert isinstance(app.screen_stack[-2], ActionsScreen)
        assert app.screen.query_one("#problem", TextArea).text == "half a problem"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ActionsScreen)
        app.shutdown()
    journal = Journal.open(tmp_path, passphrase=PASS)
    assert "half a problem" in [a.problem for a in journal.actions()]
    journal.close()


async def test_auto_lock_keeps_the_action_dialog_with_due_date_and_kind(tmp_path: Path) -> None:
    known_vault(tmp_path)
    clock = FakeClock()
    app = app_for(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
        await pilot.press("t")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ActionModal)
        dialog.query_one("#problem", TextArea).load_text("调研不够")
        dialog.query_one("#measure", TextArea).load_text("每月下基层一次")
        dialog.query_one("#due", Input).value = "2027-01-31"
        dialog.query_one("#ongoing").value = True
        await pilot.pause()
        clock.now += 10 * 60
        app.lock_if_idle()
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        app.shutdown()
    journal = Journal.open(tmp_path, passphrase=PASS)
    item = next(a for a in journal.actions() if a.problem == "调研不够")
    assert (item.measure, item.due, item.kind) == ("每月下基层一次", "2027-01-31", "ongoing")
    journal.close()


# ------------------------------------------------------------------ restore, notify, later versions


def hold_restores(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """Make restoring a backup wait (as reading a large copy does): returns the event set when a
    restore starts and the one that lets it go on."""
    from selfcheck.store.journal import Journal

    started, release = threading.Event(), threading.Event()
    real_restore = Journal.restore_records

    def slow_restore(self, *args, **kwargs):
        started.set()
        release.wait(10)
        return real_restore(self, *args, **kwargs)

    monkeypatch.setattr(Journal, "restore_records", slow_restore)
    return started, release


async def until(pilot, event: threading.Event, seconds: float = 10) -> None:
    """Wait (pumping the app) until ``event`` is set; fail instead of hanging."""
    for _ in range(int(seconds / 0.01)):
        if event.is_set():
            return
        await pilot.pause(0.01)
    raise AssertionError("the restore never started")


async def unlock_with_a_backup(pilot) -> None:
    """Unlock, then save once so that a backup exists."""
    await pilot.pause()
    await unlock(pilot)
    pilot.app.save(lambda j: j.add_study(StudyEntry(date="2026-11-27", title="makes a backup")))
    await settle(pilot)


async def test_restore_from_settings_while_the_idle_timer_runs(tmp_path: Path, monkeypatch) -> None:
    known_vault(tmp_path)
    started, release = hold_restores(monkeypatch)
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await unlock_with_a_backup(pilot)
        source = app.session.backups()[0]
        app.run_worker(lambda: app.session.restore_backup(source, PASS), thread=True)
        await until(pilot, started)
        app.lock_if_idle()  # what the 5-second timer does; it used to read the closed journal
        await pilot.pause()
        release.set()
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.journal is not None
        assert app.is_running
        app.shutdown()


async def test_notifications_show_paths_verbatim(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for path in ("~/exports/[x]/a.docx", "a[/]b.docx"):
            app.notify(app.tr("session.copy_saved", path=path))  # as the session's reports are
            app.screen.notify(app.tr("export.written", path=path))  # as a screen's are
            await pilot.pause()
            for notification in list(app._notifications)[-2:]:  # noqa: SLF001
                shown = Toast(notification).render().plain  # what the toast paints
                assert path in shown, shown
        app.shutdown()


def test_records_from_a_later_version_load_and_save_back_unchanged() -> None:
    doc = Assessment(checklist_id="zizhong").to_doc()
    doc["answers"] = [{"item_id": "zz-01", "prompt": "p", "answer": "yes", "note": "", "confidence": 3}]
    doc["mood"] = "calm"
    assessment = Assessment.from_doc(doc)
    assert assessment.answers[0].answer == "yes"
    assert assessment.to_doc() == doc
    action = ActionItem(problem="p").to_doc()
    action["progress"] = [{"date": "2026-01-01", "note": "n", "evidence": ["a"]}]
    item = ActionItem.from_doc(action)
    assert item.progress[0].note == "n" and item.to_doc() == action


def test_kept_changes_merge_by_id() -> None:
    old = {"study": {"1": {"id": "a", "title": "A"}, "2": {"id": "b", "title": "B"}}}
    new = {"study": {"1": {"id": "a", "title": "A2"}, "3": {"id": "c", "title": "C"}}}
    changes = kept.diff_tables(old, new)
    assert changes == {"study": {"a": {"id": "a", "title": "A2"}, "c": {"id": "c", "title": "C"}, "b": None}}
    disk = {"study": {"7": {"id": "b", "title": "B"}, "8": {"id": "z", "title": "from elsewhere"}}}
    assert kept.apply(disk, changes)
    assert sorted(d["title"] for d in disk["study"].values()) == ["A2", "C", "from elsewhere"]
    assert not kept.apply(disk, changes)  # laying it again changes nothing


# ------------------------------------------------------------------ races found in review


async def test_lock_pressed_during_a_merge_keeps_the_unlock_screen(tmp_path: Path, monkeypatch) -> None:
    """ctrl+l while a merge runs: the lock wins, the merge's report does not reopen Home."""
    known_vault(tmp_path)
    started = threading.Event()
    real = Journal.reopen_from_disk

    def slow_reopen(self: Journal) -> Journal:  # a slow disk
        started.set()
        time.sleep(0.3)
        return real(self)

    monkeypatch.setattr(Journal, "reopen_from_disk", slow_reopen)
    clock = FakeClock()
    app = app_for(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await refuse_a_save(pilot, tmp_path, "merged, then locked")
        await pilot.press("a")
        await until(pilot, started)
        await pilot.press("ctrl+l")
        await settle(pilot)
        await pilot.pause(0.4)
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen) and app.journal is None
        await unlock(pilot)
        assert isinstance(app.screen, HomeScreen)
        clock.now += 3600
        app.lock_if_idle()  # locking still works afterwards
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        app.shutdown()
    assert {"merged, then locked", "来自另一台电脑"} <= set(titles(tmp_path))


async def test_keys_during_a_restore_wait(tmp_path: Path, monkeypatch) -> None:
    """Restore from Settings → backups: while the vault is replaced, escape does not reach the
    screens whose data is gone."""
    known_vault(tmp_path)
    from selfcheck.screens.modals.backups import BackupsModal

    started, release = hold_restores(monkeypatch)
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await unlock_with_a_backup(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BackupsModal)
        await pilot.press("enter", "y")
        await settle(pilot)
        await until(pilot, started)  # today's key opens the backup: no passphrase asked
        await pilot.press("escape", "escape")
        await pilot.pause(0.2)
        release.set()
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, HomeScreen) and app.journal is not None
        app.shutdown()


async def test_a_new_entry_saved_twice_stays_one_entry(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await refuse_a_save(pilot, tmp_path, "first")
        await pilot.press("escape")  # decide later; the editor is still open
        await type_text(pilot, " and more")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await pilot.press("ctrl+l")
        await settle(pilot)
        await unlock(pilot)
        app.shutdown()
    found = titles(tmp_path)
    assert found.count("first and more") == 1 and "first" not in found, found


async def test_kept_changes_leave_memory_at_lock(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await refuse_a_save(pilot, tmp_path, "secret words")
        await pilot.press("escape", "ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen) and kept.kept_files(tmp_path)
        assert "secret words" not in repr(app.session.kept)  # only the sealed file holds them
        app.shutdown()


def test_a_save_after_close_is_reported_and_flush_returns(tmp_path: Path) -> None:
    known_vault(tmp_path)
    events: list[object] = []
    session = Session(tmp_path, kdf=TINY, report=events.append)
    session.unlock(PASS)
    gate = threading.Event()
    session.save(lambda j: gate.wait(5))  # a save still running (a slow disk)
    closer = threading.Thread(target=session.close, kwargs={"timeout": 0.2})
    closer.start()
    time.sleep(0.4)
    late = session.save(lambda j: "late")  # ctrl+s while the quit runs
    gate.set()
    closer.join()
    assert session.flush(2.0)
    assert any(isinstance(e, SaveFailed) and e.ticket == late for e in events)
