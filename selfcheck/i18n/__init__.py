"""Message catalogs (``zh.toml``, ``en.toml`` and their ``.tui.toml`` parts) and the lookup function.

Chinese is the default. Catalog keys are flat dotted names (``error.wrong_passphrase``); values are
``str.format`` templates with named fields, so user text passed as a field is inserted verbatim.
No Textual import: the CLI uses this too.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent
LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
#: Environment variable naming the language when ``--lang`` is not given.
LANG_ENV = "SELFCHECK_LANG"


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


def _load(path: Path) -> dict[str, str]:
    return _flatten(tomllib.loads(path.read_text(encoding="utf-8")))


@cache
def _base(lang: str) -> dict[str, str]:
    """``<lang>.toml`` alone: the CLI's messages, read without the screens' parts."""
    return _load(_HERE / f"{lang}.toml")


@cache
def catalog(lang: str) -> dict[str, str]:
    """All messages of ``lang`` as a flat dict: ``<lang>.toml`` plus every ``<lang>.<part>.toml``
    (the TUI's strings live in ``<lang>.tui.toml``). No key is in two files (a test checks)."""
    # The files sit beside this module (importlib.resources would add 5–10 ms to every CLI start).
    messages: dict[str, str] = {}
    for path in sorted(_HERE.glob(f"{lang}.*toml")):  # zh.toml, zh.tui.toml, zh.study.toml, …
        messages.update(_base(lang) if path.name == f"{lang}.toml" else _load(path))
    return messages


def resolve_language(requested: str | None = None) -> str:
    """``requested`` if it is a known language, else ``$SELFCHECK_LANG``, else Chinese."""
    for candidate in (requested, os.environ.get(LANG_ENV)):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT_LANGUAGE


def translate(key: str, lang: str = DEFAULT_LANGUAGE, /, **fields: object) -> str:
    """The message ``key`` in ``lang`` (falling back to Chinese, then the key), filled with ``fields``."""
    # The base file first: a CLI run then parses one small file instead of every part (≈ 6 ms).
    template = _base(lang).get(key) or catalog(lang).get(key) or catalog(DEFAULT_LANGUAGE).get(key) or key
    return template.format(**fields) if fields else template


class Translator:
    """``translate`` bound to one language: ``tr = Translator("en"); tr("error.locked")``."""

    def __init__(self, lang: str = DEFAULT_LANGUAGE) -> None:
        self.lang = resolve_language(lang)

    def __call__(self, key: str, /, **fields: object) -> str:
        return translate(key, self.lang, **fields)
