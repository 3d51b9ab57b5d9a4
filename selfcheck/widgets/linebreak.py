"""Line breaking that follows the usual rules (禁则, kinsoku) in every wrapped text of the app.

The rule (issue 13): no line starts with closing punctuation (``，。、；：？！）」』》…—”`` and ASCII
``, . ; : ? ! ) ] }``), no line ends with opening punctuation (``（「『《“ ( [ {``), and a bullet or
list marker (``·``, ``-``, ``•``, ``1.``) stays with its text. Chinese and Japanese have no spaces
between words, so a break may fall between any two ideographs (as in every Chinese typesetter and
in Unicode's line-breaking algorithm, UAX #14); a line never grows wider than the room it has — a
forbidden break moves earlier, never later, and only when no allowed one exists is the width-filling
break kept. Text without CJK that already follows the rule wraps exactly as Textual's own.

Why the library's wrap function is replaced rather than each widget's text pre-wrapped: Textual and
Rich compute every soft line break in three functions — ``rich._wrap.divide_line`` (looked up by
``rich.text`` for Rich ``Text``, e.g. DataTable cells, and by ``textual.content`` for ``Static``,
``Label``, notifications) and ``textual._wrap.compute_wrap_offsets`` (looked up by the TextArea's
wrapped document). Only the layout knows a widget's final width (padding, scrollbars, a resize), a
TextArea re-wraps on every keystroke and moves its cursor along its own wrap offsets, and newlines
inserted ahead of time would be copied and saved with the text. One pure function,
:func:`kinsoku_offsets`, answers the same question as the library's ("where do the breaks go?") and
:func:`install` puts it in those three places, so every screen follows the rule without a line of
its own.

:func:`install` is guarded: it replaces nothing unless every place still holds the library's own
function with the expected parameters and the expected meaning of its answer (code point indices),
so a future Textual or Rich that wraps differently keeps its default behaviour instead of a wrong
one. ``tests/test_linebreak.py`` fails if the guard refuses the pinned versions.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from rich.cells import cell_len, split_graphemes

#: Characters no line may start with (closing punctuation, iteration marks, small kana).
CLOSING = frozenset(
    "，。、；：？！．）」』》〉】〕］｝〗〙〛〞’”…‥—～〜"
    "ー・々ゝゞヽヾぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
    ",.;:?!)]}"
)
#: Characters no line may end with (opening punctuation).
OPENING = frozenset("（「『《〈【〔［｛〖〘〚〝‘“([{")

# A list marker where a list item starts (text start or after a space) with the space after it:
# no break between the marker and its text.
_MARKER = re.compile(r"(?:^|(?<=\s))(?:[·•‧∙◦▪‣*\-]|\d{1,3}[.)、．]|[（(]\d{1,3}[)）])\s*(?=\S)")

# Scripts written without spaces between words: a break may fall before or after each character.
# Code point ranges rather than a regular expression: a character class this wide takes 6 ms to
# compile, paid by every start of the app.
_CJK_RANGES = (
    (0x1100, 0x11FF),
    (0x2E80, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
    (0x20000, 0x3FFFF),
)


def _is_cjk(char: str) -> bool:
    code = ord(char[0]) if char else 0
    if code < 0x1100:
        return False
    if 0x2E80 <= code <= 0x9FFF:  # the common case: ideographs, CJK punctuation, kana
        return True
    return any(low <= code <= high for low, high in _CJK_RANGES)


def _has_cjk(text: str) -> bool:
    return not text.isascii() and any(_is_cjk(char) for char in text)


# ----------------------------------------------------------------------------- the rule


def _glued(text: str) -> set[int]:
    """Offsets where a break would separate a list marker from its text."""
    return {p for m in _MARKER.finditer(text) for p in range(m.start() + 1, m.end() + 1)}


def _last_ink(text: str, offset: int) -> str:
    """The last non-space character before ``offset`` ("" if none)."""
    i = offset - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return text[i] if i >= 0 else ""


def break_allowed(text: str, offset: int, glued: set[int] | None = None) -> bool:
    """Whether a line may end just before ``text[offset]`` by the rule (width aside).

    ``glued`` is :func:`_glued` of ``text``, when the caller checks many offsets.
    """
    if not 0 < offset < len(text):
        return False
    if text[offset] in CLOSING or _last_ink(text, offset) in OPENING:
        return False
    return offset not in (_glued(text) if glued is None else glued)


def follows_rule(text: str, offsets: Sequence[int]) -> bool:
    """Whether every break in ``offsets`` is allowed by the rule."""
    if not offsets:
        return True
    glued = _glued(text)
    return all(break_allowed(text, p, glued) for p in offsets)


# ----------------------------------------------------------------------------- wrapping


def _units(text: str, tab_widths: Sequence[int] | None) -> list[tuple[int, int, int]]:
    """(start, end, cells) of each grapheme; tabs are units of their own, ``tab_widths`` wide."""
    if not tab_widths or "\t" not in text:
        return split_graphemes(text)[0]
    units: list[tuple[int, int, int]] = []
    position = 0
    parts = text.split("\t")
    for index, part in enumerate(parts):
        units.extend((position + a, position + b, w) for a, b, w in split_graphemes(part)[0])
        position += len(part)
        if index < len(parts) - 1:
            units.append((position, position + 1, tab_widths[index] if index < len(tab_widths) else 0))
            position += 1
    return units


def kinsoku_offsets(
    text: str,
    width: int,
    *,
    fold: bool = True,
    hanging_space: bool = True,
    tab_widths: Sequence[int] | None = None,
) -> list[int]:
    """Where to break ``text`` (one line, no newline) into lines at most ``width`` cells wide.

    Returns code point offsets, strictly increasing, each in ``(0, len(text))`` — the same answer
    as Rich's ``divide_line`` and Textual's ``compute_wrap_offsets``. Lines fill greedily up to the
    last allowed break (after a space, or next to a CJK character, and allowed by the rule). A
    word longer than a line starts a line and is folded (``fold``) at the last offset the rule
    allows, else at the width; without ``fold`` it overflows (the caller crops it).
    ``hanging_space``: trailing spaces do not count towards the width (Rich, Content); counted
    for a TextArea, whose cursor may sit on them. ``tab_widths``: the cells of each tab in turn.
    """
    if width <= 0 or ("\t" not in text and cell_len(text) <= width):
        return []
    units = _units(text, tab_widths)
    count = len(units)
    base = [text[start] for start, _end, _cells in units]
    space = [char.isspace() for char in base]
    glued = _glued(text)

    # allowed[j]: a line may end before unit j (by the rule; width aside).
    allowed = [False] * (count + 1)
    # permitted[j]: a folded word may be cut before unit j (the rule only).
    permitted = [False] * (count + 1)
    last_ink = ""
    for j in range(1, count):
        if not space[j - 1]:
            last_ink = base[j - 1]
        if not last_ink or base[j] in CLOSING or last_ink in OPENING or units[j][0] in glued:
            continue
        permitted[j] = True
        if not space[j] and (space[j - 1] or _is_cjk(base[j - 1]) or _is_cjk(base[j])):
            allowed[j] = True

    offsets: list[int] = []
    start = 0
    while start < count:
        total = ink = 0
        fits_to = start  # units[start:fits_to] fit on the line
        best = 0  # the last allowed break that fits
        for j in range(start, count):
            total += units[j][2]
            if not space[j]:
                ink = total
            if (ink if hanging_space else total) > width:
                break
            fits_to = j + 1
            if fits_to < count and allowed[fits_to]:
                best = fits_to
        if fits_to == count:
            break
        if best > start:
            cut = best
        elif fold:
            cut = next((k for k in range(fits_to, start, -1) if permitted[k]), max(fits_to, start + 1))
        else:
            following = next((k for k in range(fits_to + 1, count) if allowed[k]), None)
            if following is None:
                break
            cut = following
        if cut >= count:
            break  # narrower than one character: the rest stays on this line (as Rich does)
        offsets.append(units[cut][0])
        start = cut
    return offsets


# ----------------------------------------------------------------------------- installing

DivideLine = Callable[..., list[int]]


def _divide_line_following(original: DivideLine) -> DivideLine:
    """Rich's ``divide_line(text, width, fold=True)``, with the rule."""

    def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
        if not _has_cjk(text):
            offsets = original(text, width, fold)
            if follows_rule(text, offsets):
                return offsets
        return kinsoku_offsets(text, width, fold=fold)

    divide_line.__wrapped__ = original  # type: ignore[attr-defined]
    divide_line._selfcheck_kinsoku = True  # type: ignore[attr-defined]
    return divide_line


