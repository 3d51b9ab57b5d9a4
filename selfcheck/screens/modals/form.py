"""Two helpers for forms (the dialogs here and the first-run screen).

- :func:`fit_label_column`: the stylesheet gives ``.field-row .field-label`` a fixed width that
  suits Chinese; an English label such as "Other person's role" is longer, wrapped, and its field's
  text started right after it ("Other person'se.g. …"). Measuring the labels once they are mounted
  keeps every row aligned and leaves a gap before the fields.
- :class:`FormScroll`: a scrolling form is a tab stop only while it has something to scroll, and
  then shows that it has the focus; Textual's scroll containers are always tab stops and never
  show focus, so tab seemed to land nowhere.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Label

#: Blank cells between the longest label and its field.
GAP = 2


def fit_label_column(root: Widget, gap: int = GAP) -> None:
    """Widen the labels that open ``root``'s ``.field-row`` rows to the longest one plus ``gap``
    cells (all of them, so the fields stay in one column); a column that is already wide enough
    keeps the width the stylesheet gives it."""
    labels = [row.children[0] for row in root.query(".field-row") if row.children and isinstance(row.children[0], Label)]
    if not labels:
        return
    need = max(cell_len(str(label.content)) for label in labels) + gap
    for label in labels:
        width = label.styles.width
        if width is None or not width.is_cells or width.value < need:
            label.styles.width = need


class FormScroll(VerticalScroll):
    """A form that scrolls when the terminal is too small for it. Tab stops at it only then (the
    arrow keys scroll it), and ``FormScroll:focus`` in the stylesheet marks it."""

    def allow_focus(self) -> bool:
        """Focusable only while part of the form is out of sight."""
        return self.max_scroll_y > 0
