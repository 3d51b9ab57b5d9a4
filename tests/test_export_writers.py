"""The writers: Markdown and plain text keep every character; the .docx follows GB/T 9704 body
rules (domain-notes §6), checked by opening it with python-docx."""

from __future__ import annotations

import html
import io
import os
import re
import stat
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt
from markdown_it import MarkdownIt

from selfcheck import export
from selfcheck.export import model
from selfcheck.export.textwriters import md_escape, to_markdown, to_plain_text
from selfcheck.export.word import column_widths, to_docx, xml_safe

#: Strings a user might type that are special to Markdown, XML or our own text form.
TRICKY = [
    "[bold]党章[/]",
    "*x* 和 **y** 和 _z_",
    "<tag>&amp; &lt; <script>alert(1)</script>",
    "# 不是标题",
    "1. 不是列表",
    "- 也不是列表",
    "> 不是引用",
    "`代码` \\ 反斜杠 | 竖线 ~删除~ ![图](x)",
    "    四个空格开头",
    "结尾两个空格  ",
    "=== 等号",
]


def document() -> model.Document:
    return model.Document(
        [
            model.title("关于2026年度组织生活会个人对照检查材料"),
            model.date_line("（2026年11月27日）"),
            model.paragraph("按照通知要求，现对照检查如下。"),
            model.heading("一、学习情况和主要收获", 1),
            *[model.Block(model.PARAGRAPH, t) for t in TRICKY],
            model.heading("（一）政治忠诚方面", 2),
            model.heading("1. 学习党章（2026年3月1日）", 3),
            model.placeholder("【请填写：原因剖析】"),
            *model.quotes("党员必须履行下列义务 <原文>"),
            model.note("本人自我检视记录，不构成组织评价"),
            model.table(["序号", "问题表现", "整改措施", "整改时限", "状态", "进展情况"],
                        [["1", "学习 *碎片化* | <b>", "制定计划", "2026年12月31日", "整改中", "第一行\n第二行"]]),
            model.signature("本人签名：　　　　"),
        ]
    )


# --------------------------------------------------------------------------- Markdown and text


def rendered_text(markdown: str) -> str:
    """What a CommonMark renderer shows: the HTML without tags, entities decoded."""
    out = MarkdownIt("commonmark").enable("table").render(markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", out.replace("<br>", "\n").replace("<br />", "\n")))


@pytest.mark.parametrize("text", TRICKY)
def test_markdown_escaping_renders_back_verbatim(text: str) -> None:
    shown = rendered_text(md_escape(text)).rstrip("\n")
    assert shown == text


def test_markdown_document() -> None:
    out = to_markdown(document())
    assert out.startswith("# 关于2026年度组织生活会个人对照检查材料\n\n（2026年11月27日）\n\n")
    assert "\n## 一、学习情况和主要收获\n" in out and "\n### （一）政治忠诚方面\n" in out
    assert "\n#### 1\\. 学习党章（2026年3月1日）\n" in out
    assert "\n**【请填写：原因剖析】**\n" in out and "\n> 党员必须履行下列义务 \\<原文\\>\n" in out
    assert "| 序号 | 问题表现 | 整改措施 | 整改时限 | 状态 | 进展情况 |" in out
    shown = rendered_text(out)
    for text in TRICKY:
        assert text.strip() in shown
    assert "学习 *碎片化* | <b>" in shown and "第一行\n第二行" in shown
    tokens = MarkdownIt("commonmark").enable("table").parse(out)
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h1", "h2", "h3", "h4"]
    assert sum(t.type == "table_open" for t in tokens) == 1
    assert not any(t.type in ("bullet_list_open", "ordered_list_open", "code_block", "html_block") for t in tokens)


def test_plain_text_is_for_pasting() -> None:
    out = to_plain_text(document())
    lines = out.splitlines()
    assert lines[:4] == ["关于2026年度组织生活会个人对照检查材料", "（2026年11月27日）", "", "按照通知要求，现对照检查如下。"]
    for text in TRICKY:
        assert text in lines
    assert "1\t学习 *碎片化* | <b>\t制定计划\t2026年12月31日\t整改中\t第一行 第二行" in lines
    assert lines[lines.index("一、学习情况和主要收获") - 1] == ""


# --------------------------------------------------------------------------- Word


@pytest.fixture(scope="module")
def word() -> docx.document.Document:
    return docx.Document(io.BytesIO(to_docx(document())))


def fonts_of(style) -> dict[str, str]:
    rfonts = style.element.rPr.find(qn("w:rFonts"))
    return {k.split("}")[1]: v for k, v in rfonts.attrib.items()}


def test_page_is_a4_with_gbt9704_margins(word) -> None:
    section = word.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)  # 210 × 297 mm
    assert section.top_margin.twips == 2098 and section.bottom_margin.twips == 1984  # 37 / 35 mm
    assert section.left_margin.twips == 1588 and section.right_margin.twips == 1474  # 28 / 26 mm
    assert round(section.top_margin.mm) == 37 and round(section.bottom_margin.mm) == 35
    assert round(section.left_margin.mm) == 28 and round(section.right_margin.mm) == 26
    width = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    assert round(width / 1440 * 25.4) == 156  # the 版心 is 156 mm wide


