"""Pilot tests of the 整改清单, history and trends, and 谈心谈话 screens (issue 4, items 3–5).

Until Home has the keys for them, each test pushes its screen directly after unlocking.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from recordskit import ACTION_DONE, ACTION_FROM_CHECK, ACTION_ONGOING, NOTE_MARKUP, TALK_TWO, records_vault
from rich.text import Text
from textual.widgets import DataTable, Input, RadioSet, Select, Static, TextArea
from tuikit import PASS, TINY, TODAY, FakeClock, app_for, settle, type_text, unlock

from selfcheck.analysis.trends import compare, fully_met, item_history, trend
from selfcheck.screens.actions import ActionsScreen
from selfcheck.screens.assessment_view import AssessmentViewScreen
from selfcheck.screens.compare import CompareScreen
from selfcheck.screens.history import HistoryScreen
from selfcheck.screens.item_history import ItemHistoryScreen
from selfcheck.screens.modals.action_edit import ActionEditModal
from selfcheck.screens.modals.confirm import ConfirmModal, SaveChangesModal
from selfcheck.screens.modals.dated_note import DatedNoteModal
from selfcheck.screens.modals.talk import TalkModal
from selfcheck.screens.talks import TalksScreen
from selfcheck.store.journal import Journal
from selfcheck.store.models import ActionItem, Answer, Assessment
from selfcheck.widgets.fields import DetailPanel
from selfcheck.widgets.trend import TrendLine, bar_lines

MARKUP = "[bold]x[/] 和 [/]"


def screen_text(app) -> str:
    """Everything the current screen's Static widgets and detail panels show."""
    statics = [str(w.render()) for w in app.screen.query(Static) if not isinstance(w.parent, DetailPanel)]
    return "\n".join(statics + [panel.plain for panel in app.screen.query(DetailPanel)])


