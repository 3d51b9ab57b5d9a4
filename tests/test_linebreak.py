"""Line breaking by the usual rules (禁则): the pure function, and its place in Textual and Rich."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich._wrap import divide_line
from rich.cells import cell_len, split_graphemes
from rich.console import Console
from rich.text import Text
from textual._wrap import compute_wrap_offsets
from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import Static, TextArea

from selfcheck.checklists import load_builtin
from selfcheck.i18n import LANGUAGES, catalog
from selfcheck.widgets import linebreak
from selfcheck.widgets.linebreak import CLOSING, OPENING, break_allowed, follows_rule, kinsoku_offsets


@pytest.fixture
def rule() -> Iterator[None]:
    """The rule in place for one test (as the app puts it at startup); as it was afterwards."""
    was = linebreak.installed()
    assert linebreak.install()
    yield
    if not was:
        linebreak.uninstall()


def lines_of(text: str, offsets: list[int]) -> list[str]:
    """``text`` cut at ``offsets``."""
    return [text[a:b] for a, b in zip([0, *offsets], [*offsets, len(text)])]


# Text made of what the rule is about: ideographs, both kinds of punctuation, bullets, spaces,
# Latin words, a combining accent and an emoji joined by ZWJ (graphemes are never cut).
PIECES = [
    "中",
    "文",
    "检视",
    "纪律",
    "，",
    "。",
    "、",
    "：",
    "；",
    "？",
    "！",
    "）",
    "」",
    "』",
    "》",
    "…",
    "——",
    "”",
    "（",
    "「",
    "『",
    "《",
    "“",
    "· ",
    "- ",
    "• ",
    "1. ",
    " ",
    "  ",
    "word",
    "ab",
    "x",
    ",",
    ".",
    ":",
    "(",
    ")",
    "[",
    "]",
    "é",
    "e\u0301",
    "👩\u200d💻",
    "２",
]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
latin_texts = (
    st.lists(st.sampled_from(["a", "bc", "word", "longerword", " ", "  ", ",", ".", "(", ")", "- "]), max_size=40)
    .map("".join)
    .filter(lambda t: not t[:1].isspace())
)
widths = st.integers(min_value=2, max_value=30)


def visible(lines: list[str]) -> list[str]:
    """The words on each line: spaces around them and lines of spaces alone dropped."""
    return [line.strip() for line in lines if line.strip()]


def measured(line: str, hanging_space: bool) -> int:
    return cell_len(line.rstrip() if hanging_space else line)


@settings(max_examples=400, deadline=None)
@given(texts, widths, st.booleans())
def test_lines_join_to_the_text_and_never_exceed_the_width(text: str, width: int, hanging: bool) -> None:
    offsets = kinsoku_offsets(text, width, hanging_space=hanging)
    assert offsets == sorted(set(offsets)) and all(0 < p < len(text) for p in offsets)
    assert "".join(lines_of(text, offsets)) == text
    assert all(measured(line, hanging) <= width for line in lines_of(text, offsets))


@settings(max_examples=400, deadline=None)
@given(texts, widths, st.booleans())
def test_a_break_breaks_the_rule_only_when_no_allowed_one_fits(text: str, width: int, hanging: bool) -> None:
    offsets = kinsoku_offsets(text, width, hanging_space=hanging)
    boundaries = {start for start, _end, _cells in split_graphemes(text)[0]}
    for line_start, cut in zip([0, *offsets], offsets):
        if break_allowed(text, cut):
            continue
        earlier = [q for q in boundaries if line_start < q < cut and text[line_start:q].strip()]
        assert not [q for q in earlier if break_allowed(text, q)], (lines_of(text, offsets), cut)


@settings(max_examples=300, deadline=None)
@given(latin_texts, widths)
def test_english_that_follows_the_rule_wraps_as_rich_and_textual_do(text: str, width: int) -> None:
    rich_offsets = divide_line(text, width)
    if follows_rule(text, rich_offsets):
        # Rich folds a too-long word with its trailing spaces, which can leave a line of spaces or
        # start the next with one: here spaces hang at the end of the line as everywhere else.
        assert visible(lines_of(text, kinsoku_offsets(text, width))) == visible(lines_of(text, rich_offsets))
    textual_offsets = compute_wrap_offsets(text, width, 4)
    if follows_rule(text, textual_offsets):
        assert kinsoku_offsets(text, width, hanging_space=False) == textual_offsets


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        # 。 may not start a line: 相 goes down with it (the line gets shorter, never wider).
        ("与上次的自查结果相符。好", 20, ["与上次的自查结果相", "符。好"]),
        # 「 may not end a line.
        ("上次回答了「是」", 12, ["上次回答了", "「是」"]),
        # The bullet stays with its text, and the text fills the line (no lone ·).
        ("· 联系本期的警示教育案例", 12, ["· 联系本期的", "警示教育案例"]),
        ("1. supercalifragilistic", 10, ["1. superca", "lifragilis", "tic"]),
        # …… and —— are never split and never start a line.
        ("我想了想……好的", 9, ["我想了", "想……好的"]),
        # English: the usual word wrap; ( may not end a line.
        ("said ( see", 7, ["said ", "( see"]),
        ("The end , then", 7, ["The ", "end , ", "then"]),
    ],
)
def test_the_usual_rules(text: str, width: int, expected: list[str]) -> None:
    assert lines_of(text, kinsoku_offsets(text, width)) == expected


def test_without_folding_a_long_word_overflows_on_its_own_line() -> None:
    text = "a supercalifragilistic b"
    assert lines_of(text, kinsoku_offsets(text, 8, fold=False)) == lines_of(text, divide_line(text, 8, fold=False))


def test_a_tab_is_as_wide_as_the_textarea_says() -> None:
    text = "中\t文字"
    # The tab fills to column 4: 中 (2) + tab (2) + 文 (2) = 6 > 5.
    assert lines_of(text, kinsoku_offsets(text, 5, hanging_space=False, tab_widths=[2, 0])) == ["中\t", "文字"]


def test_the_rule_is_in_place_on_the_pinned_textual_and_rich() -> None:
    """If this fails, the guard refused the installed Textual or Rich: the rule would be off."""
    was = linebreak.installed()
    try:
        assert linebreak.install()
        assert linebreak.installed()
        assert linebreak.install()  # twice is harmless
        import rich.text
        import textual.content
        import textual.document._wrapped_document as wrapped

        assert rich.text.divide_line.__wrapped__ is divide_line  # type: ignore[attr-defined]
        assert textual.content.divide_line.__wrapped__ is divide_line  # type: ignore[attr-defined]
        assert wrapped.compute_wrap_offsets.__wrapped__ is compute_wrap_offsets  # type: ignore[attr-defined]
    finally:
        if not was:
            linebreak.uninstall()


def test_an_unexpected_library_keeps_its_own_wrapping(monkeypatch: pytest.MonkeyPatch) -> None:
    import rich.text
    import textual.content

    was = linebreak.installed()
    linebreak.uninstall()
    try:

        def changed(text: str, width: int, *, fold: bool = True, justify: str = "left") -> list[int]:
            return []

        monkeypatch.setattr(textual.content, "divide_line", changed)
        assert not linebreak.install()
        assert not linebreak.installed()
        assert rich.text.divide_line is divide_line  # nothing replaced, not even the places that fit
        monkeypatch.setattr(textual.content, "divide_line", lambda text, width, fold=True: [text.find(" ")])
        assert not linebreak.install()  # same parameters, other meaning: refused too
    finally:
        monkeypatch.undo()
        if was:
            linebreak.install()


def broken_lines(lines: list[str]) -> list[str]:
    """The lines of one wrapped text that break the rule: a wrapped line that starts with closing
    punctuation or is a bullet alone, a line that ends with opening punctuation before a break."""
    stripped = [line.strip() for line in lines]
    return [
        lines[i]
        for i, line in enumerate(stripped)
        if (i and line[:1] in CLOSING) or line in {"·", "-", "•"} or (i < len(lines) - 1 and line[-1:] in OPENING)
    ]


SAMPLE = "· 联系本期的警示教育案例，我找出了自己岗位上的廉政风险点。与上次的自查结果相符。：上次「是」，本次「否」"


def test_rich_text_wraps_by_the_rule(rule: None) -> None:
    console = Console(width=80)
    for width in range(8, 40):
        lines = [line.plain for line in Text(SAMPLE).wrap(console, width)]
        assert "".join(lines) == SAMPLE
        assert not broken_lines(lines), (width, lines)


def app_texts() -> list[str]:
    """Every message in both languages and every built-in checklist item's text."""
    texts = [text for lang in LANGUAGES for text in catalog(lang).values()]
    for checklist in load_builtin(optional=True):
        texts += [item.text_in(lang) for item in checklist.items for lang in LANGUAGES]
    return texts


