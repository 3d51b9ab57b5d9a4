"""Pilot tests of 会前准备 (m): a member prepares for the meeting step by step, and the export
holds their words verbatim; the flow resumes where it was left, and keeps typing over a lock."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select, Static, TextArea
from tuikit import PASS, TINY, app_for, known_vault, settle, type_text, unlock

from selfcheck.screens.export import ExportScreen
from selfcheck.screens.home import HomeScreen
from selfcheck.screens.meeting import MeetingScreen
from selfcheck.store.journal import Journal
from selfcheck.store.models import Measure, Meeting, Problem

PROBLEM = "理论学习 [bold]不系统[/] *x*"
EXAMPLE = "三月 [red]没读完[/] 规定篇目"
CAUSE = "重视不够 [/]"
MEASURE = "每周自学 #2 小时"
CARRIED = "[bold]已落实[/] 按月回顾"


def last_years_meeting(data_dir: Path) -> str:
    """Last year's meeting with one problem raised (its measure is on the rectification list)."""
    journal = Journal.open(data_dir, passphrase=PASS)
    try:
        meeting = journal.save_meeting(Meeting(year=2025, date="2026-02-20", aspects=["理论学习方面"], problems=[
            Problem(aspect="理论学习方面", text="去年的问题 [i]", measures=[Measure(text="去年的措施", due="2026-06-30")])]))
        journal.finish_meeting(meeting)
        return journal.actions()[0].id
    finally:
        journal.close()


async def open_prep(pilot) -> MeetingScreen:
    await unlock(pilot)
    await pilot.press("m")
    await settle(pilot)
    assert isinstance(pilot.app.screen, MeetingScreen)
    return pilot.app.screen


async def write(pilot, widget_id: str, text: str) -> None:
    pilot.app.screen.query_one(f"#{widget_id}").focus()
    await type_text(pilot, text)


