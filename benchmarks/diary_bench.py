#!/usr/bin/env python3
"""The study diary on a 10-year vault (DESIGN.md §10, issue 4): opening it, each search keystroke
and each filter change ≤ 50 ms; saving an entry within the save budget.

    python benchmarks/diary_bench.py [--quick]

Each row is timed in-process from the action (push, value change) to the next paint, beside a
floor measured in the same app and run: a screen with the same widgets and a page of plain rows
that does no work of its own. Prints a Markdown table and writes it to
``benchmarks/results/diary-latest.md``. Never fails.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from textual.containers import Horizontal  # noqa: E402
from textual.screen import Screen  # noqa: E402
from textual.widgets import DataTable, Footer, Input, Select, Static  # noqa: E402

PASSPHRASE = "基准测试口令 bench"
BUDGET_MS = 50


class FloorScreen(Screen):
    """The floor: the diary's widgets (notice, search, three selects, table, status, footer) with a
    page of plain rows, doing no work of its own."""

    def compose(self):
        yield Static("notice")
        with Horizontal():
            yield Input(id="q", compact=True)
            yield Select([("a", "a"), ("b", "b")], value="a", allow_blank=False, id="s1", compact=True)
            yield Select([], id="s2", compact=True)
            yield Select([], id="s3", compact=True)
        yield DataTable()
        yield Static("status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("date", "title", "form", "min", "tags")
        table.add_rows([("2026-01-01", f"row {i}", "x", "30", "t") for i in range(60)])


async def painted(app) -> None:
    """Until the screen has been refreshed after what was just asked."""
    done = asyncio.Event()
    app.call_after_refresh(done.set)
    await done.wait()


async def measure(app, action, reps: int) -> float:
    """Median milliseconds from ``action()`` to the next paint."""
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        await action()
        await painted(app)
        times.append((time.perf_counter() - start) * 1000)
        await asyncio.sleep(0.02)
    return statistics.median(times)


async def run(data_dir: Path, reps: int) -> dict[str, tuple[float, float]]:
    """(ours, floor) per operation, measured in the same app, interleaved."""
    from selfcheck.app import make_app
    from selfcheck.screens.diary import DiaryScreen
    from selfcheck.screens.home import HomeScreen
    from selfcheck.store.models import StudyEntry

    app = make_app(data_dir)
    out: dict[str, tuple[float, float]] = {}
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one(Input).value = PASSPHRASE
        await pilot.press("enter")
        while not isinstance(app.screen, HomeScreen):
            await asyncio.sleep(0.01)
        await pilot.pause()
        await asyncio.sleep(1.0)  # the background index build after unlock

        async def open_ours() -> None:
            if isinstance(app.screen, DiaryScreen):
                await app.pop_screen()
                await painted(app)
            await app.push_screen(DiaryScreen())

        async def open_floor() -> None:
            if isinstance(app.screen, (DiaryScreen, FloorScreen)):
                await app.pop_screen()
                await painted(app)
            await app.push_screen(FloorScreen())

        out["open"] = (await measure(app, open_ours, reps), await measure(app, open_floor, reps))
        await app.pop_screen()
        await app.push_screen(DiaryScreen())
        await pilot.pause()
        diary = app.screen
        words = iter(["党", "党章", "党章学", "党章", "党", "", "学", "学习", "习", ""] * reps)

        async def key_ours() -> None:
            diary.query_one("#diary-search", Input).value = next(words)

        ours_key = await measure(app, key_ours, 10)
        periods = iter(["month", "year", "12_months", "all"] * reps)

        async def filter_ours() -> None:
            diary.query_one("#diary-period", Select).value = next(periods)

        ours_filter = await measure(app, filter_ours, 8)
        await app.pop_screen()
        await app.push_screen(FloorScreen())
        await pilot.pause()
        floor = app.screen
        letters = iter("abcdefghijklmnopqrstuvwxyz" * reps)

        async def key_floor() -> None:
            floor.query_one("#q", Input).value += next(letters)

        values = iter(["b", "a"] * 10 * reps)

        async def filter_floor() -> None:
            floor.query_one("#s1", Select).value = next(values)

        out["key"] = (ours_key, await measure(app, key_floor, 10))
        out["filter"] = (ours_filter, await measure(app, filter_floor, 8))
        saves = []
        for n in range(max(3, reps)):
            start = time.perf_counter()
            app.save(lambda j, n=n: j.add_study(StudyEntry(title=f"基准 {n}", minutes=10)))
            app.wait_for_saves()
            saves.append((time.perf_counter() - start) * 1000)
        out["save"] = (statistics.median(saves), float("nan"))
        app.shutdown()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, 19 MiB KDF")
    args = parser.parse_args(argv)
    from selfcheck import synthetic
    from selfcheck.store.journal import Journal
    from selfcheck.store.vault import KdfParams

    reps = 3 if args.quick else 7
    with tempfile.TemporaryDirectory(prefix="selfcheck-diary-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        journal = Journal.create(data_dir, PASSPHRASE, kdf=KdfParams.for_memory(19))
        synthetic.fill(journal)
        journal.close()
        results = asyncio.run(run(data_dir, reps))
    rows = [
        ("open the diary (5,000 entries)", "open"),
        ("search: one keystroke", "key"),
        ("filter: change the period", "filter"),
        ("save one entry (background thread)", "save"),
    ]
    lines = [
        f"# selfcheck diary benchmark — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        "- 10-year vault (5,000 entries); medians; each time is from the action to the next paint",
        "- floor: the same widgets with a page of plain rows and no work, in the same app and run",
        "",
        "| operation | ours | floor | ours − floor | target | verdict |",
        "|---|---:|---:|---:|---|---|",
    ]
    for op, key in rows:
        mine, floor = results[key]
        if key == "save":
            lines.append(f"| {op} | {mine:.1f} ms | — | — | ≤ 1.5× TinyDB insert (bench.py) | see bench.py |")
            continue
        verdict = "ok" if mine <= BUDGET_MS else ("ok over floor" if mine - floor <= BUDGET_MS else "OVER")
        lines.append(
            f"| {op} | {mine:.1f} ms | {floor:.1f} ms | {mine - floor:+.1f} ms | ≤ {BUDGET_MS} ms | {verdict} |"
        )
    table = "\n".join(lines)
    print(table)
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "diary-latest.md").write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
