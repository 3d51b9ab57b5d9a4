#!/usr/bin/env python3
"""Benchmark the exports: a full year from the 10-year sample vault, each template, md and docx.

    python benchmarks/export_bench.py            # full run (about half a minute)
    python benchmarks/export_bench.py --quick    # smoke run: fewer repetitions

Builds, in a temporary directory, a vault holding 10 years of sample data (``selfcheck.synthetic``:
5,000 study entries, 500 self-checks, 300 rectification items, 40 talk notes; tiny KDF so the KDF
does not blur the rows) and times, for the last 365 days:

* **ours**: what ``selfcheck export`` does once the vault is open — read the year from the journal
  (``Material.from_journal``), build the document, render it, write the file with mode 0600;
* **floor**: the same document's text written the plainest way — for Markdown, joining the block
  texts and one ``write_bytes``; for Word, one plain ``python-docx`` ``add_paragraph`` per block
  (each table row as one tab-joined paragraph) and ``save``. The floor does no gathering, no
  escaping, no styles and no page setup.

The budget (issue 5) is ≤ 1 s for ours. One more row runs the whole CLI process for the meeting
outline (interpreter start, imports, unlock with the tiny KDF, export) for information. Prints a
Markdown table and writes it to ``benchmarks/results/export-latest.md`` (git ignores the folder).
Nothing here is a test: it never fails on a slow machine.
"""

from __future__ import annotations

import argparse
import io
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run from a checkout without installing

import docx  # noqa: E402

from selfcheck import export, synthetic  # noqa: E402
from selfcheck.export import model  # noqa: E402
from selfcheck.store.journal import Journal  # noqa: E402
from selfcheck.store.vault import KdfParams  # noqa: E402

PASSPHRASE = "导出基准口令 bench"
TINY_KDF = KdfParams(t=1, m_kib=64, p=1)
BUDGET_S = 1.0
TODAY = date(2026, 11, 27)


def paired(ours: Callable[[], Any], floor: Callable[[], Any], reps: int) -> tuple[float, float]:
    """Medians of ``ours`` and ``floor``, run alternately so drift hits both alike."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(reps):
        for fn, times in ((ours, a), (floor, b)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b)


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.0f} ms"


def floor_md(document: model.Document, path: Path) -> None:
    """The document's texts joined by blank lines, written in one go."""
    path.write_bytes("\n\n".join(document.texts()).encode("utf-8"))


def floor_docx(document: model.Document, path: Path) -> None:
    """One plain python-docx paragraph per block (a table row as one tab-joined paragraph)."""
    out = docx.Document()
    for block in document.blocks:
        if block.kind == model.TABLE:
            for row in block.rows:
                out.add_paragraph("\t".join(row))
        else:
            out.add_paragraph(block.text)
    buffer = io.BytesIO()
    out.save(buffer)
    path.write_bytes(buffer.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 repetitions instead of 9")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "export-latest.md"))
    args = parser.parse_args(argv)
    reps = 3 if args.quick else 9
    work = Path(tempfile.mkdtemp(prefix="selfcheck-export-bench-"))
    rows: list[tuple[str, float, float | None, str]] = []
    try:
        print("building the 10-year sample vault…", file=sys.stderr)
        journal = Journal.create(work / "data", PASSPHRASE, kdf=TINY_KDF)
        synthetic.fill(journal, end=TODAY)
        period = export.default_period("meeting", TODAY)
        options = export.Options(today=TODAY.isoformat(), grade="qualified")
        sizes: dict[str, str] = {}
        for template in export.TEMPLATES:
            document = export.build(template, export.Material.from_journal(journal, period), period, options)
            sizes[template] = f"{len(document.blocks)} blocks"
            for fmt in ("md", "docx"):
                target = work / f"ours.{fmt}"
                floor_target = work / f"floor.{fmt}"

                def ours(template: str = template, fmt: str = fmt, target: Path = target) -> None:
                    material = export.Material.from_journal(journal, period)
                    built = export.build(template, material, period, options)
                    export.write_export(target, export.render(built, fmt), overwrite=True)

                floor = (floor_md if fmt == "md" else floor_docx)
                print(f"  {template} {fmt}", file=sys.stderr)
                ours_s, floor_s = paired(ours, lambda f=floor, d=document, p=floor_target: f(d, p), reps)
                rows.append((f"{template} → {fmt} ({sizes[template]})", ours_s, floor_s, fmt))
        journal.close()
        # The whole CLI process, for information.
        pw = work / "pw"
        pw.write_text(PASSPHRASE + "\n", encoding="utf-8")
        cmd = [sys.executable, "-m", "selfcheck", "--data-dir", str(work / "data"), "--passphrase-file", str(pw),
               "export", "--template", "meeting", "--to", TODAY.isoformat(), "-o", str(work / "cli.docx"), "--force"]
        times = []
        for _ in range(max(2, reps // 3)):
            start = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
            times.append(time.perf_counter() - start)
            if proc.returncode:
                print(proc.stderr, file=sys.stderr)
                break
        rows.append(("CLI `export --template meeting -o X.docx`, whole process (tiny KDF)", statistics.median(times),
                     None, "cli"))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    lines = [
        f"# Export benchmark — {date.today().isoformat()}",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, {platform.system()}; "
        f"medians of {reps} runs. Period: the last 365 days of a 10-year sample vault "
        f"(about 520 study entries, 50 self-checks, 30 rectification items in the year).",
        "",
        "| export of a full year | ours | floor | ratio | target | verdict | floor is |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, ours_s, floor_s, kind in rows:
        ratio = f"{ours_s / floor_s:.1f}×" if floor_s else "—"
        if kind == "cli":
            target, verdict, floor_is = "—", "—", "— (informational)"
        else:
            target = f"≤ {BUDGET_S:.0f} s"
            verdict = "ok" if ours_s <= BUDGET_S else "OVER"
            floor_is = "texts joined + one write" if kind == "md" else "plain python-docx paragraphs + save"
        lines.append(f"| {name} | {fmt_time(ours_s)} | {fmt_time(floor_s)} | {ratio} | {target} | {verdict} | {floor_is} |")
    report = "\n".join(lines) + "\n"
    print(report)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