def test_styles_fonts_sizes_and_spacing(word) -> None:
    styles = word.styles
    expected = {
        # style: (East-Asian font, size pt, bold, alignment)
        "Title": ("方正小标宋简体", 22, False, WD_ALIGN_PARAGRAPH.CENTER),
        "Subtitle": ("楷体_GB2312", 16, False, WD_ALIGN_PARAGRAPH.CENTER),
        "Normal": ("仿宋_GB2312", 16, False, WD_ALIGN_PARAGRAPH.JUSTIFY),
        "Heading 1": ("黑体", 16, False, WD_ALIGN_PARAGRAPH.JUSTIFY),
        "Heading 2": ("楷体_GB2312", 16, False, WD_ALIGN_PARAGRAPH.JUSTIFY),
        "Heading 3": ("仿宋_GB2312", 16, True, WD_ALIGN_PARAGRAPH.JUSTIFY),
        "SC Placeholder": ("仿宋_GB2312", 16, False, WD_ALIGN_PARAGRAPH.JUSTIFY),
        "SC Quote": ("楷体_GB2312", 16, False, WD_ALIGN_PARAGRAPH.JUSTIFY),
        "SC Signature": ("仿宋_GB2312", 16, False, WD_ALIGN_PARAGRAPH.RIGHT),
        "SC Table Text": ("仿宋_GB2312", 10.5, False, WD_ALIGN_PARAGRAPH.LEFT),
    }
    for name, (east_asia, size, bold, align) in expected.items():
        style = styles[name]
        fonts = fonts_of(style)
        assert fonts["eastAsia"] == east_asia, name
        assert fonts["ascii"] == fonts["hAnsi"] == "Times New Roman", name  # digits and Latin letters
        assert not any(k.endswith("Theme") or k == "cstheme" for k in fonts), name  # no theme font overrides
        assert style.font.size == Pt(size), name
        assert bool(style.font.bold) is bold and not style.font.italic, name
        assert style.paragraph_format.alignment == align, name
        assert style.element.rPr.find(qn("w:color")) is None, name  # all black
        pf = style.paragraph_format
        assert pf.space_before == Pt(0) and pf.space_after == Pt(0), name
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "SC Quote", "SC Placeholder", "Subtitle"):
        pf = styles[name].paragraph_format
        assert pf.line_spacing == Pt(28) and pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY, name
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "SC Quote", "SC Placeholder"):
        pf = styles[name].paragraph_format
        assert pf.first_line_indent == Pt(32), name  # two characters of 三号
        assert styles[name].element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200", name
    for name in ("Title", "Subtitle", "SC Signature", "SC Table Text"):
        assert styles[name].paragraph_format.first_line_indent == Pt(0), name
        assert styles[name].element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "0", name
    assert styles["SC Signature"].paragraph_format.right_indent == Pt(64)  # four characters
    assert styles["SC Table Text"].paragraph_format.line_spacing_rule == WD_LINE_SPACING.SINGLE
    outline = {n: styles[n].element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) for n in ("Heading 1", "Heading 2")}
    assert outline == {"Heading 1": "0", "Heading 2": "1"}


def test_document_defaults_name_the_body_fonts_and_chinese(word) -> None:
    defaults = word.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = defaults.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == "仿宋_GB2312" and rfonts.get(qn("w:ascii")) == "Times New Roman"
    assert rfonts.get(qn("w:asciiTheme")) is None and rfonts.get(qn("w:eastAsiaTheme")) is None
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    assert defaults.find(qn("w:sz")).get(qn("w:val")) == "32"


def test_paragraphs_carry_the_text_verbatim_in_their_styles(word) -> None:
    paragraphs = [p for p in word.paragraphs if p.text or p.style.name != "SC Table Text"]
    got = [(p.style.name, p.text) for p in paragraphs]
    assert got[:4] == [
        ("Title", "关于2026年度组织生活会个人对照检查材料"),
        ("Subtitle", "（2026年11月27日）"),
        ("Normal", "按照通知要求，现对照检查如下。"),
        ("Heading 1", "一、学习情况和主要收获"),
    ]
    assert [t for s, t in got if s == "Normal"][1:] == TRICKY
    assert ("Heading 2", "（一）政治忠诚方面") in got and ("Heading 3", "1. 学习党章（2026年3月1日）") in got
    assert ("SC Placeholder", "【请填写：原因剖析】") in got and ("SC Quote", "党员必须履行下列义务 <原文>") in got
    assert ("SC Note", "本人自我检视记录，不构成组织评价") in got and got[-1] == ("SC Signature", "本人签名：　　　　")
    # Runs carry no formatting of their own: the styles decide everything.
    for p in word.paragraphs:
        for run in p.runs:
            assert run._r.rPr is None
    # One empty line (28 pt) between the date line and the body.
    assert word.paragraphs[1].paragraph_format.space_after == Pt(28)


