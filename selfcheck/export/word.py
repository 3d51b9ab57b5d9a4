"""The Word (.docx) writer: GB/T 9704-2012 body rules (domain-notes §6) with python-docx.

A4; margins 37 / 35 / 28 / 26 mm (top, bottom, left, right); title 方正小标宋简体 二号 centred,
a long one broken between words into lines of similar length (:func:`title_lines`); date line
楷体_GB2312 三号 centred; body 仿宋_GB2312 三号, justified, two-character first-line indent, exact
28 pt lines, 28 characters a line (the 三号 styles are condensed just enough, :func:`char_spacing`),
nothing before or after paragraphs; headings 黑体 (一、) and
楷体_GB2312 (（一）) and bold 仿宋 (1.); digits and Latin letters in Times New Roman; page numbers
"— 1 —" in 四号 宋体 (odd pages right, even pages left, one character in from the edge); tables
in 仿宋 五号 with single spacing and a repeated header row. All black. The font names come from a
preset (``presets.toml``) for machines without the GB2312 fonts.

Every look is a named paragraph style (the built-in Normal, Title, Subtitle and Heading 1–3,
plus ``SC …`` styles), and runs carry no formatting of their own, so a user can adjust the whole
document in Word by changing a style. East-Asian fonts are set through ``w:rFonts/@w:eastAsia``
(python-docx's ``font.name`` sets only the Latin ones) and the theme-font attributes that would
override them are removed. The language of Latin text is English even in a Chinese document, so that
LibreOffice does not break a number or a Latin word across lines as it may break Chinese text.
No masthead, document number, classification mark or seal.
No Textual or Rich here.
"""

from __future__ import annotations

import io
import math
import re
from datetime import UTC, datetime

from docx import Document as new_document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.shared import Mm, Pt, Twips
from docx.table import Table
from lxml import etree

from .content import FontPreset, font_preset, presets
from .model import DATE, HEADING, NOTE, PARAGRAPH, PLACEHOLDER, QUOTE, SIGNATURE, TABLE, TITLE, Block, Document

#: The paragraph style of each block kind (headings by level).
STYLE_OF: dict[str, str] = {
    TITLE: "Title",
    DATE: "Subtitle",
    PARAGRAPH: "Normal",
    PLACEHOLDER: "SC Placeholder",
    QUOTE: "SC Quote",
    NOTE: "SC Note",
    SIGNATURE: "SC Signature",
}
HEADING_STYLES = ("Heading 1", "Heading 2", "Heading 3")
TABLE_TEXT = "SC Table Text"
TABLE_HEADER = "SC Table Header"
PAGE_NUMBER = "SC Page Number"

# Characters XML 1.0 cannot hold (control characters other than tab, newline, carriage return).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def xml_safe(text: str) -> str:
    """``text`` with the characters XML cannot store replaced by U+FFFD (everything else verbatim)."""
    return _NOT_XML.sub("\ufffd", text)


def to_docx(document: Document, preset: str | FontPreset | None = None) -> bytes:
    """The document as .docx bytes, with the fonts of ``preset`` (a name or a :class:`FontPreset`).

    Raises KeyError for an unknown preset name.
    """
    fonts = preset if isinstance(preset, FontPreset) else font_preset(preset)
    doc = new_document()
    layout = presets()
    _page(doc, layout)
    styles = _styles(doc, fonts, layout, document.lang)
    body = doc.element.body
    # Paragraphs are appended as plain lxml elements (python-docx's generic child insertion costs
    # several times more per paragraph); the section properties go back at the end.
    section_properties = body.find(qn("w:sectPr"))
    body.remove(section_properties)
    blocks = document.blocks
    # The last title/date line before the body gets one empty line after it (GB/T 9704 §7.3.3).
    head_end = 0
    while head_end < len(blocks) and blocks[head_end].kind in (TITLE, DATE):
        head_end += 1
    for index, block in enumerate(blocks):
        if block.kind == TABLE:
            _table(doc, block, styles, layout)
            if index + 1 == len(blocks) or blocks[index + 1].kind == TABLE:
                # Word wants a paragraph after a table that ends the document, and one keeps two
                # tables apart; it takes the table text style (single spacing), so it stays small.
                add_paragraph(body, styles[TABLE_TEXT], "")
            continue
        style = HEADING_STYLES[block.level - 1] if block.kind == HEADING else STYLE_OF[block.kind]
        text = "\n".join(title_lines(block.text, layout)) if block.kind == TITLE else block.text
        p = add_paragraph(body, styles[style], text)
        if index == head_end - 1 and head_end < len(blocks):
            p.get_or_add_pPr().spacing_after = Pt(layout["spacing"]["after_head_pt"])
        if index + 1 < len(blocks) and blocks[index + 1].kind == SIGNATURE:
            # The signature lines stay on the page of what they sign (the appraisal's grade).
            p.get_or_add_pPr().keepNext_val = True
    body.append(section_properties)
    _page_numbers(doc, layout)
    _properties(doc, document)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


