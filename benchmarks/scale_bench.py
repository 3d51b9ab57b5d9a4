#!/usr/bin/env python3
"""How selfcheck scales from 1 to 30 years of data, each row beside a floor measured in the same run.

    python benchmarks/scale_bench.py                  # 1, 10 and 30 years (a few minutes)
    python benchmarks/scale_bench.py --quick          # smoke run: fewer repetitions (about a minute)
    python benchmarks/scale_bench.py --years 30 --rows app,memory

For each size it builds, in a temporary directory, the synthetic journal (``selfcheck.synthetic``,
500 study entries, 50 self-checks, 30 rectification items and 4 talk notes a year: the 10-year set
is the usual 5,000 entries), a vault of it at a 64 MiB KDF for the command line and the unlock row,
one at a tiny KDF for the other TUI rows, and a jrnl journal of the same study entries. It then
times (see ``benchmarks/README.md``):

- ``cli``: ``list -n 3``, ``add``, ``export --format json``, whole processes, alternating with jrnl,
  ``python -c pass`` and a bare "interpreter + KDF + decrypt + parse" process;
- ``unlock``: enter on the unlock screen to Home's first paint, minus the KDF alone (fresh processes);
- ``app``: how long one save stalls the event loop, opening the diary right after a save, and
  opening the export screen (one pilot-run app per size, beside floor screens with the same widgets);
- ``memory``: the peak RSS of a headless run that unlocks, opens the diary, saves an entry and opens
  the export screen, beside a bare Textual app showing as many screens.

Prints a Markdown table and writes it to ``benchmarks/results/scale-latest.md``. Never fails on a
slow machine; nothing here is a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run from a checkout without installing

PASSPHRASE = "基准测试口令 bench"
#: Study entries, self-checks, rectification items and talk notes per year of synthetic data.
PER_YEAR = {"study": 500, "assessments": 50, "actions": 30, "talks": 4}
CLI_KDF_MIB = 64
ADD_TITLE = "基准测试：学习党章第二章"
RESULT_TAG = "SCALE-RESULT "
DEFAULT_JRNL = "/work/jrnl-venv/bin/jrnl"
PILOT_SIZE = (100, 30)

# ------------------------------------------------------------------------------------ floors
# Programs run with ``python -c``: the plainest way to do what a CLI row does.

#: Interpreter + KDF + decrypt + parse: reads the vault (docs/VAULT_FORMAT.md, format 1.x), derives
#: the key with the slot's own parameters, unwraps the data key, decrypts the payload and parses
#: the JSON. Imports only ``cryptography`` besides the standard library. Prints the study count.
KDF_FLOOR = r"""
import json, struct, sys, unicodedata
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
data = open(sys.argv[1], "rb").read()
with open(sys.argv[2], encoding="utf-8") as f:
    secret = unicodedata.normalize("NFC", f.readline().rstrip("\r\n")).encode("utf-8")
_, major, minor, vault_id, _, _, count = struct.unpack_from(">8sHH16sQBB", data, 0)
pos, dek = 38, None
for _ in range(count):
    start, kind = pos, data[pos]
    pos += 1
    if kind == 1:
        t, m, p = struct.unpack_from(">III", data, pos)
        pos += 12
    elif kind == 2:
        log_n, r, p = struct.unpack_from(">BII", data, pos)
        pos += 9
    salt, nonce, wrapped = data[pos:pos + 16], data[pos + 16:pos + 28], data[pos + 28:pos + 76]
    prefix = data[start:pos + 16]
    pos += 76
    if kind in (1, 2) and dek is None:
        if kind == 1:
            from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
            kek = Argon2id(salt=salt, length=32, iterations=t, lanes=p, memory_cost=m).derive(secret)
        else:
            from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
            kek = Scrypt(salt=salt, length=32, n=1 << log_n, r=r, p=p).derive(secret)
        ad = data[:8] + struct.pack(">HH", major, minor) + vault_id + prefix
        dek = AESGCM(kek).decrypt(nonce, wrapped, ad)
payload_salt, payload_nonce, _ = struct.unpack_from(">32s12sQ", data, pos)
pos += 52 + 32
key = HKDF(algorithm=hashes.SHA256(), length=32, salt=payload_salt, info=b"selfcheck/v1 payload").derive(dek)
framed = AESGCM(key).decrypt(payload_nonce, data[pos:], data[:pos])
doc = json.loads(framed[12:].rstrip(b" "))
print(len(doc.get("study", ())))
"""

#: A full JSON export the plainest way: read the same data as plain JSON, dump it as our export
#: does (``ensure_ascii=False, indent=1``) and write the file.
JSON_FLOOR = r"""
import json, sys
with open(sys.argv[1], "rb") as f:
    doc = json.loads(f.read())
