"""The export document model: blocks, and the editable text form that round-trips verbatim."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfcheck.export import model
from selfcheck.export.model import Block, Document, from_text, to_text

TRICKY = ["[bold]党章[/]", "*x*", "<tag>&amp;", "# 不是标题", "#党章", "\\反斜杠", "| 竖线 |", "= 等号", "! 感叹",
          "> 引用", "~ 波浪", "^ 脱字", "@ 日期", "　　全角空格开头", "  两个空格", "结尾空格  ", "1. 编号"]


def sample() -> Document:
    return Document(
        [
            model.title("关于2026年度组织生活会个人对照检查材料"),
            model.date_line("（2026年11月27日）"),
            model.paragraph("按照通知要求，现对照检查如下。"),
            model.heading("一、学习情况和主要收获", 1),
            model.heading("（一）政治忠诚方面", 2),
            model.heading("1. 学习党章（2026年3月1日）", 3),
            *[Block(model.PARAGRAPH, t) for t in TRICKY],
            model.placeholder("【请填写：原因剖析】"),
            *model.quotes("原文一行\n原文二行"),
            model.note("本人自我检视记录，不构成组织评价"),
            model.table(["序号", "问题", "进展"], [["1", "a | b", "第一行\n第二行"], ["2", "\\n 不是换行", ""]]),
            model.table(["甲", "乙"], [["另一张表", "紧挨着"]]),
            model.signature("本人签名：　　　　"),
        ]
    )


def test_round_trip_keeps_every_block_verbatim() -> None:
    doc = sample()
    text = to_text(doc)
    back = from_text(text)
    assert back.blocks == doc.blocks
    assert to_text(back) == text


def test_text_form_is_readable_markup() -> None:
    text = to_text(sample())
    lines = text.splitlines()
    assert lines[0] == "= 关于2026年度组织生活会个人对照检查材料"
    assert lines[1] == "@ （2026年11月27日）"
    assert "# 一、学习情况和主要收获" in lines
    assert "## （一）政治忠诚方面" in lines
    assert "### 1. 学习党章（2026年3月1日）" in lines
    assert "! 【请填写：原因剖析】" in lines
    assert "> 原文一行" in lines
    assert "~ 本人自我检视记录，不构成组织评价" in lines
    assert "^ 本人签名：　　　　" in lines
    assert "| 1 | a \\| b | 第一行\\n第二行 |" in lines
    # Paragraphs that look like markup are escaped with one backslash, and only those.
    assert "\\# 不是标题" in lines and "\\#党章" in lines and "\\\\反斜杠" in lines
    assert "[bold]党章[/]" in lines and "*x*" in lines and "　　全角空格开头" in lines


def test_edited_text_becomes_blocks() -> None:
    edited = "= 标题\n@ （2026年1月1日）\n\n# 一、新的部分\n我补写的一段话。\n#没有空格是正文\n| 甲 | 乙\n| 1 | 2 |\n\n## （一）小标题\n"
    doc = from_text(edited, lang="zh")
    kinds = [(b.kind, b.level, b.text) for b in doc.blocks if b.kind != model.TABLE]
    assert kinds == [
        ("title", 0, "标题"),
        ("date", 0, "（2026年1月1日）"),
        ("heading", 1, "一、新的部分"),
        ("paragraph", 0, "我补写的一段话。"),
        ("paragraph", 0, "#没有空格是正文"),
        ("heading", 2, "（一）小标题"),
    ]
    table = next(b for b in doc.blocks if b.kind == model.TABLE)
    assert table.rows == (("甲", "乙"), ("1", "2"))
    assert doc.title == "标题"


def test_user_text_splits_into_paragraphs_without_blank_lines() -> None:
    blocks = model.paragraphs("第一行\n\n  第二行有空格\r\n第三行", prefix="1. ")
    assert [b.text for b in blocks] == ["1. 第一行", "  第二行有空格", "第三行"]
    assert model.paragraphs("  \n\n") == []


def test_single_line_blocks_never_hold_a_line_break() -> None:
    assert model.heading("两行\n标题", 1).text == "两行 标题"
    assert model.title("a\r\nb").text == "a b"


def test_bad_blocks_are_refused() -> None:
    with pytest.raises(ValueError):
        Block("masthead", "红头")
    with pytest.raises(ValueError):
        Block(model.HEADING, "四级", 4)


def test_tables_are_padded_to_the_header() -> None:
    table = model.table(["a", "b", "c"], [["1"], ["1", "2", "3", "4"]])
    assert table.rows == (("a", "b", "c"), ("1", "", ""), ("1", "2", "3"))
    assert table.header == ("a", "b", "c") and len(table.body_rows) == 2


_line_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"),
    max_size=30,
).filter(lambda s: s.strip() != "")
_block = st.one_of(
    st.builds(Block, st.just(model.PARAGRAPH), _line_text),
    st.builds(Block, st.sampled_from([model.TITLE, model.DATE, model.PLACEHOLDER, model.QUOTE, model.NOTE, model.SIGNATURE]), _line_text),
    st.builds(lambda t, n: Block(model.HEADING, t, n), _line_text, st.integers(1, 3)),
    st.builds(
        lambda head, rows: model.table(head, rows),
        st.lists(st.text(max_size=8), min_size=1, max_size=4),
        st.lists(st.lists(st.text(max_size=8), max_size=4), max_size=3),
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_block, max_size=8))
def test_any_document_round_trips(blocks: list[Block]) -> None:
    # Two tables in a row stay two tables; a table whose every cell is blank has no text form.
    blocks = [b for b in blocks if b.kind != model.TABLE or any(c.strip() for row in b.rows for c in row)]
    doc = Document(blocks)
    assert from_text(to_text(doc)).blocks == blocks