_P, _PPR, _PSTYLE, _R, _T, _TAB, _BR, _VAL = (qn(f"w:{t}") for t in ("p", "pPr", "pStyle", "r", "t", "tab", "br", "val"))
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_RUN_PIECES = re.compile(r"(\t|\r\n|\n|\r)")


def add_paragraph(parent, style_id: str, text: str):
    """Append ``<w:p>`` with style ``style_id`` and one run holding ``text`` verbatim (tabs as
    ``w:tab``, line breaks as ``w:br``, characters XML cannot hold as U+FFFD)."""
    p = etree.SubElement(parent, _P)
    etree.SubElement(etree.SubElement(p, _PPR), _PSTYLE).set(_VAL, style_id)
    if text:
        run = etree.SubElement(p, _R)
        for piece in _RUN_PIECES.split(xml_safe(text)):
            if piece == "\t":
                etree.SubElement(run, _TAB)
            elif piece in ("\n", "\r", "\r\n"):
                etree.SubElement(run, _BR)
            elif piece:
                t = etree.SubElement(run, _T)
                t.text = piece
                t.set(_XML_SPACE, "preserve")
    return p


# --------------------------------------------------------------------------- page


def _page(doc, layout: dict) -> None:
    page = layout["page"]
    section = doc.sections[0]
    section.page_width = Mm(page["width_mm"])
    section.page_height = Mm(page["height_mm"])
    section.top_margin = Twips(page["top_twips"])
    section.bottom_margin = Twips(page["bottom_twips"])
    section.left_margin = Twips(page["left_twips"])
    section.right_margin = Twips(page["right_twips"])
    section.header_distance = Mm(page["header_mm"])
    section.footer_distance = Mm(page["footer_mm"])
    section.gutter = Twips(0)


def text_width_twips(layout: dict | None = None) -> int:
    """The width of the 版心 (type area) in twips: 156 mm."""
    page = (layout or presets())["page"]
    return round(page["width_mm"] / 25.4 * 1440) - page["left_twips"] - page["right_twips"]


def char_spacing(layout: dict | None = None) -> int:
    """The character spacing of the body-size styles in twentieths of a point (``w:spacing/@w:val``):
    the largest that still puts ``chars_per_line`` characters on a line of the 版心 (GB/T 9704:
    每行28个字). The 156 mm line is 442.2 pt and 28 三号 characters are 448 pt, so 27 would fit;
    condensed by 0.25 pt (-5) a character takes 15.75 pt, 28 take 441 pt and a 29th does not fit.

    Word and LibreOffice both honour it. Word's other way, a ``w:docGrid`` of type ``linesAndChars``
    with a negative ``w:charSpace``, is not used: LibreOffice 7.4 then sets each character over two
    of the grid's narrower cells, 14 a line.
    """
    layout = layout or presets()
    pitch = text_width_twips(layout) / 20 / layout["page"]["chars_per_line"]
    return math.floor(round((pitch - layout["sizes"]["body"]) * 20, 6))


# --------------------------------------------------------------------------- title lines

#: Signs a line may not begin with, and signs it may not end with (避头尾).
_NO_LINE_START = frozenset("，。、；：？！）》」』】〕”’…—·%％,.;:?!)]}")
_NO_LINE_END = frozenset("（《「『【〔“‘([{")
#: Clause punctuation: a good place for a line to end.
_CLAUSE_END = frozenset("，、；：")
_DIGIT = "[0-9０-９]"
#: What a title never splits: a date, a number with its unit (2025年度, 3.5%), a Latin word.
_TITLE_ATOM = re.compile(
    rf"{_DIGIT}+年{_DIGIT}+月(?:{_DIGIT}+日)?|{_DIGIT}+月{_DIGIT}+日"
    rf"|{_DIGIT}+(?:[.．]{_DIGIT}+)?(?:年度|年|月|日|号|届|次|%|％)?"
    r"|[A-Za-z][A-Za-z0-9'’.\-]*"
)
_CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff]")
#: The cost of a line's length away from the mean (per line width), against a break's own cost.
_BALANCE = 4.0


