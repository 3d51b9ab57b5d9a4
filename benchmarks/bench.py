#!/usr/bin/env python3
"""Benchmark selfcheck on a synthetic 10-year vault against floors measured in the same run.

    python benchmarks/bench.py            # full run (a few minutes at most)
    python benchmarks/bench.py --quick    # smoke run: fewer repetitions, 19 MiB KDF

Builds, in a temporary directory, a vault holding 10 years of sample data (5,000 study entries,
500 self-checks, 300 rectification items, 40 talk notes; ``selfcheck.synthetic``) and the same
data in a plain TinyDB ``JSONStorage`` file, times each operation on both, and prints a Markdown
table (also written to ``benchmarks/results/latest.md``). See ``benchmarks/README.md`` for how to
read it. Budgets are DESIGN.md §10. Nothing here is a test: it never fails on a slow machine.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from tinydb import TinyDB  # noqa: E402
from tinydb.storages import JSONStorage  # noqa: E402

from selfcheck import synthetic  # noqa: E402
from selfcheck.store import exchange  # noqa: E402
from selfcheck.store.journal import Journal  # noqa: E402
from selfcheck.store.models import Answer, StudyEntry  # noqa: E402
from selfcheck.store.vault import KdfParams, Vault, normalise_passphrase, unwrap_dek  # noqa: E402

PASSPHRASE = "基准测试口令 bench"
TINY_KDF = KdfParams(t=1, m_kib=64, p=1)
#: jrnl on the same 5,000 entries, 2-core machine (DESIGN.md §10); not measured here.
JRNL_LIST_S = 0.65
JRNL_ADD_S = 1.0
JRNL_FLOOR_IS = "jrnl reference (DESIGN §10, not measured)"
SAVE_BUDGET = 1.5
CLI_BUDGET = 0.5
REST_BUDGET_S = 0.150


@dataclass
class Row:
    """One line of the table: our time, the floor's time and what the floor is."""

    operation: str
    ours: float | str
    floor: float | str | None
    floor_is: str
    target: str = ""
    #: ``ours <= limit`` for the verdict; a ratio bound when ``ratio_limit`` else seconds.
    limit: float | None = None
    ratio_limit: bool = True


# ---------------------------------------------------------------------------- timing


