"""Snapshots of the main screens at 80×24 and 120×40 in Chinese, and Home in English.

Update with ``pytest tests/test_snapshots.py --snapshot-update`` only after looking at the report.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tuikit import app_for, known_vault, settle, type_text, unlock

import selfcheck.screens.checklist as checklist_screen

SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Self-checks finished in a snapshot are stamped with a fixed time."""
    monkeypatch.setattr(checklist_screen, "now_iso", lambda: "2026-11-27T09:00:00Z")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_welcome(snap_compare, tmp_path: Path, size) -> None:
    async def run_before(pilot) -> None:
        await pilot.pause()
        await type_text(pilot, "口令示例 abc")

    assert snap_compare(app_for(tmp_path / "new"), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_unlock(snap_compare, tmp_path: Path, size) -> None:
    known_vault(tmp_path)

    async def run_before(pilot) -> None:
        await pilot.pause()
        await unlock(pilot, "不对的口令")

    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home(snap_compare, tmp_path: Path, size) -> None:
    known_vault(tmp_path)

    async def run_before(pilot) -> None:
        await pilot.pause()
        await unlock(pilot)

    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=run_before)


def test_home_english(snap_compare, tmp_path: Path) -> None:
    known_vault(tmp_path)

    async def run_before(pilot) -> None:
        await pilot.pause()
        await unlock(pilot)

    assert snap_compare(app_for(tmp_path, lang="en"), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_checklist_item(snap_compare, tmp_path: Path, size) -> None:
    known_vault(tmp_path)

    async def run_before(pilot) -> None:
        await pilot.pause()
        await unlock(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("1", "enter", "1")  # zj-02, a rating: 1 brings the optional offer
        await settle(pilot)

    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_summary(snap_compare, tmp_path: Path, size) -> None:
    known_vault(tmp_path)

    async def run_before(pilot) -> None:
        await pilot.pause()
        await unlock(pilot)
        await pilot.press("3")
        await settle(pilot)
        items = len(pilot.app.screen.checklist.items)
        await pilot.press("1", "enter", "1", "enter")
        for _ in range(items - 2):
            await pilot.press("2", "enter")
        await settle(pilot)

    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=run_before)