def _title_width(text: str) -> float:
    """``text``'s width in ems of the title size: a Chinese character or full-width sign is one, a
    digit or Latin letter 0.64 (DejaVu Serif, LibreOffice's stand-in for Times New Roman, is that
    wide; Times New Roman is 0.5), a space 0.32, and 0.2 where Latin meets Chinese (the gap both
    programs leave there)."""
    width = 0.0
    previous = None
    for ch in text:
        if ch == " ":
            width += 0.32
            continue
        latin = ch < "\u0250"
        width += 0.64 if latin else 1.0
        if previous is not None and latin != previous:
            width += 0.2
        previous = latin
    return width


def _title_atoms(text: str, words: tuple[str, ...]) -> list[str]:
    """``text`` cut into the pieces a line break may come between: dates, numbers, Latin words and
    the known ``words`` (longest first) whole; any other character alone."""
    atoms: list[str] = []
    i = 0
    while i < len(text):
        match = _TITLE_ATOM.match(text, i)
        word = match.group() if match else next((w for w in words if text.startswith(w, i)), text[i])
        atoms.append(word)
        i += len(word)
    return atoms


def _break_cost(before: str, after: str, spacing: dict) -> float:
    """The cost of a line break between the pieces ``before`` and ``after`` (``inf``: never)."""
    if after[0] in _NO_LINE_START or before[-1] in _NO_LINE_END:
        return math.inf
    starts, ends = spacing["title_break_before"], spacing["title_break_after"]

    def word(atom: str) -> bool:
        return len(atom) > 1 or not _CJK.match(atom)

    if before[-1] in _CLAUSE_END:
        return 0.0
    if (before in ends and word(after)) or (after in starts and word(before)):
        return 0.0  # "……会上的" | "发言提纲", "张三同志" | "在……"
    if before in starts or after in ends:
        return 6.0  # a line ending in "在" or beginning with "的"
    if word(before) or word(after):
        return 1.0  # a word boundary
    return 3.0  # between two characters not known to be words: maybe inside one


def title_lines(text: str, layout: dict | None = None) -> list[str]:
    """The lines of the title ``text``: itself when it fits on one line (or is not Chinese, or the
    user broke it already), else broken between words (GB/T 9704 §7.3.3: 词意完整，排列对称，长短
    适宜) into as few lines as it needs, of lengths as even as the words allow. Dates, numbers,
    Latin words and the words of ``title_words`` (presets) stay whole, no line begins with a closing
    sign or 的 or ends with an opening sign or 在; a break after 的, before 在 or 关于, or after a comma
    costs nothing, one between two known words little. ``"".join(lines) == text`` always."""
    layout = layout or presets()
    spacing = layout["spacing"]
    capacity = text_width_twips(layout) / 20 / layout["sizes"]["title"]
    total = _title_width(text)
    if total <= capacity or "\n" in text or not _CJK.search(text):
        return [text]
    words = sorted({*spacing["title_words"], *spacing["title_break_before"]}, key=len, reverse=True)
    atoms = _title_atoms(text, tuple(words))
    edges = [0]
    for atom in atoms:
        edges.append(edges[-1] + len(atom))
    n = len(atoms)
    costs = [0.0] + [_break_cost(atoms[j - 1], atoms[j], spacing) for j in range(1, n)]
    least = math.ceil(total / capacity)
    for count in range(least, least + 3):
        target = total / count
        # best[k][j]: the least cost of atoms[:j] as k lines, the last ending at j; with where it began.
        best: list[list[tuple[float, int]]] = [[(math.inf, -1)] * (n + 1) for _ in range(count + 1)]
        best[0][0] = (0.0, -1)
        for k in range(1, count + 1):
            for j in range(1, n + 1):
                for i in range(j - 1, -1, -1):  # the line atoms[i:j], longer and longer
                    width = _title_width(text[edges[i] : edges[j]])
                    if width > capacity:
                        break
                    before = best[k - 1][i][0]
                    if before == math.inf or costs[i] == math.inf:
                        continue
                    cost = before + costs[i] + _BALANCE * abs(width - target) / capacity
                    if j < n and width > target:
                        cost += 0.05  # between equals, the longer lines at the bottom (正梯形)
                    if cost < best[k][j][0]:
                        best[k][j] = (cost, i)
        if best[count][n][0] < math.inf:
            cuts = [n]
            for k in range(count, 0, -1):
                cuts.append(best[k][cuts[-1]][1])
            cuts.reverse()
            return [text[edges[a] : edges[b]] for a, b in zip(cuts, cuts[1:])]
    return [text]  # a piece too long for a line: leave the breaking to Word


