"""Word details of GB/T 9704 (issue 9 item 4): 28 characters on a body line, a long title broken
between words, no number split across lines.

The layout tests convert one .docx holding every case to PDF with LibreOffice (once for the module)
and read its lines back with pdftotext; they are skipped, with the reason, where ``soffice`` or
``pdftotext`` is missing (.ci/run installs both and a CJK font). The others check the .docx itself.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from selfcheck.export import model
from selfcheck.export.content import presets
from selfcheck.export.word import char_spacing, text_width_twips, title_lines, to_docx

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
needs_office = pytest.mark.skipif(
    not (SOFFICE and PDFTOTEXT),
    reason="LibreOffice (soffice) or pdftotext is not installed; .ci/run installs libreoffice-writer-nogui and "
    "poppler-utils",
)

TEN = "一二三四五六七八九十"
#: The issue's example: 21 characters of 二号 where 20 fit; LibreOffice left "纲" alone on a line.
LONG_TITLE = "张三同志在2025年度组织生活会上的发言提纲"
TITLES = [
    LONG_TITLE,
    "欧阳娜娜同志在2025年度组织生活会上的发言提纲",
    "某某单位党支部关于2025年度专题组织生活会召开情况的报告",
    "关于进一步加强和改进新时代基层党组织建设工作的实施意见",
    "张三同志在2025年3月1日召开的组织生活会上的发言提纲",
    "在学习贯彻习近平新时代中国特色社会主义思想主题教育专题民主生活会上的对照检查发言提纲",
]
#: Paragraphs whose year (or date) reaches the end of a line, for every place it can start there.
STRADDLING = [
    *("甲" * k + "2025年度" + "乙" * 10 for k in range(20, 28)),
    *("丙" * k + "（2025年3月1日）" + "乙" * 10 for k in range(20, 27)),
    *("丁" * k + "LibreOffice" + "乙" * 10 for k in range(18, 23)),
]


def body_styles(word) -> list:
    names = ("Normal", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "SC Placeholder", "SC Quote", "SC Note",
             "SC Signature")
    return [word.styles[name] for name in names]


# --------------------------------------------------------------------------- the .docx itself


def test_char_spacing_puts_exactly_28_characters_on_a_line() -> None:
    layout = presets()
    width = text_width_twips(layout) / 20  # 442.2 pt
    advance = layout["sizes"]["body"] + char_spacing(layout) / 20
    assert layout["page"]["chars_per_line"] == 28
    assert 28 * advance <= width < 29 * advance
    assert char_spacing(layout) == -5  # 0.25 pt a character: the least that makes 28 fit


def test_body_styles_are_condensed_and_the_title_and_tables_are_not() -> None:
    word = docx.Document(io.BytesIO(to_docx(model.Document([model.paragraph("正文")]))))
    for style in body_styles(word):
        rpr = style.element.rPr
        spacing = rpr.find(qn("w:spacing"))
        assert spacing is not None and spacing.get(qn("w:val")) == "-5", style.name
        tags = [child.tag for child in rpr]
        assert tags.index(qn("w:spacing")) < tags.index(qn("w:sz")), style.name  # the schema's order
    for name in ("Title", "SC Table Text", "SC Table Header", "SC Page Number"):
        assert word.styles[name].element.rPr.find(qn("w:spacing")) is None, name


def test_latin_text_is_english_so_libreoffice_keeps_numbers_whole() -> None:
    for lang, latin in (("zh", "en-US"), ("en", "en-GB")):
        word = docx.Document(io.BytesIO(to_docx(model.Document([model.paragraph("2025年")], lang=lang))))
        defaults = word.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        lang_el = defaults.find(qn("w:lang"))
        assert lang_el.get(qn("w:val")) == latin and lang_el.get(qn("w:eastAsia")) == "zh-CN"
        # The user's text is untouched: one run, no formatting of its own, no joiners.
        (p,) = word.paragraphs
        assert p.text == "2025年" and all(run._r.rPr is None for run in p.runs)


def test_the_long_title_breaks_between_words() -> None:
    assert title_lines(LONG_TITLE) == ["张三同志在2025年度", "组织生活会上的发言提纲"]


@pytest.mark.parametrize("title", TITLES, ids=[f"title{i}" for i in range(len(TITLES))])
def test_title_lines_keep_words_whole_and_even(title: str) -> None:
    layout = presets()
    spacing = layout["spacing"]
    capacity = text_width_twips(layout) / 20 / layout["sizes"]["title"]  # 20 characters of 二号
    lines = title_lines(title)
    assert "".join(lines) == title  # only broken, never changed
    assert len(lines) == -(-len(title) // int(capacity))  # as few lines as it needs
    assert all(len(line) <= capacity for line in lines)
    assert min(map(len, lines)) >= 5  # nothing left dangling
    cuts = {sum(map(len, lines[:i])) for i in range(1, len(lines))}
    keep = [*spacing["title_words"], *spacing["title_break_before"]]
    for match in (*re.finditer("|".join(keep), title), *re.finditer(r"\d+(年\d+月\d+日|年度|年)?", title)):
        assert not any(match.start() < cut < match.end() for cut in cuts), (match.group(), lines)
    for line in lines:
        assert not line.startswith(("的", "）", "，")) and not line.endswith(("在", "（", "关于")), lines


@pytest.mark.parametrize(
    "title",
    ["关于2026年度组织生活会个人对照检查材料", "谈心谈话准备提纲", "Self-check report for the 2026 organisational life meeting",
     "用户自己\n断的行在这里"],
    ids=["fits", "short", "english", "broken-by-user"],
)
def test_titles_that_fit_english_ones_and_broken_ones_stay_as_they_are(title: str) -> None:
    assert title_lines(title) == [title]


def test_the_title_paragraph_holds_the_break_and_the_properties_the_plain_title() -> None:
    word = docx.Document(io.BytesIO(to_docx(model.Document([model.title(LONG_TITLE), model.paragraph("正文")]))))
    title = word.paragraphs[0]
    assert title.style.name == "Title" and title.text == "张三同志在2025年度\n组织生活会上的发言提纲"
    assert len(title._p.findall(f".//{qn('w:br')}")) == 1
    assert word.core_properties.title == LONG_TITLE


# --------------------------------------------------------------------------- laid out by LibreOffice


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Each case's text → its lines in the PDF LibreOffice makes of the .docx (spaces removed)."""
    cases = [LONG_TITLE, TEN * 6, *STRADDLING]
    blocks = [model.title(LONG_TITLE), *(model.paragraph(text) for text in cases[1:])]
    out_dir = tmp_path_factory.mktemp("word-grid")
    docx_path = out_dir / "grid.docx"
    docx_path.write_bytes(to_docx(model.Document(blocks)))
    lines = [re.sub(r"\s+", "", line) for line in pdf_lines(to_pdf(docx_path, out_dir))]
    lines = [line for line in lines if line and not re.fullmatch(r"—\d+—", line)]  # no page numbers
    found: dict[str, list[str]] = {}
    for case in cases:
        want, got = re.sub(r"\s+", "", case), []
        while "".join(got) != want:
            assert lines and want.startswith("".join(got) + lines[0]), (case, got, lines[:2])
            got.append(lines.pop(0))
        found[case] = got
    return found