def table_rows(app) -> list[list[str]]:
    """The plain text of every cell of the current screen's table."""
    table = app.screen.query_one(DataTable)
    return [[c.plain if isinstance(c, Text) else str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def cursor_to(app, row_key: str) -> None:
    """Put the table's cursor on the row with ``row_key``."""
    table = app.screen.query_one(DataTable)
    table.move_cursor(row=table.get_row_index(row_key), animate=False)


def reopen(data_dir: Path) -> Journal:
    """The vault opened again, after the app has shut down."""
    return Journal.open(data_dir, passphrase=PASS)


async def open_screen(pilot, screen) -> None:
    """Unlock, then show ``screen`` (Home's keys for it are added separately)."""
    await pilot.pause()
    await unlock(pilot)
    pilot.app.push_screen(screen)
    await settle(pilot)


# --------------------------------------------------------------------------- trends (no UI)


def test_trends_module_needs_no_textual() -> None:
    code = "import sys, selfcheck.analysis.trends; print('textual' in sys.modules or 'rich' in sys.modules)"
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_fully_met_counts_yes_and_ratings_of_four_or_five() -> None:
    assert [fully_met(v) for v in ("yes", "mostly", "no", "na", None, 3, 4, 5, True)] == [
        True,
        False,
        False,
        False,
        False,
        False,
        True,
        True,
        False,
    ]


def test_trend_compare_and_item_history_read_the_users_answers() -> None:
    old = Assessment(
        checklist_id="c", completed="2026-01-02T00:00:00Z", answers=[Answer("a", "", "yes"), Answer("b", "", 2)]
    )
    new = Assessment(
        checklist_id="c", completed="2026-03-04T00:00:00Z", answers=[Answer("a", "", "yes"), Answer("b", "", 5, "好")]
    )
    draft = Assessment(checklist_id="c", answers=[Answer("a", "", "no")])
    assert [(p.date, p.fully_met, p.answered) for p in trend([new, draft, old])] == [
        ("2026-01-02", 1, 2),
        ("2026-03-04", 2, 2),
    ]
    rows = compare(old, new, None, "zh")
    assert [(r.item_id, r.item_type, r.changed) for r in rows] == [("a", "yn", False), ("b", "rating", True)]
    assert [(h.date, h.answer, h.note) for h in item_history([new, old], "b")] == [
        ("2026-01-02", 2, ""),
        ("2026-03-04", 5, "好"),
    ]


def test_trend_bars_start_at_zero_so_small_changes_look_small() -> None:
    # 12 and 13 of 14 items are both nearly full bars; 0 is empty; the top is full.
    assert bar_lines([12, 13, 0, 14], top=14) == ["▆▆ ▇▇    ██", "██ ██    ██"]
    assert bar_lines([1, 5], top=5, height=1) == ["▂▂ ██"]


# --------------------------------------------------------------------------- 整改清单


async def test_change_status_add_progress_and_mark_done(tmp_path: Path) -> None:
    records_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_screen(pilot, ActionsScreen())
        problems = [row[1] for row in table_rows(app)]
        assert problems[0] == "调查研究不够深入 [/]" and len(problems) == 4  # open items, overdue first
        overdue = table_rows(app)[0]
        assert overdue[0] == "!" and overdue[3] == "2026-11-01"
        first = app.screen.current
        await pilot.press("enter")
        modal = app.screen
        assert isinstance(modal, ActionEditModal)
        modal.query_one("#status", RadioSet).focus()
        await pilot.press("right", "enter")  # 未开始 → 整改中
        modal.query_one("#progress-note", TextArea).focus()
        await type_text(pilot, "走访了三个村 [/]")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ActionsScreen)
        assert "走访了三个村 [/]" in screen_text(app)

        await pilot.press("x")
        assert isinstance(app.screen, DatedNoteModal)
        await type_text(pilot, "已形成调研报告")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert first.problem not in [row[1] for row in table_rows(app)]  # done: gone from the open list
        await pilot.press("f")
        assert table_rows(app)[0][1] == first.problem
        assert "已形成调研报告" in screen_text(app)
        app.shutdown()
    journal = reopen(tmp_path)
    saved = journal.get(ActionItem, first.id)
    journal.close()
    assert saved.status == "done" and saved.done_date == TODAY.isoformat() and saved.done_note == "已形成调研报告"
    assert [(p.date, p.note) for p in saved.progress] == [(TODAY.isoformat(), "走访了三个村 [/]")]


async def test_progress_key_and_editor_fields_keep_every_string_verbatim(tmp_path: Path) -> None:
    records_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, ActionsScreen())
        cursor_to(app, ACTION_FROM_CHECK)
        await pilot.press("p")
        modal = app.screen
        assert isinstance(modal, DatedNoteModal)
        await pilot.press("ctrl+s")
        assert "请写下进展情况" in screen_text(app)  # a progress note needs words
        modal.query_one("#date", Input).value = "2026-13-01"
        await type_text(pilot, MARKUP)
        await pilot.press("ctrl+s")
        assert "日期应为 YYYY-MM-DD 格式" in screen_text(app)
        modal.query_one("#date", Input).value = "2026-11-25"
        await pilot.press("ctrl+s")
        await settle(pilot)

        await pilot.press("enter")
        modal = app.screen
        assert isinstance(modal, ActionEditModal)
        assert "自警第5项" in screen_text(app) and MARKUP in screen_text(app)
        cause = modal.query_one("#cause", TextArea)
        cause.focus()
        cause.text = ""
        await type_text(pilot, "[red]认识不足")
        modal.query_one("#due", Input).value = "明年"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ActionEditModal) and "日期应为" in screen_text(app)
        modal.query_one("#due", Input).value = "2027-03-31"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "[red]认识不足" in screen_text(app)
        app.shutdown()
    journal = reopen(tmp_path)
    saved = journal.get(ActionItem, ACTION_FROM_CHECK)
    journal.close()
    assert saved.cause == "[red]认识不足" and saved.due == "2027-03-31" and saved.status == "in_progress"
    assert [p.note for p in saved.progress] == ["已建立个人请示报告台账。", MARKUP]
    assert saved.progress[-1].date == "2026-11-25"
    assert saved.source and saved.source["item"] == "zj-05"


async def test_add_by_hand_then_delete_to_the_trash(tmp_path: Path) -> None:
    records_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, ActionsScreen())
        await pilot.press("n")
        modal = app.screen
        assert isinstance(modal, ActionEditModal)
        await pilot.press("ctrl+s")
        assert "请先写下问题" in screen_text(app)
        await type_text(pilot, MARKUP)
        modal.query_one("#measure", TextArea).focus()
        await type_text(pilot, "每周复盘")
        modal.query_one("#kind", RadioSet).focus()
        await pilot.press("right", "enter")  # 长期坚持
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ActionsScreen)
        row = next(r for r in table_rows(app) if r[1] == MARKUP)
        assert row[-3:] == ["长期坚持", "未开始", "手动"] and row[2] == "未定"
        assert app.screen.current.problem == MARKUP  # the new item is highlighted
        added_id = app.screen.current.id

        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmModal) and MARKUP in screen_text(app)
        await pilot.press("n")
        assert MARKUP in [r[1] for r in table_rows(app)]  # "no" keeps it
        await pilot.press("delete", "y")
        await settle(pilot)
        assert MARKUP not in [r[1] for r in table_rows(app)]
        app.shutdown()
    journal = reopen(tmp_path)
    trash = journal.trash()
    ids = [a.id for a in journal.actions()]
    journal.close()
    assert added_id not in ids
    assert [(t.id, t.table, t.record.problem, t.record.kind, t.record.source) for t in trash] == [
        (added_id, "actions", MARKUP, "ongoing", None)
    ]


