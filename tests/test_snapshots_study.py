"""Snapshots of the diary, the entry editor, the study overview and settings (80×24 and 120×40
in Chinese; the diary in English too)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from tuikit import app_for, known_vault, settle, unlock

SIZES = [(80, 24), (120, 40)]


def run_to(*keys: str):
    """A run_before that unlocks, then presses ``keys`` with a settle after each."""

    async def run_before(pilot) -> None:
        await pilot.pause()
        await unlock(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_diary(snap_compare, tmp_path: Path, size) -> None:
    known_vault(tmp_path)
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=run_to("d"))


def test_diary_english(snap_compare, tmp_path: Path) -> None:
    known_vault(tmp_path)
    assert snap_compare(app_for(tmp_path, lang="en"), terminal_size=(80, 24), run_before=run_to("d"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_entry_editor(snap_compare, tmp_path: Path, size) -> None:
    known_vault(tmp_path)
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=run_to("d", "down", "enter"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_study_overview(snap_compare, tmp_path: Path, size) -> None:
    known_vault(tmp_path)
    assert snap_compare(app_for(tmp_path), terminal_size=size, run_before=run_to("d", "o"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_settings(snap_compare, size) -> None:
    # Settings shows the data directory: use a fixed one so the snapshot is stable.
    data_dir = Path(tempfile.gettempdir()) / f"selfcheck-snapshot-settings-{size[0]}"
    shutil.rmtree(data_dir, ignore_errors=True)
    known_vault(data_dir)
    try:
        assert snap_compare(app_for(data_dir), terminal_size=size, run_before=run_to("s"))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
