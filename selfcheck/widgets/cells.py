"""Table cells that show the user's text verbatim, and theme colours for them.

``DataTable`` reads a plain ``str`` cell as Rich markup, so ``[bold]`` typed by the user would turn
bold and ``[/]`` would raise. Every cell built from user text goes through :func:`cell`, which
makes a :class:`rich.text.Text` (never parsed). Rich styles cannot name Textual theme variables,
so :func:`theme_style` looks the colour up in the running app's theme.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.color import Color, ColorParseError
from rich.style import Style
from rich.text import Text

if TYPE_CHECKING:
    from textual.app import App


def first_line(text: str | None) -> str:
    """The first non-empty line of ``text`` (tables show one line per record)."""
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip()
    return ""


def cell(text: str | None, style: Style | str = "") -> Text:
    """A one-line cell showing ``text`` as typed; too long, it ends in an ellipsis."""
    return Text(first_line(text), style=style, no_wrap=True, overflow="ellipsis", end="")


def theme_style(app: App, variable: str, *, bold: bool = False) -> Style:
    """A Rich style in the colour of the theme variable ``variable`` (e.g. ``"text-error"``).

    Falls back to bold alone when the theme gives no plain colour for it.
    """
    value = app.theme_variables.get(variable, "") or app.get_css_variables().get(variable, "")
    try:
        color = Color.parse(value.split()[0]) if value and not value.startswith("auto") else None
    except ColorParseError:
        color = None
    return Style(color=color, bold=bold or color is None)
