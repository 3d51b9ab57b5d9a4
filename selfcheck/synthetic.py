"""Realistic SAMPLE data for demos and benchmarks: a fictional cadre's journal over N years.

:func:`generate` returns a document in the JSON exchange format (``selfcheck.store.exchange``),
every record built through the model dataclasses and their ``to_doc()``; :func:`fill` merges it
into an open :class:`~selfcheck.store.journal.Journal` in one commit. The same arguments always
give the same document (a seeded ``random.Random``; no clock, no ``uuid4``).

The vocabulary lives in ``selfcheck/data/synthetic.toml``. It is sample content only: generic,
modest and neutral (domain-notes.md §3, §7). It is never offered to a user as their own words;
the app itself never writes problems or reflections for anyone. No Textual or Rich here.
"""

from __future__ import annotations

import tomllib
from bisect import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from itertools import accumulate
from random import Random
from typing import TYPE_CHECKING, Any

from .store.models import (
    MEETING_STEPS,
    ActionItem,
    Answer,
    Assessment,
    Measure,
    Meeting,
    Problem,
    ProgressNote,
    Settings,
    StudyEntry,
    TalkNote,
)

if TYPE_CHECKING:
    from .store.exchange import ImportReport
    from .store.journal import Journal

FORMAT_NAME = "selfcheck"
FORMAT_VERSION = 1
YN_ANSWERS = ("yes", "mostly", "no", "na")


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    """The parsed ``synthetic.toml`` (cached; treat as read-only)."""
    text = resources.files("selfcheck").joinpath("data", "synthetic.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@dataclass(frozen=True)
class SampleItem:
    """A checklist item as the sample answers it (see ``[answering]`` in ``synthetic.toml``)."""

    id: str
    type: str  # "yn" or "rating"
    text: str  # the Chinese prompt, copied into each answer
    tag: str  # 纪律 or theme tag of the item
    soft: bool  # a 基本做到 / 否 or a middling rating is plausible and harmless
    na_share: float  # how often a yes/no item is answered 不适用


@dataclass(frozen=True)
class SampleChecklist:
    """The id, version and items of one checklist the sample answers."""

    id: str
    version: int
    items: tuple[SampleItem, ...]


@lru_cache(maxsize=1)
def sample_checklists() -> tuple[SampleChecklist, ...]:
    """The four built-in checklists (自重, 自省, 自警, 自励) as the sample answers them.

    Falls back to the draft items kept in ``synthetic.toml`` while the built-in checklist files are
    not all present and valid, so the generator works on its own.
    """
    rules = vocabulary()["answering"]
    raw = _builtin_items()
    if raw is None:
        raw = [(c["id"], 1, [tuple(i) for i in c["items"]]) for c in vocabulary()["fallback_checklists"]]

    def sample_item(item_id: str, kind: str, tag: str, text: str) -> SampleItem:
        soft = tag in rules["soft_tags"] or (
            kind == "rating" and tag in rules["soft_rating_tags"] and not any(k in text for k in rules["firm_keywords"])
        )
        na = max((share for k, share in rules["na_keywords"].items() if k in text), default=0.0)
        return SampleItem(item_id, kind, text, tag, soft, na if kind == "yn" else 0.0)

    return tuple(SampleChecklist(cid, version, tuple(sample_item(*i) for i in items)) for cid, version, items in raw)


def _builtin_items() -> list[tuple[str, int, list[tuple[str, str, str, str]]]] | None:
    """``(id, version, [(item id, type, tag, zh text)])`` of the built-in checklists, or None."""
    try:
        from . import checklists
    except ImportError:
        return None
    try:
        return [
            (c.id, c.version, [(i.id, i.type, i.discipline, i.text_in("zh")) for i in c.items])
            for c in checklists.load_builtin()
        ]
    except (checklists.ChecklistError, OSError):  # a built-in file missing or half-written
        return None


def start_date(years: int, end: date) -> date:
    """The first day of a span of ``years`` years ending at ``end`` (29 February becomes the 28th)."""
    try:
        first = end.replace(year=end.year - years)
    except ValueError:
        first = end.replace(year=end.year - years, day=28)
    return first + timedelta(days=1)


def generate(
    years: int = 10,
    *,
    study: int = 5000,
    assessments: int = 500,
    actions: int = 300,
    talks: int = 40,
    seed: int = 1,
    end: date | None = None,
) -> dict[str, Any]:
    """A sample journal over ``years`` years ending at ``end`` (default today), as an export document.

    Counts are exact; one 组织生活会 per whole year in the span whose meeting date has passed
    (its problems' measures are among the ``actions``). Study entries, self-checks, progress notes, done dates and talks fall
    within ``[start_date(years, end), end]``; rectification due dates may lie up to a year after
    ``end`` (open items not yet due).
    """
    if years < 1:
        raise ValueError("years must be at least 1")
    if min(study, assessments, actions, talks) < 0:
        raise ValueError("counts must not be negative")
    end = end or date.today()
    gen = _Generator(Random(seed), start_date(years, end), end, vocabulary())
    study_docs = gen.study(study)
    assessment_records = gen.assessments(assessments)
    meeting_plans = gen.meeting_plans()
    action_docs = gen.actions(actions, assessment_records, meeting_plans)
    talk_docs = gen.talks(talks)
    meeting_docs = gen.meetings(meeting_plans)
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported": f"{end.isoformat()}T12:00:00Z",
        "sample": True,  # not read by the importer; marks the file as generated sample data
        "settings": Settings().to_doc(),
        "study": study_docs,
        "assessments": [a.to_doc() for a in assessment_records],
        "actions": action_docs,
        "talks": talk_docs,
        "meetings": meeting_docs,
        "trash": [],
    }


