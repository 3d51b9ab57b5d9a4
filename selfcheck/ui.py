"""Small pieces every screen shares: the translator, translated bindings, error messages.

Binding descriptions in ``BINDINGS`` are catalog keys (``"key.lock"``); :func:`translate_bindings`
replaces them with the text in the user's language when a screen is created, so the Footer, the
help screen and the palette all speak the same language.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence, TypeVar

from rich.text import Text
from textual._context import active_app
from textual.binding import BindingsMap
from textual.dom import DOMNode
from textual.widgets import DataTable
from textual.screen import ModalScreen, Screen

from .i18n import Translator
from .store.errors import SelfcheckError

_FALLBACK = Translator("zh")


def current_translator() -> Translator:
    """The running app's translator (Chinese when there is no app, e.g. in a bare test host)."""
    try:
        return getattr(active_app.get(), "tr", _FALLBACK)
    except LookupError:
        return _FALLBACK


def translate_bindings(node: DOMNode, tr: Translator) -> None:
    """Give ``node``'s bindings descriptions and tooltips in ``tr``'s language.

    Descriptions are catalog keys; ``_bindings`` is rebuilt from the class's merged bindings, so
    calling this again after a language switch translates from the keys, not from old text.
    """
    merged = type(node)._merged_bindings or BindingsMap()
    node._bindings = BindingsMap.from_keys(  # noqa: SLF001 - Textual has no public setter for this
        {
            key: [replace(b, description=_describe(b.description, tr), tooltip=_describe(b.tooltip, tr)) for b in bindings]
            for key, bindings in merged.key_to_bindings.items()
        }
    )


def cell(value: object) -> Text:
    """A DataTable cell showing ``value`` verbatim: DataTable reads plain ``str`` cells as markup,
    so a title like ``[bold]x[/]`` must be wrapped (DESIGN.md §2.5)."""
    return Text(str(value), no_wrap=True, overflow="ellipsis")


T = TypeVar("T")


def under_cursor(table: DataTable, rows: Sequence[T]) -> T | None:
    """The record a table's cursor is on, for tables filled row by row from ``rows``."""
    if not rows or table.cursor_row < 0 or table.cursor_row >= table.row_count:
        return None
    return rows[min(table.cursor_row, len(rows) - 1)]


def _describe(description: str, tr: Translator) -> str:
    """Our descriptions are catalog keys (``key.*``); Textual's own English ones are dropped so
    the help screen and Footer never mix languages."""
    return tr(description) if description.startswith(("key.", "homekey.")) else ""


def error_text(exc: BaseException, tr: Translator) -> str:
    """One line for the user about ``exc`` in their language (never the vault's contents)."""
    if isinstance(exc, SelfcheckError):
        detail = getattr(exc, "detail", None) or (str(exc.args[0]) if exc.args else "")
        return tr(exc.message_key, path=detail, detail=detail)
    return tr("error.internal", kind=type(exc).__name__)


class AppScreen(Screen[None]):
    """A screen whose bindings are translated and which knows the app's translator."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.tr = current_translator()
        translate_bindings(self, self.tr)


class AppModal(ModalScreen):
    """A modal dialog with translated bindings; ``escape`` closes it."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.tr = current_translator()
        translate_bindings(self, self.tr)
