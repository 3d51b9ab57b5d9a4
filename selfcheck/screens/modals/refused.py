"""The disk refused a save: the user's change is kept, and here they choose what becomes of it."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from ..base import AppModal
from .form import fit_label_column


class RefusedSaveModal(AppModal[str | None]):
    """Dismisses with ``"apply"`` (merge into the file on disk), ``"copy"`` (a separate copy) or
    None (later: the change stays kept, sealed on disk, and is merged at the next unlock)."""

    BINDINGS = [
        Binding("a", "choose('apply')", "key.merge", id="merge"),
        Binding("c", "choose('copy')", "key.copy", id="copy"),
        Binding("escape", "choose(None)", "key.later", id="later"),
    ]

    def __init__(self, changed_on_disk: bool = True) -> None:
        super().__init__()
        self.changed_on_disk = changed_on_disk

    def compose(self) -> ComposeResult:
        tr = self.tr
        with Vertical(classes="dialog", id="refused"):
            yield Static(tr("refused.title"), classes="dialog-title", markup=False)
            yield Static(tr("refused.body_changed" if self.changed_on_disk else "refused.body_failed"), markup=False)
            yield Static(tr("refused.kept"), classes="notice", markup=False)
            for key, text in (("a", "refused.apply"), ("c", "refused.copy"), ("esc", "refused.later")):
                with Horizontal(classes="option-row"):
                    yield Label(key, classes="option-key")
                    yield Static(tr(text), classes="option-text", markup=False)
            yield Static(self.keys_hint("refused.keys"), classes="dialog-keys", markup=False)

    def action_choose(self, choice: str | None) -> None:
        """Close with the choice."""
        self.dismiss(choice)

    def rebuild(self) -> RefusedSaveModal:
        """Still the open question after a language switch."""
        return RefusedSaveModal(self.changed_on_disk)


class KeptPassphraseModal(AppModal[str | None]):
    """Kept changes sealed under a passphrase the vault no longer has (it was changed elsewhere
    before they could land): ask for that passphrase. Dismisses with it, or None to skip (the
    file stays, and the next unlock asks again)."""

    BINDINGS = [Binding("escape", "skip", "key.later", id="later")]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        tr = self.tr
        with Vertical(classes="dialog", id="kept-passphrase"):
            yield Static(tr("refused.other_key_title"), classes="dialog-title", markup=False)
            yield Static(tr("refused.other_key_body", path=self.path), markup=False)
            with Horizontal(classes="field-row"):
                yield Label(tr("refused.other_key_label"), classes="field-label")
                yield Input(password=True, id="passphrase", compact=True)
            yield Static(self.keys_hint("refused.other_key_keys"), classes="dialog-keys", markup=False)

    def on_mount(self) -> None:
        """The passphrase field first."""
        fit_label_column(self)  # every label keeps a gap before its field, in any language
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: try it."""
        if event.value:
            self.dismiss(event.value)

    def action_skip(self) -> None:
        """Escape: not now."""
        self.dismiss(None)