def fill(journal: Journal, **kw: Any) -> ImportReport:
    """Generate sample data (same keywords as :func:`generate`) and merge it into ``journal``.

    One commit (``exchange.import_document``); records already present by id are left alone.
    """
    from .store.exchange import import_document

    return import_document(journal, generate(**kw))


# ---------------------------------------------------------------------------- the generator


class _Picker:
    """Weighted choice with precomputed cumulative weights (``Random.choices`` recomputes them)."""

    def __init__(self, items: list[Any], weights: list[float]) -> None:
        self.items = items
        self.cum = list(accumulate(weights))

    def __call__(self, rng: Random) -> Any:
        return self.items[bisect(self.cum, rng.random() * self.cum[-1])]


class _Generator:
    """One run of :func:`generate`: the random source, the date span and the vocabulary."""

    def __init__(self, rng: Random, start: date, end: date, vocab: dict[str, Any]) -> None:
        self.rng = rng
        self.start = start
        self.end = end
        self.v = vocab
        self.days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
        self.isodays = [d.isoformat() for d in self.days]
        self.campaigns = [
            (c["from"], c["to"], c["tag"], c["share"], [dict(t, tags=[*t["tags"], c["tag"]]) for t in c["topics"]])
            for c in vocab["campaigns"]
        ]

    # -------------------------------------------------------------- helpers

    def _id(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def _stamp(self, day: str, lo: int = 1, hi: int = 13) -> str:
        """A UTC timestamp on ``day`` between ``lo`` and ``hi`` o'clock UTC (09-21 in China)."""
        r = self.rng.randrange((hi - lo) * 3600)
        return f"{day}T{lo + r // 3600:02d}:{r // 60 % 60:02d}:{r % 60:02d}Z"

    def _dates(self, n: int, weight: Any) -> list[str]:
        """``n`` sorted ISO dates in the span, drawn with ``weight(day)``."""
        if n == 0:
            return []
        cum = list(accumulate(weight(d) for d in self.days))
        total = cum[-1]
        rnd = self.rng.random
        return sorted(self.isodays[bisect(cum, rnd() * total)] for _ in range(n))

    def _shift(self, day: str, days: int) -> str:
        return (date.fromisoformat(day) + timedelta(days=days)).isoformat()

    def _clamp(self, day: str) -> str:
        return min(max(day, self.isodays[0]), self.isodays[-1])

    def _fill(self, text: str, ctx: dict[str, str]) -> str:
        return text.format(**ctx) if "{" in text else text

    # -------------------------------------------------------------- study diary

    def study(self, n: int) -> list[dict[str, Any]]:
        """``n`` study diary entries as documents, oldest first."""
        rng = self.rng
        sv = self.v["study"]
        forms = sv["forms"]
        fills = sv["fill"]
        excerpts = self.v["excerpts"]
        notes = self.v["notes"]
        topics = sv["topics"]

        def weight(d: date) -> float:
            return (1.0 if d.weekday() < 5 else 0.35) * (0.6 if d.month == 2 else 1.0)

        # Topics have since/until dates; between two such boundaries the choice is the same.
        bounds = sorted(
            {t["since"] for t in topics if "since" in t} | {self._shift(t["until"], 1) for t in topics if "until" in t}
        )
        pickers: dict[int, _Picker] = {}

        def topics_on(day: str) -> _Picker:
            key = bisect(bounds, day)
            if key not in pickers:
                ok = [t for t in topics if t.get("since", "") <= day <= t.get("until", "9999")]
                pickers[key] = _Picker(ok, [t["weight"] for t in ok])
            return pickers[key]

        form_pickers = {
            id(t): _Picker(t["forms"], [forms[f]["weight"] for f in t["forms"]])
            for t in topics + [t for c in self.campaigns for t in c[4]]
        }
        campaign_pickers = {c[2] + c[0]: _Picker(c[4], [t["weight"] for t in c[4]]) for c in self.campaigns}
        docs = []
        for day in self._dates(n, weight):
            topic = None
            for c_from, c_to, tag, share, _ in self.campaigns:
                if c_from <= day <= c_to and rng.random() < share:
                    topic = campaign_pickers[tag + c_from](rng)
                    break
            if topic is None:
                topic = topics_on(day)(rng)
            form = topic["forms"][0] if len(topic["forms"]) == 1 else form_pickers[id(topic)](rng)
            lo, hi = forms[form]["minutes"]
            title = topic["title"]
            if "{" in title:
                title = title.format(**{k: rng.choice(v) for k, v in fills.items() if "{" + k + "}" in title})
            excerpt = ""
            if "excerpts" in topic and rng.random() < 0.6:
                excerpt = rng.choice(excerpts[topic["excerpts"]])
            created = self._stamp(day)
            updated = created
            if rng.random() < 0.06:
                updated = self._stamp(self._clamp(self._shift(day, rng.randint(0, 5))), 1, 13)
                updated = max(updated, created)
            entry = StudyEntry(
                id=self._id(),
                date=day,
                title=title,
                source=topic["source"],
                form=form,
                minutes=rng.randrange(lo, hi + 1, 5),
                tags=list(topic["tags"]),
                excerpt=excerpt,
                notes=self._notes(notes, topic["theme"], form),
                created=created,
                updated=updated,
            )
            docs.append(entry.to_doc())
        return docs

    def _notes(self, notes: dict[str, list[str]], theme: str, form: str) -> str:
        """A 心得体会 of 50-800 characters from neutral sentence templates."""
        rng = self.rng
        target = 50 + int(750 * rng.random() ** 2.2)
        ctx = {"theme": theme, "form": form, "req": rng.choice(notes["req"]), "area": rng.choice(notes["area"])}
        # Sentences run 15-40 characters: draw about as many as the target needs, none twice.
        body = rng.sample(notes["body"], min(len(notes["body"]), target // 15 + 2))
        sentences = [rng.choice(notes["open"])]
        if rng.random() < 0.35:
            at = rng.randint(1, 3)
            body[at:at] = [rng.choice(notes["gap"]), rng.choice(notes["resolve"])]
        body.append(rng.choice(notes["close"]))
        text = self._fill(sentences[0], ctx)
        since_break = 1
        for sentence in body:
            if len(text) >= target:
                break
            sentence = self._fill(sentence, ctx)
            sep = "\n" if since_break >= 4 and rng.random() < 0.4 else ""
            if len(text) + len(sep) + len(sentence) > 800:
                break
            text += sep + sentence
            since_break = 0 if sep else since_break + 1
        return text

    # -------------------------------------------------------------- self-checks

    def assessments(self, n: int) -> list[Assessment]:
        """``n`` self-checks (a few recent drafts among them), oldest first."""
        rng = self.rng
        lists = sample_checklists()
        av = self.v["assessment"]
        area = self.v["notes"]["area"]

        def weight(d: date) -> float:
            # Busier before the yearly organisational-life meeting (Nov-Jan).
            return (1.0 if d.weekday() < 5 else 0.5) * (2.0 if d.month in (11, 12, 1) else 1.0)

        drafts = min(n, max(1, round(n * 0.006))) if n else 0
        days = self._dates(n - drafts, weight)
        # Drafts are the latest ones: started in the last month and not finished yet.
        last = max(self.isodays[0], self._shift(self.isodays[-1], -30))
        days += sorted(self._clamp(self._shift(last, rng.randint(0, 30))) for _ in range(drafts))
        records = []
        for i, day in enumerate(days):
            checklist = lists[rng.randrange(len(lists))]
            is_draft = i >= n - drafts
            started = self._stamp(day, 1, 12)
            items = checklist.items
            count = rng.randint(1, len(items) - 1) if is_draft else len(items)
            answers = [self._answer(item, av) for item in items[:count]]
            finished = None
            if not is_draft:
                hh, mm = int(started[11:13]), int(started[14:16]) + rng.randint(6, 40)
                finished = f"{day}T{hh + mm // 60:02d}:{mm % 60:02d}:{started[17:19]}Z"
            reflection = ""
            if not is_draft and rng.random() < 0.3:
                reflection = rng.choice(av["reflection"]).format(area=rng.choice(area))
            y, m = int(day[:4]), int(day[5:7])
            records.append(
                Assessment(
                    id=self._id(),
                    checklist_id=checklist.id,
                    checklist_version=checklist.version,
                    started=started,
                    completed=finished,
                    period_label=f"{y}年{m}月",
                    answers=answers,
                    reflection=reflection,
                    updated=finished or started,
                )
            )
        return records

    def _answer(self, item: SampleItem, av: dict[str, list[str]]) -> Answer:
        rng = self.rng
        r = rng.random()
        if r < item.na_share:
            value: str | int = "na"
        elif item.type == "rating":
            if item.soft:
                value = 2 if r < 0.03 else 3 if r < 0.25 else 4 if r < 0.78 else 5
            else:
                value = 4 if r < 0.35 else 5
        elif item.soft:
            value = "no" if r < 0.04 else "mostly" if r < 0.27 else "yes"
        else:
            value = "yes"
        note = ""
        partial = value in ("mostly", "no") or (isinstance(value, int) and value <= 3)
        if partial and rng.random() < 0.5:
            note = rng.choice(av["note_partial"])
        elif rng.random() < 0.04:
            note = rng.choice(av["note_full"])
        return Answer(item_id=item.id, prompt=item.text, answer=value, note=note)

    # -------------------------------------------------------------- rectification list

    def actions(
        self, n: int, assessments: list[Assessment], meetings: list[dict[str, Any]] | None = None
    ) -> list[dict[str, Any]]:
        """``n`` rectification items: the measures settled at ``meetings`` (their ids are written
        back into each plan's ``actions``), then most from less-than-full answers in
        ``assessments``, the rest by hand."""
        rng = self.rng
        problems = self.v["actions"]
        extra_progress = self.v["actions_extra"]["progress"]
        # Which problems answer which item: by keyword in its text, else by its tag.
        by_item: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for checklist in sample_checklists():
            for item in checklist.items:
                found = [p for p in problems if any(k in item.text for k in p["keywords"])]
                found = found or [p for p in problems if item.tag in p["tags"]]
                if found:
                    by_item[checklist.id, item.id] = found
        candidates = [
            (a, ans.item_id, a.completed[:10])
            for a in assessments
            if a.completed
            for ans in a.answers
            if (a.checklist_id, ans.item_id) in by_item
            and (ans.answer in ("mostly", "no") or (isinstance(ans.answer, int) and ans.answer <= 3))
        ]
        Plan = tuple[str, dict[str, Any], dict[str, str] | None, dict[str, Any] | None]
        from_meetings: list[Plan] = []
        for plan in meetings or ():
            from_meetings += [(plan["date"], p, None, plan) for p in plan["problems"]]
        del from_meetings[n:]
        rest = n - len(from_meetings)
        linked = rng.sample(candidates, min(len(candidates), round(rest * 0.6)))
        manual_days = self._dates(rest - len(linked), lambda d: 2.0 if d.month in (12, 1) else 1.0)
        plans: list[Plan] = from_meetings + [
            (day, rng.choice(by_item[a.checklist_id, item]), {"assessment": a.id, "item": item}, None)
            for a, item, day in linked
        ]
        plans += [(day, rng.choice(problems), None, None) for day in manual_days]
        plans.sort(key=lambda p: p[0])
        end = self.isodays[-1]
        docs = []
        for day, p, source, meeting in plans:
            kind = p["kind"]
            age = (self.end - date.fromisoformat(day)).days
            if kind == "immediate":
                due: str | None = self._shift(day, rng.randint(30, 90))
            else:
                due = None if rng.random() < 0.15 else self._shift(day, rng.randint(180, 365))
            horizon = (date.fromisoformat(due) - date.fromisoformat(day)).days if due else 270
            if age < 14:
                status = "not_started" if rng.random() < 0.6 else "in_progress"
            elif age < horizon + 30:
                status = "in_progress" if rng.random() < 0.75 else "done"
            elif kind == "ongoing":
                # 持续整改 for a while; after a few years most long-running items are closed.
                status = "continuing" if rng.random() < (0.55 if age < 3 * 365 else 0.15) else "done"
            else:
                status = "done" if rng.random() < 0.92 else "in_progress"
            done_date = None
            if status == "done":
                latest = min(end, self._shift(day, horizon + 20))
                span = max(7, (date.fromisoformat(latest) - date.fromisoformat(day)).days)
                done_date = self._clamp(self._shift(day, rng.randint(min(7, span), span)))
            last = done_date or min(end, self._shift(day, horizon + 365))
            notes_n = 0 if status == "not_started" else rng.randint(1, 4)
            span_days = max(0, (date.fromisoformat(last) - date.fromisoformat(day)).days)
            # The problem's own steps in their order first, then general lines; no line twice.
            lines = p["progress"] + extra_progress
            picked = sorted(rng.sample(range(len(lines)), min(notes_n, len(lines))))
            offsets = sorted(rng.randint(0, span_days) for _ in picked)
            progress = [ProgressNote(self._shift(day, off), lines[i]) for off, i in zip(offsets, picked)]
            created = self._stamp(day)
            events = [x.date for x in progress] + ([done_date] if done_date else [])
            touched = max([created] + [self._stamp(day) for day in events])
            if meeting is not None:
                origin = {"kind": "meeting", "id": meeting["id"]}
            elif source is not None:
                origin = {"kind": "selfcheck", "id": source["assessment"]}
            else:
                origin = {"kind": "manual"}
            action = ActionItem(
                id=self._id(),
                problem=p["problem"],
                cause=p["cause"],
                measure=p["measure"],
                standard=p["standard"],
                due=due,
                kind=kind,
                status=status,
                progress=progress,
                done_date=done_date,
                done_note=p["done"] if done_date else "",
                source=source,
                origin=origin,
                created=created,
                updated=touched,
            )
            if meeting is not None:
                meeting["actions"].append((p, action))
            docs.append(action.to_doc())
        return docs

    # -------------------------------------------------------------- meetings

    def meeting_plans(self) -> list[dict[str, Any]]:
        """One 组织生活会 per whole year of the span, held between mid-December and the end of
        March after it, if that day has passed; 4-5 problems each, oldest first."""
        rng, problems = self.rng, self.v["actions"]
        plans = []
        for year in range(self.start.year, self.end.year):
            if rng.random() < 0.3:
                day = date(year, 12, rng.randint(15, 28))
            else:
                day = date(year + 1, rng.choice((2, 3)), rng.randint(18, 28))
            if not self.start <= day <= self.end:
                continue
            picked = rng.sample(problems, rng.randint(4, 5))
            plans.append({"id": self._id(), "year": year, "date": day.isoformat(), "problems": picked, "actions": []})
        return plans

    def meetings(self, plans: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The meeting records of ``plans`` (after :meth:`actions` filled in their items)."""
        rng, mv = self.rng, self.v["meetings"]
        docs = []
        previous: dict[str, Any] | None = None
        for plan in plans:
            six = plan["year"] >= 2024
            headings = mv["six"] if six else mv["four"]
            problems = []
            for p, action in plan["actions"]:
                index = mv["six"].index(p["aspect"] + "方面") if six else mv["seed_aspects"][p["aspect"]]
                problems.append(
                    Problem(
                        id=self._id(),
                        aspect=headings[index],
                        text=p["problem"],
                        example=p["example"],
                        cause=p["cause"],
                        measures=[Measure(text=p["measure"], due=action.due, standard=p["standard"], action=action.id)],
                    )
                )
            carried = {a.id: rng.choice(mv["carried"]) for _, a in previous["actions"]} if previous else {}
            stamp = self._stamp(plan["date"])
            meeting = Meeting(
                id=plan["id"],
                year=plan["year"],
                date=plan["date"],
                aspects=list(headings),
                aspect_preset="notice2024" if six else "seed",
                study_note=rng.choice(mv["study_notes"]),
                opinions=rng.choice(mv["opinions"]),
                carried=carried,
                problems=problems,
                causes=dict(mv["causes"]),
                step=len(MEETING_STEPS) - 1,
                finished=stamp,
                created=stamp,
                updated=stamp,
            )
            docs.append(meeting.to_doc())
            previous = plan
        return docs

    # -------------------------------------------------------------- talks

    def talks(self, n: int) -> list[dict[str, Any]]:
        """``n`` talk notes (the other person by role only), oldest first."""
        rng = self.rng
        tv = self.v["talks"]
        area = self.v["notes"]["area"]
        kinds = _Picker(tv["kinds"], tv["kind_weights"])
        other_kinds = _Picker(tv["kinds"][1:], tv["kind_weights"][1:])
        docs = []
        for day in self._dates(n, lambda d: (3.0 if d.month in (11, 12, 1) else 1.0) * (d.weekday() < 5)):
            ctx = {"area": rng.choice(area)}
            # Talks before the yearly organisational-life meeting happen in its season (Oct-Jan).
            kind = kinds(rng) if day[5:7] in ("10", "11", "12", "01") else other_kinds(rng)
            topic = tv["topics"][0] if kind == tv["kinds"][0] else rng.choice(tv["topics"][1:])
            created = self._stamp(day)
            talk = TalkNote(
                id=self._id(),
                date=day,
                kind=kind,
                counterpart_role=rng.choice(tv["roles"]),
                topic=topic,
                heard=rng.choice(tv["heard"]).format(**ctx),
                said=rng.choice(tv["said"]).format(**ctx),
                followups=rng.choice(tv["followups"]).format(**ctx),
                created=created,
                updated=created,
            )
            docs.append(talk.to_doc())
        return docs