def _compute_wrap_offsets_following(original: DivideLine) -> DivideLine:
    """Textual's ``compute_wrap_offsets`` (TextArea), with the rule."""
    from textual.expand_tabs import get_tab_widths

    def compute_wrap_offsets(
        text: str,
        width: int,
        tab_size: int,
        fold: bool = True,
        precomputed_tab_sections: list[tuple[str, int]] | None = None,
    ) -> list[int]:
        if not _has_cjk(text):
            offsets = original(text, width, tab_size, fold, precomputed_tab_sections)
            if follows_rule(text, offsets):
                return offsets
        sections = precomputed_tab_sections or get_tab_widths(text, min(tab_size, width))
        tab_widths = [cells for _section, cells in sections]
        return kinsoku_offsets(text, width, fold=fold, hanging_space=False, tab_widths=tab_widths)

    compute_wrap_offsets.__wrapped__ = original  # type: ignore[attr-defined]
    compute_wrap_offsets._selfcheck_kinsoku = True  # type: ignore[attr-defined]
    return compute_wrap_offsets


class _Site(NamedTuple):
    """A place where the library looks its wrap function up, and how to check it."""

    module: str
    name: str
    parameters: tuple[str, ...]
    #: Calls the function on ``"中文 ab"`` at width 5: ``[3]`` proves offsets are code point
    #: indices (cells would give ``[5]``), as :func:`kinsoku_offsets` answers.
    probe: Callable[[DivideLine], list[int]]
    wrapper: Callable[[DivideLine], DivideLine]