async def test_filter_cycles_and_cancel_asks_before_dropping_changes(tmp_path: Path) -> None:
    records_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, ActionsScreen())
        assert "显示：未完成" in screen_text(app) and len(table_rows(app)) == 4
        await pilot.press("f")
        assert "显示：已完成" in screen_text(app)
        assert [r[1] for r in table_rows(app)] == ["群聊转发信息前没有核实来源"]
        assert table_rows(app)[0][0] == "✓" and table_rows(app)[0][2] == "转发前先核实来源。"  # wide: measure shown
        await pilot.press("f")
        assert "显示：全部" in screen_text(app) and len(table_rows(app)) == 5
        cursor_to(app, ACTION_ONGOING)
        await pilot.press("x")
        await pilot.press("escape")  # nothing typed: closes at once
        assert isinstance(app.screen, ActionsScreen)
        await pilot.press("enter")
        await type_text(pilot, "改")
        await pilot.press("escape")
        assert isinstance(app.screen, SaveChangesModal)
        await pilot.press("escape")  # keep editing
        assert isinstance(app.screen, ActionEditModal)
        await pilot.press("escape", "n")  # discard
        await settle(pilot)
        assert isinstance(app.screen, ActionsScreen)
        cursor_to(app, ACTION_DONE)
        await pilot.press("x")
        assert isinstance(app.screen, ActionsScreen)  # already 销号: says so instead
        await pilot.press("escape")
        assert not isinstance(app.screen, ActionsScreen)
        app.shutdown()
    journal = reopen(tmp_path)
    assert journal.get(ActionItem, ACTION_ONGOING).problem == "理论学习与工作实际结合不够"
    journal.close()


async def test_language_switch_keeps_the_list_and_its_filter(tmp_path: Path) -> None:
    records_vault(tmp_path)
    app = app_for(tmp_path, lang=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_screen(pilot, ActionsScreen())
        await pilot.press("f")
        app.action_toggle_language()
        await settle(pilot)
        assert isinstance(app.screen, ActionsScreen) and app.screen.filter == "done"
        assert "Showing: done" in screen_text(app)
        assert table_rows(app)[0][-3:] == ["Fix at once", "Done", "自警 #3"]
        app.shutdown()


async def test_auto_lock_keeps_an_open_action_editor(tmp_path: Path) -> None:
    records_vault(tmp_path)
    clock = FakeClock()
    app = app_for(tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, ActionsScreen())
        cursor_to(app, ACTION_ONGOING)
        await pilot.press("enter")
        app.screen.query_one("#standard", TextArea).focus()
        await type_text(pilot, "每月一篇")
        app.action_lock()
        await settle(pilot)
        app.shutdown()
    journal = reopen(tmp_path)
    assert journal.get(ActionItem, ACTION_ONGOING).standard == "每月一篇"
    journal.close()


# --------------------------------------------------------------------------- history and trends


async def test_history_lists_checks_with_a_trend_and_opens_one_read_only(tmp_path: Path) -> None:
    records_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_screen(pilot, HistoryScreen())
        assert app.screen.checklist_id == "zizhong" and "还没有完成的自重检视" in screen_text(app)
        await pilot.press("3")
        rows = table_rows(app)
        assert [r[1] for r in rows] == ["2026-11-20", "2026-09-01", "2026-06-01"]  # newest first
        # The three checks answered version 1's 15 items; version 2 has 19 and retired zj-15, whose
        # answer is listed after them: 15 answers of 20 rows.
        assert [r[2] for r in rows] == ["15/20"] * 3 and [r[3] for r in rows] == ["6", "7", "首次"]
        assert "最少 8 项，最多 12 项" in screen_text(app)
        assert app.screen.query_one(TrendLine).values == [8, 11, 12]
        text = screen_text(app)
        assert "不作评价" in text and "分" not in text.replace("评分", "")  # no score anywhere
        await pilot.press("2")
        assert [r[1] for r in table_rows(app)] == ["2026-10-10"] and "两次以上" in screen_text(app)

        await pilot.press("3", "down", "enter")
        view = app.screen
        assert isinstance(view, AssessmentViewScreen)
        assert "自警 · 2026-09-01 的检视（只读）" in screen_text(app)
        answers = table_rows(app)
        assert answers[1][2] == "2 有差距" and answers[2][3] == "✎" and len(answers) == 20
        assert answers[-1][1].startswith("（已停用的检视项）")  # zj-15, retired in version 2
        await pilot.press("down", "down")
        assert NOTE_MARKUP in screen_text(app)  # the note, verbatim
        assert view.assessment is not None and not view.assessment.is_draft

        await pilot.press("enter")
        assert isinstance(app.screen, ItemHistoryScreen)
        assert [r[:2] for r in table_rows(app)] == [["2026-11-20", "是"], ["2026-09-01", "是"], ["2026-06-01", "是"]]
        assert table_rows(app)[1][2] == NOTE_MARKUP
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, HistoryScreen) and app.screen.checklist_id == "zijing"
        app.shutdown()