def median_time(fn: Callable[[], Any], reps: int) -> float:
    """Median wall time of ``fn()`` over ``reps`` runs."""
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired(ours: Callable[[], Any], floor: Callable[[], Any], reps: int) -> tuple[float, float]:
    """Medians of ``ours`` and ``floor``, run alternately so drift (caches, CPU clock) hits both alike."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(reps):
        for fn, times in ((ours, a), (floor, b)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b)


def fmt_time(seconds: float | str | None) -> str:
    if seconds is None:
        return "—"
    if isinstance(seconds, str):
        return seconds
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.001:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def bare_kdf(kdf: KdfParams) -> Callable[[], bytes]:
    """The KDF alone, straight from ``cryptography``, with the same parameters as a vault slot."""
    secret, salt = normalise_passphrase(PASSPHRASE), os.urandom(16)
    if kdf.kind == "scrypt":
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        return lambda: Scrypt(salt=salt, length=32, n=1 << kdf.log_n, r=kdf.r, p=kdf.p).derive(secret)
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    return lambda: Argon2id(salt=salt, length=32, iterations=kdf.t, lanes=kdf.p, memory_cost=kdf.m_kib).derive(secret)


def kdf_label(kdf: KdfParams) -> str:
    if kdf.kind == "scrypt":
        return f"scrypt N=2^{kdf.log_n}, r={kdf.r}, p={kdf.p}"
    return f"Argon2id t={kdf.t}, m={kdf.m_kib // 1024} MiB, p={kdf.p}"


# ---------------------------------------------------------------------------- the run


class Bench:
    """Holds the temporary directory, the data and the rows while the benchmark runs."""

    def __init__(self, work: Path, quick: bool) -> None:
        self.work = work
        self.quick = quick
        self.reps = 5 if quick else 20
        self.kdf_reps = 2 if quick else 5
        self.cli_reps = 2 if quick else 5
        self.cli_mib = 19 if quick else 64
        self.rows: list[Row] = []
        self.facts: dict[str, str] = {}

    def add(self, row: Row) -> None:
        self.rows.append(row)
        print(f"  {row.operation}: {fmt_time(row.ours)} (floor {fmt_time(row.floor)})", file=sys.stderr, flush=True)

    # ---------------------------------------------------------------- data

    def build(self) -> None:
        """Generate the data; write it to our vault (tiny KDF) and to a plain TinyDB file."""
        end = date.today()
        synthetic.vocabulary()  # parse the TOML once, outside the timing
        gen_time = median_time(lambda: synthetic.generate(10, end=end), 1 if self.quick else 3)
        self.doc = synthetic.generate(10, end=end)
        self.add(Row("generate the 10-year sample set", gen_time, None, "—", "< 1 s", 1.0, False))

        self.vault_dir = self.work / "vault"
        journal = Journal.create(self.vault_dir, PASSPHRASE, kdf=TINY_KDF)
        start = time.perf_counter()
        exchange.import_document(journal, self.doc)
        import_time = time.perf_counter() - start
        tables = json.loads(json.dumps(journal._raw_tables()))
        journal.close()

        self.plain_path = self.work / "plain" / "db.json"
        self.plain_path.parent.mkdir()
        storage = JSONStorage(str(self.plain_path))
        start = time.perf_counter()
        storage.write(tables)
        plain_write = time.perf_counter() - start
        storage.close()
        self.add(
            Row("import the whole set (one commit)", import_time, plain_write, "JSONStorage.write of the same tables")
        )
        self.facts["data"] = (
            f"{len(self.doc['study'])} study entries, {len(self.doc['assessments'])} self-checks, "
            f"{len(self.doc['actions'])} rectification items, {len(self.doc['talks'])} talk notes"
        )
        self.facts["sizes"] = (
            f"vault {(self.vault_dir / 'vault.scv').stat().st_size / 1e6:.1f} MB encrypted; "
            f"TinyDB JSONStorage file {self.plain_path.stat().st_size / 1e6:.1f} MB (ASCII-escaped)"
        )

    # ---------------------------------------------------------------- unlock

    def unlock(self) -> None:
        """KDF alone at two strengths, and the rest of unlocking measured on a tiny-KDF vault."""
        strengths = [KdfParams.for_memory(19)] if self.quick else [KdfParams.default(), KdfParams.for_memory(64)]
        for kdf in strengths:
            vault = Vault.create(self.work / f"kdf-{kdf.m_kib}" / "vault.scv", PASSPHRASE, kdf=kdf)
            header = vault.header
            ours, floor = paired(lambda: unwrap_dek(header, passphrase=PASSPHRASE), bare_kdf(kdf), self.kdf_reps)
            name = "default" if kdf == KdfParams.default() else f"{kdf.m_kib // 1024} MiB"
            operation = f"unlock: KDF alone, {name} ({kdf_label(kdf)})"
            self.add(Row(operation, ours, floor, "the same KDF called directly", "≈ 1×"))

        def open_close() -> None:
            Journal.open(self.vault_dir, passphrase=PASSPHRASE).close()

        def plain_open() -> None:
            db = TinyDB(str(self.plain_path))
            db.storage.read()
            db.close()

        ours, floor = paired(open_close, plain_open, self.reps)
        self.add(
            Row(
                "unlock: the rest (lock, read, decrypt, parse, journal setup)",
                ours,
                floor,
                "TinyDB(JSONStorage) open + read",
                f"≤ {REST_BUDGET_S * 1000:.0f} ms (Home ≤ KDF + 150 ms)",
                REST_BUDGET_S,
                False,
            )
        )

    # ---------------------------------------------------------------- saves and queries

    def operations(self) -> None:
        journal = Journal.open(self.vault_dir, passphrase=PASSPHRASE)
        db = TinyDB(str(self.plain_path))
        try:
            self._queries(journal, db)  # first: the saves add different entries to each side
            self._saves(journal, db)
        finally:
            db.close()
            journal.close()

    def _saves(self, journal: Journal, db: TinyDB) -> None:
        counter = iter(range(10**6))

        def entry() -> StudyEntry:
            title = f"基准测试条目 {next(counter)}"
            return StudyEntry(title=title, form="个人自学", minutes=30, tags=["理论学习"])

        gc.collect()
        ours, floor = paired(
            lambda: journal.add_study(entry()), lambda: db.table("study").insert(entry().to_doc()), self.reps
        )
        self.add(
            Row(
                "save: add one study entry",
                ours,
                floor,
                "TinyDB JSONStorage insert",
                f"≤ {SAVE_BUDGET}× floor",
                SAVE_BUDGET,
            )
        )

        draft = journal.start_assessment("zixing", period_label="基准测试")
        plain_id = db.table("assessments").insert(draft.to_doc())
        answers = iter(range(10**6))

        def answer_ours() -> None:
            k = next(answers)
            draft.answers.append(Answer(item_id=f"zx-{k % 13 + 1:02d}", prompt="基准测试", answer="yes"))
            journal.save_assessment(draft)

        def answer_plain() -> None:
            k = next(answers)
            draft.answers.append(Answer(item_id=f"zx-{k % 13 + 1:02d}", prompt="基准测试", answer="yes"))
            db.table("assessments").update(draft.to_doc(), doc_ids=[plain_id])

        gc.collect()
        ours, floor = paired(answer_ours, answer_plain, self.reps)
        self.add(
            Row(
                "save: one answer in a self-check",
                ours,
                floor,
                "TinyDB JSONStorage update of that doc",
                f"≤ {SAVE_BUDGET}× floor",
                SAVE_BUDGET,
            )
        )

    def _queries(self, journal: Journal, db: TinyDB) -> None:
        def newest(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return sorted(docs, key=lambda d: (d.get("date", ""), d.get("created", "")), reverse=True)

        def plain_last3() -> list[dict[str, Any]]:
            return newest(db.table("study").all())[:3]

        def plain_search(text: str = "党章") -> list[dict[str, Any]]:
            needle = text.casefold()
            found = [
                d
                for d in db.table("study").all()
                if any(needle in str(d.get(k, "")).casefold() for k in ("title", "source", "excerpt", "notes"))
                or any(needle in t.casefold() for t in d.get("tags", ()))
            ]
            return newest(found)

        assert [e.id for e in journal.find_study(limit=3)] == [d["id"] for d in plain_last3()]
        assert len(journal.find_study(text="党章")) == len(plain_search())
        self.facts["search"] = f"search “党章” matches {len(plain_search())} entries"

        ours, floor = paired(lambda: journal.find_study(limit=3), plain_last3, self.reps)
        self.add(Row("list: newest 3 study entries", ours, floor, "TinyDB all() + sort + slice", "≤ 1× floor", 1.0))

        ours, floor = paired(lambda: journal.find_study(text="党章"), plain_search, self.reps)
        operation = "search: “党章” in study entries"
        self.add(Row(operation, ours, floor, "TinyDB all() + the same scan", "≤ 1× floor", 1.0))

        data = db.storage.read()
        reps = max(3, self.reps // 2)
        ours, floor = paired(
            lambda: exchange.export_json(journal),
            lambda: json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"),
            reps,
        )
        self.add(
            Row("export: everything as JSON", ours, floor, "json.dumps of the loaded contents", "≤ 1.5× floor", 1.5)
        )

    # ---------------------------------------------------------------- whole-process CLI

    def cli(self) -> None:
        """``python -m selfcheck ... list -n 3`` and ``... add`` against a 64 MiB-KDF vault."""
        startup = median_time(
            lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), self.cli_reps
        )
        self.add(Row("python -c pass (interpreter start, for scale)", startup, None, "—"))
        kdf = KdfParams.for_memory(self.cli_mib)
        label = f"{self.cli_mib} MiB KDF"
        if not (ROOT / "selfcheck" / "cli.py").exists():
            for op, jrnl in (("list -n 3", JRNL_LIST_S), ("add TITLE --minutes 30", JRNL_ADD_S)):
                operation = f"CLI `{op}`, whole process ({label})"
                self.add(Row(operation, "n/a (cli missing)", jrnl, JRNL_FLOOR_IS, f"< {CLI_BUDGET}× jrnl"))
            return
        cli_dir = self.work / "cli"
        journal = Journal.create(cli_dir, PASSPHRASE, kdf=kdf)
        exchange.import_document(journal, self.doc)
        journal.close()
        pass_file = self.work / "passphrase.txt"
        pass_file.write_text(PASSPHRASE + "\n", encoding="utf-8")
        pass_file.chmod(0o600)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SELFCHECK_")}
        base = [sys.executable, "-m", "selfcheck", "--data-dir", str(cli_dir), "--passphrase-file", str(pass_file)]
        runs = [
            ("list -n 3", ["list", "-n", "3"], JRNL_LIST_S),
            ("add TITLE --minutes 30", ["add", "基准测试：学习党章第二章", "--minutes", "30"], JRNL_ADD_S),
        ]
        for op, args, jrnl in runs:
            failure: list[str] = []

            def run() -> None:
                done = subprocess.run(base + args, cwd=ROOT, env=env, capture_output=True, text=True)
                if done.returncode != 0 and not failure:
                    first = (done.stderr.strip().splitlines() or [""])[0][:60]
                    failure.append(f"error (exit {done.returncode}: {first})")

            ours: float | str = median_time(run, self.cli_reps)
            if failure:
                ours = failure[0]
            self.add(
                Row(
                    f"CLI `{op}`, whole process ({label})",
                    ours,
                    jrnl,
                    JRNL_FLOOR_IS,
                    f"< {CLI_BUDGET}× jrnl",
                    CLI_BUDGET,
                )
            )

    # ---------------------------------------------------------------- report

    def table(self) -> str:
        lines = [
            "| operation | ours | floor | ratio | target | verdict | floor is |",
            "|---|---:|---:|---:|---|---|---|",
        ]
        for r in self.rows:
            ratio = "—"
            verdict = "—"
            if isinstance(r.ours, float) and isinstance(r.floor, float) and r.floor > 0:
                ratio = f"{r.ours / r.floor:.2f}×"
            if isinstance(r.ours, float) and r.limit is not None:
                if r.ratio_limit and isinstance(r.floor, float):
                    verdict = "ok" if r.ours / r.floor <= r.limit else "OVER"
                elif not r.ratio_limit:
                    verdict = "ok" if r.ours <= r.limit else "OVER"
            lines.append(
                f"| {r.operation} | {fmt_time(r.ours)} | {fmt_time(r.floor)} | {ratio} | {r.target or '—'} "
                f"| {verdict} | {r.floor_is} |"
            )
        return "\n".join(lines)

    def report(self) -> str:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        head = [
            f"# selfcheck benchmark{' (quick)' if self.quick else ''} — {stamp}",
            "",
            f"- machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
            f"- data: {self.facts.get('data', '?')}; {self.facts.get('search', '')}",
            f"- {self.facts.get('sizes', '')}",
            f"- medians of {self.reps} runs (KDF {self.kdf_reps}, CLI {self.cli_reps}); temp dir on the "
            f"filesystem of {self.work.parent}",
            "",
            "",
        ]
        return "\n".join(head) + self.table() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and a 19 MiB KDF (smoke run)")
    parser.add_argument("--dir", type=Path, default=None, help="where to make the temporary directory")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "latest.md")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="selfcheck-bench-", dir=args.dir))
    bench = Bench(work, args.quick)
    try:
        print(f"building in {work} ...", file=sys.stderr)
        bench.build()
        bench.unlock()
        bench.operations()
        bench.cli()
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    text = bench.report()
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
