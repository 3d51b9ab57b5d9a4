"""The .docx opens in LibreOffice: converted to PDF headless, the user's Chinese text is in it.

CI installs LibreOffice, poppler-utils and a CJK font (.ci/run); elsewhere the test is skipped with
the reason when ``soffice`` or ``pdftotext`` is missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from selfcheck import export, synthetic
from selfcheck.export import model
from selfcheck.store.journal import Journal
from selfcheck.store.models import ActionItem, Assessment, Measure, Meeting, Problem, StudyEntry, TalkNote
from selfcheck.store.vault import KdfParams

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
PDFINFO = shutil.which("pdfinfo")

pytestmark = pytest.mark.skipif(
    not (SOFFICE and PDFTOTEXT),
    reason="LibreOffice (soffice) or pdftotext is not installed; .ci/run installs libreoffice-writer-nogui and "
    "poppler-utils",
)

NOTES = "联系自身实际，深刻认识到理论学习必须常抓不懈。"
PROBLEM = "对群众反映的问题跟踪不够及时 <b>&amp;</b>"


def to_pdf(docx_path: Path, out_dir: Path) -> Path:
    """Convert with a private LibreOffice profile (no clash with a running office or another test)."""
    profile = out_dir / "lo-profile"
    cmd = [
        SOFFICE,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out_dir),
        str(docx_path),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    pdf = out_dir / (docx_path.stem + ".pdf")
    assert pdf.exists(), f"soffice failed ({proc.returncode}): {proc.stdout} {proc.stderr}"
    return pdf


def pdf_text(pdf: Path) -> str:
    proc = subprocess.run([PDFTOTEXT, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, timeout=60, check=True)
    return proc.stdout.decode("utf-8")


def test_meeting_outline_converts_to_pdf_with_the_users_chinese_text(tmp_path: Path) -> None:
    journal = Journal.create(tmp_path / "data", "pdf 测试口令", kdf=KdfParams(t=1, m_kib=64, p=1))
    try:
        entries = [
            journal.add_study(StudyEntry(date=f"2026-02-{day:02d}", title=f"学习党章第{day}次", form="个人自学",
                                         minutes=30, notes=NOTES))
            for day in range(1, 29)
        ]
        last_year = journal.save_meeting(Meeting(year=2025, date="2026-02-20", problems=[
            Problem(text="去年的问题", measures=[Measure(text="已改", due="2026-06-30")])]))
        journal.finish_meeting(last_year)
        journal.save_meeting(Meeting(
            year=2026, date="2026-12-20", aspects=["政治信仰方面", "纪律作风方面"], gains=[entries[0].id],
            problems=[Problem(aspect="纪律作风方面", text=PROBLEM, example="如：一件来信超过时限才答复。",
                              cause="宗旨意识不够牢固", measures=[Measure(text="每周梳理一次台账", due="2027-03-31")])]))
        period = export.Period.of_year(2026)
        material = export.Material.from_journal(journal, period)
    finally:
        journal.close()
    document = export.build("meeting", material, period, export.Options(today="2026-11-27"))
    docx_path = tmp_path / "发言提纲.docx"
    export.write_export(docx_path, export.render(document, "docx"))
    text = pdf_text(to_pdf(docx_path, tmp_path))
    flat = re.sub(r"\s+", "", text)
    assert "关于2026年度组织生活会个人对照检查材料" in flat and "（2026年12月20日）" in flat
    assert re.sub(r"\s+", "", NOTES) in flat  # the one 心得 the user picked
    assert re.sub(r"\s+", "", PROBLEM) in flat and "宗旨意识不够牢固" in flat and "每周梳理一次台账" in flat
    assert "一、学习情况和主要收获" in flat and "三、查摆的问题" in flat and "（二）纪律作风方面" in flat
    assert "去年的问题" in flat and ("整改中" in flat or "未开始" in flat)


def pages(pdf: Path) -> int:
    proc = subprocess.run([PDFINFO, str(pdf)], capture_output=True, timeout=60, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", proc.stdout.decode(), re.M).group(1))  # type: ignore[union-attr]


#: Most pages each export may take on the 10-year sample with the default options.
PAGE_LIMITS = {"meeting": 8, "talk": 8, "talkprep": 6, "study": 4, "appraisal": 5}


@pytest.mark.skipif(not PDFINFO, reason="pdfinfo (poppler-utils) is not installed")
def test_exports_of_the_ten_year_sample_are_sized_like_the_real_thing(tmp_path: Path) -> None:
    """Every template with its defaults on the 10-year sample, laid out by LibreOffice: a handful
    of pages each, as the real material is (issue 9 measured 345 pages for the meeting before)."""
    doc = synthetic.generate(10, end=date(2026, 11, 29))
    material = export.Material(
        study=[StudyEntry.from_doc(d) for d in doc["study"]],
        assessments=[Assessment.from_doc(d) for d in doc["assessments"]],
        actions=[ActionItem.from_doc(d) for d in doc["actions"]],
        talks=[TalkNote.from_doc(d) for d in doc["talks"]],
        meetings=[Meeting.from_doc(d) for d in doc["meetings"]],
    )
    files = []
    for template in export.TEMPLATES:
        period = export.default_period(template, "2026-11-29")
        if template in ("meeting", "appraisal"):
            period = export.Period.of_year(2025)  # the year with a meeting record
        document = export.build(template, material, period, export.Options(today="2026-11-29"))
        path = tmp_path / f"{template}.docx"
        export.write_export(path, export.render(document, "docx"))
        files.append(path)
    profile = tmp_path / "lo-profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), *map(str, files)], capture_output=True, timeout=300, check=False)
    counted = {path.stem: pages(path.with_suffix(".pdf")) for path in files}
    print("pages on the 10-year sample:", counted)
    assert all(counted[t] <= PAGE_LIMITS[t] for t in counted), counted


def test_user_edited_text_converts_too(tmp_path: Path) -> None:
    edited = "= 我改过的标题\n@ （2026年12月1日）\n# 一、我加的部分\n补写：本人对照检查的具体事例 *原样*。\n| 序号 | 问题 |\n| 1 | 表格里的中文 |\n"
    docx_path = tmp_path / "edited.docx"
    export.write_export(docx_path, export.render(model.from_text(edited), "docx", font_preset="noto"))
    flat = re.sub(r"\s+", "", pdf_text(to_pdf(docx_path, tmp_path)))
    assert "我改过的标题" in flat and "补写：本人对照检查的具体事例*原样*。" in flat and "表格里的中文" in flat