async def test_a_meeting_prepared_in_the_tui_exports_the_users_words_verbatim(tmp_path: Path) -> None:
    known_vault(tmp_path)
    carried_id = last_years_meeting(tmp_path)
    target = tmp_path / "out" / "提纲.txt"
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.pause()
        screen = await open_prep(pilot)
        # 1. 年度 (today is 2026-11-27: this year) and the meeting date.
        assert screen.query_one("#year", Input).value == "2026"
        assert screen.query_one("#aspects", TextArea).text.splitlines() == ["理论学习方面"]  # last year's
        await write(pilot, "date", "2027-02-20")
        await pilot.press("ctrl+n")
        await settle(pilot)
        # 2. 上年度整改: exactly last year's item, with the user's 落实情况.
        assert "去年的问题 [i]" in str(screen.query_one(".prep-item", Static).render())
        await write(pilot, f"carried-{carried_id}", CARRIED)
        await pilot.press("ctrl+n")
        await settle(pilot)
        # 3. 查摆问题: the open items of the year are references; the user writes the problem.
        await pilot.press("ctrl+o")
        await settle(pilot)
        await write(pilot, "text-0", PROBLEM)
        await write(pilot, "example-0", EXAMPLE)
        screen.query_one("#aspect-0", Select).value = "理论学习方面"
        await pilot.press("ctrl+n")
        await settle(pilot)
        # 4. 原因剖析 for this problem.
        await write(pilot, "cause-0", CAUSE)
        await pilot.press("ctrl+n")
        await settle(pilot)
        # 5. 整改措施: a due date before the meeting is refused, then one after it.
        await write(pilot, "measure-0-0", MEASURE)
        await write(pilot, "due-0-0", "2027-01-31")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.step == "measures" and "之后" in str(screen.query_one("#prep-message", Static).render())
        screen.query_one("#due-0-0", Input).value = "2027-06-30"
        await pilot.press("ctrl+n")
        await settle(pilot)
        preview = str(screen.query_one("#prep-preview", Static).render())
        for text in (PROBLEM, EXAMPLE, CAUSE, MEASURE, CARRIED, "（2027年2月20日）"):
            assert text in preview, text
        # 6. Finish: the measure goes on the rectification list, raised at this meeting; the export opens.
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        export_screen = app.screen
        text = export_screen.query_one("#text", TextArea).text
        assert "关于2026年度组织生活会个人对照检查材料" in text
        for wanted in (PROBLEM, EXAMPLE, CAUSE, MEASURE, CARRIED):
            assert wanted in text, wanted
        raised = [a for a in app.journal.actions() if a.measure == MEASURE]
        assert len(raised) == 1 and raised[0].origin == {"kind": "meeting", "id": screen.meeting.id}
        export_screen.query_one("#format", Select).value = "txt"
        await settle(pilot)
        export_screen.query_one("#destination", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        written = target.read_text(encoding="utf-8")
        for wanted in (PROBLEM, EXAMPLE, CAUSE, MEASURE, CARRIED):
            assert wanted in written, wanted
        app.shutdown()


async def test_the_preparation_resumes_where_it_was_left_and_keeps_typing_over_a_lock(tmp_path: Path) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_prep(pilot)
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+o")
        await settle(pilot)
        await write(pilot, "text-0", PROBLEM)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "2026年度组织生活会" in str(app.screen.query_one("#home-hint", Static).render())
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MeetingScreen) and screen.step == "problems"
        assert screen.query_one("#text-0", TextArea).text == PROBLEM
        await write(pilot, "example-0", EXAMPLE)
        await pilot.press("ctrl+l")
        await settle(pilot)
        await unlock(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert app.screen.query_one("#example-0", TextArea).text == EXAMPLE
        app.shutdown()
    journal = Journal.open(tmp_path, passphrase=PASS)
    try:
        saved = journal.meeting_for(2026)
        assert saved is not None and saved.problems[0].text == PROBLEM and saved.problems[0].example == EXAMPLE
    finally:
        journal.close()


async def test_a_first_meeting_with_an_empty_year_works_with_placeholders(tmp_path: Path) -> None:
    Journal.create(tmp_path, PASS, kdf=TINY).close()
    app = app_for(tmp_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_prep(pilot)
        for _ in range(5):
            await pilot.press("ctrl+n")
            await settle(pilot)
        assert screen.step == "preview"
        preview = str(screen.query_one("#prep-preview", Static).render())
        assert "[To fill in:" in preview and "no record of last year's meeting" in preview
        app.shutdown()


async def test_enter_on_a_reference_starts_a_linked_problem_the_user_writes(tmp_path: Path) -> None:
    """The reference is not pasted: the new problem is empty and has the cursor; ctrl+t pastes
    only the user's own words (here the note of a talk), and they stay editable."""
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_prep(pilot)
        await pilot.press("ctrl+n", "ctrl+n")
        await settle(pilot)
        assert screen.step == "problems" and app.focused is not None and app.focused.id == "candidates"
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "text-0"
        await type_text(pilot, PROBLEM)
        await pilot.press("ctrl+n")
        await settle(pilot)
        saved = app.journal.meeting_for(2026)
        assert saved is not None and saved.problems[0].text == PROBLEM and saved.problems[0].links
        app.shutdown()


async def test_a_reflection_marked_in_the_diary_is_a_reference_for_the_problems(tmp_path: Path) -> None:
    from selfcheck.screens.diary import DiaryScreen
    from selfcheck.store.models import StudyEntry

    known_vault(tmp_path)
    journal = Journal.open(tmp_path, passphrase=PASS)
    try:
        entry = journal.add_study(StudyEntry(date="2026-11-26", title="党章 [b]", notes="我联系群众 [bold]不够[/]",
                                             created="2026-11-26T09:00:00Z"))
    finally:
        journal.close()
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DiaryScreen) and app.screen.current.id == entry.id
        await pilot.press("m")
        await settle(pilot)
        assert app.journal.get(StudyEntry, entry.id).marked
        assert app.screen.current.marked
        await pilot.press("escape")
        await settle(pilot)
        screen = await open_prep_here(pilot)
        await pilot.press("ctrl+n", "ctrl+n")
        await settle(pilot)
        assert any(c.own_words == "我联系群众 [bold]不够[/]" for c in screen.candidates)
        # ctrl+t pastes the user's own words into the problem, editable.
        options = screen.query_one("#candidates")
        options.highlighted = next(i for i, c in enumerate(screen.candidates) if c.link.get("id") == entry.id)
        await pilot.press("ctrl+o")
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert screen.query_one("#text-0", TextArea).text == "我联系群众 [bold]不够[/]"
        app.shutdown()


async def open_prep_here(pilot) -> MeetingScreen:
    await pilot.press("m")
    await settle(pilot)
    assert isinstance(pilot.app.screen, MeetingScreen)
    return pilot.app.screen


async def test_review_findings_removing_switching_language_and_odd_input(tmp_path: Path) -> None:
    """f8 removes the focused problem and keeps the other's words; a language switch keeps what
    was typed; an opinion written twice is one reference; a 年度 in superscript digits is refused."""
    known_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_prep(pilot)
        await write(pilot, "opinions", "学习不够深入")
        await pilot.press("enter")
        await type_text(pilot, "学习不够深入")
        screen.query_one("#year", Input).value = "²⁰²⁶"
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.step == "setup" and "四位数字" in str(screen.query_one("#prep-message", Static).render())
        screen.query_one("#year", Input).value = "2026"
        await pilot.press("ctrl+n", "ctrl+n")
        await settle(pilot)
        assert sum(c.own_words == "学习不够深入" for c in screen.candidates) == 1
        for i, text in enumerate(["AAA", "BBB", "CCC"]):
            await pilot.press("ctrl+o")
            await settle(pilot)
            await write(pilot, f"text-{i}", text)
        screen.query_one("#text-1", TextArea).focus()
        await pilot.press("f8", "y")
        await settle(pilot)
        assert [screen.query_one(f"#text-{i}", TextArea).text for i in range(2)] == ["AAA", "CCC"]
        await write(pilot, "example-1", "DDD")
        app.action_toggle_language()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MeetingScreen) and screen.query_one("#example-1", TextArea).text == "DDD"
        await pilot.press("escape")
        await settle(pilot)
        saved = app.journal.meeting_for(2026)
        assert saved is not None and [(p.text, p.example) for p in saved.problems] == [("AAA", ""), ("CCC", "DDD")]
        app.shutdown()


async def test_a_year_changed_to_one_already_prepared_keeps_both(tmp_path: Path) -> None:
    known_vault(tmp_path)
    last_years_meeting(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_prep(pilot)
        await write(pilot, "study-note", "会前学习了党章")
        screen.query_one("#year", Input).value = "2025"
        await pilot.press("escape")  # leaving keeps this year's preparation under its own year
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MeetingScreen) and screen.meeting.year == 2026
        screen.query_one("#year", Input).value = "2025"
        await pilot.press("ctrl+n")  # the next step opens 2025's
        await settle(pilot)
        assert screen.meeting.year == 2025
        app.shutdown()
    journal = Journal.open(tmp_path, passphrase=PASS)
    try:
        years = sorted(m.year for m in journal.meetings())
        assert years == [2025, 2026] and journal.meeting_for(2026).study_note == "会前学习了党章"
        assert len(journal.meeting_for(2025).problems) == 1
    finally:
        journal.close()
