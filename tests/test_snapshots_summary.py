"""The summary after a finished 自警 self-check, at 80×24 in Chinese and English: the whole item
text wrapped in its column, and line breaks by the usual rules (禁则, ``selfcheck.widgets.linebreak``).

Update with ``pytest tests/test_snapshots_summary.py --snapshot-update`` only after looking at the report.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_linebreak import broken_lines, rule  # noqa: F401 - rule: the fixture every test here uses
from test_snapshots import fixed_time  # noqa: F401 - autouse: a fixed completion time
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import Static, TextArea
from tuikit import app_for, known_vault, settle, type_text, unlock

from selfcheck.screens.summary import AnswersTable, SummaryScreen
from selfcheck.widgets.linebreak import CLOSING

pytestmark = pytest.mark.usefixtures("rule")

#: An action raised on the way: long enough to wrap after its bullet.
PROBLEM = "调查研究不够深入，对本股室存在的廉政风险点掌握得还不全面、不具体。"


async def finish_zijing(pilot: Pilot) -> None:
    """Unlock, walk 自警 (a low rating with an action and a note on zj-02), reach the summary."""
    await pilot.pause()
    await unlock(pilot)
    await pilot.press("3")
    await settle(pilot)
    items = len(pilot.app.screen.checklist.items)
    await pilot.press("1", "enter", "1", "t")
    # Pasted: full-width punctuation has no key of its own to press.
    pilot.app.screen.query_one("#problem", TextArea).insert(PROBLEM)
    await pilot.press("ctrl+s", "n")
    await type_text(pilot, "备注")
    await pilot.press("ctrl+s", "enter")
    for _ in range(items - 2):
        await pilot.press("2", "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, SummaryScreen)
    pilot.app.clear_notifications()  # "added to the rectification list" times out at its own pace
    await pilot.pause()


async def finish_and_scroll_to_the_end(pilot: Pilot) -> None:
    """As :func:`finish_zijing`, then the end of the summary: the change and the action raised."""
    await finish_zijing(pilot)
    pilot.app.screen.query_one("#summary").scroll_end(animate=False)
    await settle(pilot)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("end", [False, True], ids=["top", "end"])
def test_summary(snap_compare, tmp_path: Path, lang: str, end: bool) -> None:
    known_vault(tmp_path)
    run_before = finish_and_scroll_to_the_end if end else finish_zijing
    assert snap_compare(app_for(tmp_path, lang=lang), terminal_size=(80, 24), run_before=run_before)


def rendered(widget) -> list[Strip]:
    """Every line ``widget`` renders, seen or scrolled out of view."""
    return widget.render_lines(widget.size.region)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_no_line_starts_with_punctuation_and_no_bullet_stands_alone(
    tmp_path: Path,
    lang: str,
    size: tuple[int, int],
) -> None:
    known_vault(tmp_path)
    app = app_for(tmp_path, lang=lang)
    async with app.run_test(size=size) as pilot:
        await finish_zijing(pilot)
        screen = app.screen
        statics = [[line.text for line in rendered(w)] for w in screen.query(Static)]
        assert sum(lines[0].startswith("· ") for lines in statics) >= 2  # the change and the action
        assert not [lines for lines in statics if broken_lines(lines)], statics

        table = screen.query_one(AnswersTable)
        assert 0 < table.laid_out_for <= table.size.width
        widths = [column.get_render_width(table) for column in table.ordered_columns]
        assert sum(widths) <= table.size.width
        cells: list[list[str]] = [[] for _ in widths]
        for strip in rendered(table)[1:]:  # below the header
            x = 0
            for column, width in enumerate(widths):
                cells[column].append(strip.crop(x, x + width).text.strip())
                x += width
        assert not [line for column in cells for line in column if line[:1] in CLOSING], cells
        # The whole text of every item is there, wrapped in its column (nothing cut with …).
        prompts = "".join(cells[1])
        checklist = screen.app.checklist("zijing")
        assert all(item.text_in(lang).replace(" ", "") in prompts.replace(" ", "") for item in checklist.items)
        app.shutdown()
