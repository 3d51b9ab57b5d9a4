"""Yearly 学习教育 campaigns and study-topic presets (``themes.toml``), kept as data.

Campaign names change every year or two (domain-notes §5.1, §7.1.7), so they live in a reviewed,
versioned file rather than in code. The study diary offers them as tags; nothing here is quoted as
a regulation. No Textual or Rich import.
"""

from __future__ import annotations

import datetime as _dt
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .loader import localized


@dataclass(frozen=True)
class Campaign:
    """A 学习教育 campaign: the year it started, its short tag and full title in zh and en."""

    id: str
    year: int
    tag: dict[str, str]
    title: dict[str, str]
    #: ``"S"`` seen in a public source, ``"K"`` background knowledge (domain-notes legend).
    basis: str
    note: dict[str, str] | None = None

    def label(self, lang: str) -> str:
        """``2024 党纪学习教育``: the year keeps two campaigns with the same short tag apart."""
        return f"{self.year} {localized(self.tag, lang)}"


@dataclass(frozen=True)
class StudyTag:
    """A preset topic tag for study diary entries (学习日志 主题标签)."""

    id: str
    zh: str
    en: str

    def label(self, lang: str) -> str:
        """The tag in ``lang``."""
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Themes:
    """The contents of ``themes.toml``."""

    version: int
    reviewed: _dt.date
    campaigns: tuple[Campaign, ...]
    study_tags: tuple[StudyTag, ...]

    def campaigns_in(self, year: int) -> list[Campaign]:
        """The campaigns that started in ``year``."""
        return [c for c in self.campaigns if c.year == year]


@lru_cache(maxsize=1)
def load_themes() -> Themes:
    """The built-in themes file (a broken one is a packaging mistake and raises)."""
    text = resources.files(__package__).joinpath("themes.toml").read_text(encoding="utf-8")
    doc = tomllib.loads(text)
    campaigns = tuple(
        Campaign(
            id=c["id"], year=c["year"], tag=dict(c["tag"]), title=dict(c["title"]), basis=c["basis"],
            note=dict(c["note"]) if "note" in c else None,
        )
        for c in doc["campaigns"]
    )
    tags = tuple(StudyTag(id=t["id"], zh=t["zh"], en=t["en"]) for t in doc["study_tags"])
    return Themes(version=doc["version"], reviewed=doc["reviewed"], campaigns=campaigns, study_tags=tags)
