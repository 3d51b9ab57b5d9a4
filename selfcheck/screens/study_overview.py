"""Study overview: a 52-week heatmap, totals by week, month and year, by form and by tag, and the
yearly targets the user sets for themself. No streaks, no points, no ranking."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Label, ProgressBar, Static

from ..analysis.study import study_overview
from ..store.models import StudyEntry
from ..widgets.footer import FittingFooter
from ..widgets.heatmap import SHADES, Heatmap
from .base import AppScreen

#: The targets a user may set (Settings.yearly_targets keys), in display order.
TARGETS = ("entries", "minutes", "notes_chars")


class StudyOverviewScreen(AppScreen):
    """The study record at a glance."""

    BINDINGS = [
        Binding("g", "targets", "key.targets", id="targets"),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def compose(self) -> ComposeResult:
        tr = self.tr
        journal = self.journal
        data = study_overview(journal.documents(StudyEntry.TABLE), self.app.today())
        targets = journal.settings().yearly_targets
        with VerticalScroll(id="overview"):
            yield Static(tr("overview.title"), classes="section-title", markup=False)
            yield Heatmap(
                data.days,
                [tr(f"weekday.{i}") for i in range(7)],
                [tr(f"month.{m}") for m in range(1, 13)],
                tr("month.row"),
                id="heatmap",
            )
            yield Static(tr("overview.legend", shades=" ".join(SHADES)), classes="muted", markup=False)
            yield Static(
                "   ".join(
                    tr(f"overview.{name}", entries=n, minutes=m)
                    for name, (n, m) in (("week", data.week), ("month", data.month), ("year", data.year))
                ),
                markup=False,
            )
            yield Static(tr("overview.by_form"), classes="section-title", markup=False)
            yield Static(_pairs(data.by_form, tr) or tr("overview.none"), markup=False)
            yield Static(tr("overview.by_tag"), classes="section-title", markup=False)
            yield Static(_pairs(data.by_tag, tr) or tr("overview.none"), markup=False)
            yield Static(tr("overview.targets"), classes="section-title", markup=False)
            done = {"entries": data.year_entries, "minutes": data.year_minutes, "notes_chars": data.year_notes_chars}
            shown = False
            for name in TARGETS:
                target = int(targets.get(name, 0) or 0)
                if target <= 0:
                    continue
                shown = True
                with Horizontal(classes="target-row"):
                    yield Label(tr(f"target.{name}"), classes="field-label")
                    bar = ProgressBar(total=target, show_eta=False, show_percentage=True)
                    bar.progress = min(done[name], target)
                    yield bar
                    yield Label(f"{done[name]} / {target}", classes="muted")
            if not shown:
                yield Static(tr("overview.no_targets"), classes="muted", markup=False)
        yield FittingFooter()

    def action_targets(self) -> None:
        """Set or change the yearly targets."""
        from .modals.targets import TargetsModal

        settings = self.journal.settings()

        def chosen(targets: dict[str, int] | None) -> None:
            if targets is None:
                return
            settings.yearly_targets = targets
            self.app.save(lambda j: j.save_settings(settings), on_done=self._reopen)

        self.app.push_screen(TargetsModal(settings.yearly_targets), chosen)

    def _reopen(self, _saved: object) -> None:
        """Show the overview again with the new targets."""
        self.app.switch_screen(StudyOverviewScreen())

    def action_back(self) -> None:
        """Back to the diary."""
        self.app.pop_screen()

    def rebuild(self) -> StudyOverviewScreen:
        """A fresh overview after a language switch."""
        return StudyOverviewScreen()


def _pairs(pairs: list[tuple[str, int]], tr) -> str:
    return "   ".join(tr("overview.pair", name=name, minutes=minutes) for name, minutes in pairs)