with open(sys.argv[2], "wb") as f:
    f.write(json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8") + b"\n")
"""

#: Run by the jrnl venv's python: put the passphrase in the (plaintext, test-only) keyring and
#: encrypt the journal the way jrnl writes it. Exits non-zero when that is not possible.
JRNL_ENCRYPT = r"""
import sys, keyring
src, dst, password = sys.argv[1:4]
keyring.set_password("jrnl", "default", password)
assert keyring.get_password("jrnl", "default") == password
try:
    from jrnl.encryption import determine_encryption_method_for_writing as pick
except ImportError:
    from jrnl.encryption import determine_encryption_method as pick
method = pick(True)
enc = method("default", {"encrypt": True})
enc.password = password
with open(src, encoding="utf-8") as f:
    data = enc.encrypt(f.read())
with open(dst, "wb") as f:
    f.write(data)
print(getattr(enc, "version", method.__name__))
"""

JRNL_CONFIG = """colors: {{body: none, date: none, tags: none, title: none}}
default_hour: 9
default_minute: 0
editor: ''
encrypt: {encrypt}
highlight: false
indent_character: '|'
journals:
  default:
    journal: {journal}
    encrypt: {encrypt}
linewrap: 79
tagsymbols: '#@'
template: false
timeformat: '%Y-%m-%d %H:%M'
version: {version}
"""


# ------------------------------------------------------------------------------------ numbers


def fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.1f} ms"


def fmt_value(value: float, unit: str) -> str:
    return f"{value:.0f} MiB" if unit == "MiB" else fmt_time(value)


def pair(samples: list[float], unit: str, worst: bool = False) -> str:
    """``min / median`` of ``samples`` (``median / max`` with ``worst``)."""
    if worst:
        return f"{fmt_value(statistics.median(samples), unit)} / {fmt_value(max(samples), unit)}"
    return f"{fmt_value(min(samples), unit)} / {fmt_value(statistics.median(samples), unit)}"


@dataclass
class Row:
    """One line of the table. ``ours`` and ``floor`` are samples, or a text (n/a, error …)."""

    name: str
    years: int
    ours: list[float] | str
    floor: list[float] | str | None
    floor_is: str
    goal: str
    #: ours, floor → within the goal? (None: no verdict, e.g. the floor is missing)
    check: Callable[[list[float], list[float] | None], bool | None] | None = None
    unit: str = "s"
    #: Judge and show ``median / max`` (stall rows) instead of ``min / median``.
    worst: bool = False
    extra: str = ""

    def cells(self) -> list[str]:
        ours = self.ours if isinstance(self.ours, str) else pair(self.ours, self.unit, self.worst)
        if self.floor is None:
            floor = "—"
        elif isinstance(self.floor, str):
            floor = self.floor
        else:
            floor = pair(self.floor, self.unit, self.worst)
        ratio = "—"
        if isinstance(self.ours, list) and isinstance(self.floor, list) and self.floor:
            base = statistics.median(self.floor)
            if base > 0:
                ratio = f"{statistics.median(self.ours) / base:.2f}×"
        verdict = "—"
        if self.check is not None and isinstance(self.ours, list) and self.ours:
            floor_samples = self.floor if isinstance(self.floor, list) else None
            try:
                within = self.check(self.ours, floor_samples)
            except (TypeError, ValueError, statistics.StatisticsError):
                within = None
            verdict = "—" if within is None else ("ok" if within else "OVER")
        return [self.name, f"{self.years} y", ours, floor, ratio, self.goal, verdict, self.floor_is, self.extra or "—"]


def med(samples: list[float]) -> float:
    return statistics.median(samples)


# ------------------------------------------------------------------------------------ processes


class CommandFailed(Exception):
    """A timed command exited non-zero."""


def run_timed(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, str]:
    """Wall time of one whole process, from spawn to exit; its stdout."""
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        lines = (done.stderr.strip() or done.stdout.strip()).splitlines()
        last = next((line for line in reversed(lines) if line.strip(" ┃┏┗━|")), "")
        raise CommandFailed(f"exit {done.returncode}: {last.strip(' ┃')[:80]}")
    return elapsed, done.stdout


def child_env() -> dict[str, str]:
    """Our environment without SELFCHECK_* (a data dir or language set by the caller)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("SELFCHECK_")}


#: Starts a command and reports its peak RSS. The memory rows go through it because a process's
#: ``ru_maxrss`` includes the image it was forked from before ``exec``: forked from this (large)
#: process it would count our memory too; forked from this small one it counts only its own.
MAXRSS_LAUNCHER = r"""
import os, subprocess, sys
proc = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(proc.pid, 0)
proc.returncode = os.waitstatus_to_exitcode(status)
print("SCALE-MAXRSS", usage.ru_maxrss, flush=True)
sys.exit(proc.returncode & 0xFF)
"""


def run_child(mode: str, *args: str, timeout: float = 600) -> tuple[dict[str, Any], int]:
    """Run this script in ``--child mode``; return its result and its peak RSS in KiB (measured by
    :data:`MAXRSS_LAUNCHER`)."""
    cmd = [sys.executable, "-c", MAXRSS_LAUNCHER, sys.executable, str(Path(__file__).resolve()), "--child", mode, *args]
    try:
        done = subprocess.run(
            cmd, cwd=ROOT, env=child_env(), capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=timeout
        )
        stdout, stderr, code = done.stdout, done.stderr, done.returncode
    except subprocess.TimeoutExpired as exc:
        stdout, stderr, code = str(exc.stdout or ""), str(exc.stderr or ""), -1
    result: dict[str, Any] = {}
    rss = 0
    for line in stdout.splitlines():
        if line.startswith(RESULT_TAG):
            result = json.loads(line[len(RESULT_TAG) :])
        elif line.startswith("SCALE-MAXRSS "):
            rss = int(line.split()[1])
    if not result:
        tail = (stderr.strip().splitlines() or [f"exit {code}, no result"])[-1]
        result = {"error": f"child {mode} failed: {tail[:200]}"}
    if stderr.strip():
        result.setdefault("stderr", stderr.strip()[-4000:])
    return result, rss


# ------------------------------------------------------------------------------------ the run


@dataclass
class Size:
    """One size of journal and the files made from it."""

    years: int
    dir: Path
    counts: dict[str, int] = field(default_factory=dict)
    cli_dir: Path | None = None
    tui_dir: Path | None = None
    json_file: Path | None = None
    jrnl_config: Path | None = None
    jrnl_env: dict[str, str] = field(default_factory=dict)
    #: Enter → Home painted on the tiny-KDF vault, from the memory row's processes.
    tiny_unlock: list[float] = field(default_factory=list)


