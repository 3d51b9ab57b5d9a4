"""The keys, in the user's language (``f1`` or ``?``)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from .base import AppModal, bindings_in_effect


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
        """Each key in effect (a user keymap included) with what it does and its binding id (for
        ``keymap.toml``): the screen below first, then everywhere."""
        lines: list[str] = []
        for title, node in ((self.tr("helpscreen.here"), self.below), (self.tr("helpscreen.everywhere"), self.app)):
            bindings = bindings_in_effect(node)
            keys_by_text: dict[str, list[str]] = {}
            ids_by_text: dict[str, list[str]] = {}
            for _key, binding in bindings:
                text = binding.tooltip or binding.description
                if text:
                    keys = keys_by_text.setdefault(text, [])
                    display = self.app.get_key_display(binding)
                    if display not in keys:
                        keys.append(display)
                    ids = ids_by_text.setdefault(text, [])
                    if binding.id and binding.id not in ids:
                        ids.append(binding.id)
            if keys_by_text:
                lines.append(title)
                for text, keys in keys_by_text.items():
                    shown = "/".join(key_runs(keys))
                    lines.append(f"  {shown:<14} {text}  · {id_list(ids_by_text[text])}")
                lines.append("")
        lines.append(self.tr("helpscreen.palette"))
        lines.append(self.tr("helpscreen.keymap", path=self.app.keymap_path))
        return "\n".join(lines)

    def action_close(self) -> None:
        """Close help."""
        self.dismiss(None)


def key_runs(keys: list[str]) -> list[str]:
    """``keys`` with digits written as runs: ``1-5`` covers 1…5 (a key shown as a range already
    swallows the digits it covers), and three or more consecutive digits become ``1-9``."""
    ranges = [k for k in keys if len(k) == 3 and k[0].isdigit() and k[1] == "-" and k[2].isdigit()]
    covered = {str(n) for r in ranges for n in range(int(r[0]), int(r[2]) + 1)}
    digits = sorted(int(k) for k in keys if len(k) == 1 and k.isdigit() and k not in covered)
    runs: list[list[int]] = []
    for digit in digits:
        if runs and digit == runs[-1][-1] + 1:
            runs[-1].append(digit)
        else:
            runs.append([digit])
    written = [f"{r[0]}-{r[-1]}" if len(r) >= 3 else "/".join(map(str, r)) for r in runs]
    others = [k for k in keys if not (len(k) == 1 and k.isdigit())]  # the ranges among them
    return others + written


def id_list(ids: list[str]) -> str:
    """Binding ids for the help line: all of them, or the first and last of a long series."""
    return ", ".join(ids) if len(ids) <= 2 else f"{ids[0]} … {ids[-1]}"
