"""Pick which self-check to do: one of the four, all four in turn, 每日三省 or one of the user's own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...analysis.review import answered
from ...checklists import four, others
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
        tr = self.tr
        options = [self._option(n, c) for n, c in enumerate(four(self.checklists), start=1)]
        options.append(Option(Content.assemble(("5  " + tr("pick.all"), "bold")), id="*all*"))
        # Then 每日三省 and the user's own lists: 6–9 by digit, any of them with the arrows.
        options.extend(self._option(n, c) for n, c in enumerate(others(self.checklists), start=6))
        with Vertical(classes="dialog"):
            yield Static(tr("pick.title"), classes="dialog-title", markup=False)
            yield OptionList(*options, id="choices")
            yield Static(self.keys_hint("pick.keys"), classes="dialog-keys", markup=False)

    def _option(self, n: int, checklist: Checklist) -> Option:
        tr, lang = self.tr, self.tr.lang
        drafts = self.records.assessments(checklist.id, drafts=True)
        extra = tr("pick.draft", n=answered(drafts[0]), total=len(checklist.items)) if drafts else ""
        number = f"{n}  " if n <= 9 else "   "
        summary = checklist.summary_in(lang).strip()
        parts: list[str | tuple[str, str]] = [(number + checklist.title_in(lang), "bold"), extra]
        if summary:
            parts += ["\n", (f"   {summary}", "dim")]
        return Option(Content.assemble(*parts), id=checklist.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on an option."""
        self._choose(event.option.id or "")

    def action_pick(self, number: int) -> None:
        """A digit picks directly."""
        main, extra = four(self.checklists), others(self.checklists)
        if number == 5:
            self._choose("*all*")
        elif 1 <= number <= len(main):
            self._choose(main[number - 1].id)
        elif 6 <= number < 6 + len(extra):
            self._choose(extra[number - 6].id)

    def _choose(self, option_id: str) -> None:
        if option_id == "*all*":
            self.dismiss([c.id for c in four(self.checklists)])
        else:
            self.dismiss([option_id])

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
