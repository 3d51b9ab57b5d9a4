"""What Home and the summary show, computed from the journal (no Textual).

Everything here is for the user's own eyes: when each check was last done, which answers changed
since the one before, how much was studied, which rectification items are open or overdue. There
is deliberately no overall score, grade or verdict (domain notes §7.1).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..store.journal import Journal
from ..store.models import ActionItem, Answer, Assessment, StudyEntry


@dataclass(frozen=True)
class AnswerChange:
    """One item whose answer differs between two self-checks."""

    item_id: str
    prompt: str
    before: str | int | None
    after: str | int | None


@dataclass
class CheckStatus:
    """Home's line for one checklist."""

    checklist_id: str
    last: Assessment | None = None
    previous: Assessment | None = None
    draft: Assessment | None = None
    changes: list[AnswerChange] = field(default_factory=list)

    @property
    def last_date(self) -> str | None:
        """Date (YYYY-MM-DD) the check was last completed."""
        return self.last.completed[:10] if self.last and self.last.completed else None


@dataclass
class StudyTotals:
    """Study this week and this month."""

    week_entries: int = 0
    week_minutes: int = 0
    month_entries: int = 0
    month_minutes: int = 0


@dataclass
class ActionTotals:
    """Open and overdue rectification items; ``soonest`` are the open ones due first."""

    open: int = 0
    overdue: int = 0
    soonest: list[ActionItem] = field(default_factory=list)


@dataclass
class Overview:
    """Everything Home shows."""

    checks: list[CheckStatus]
    study: StudyTotals
    actions: ActionTotals


def changes_between(before: Assessment | None, after: Assessment) -> list[AnswerChange]:
    """Items answered differently in ``after`` than in ``before`` (items new to ``after`` too)."""
    if before is None:
        return []
    old = {a.item_id: a for a in before.answers}
    changed = []
    for answer in after.answers:
        prior = old.get(answer.item_id)
        if prior is not None and prior.answer != answer.answer and answer.answer is not None:
            changed.append(AnswerChange(answer.item_id, answer.prompt, prior.answer, answer.answer))
    return changed


def previous_of(journal: Journal, assessment: Assessment) -> Assessment | None:
    """The completed self-check of the same checklist just before ``assessment``."""
    key = assessment.completed or assessment.started
    for candidate in journal.assessments(assessment.checklist_id):
        if candidate.id != assessment.id and (candidate.completed or "") < key:
            return candidate
    return None


def study_totals(entries: Iterable[StudyEntry], today: date) -> StudyTotals:
    """Entries and minutes since Monday and since the first of the month."""
    week_start = (today - timedelta(days=today.weekday())).isoformat()
    month_start = today.replace(day=1).isoformat()
    end = today.isoformat()
    totals = StudyTotals()
    for e in entries:
        if month_start <= e.date <= end:
            totals.month_entries += 1
            totals.month_minutes += e.minutes
        if week_start <= e.date <= end:
            totals.week_entries += 1
            totals.week_minutes += e.minutes
    return totals


def action_totals(actions: Iterable[ActionItem], today: date, *, soonest: int = 3) -> ActionTotals:
    """Counts of open and overdue items and the few due soonest."""
    open_items = [a for a in actions if a.status != "done"]
    overdue = [a for a in open_items if a.is_overdue(today.isoformat())]
    ordered = sorted(open_items, key=lambda a: (a.due is None, a.due or "", a.created))
    return ActionTotals(open=len(open_items), overdue=len(overdue), soonest=ordered[:soonest])


def overview(journal: Journal, checklist_ids: Iterable[str], today: date) -> Overview:
    """Home's data in one pass over the journal."""
    checks = []
    for cid in checklist_ids:
        done = journal.assessments(cid, limit=2)
        drafts = journal.assessments(cid, drafts=True, limit=1)
        status = CheckStatus(cid, draft=drafts[0] if drafts else None)
        if done:
            status.last = done[0]
            status.previous = done[1] if len(done) > 1 else None
            status.changes = changes_between(status.previous, status.last)
        checks.append(status)
    month_start = today.replace(day=1)
    week_start = today - timedelta(days=today.weekday())
    recent = journal.find_study(date_from=min(month_start, week_start).isoformat(), date_to=today.isoformat())
    return Overview(checks, study_totals(recent, today), action_totals(journal.actions(open_only=True), today))


def answered(assessment: Assessment) -> int:
    """How many items have an answer."""
    return sum(1 for a in assessment.answers if a.answer is not None)


def answer_for(assessment: Assessment, item_id: str) -> Answer | None:
    """The stored answer to ``item_id``, if any."""
    return next((a for a in assessment.answers if a.item_id == item_id), None)
