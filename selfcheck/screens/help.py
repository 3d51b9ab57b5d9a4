"""The keys, in the user's language (``f1`` or ``?``)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from .base import AppModal


class HelpScreen(AppModal[None]):
    """Lists the keys of the screen underneath and the app-wide ones."""

    BINDINGS = [Binding("escape,f1,question_mark,q", "close", "key.close", id="close")]

    def __init__(self) -> None:
        super().__init__()
        #: The screen help was asked on (captured before this one is pushed).
        self.below = self.app.screen

    def compose(self) -> ComposeResult:
        tr = self.tr
        with Vertical(classes="dialog"):
            yield Static(tr("helpscreen.title"), classes="dialog-title", markup=False)
            with VerticalScroll(id="help-body"):
                yield Static(self._keys_text(), markup=False)
            yield Static(tr("helpscreen.close"), classes="dialog-keys", markup=False)

    def _keys_text(self) -> str:
        """Each key with what it does: the screen below first, then everywhere."""
        lines: list[str] = []
        for title, node in ((self.tr("helpscreen.here"), self.below), (self.tr("helpscreen.everywhere"), self.app)):
            keys_by_description: dict[str, list[str]] = {}
            for _key, binding in node._bindings:  # noqa: SLF001 - the translated bindings of that node
                text = binding.tooltip or binding.description
                if text:
                    keys = keys_by_description.setdefault(text, [])
                    display = self.app.get_key_display(binding)
                    if display not in keys:
                        keys.append(display)
            if keys_by_description:
                lines.append(title)
                lines.extend(f"  {'/'.join(keys):<14} {text}" for text, keys in keys_by_description.items())
                lines.append("")
        lines.append(self.tr("helpscreen.palette"))
        return "\n".join(lines)

    def action_close(self) -> None:
        """Close help."""
        self.dismiss(None)
