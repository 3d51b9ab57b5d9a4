"""The editable intermediate document every export goes through: a list of typed blocks.

A builder (:mod:`selfcheck.export.meeting` and friends) turns the user's records into a
:class:`Document`; a writer (Markdown, plain text, Word) renders it. In between, the export screen
shows the document as editable text (:func:`to_text`) and turns the user's edited text back into a
document (:func:`from_text`), so what the user sees is exactly what gets written.

Blocks
------
=============  =====================================================================================
kind           what it is
=============  =====================================================================================
title          the document's title (centred, 方正小标宋简体 二号 in Word)
date           the line under the title, e.g. "（2026年11月27日）" (centred, 楷体 三号)
heading        a heading; ``level`` 1 "一、…" (黑体), 2 "（一）…" (楷体), 3 "1. …" (仿宋, bold)
paragraph      body text (仿宋 三号, two-character first-line indent)
placeholder    a visible gap the user should fill in, e.g. "【请填写：原因剖析】" — never invented text
quote          source text the user copied (摘抄, marked 原文); 楷体 in Word
note           a short label, e.g. "本人自我检视记录，不构成组织评价"
signature      a right-aligned line (signature, date)
table          ``rows``: the header row first, then one tuple of cell strings per row
=============  =====================================================================================

Block texts are single lines (builders split the user's multi-line text into paragraphs); only
table cells may hold line breaks.

The text form (:func:`to_text` / :func:`from_text`)
--------------------------------------------------
One block per line; blank lines are ignored (they only separate blocks, and two tables)::

    = 关于2026年度组织生活会个人对照检查材料      title
    @ （2026年11月27日）                      date line
    # 一、学习情况和主要收获                    heading, level 1
    ## （一）政治忠诚方面                      heading, level 2
    ### 1. 学习党章（2026年3月1日）            heading, level 3
    ! 【请填写：原因剖析】                      placeholder
    > 原文摘抄的一行                            quote
    ~ 本人自我检视记录，不构成组织评价            note
    ^ 本人签名：                              signature (right-aligned)
    | 序号 | 问题 | 状态 |                     table row (the first row of a table is its header)
    | 1 | 学习不够深入 | 整改中 |
    any other line                           a paragraph

A marker counts only when followed by a space (``#党章`` is a paragraph). A paragraph whose text
starts with one of ``= @ # ! > ~ ^ | \\`` is written with a leading backslash, and
:func:`from_text` drops one leading backslash, so any text survives the round trip verbatim.
In table rows ``\\|`` is a literal bar, ``\\n`` a line break in the cell and ``\\\\`` a backslash.

No Textual or Rich here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

TITLE = "title"
DATE = "date"
HEADING = "heading"
PARAGRAPH = "paragraph"
PLACEHOLDER = "placeholder"
QUOTE = "quote"
NOTE = "note"
SIGNATURE = "signature"
TABLE = "table"

#: Every block kind.
KINDS: tuple[str, ...] = (TITLE, DATE, HEADING, PARAGRAPH, PLACEHOLDER, QUOTE, NOTE, SIGNATURE, TABLE)

#: The line marker of each single-line kind in the text form (headings use one "#" per level).
MARKERS: dict[str, str] = {TITLE: "=", DATE: "@", PLACEHOLDER: "!", QUOTE: ">", NOTE: "~", SIGNATURE: "^"}
_KIND_OF_MARKER = {marker: kind for kind, marker in MARKERS.items()}
#: Characters that make a paragraph line look like markup; such lines get a leading backslash.
_SPECIAL_START = frozenset("=@#!>~^|\\")


@dataclass(frozen=True)
class Block:
    """One piece of an export document (see the module docstring for the kinds)."""

    kind: str
    text: str = ""
    #: Heading level 1–3 (0 for other kinds).
    level: int = 0
    #: Table rows, header first (tables only).
    rows: tuple[tuple[str, ...], ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown block kind {self.kind!r}")
        if self.kind == HEADING and self.level not in (1, 2, 3):
            raise ValueError(f"heading level must be 1, 2 or 3, not {self.level!r}")

    @property
    def header(self) -> tuple[str, ...]:
        """A table's header row (empty for other blocks)."""
        return self.rows[0] if self.rows else ()

    @property
    def body_rows(self) -> tuple[tuple[str, ...], ...]:
        """A table's rows after the header."""
        return self.rows[1:]


@dataclass
class Document:
    """An export document: its blocks in order, the language its boilerplate is in, and the
    template it was built from (empty when it came from edited text)."""

    blocks: list[Block] = field(default_factory=list)
    lang: str = "zh"
    template: str = ""

    @property
    def title(self) -> str:
        """The text of the first title block, or ``""``."""
        return next((b.text for b in self.blocks if b.kind == TITLE), "")

    def __iter__(self) -> Iterator[Block]:
        return iter(self.blocks)

    def texts(self) -> Iterator[str]:
        """Every text in the document, table cells included (for searching and tests)."""
        for block in self.blocks:
            if block.kind == TABLE:
                for row in block.rows:
                    yield from row
            else:
                yield block.text

    def placeholders(self) -> list[Block]:
        """The placeholder blocks still in the document (gaps the user has not filled)."""
        return [b for b in self.blocks if b.kind == PLACEHOLDER]


# --------------------------------------------------------------------------- constructors


#: Everything ``str.splitlines`` breaks a line at.
_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def _line(text: str) -> str:
    """A single-line text: line breaks inside become spaces (titles, headings, labels)."""
    text = str(text)
    return " ".join(text.splitlines()) if any(ch in _BREAKS for ch in text) else text


_OTHER_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _cell(text: str) -> str:
    """A table cell: every kind of line break becomes ``\\n`` (one for one, so this is idempotent)."""
    return _OTHER_BREAKS.sub("\n", str(text))