async def test_compare_two_self_checks_side_by_side(tmp_path: Path) -> None:
    records_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_screen(pilot, HistoryScreen("zijing"))
        await pilot.press("c")
        assert "已标记 2026-11-20" in screen_text(app) and table_rows(app)[0][0] == "●"
        await pilot.press("c")  # on the same one: unmark
        assert table_rows(app)[0][0] == ""
        await pilot.press("c", "down", "c")
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert "2026-09-01 与 2026-11-20" in screen_text(app) and "6 项回答不同" in screen_text(app)
        rows = table_rows(app)
        assert len(rows) == 20
        assert rows[1] == ["≠", "2", "p2", "2 有差距", "4 较好"]
        assert rows[0][0] == "" and rows[0][3:] == ["是", "是"]
        assert rows[4][3:] == ["是", "否"]
        await pilot.press("f")
        assert [r[1] for r in table_rows(app)] == ["2", "5", "6", "10", "12", "14"]
        await pilot.press("down")
        assert "本期有一次请示不够及时。" in screen_text(app)  # the newer check's note on item 5
        await pilot.press("enter")
        assert isinstance(app.screen, ItemHistoryScreen) and app.screen.item_id == "zj-05"
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, HistoryScreen) and app.screen.marked is None
        app.shutdown()


async def test_rating_item_history_has_a_trend_line(tmp_path: Path) -> None:
    records_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, ItemHistoryScreen("zijing", "zj-14"))
        assert app.screen.query_one(TrendLine).values == [3, 4, 5]
        assert "自警第 14 项" in screen_text(app) and "最低 3，最高 5" in screen_text(app)
        app.shutdown()


# --------------------------------------------------------------------------- 谈心谈话


async def test_add_and_edit_talk_notes_verbatim(tmp_path: Path) -> None:
    records_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, TalksScreen())
        assert "涉密不上网" in screen_text(app)
        assert [r[3] for r in table_rows(app)] == ["组织生活会前征求意见", "交流学习体会 [bold]x[/]"]
        await pilot.press("n")
        modal = app.screen
        assert isinstance(modal, TalkModal) and "涉密不上网" in screen_text(app)
        assert modal.query_one("#date", Input).value == TODAY.isoformat()
        assert "不必写姓名" in str(modal.query_one("#counterpart_role", Input).placeholder)
        await pilot.press("ctrl+s")
        assert "请至少写下主题或谈话内容" in screen_text(app)
        modal.query_one("#date", Input).value = "2026-11-26"
        modal.query_one("#kind", Select).focus()
        await pilot.press("enter", "down", "down", "enter")  # the second kind: 日常谈心
        modal.query_one("#counterpart_role", Input).focus()
        await type_text(pilot, "党小组长")
        modal.query_one("#topic", Input).focus()
        await type_text(pilot, MARKUP)
        modal.query_one("#heard", TextArea).focus()
        await type_text(pilot, "[/] 意见")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TalksScreen)
        assert table_rows(app)[0] == ["2026-11-26", "日常谈心", "党小组长", MARKUP]
        assert "[/] 意见" in screen_text(app)

        cursor_to(app, TALK_TWO)
        await pilot.press("enter")
        modal = app.screen
        assert isinstance(modal, TalkModal) and modal.query_one("#heard", TextArea).text == "对方谈了读原著的做法 [/]"
        modal.query_one("#followups", TextArea).focus()
        await type_text(pilot, "[bold]下次[/]交流")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "[bold]下次[/]交流" in screen_text(app)
        app.shutdown()
    journal = reopen(tmp_path)
    talks = journal.talks()
    journal.close()
    new = talks[0]
    assert (new.date, new.kind, new.counterpart_role, new.topic, new.heard) == (
        "2026-11-26",
        "日常谈心",
        "党小组长",
        MARKUP,
        "[/] 意见",
    )
    edited = next(t for t in talks if t.id == TALK_TWO)
    assert edited.followups == "[bold]下次[/]交流" and edited.topic == "交流学习体会 [bold]x[/]"


