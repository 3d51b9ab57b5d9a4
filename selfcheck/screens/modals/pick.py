"""Pick which self-check to do: one of the four, or all four in turn."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...analysis.review import answered
from ..base import AppModal

if TYPE_CHECKING:
    from ...checklists import Checklist
    from ...store.journal import Journal


class PickChecklistModal(AppModal[list[str] | None]):
    """Dismisses with the list of checklist ids to walk through, or None."""

    BINDINGS = [
        *[Binding(str(n), f"pick({n})", "key.pick", show=False, id=f"pick-{n}") for n in range(1, 10)],
        Binding("escape", "cancel", "key.cancel", id="cancel"),
    ]

    def __init__(self, checklists: list[Checklist], journal: Journal) -> None:
        super().__init__()
        self.checklists = checklists
        self.records = journal

    def compose(self) -> ComposeResult:
        tr, lang = self.tr, self.tr.lang
        options = []
        for n, checklist in enumerate(self.checklists[:4], start=1):
            title = checklist.title_in(lang)
            summary = checklist.summary_in(lang)
            drafts = self.records.assessments(checklist.id, drafts=True)
            extra = tr("pick.draft", n=answered(drafts[0]), total=len(checklist.items)) if drafts else ""
            prompt = Content.assemble((f"{n}  {title}", "bold"), extra, "\n", (f"   {summary.strip()}", "dim"))
            options.append(Option(prompt, id=checklist.id))
        options.append(Option(Content.assemble(("5  " + tr("pick.all"), "bold")), id="*all*"))
        with Vertical(classes="dialog"):
            yield Static(tr("pick.title"), classes="dialog-title", markup=False)
            yield OptionList(*options, id="choices")
            yield Static(tr("pick.keys"), classes="dialog-keys", markup=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on an option."""
        self._choose(event.option.id or "")

    def action_pick(self, number: int) -> None:
        """A digit picks directly."""
        if number == 5:
            self._choose("*all*")
        elif 1 <= number <= min(4, len(self.checklists)):
            self._choose(self.checklists[number - 1].id)

    def _choose(self, option_id: str) -> None:
        if option_id == "*all*":
            self.dismiss([c.id for c in self.checklists[:4]])
        else:
            self.dismiss([option_id])

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