# --------------------------------------------------------------------------- styles


def _styles(doc, fonts: FontPreset, layout: dict, lang: str) -> dict[str, str]:
    """Define every style the writer uses; returns their style ids by name."""
    sizes, spacing = layout["sizes"], layout["spacing"]
    body_pt, line_pt = sizes["body"], spacing["body_line_pt"]
    indent = Pt(body_pt * spacing["first_line_chars"])
    # Every 三号 style gets the spacing that puts 28 characters on a line; the title, the tables and
    # the page numbers keep their letters as they are.
    condensed = char_spacing(layout)
    _doc_defaults(doc, fonts, body_pt, lang)
    common = dict(
        size=body_pt, line=line_pt, first_line=indent, chars=spacing["first_line_chars"], char_spacing=condensed
    )
    specs: dict[str, dict] = {
        "Normal": dict(common, east_asia=fonts.body, align=WD_ALIGN_PARAGRAPH.JUSTIFY),
        "Title": dict(
            east_asia=fonts.title,
            size=sizes["title"],
            bold=fonts.title_bold,
            line=spacing["title_line_pt"],
            align=WD_ALIGN_PARAGRAPH.CENTER,
            first_line=Pt(0),
            chars=0,
            keep_next=True,
        ),
        "Subtitle": dict(
            east_asia=fonts.kai, size=body_pt, line=line_pt, align=WD_ALIGN_PARAGRAPH.CENTER,
            first_line=Pt(0), chars=0, keep_next=True, char_spacing=condensed,
        ),
        "Heading 1": dict(common, east_asia=fonts.hei, align=WD_ALIGN_PARAGRAPH.JUSTIFY, keep_next=True, outline=0),
        "Heading 2": dict(common, east_asia=fonts.kai, align=WD_ALIGN_PARAGRAPH.JUSTIFY, keep_next=True, outline=1),
        "Heading 3": dict(
            common, east_asia=fonts.body, bold=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, keep_next=True, outline=2
        ),
        "SC Placeholder": dict(common, east_asia=fonts.body, align=WD_ALIGN_PARAGRAPH.JUSTIFY),
        "SC Quote": dict(common, east_asia=fonts.kai, align=WD_ALIGN_PARAGRAPH.JUSTIFY),
        "SC Note": dict(common, east_asia=fonts.kai, align=WD_ALIGN_PARAGRAPH.JUSTIFY),
        "SC Signature": dict(
            east_asia=fonts.body, size=body_pt, line=line_pt, align=WD_ALIGN_PARAGRAPH.RIGHT, first_line=Pt(0),
            chars=0, right=Pt(body_pt * spacing["signature_right_chars"]), char_spacing=condensed,
        ),
        TABLE_TEXT: dict(
            east_asia=fonts.body, size=sizes["table"], line=None, align=WD_ALIGN_PARAGRAPH.LEFT, first_line=Pt(0),
            chars=0,
        ),
        TABLE_HEADER: dict(
            east_asia=fonts.body, size=sizes["table"], line=None, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
            first_line=Pt(0), chars=0, keep_next=True,
        ),
        PAGE_NUMBER: dict(
            east_asia=fonts.song, latin=fonts.song, size=sizes["page_number"], line=None,
            align=WD_ALIGN_PARAGRAPH.RIGHT, first_line=Pt(0), chars=0,
        ),
    }
    return {name: _define(doc, name, fonts, **spec).style_id for name, spec in specs.items()}


