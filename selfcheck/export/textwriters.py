"""Markdown and plain-text writers for export documents.

Markdown keeps every character the user typed: characters Markdown would read as markup
(``* _ [ ] < > & | ~ ` \\``, and ``# > + - =`` or ``1.`` at the start of a line) are
backslash-escaped, and leading or trailing spaces are written as ``&#32;``, so a renderer shows
the text exactly as typed. Plain text is for pasting into a unit's own template: one block per
line, tables as tab-separated rows. No Textual or Rich here.
"""

from __future__ import annotations

import re

from .model import DATE, HEADING, NOTE, PLACEHOLDER, QUOTE, TABLE, TITLE, Block, Document

_MD_INLINE = frozenset("\\`*_[]<>&|~")
_MD_LINE_START = re.compile(r"^([#>+=-]|\d{1,9}[.)])")


def md_escape(text: str) -> str:
    """``text`` as Markdown that renders back to exactly ``text`` (one line)."""
    escaped = "".join("\\" + ch if ch in _MD_INLINE else ch for ch in text)
    core = escaped.lstrip(" \t")
    lead = escaped[: len(escaped) - len(core)]
    stripped = core.rstrip(" \t")
    trail = core[len(stripped) :]
    match = _MD_LINE_START.match(stripped)
    if match:
        mark = match.group(1)
        stripped = mark[:-1] + "\\" + mark[-1] + stripped[len(mark) :]
    return _spaces(lead) + stripped + _spaces(trail)


def _spaces(run: str) -> str:
    return "".join("&#32;" if ch == " " else "&#9;" for ch in run)


def _md_cell(text: str) -> str:
    return "<br>".join(md_escape(line) for line in text.splitlines()) if text else ""


def _md_table(block: Block) -> str:
    header = block.header
    lines = ["| " + " | ".join(_md_cell(c) for c in header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines.extend("| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.body_rows)
    return "\n".join(lines)


def to_markdown(document: Document) -> str:
    """The document as CommonMark (with a GFM table for tables); ends with a newline."""
    parts: list[str] = []
    previous: str | None = None
    for block in document.blocks:
        before, previous = previous, block.kind
        if block.kind == TABLE:
            if block.rows:
                parts.append(_md_table(block))
            continue
        text = md_escape(block.text)
        if block.kind == TITLE:
            parts.append("# " + text)
        elif block.kind == HEADING:
            parts.append("#" * (block.level + 1) + " " + text)
        elif block.kind == QUOTE:
            if before == QUOTE and parts:
                parts[-1] += "\n>\n> " + text
            else:
                parts.append("> " + text)
        elif block.kind == PLACEHOLDER:
            parts.append(f"**{text.strip()}**" if text.strip() else text)
        elif block.kind == NOTE:
            parts.append(f"*{text.strip()}*" if text.strip() else text)
        else:
            parts.append(text)
    return "\n\n".join(parts) + "\n" if parts else ""


def to_plain_text(document: Document) -> str:
    """The document as plain UTF-8 text: one block per line, a blank line after the head and
    before each level-1 heading, tables as tab-separated rows."""
    lines: list[str] = []
    head_done = False
    for block in document.blocks:
        is_head = block.kind in (TITLE, DATE)
        if not is_head and not head_done:
            head_done = True
            if lines:
                lines.append("")
        if block.kind == HEADING and block.level == 1 and lines and lines[-1] != "":
            lines.append("")
        if block.kind == TABLE:
            for row in block.rows:
                lines.append("\t".join(" ".join(cell.replace("\t", " ").splitlines()) for cell in row))
        else:
            lines.append(block.text)
    return "\n".join(lines) + "\n" if lines else ""
