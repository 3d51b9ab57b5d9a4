"""Snapshots of the 整改清单, history and trends and 谈心谈话 screens at 80×24 and 120×40, in Chinese.

The data is :func:`recordskit.records_vault` (fixed dates; today is 2026-11-27). Update with
``pytest tests/test_snapshots_records.py --snapshot-update`` only after looking at the report.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from recordskit import ACTION_FROM_CHECK, records_vault
from textual.widgets import DataTable
from tuikit import app_for, settle, unlock

from selfcheck.screens.actions import ActionsScreen
from selfcheck.screens.history import HistoryScreen
from selfcheck.screens.item_history import ItemHistoryScreen
from selfcheck.screens.talks import TalksScreen

SIZES = [(80, 24), (120, 40)]
sizes = pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")


def shows(screen_factory, *keys: str):
    """``run_before`` for snap_compare: unlock, push the screen, press ``keys``."""

    async def run_before(pilot) -> None:
        await pilot.pause()
        await unlock(pilot)
        pilot.app.push_screen(screen_factory())
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@sizes
def test_actions(snap_compare, tmp_path: Path, size) -> None:
    records_vault(tmp_path)
    # The second row: an overdue item above it, a self-check source and a progress note in the panel.
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=shows(ActionsScreen, "down", "down"))


@sizes
def test_actions_all(snap_compare, tmp_path: Path, size) -> None:
    records_vault(tmp_path)
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=shows(lambda: ActionsScreen("all")))


@sizes
def test_action_editor(snap_compare, tmp_path: Path, size) -> None:
    records_vault(tmp_path)

    async def run_before(pilot) -> None:
        await shows(ActionsScreen)(pilot)
        table = pilot.app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(ACTION_FROM_CHECK), animate=False)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=run_before)


@sizes
def test_history(snap_compare, tmp_path: Path, size) -> None:
    records_vault(tmp_path)
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=shows(HistoryScreen, "3", "down", "c"))


@sizes
def test_assessment_view(snap_compare, tmp_path: Path, size) -> None:
    records_vault(tmp_path)
    run_before = shows(lambda: HistoryScreen("zijing"), "down", "enter", "down", "down")
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=run_before)


@sizes
def test_compare(snap_compare, tmp_path: Path, size) -> None:
    records_vault(tmp_path)
    run_before = shows(lambda: HistoryScreen("zijing"), "c", "down", "c", "down", "down", "down", "down")
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=run_before)


@sizes
def test_item_history(snap_compare, tmp_path: Path, size) -> None:
    records_vault(tmp_path)
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=shows(lambda: ItemHistoryScreen("zijing", "zj-14")))


@sizes
def test_talks(snap_compare, tmp_path: Path, size) -> None:
    records_vault(tmp_path)
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=shows(TalksScreen, "down"))


@sizes
def test_talk_editor(snap_compare, tmp_path: Path, size) -> None:
    records_vault(tmp_path)
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=shows(TalksScreen, "n"))
