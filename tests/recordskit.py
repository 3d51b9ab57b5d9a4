"""Test data for the 整改清单, history and talk screens: :func:`tuikit.known_vault` plus more.

Fixed dates and ids, so snapshots are stable. User text includes ``[bold]…[/]`` and ``[/]`` to
prove it is shown as typed.
"""

from __future__ import annotations

from pathlib import Path

from tuikit import PASS, known_vault

from selfcheck.store.journal import Journal
from selfcheck.store.models import ActionItem, Answer, Assessment, ProgressNote, TalkNote

#: Answers to zj-03 … zj-15 in the three 自警 self-checks (zj-14 is a rating, the rest 是/否…).
_ZIJING = {
    "2026-06-01": ["yes", "mostly", "yes", "no", "yes", "yes", "mostly", "yes", "yes", "yes", "na", 3, "yes"],
    "2026-09-01": ["yes", "yes", "yes", "mostly", "yes", "yes", "yes", "yes", "yes", "mostly", "na", 4, "yes"],
    "2026-11-20": ["yes", "yes", "no", "yes", "yes", "yes", "yes", "mostly", "yes", "yes", "na", 5, "yes"],
}
NOTE_MARKUP = "[bold]注意[/] 群聊转发要核实来源 [/]"
ACTION_FROM_CHECK = "a1" * 16
ACTION_DONE = "a2" * 16
ACTION_ONGOING = "a3" * 16
TALK_ONE = "b1" * 16
TALK_TWO = "b2" * 16


def _answers(day: str, first: list[Answer]) -> list[Answer]:
    rest = [Answer(f"zj-{n:02d}", "", value) for n, value in zip(range(3, 16), _ZIJING[day])]
    return first + rest


def records_vault(data_dir: Path) -> None:
    """``known_vault`` plus three full 自警 checks with notes, a 自省 check, actions of every kind
    (from a self-check, done, ongoing without a due date) and two talk notes."""
    known_vault(data_dir)
    journal = Journal.open(data_dir, passphrase=PASS)
    try:
        september, november = sorted(journal.assessments("zijing"), key=lambda a: a.completed or "")
        september.answers = _answers("2026-09-01", september.answers)
        september.answers[2].note = NOTE_MARKUP
        november.answers = _answers("2026-11-20", november.answers)
        november.answers[4].note = "本期有一次请示不够及时。"
        november.reflection = "总体上守住了底线 [/]，请示报告还要更及时。"
        journal.save_assessment(september)
        journal.save_assessment(november)
        journal.save_assessment(
            Assessment(
                checklist_id="zijing",
                started="2026-06-01T08:00:00Z",
                completed="2026-06-01T08:40:00Z",
                answers=_answers("2026-06-01", [Answer("zj-01", "", "mostly"), Answer("zj-02", "", 3)]),
            )
        )
        journal.save_assessment(
            Assessment(
                checklist_id="zixing",
                started="2026-10-10T08:00:00Z",
                completed="2026-10-10T08:30:00Z",
                answers=[Answer("zx-01", "", "yes"), Answer("zx-02", "", 4, "每周留出半天读原著。")],
            )
        )
        journal.add_action(
            ActionItem(
                id=ACTION_FROM_CHECK,
                problem="请示报告不够及时 [bold]x[/]",
                cause="对请示报告制度的重要性认识不足。",
                measure="重要事项事前请示、事后报告，建立个人台账。",
                standard="连续三个月没有漏报。",
                due="2027-02-28",
                kind="immediate",
                status="in_progress",
                progress=[ProgressNote("2026-11-22", "已建立个人请示报告台账。")],
                source={"assessment": november.id, "item": "zj-05"},
                created="2026-11-20T08:31:00Z",
            )
        )
        journal.add_action(
            ActionItem(
                id=ACTION_DONE,
                problem="群聊转发信息前没有核实来源",
                measure="转发前先核实来源。",
                kind="immediate",
                status="done",
                due="2026-10-01",
                done_date="2026-09-20",
                done_note="已养成先核实再转发的习惯。",
                source={"assessment": september.id, "item": "zj-03"},
                created="2026-09-01T08:31:00Z",
            )
        )
        journal.add_action(
            ActionItem(
                id=ACTION_ONGOING,
                problem="理论学习与工作实际结合不够",
                measure="每月结合一项工作写一篇学习体会。",
                kind="ongoing",
                status="continuing",
                created="2026-06-01T08:41:00Z",
            )
        )
        journal.add_talk(
            TalkNote(
                id=TALK_ONE,
                date="2026-11-18",
                kind="组织生活会前谈心",
                counterpart_role="支部书记",
                topic="组织生活会前征求意见",
                heard="建议理论学习更加系统。",
                said="表示虚心接受，将列入整改清单。",
                followups="下次谈心时交流落实情况。",
                created="2026-11-18T10:00:00Z",
            )
        )
        journal.add_talk(
            TalkNote(
                id=TALK_TWO,
                date="2026-10-08",
                kind="日常谈心",
                counterpart_role="同支部党员A",
                topic="交流学习体会 [bold]x[/]",
                heard="对方谈了读原著的做法 [/]",
                said="谈了自己近期的学习打算。",
                created="2026-10-08T10:00:00Z",
            )
        )
    finally:
        journal.close()