def to_pdf(docx_path: Path, out_dir: Path) -> Path:
    """Convert with a private LibreOffice profile (no clash with a running office or another test)."""
    profile = out_dir / "lo-profile"
    cmd = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf", "--outdir",
           str(out_dir), str(docx_path)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    pdf = out_dir / (docx_path.stem + ".pdf")
    assert pdf.exists(), f"soffice failed ({proc.returncode}): {proc.stdout} {proc.stderr}"
    return pdf


def pdf_lines(pdf: Path) -> list[str]:
    proc = subprocess.run([PDFTOTEXT, "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, timeout=60,
                          check=True)
    return proc.stdout.decode("utf-8").splitlines()


@needs_office
def test_a_body_line_holds_28_characters(laid_out) -> None:
    # 60 characters with the two-character first-line indent: 26, then 28, then the rest.
    assert [len(line) for line in laid_out[TEN * 6]] == [26, 28, 6]


@needs_office
def test_the_long_title_is_laid_out_on_its_own_lines(laid_out) -> None:
    assert laid_out[LONG_TITLE] == ["张三同志在2025年度", "组织生活会上的发言提纲"]


@needs_office
def test_numbers_and_latin_words_are_not_split_across_lines(laid_out) -> None:
    moved = 0
    for case in STRADDLING:
        lines = laid_out[case]
        assert len(lines) == 2, lines
        first, second = lines
        assert not (first[-1].isascii() and first[-1].isalnum() and second[0].isascii() and second[0].isalnum()), lines
        moved += second.startswith(("2025", "（2025", "LibreOffice"))
    assert moved >= 6  # the year and the word did reach the end of a line, and went whole to the next