@pytest.mark.parametrize("width", [24, 37, 50, 61, 76, 116])
def test_every_text_of_the_app_wraps_by_the_rule(rule: None, width: int) -> None:
    """Dialogs (the restore question), item texts, hints: Content is what Static and Label show."""
    broken = []
    for text in app_texts():
        lines = [line.plain for line in Content(text).wrap(width)]
        if broken_lines(lines):
            broken.append(lines)
    assert not broken, broken[:5]


class Host(App[None]):
    """A Static and a TextArea with the same Chinese text."""

    def compose(self) -> ComposeResult:
        yield Static(SAMPLE, markup=False)
        yield TextArea(SAMPLE, soft_wrap=True, show_line_numbers=False)


@pytest.mark.parametrize("width", [24, 31, 40])
async def test_static_and_textarea_wrap_by_the_rule(rule: None, width: int) -> None:
    app = Host()
    async with app.run_test(size=(width, 20)) as pilot:
        await pilot.pause()
        static = app.query_one(Static)
        rendered = [strip.text for strip in static.render_lines(static.content_region.reset_offset)]
        assert not broken_lines(rendered), rendered
        area = app.query_one(TextArea)
        wrapped = area.wrapped_document.lines[0]
        assert "".join(wrapped) == SAMPLE
        assert len(wrapped) > 1 and not broken_lines(wrapped), wrapped


@settings(max_examples=300, deadline=None)
@given(texts, st.integers(min_value=0, max_value=3), st.booleans(), st.booleans())
def test_a_width_narrower_than_a_character_never_fails(text: str, width: int, hanging: bool, fold: bool) -> None:
    """A pane narrowed to a few columns wraps a status line at width 1: no IndexError, no loss."""
    offsets = kinsoku_offsets(text, width, hanging_space=hanging, fold=fold)
    assert offsets == sorted(set(offsets)) and all(0 < p < len(text) for p in offsets)
    assert "".join(lines_of(text, offsets)) == text


def test_rich_wraps_chinese_at_width_one(rule: None) -> None:
    lines = Text("学习").wrap(Console(width=1), 1)  # raised IndexError once
    assert len(lines) == 2  # a character a line, as Rich draws it (blank: it is two cells wide)
