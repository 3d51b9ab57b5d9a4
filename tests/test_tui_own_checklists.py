"""The user's own checklists and 每日三省 beside the four: on Home, in the picker, walked, saved, in
history and in the export's self-check references; a broken file is named and skipped."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from textual.widgets import Static
from tuikit import PASS, TINY, app_for, known_app, known_vault, settle, unlocked

from selfcheck.screens.checklist import ChecklistScreen
from selfcheck.screens.history import HistoryScreen
from selfcheck.screens.home import HomeScreen
from selfcheck.screens.modals.pick import PickChecklistModal
from selfcheck.screens.summary import SummaryScreen
from selfcheck.store import paths
from selfcheck.store.journal import Journal

OWN = textwrap.dedent(
    """
    id = "mine"
    version = 1

    [title]
    zh = "科室自查 [bold]"
    en = "Office check [bold]"

    [summary]
    zh = "科室自己定的检视条目。"
    en = "Items our office set itself."

    [[items]]
    id = "m-01"
    type = "yn"
    discipline = "作风"
    [items.text]
    zh = "本周的来文我都在当天登记了。"
    en = "I logged this week's incoming documents on the day they came."
    [items.hint]
    zh = "翻一翻收文登记簿。"
    en = "Look through the register."

    [[items]]
    id = "m-02"
    type = "rating"
    discipline = "本领"
    [items.text]
    zh = "我起草的材料一次通过。"
    en = "The drafts I wrote passed the first time."
    [items.hint]
    zh = "想一想退回修改的次数。"
    en = "Think of how often a draft came back."
    """
)


def screen_text(app) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config" / "checklists"
    folder.mkdir(parents=True)
    monkeypatch.setattr(paths, "config_dir", lambda: tmp_path / "config")
    return folder


async def test_an_own_checklist_is_walked_saved_and_shown_in_history(tmp_path: Path, config: Path) -> None:
    (config / "mine.toml").write_text(OWN, encoding="utf-8")
    broken = config / "broken.toml"
    broken.write_text('id = "oops"\nversion = [\n', encoding="utf-8")
    data = tmp_path / "data"
    app = known_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlocked(pilot)
        assert isinstance(app.screen, HomeScreen)
        home = screen_text(app)
        assert "6 每日三省" in home and "7 科室自查 [bold]" in home  # verbatim, markup and all
        assert any(str(broken) in str(n.message) for n in app._notifications)  # named and skipped

        await pilot.press("a")  # the picker lists all of them
        await settle(pilot)
        assert isinstance(app.screen, PickChecklistModal)
        await pilot.press("7")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChecklistScreen) and screen.checklist.id == "mine"
        await pilot.press("1")
        await pilot.press("enter")
        await pilot.press("4")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert "7 科室自查 [bold]  上次 2026-" in screen_text(app)

        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("6")  # the tabs: the four, 每日三省, then the user's own
        await settle(pilot)
        assert app.screen.checklist_id == "mine"
        await pilot.press("ctrl+q")
        await settle(pilot)

    journal = Journal.open(data, passphrase=PASS)
    try:
        done = journal.assessments("mine")
        assert len(done) == 1 and [(a.item_id, a.answer) for a in done[0].answers] == [("m-01", "yes"), ("m-02", 4)]
    finally:
        journal.close()


async def test_sanxing_from_home_in_three_answers(tmp_path: Path, config: Path) -> None:
    data = tmp_path / "data"
    app = known_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlocked(pilot)
        await pilot.press("6")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen) and app.screen.checklist.id == "sanxing"
        for _ in range(3):
            await pilot.press("1")
            await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "连续" not in text and "天" not in text.replace("今天", "")  # no streaks, no days missed
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("9")  # no such list: said, nothing happens
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert any("9" in str(n.message) for n in app._notifications)


def test_answers_to_retired_items_are_listed_after_the_current_ones_and_marked() -> None:
    from selfcheck.analysis.trends import compare, rows_of
    from selfcheck.checklists import load_builtin
    from selfcheck.store.models import Answer, Assessment

    checklist = load_builtin()[2]
    current = checklist.items[0].id
    old = Assessment(checklist_id=checklist.id, answers=[Answer(current, "p", "yes"), Answer("zj-old-99", "旧条目", "no")])
    new = Assessment(checklist_id=checklist.id, answers=[Answer(current, "p", "yes")])
    rows = rows_of(old, checklist, "zh")
    assert [r.retired for r in rows] == [False] * len(checklist.items) + [True]
    assert rows[-1].item_id == "zj-old-99" and rows[-1].prompt == "旧条目"
    compared = compare(old, new, checklist, "zh")
    assert compared[-1].retired and compared[-1].after is None and not any(c.retired for c in compared[:-1])


async def test_history_shows_a_retired_items_answer_as_retired(tmp_path: Path, config: Path) -> None:
    from textual.widgets import DataTable

    from selfcheck.screens.assessment_view import AssessmentViewScreen
    from selfcheck.store.models import Answer, Assessment

    data = tmp_path / "data"
    known_vault(data)
    journal = Journal.open(data, passphrase=PASS)
    old = journal.save_assessment(
        Assessment(
            checklist_id="zijing", started="2025-01-01T08:00:00Z", completed="2025-01-01T08:30:00Z",
            answers=[Answer("zj-old-99", "一条后来停用的检视项 [b]", "no")],
        )
    )
    journal.close()
    app = app_for(data)
    async with app.run_test(size=(100, 30)) as pilot:
        await unlocked(pilot)
        app.push_screen(AssessmentViewScreen(old.id))
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        last = [str(c) for c in table.get_row_at(table.row_count - 1)]
        assert last[1] == "（已停用的检视项）一条后来停用的检视项 [b]"
        assert table.row_count == len(app.checklist("zijing").items) + 1


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [80, 60])
async def test_the_classified_notice_is_never_cut(tmp_path: Path, config: Path, lang: str, width: int) -> None:
    """The diary's warning shows whole: on one line at 80 columns, wrapped (not cut) when narrower."""
    from rich.cells import cell_len

    from selfcheck.i18n import translate
    from selfcheck.screens.diary import DiaryScreen

    data = tmp_path / "data"
    app = known_app(data, lang=lang)
    async with app.run_test(size=(width, 24)) as pilot:
        await unlocked(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DiaryScreen)
        notice = app.screen.query_one("#diary-notice", Static)
        text = translate("notice.classified_line", lang)
        assert str(notice.render()) == text
        lines = -(-cell_len(text) // (width - 2))  # the padding is one column each side
        assert notice.region.height == lines and (width < 80 or lines == 1)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_form_field_says_it_is_optional_and_saves_nothing_when_left_empty(
    tmp_path: Path, config: Path, lang: str
) -> None:
    from textual.widgets import Input

    from selfcheck.screens.entry import EntryScreen

    data = tmp_path / "data"
    app = known_app(data, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlocked(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, EntryScreen)
        field = app.screen.query_one("#form", Input)
        assert field.value == ""
        assert field.placeholder.startswith("选填" if lang == "zh" else "optional")


def test_trash_times_are_shown_in_local_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from selfcheck.screens.modals.trash import local_time

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert local_time("2026-11-29T22:15:03Z") == "2026-11-30 06:15"
        assert local_time("not a time") == "not a time"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


async def test_a_key_for_an_answer_that_does_not_exist_says_so(tmp_path: Path, config: Path) -> None:
    data = tmp_path / "data"
    app = known_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlocked(pilot)
        await pilot.press("6")  # 每日三省: yes/no items take 1–4
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChecklistScreen)
        await pilot.press("5")
        await settle(pilot)
        assert any("1–4" in str(n.message) for n in app._notifications)
        assert screen.position == 0 and not any(a.answer is not None for a in screen.assessment.answers)


async def test_home_and_end_go_to_the_first_and_the_last_row(tmp_path: Path, config: Path) -> None:
    from textual.widgets import DataTable

    from selfcheck.screens.history import HistoryScreen as History

    data = tmp_path / "data"
    app = known_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlocked(pilot)
        app.push_screen(History())
        await settle(pilot)
        await pilot.press("3")  # 自警: two checks
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        table.focus()
        assert table.row_count == 2 and table.cursor_row == 0
        await pilot.press("end")
        assert table.cursor_row == 1
        await pilot.press("home")
        assert table.cursor_row == 0


async def test_an_empty_diary_says_what_to_do_and_a_search_without_matches_says_so(tmp_path: Path, config: Path) -> None:
    from textual.widgets import Input

    data = tmp_path / "data"
    Journal.create(data, PASS, kdf=TINY).close()
    app = app_for(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlocked(pilot)
        await pilot.press("d")
        await settle(pilot)
        status = str(app.screen.query_one("#diary-status", Static).render())
        assert status == "还没有学习记录。按 n 记下第一条。"
    known = tmp_path / "known"
    known_vault(known)
    app = app_for(known)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlocked(pilot)
        await pilot.press("d")
        await settle(pilot)
        app.screen.query_one("#diary-search", Input).value = "没有这个词"
        await settle(pilot)
        status = str(app.screen.query_one("#diary-status", Static).render())
        assert status.startswith("共 4 条，符合条件 0 条") and "没有符合条件的记录" in status