def _doc_defaults(doc, fonts: FontPreset, body_pt: float, lang: str) -> None:
    """Document defaults: the body fonts (no theme fonts), 三号, Chinese as the East-Asian
    language, and no spacing around paragraphs."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, fonts.body, fonts.latin)
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr.append(el)
        el.set(qn("w:val"), str(round(body_pt * 2)))
    lang_el = rpr.find(qn("w:lang"))
    if lang_el is None:
        lang_el = OxmlElement("w:lang")
        rpr.append(lang_el)
    # The language of Latin text (w:val) is English in a Chinese document too, as Word's own Chinese
    # default has it: LibreOffice breaks text of a Chinese language anywhere, so with zh-CN here a
    # number ("20|25") or a Latin word could be split at the end of a line.
    lang_el.set(qn("w:val"), "en-US" if lang == "zh" else "en-GB")
    lang_el.set(qn("w:eastAsia"), "zh-CN")
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    spacing.attrib.clear()
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")


def _set_fonts(rpr, east_asia: str, latin: str) -> None:
    """``w:rFonts`` with the East-Asian font and the Latin font for digits and letters; the
    theme attributes (which would win over the names) removed."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in _THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    # Ambiguous characters such as “” and — take the East-Asian font.
    rfonts.set(qn("w:hint"), "eastAsia")


def _define(
    doc,
    name: str,
    fonts: FontPreset,
    *,
    east_asia: str,
    size: float,
    line: float | None,
    align,
    first_line,
    chars: int,
    latin: str | None = None,
    bold: bool = False,
    keep_next: bool = False,
    outline: int | None = None,
    right=None,
    char_spacing: int = 0,
):
    """(Re)define paragraph style ``name`` from scratch and return it (``char_spacing`` in
    twentieths of a point, negative to condense)."""
    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.quick_style = True
    element = style.element
    for tag in ("w:pPr", "w:rPr"):
        for old in element.findall(qn(tag)):
            element.remove(old)
    pf = style.paragraph_format
    pf.alignment = align
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    if line is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing = Pt(line)
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.first_line_indent = first_line
    pf.left_indent = Pt(0)
    pf.right_indent = right if right is not None else Pt(0)
    pf.keep_with_next = keep_next
    # Official documents fill every page to the last line: no widow/orphan control.
    pf.widow_control = False
    ppr = element.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is not None:
        # Word measures the indent in characters when told (it follows a changed font size).
        ind.set(qn("w:firstLineChars"), str(chars * 100))
    if outline is not None:
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(outline))
        ppr.append(level)
    font = style.font
    font.size = Pt(size)
    font.bold = bold
    font.italic = False
    rpr = element.get_or_add_rPr()
    _set_fonts(rpr, east_asia, latin or fonts.latin)
    size_cs = OxmlElement("w:szCs")
    size_cs.set(qn("w:val"), str(round(size * 2)))
    rpr.find(qn("w:sz")).addnext(size_cs)
    if not bold:
        bcs = OxmlElement("w:bCs")
        bcs.set(qn("w:val"), "0")
        rpr.find(qn("w:b")).addnext(bcs)
    if char_spacing:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(char_spacing))
        rpr.insert_element_before(spacing, *_RPR_AFTER_SPACING)
    return style


#: The ``w:rPr`` children that come after ``w:spacing`` (the schema fixes their order).
_RPR_AFTER_SPACING = (
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)


# --------------------------------------------------------------------------- tables


def _units(text: str) -> float:
    """Width of ``text`` in character cells: a CJK character is one, a Latin letter or digit about half."""
    return sum(1.0 if ord(ch) >= 0x2E80 else 0.55 for ch in text)


#: Columns whose text is this short (in characters) get just the width they need …
_SHORT_COLUMN = 8.0
#: … but no more than this many characters per line (a long date or status wraps once).
_SHORT_CAP = 5.0
_CELL_MARGINS = 260  # twips: the grid's left and right cell margins and a little air