_SITES = (
    _Site("rich.text", "divide_line", ("text", "width", "fold"), lambda f: f("中文 ab", 5), _divide_line_following),
    _Site(
        "textual.content", "divide_line", ("text", "width", "fold"), lambda f: f("中文 ab", 5), _divide_line_following
    ),
    _Site(
        "textual.document._wrapped_document",
        "compute_wrap_offsets",
        ("text", "width", "tab_size", "fold", "precomputed_tab_sections"),
        lambda f: f("中文 ab", 5, 4),
        _compute_wrap_offsets_following,
    ),
)
_PROBE_ANSWER = [3]


def _library_function(site: _Site) -> DivideLine | None:
    """The library's own function at ``site`` if it is as expected (or already wrapped), else None."""
    try:
        module = importlib.import_module(site.module)
    except ImportError:
        return None
    function = getattr(module, site.name, None)
    if function is None or getattr(function, "_selfcheck_kinsoku", False):
        return getattr(function, "__wrapped__", None)
    try:
        if tuple(inspect.signature(function).parameters) != site.parameters or site.probe(function) != _PROBE_ANSWER:
            return None
    except (TypeError, ValueError):
        return None
    return function


def install() -> bool:
    """Make every wrapped text in the app follow the rule; idempotent.

    Returns True when the rule is in place. Returns False and changes nothing when any place
    where Textual or Rich looks up its wrap function is not as this module expects.
    """
    originals = [_library_function(site) for site in _SITES]
    if any(original is None for original in originals):
        return False
    for site, original in zip(_SITES, originals):
        module = importlib.import_module(site.module)
        if original is not None and not getattr(getattr(module, site.name), "_selfcheck_kinsoku", False):
            setattr(module, site.name, site.wrapper(original))
    return True


def installed() -> bool:
    """Whether every place wraps by the rule."""
    return all(
        getattr(getattr(importlib.import_module(site.module), site.name, None), "_selfcheck_kinsoku", False)
        for site in _SITES
    )


def uninstall() -> None:
    """Put the library's own wrap functions back (tests)."""
    for site in _SITES:
        module = importlib.import_module(site.module)
        function = getattr(module, site.name, None)
        if getattr(function, "_selfcheck_kinsoku", False):
            setattr(module, site.name, function.__wrapped__)  # type: ignore[union-attr]
