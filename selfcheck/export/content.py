"""The export's data files: boilerplate (``text.zh.toml`` / ``text.en.toml``) and presets
(``presets.toml``: page layout, font presets, 方面 presets), with small formatting helpers.

Content is data, not code: headings, connective lines and placeholder prompts live in the TOML
files, so wording can be reviewed and changed without touching a builder. No Textual or Rich here.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from ..i18n import DEFAULT_LANGUAGE, LANGUAGES

#: The export templates, in the order a menu shows them.
TEMPLATES: tuple[str, ...] = ("meeting", "talk", "talkprep", "study", "appraisal")
#: 民主评议 grades (等次), best first; the user picks one, the app never derives it.
GRADES: tuple[str, ...] = ("excellent", "qualified", "basically_qualified", "unqualified")
#: The data files sit beside this module (plain paths: importlib.resources costs milliseconds).
_HERE = Path(__file__).resolve().parent
#: Punctuation that ends a clause; no separator is added after it.
_CLOSING_PUNCTUATION = frozenset("。；，、！？：.;,!?:")
#: The font preset used when none (or an unknown one) is named.
DEFAULT_FONT_PRESET = "gb2312"


@cache
def _text_file(lang: str) -> dict[str, Any]:
    name = f"text.{lang if lang in LANGUAGES else DEFAULT_LANGUAGE}.toml"
    return tomllib.loads(_HERE.joinpath(name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def presets() -> dict[str, Any]:
    """The parsed ``presets.toml`` (cached; treat as read-only)."""
    return tomllib.loads(_HERE.joinpath("presets.toml").read_text(encoding="utf-8"))


class Text:
    """The boilerplate of one language: ``t("meeting.title", year=2026)``, ``t.list("study.forms_header")``."""

    def __init__(self, lang: str = DEFAULT_LANGUAGE) -> None:
        self.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        self.data = _text_file(self.lang)

    def raw(self, key: str) -> Any:
        """The value at the dotted ``key`` (KeyError when missing: a packaging mistake)."""
        value: Any = self.data
        for part in key.split("."):
            value = value[part]
        return value

    def __call__(self, key: str, /, **fields: object) -> str:
        template = self.raw(key)
        return template.format(**fields) if fields else template

    def list(self, key: str) -> list[str]:
        """A list value (table headers, the appraisal's sub-headings)."""
        return list(self.raw(key))

    # ------------------------------------------------------------------ formatting

    def date(self, iso: str | date | None) -> str:
        """``2025年3月1日`` / ``1 March 2025`` (no zero padding, domain-notes §6); "" for None;
        a string that is not an ISO date is returned as it is."""
        if not iso:
            return ""
        try:
            day = iso if isinstance(iso, date) else date.fromisoformat(str(iso)[:10])
        except ValueError:
            return str(iso)
        return self("format.date", y=day.year, m=day.month, d=day.day, month=self.data["months"][day.month - 1])

    def number(self, n: int) -> str:
        """``n`` as a heading number: 一, 二 … in Chinese, 1, 2 … in English."""
        return chinese_numeral(n) if self.data["numerals"] == "chinese" else str(n)

    def level1(self, n: int, text: str) -> str:
        """``一、text``."""
        return self("format.level1", n=self.number(n), text=text)

    def level2(self, n: int, text: str) -> str:
        """``（一）text``."""
        return self("format.level2", n=self.number(n), text=text)

    def level3(self, n: int, text: str) -> str:
        """``1. text``."""
        return self("format.level3", n=n, text=text)

    def item(self, n: int) -> str:
        """The prefix of the ``n``-th numbered paragraph: ``1. ``."""
        return self("format.item", n=n)

    def placeholder(self, what_key: str, **fields: object) -> str:
        """``【请填写：…】`` with the prompt at ``what_key``."""
        return self("common.placeholder", what=self(what_key, **fields))

    def hours(self, minutes: int) -> str:
        """Minutes as hours with one decimal: ``12.5小时``."""
        h = f"{minutes / 60:.1f}".rstrip("0").rstrip(".")
        return self("format.hours", h=h)

    def join(self, parts: Sequence[str]) -> str:
        """``a、b、c`` / ``a, b, c``."""
        return self("format.list_separator").join(parts)

    def details(self, parts: Sequence[str]) -> str:
        """``（a；b）`` / `` (a; b)``, or "" when every part is empty. No separator goes after a
        part that already ends with punctuation (a user's "…安排。" is not followed by "；")."""
        parts = [p for p in parts if p]
        if not parts:
            return ""
        separator = self("format.detail_separator")
        joined = parts[0]
        for part in parts[1:]:
            joined += ("" if joined.rstrip()[-1:] in _CLOSING_PUNCTUATION else separator) + part
        return self("format.details", details=joined)


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (larger numbers as digits)."""
    digits = "零一二三四五六七八九"
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


# --------------------------------------------------------------------------- presets


@dataclass(frozen=True)
class FontPreset:
    """The fonts a Word export names (by name only; nothing is embedded)."""

    name: str
    label: dict[str, str]
    title: str
    body: str
    kai: str
    hei: str
    song: str
    latin: str
    title_bold: bool

    def label_in(self, lang: str) -> str:
        """The preset's description in ``lang``."""
        return self.label.get(lang) or self.label.get(DEFAULT_LANGUAGE, self.name)


def font_presets() -> dict[str, FontPreset]:
    """Every font preset by name (``gb2312`` first)."""
    return {
        name: FontPreset(name=name, **{k: v for k, v in spec.items()})
        for name, spec in presets()["fonts"].items()
    }


def font_preset(name: str | None) -> FontPreset:
    """The preset called ``name``; KeyError when there is none (the caller reports it)."""
    return font_presets()[name or DEFAULT_FONT_PRESET]


@dataclass(frozen=True)
class Aspect:
    """One 方面 of part 三 of the meeting outline, and which problems it gathers."""

    heading: str
    #: Self-checks whose problems go here (checklist ids).
    checklists: tuple[str, ...] = ()
    #: Starts of a checklist item's ``seed`` reference (the part of the seed speech).
    seed: tuple[str, ...] = ()
    #: Checklist item ``discipline`` tags.
    tags: tuple[str, ...] = ()

    def matches(self, checklist_id: str | None, seed: str, tag: str) -> bool:
        """Whether a problem from ``checklist_id`` / an item with ``seed`` and ``tag`` belongs here."""
        return (
            (checklist_id is not None and checklist_id in self.checklists)
            or any(seed.startswith(prefix) for prefix in self.seed if seed)
            or (bool(tag) and tag in self.tags)
        )


def aspect_presets(lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """The 方面 presets: name → description in ``lang`` (``seed``, ``notice2024``, ``sizi``, ``common``)."""
    return {name: spec["label"].get(lang) or spec["label"][DEFAULT_LANGUAGE] for name, spec in presets()["aspects"].items()}


def aspects(preset: str, lang: str = DEFAULT_LANGUAGE) -> tuple[Aspect, ...]:
    """The 方面 of ``preset`` with headings in ``lang``; KeyError for an unknown preset."""
    return tuple(
        Aspect(
            heading=item["heading"].get(lang) or item["heading"][DEFAULT_LANGUAGE],
            checklists=tuple(item.get("checklists", ())),
            seed=tuple(item.get("seed", ())),
            tags=tuple(item.get("tags", ())),
        )
        for item in presets()["aspects"][preset]["items"]
    )


def cause_headings(lang: str = DEFAULT_LANGUAGE) -> list[str]:
    """The usual headings of 原因剖析 in ``lang``."""
    causes = presets()["causes"]
    return list(causes.get(lang) or causes[DEFAULT_LANGUAGE])


def custom_aspects(headings: list[str] | tuple[str, ...]) -> tuple[Aspect, ...]:
    """The user's own 方面 headings (verbatim; no automatic assignment — the user places problems)."""
    return tuple(Aspect(heading=h) for h in headings if h.strip())


def template_label(template: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The display name of an export template."""
    return Text(lang)(f"templates.{template}")


def grade_label(grade: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The display name of a grade code (``qualified`` → 合格)."""
    return Text(lang)(f"grades.{grade}")


def parse_grade(value: str) -> str | None:
    """A grade code from a code or a label in any language (``合格``, ``qualified``); None if unknown."""
    wanted = value.strip().casefold()
    for grade in GRADES:
        if wanted == grade or any(wanted == grade_label(grade, lang).casefold() for lang in LANGUAGES):
            return grade
    return None