def column_widths(rows: tuple[tuple[str, ...], ...], total: int, char_twips: int = 210) -> list[int]:
    """Column widths in twips that add up to ``total`` (the 版心): short columns (序号, 状态, a
    date) as wide as their text needs, up to five characters; the rest shared among the long ones
    by how much text they hold. ``char_twips`` is one character of the table's font (五号 = 210)."""
    header = rows[0]
    ncols = len(header)
    longest, mean = [], []
    for col in range(ncols):
        cells = [row[col] for row in rows[1:] if col < len(row)]
        lines = [line for cell in (header[col], *cells) for line in cell.splitlines()]
        longest.append(max((_units(line) for line in lines), default=1.0))
        mean.append(sum(_units(c) for c in cells) / len(cells) if cells else _units(header[col]))
    short = [mean[c] <= _SHORT_COLUMN for c in range(ncols)]
    fixed = [
        round(min(max(longest[c], 1.0), _SHORT_CAP) * char_twips) + _CELL_MARGINS if short[c] else 0
        for c in range(ncols)
    ]
    long_cols = [c for c in range(ncols) if not short[c]]
    if sum(fixed) > total * 0.6 or not long_cols:
        # Nothing long to share the rest, or too many columns: share everything by text amount.
        weights = [max(_units(header[c]), min(mean[c], 40.0), 2.0) for c in range(ncols)]
    else:
        rest = total - sum(fixed)
        long_weights = {c: max(_units(header[c]), min(mean[c], 40.0)) for c in long_cols}
        scale = rest / sum(long_weights.values())
        weights = [fixed[c] if short[c] else long_weights[c] * scale for c in range(ncols)]
    scale = total / sum(weights)
    widths = [max(480, round(w * scale)) for w in weights]
    widths[-1] += total - sum(widths)
    return widths


def _table(doc, block: Block, styles: dict[str, str], layout: dict) -> None:
    rows = block.rows
    if not rows or not rows[0]:
        return
    ncols = len(rows[0])
    total = text_width_twips(layout)
    tbl = CT_Tbl.new_tbl(0, ncols, Twips(total))
    doc.element.body.append(tbl)
    table = Table(tbl, doc._body)  # noqa: SLF001 - the body is python-docx's block container
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = column_widths(rows, total)
    for column, width in zip(table.columns, widths):
        column.width = Twips(width)
    header_style, text_style = styles[TABLE_HEADER], styles[TABLE_TEXT]
    for index, row in enumerate(rows):
        tr = etree.SubElement(tbl, qn("w:tr"))
        row_properties = etree.SubElement(tr, qn("w:trPr"))
        etree.SubElement(row_properties, qn("w:cantSplit"))  # a row stays on one page
        if index == 0:
            etree.SubElement(row_properties, qn("w:tblHeader"))  # the header repeats on every page
        for col in range(ncols):
            tc = etree.SubElement(tr, qn("w:tc"))
            width = etree.SubElement(etree.SubElement(tc, qn("w:tcPr")), qn("w:tcW"))
            width.set(qn("w:w"), str(widths[col]))
            width.set(qn("w:type"), "dxa")
            add_paragraph(tc, header_style if index == 0 else text_style, row[col] if col < len(row) else "")


# --------------------------------------------------------------------------- footer


def _page_numbers(doc, layout: dict) -> None:
    """"— 1 —" in the footer: odd pages right-aligned, even pages left-aligned, each one
    character in from the edge (GB/T 9704 §7.5)."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    char = Pt(layout["sizes"]["page_number"] * layout["spacing"]["page_number_indent_chars"])
    marks = layout["page_number"]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        paragraph.style = doc.styles[PAGE_NUMBER]
        paragraph.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = char
        else:
            paragraph.paragraph_format.left_indent = char
        p = paragraph._p
        p.add_r().text = marks["before"]
        _field(p, "PAGE", "1")
        p.add_r().text = marks["after"]


def _field(p, instruction: str, shown: str) -> None:
    """A complex field (``w:fldChar`` begin / ``w:instrText`` / separate / result / end)."""

    def char(kind: str) -> None:
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        p.add_r().append(fld)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    p.add_r().append(instr)
    char("separate")
    p.add_r().text = shown
    char("end")


def _properties(doc, document: Document) -> None:
    """Document properties: the title only; no author name from the machine, no template's."""
    props = doc.core_properties
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    props.title = xml_safe(document.title)
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    props.keywords = ""
    props.subject = ""
    props.category = ""
    props.revision = 1
    props.created = now
    props.modified = now
    props.language = "zh-CN" if document.lang == "zh" else "en-GB"
