#!/usr/bin/env python3
"""TUI budgets (DESIGN.md §10), each beside its floor measured in the same run.

    python benchmarks/tui_bench.py            # launch ×7, unlock ×3 on the 10-year vault
    python benchmarks/tui_bench.py --quick    # fewer repetitions, 19 MiB KDF

1. Launch to the unlock screen, whole process, against a bare Textual app's first paint: each is a
   fresh ``python`` running the app headless, timed from spawn to the first paint of its first
   real screen (the unlock screen; the bare app's only screen). Budget: ≤ 1.3×.
2. Unlock to a painted Home on the 10-year vault (5,000 study entries, 500 self-checks, 300 actions),
   in-process, from pressing enter to Home on screen, against the KDF alone with the same parameters.
   Budget: ≤ KDF + 150 ms.
Prints a Markdown table and writes it to ``benchmarks/results/tui-latest.md``. Never fails.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PASSPHRASE = "基准测试口令 bench"

#: Child programs: print the wall-clock time of the first paint of their first real screen (a
#: callback queued with call_after_refresh when that screen mounts), then exit.
BARE = """
import time
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("hello")
    def on_mount(self):
        self.call_after_refresh(painted, self)
def painted(app):
    print(time.time())
    app.exit()
Bare().run(headless=True, size=(80, 24))
"""

OURS = """
import sys, time
from selfcheck.app import make_app
from selfcheck.screens import unlock
mounted = unlock.UnlockScreen.on_mount
def on_mount(self):
    mounted(self)
    self.call_after_refresh(painted, self.app)
unlock.UnlockScreen.on_mount = on_mount
def painted(app):
    print(time.time())
    app.exit()
app = make_app(sys.argv[1])
try:
    app.run(headless=True, size=(80, 24))
finally:
    app.shutdown()
"""


def spawn_to_ready(program: str, *args: str) -> float:
    """Seconds from spawning ``python -c program`` to the time it prints."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.time()
    out = subprocess.run([sys.executable, "-c", program, *args], capture_output=True, text=True, env=env, check=True)
    return float(out.stdout.strip().splitlines()[-1]) - start


def launch(reps: int, data_dir: Path) -> tuple[float, float]:
    """Median launch-to-unlock of ours and first paint of a bare app, runs interleaved."""
    ours, bare = [], []
    for _ in range(reps):
        bare.append(spawn_to_ready(BARE))
        ours.append(spawn_to_ready(OURS, str(data_dir)))
    return statistics.median(ours), statistics.median(bare)


async def unlock_to_home(data_dir: Path) -> float:
    """Seconds from enter on the unlock screen to Home painted."""
    from selfcheck.app import make_app
    from selfcheck.screens.home import HomeScreen

    painted = asyncio.Event()
    mounted = HomeScreen.on_mount

    def on_mount(self) -> None:
        mounted(self)
        self.call_after_refresh(painted.set)  # Home's first paint

    HomeScreen.on_mount = on_mount
    try:
        app = make_app(data_dir)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await asyncio.sleep(1.0)  # the user types; the warm-up imports finish meanwhile
            app.screen.query_one("Input").value = PASSPHRASE
            start = time.perf_counter()
            await pilot.press("enter")
            await painted.wait()
            elapsed = time.perf_counter() - start
            app.shutdown()
    finally:
        HomeScreen.on_mount = mounted
    return elapsed


def kdf_alone(kdf) -> float:
    """Seconds for the KDF alone, as unlock runs it."""
    from selfcheck.store.vault import Slot, derive_kek

    slot = Slot(1 if kdf.kind == "argon2id" else 2, kdf, b"\0" * 16, b"", b"")
    start = time.perf_counter()
    derive_kek(b"x", slot)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Build the vault, measure, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and a 19 MiB KDF")
    args = parser.parse_args(argv)

    from selfcheck import synthetic
    from selfcheck.store.journal import Journal
    from selfcheck.store.vault import KdfParams

    kdf = KdfParams.for_memory(19) if args.quick else KdfParams.default()
    with tempfile.TemporaryDirectory(prefix="selfcheck-tui-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        journal = Journal.create(data_dir, PASSPHRASE, kdf=kdf)
        synthetic.fill(journal)
        journal.close()

        reps = 3 if args.quick else 7
        ours, bare = launch(reps, data_dir)
        unlock_reps = 1 if args.quick else 3
        home = statistics.median(asyncio.run(unlock_to_home(data_dir)) for _ in range(unlock_reps))
        kdf_s = statistics.median(kdf_alone(kdf) for _ in range(unlock_reps))

    rest = home - kdf_s
    rows = [
        ("launch to the unlock screen (whole process)", ours, bare, f"{ours / bare:.2f}×", "≤ 1.3×",
         "ok" if ours <= 1.3 * bare else "OVER", "bare Textual app, first paint"),
        ("unlock to painted Home, 10-year vault", home, kdf_s, f"+{rest * 1000:.0f} ms", "≤ KDF + 150 ms",
         "ok" if rest <= 0.150 else "OVER", f"the KDF alone ({kdf.kind} m={kdf.m_kib // 1024} MiB)"),
    ]
    lines = [
        f"# selfcheck TUI benchmark — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"- {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; launch median of {reps}, unlock median of {unlock_reps}",
        "",
        "| operation | ours | floor | ratio | target | verdict | floor is |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for op, mine, floor, ratio, target, verdict, what in rows:
        lines.append(f"| {op} | {mine * 1000:.0f} ms | {floor * 1000:.0f} ms | {ratio} | {target} | {verdict} | {what} |")
    table = "\n".join(lines)
    print(table)
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "tui-latest.md").write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