def test_ledger_table(word) -> None:
    (table,) = word.tables
    assert table.style.name == "Table Grid"
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows == [
        ["序号", "问题表现", "整改措施", "整改时限", "状态", "进展情况"],
        ["1", "学习 *碎片化* | <b>", "制定计划", "2026年12月31日", "整改中", "第一行\n第二行"],
    ]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # header repeats on each page
    assert {c.paragraphs[0].style.name for c in table.rows[0].cells} == {"SC Table Header"}
    assert {c.paragraphs[0].style.name for c in table.rows[1].cells} == {"SC Table Text"}
    widths = [c.width.twips for c in table.rows[1].cells]
    assert sum(widths) == 8844 and min(widths) >= 480  # exactly the 156 mm 版心
    assert word.styles["SC Table Header"].font.bold


def test_page_numbers_in_the_footer(word) -> None:
    assert word.settings.odd_and_even_pages_header_footer
    section = word.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        (p,) = footer.paragraphs
        assert p.alignment == align
        xml = p._p.xml
        assert "w:fldCharType=\"begin\"" in xml and "w:fldCharType=\"end\"" in xml
        assert [t.text for t in p._p.iter(qn("w:instrText"))] == [" PAGE "]
        assert p.text == "— 1 —"  # the cached result between the dashes
        assert fonts_of(p.style)["eastAsia"] == "宋体" and fonts_of(p.style)["ascii"] == "宋体"
        assert p.style.font.size == Pt(14)
    assert section.footer.paragraphs[0].paragraph_format.right_indent == Pt(14)
    assert section.even_page_footer.paragraphs[0].paragraph_format.left_indent == Pt(14)
    assert not section.header.paragraphs[0].text  # no masthead, nothing in the header


def test_no_personal_metadata_and_no_official_marks(word) -> None:
    props = word.core_properties
    assert props.author == "" and props.last_modified_by == ""
    assert props.title == "关于2026年度组织生活会个人对照检查材料"
    raw = zipfile.ZipFile(io.BytesIO(to_docx(document())))
    body = raw.read("word/document.xml").decode("utf-8")
    for mark in ("密级", "秘密", "发文字号", "印章"):
        assert mark not in body
    assert "python-docx" not in raw.read("docProps/core.xml").decode("utf-8")


def test_font_presets_change_the_names() -> None:
    for name, preset in export.font_presets().items():
        out = docx.Document(io.BytesIO(to_docx(document(), name)))
        assert fonts_of(out.styles["Normal"])["eastAsia"] == preset.body
        assert fonts_of(out.styles["Title"])["eastAsia"] == preset.title
        assert fonts_of(out.styles["Heading 1"])["eastAsia"] == preset.hei
        assert fonts_of(out.styles["Heading 2"])["eastAsia"] == preset.kai
        assert bool(out.styles["Title"].font.bold) is preset.title_bold
    with pytest.raises(KeyError):
        to_docx(document(), "no-such-preset")


def test_text_xml_cannot_hold_is_replaced_not_fatal() -> None:
    doc = model.Document([model.Block(model.PARAGRAPH, "响铃\x07与\x00空字符"), model.table(["a\x1b"], [["b\x01"]])])
    out = docx.Document(io.BytesIO(to_docx(doc)))
    assert out.paragraphs[0].text == "响铃\ufffd与\ufffd空字符"
    assert xml_safe("制表\t换行\n正常") == "制表\t换行\n正常"


def test_column_widths_fill_the_type_area() -> None:
    rows = (("序号", "问题表现", "状态"), ("1", "很长的问题表现" * 10, "整改中"))
    widths = column_widths(rows, 8844)
    assert sum(widths) == 8844 and widths[1] > widths[0] and widths[1] > widths[2]


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_every_format_writes_a_private_file_and_never_overwrites(tmp_path: Path, fmt: str) -> None:
    data = export.render(document(), fmt)
    target = tmp_path / f"out.{fmt}"
    export.write_export(target, data)
    assert target.read_bytes() == data
    if os.name != "nt":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with pytest.raises(FileExistsError):
        export.write_export(target, b"other")
    assert target.read_bytes() == data
    target.chmod(0o644)
    export.write_export(target, b"new", overwrite=True)
    assert target.read_bytes() == b"new"
    if os.name != "nt":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no temp file left


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError):
        export.render(document(), "pdf")


def test_the_appraisals_grade_and_signature_stay_on_one_page() -> None:
    """The grade, the signature line and the date line are kept with each other (and the grade's
    heading with the grade), so the signature never sits alone on the last page."""
    material = export.Material()
    sheet = export.build("appraisal", material, export.Period.of_year(2025), export.Options(grade="qualified"))
    paragraphs = docx.Document(io.BytesIO(to_docx(sheet))).paragraphs
    texts = [p.text for p in paragraphs]
    grade = next(i for i, t in enumerate(texts) if t.startswith("本人自评等次"))
    assert texts[grade - 1].endswith("自评等次") and texts[grade + 1].startswith("本人签名")
    for p in paragraphs[grade - 1 : grade + 2]:
        keep = p.paragraph_format.keep_with_next
        assert keep if keep is not None else p.style.paragraph_format.keep_with_next, p.text
