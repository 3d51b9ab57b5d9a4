#!/usr/bin/env python3
"""How long the exports come out, in pages as LibreOffice lays them out (issue 9's table).

    python benchmarks/export_pages.py                 # 10-year sample and the demo-sized one
    python benchmarks/export_pages.py --today 2026-03-31

For each sample (``selfcheck.synthetic``: the 10-year benchmark vault, and the 3-year one
``selfcheck demo`` shows), builds every template with its default options, writes Word files,
converts them to PDF in one ``soffice`` run and counts pages with ``pdfinfo``; for the meeting
outline it also prints the characters and the share of them in 三、查摆的问题 / 四、原因剖析 /
五、整改措施. The meeting and the appraisal are built for the default 年度 and, when that year is
not prepared yet, for the latest prepared one too. Needs LibreOffice and poppler-utils; nothing
here is a test. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from selfcheck import export, synthetic  # noqa: E402
from selfcheck.export import model  # noqa: E402
from selfcheck.store.models import ActionItem, Assessment, Meeting, StudyEntry, TalkNote  # noqa: E402

SAMPLES = {
    "10-year sample": dict(years=10),
    "demo-sized (3 years)": dict(years=3, study=600, assessments=60, actions=30, talks=8),
}


def material(doc: dict) -> export.Material:
    return export.Material(
        study=[StudyEntry.from_doc(d) for d in doc["study"]],
        assessments=[Assessment.from_doc(d) for d in doc["assessments"]],
        actions=[ActionItem.from_doc(d) for d in doc["actions"]],
        talks=[TalkNote.from_doc(d) for d in doc["talks"]],
        meetings=[Meeting.from_doc(d) for d in doc["meetings"]],
    )


def share(document: model.Document) -> tuple[int, float]:
    """Characters of the document, and the share in parts 三, 四 and 五 (the closing line not)."""
    total = part = 0
    section = ""
    closing = document.blocks[-1]
    for block in document.blocks:
        n = sum(len(c) for row in block.rows for c in row) if block.kind == model.TABLE else len(block.text)
        if block.kind == model.HEADING and block.level == 1:
            section = block.text[:2]
        total += n
        if section in ("三、", "四、", "五、") and block is not closing:
            part += n
    return total, part / total if total else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--today", default=date.today().isoformat())
    args = parser.parse_args()
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or not shutil.which("pdfinfo"):
        print("needs soffice (LibreOffice) and pdfinfo (poppler-utils)")
        return 1
    today = args.today
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files: list[tuple[str, str, Path, str]] = []
        for name, kw in SAMPLES.items():
            data = material(synthetic.generate(end=date.fromisoformat(today), **kw))
            year = export.default_year(today)
            prepared = [m.year for m in data.meetings]
            for template in export.TEMPLATES:
                variants = [("defaults", export.default_period(template, today))]
                if template in ("meeting", "appraisal") and year not in prepared and prepared:
                    variants.append((f"--year {prepared[-1]}", export.Period.of_year(prepared[-1])))
                for label, period in variants:
                    document = export.build(template, data, period, export.Options(today=today))
                    path = folder / f"{len(files)}.docx"
                    path.write_bytes(export.render(document, "docx"))
                    extra = ""
                    if template == "meeting":
                        total, part = share(document)
                        extra = f"{total} characters, {part:.0%} in 问题/原因/措施, {len(document.placeholders())} gaps"
                    files.append((name, f"{template} ({label})", path, extra))
        profile = folder / "lo-profile"
        subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(folder), *[str(f[2]) for f in files]], capture_output=True, check=False)
        for name, what, path, extra in files:
            info = subprocess.run(["pdfinfo", str(path.with_suffix(".pdf"))], capture_output=True, text=True).stdout
            pages = re.search(r"^Pages:\s+(\d+)", info, re.M)
            rows.append((name, what, pages.group(1) if pages else "?", extra))
    print(f"today {today}\n")
    print("| sample | export | pages | |\n|---|---|---:|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
