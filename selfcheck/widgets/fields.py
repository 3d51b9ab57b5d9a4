"""Labelled fields for a detail panel: a column of labels and, beside them, values that wrap under
themselves (a hanging indent), so a long problem or note stays readable at 80 columns."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static


class FieldList(Vertical):
    """One row per ``(key, label)``; :meth:`set` fills a value (plain text is shown as typed)."""

    DEFAULT_CSS = """
    FieldList {
        height: auto;
    }
    FieldList > .detail-row {
        height: auto;
    }
    FieldList .detail-name {
        text-style: bold;
        color: $text-primary;
        padding: 0 1 0 0;
    }
    FieldList .detail-value {
        width: 1fr;
    }
    """

    def __init__(self, fields: Sequence[tuple[str, str]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.fields = list(fields)

    def compose(self) -> ComposeResult:
        width = max((cell_len(label) for _, label in self.fields), default=0) + 1
        for key, label in self.fields:
            with Horizontal(classes="detail-row", id=f"field-{key}"):
                name = Static(label, classes="detail-name", markup=False)
                name.styles.width = width
                yield name
                yield Static("", classes="detail-value", markup=False)

    def set(self, key: str, value: str | Content, *, visible: bool = True) -> None:
        """Show ``value`` in the row ``key`` (or hide the row)."""
        row = self.query_one(f"#field-{key}", Horizontal)
        row.display = visible
        row.query_one(".detail-value", Static).update(value)

    def label(self, key: str, text: str) -> None:
        """Change the label of the row ``key`` (e.g. a date)."""
        self.query_one(f"#field-{key}", Horizontal).query_one(".detail-name", Static).update(text)