class Scale:
    """Builds the data for each size, measures, collects the rows."""

    def __init__(self, work: Path, quick: bool, jrnl: Path, rows: set[str]) -> None:
        self.work = work
        self.quick = quick
        self.jrnl = jrnl
        self.which = rows
        self.cli_reps = 1 if quick else 5
        self.unlock_reps = 1 if quick else 4
        self.kdf_reps = 2 if quick else 4
        self.app_reps = 1 if quick else 6
        self.memory_reps = 1 if quick else 2
        self.rows: list[Row] = []
        self.facts: list[str] = []
        self.problems: list[str] = []
        self.jrnl_kind = "n/a"
        self.pass_file = work / "passphrase.txt"
        self.pass_file.write_text(PASSPHRASE + "\n", encoding="utf-8")
        self.pass_file.chmod(0o600)

    def log(self, text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        cells = row.cells()
        self.log(f"  {row.years:>2} y  {row.name}: ours {cells[2]}, floor {cells[3]} → {cells[6]}")

    def problem(self, where: str, text: str) -> None:
        self.problems.append(f"{where}: {text}")
        self.log(f"  PROBLEM {where}: {text}")

    # ---------------------------------------------------------------- data

    def build(self, years: int) -> Size:
        from selfcheck import synthetic
        from selfcheck.store.exchange import import_document
        from selfcheck.store.journal import Journal
        from selfcheck.store.vault import KdfParams

        size = Size(years, self.work / f"{years}y")
        size.dir.mkdir()
        counts = {k: v * years for k, v in PER_YEAR.items()}
        start = time.perf_counter()
        doc = synthetic.generate(years, end=date.today(), **counts)
        gen_s = time.perf_counter() - start
        size.counts = {k: len(doc[k]) for k in ("study", "assessments", "actions", "talks", "meetings")}
        size.cli_dir = size.dir / "cli"
        size.tui_dir = size.dir / "tui"
        for target, kdf in ((size.cli_dir, KdfParams.for_memory(CLI_KDF_MIB)), (size.tui_dir, tiny_kdf())):
            journal = Journal.create(target, PASSPHRASE, kdf=kdf)
            try:
                import_document(journal, doc)
            finally:
                journal.close()
        # The JSON floor's input: the same records as a plain file (what an export of them holds).
        size.json_file = size.dir / "plain.json"
        size.json_file.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
        vault_mb = vault_path(size.cli_dir).stat().st_size / 1e6
        self.facts.append(
            f"{years} y: {size.counts['study']:,} study entries, {size.counts['assessments']:,} self-checks, "
            f"{size.counts['actions']:,} rectification items, {size.counts['talks']:,} talk notes, "
            f"{size.counts['meetings']} meetings; vault {vault_mb:.1f} MB; generated in {gen_s:.1f} s"
        )
        if "cli" in self.which:
            self.build_jrnl(size, doc)
        return size

    def build_jrnl(self, size: Size, doc: dict[str, Any]) -> None:
        """The same study entries as a jrnl journal: ``[date time] title`` then the notes."""
        if not self.jrnl.exists():
            self.jrnl_kind = f"missing ({self.jrnl})"
            return
        home = size.dir / "jrnl-home"
        for sub in (".config", ".local/share", ".cache"):
            (home / sub).mkdir(parents=True, exist_ok=True)
        entries = sorted(doc["study"], key=lambda e: (e["date"], e.get("created", "")))
        text = "".join(
            f"[{e['date']} {e.get('created', '')[11:16] or '09:00'}] {e['title']}\n{e.get('notes', '').strip()}\n\n"
            for e in entries
        )
        plain = size.dir / "jrnl.txt"
        plain.write_text(text, encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SELFCHECK_", "JRNL", "XDG_"))}
        env.update(
            HOME=str(home),
            XDG_CONFIG_HOME=str(home / ".config"),
            XDG_DATA_HOME=str(home / ".local/share"),
            XDG_CACHE_HOME=str(home / ".cache"),
            PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
            EDITOR="",
            VISUAL="",
        )
        size.jrnl_env = env
        version = "v4"
        try:
            out = subprocess.run([str(self.jrnl), "--version"], env=env, capture_output=True, text=True, timeout=60)
            words = out.stdout.split()
            version = words[1] if len(words) > 1 else version
        except (OSError, subprocess.SubprocessError):
            pass
        python = self.jrnl.parent / "python"
        encrypted = size.dir / "jrnl.enc"
        kind = "plain"
        done = subprocess.run(
            [str(python), "-c", JRNL_ENCRYPT, str(plain), str(encrypted), PASSPHRASE],
            env=env, capture_output=True, text=True,
        )
        if done.returncode == 0 and encrypted.exists():
            kind = f"encrypted ({done.stdout.strip() or 'jrnl'}; passphrase from keyrings.alt PlaintextKeyring)"
        config = size.dir / "jrnl.yaml"
        for attempt in ("encrypted", "plain"):
            if attempt == "encrypted" and kind == "plain":
                continue
            journal, flag = (encrypted, "true") if attempt == "encrypted" else (plain, "false")
            config.write_text(
                JRNL_CONFIG.format(encrypt=flag, journal=journal, version=version.lstrip("v")), encoding="utf-8"
            )
            try:  # also a warm-up: jrnl rewrites an older config's version once
                _, out_text = run_timed([str(self.jrnl), "--config-file", str(config), "-n", "1"], env, size.dir)
            except CommandFailed as exc:
                self.problem(f"jrnl {attempt} journal", str(exc))
                continue
            if entries and entries[-1]["title"] not in out_text:
                self.problem(f"jrnl {attempt} journal", "the newest entry is not what jrnl lists")
                continue
            size.jrnl_config = config
            self.jrnl_kind = f"jrnl {version}, {kind if attempt == 'encrypted' else 'plain journal'}"
            return
        self.jrnl_kind = f"jrnl {version} failed"

    # ---------------------------------------------------------------- whole processes

    def cli(self, size: Size) -> None:
        assert size.cli_dir is not None
        y = size.years
        env = child_env()
        py = sys.executable
        ours = [py, "-m", "selfcheck", "--data-dir", str(size.cli_dir), "--passphrase-file", str(self.pass_file)]
        jrnl = [str(self.jrnl), "--config-file", str(size.jrnl_config)] if size.jrnl_config else None
        vault = vault_path(size.cli_dir)
        export_out = size.dir / "export.json"
        floor_out = size.dir / "floor.json"

        # Check once that the KDF floor reads what we wrote (this also warms the page cache).
        try:
            _, out = run_timed([py, "-c", KDF_FLOOR, str(vault), str(self.pass_file)], env, size.dir)
            if int(out.strip() or -1) != size.counts["study"]:
                self.problem("KDF floor", f"read {out.strip()} study entries, expected {size.counts['study']}")
        except (CommandFailed, ValueError) as exc:
            self.problem("KDF floor", str(exc))

        def series(commands: dict[str, list[str] | None], cwd: Path) -> dict[str, list[float] | str]:
            """Each command ``cli_reps`` times, in turn (A B C A B C …); a failure ends that one."""
            got: dict[str, list[float] | str] = {k: ([] if v else "n/a") for k, v in commands.items()}
            for name, cmd in commands.items():  # one warm-up each (not in a quick run)
                if cmd and not self.quick:
                    try:
                        run_timed(cmd, env if name != "jrnl" else size.jrnl_env, cwd)
                    except CommandFailed as exc:
                        got[name] = f"error ({exc})"
            for _ in range(self.cli_reps):
                for name, cmd in commands.items():
                    samples = got[name]
                    if cmd is None or isinstance(samples, str):
                        continue
                    try:
                        elapsed, _ = run_timed(cmd, env if name != "jrnl" else size.jrnl_env, cwd)
                        samples.append(elapsed)
                    except CommandFailed as exc:
                        got[name] = f"error ({exc})"
            return got

        list_runs = series(
            {
                "ours": ours + ["list", "-n", "3"],
                "jrnl": (jrnl + ["-n", "3"]) if jrnl else None,
                "pass": [py, "-c", "pass"],
                "kdf": [py, "-c", KDF_FLOOR, str(vault), str(self.pass_file)],
            },
            ROOT,
        )
        extra = self.cli_extra(list_runs)
        jrnl_is = f"jrnl `-n 3` ({self.jrnl_kind})" if jrnl else f"jrnl ({self.jrnl_kind})"
        self.add(
            Row(
                "CLI `list -n 3`, whole process (64 MiB KDF)",
                y,
                list_runs["ours"],
                list_runs["jrnl"],
                jrnl_is,
                "≤ 0.42× jrnl",
                lambda o, f: None if f is None else med(o) <= 0.42 * med(f),
                extra=extra,
            )
        )
        add_runs = series(
            {
                "ours": ours + ["add", ADD_TITLE, "--minutes", "30"],
                "jrnl": (jrnl + [ADD_TITLE]) if jrnl else None,
            },
            ROOT,
        )
        self.add(
            Row(
                "CLI `add TITLE --minutes 30`, whole process (64 MiB KDF)",
                y,
                add_runs["ours"],
                add_runs["jrnl"],
                "jrnl `TITLE` (adds an entry)" if jrnl else f"jrnl ({self.jrnl_kind})",
                "≤ 0.30× jrnl",
                lambda o, f: None if f is None else med(o) <= 0.30 * med(f),
                extra=extra,
            )
        )
        json_runs = series(
            {
                "ours": ours + ["export", "--format", "json", "-o", str(export_out), "--force"],
                "json": [py, "-c", JSON_FLOOR, str(size.json_file), str(floor_out)] if size.json_file else None,
            },
            ROOT,
        )
        self.add(
            Row(
                "CLI `export --format json`, whole process (64 MiB KDF)",
                y,
                json_runs["ours"],
                json_runs["json"],
                "`python -c`: read the same export as plain JSON, json.dumps it, write it",
                "≤ 400 ms",
                lambda o, f: med(o) <= 0.400,
                extra=extra,
            )
        )

    @staticmethod
    def cli_extra(runs: dict[str, list[float] | str]) -> str:
        parts = []
        for key, label in (("pass", "`python -c pass`"), ("kdf", "interpreter + KDF + decrypt + parse")):
            samples = runs.get(key)
            parts.append(f"{label} {pair(samples, 's') if isinstance(samples, list) and samples else samples}")
        return "; ".join(parts)

    # ---------------------------------------------------------------- TUI, in child processes

    def unlock(self, size: Size) -> None:
        from selfcheck.store.vault import KdfParams

        assert size.cli_dir is not None
        kdf = KdfParams.for_memory(CLI_KDF_MIB)
        beyond: list[float] = []
        homes: list[float] = []
        kdfs: list[float] = []
        error = ""
        for _ in range(self.unlock_reps):
            result, _rss = run_child(
                "unlock", "--data-dir", str(size.cli_dir), "--kdf", kdf_arg(kdf), "--reps", str(self.kdf_reps)
            )
            self.note_child(f"unlock {size.years} y", result)
            if "home" not in result:
                error = result.get("error", "no result")
                break
            kdf_s = med(result["kdf"])
            homes.append(result["home"])
            kdfs.append(kdf_s)
            beyond.append(result["home"] - kdf_s)
        goal = 0.150 if size.years >= 30 else 0.100
        extra = ""
        if homes:
            extra = f"enter → Home painted {pair(homes, 's')}; KDF alone ({kdf_text(kdf)}) {pair(kdfs, 's')}"
        if size.tiny_unlock:
            extra += (
                f"; enter → Home painted on the tiny-KDF vault (memory row's process, no subtraction): "
                f"{pair(size.tiny_unlock, 's')}"
            )
        self.add(
            Row(
                "unlock → Home first paint, beyond the KDF (64 MiB KDF, fresh process each)",
                size.years,
                beyond if beyond else f"error ({error})",
                None,
                "— (the KDF alone, same parameters, is subtracted)",
                f"≤ {goal * 1000:.0f} ms",
                lambda o, f: med(o) <= goal,
                extra=extra,
            )
        )

    def app(self, size: Size) -> None:
        assert size.tui_dir is not None
        result, _rss = run_child("app", "--data-dir", str(size.tui_dir), "--reps", str(self.app_reps))
        self.note_child(f"app {size.years} y", result)
        y = size.years
        error = f"error ({result.get('error', 'no result')})"

        def got(key: str) -> list[float] | str:
            value = result.get(key)
            if isinstance(value, list) and value:
                return value
            return f"error ({result[key + '_error']})" if key + "_error" in result else error

        parts = []
        for key, label in (
            ("save_window", "save window (ctrl+s → the save reported), min / median"),
            ("whole", "max stall from ctrl+s until the diary has reloaded and been painted"),
            ("transition", "the same screens without a save (open the entry screen, esc)"),
        ):
            if isinstance(result.get(key), list) and result[key]:
                parts.append(f"{label}: {pair(result[key], 's', worst=key != 'save_window')}")
        stall_extra = "; ".join(parts)
        self.add(
            Row(
                "event-loop stall during one background save (ctrl+s on the entry screen until the save is "
                "reported; median / max of the per-save max)",
                y,
                got("stall"),
                got("idle"),
                "the same ticker (max lateness of asyncio.sleep(1 ms)), no save, same duration",
                "≤ 16 ms",
                lambda o, f: max(o) <= 0.016,
                worst=True,
                extra=stall_extra,
            )
        )
        self.add(
            Row(
                "open the diary right after a save (d on Home → first paint)",
                y,
                got("diary"),
                got("diary_floor"),
                "a screen with the diary's widgets and a page of plain rows",
                "≤ floor + 50 ms",
                lambda o, f: None if f is None else med(o) <= med(f) + 0.050,
            )
        )
        self.add(
            Row(
                "open the export screen (e on Home → first paint)",
                y,
                got("export"),
                got("export_floor"),
                "a screen with the export screen's widgets and no data",
                "≤ floor + 80 ms",
                lambda o, f: None if f is None else med(o) <= med(f) + 0.080,
            )
        )

    def memory(self, size: Size, floor: list[float] | str) -> None:
        assert size.tui_dir is not None
        peaks: list[float] = []
        error = ""
        for _ in range(self.memory_reps):
            result, rss = run_child("memory", "--data-dir", str(size.tui_dir))
            self.note_child(f"memory {size.years} y", result)
            if not result.get("ok"):
                error = result.get("error", "no result")
                break
            peaks.append(rss / 1024)
            if isinstance(result.get("home"), float):
                size.tiny_unlock.append(result["home"])
        self.add(
            Row(
                "TUI peak RSS: unlock, diary, save one entry, export screen, quit (tiny KDF)",
                size.years,
                peaks if peaks else f"error ({error})",
                floor,
                "a bare Textual app (pilot) showing as many screens",
                "≤ 100 MiB",
                lambda o, f: med(o) <= 100,
                unit="MiB",
                extra=f"the real KDF adds its own memory during unlock (64 MiB here, {256} MiB by default)",
            )
        )

    def memory_floor(self) -> list[float] | str:
        peaks: list[float] = []
        for _ in range(self.memory_reps):
            result, rss = run_child("memory-floor")
            self.note_child("memory floor", result)
            if not result.get("ok"):
                return f"error ({result.get('error', 'no result')})"
            peaks.append(rss / 1024)
        return peaks

    def note_child(self, where: str, result: dict[str, Any]) -> None:
        """Errors and tracebacks a child saw go to the report's problem list."""
        for key, value in result.items():
            if key == "error" or key.endswith("_error"):
                self.problem(where, str(value))
        for text in result.get("app_errors", []):
            self.problem(where, text)
        stderr = result.get("stderr", "")
        if "Traceback" in stderr or "Error" in stderr:
            self.problem(where, "stderr: " + stderr[-1500:])

    # ---------------------------------------------------------------- report

    def report(self, years: list[int]) -> str:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        lines = [
            f"# selfcheck scale benchmark{' (quick)' if self.quick else ''} — {stamp}",
            "",
            f"- machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
            f"- sizes: {', '.join(f'{y} y' for y in years)}; per year {PER_YEAR['study']} study entries, "
            f"{PER_YEAR['assessments']} self-checks, {PER_YEAR['actions']} rectification items, "
            f"{PER_YEAR['talks']} talk notes",
            *[f"- {fact}" for fact in self.facts],
            f"- jrnl: {self.jrnl_kind}",
            f"- repetitions: CLI {self.cli_reps} per command (alternating with the floors), unlock "
            f"{self.unlock_reps} processes, app rows {self.app_reps} each, memory {self.memory_reps}",
            "- cells are min / median (stall rows: median / max of the per-save maximum); ratio is median ÷ "
            "median; the verdict uses the median (stall rows: the max). 1 y is judged by the 10 y goal.",
            "",
            "| row | size | ours | floor | ratio | goal | verdict | floor is | also measured |",
            "|---|---:|---:|---:|---:|---|---|---|---|",
        ]
        for row in sorted(self.rows, key=lambda r: (row_order(r.name), r.years)):
            lines.append("| " + " | ".join(row.cells()) + " |")
        if self.problems:
            lines += ["", "## Problems seen while measuring", ""]
            lines += [f"- {p.replace(chr(10), ' ⏎ ')[:1200]}" for p in dict.fromkeys(self.problems)]
        return "\n".join(lines) + "\n"


def row_order(name: str) -> int:
    for i, prefix in enumerate(("CLI `list", "CLI `add", "CLI `export", "event-loop", "unlock", "open the diary",
                                "open the export", "TUI peak")):
        if name.startswith(prefix):
            return i
    return 99


def tiny_kdf():
    from selfcheck.store.vault import KdfParams

    return KdfParams(t=1, m_kib=64, p=1)


def vault_path(data_dir: Path) -> Path:
    try:
        from selfcheck.store.paths import vault_file

        return vault_file(data_dir)
    except ImportError:
        return data_dir / "vault.scv"


def kdf_arg(kdf: Any) -> str:
    return f"{kdf.kind},{kdf.t},{kdf.m_kib},{kdf.p},{kdf.log_n},{kdf.r}"


def kdf_text(kdf: Any) -> str:
    if kdf.kind == "scrypt":
        return f"scrypt N=2^{kdf.log_n}"
    return f"Argon2id t={kdf.t}, {kdf.m_kib // 1024} MiB, p={kdf.p}"


# ==================================================================================== children
# Each runs in its own process (``--child MODE``) and prints one ``SCALE-RESULT {json}`` line.


def floor_screens() -> dict[str, Any]:
    """Screens with the widgets of ours and no data of their own (imported in children only)."""
    from textual.app import ComposeResult
    from textual.containers import Horizontal, Vertical, VerticalScroll
    from textual.screen import Screen
    from textual.widgets import (
        DataTable,
        Footer,
        Input,
        Label,
        Select,
        SelectionList,
        Static,
        TabbedContent,
        TabPane,
        TextArea,
    )

    class DiaryFloor(Screen):
        """The diary's widgets (notice, search, three selects, table, status, footer) with a page of
        plain rows (as in diary_bench.py), doing no work of its own."""

        def compose(self) -> ComposeResult:
            yield Static("notice")
            with Horizontal():
                yield Input(id="q", compact=True)
                yield Select([("a", "a"), ("b", "b")], value="a", allow_blank=False, id="s1", compact=True)
                yield Select([], id="s2", compact=True)
                yield Select([], id="s3", compact=True)
            yield DataTable(cursor_type="row", zebra_stripes=True)
            yield Static("status")
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("date", "title", "form", "min", "tags")
            table.add_rows([("2026-01-01", f"row {i}", "x", "30", "t") for i in range(60)])
            table.focus()

    def row(label: str, widget: Any) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield Label(label, classes="field-label")
            yield widget

    class ExportFloor(Screen):
        """The export screen's widgets (three tabs: options, items, preview) with no data."""

        def compose(self) -> ComposeResult:
            options = [(f"option {i}", f"o{i}") for i in range(5)]
            with TabbedContent(initial="options"):
                with TabPane("options", id="options"):
                    with VerticalScroll():
                        yield Static("notice", classes="notice-line")
                        yield from row("template", Select(options, value="o0", allow_blank=False, compact=True))
                        yield from row("from", Input("2026-01-01", compact=True, max_length=10))
                        yield from row("to", Input("2026-12-31", compact=True, max_length=10))
                        yield from row("aspects", Select(options, value="o0", allow_blank=False, compact=True))
                        yield Static("note", classes="muted")
                        yield from row("headings", Input(compact=True, placeholder="headings"))
                        yield from row("grade", Select(options, prompt="none", compact=True))
                        yield from row("name", Input(compact=True, placeholder="name"))
                        yield from row("format", Select(options, value="o0", allow_blank=False, compact=True))
                        yield from row("destination", Input("/tmp/x.docx", compact=True))
                        yield Static("font", classes="muted")
                        yield Static("", classes="error-line")
                with TabPane("items", id="items"):
                    yield Static("hint", classes="muted")
                    yield SelectionList[str]()
                    yield SelectionList[str]()
                with TabPane("preview", id="preview"):
                    yield Static("hint", classes="muted")
                    yield TextArea("", soft_wrap=True, show_line_numbers=False)
            yield Footer()

    class InputFloor(Screen):
        """The unlock screen's widgets."""

        def compose(self) -> ComposeResult:
            with VerticalScroll():
                yield Static("brand")
                yield Static("locked")
                with Horizontal(classes="field-row"):
                    yield Label("passphrase")
                    yield Input(password=True, compact=True)
                yield Static("")
                yield Static("forgot")
            yield Footer()

    class HomeFloor(Screen):
        """Home's widgets."""

        def compose(self) -> ComposeResult:
            yield Static("title")
            with Horizontal():
                with Vertical():
                    yield Static("checks\n" * 12)
                with Vertical():
                    yield Static("study\n" * 3)
                    yield Static("actions\n" * 5)
            yield Static("hint")
            yield Footer(compact=True)

    class FormFloor(Screen):
        """The entry screen's widgets."""

        def compose(self) -> ComposeResult:
            with VerticalScroll():
                yield Static("title")
                yield Static("notice")
                for name in ("date", "minutes", "title", "source", "form", "tags"):
                    yield from row(name, Input(compact=True))
                yield Label("excerpt")
                yield TextArea("", soft_wrap=True, show_line_numbers=False)
                yield Label("notes")
                yield TextArea("", soft_wrap=True, show_line_numbers=False)
                yield Static("")
            yield Footer()

    return {"diary": DiaryFloor, "export": ExportFloor, "input": InputFloor, "home": HomeFloor, "form": FormFloor}


class Paints:
    """First paints: a screen class patched with :meth:`hook` marks the time its first refresh
    after ``on_mount`` ran (``call_after_refresh`` queued from ``on_mount``, as in tui_bench.py)."""

    def __init__(self) -> None:
        self.when: dict[str, float] = {}
        self.events: dict[str, asyncio.Event] = {}

    def hook(self, cls: type, name: str) -> None:
        original = cls.__dict__.get("on_mount")  # Textual calls the bases' own handlers itself
        paints = self

        def on_mount(screen: Any) -> None:
            if original is not None:
                original(screen)
            screen.call_after_refresh(paints.mark, name)

        cls.on_mount = on_mount  # type: ignore[attr-defined]

    def arm(self, name: str) -> None:
        self.when.pop(name, None)
        self.events[name] = asyncio.Event()

    def mark(self, name: str) -> None:
        self.when[name] = time.perf_counter()
        event = self.events.get(name)
        if event is not None:
            event.set()

    async def wait(self, name: str, timeout: float = 60) -> float:
        await asyncio.wait_for(self.events[name].wait(), timeout)
        return self.when[name]


#: The character each key we send carries (as Textual's pilot would send it).
KEY_CHARS = {"enter": "\r", "escape": "\x1b", "ctrl+s": None}


def send_key(app: Any, key: str) -> None:
    """Send one key press to the app the way the pilot's driver does, without the pilot's waiting
    for an idle loop afterwards (which the ticker would keep from ever being idle, and which
    makes every key take a few hundred milliseconds on two cores)."""
    from textual import events

    event = events.Key(key, KEY_CHARS.get(key, key))
    event.set_sender(app)
    app.post_message(event)


async def painted(app: Any) -> None:
    """Until the screen has been refreshed after what was just asked."""
    done = asyncio.Event()
    app.call_after_refresh(done.set)
    await asyncio.wait_for(done.wait(), 60)


async def until(test: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.perf_counter() + timeout
    while not test():
        if time.perf_counter() > deadline:
            raise TimeoutError("timed out waiting for the app")
        await asyncio.sleep(0.005)


class Ticker:
    """Sleeps 1 ms again and again on the event loop and records how late each wake-up was."""

    def __init__(self) -> None:
        self.samples: list[tuple[float, float]] = []
        self._stop = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.samples = []
        self._stop = False
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while not self._stop:
            before = time.perf_counter()
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            self.samples.append((now, now - before - 0.001))

    async def stop(self) -> list[tuple[float, float]]:
        self._stop = True
        if self._task is not None:
            await self._task
        return self.samples


def worst(samples: list[tuple[float, float]], before: float | None = None) -> float:
    late = [s for t, s in samples if before is None or t <= before]
    return max(late) if late else 0.0


async def unlock_app(app: Any, pilot: Any) -> None:
    """Type the passphrase on the unlock screen, press enter, wait for Home and its index."""
    from textual.widgets import Input

    from selfcheck.screens.home import HomeScreen
    from selfcheck.screens.unlock import UnlockScreen

    await until(lambda: isinstance(app.screen, UnlockScreen))
    await pilot.pause()
    app.screen.query_one(Input).value = PASSPHRASE
    send_key(app, "enter")
    await until(lambda: isinstance(app.screen, HomeScreen))
    await pilot.pause()
    await app.workers.wait_for_complete()  # the diary index built after Home's first paint
    await asyncio.sleep(0.1)


def app_errors(app: Any) -> list[str]:
    exc = getattr(app, "_exception", None)
    return [f"app exception: {type(exc).__name__}: {exc}"] if exc is not None else []


async def timed_unlock(app: Any, pilot: Any, paints: Paints) -> float:
    """Seconds from enter on the unlock screen (passphrase typed) to Home's first paint."""
    from textual.widgets import Input

    from selfcheck.screens.unlock import UnlockScreen

    await until(lambda: isinstance(app.screen, UnlockScreen))
    await pilot.pause()
    await asyncio.sleep(0.5)  # the user types; anything started at launch settles meanwhile
    app.screen.query_one(Input).value = PASSPHRASE
    paints.arm("home")
    start = time.perf_counter()
    send_key(app, "enter")
    try:
        elapsed = await paints.wait("home", timeout=30) - start
    except TimeoutError:
        shown = ""
        if isinstance(app.screen, UnlockScreen):
            shown = str(app.screen.query_one("#message").render())
        raise TimeoutError(f"no Home within 30 s; the unlock screen says: {shown!r}") from None
    await app.workers.wait_for_complete()  # the diary index built after Home's first paint
    return elapsed


async def child_unlock(data_dir: Path, kdf: str, kdf_reps: int) -> dict[str, Any]:
    """Enter on the unlock screen to Home's first paint in a fresh process; then the KDF alone."""
    from selfcheck.app import make_app
    from selfcheck.screens.home import HomeScreen

    paints = Paints()
    paints.hook(HomeScreen, "home")
    app = make_app(data_dir)
    result: dict[str, Any] = {}
    async with app.run_test(size=PILOT_SIZE) as pilot:
        result["home"] = await timed_unlock(app, pilot, paints)
        await asyncio.to_thread(app.shutdown)
        result["app_errors"] = app_errors(app)
    result["kdf"] = [kdf_alone(kdf) for _ in range(kdf_reps)]
    return result


def kdf_alone(arg: str) -> float:
    """Seconds for the KDF alone, straight from ``cryptography``, with the vault's parameters."""
    import unicodedata

    kind, t, m_kib, p, log_n, r = arg.split(",")
    secret = unicodedata.normalize("NFC", PASSPHRASE).encode("utf-8")
    salt = os.urandom(16)
    start = time.perf_counter()
    if kind == "scrypt":
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        Scrypt(salt=salt, length=32, n=1 << int(log_n), r=int(r), p=int(p)).derive(secret)
    else:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

        Argon2id(salt=salt, length=32, iterations=int(t), lanes=int(p), memory_cost=int(m_kib)).derive(secret)
    return time.perf_counter() - start


async def child_app(data_dir: Path, reps: int) -> dict[str, Any]:
    """The in-app rows on one pilot-run app: stall per save, diary after a save, export screen."""
    from textual.widgets import Input

    from selfcheck.app import make_app
    from selfcheck.screens.diary import DiaryScreen
    from selfcheck.screens.entry import EntryScreen
    from selfcheck.screens.export import ExportScreen
    from selfcheck.screens.home import HomeScreen
    from selfcheck.store.models import StudyEntry

    floors = floor_screens()
    paints = Paints()
    paints.hook(DiaryScreen, "diary")
    paints.hook(ExportScreen, "export")
    paints.hook(floors["diary"], "diary_floor")
    paints.hook(floors["export"], "export_floor")

    # When the save has been reported (the entry screen's on_done starts: everything before it is
    # the background save), and when the diary has reloaded after the dismiss and been painted.
    marks: dict[str, Any] = {}
    original_done = EntryScreen._done
    original_saved = DiaryScreen._saved

    def entry_done(screen: Any, entry_id: Any) -> None:
        marks.setdefault("done", time.perf_counter())
        original_done(screen, entry_id)

    def saved(screen: Any, entry_id: Any) -> None:
        original_saved(screen, entry_id)
        screen.app.call_after_refresh(marks["event"].set)

    EntryScreen._done = entry_done  # type: ignore[method-assign,assignment]
    DiaryScreen._saved = saved  # type: ignore[method-assign,assignment]

    result: dict[str, Any] = {}
    app = make_app(data_dir)
    async with app.run_test(size=PILOT_SIZE) as pilot:
        await unlock_app(app, pilot)
        ticker = Ticker()
        counter = iter(range(10**6))

        # ------------------------------------------------ stall: ctrl+s on the entry screen
        try:
            send_key(app, "d")
            await until(lambda: isinstance(app.screen, DiaryScreen))
            await painted(app)
            stall, idle, transition, whole, windows = [], [], [], [], []
            for _ in range(reps):
                send_key(app, "n")
                await until(lambda: isinstance(app.screen, EntryScreen))
                await painted(app)
                entry = app.screen
                entry.query_one("#title", Input).value = f"基准测试 {next(counter)}"
                entry.query_one("#minutes", Input).value = "30"
                await painted(app)
                await asyncio.sleep(0.05)
                marks.clear()
                marks["event"] = asyncio.Event()
                ticker.start()
                start = time.perf_counter()
                send_key(app, "ctrl+s")
                await asyncio.wait_for(marks["event"].wait(), 120)
                await asyncio.sleep(0.03)
                samples = await ticker.stop()
                stall.append(worst(samples, marks["done"]))
                whole.append(worst(samples))
                windows.append(marks["done"] - start)
                await asyncio.sleep(0.05)
                # The floor: the same ticker for as long, with nothing saved.
                ticker.start()
                await asyncio.sleep(marks["done"] - start)
                idle.append(worst(await ticker.stop()))
                # The same screens without a save: open the entry screen and leave it unchanged.
                send_key(app, "n")
                await until(lambda: isinstance(app.screen, EntryScreen))
                await painted(app)
                await asyncio.sleep(0.05)
                ticker.start()
                send_key(app, "escape")
                await until(lambda: isinstance(app.screen, DiaryScreen))
                await painted(app)
                await asyncio.sleep(0.03)
                transition.append(worst(await ticker.stop()))
                await asyncio.sleep(0.05)
            result.update(stall=stall, idle=idle, transition=transition, whole=whole, save_window=windows)
        except Exception as exc:  # noqa: BLE001 - reported in the table
            result["stall_error"] = describe(exc)
        while len(app.screen_stack) > 2:
            await app.pop_screen()
        await until(lambda: isinstance(app.screen, HomeScreen))
        await painted(app)
        await app.workers.wait_for_complete()

        # ------------------------------------------------ the diary right after a save
        async def save_one() -> None:
            done = asyncio.Event()
            entry = StudyEntry(title=f"基准测试 {next(counter)}", form="个人自学", minutes=30)
            app.save(lambda j: j.add_study(entry), on_done=lambda _: done.set())
            await asyncio.wait_for(done.wait(), 120)

        async def open_screen(name: str, key: str | None, screen: Any = None) -> float:
            paints.arm(name)
            start = time.perf_counter()
            if key is not None:
                send_key(app, key)
                when = await paints.wait(name)
            else:
                app.push_screen(screen)
                when = await paints.wait(name)
            await painted(app)
            await app.pop_screen()
            await until(lambda: isinstance(app.screen, HomeScreen))
            await painted(app)
            await app.workers.wait_for_complete()
            await asyncio.sleep(0.05)
            return when - start

        try:
            ours, floor = [], []
            for _ in range(reps):
                await save_one()
                ours.append(await open_screen("diary", "d"))
                floor.append(await open_screen("diary_floor", None, floors["diary"]()))
            result.update(diary=ours, diary_floor=floor)
        except Exception as exc:  # noqa: BLE001
            result["diary_error"] = describe(exc)

        # ------------------------------------------------ the export screen
        try:
            ours, floor = [], []
            for _ in range(reps):
                ours.append(await open_screen("export", "e"))
                floor.append(await open_screen("export_floor", None, floors["export"]()))
            result.update(export=ours, export_floor=floor)
        except Exception as exc:  # noqa: BLE001
            result["export_error"] = describe(exc)
        result["app_errors"] = app_errors(app)
        await asyncio.to_thread(app.shutdown)
    return result


async def child_memory(data_dir: Path) -> dict[str, Any]:
    """Unlock (timed: enter → Home painted), open the diary, save one entry from it, open the
    export screen, quit."""
    from textual.widgets import Input

    from selfcheck.app import make_app
    from selfcheck.screens.diary import DiaryScreen
    from selfcheck.screens.entry import EntryScreen
    from selfcheck.screens.export import ExportScreen
    from selfcheck.screens.home import HomeScreen

    paints = Paints()
    paints.hook(HomeScreen, "home")
    app = make_app(data_dir)
    async with app.run_test(size=PILOT_SIZE) as pilot:
        home = await timed_unlock(app, pilot, paints)
        send_key(app, "d")
        await until(lambda: isinstance(app.screen, DiaryScreen))
        await painted(app)
        send_key(app, "n")
        await until(lambda: isinstance(app.screen, EntryScreen))
        await painted(app)
        app.screen.query_one("#title", Input).value = "基准测试 内存"
        send_key(app, "ctrl+s")
        await until(lambda: isinstance(app.screen, DiaryScreen))
        await asyncio.to_thread(app.wait_for_saves)
        await painted(app)
        await app.pop_screen()
        await until(lambda: isinstance(app.screen, HomeScreen))
        send_key(app, "e")
        await until(lambda: isinstance(app.screen, ExportScreen))
        await painted(app)
        await app.pop_screen()
        await painted(app)
        errors = app_errors(app)
        await asyncio.to_thread(app.shutdown)
    return {"ok": True, "home": home, "app_errors": errors}


async def child_memory_floor() -> dict[str, Any]:
    """A bare Textual app showing the same number of screens with the same kinds of widgets."""
    from textual.app import App

    floors = floor_screens()
    app: App[None] = App()
    async with app.run_test(size=PILOT_SIZE) as pilot:
        for name in ("input", "home", "diary", "form"):
            await app.push_screen(floors[name]())
            await painted(app)
        await app.pop_screen()
        await app.pop_screen()
        await painted(app)
        await app.push_screen(floors["export"]())
        await painted(app)
        await app.pop_screen()
        await painted(app)
        await pilot.pause()
    return {"ok": True}


def describe(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/selfcheck/" in f.filename]
    where = ours[-1] if ours else (frames[-1] if frames else None)
    place = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
    return f"{type(exc).__name__}: {exc}{place}"


def child_main(args: argparse.Namespace) -> int:
    try:
        if args.child == "unlock":
            result = asyncio.run(child_unlock(Path(args.data_dir), args.kdf, args.reps))
        elif args.child == "app":
            result = asyncio.run(child_app(Path(args.data_dir), args.reps))
        elif args.child == "memory":
            result = asyncio.run(child_memory(Path(args.data_dir)))
        elif args.child == "memory-floor":
            result = asyncio.run(child_memory_floor())
        else:
            result = {"error": f"unknown child {args.child}"}
    except Exception as exc:  # noqa: BLE001 - one line for the parent, the traceback on stderr
        traceback.print_exc()
        result = {"error": describe(exc)}
    print(RESULT_TAG + json.dumps(result), flush=True)
    return 0


# ==================================================================================== main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--years", default="1,10,30", help="sizes in years, comma-separated (default 1,10,30)")
    parser.add_argument("--quick", action="store_true", help="smoke run: fewer repetitions")
    parser.add_argument("--rows", default="cli,unlock,app,memory", help="which groups: cli,unlock,app,memory")
    parser.add_argument("--jrnl", type=Path, default=Path(DEFAULT_JRNL), help=f"jrnl executable (default {DEFAULT_JRNL})")
    parser.add_argument("--dir", type=Path, default=None, help="where to make the temporary directory")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "scale-latest.md")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    parser.add_argument("--kdf", help=argparse.SUPPRESS)
    parser.add_argument("--reps", type=int, default=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child_main(args)

    years = sorted({int(y) for y in args.years.split(",") if y.strip()})
    groups = {g.strip() for g in args.rows.split(",") if g.strip()}
    work = Path(tempfile.mkdtemp(prefix="selfcheck-scale-", dir=args.dir))
    bench = Scale(work, args.quick, args.jrnl, groups)
    started = time.perf_counter()
    try:
        bench.log(f"working in {work}")
        memory_floor: list[float] | str = "n/a"
        if "memory" in groups:
            memory_floor = bench.memory_floor()
        for y in years:
            bench.log(f"{y} y: building ...")
            size = bench.build(y)
            steps: list[tuple[str, Callable[[], None]]] = [
                ("cli", lambda: bench.cli(size)),
                ("memory", lambda: bench.memory(size, memory_floor)),  # before unlock: it times one too
                ("unlock", lambda: bench.unlock(size)),
                ("app", lambda: bench.app(size)),
            ]
            for name, step in steps:
                if name in groups:
                    begun = time.perf_counter()
                    step()
                    bench.log(f"  ({y} y {name}: {time.perf_counter() - begun:.0f} s)")
    finally:
        if args.keep:
            bench.log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    bench.facts.append(f"whole run {time.perf_counter() - started:.0f} s; temp dir on the filesystem of {work.parent}")
    text = bench.report(years)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    bench.log(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
