"""Snapshots of every step of 会前准备 at 80×24 and 120×40, in Chinese and English.

Update with ``pytest tests/test_snapshots_meeting.py --snapshot-update`` only after looking at the
report.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tuikit import PASS, app_for, known_vault, settle, type_text, unlock

from selfcheck.store.journal import Journal
from selfcheck.store.models import MEETING_STEPS, ActionItem, Measure, Meeting, Problem

SIZES = [(80, 24), (120, 40)]


def prepared_vault(data_dir: Path, step: int = 0) -> None:
    """The known vault, last year's meeting with one problem raised at it (fixed times), and
    this year's preparation at ``step``: one problem with its cause and measure."""
    known_vault(data_dir)
    journal = Journal.open(data_dir, passphrase=PASS)
    try:
        last = Meeting(id="m2025", year=2025, date="2026-02-20", aspects=["理论学习方面"], step=5,
                       finished="2026-02-20T08:00:00Z", created="2026-02-01T08:00:00Z")
        item = ActionItem(id="a2025", problem="去年的问题：调研不深 [i]", measure="每季度下基层一次", due="2026-06-30",
                          status="in_progress", origin={"kind": "meeting", "id": "m2025"},
                          created="2026-02-20T08:00:00Z")
        last.problems = [Problem(id="p1", aspect="理论学习方面", text=item.problem,
                                 measures=[Measure(text=item.measure, due=item.due, action=item.id)])]
        journal.save_meeting(last)
        journal.add_action(item)
        journal.save_meeting(Meeting(
            id="m2026", year=2026, date="2027-02-20", aspects=["政治信仰方面", "理论学习方面", "纪律作风方面"],
            aspect_preset="own", created="2026-11-20T08:00:00Z", step=step,
            problems=[Problem(id="p2", aspect="理论学习方面", text="理论学习 [bold]不系统[/]",
                              example="三月没读完规定篇目", cause="重视不够",
                              measures=[Measure(text="每周自学2小时", due="2027-06-30")])],
        ))
    finally:
        journal.close()


#: Every step in both languages at both sizes is 24 snapshots (about a minute on two cores); by
#: default each step runs in Chinese at 80×24 and in English at 120×40, and
#: ``SELFCHECK_EXHAUSTIVE=1`` runs the whole matrix (all 24 reference images are kept).
MATRIX = [(step, size, lang) for step in range(len(MEETING_STEPS)) for size in SIZES for lang in ("zh", "en")]
if not os.environ.get("SELFCHECK_EXHAUSTIVE"):
    MATRIX = [m for m in MATRIX if (m[1], m[2]) in (((80, 24), "zh"), ((120, 40), "en"))]


@pytest.mark.parametrize(
    ("step", "size", "lang"), MATRIX, ids=[f"{MEETING_STEPS[s]}-{w}x{h}-{lang}" for s, (w, h), lang in MATRIX]
)
def test_meeting_step(snap_compare, tmp_path: Path, step: int, size, lang: str) -> None:
    prepared_vault(tmp_path, step)  # the preparation resumes at its step

    async def run_before(pilot) -> None:
        await pilot.pause()
        await unlock(pilot)
        await pilot.press("m")
        await settle(pilot)
        if MEETING_STEPS[step] == "carried":
            await type_text(pilot, "[bold]已落实[/]")
        await pilot.pause()

    assert snap_compare(app_for(tmp_path, lang=lang), terminal_size=size, run_before=run_before)