async def test_delete_talk_notes_asks_first_and_goes_to_the_trash(tmp_path: Path) -> None:
    records_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, TalksScreen())
        cursor_to(app, TALK_TWO)
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmModal) and "交流学习体会 [bold]x[/]" in screen_text(app)
        await pilot.press("escape")
        assert len(table_rows(app)) == 2
        await pilot.press("delete", "y")
        await settle(pilot)
        assert len(table_rows(app)) == 1
        app.shutdown()
    journal = reopen(tmp_path)
    assert [(t.id, t.table) for t in journal.trash()] == [(TALK_TWO, "talks")]
    assert TALK_TWO not in [t.id for t in journal.talks()]
    journal.close()


async def test_auto_lock_keeps_an_open_talk_editor(tmp_path: Path) -> None:
    records_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, TalksScreen())
        await pilot.press("n")
        app.screen.query_one("#topic", Input).focus()
        await type_text(pilot, "写了一半")
        app.action_lock()
        await settle(pilot)
        app.shutdown()
    journal = reopen(tmp_path)
    assert journal.talks()[0].topic == "写了一半"
    journal.close()


async def test_empty_lists_say_what_to_do(tmp_path: Path) -> None:
    journal = Journal.create(tmp_path, PASS, kdf=TINY)
    journal.close()
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, ActionsScreen())
        assert "没有未完成的整改措施" in screen_text(app)
        await pilot.press("enter", "p", "x", "delete")  # nothing highlighted: nothing happens
        assert isinstance(app.screen, ActionsScreen)
        app.push_screen(TalksScreen())
        await settle(pilot)
        assert "还没有谈心谈话记录" in screen_text(app)
        await pilot.press("enter", "delete")
        assert isinstance(app.screen, TalksScreen)
        app.push_screen(HistoryScreen())
        await settle(pilot)
        await pilot.press("enter", "c")
        assert isinstance(app.screen, HistoryScreen)
        app.shutdown()


async def test_home_keys_open_the_three_screens_and_escape_returns(tmp_path: Path) -> None:
    records_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await unlock(pilot)
        home = app.screen
        for key, screen_type in (("r", ActionsScreen), ("h", HistoryScreen), ("t", TalksScreen)):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, screen_type)
            await pilot.press("f1")  # help lists this screen's keys, translated
            help_text = screen_text(app)
            assert "返回" in help_text and "Select" not in help_text
            await pilot.press("escape", "escape")
            assert app.screen is home
        app.shutdown()


async def test_english_labels_and_user_text_on_every_screen(tmp_path: Path) -> None:
    records_vault(tmp_path)
    app = app_for(tmp_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, ActionsScreen("all"))
        assert "Rectification list" in screen_text(app) and "Fix at once" in [r[3] for r in table_rows(app)]
        app.push_screen(HistoryScreen("zijing"))
        await settle(pilot)
        assert "for your eyes only" in screen_text(app) and "3 Vigilance" in str(
            app.screen.query_one("Tabs").active_tab.label
        )
        app.push_screen(TalksScreen())
        await settle(pilot)
        assert "classified" in screen_text(app) and table_rows(app)[1][3] == "交流学习体会 [bold]x[/]"
        app.shutdown()


async def test_deleted_items_come_back_from_the_trash(tmp_path: Path) -> None:
    records_vault(tmp_path)
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_screen(pilot, ActionsScreen())
        cursor_to(app, ACTION_ONGOING)
        await pilot.press("delete", "y")
        await settle(pilot)
        assert ACTION_ONGOING not in [a.id for a in app.screen.rows]
        await pilot.press("z")
        await settle(pilot)
        assert "理论学习与工作实际结合不够" in table_rows(app)[0][1]  # the trash lists it
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ActionsScreen) and app.screen.current.id == ACTION_ONGOING

        app.push_screen(TalksScreen())
        await settle(pilot)
        cursor_to(app, TALK_TWO)
        await pilot.press("delete", "y")
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TalksScreen) and app.screen.current.id == TALK_TWO
        app.shutdown()
    journal = reopen(tmp_path)
    assert journal.trash() == [] and journal.get(ActionItem, ACTION_ONGOING).status == "continuing"
    journal.close()
