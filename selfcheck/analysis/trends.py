"""Past self-checks for the user's own eyes: each check's rows, two checks side by side, one item
over time, and a per-checklist trend (no Textual).

Nothing here adds answers up into a score, grade or verdict (domain notes §7.1). The trend counts,
per self-check, the items the user answered 是 or rated 4 or 5 ("fully met"): a count the user can
read against their own earlier checks, never against anyone else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..store.models import Answer, Assessment

if TYPE_CHECKING:
    from ..checklists import Checklist


def fully_met(answer: str | int | None) -> bool:
    """True for 是 (``yes``) or a rating of 4 or 5."""
    if isinstance(answer, bool):
        return False
    if isinstance(answer, int):
        return answer >= 4
    return answer == "yes"


def check_date(assessment: Assessment) -> str:
    """The day (YYYY-MM-DD) a self-check was finished, or started for a draft."""
    return (assessment.completed or assessment.started or "")[:10]


def answered_count(assessment: Assessment) -> int:
    """How many items have an answer."""
    return sum(1 for a in assessment.answers if a.answer is not None)


def noted_count(assessment: Assessment) -> int:
    """How many items carry a note."""
    return sum(1 for a in assessment.answers if a.note.strip())


@dataclass(frozen=True)
class ItemRow:
    """One item of a checklist as answered in one self-check (``answer`` None if not answered)."""

    number: int
    item_id: str
    prompt: str
    item_type: str
    answer: Answer | None
    #: Answered to an item the checklist no longer has (an earlier version's): listed after the
    #: current items, never in their place.
    retired: bool = False


def _item_type(checklist: Checklist | None, item_id: str, *values: object) -> str:
    item = checklist.item(item_id) if checklist else None
    if item is not None:
        return item.type
    # An item no longer in the checklist (an older version): its answers tell the type.
    return "rating" if any(isinstance(v, int) and not isinstance(v, bool) for v in values) else "yn"


def _retired(checklist: Checklist | None, item_id: str) -> bool:
    return checklist is not None and checklist.item(item_id) is None


def _prompt(checklist: Checklist | None, item_id: str, lang: str, *answers: Answer | None) -> str:
    """The prompt as the user saw it (copied into the answer), else the checklist's current text."""
    for answer in answers:
        if answer is not None and answer.prompt:
            return answer.prompt
    item = checklist.item(item_id) if checklist else None
    return item.text_in(lang) if item else item_id


def item_order(checklist: Checklist | None, *assessments: Assessment) -> list[str]:
    """Item ids in the checklist's order, then any answered items the checklist no longer has."""
    ids = [item.id for item in checklist.items] if checklist else []
    seen = set(ids)
    for assessment in assessments:
        for answer in assessment.answers:
            if answer.item_id not in seen:
                seen.add(answer.item_id)
                ids.append(answer.item_id)
    return ids


def rows_of(assessment: Assessment, checklist: Checklist | None, lang: str) -> list[ItemRow]:
    """Every item of ``assessment``'s checklist with its answer, in order."""
    by_id = {a.item_id: a for a in assessment.answers}
    rows = []
    for n, item_id in enumerate(item_order(checklist, assessment), start=1):
        answer = by_id.get(item_id)
        value = answer.answer if answer else None
        rows.append(
            ItemRow(
                n,
                item_id,
                _prompt(checklist, item_id, lang, answer),
                _item_type(checklist, item_id, value),
                answer,
                retired=_retired(checklist, item_id),
            )
        )
    return rows


@dataclass(frozen=True)
class ComparedItem:
    """One item in two self-checks, older (``before``) and newer (``after``)."""

    number: int
    item_id: str
    prompt: str
    item_type: str
    before: Answer | None
    after: Answer | None
    #: An item the checklist no longer has (see :attr:`ItemRow.retired`).
    retired: bool = False

    @property
    def changed(self) -> bool:
        """The two answers differ (answered in one and not the other counts as a difference)."""
        return _value(self.before) != _value(self.after)


def _value(answer: Answer | None) -> str | int | None:
    return answer.answer if answer else None


def compare(older: Assessment, newer: Assessment, checklist: Checklist | None, lang: str) -> list[ComparedItem]:
    """``older`` and ``newer`` item by item, in the checklist's order."""
    before = {a.item_id: a for a in older.answers}
    after = {a.item_id: a for a in newer.answers}
    rows = []
    for n, item_id in enumerate(item_order(checklist, older, newer), start=1):
        b, a = before.get(item_id), after.get(item_id)
        rows.append(
            ComparedItem(
                n,
                item_id,
                _prompt(checklist, item_id, lang, a, b),
                _item_type(checklist, item_id, _value(b), _value(a)),
                b,
                a,
                retired=_retired(checklist, item_id),
            )
        )
    return rows


@dataclass(frozen=True)
class ItemAnswer:
    """How one item was answered in one self-check."""

    date: str
    assessment_id: str
    answer: str | int | None
    note: str


def item_history(assessments: Iterable[Assessment], item_id: str) -> list[ItemAnswer]:
    """The answers to ``item_id`` across ``assessments``, oldest first (checks that skipped it are left out)."""
    found = []
    for assessment in sorted(assessments, key=lambda a: a.completed or a.started or ""):
        answer = next((a for a in assessment.answers if a.item_id == item_id), None)
        if answer is not None and (answer.answer is not None or answer.note):
            found.append(ItemAnswer(check_date(assessment), assessment.id, answer.answer, answer.note))
    return found


@dataclass(frozen=True)
class TrendPoint:
    """One finished self-check on the trend line."""

    date: str
    fully_met: int
    answered: int


def trend(assessments: Iterable[Assessment]) -> list[TrendPoint]:
    """Per finished self-check, oldest first: how many items were fully met, and how many answered."""
    finished = sorted((a for a in assessments if a.completed), key=lambda a: a.completed or "")
    return [
        TrendPoint(check_date(a), sum(1 for x in a.answers if fully_met(x.answer)), answered_count(a)) for a in finished
    ]
