"""The .docx opens in LibreOffice: converted to PDF headless, the user's Chinese text is in it.

CI installs LibreOffice, poppler-utils and a CJK font (.ci/run); elsewhere the test is skipped with
the reason when ``soffice`` or ``pdftotext`` is missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from selfcheck import export
from selfcheck.export import model
from selfcheck.store.journal import Journal
from selfcheck.store.models import ActionItem, StudyEntry
from selfcheck.store.vault import KdfParams

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")

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
        for day in range(1, 29):  # enough text for a second page
            journal.add_study(StudyEntry(date=f"2026-02-{day:02d}", title=f"学习党章第{day}次", form="个人自学",
                                         minutes=30, notes=NOTES))
        journal.add_action(ActionItem(problem=PROBLEM, cause="宗旨意识不够牢固", measure="每周梳理一次台账",
                                      created="2026-03-01T01:00:00Z"))
        journal.add_action(ActionItem(problem="去年的问题", measure="已改", status="in_progress",
                                      created="2025-01-01T01:00:00Z"))
        period = export.Period("2025-11-28", "2026-11-27")
        material = export.Material.from_journal(journal, period)
    finally:
        journal.close()
    document = export.build("meeting", material, period, export.Options(today="2026-11-27"))
    docx_path = tmp_path / "发言提纲.docx"
    export.write_export(docx_path, export.render(document, "docx"))
    text = pdf_text(to_pdf(docx_path, tmp_path))
    flat = re.sub(r"\s+", "", text)
    assert "关于2026年度组织生活会个人对照检查材料" in flat
    assert re.sub(r"\s+", "", NOTES) in flat
    assert re.sub(r"\s+", "", PROBLEM) in flat
    assert "一、学习情况和主要收获" in flat and "三、查摆的问题" in flat
    assert "—1—" in flat and "—2—" in flat  # page numbers from the PAGE field, on odd and even pages
    # The ledger table made it too.
    assert "去年的问题" in flat and "整改中" in flat


def test_user_edited_text_converts_too(tmp_path: Path) -> None:
    edited = "= 我改过的标题\n@ （2026年12月1日）\n# 一、我加的部分\n补写：本人对照检查的具体事例 *原样*。\n| 序号 | 问题 |\n| 1 | 表格里的中文 |\n"
    docx_path = tmp_path / "edited.docx"
    export.write_export(docx_path, export.render(model.from_text(edited), "docx", font_preset="noto"))
    flat = re.sub(r"\s+", "", pdf_text(to_pdf(docx_path, tmp_path)))
    assert "我改过的标题" in flat and "补写：本人对照检查的具体事例*原样*。" in flat and "表格里的中文" in flat