def title(text: str) -> Block:
    """A title block."""
    return Block(TITLE, _line(text))


def date_line(text: str) -> Block:
    """The date (or sub-title) line under the title."""
    return Block(DATE, _line(text))


def heading(text: str, level: int = 1) -> Block:
    """A heading of ``level`` 1, 2 or 3."""
    return Block(HEADING, _line(text), level)


def placeholder(text: str) -> Block:
    """A visible gap for the user to fill in."""
    return Block(PLACEHOLDER, _line(text))


def note(text: str) -> Block:
    """A short label line."""
    return Block(NOTE, _line(text))


def signature(text: str) -> Block:
    """A right-aligned line (signature, date)."""
    return Block(SIGNATURE, _line(text))


def split_lines(text: str) -> list[str]:
    """The non-blank lines of a user's text, each kept verbatim (leading spaces included)."""
    return [line for line in str(text).splitlines() if line.strip()]


def paragraphs(text: str, prefix: str = "") -> list[Block]:
    """One paragraph per non-blank line of ``text`` (the user's words, verbatim); ``prefix``
    (e.g. "1. ") goes before the first one."""
    lines = split_lines(text)
    if lines and prefix:
        lines[0] = prefix + lines[0]
    return [Block(PARAGRAPH, line) for line in lines]


def paragraph(text: str) -> Block:
    """One paragraph (line breaks inside become spaces; use :func:`paragraphs` for user text)."""
    return Block(PARAGRAPH, _line(text))


def quotes(text: str) -> list[Block]:
    """One quote block per non-blank line of ``text``."""
    return [Block(QUOTE, line) for line in split_lines(text)]


def table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> Block:
    """A table: ``header`` then ``rows``; every row is padded or cut to the header's width."""
    head = tuple(_cell(c) for c in header)
    width = len(head)
    body = []
    for row in rows:
        cells = [_cell(c) for c in row][:width]
        body.append(tuple(cells + [""] * (width - len(cells))))
    return Block(TABLE, rows=(head, *body))


# --------------------------------------------------------------------------- text form


def to_text(document: Document | Iterable[Block]) -> str:
    """The document as editable text (format in the module docstring); ends with a newline."""
    blocks = document.blocks if isinstance(document, Document) else list(document)
    lines: list[str] = []
    previous: Block | None = None
    for block in blocks:
        if block.kind == TABLE:
            if previous is not None and previous.kind == TABLE:
                lines.append("")  # two tables in a row stay two tables
            lines.extend("| " + " | ".join(_escape_cell(c) for c in row) + " |" for row in block.rows)
        elif block.kind == HEADING:
            lines.append("#" * block.level + " " + _line(block.text))
        elif block.kind == PARAGRAPH:
            for text in block.text.splitlines() or [""]:
                if text.strip():
                    lines.append("\\" + text if text[0] in _SPECIAL_START else text)
        else:
            lines.append(MARKERS[block.kind] + " " + _line(block.text))
        previous = block
    return "\n".join(_spaced(lines)) + "\n" if lines else ""


def _spaced(lines: list[str]) -> list[str]:
    """Blank lines before level-1 headings, for readability (they mean nothing to :func:`from_text`)."""
    out: list[str] = []
    for line in lines:
        if line.startswith("# ") and out and out[-1] != "":
            out.append("")
        out.append(line)
    return out


def from_text(text: str, lang: str = "zh", template: str = "") -> Document:
    """Parse the text form back into a document (the inverse of :func:`to_text`).

    Never fails: anything that is not markup is a paragraph.
    """
    blocks: list[Block] = []
    rows: list[tuple[str, ...]] = []

    def flush_table() -> None:
        if rows:
            width = max(len(r) for r in rows)
            blocks.append(table(rows[0] + ("",) * (width - len(rows[0])), rows[1:]))
            rows.clear()

    for raw in text.splitlines():
        line = raw.rstrip("\r")
        if not line.strip():
            flush_table()
            continue
        if line.startswith("|"):
            rows.append(_parse_row(line))
            continue
        flush_table()
        if line.startswith("\\"):
            blocks.append(Block(PARAGRAPH, line[1:]))
            continue
        hashes = len(line) - len(line.lstrip("#"))
        if 1 <= hashes <= 3 and line[hashes : hashes + 1] == " ":
            blocks.append(Block(HEADING, line[hashes + 1 :], hashes))
        elif line[0] in _KIND_OF_MARKER and line[1:2] == " ":
            blocks.append(Block(_KIND_OF_MARKER[line[0]], line[2:]))
        else:
            blocks.append(Block(PARAGRAPH, line))
    flush_table()
    return Document(blocks, lang=lang, template=template)


def _escape_cell(cell: str) -> str:
    return _cell(cell).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "\\n")


def _parse_row(line: str) -> tuple[str, ...]:
    """Cells of ``| a | b |`` (the outer bars and one space of padding each side are dropped)."""
    cells: list[str] = []
    current: list[str] = []
    i = 1  # past the opening bar
    while i < len(line):
        ch = line[i]
        if ch == "\\" and i + 1 < len(line):
            nxt = line[i + 1]
            current.append({"n": "\n", "|": "|", "\\": "\\"}.get(nxt, "\\" + nxt))
            i += 2
            continue
        if ch == "|":
            cells.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    tail = "".join(current)
    if tail.strip():
        cells.append(tail)  # a row the user left without its closing bar
    return tuple(_unpad(c) for c in cells)


def _unpad(cell: str) -> str:
    return cell.removeprefix(" ").removesuffix(" ")


def with_blocks(document: Document, blocks: Iterable[Block]) -> Document:
    """A copy of ``document`` with other blocks (same language and template)."""
    return replace(document, blocks=list(blocks))
