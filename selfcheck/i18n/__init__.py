"""Message catalogs (``zh.toml``, ``en.toml`` and their ``.tui.toml`` parts) and the lookup function.

Chinese is the default. Catalog keys are flat dotted names (``error.wrong_passphrase``); values are
``str.format`` templates with named fields, so user text passed as a field is inserted verbatim.
No Textual import: the CLI uses this too.
"""

from __future__ import annotations

import errno
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


#: ``errno`` → the ``os.*`` catalog key saying what went wrong, in a few words (the path is
#: added by :func:`os_error_text`). Anything else falls back to ``os.other`` with the system's text.
_OS_REASONS = {
    errno.ENOENT: "os.not_found",
    errno.EACCES: "os.denied",
    errno.EPERM: "os.denied",
    errno.EISDIR: "os.is_dir",
    errno.ENOTDIR: "os.not_dir",
    errno.ENOSPC: "os.no_space",
    errno.EROFS: "os.read_only",
    errno.EEXIST: "os.exists",
    errno.ENAMETOOLONG: "os.name_too_long",
    errno.EIO: "os.io",
}
if hasattr(errno, "EDQUOT"):  # a disk quota is "no space" to the user
    _OS_REASONS[errno.EDQUOT] = "os.no_space"


def os_error_reason(exc: OSError, tr: Translator) -> str:
    """What went wrong with a file, in the user's language and without the path, e.g. 没有权限
    (instead of Python's ``[Errno 13] Permission denied: '…'``)."""
    key = _OS_REASONS.get(exc.errno or 0)
    if key is not None:
        return tr(key)
    return tr("os.other", detail=exc.strerror or type(exc).__name__)


def os_error_text(exc: OSError, tr: Translator, path: object = None) -> str:
    """One line about a failed file operation: the path verbatim and :func:`os_error_reason`.

    ``path`` is the file the user named and wins over the one the error names (which may be a
    temporary file beside it); without it, the error's own path, if any."""
    shown = path if path is not None else exc.filename
    reason = os_error_reason(exc, tr)
    if shown is None:
        return reason
    return tr("os.line", path=os.fsdecode(shown) if isinstance(shown, bytes) else shown, reason=reason)
