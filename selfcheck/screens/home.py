"""Home: the four checks, this week's and month's study, open and overdue rectification items."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from ..analysis.review import Overview, answered, overview
from ..checklists import four, others
from ..widgets.footer import FittingFooter
from .base import AppScreen


class HomeScreen(AppScreen):
    """The start page after unlocking."""

    BINDINGS = [
        # Short words for the footer; the help screen shows the tooltip, the full name.
        Binding("a", "start_check", "homekey.selfcheck", id="selfcheck", tooltip="key.selfcheck"),
        Binding("d", "open('diary')", "homekey.diary", id="diary", tooltip="key.diary"),
        Binding("r", "open('actions')", "homekey.actions", id="actions", tooltip="key.actions"),
        Binding("h", "open('history')", "homekey.history", id="history", tooltip="key.history"),
        Binding("t", "open('talks')", "homekey.talks", id="talks", tooltip="key.talks"),
        Binding("m", "open('meeting')", "homekey.meeting", id="meeting", tooltip="key.meeting_prep"),
        Binding("e", "open('export')", "homekey.export", id="export", tooltip="key.export"),
        Binding("s", "open('settings')", "homekey.settings", id="settings", tooltip="key.settings"),
        *[Binding(str(n), f"start_check({n})", "key.pick", show=False, id=f"check-{n}") for n in range(1, 10)],
    ]

    def compose(self) -> ComposeResult:
        # One line instead of Textual's Header (cheaper to paint; Home's paint is on the unlock path).
        yield Static(self.app.title, id="home-title", markup=False)
        with Horizontal(id="home-columns"):
            with Vertical(id="checks-panel", classes="panel"):
                yield Static("", id="checks", markup=False)
            with Vertical(id="home-side"):
                with Vertical(id="study-panel", classes="panel"):
                    yield Static("", id="study", markup=False)
                with Vertical(id="actions-panel", classes="panel"):
                    yield Static("", id="actions", markup=False)
        yield Static("", id="home-hint", markup=False)
        yield FittingFooter(compact=True)  # nine keys fit in 80 columns

    def on_mount(self) -> None:
        """Titles, then the numbers."""
        tr = self.tr
        self.query_one("#checks-panel").border_title = tr("home.checks")
        self.query_one("#study-panel").border_title = tr("home.study")
        self.query_one("#actions-panel").border_title = tr("home.actions")
        self.query_one("#home-hint", Static).update(tr("home.hint"))

    def on_screen_resume(self) -> None:
        """Shown (first time, or back from a walk-through): show what is current. Not while the
        stack is being replaced (lock, restore): the resume arrives after the screen left."""
        if self.is_current and self.app.journal is not None:
            self.refresh_overview()

    def refresh_overview(self) -> None:
        """Recompute and redraw the three panels."""
        journal = self.journal
        data = overview(journal, [c.id for c in four(self.app.checklists)], self.app.today())
        self.query_one("#checks", Static).update(self._checks(data))
        self.query_one("#study", Static).update(self._study(data))
        self.query_one("#actions", Static).update(self._actions(data))
        self.query_one("#home-hint", Static).update(self._hint())

    def _hint(self) -> str:
        """The preparation for this 年度's meeting in one quiet line, once it is begun; else the
        usual hint."""
        from ..export.gather import default_year
        from .meeting import prepared_summary

        meeting = self.journal.meeting_for(default_year(self.app.today()))
        if meeting is None or meeting.finished:
            return self.tr("home.hint")
        return prepared_summary(meeting, self.tr)

    def _checks(self, data: Overview) -> Content:
        tr, lang = self.tr, self.tr.lang
        lines: list[Content] = []
        for n, status in enumerate(data.checks, start=1):
            checklist = self.app.checklist(status.checklist_id)
            name = checklist.title_in(lang) if checklist else status.checklist_id
            details = []
            if status.last_date:
                details.append(tr("home.last_done", date=status.last_date))
                details.append(tr("home.changed", n=len(status.changes)) if status.previous else tr("home.first_time"))
            else:
                details.append(tr("home.never"))
            lines.append(Content.styled(f"{n} {name}", "bold"))
            style = "$text-muted" if not status.last_date else ""
            lines.extend(Content.styled("  " + detail, style) for detail in details)
            if status.draft is not None and checklist is not None:
                draft = tr("home.draft", n=answered(status.draft), total=len(checklist.items))
                lines.append(Content.styled("  " + draft, "$text-accent"))
        lines.append(Content(""))
        lines.append(Content(tr("home.pick_hint")))
        # The other lists (每日三省, the user's own): one line each, numbered on from 6.
        for n, checklist in enumerate(others(self.app.checklists)[:4], start=6):
            last = self.journal.assessments(checklist.id, limit=1)
            when = tr("home.last_done", date=last[0].completed[:10]) if last and last[0].completed else ""
            lines.append(Content.assemble(f"{n} {checklist.title_in(lang)}", ("  " + when, "$text-muted")))
        return Content("\n").join(lines)

    def _study(self, data: Overview) -> str:
        s, tr = data.study, self.tr
        return "\n".join(
            [
                tr("home.week", entries=s.week_entries, minutes=s.week_minutes),
                tr("home.month", entries=s.month_entries, minutes=s.month_minutes),
            ]
        )

    def _actions(self, data: Overview) -> Content:
        a, tr = data.actions, self.tr
        lines = [Content(tr("home.open_actions", open=a.open)), ]
        if a.overdue:
            lines.append(Content.styled(tr("home.overdue", n=a.overdue), "bold $text-error"))
        today = self.app.today().isoformat()
        for item in a.soonest:
            due = item.due or tr("home.no_due")
            style = "$text-error" if item.is_overdue(today) else ""
            problem = item.problem.splitlines()[0] if item.problem else ""
            lines.append(Content.assemble("· ", (due, style), " ", problem))
        if not a.open:
            lines.append(Content(tr("home.no_actions")))
        return Content("\n").join(lines)

    def action_start_check(self, number: int | None = None) -> None:
        """``a``: pick a checklist (or all four); ``1``–``5``: start one directly."""
        from .checklist import ChecklistScreen
        from .modals.pick import PickChecklistModal

        if self._already_open(ChecklistScreen, "key.selfcheck"):
            return  # a second walk of the same draft would overwrite it
        ids = [c.id for c in four(self.app.checklists)]
        extra = [c.id for c in others(self.app.checklists)]

        def picked(choice: list[str] | None) -> None:
            if choice:
                self.app.push_screen(ChecklistScreen(choice))

        if number is None:
            self.app.push_screen(PickChecklistModal(self.app.checklists, self.journal), picked)
        elif number <= 5:
            picked(ids if number == 5 else ids[number - 1 : number])
        elif number - 6 < len(extra):
            picked([extra[number - 6]])
        else:
            self.notify(self.tr("home.no_such_list", n=number), severity="warning")

    def action_open(self, name: str) -> None:
        """Open one of the app's sections (d diary, s settings, …)."""
        from .actions import ActionsScreen
        from .diary import DiaryScreen
        from .export import ExportScreen
        from .history import HistoryScreen
        from .meeting import MeetingScreen
        from .settings import SettingsScreen
        from .talks import TalksScreen

        screens = {
            "diary": DiaryScreen,
            "actions": ActionsScreen,
            "history": HistoryScreen,
            "talks": TalksScreen,
            "export": ExportScreen,
            "settings": SettingsScreen,
            "meeting": MeetingScreen,
        }
        section = next(b.tooltip for b in self.BINDINGS if isinstance(b, Binding) and b.action == f"open('{name}')")
        if not self._already_open(screens[name], section or ""):
            self.app.push_screen(screens[name]())

    def _already_open(self, screen_type: type, name_key: str) -> bool:
        """Whether a ``screen_type`` is open somewhere in the stack (the palette opens sections
        from anywhere); if so, say so rather than open a second, stale copy."""
        if not any(isinstance(screen, screen_type) for screen in self.app.screen_stack):
            return False
        self.notify(self.tr("home.already_open", name=self.tr(name_key)))
        return True

    def rebuild(self) -> HomeScreen:
        """A fresh Home after a language switch."""
        return HomeScreen()
