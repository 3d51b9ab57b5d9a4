"""会前准备 (m): from a year of records to the member's own material for the 组织生活会.

One step a screen, saved as the user moves on and resumable like a self-check draft:

1. 年度、会议日期、检视方面 (a preset or the user's own list, one per line), notes on 会前学习 and
   征求意见;
2. 上年度整改: each item raised at the previous meeting, its status at the 年度's end, and the
   user's 落实情况;
3. 查摆问题: the year's records as *reference only* (self-check answers of concern with the user's
   notes, opinions heard in talks, open rectification items); the user writes each problem —
   表现 and 事例 — and files it under a 方面. A reference is pasted only when the user asks, and
   stays editable;
4. 原因剖析: under the usual headings and/or per problem;
5. 整改措施: one or more per problem, each with a due date after the meeting;
6. 预览: the outline as it will be exported; finishing turns the measures into rectification items
   raised at this meeting and opens the export.

Every string the user typed is shown and saved verbatim.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from .. import export
from ..checklists import is_concern
from ..export.content import Text, cause_headings
from ..export.gather import assessments_in, carried_problems, talks_in
from ..store.models import MEETING_STEPS, Measure, Meeting, Problem, parse_date
from ..widgets.footer import FittingFooter
from .base import AppScreen, cell

#: The 方面 presets offered in step 1 (besides the user's own list).
ASPECT_PRESETS = ("notice2024", "seed", "sizi", "common")
OWN = "own"


@dataclass(frozen=True)
class Candidate:
    """One record of the year shown as reference while writing problems."""

    key: str
    label: str
    #: What a paste puts into 表现: only the user's own words ("" when there are none).
    own_words: str
    link: dict[str, str]


def fit(text: str, cells: int) -> str:
    """The first line of ``text`` cut to ``cells`` terminal cells (CJK counts two), with an ellipsis."""
    line = next((ln for ln in text.splitlines() if ln.strip()), "")
    if cell_len(line) <= cells:
        return line
    out, used = [], 0
    for ch in line:
        used += cell_len(ch)
        if used > cells - 1:
            break
        out.append(ch)
    return "".join(out) + "…"


def _area(text: str, widget_id: str, classes: str = "") -> TextArea:
    return TextArea(text, id=widget_id, soft_wrap=True, show_line_numbers=False, classes=f"prep-area {classes}".strip())


class MeetingScreen(AppScreen):
    """The 会前准备 flow for one 年度."""

    BINDINGS = [
        Binding("ctrl+n", "next", "key.prep_next", id="meeting-next", priority=True),
        Binding("ctrl+b", "previous", "key.prep_previous", id="meeting-previous", priority=True),
        Binding("ctrl+s", "save", "key.save", id="meeting-save", priority=True, show=False),
        Binding("ctrl+o", "add", "key.prep_add", id="meeting-add"),
        Binding("ctrl+t", "paste", "key.prep_paste", id="meeting-paste"),
        Binding("f8", "remove", "key.prep_remove", id="meeting-remove"),
        Binding("escape", "back", "key.back", id="meeting-back"),
    ]

    def __init__(self, year: int | None = None, meeting: Meeting | None = None) -> None:
        super().__init__()
        self._year = year
        self.meeting: Meeting | None = meeting
        self.candidates: list[Candidate] = []
        self._saved: Meeting | None = None
        #: The 上年度整改 groups the step shows (their fields are read back by key).
        self._carried_groups: list[Any] = []
        #: Set when step 1's 年度 is one that has a preparation already (opened on ctrl+n).
        self._switch_to: Meeting | None = None

    # ------------------------------------------------------------------ state

    @property
    def step(self) -> str:
        """The current step's name."""
        assert self.meeting is not None
        return MEETING_STEPS[min(max(self.meeting.step, 0), len(MEETING_STEPS) - 1)]

    def _start(self) -> Meeting:
        """The meeting of the 年度 (resumed), or a new one with last year's 方面 or the newest preset."""
        journal = self.journal
        year = self._year or export.default_year(self.app.today())
        found = journal.meeting_for(year)
        if found is not None:
            return found
        earlier = [m for m in journal.meetings() if m.year < year and m.aspects]
        if earlier:
            return Meeting(year=year, aspects=list(earlier[0].aspects), aspect_preset=earlier[0].aspect_preset)
        preset = ASPECT_PRESETS[0]
        return Meeting(year=year, aspects=[a.heading for a in export.aspects(preset, self.tr.lang)], aspect_preset=preset)

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static("", id="prep-title", markup=False)
        yield Static("", id="prep-steps", markup=False)
        yield VerticalScroll(id="prep-body")
        yield Static("", id="prep-message", classes="error-line", markup=False)
        yield FittingFooter(compact=True)

    async def on_mount(self) -> None:
        """Resume where the user left off."""
        if self.meeting is None:
            self.meeting = self._start()
        self._saved = self._copy(self.meeting)
        await self.show_step()

    def on_screen_resume(self) -> None:
        """Back from the export (or a dialog): the meeting may have been finished meanwhile."""
        if self.meeting is not None and self.app.journal is not None and self.is_current:
            stored = self.journal.meeting_for(self.meeting.year)
            if stored is not None and stored.id == self.meeting.id and stored.finished != self.meeting.finished:
                self.meeting.finished = stored.finished
                for mine, theirs in zip(self.meeting.problems, stored.problems):
                    for a, b in zip(mine.measures, theirs.measures):
                        a.action = a.action or b.action
                self._saved = self._copy(self.meeting)

    async def show_step(self) -> None:
        """Rebuild the body for the current step."""
        assert self.meeting is not None
        tr = self.tr
        self.query_one("#prep-title", Static).update(tr("meeting.title", year=self.meeting.year))
        names = [tr(f"meeting.step_{name}") for name in MEETING_STEPS]
        index = MEETING_STEPS.index(self.step)
        marks = [f"[{n}]" if i == index else n for i, n in enumerate(names)]
        self.query_one("#prep-steps", Static).update(" › ".join(marks))
        self.query_one("#prep-message", Static).update("")
        body = self.query_one("#prep-body", VerticalScroll)
        await body.remove_children()  # the same step may be shown again: its ids must be free
        self._carried_groups = []
        await body.mount_all(list(getattr(self, f"_step_{self.step}")()))
        body.scroll_home(animate=False)
        self.call_after_refresh(self._focus_first)
        self.refresh_bindings()

    def _focus_first(self) -> None:
        for widget in self.query_one("#prep-body").query("*"):
            if widget.focusable:
                widget.focus()
                return

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Step keys show only where they act."""
        if self.meeting is None:
            return True
        if action == "add":
            return self.step in ("problems", "measures")
        if action in ("paste", "remove"):
            return self.step == "problems"
        if action == "previous":
            return self.step != MEETING_STEPS[0]
        return True

    # ------------------------------------------------------------------ step 1: 年度 and 方面

    def _step_setup(self) -> list[Widget]:
        tr, m = self.tr, self.meeting
        assert m is not None
        presets = [(export.aspect_presets(tr.lang)[p], p) for p in ASPECT_PRESETS] + [(tr("meeting.own_aspects"), OWN)]
        preset = m.aspect_preset if m.aspect_preset in (*ASPECT_PRESETS, OWN) else OWN
        return [
            Static(tr("meeting.setup_hint"), classes="muted", markup=False),
            Horizontal(Label(tr("meeting.year"), classes="field-label"),
                       Input(str(m.year), id="year", compact=True, max_length=4), classes="field-row"),
            Horizontal(Label(tr("meeting.date"), classes="field-label"),
                       Input(m.date or "", id="date", compact=True, placeholder="YYYY-MM-DD", max_length=10),
                       classes="field-row"),
            Horizontal(Label(tr("meeting.aspects"), classes="field-label"),
                       Select(presets, value=preset, allow_blank=False, id="preset", compact=True), classes="field-row"),
            Label(tr("meeting.aspects_lines"), classes="field-label"),
            _area("\n".join(m.aspects), "aspects", "tall"),
            Label(tr("meeting.study_note"), classes="field-label"),
            _area(m.study_note, "study-note"),
            Label(tr("meeting.opinions"), classes="field-label"),
            _area(m.opinions, "opinions"),
        ]

    def on_select_changed(self, event: Select.Changed) -> None:
        """A preset fills the 方面 lines (the user may edit them; edited lines count as their own)."""
        if event.select.id != "preset" or event.value == OWN or event.value is Select.NULL:
            return
        headings = [a.heading for a in export.aspects(str(event.value), self.tr.lang)]
        area = self.query_one("#aspects", TextArea)
        if area.text.strip() != "\n".join(headings):
            area.load_text("\n".join(headings))

    def _read_setup(self, m: Meeting) -> str | None:
        year_text = self.query_one("#year", Input).value.strip()
        if not (year_text.isascii() and year_text.isdigit() and len(year_text) == 4 and 1900 <= int(year_text) <= 9999):
            return self.tr("meeting.bad_year")
        day = self.query_one("#date", Input).value.strip()
        if day:
            try:
                day = parse_date(day)
            except ValueError:
                return self.tr("meeting.bad_date")
        aspects = list(dict.fromkeys(line for line in self.query_one("#aspects", TextArea).text.splitlines() if line.strip()))
        preset = str(self.query_one("#preset", Select).value)
        if preset != OWN and aspects != [a.heading for a in export.aspects(preset, self.tr.lang)]:
            preset = OWN
        # Another 年度: this preparation moves there, unless that year has one already — then the
        # next step opens that one, and this one stays under its own year with what was typed.
        year = int(year_text)
        other = self.journal.meeting_for(year) if year != m.year else None
        self._switch_to = other if other is not None and other.id != m.id else None
        if self._switch_to is None:
            m.year = year
        m.date, m.aspects, m.aspect_preset = day or None, aspects, preset
        m.study_note = self.query_one("#study-note", TextArea).text
        m.opinions = self.query_one("#opinions", TextArea).text
        return None

    # ------------------------------------------------------------------ step 2: 上年度整改

    def _material(self) -> export.Material:
        assert self.meeting is not None
        return export.Material.from_journal(self.journal, export.Period.of_year(self.meeting.year), self.app.checklists)

    def _step_carried(self) -> list[Widget]:
        tr, m = self.tr, self.meeting
        assert m is not None
        material = self._material()
        previous = material.previous_meeting(m.year)
        items = material.raised_at(previous)
        if previous is None:
            return [Static(tr("meeting.no_previous"), classes="muted", markup=False)]
        if not items:
            return [Static(tr("meeting.previous_no_items", year=previous.year), classes="muted", markup=False)]
        t = Text(tr.lang)
        day = min(f"{m.year}-12-31", self.app.today().isoformat())
        groups = carried_problems(items, day)
        self._carried_groups = groups
        hint = tr("meeting.carried_hint", year=previous.year, n=len(groups), date=t.date(day))
        out: list[Widget] = [Static(hint, classes="muted", markup=False)]
        for n, group in enumerate(groups, 1):
            status = t(f"carried_status.{group.status}")
            out.append(Static(cell(f"{n}. {group.problem}" + t.details([status])), classes="prep-item"))
            measures = [a.measure for a in group.items if a.measure.strip()]
            if measures:
                out.append(Static(cell(tr("meeting.measure_was", measure="；".join(measures))), classes="muted"))
            out.append(_area(group.note(m.carried), f"carried-{group.key}", "short"))
        return out

    def _read_carried(self, m: Meeting) -> str | None:
        for group in self._carried_groups:
            text = self.query_one(f"#carried-{group.key}", TextArea).text
            for item in group.items:
                m.carried.pop(item.id, None)
            if text.strip():
                m.carried[group.key] = text
        return None

    # ------------------------------------------------------------------ step 3: 查摆问题

    def _candidates(self) -> list[Candidate]:
        assert self.meeting is not None
        tr, m = self.tr, self.meeting
        t = Text(tr.lang)
        material = self._material()
        period = export.Period.of_year(m.year)
        out: list[Candidate] = []
        for a in assessments_in(material, period):
            checklist = material.checklists.get(a.checklist_id)
            for answer in a.answers:
                item = checklist.item(answer.item_id) if checklist else None
                kind = item.type if item else ("rating" if isinstance(answer.answer, int) else "yn")
                if not is_concern(kind, answer.answer):
                    continue
                prompt = item.text_in(tr.lang) if item else answer.prompt
                note = tr("meeting.ref_note", note=answer.note) if answer.note.strip() else ""
                label = tr("meeting.ref_check", date=t.date(a.completed), checklist=material.checklist_title(a.checklist_id, tr.lang),
                           item=prompt) + note
                out.append(Candidate(f"{a.id}#{answer.item_id}", label, answer.note,
                                     {"kind": "assessment", "id": a.id, "item": answer.item_id}))
        for talk in talks_in(material, period):
            if talk.heard.strip():
                label = tr("meeting.ref_talk", date=t.date(talk.date), role=talk.counterpart_role, heard=talk.heard)
                out.append(Candidate(talk.id, label, talk.heard, {"kind": "talk", "id": talk.id}))
        for e in material.study:
            if e.marked and e.notes.strip() and period.contains(e.date):
                label = tr("meeting.ref_study", date=t.date(e.date), title=e.title, notes=e.notes)
                out.append(Candidate(e.id, label, e.notes, {"kind": "study", "id": e.id}))
        for line in m.opinions.splitlines():
            if line.strip():
                out.append(Candidate(f"opinion:{line}", tr("meeting.ref_opinion", text=line), line, {"kind": "opinion"}))
        for action in material.actions:
            if action.status != "done" and not action.raised_at(m.id):
                label = tr("meeting.ref_action", date=t.date(action.created), problem=action.problem)
                out.append(Candidate(action.id, label, action.problem, {"kind": "action", "id": action.id}))
        return list({c.key: c for c in out}.values())  # the same opinion written twice is one reference

    def _step_problems(self) -> list[Widget]:
        tr, m = self.tr, self.meeting
        assert m is not None
        self.candidates = self._candidates()
        width = max(30, self.app.size.width - 14)
        options = OptionList(*[Option(cell(fit(c.label, width)), id=f"ref-{i}") for i, c in enumerate(self.candidates)],
                             id="candidates", classes="prep-candidates")
        out: list[Widget] = [Static(tr("meeting.problems_hint"), classes="muted", markup=False)]
        if self.candidates:
            out += [Label(tr("meeting.references", n=len(self.candidates)), classes="field-label"), options,
                    Static("", id="candidate-full", classes="muted", markup=False)]
        else:
            out.append(Static(tr("meeting.no_references"), classes="muted", markup=False))
        for i, p in enumerate(m.problems):
            out.append(self._problem_form(i, p))
        if not m.problems:
            out.append(Static(tr("meeting.no_problems"), id="no-problems", classes="muted", markup=False))
        return out

    def _problem_form(self, i: int, p: Problem) -> Vertical:
        tr, m = self.tr, self.meeting
        assert m is not None
        aspects = [(cell(h), h) for h in m.aspects if h.strip()]
        value = p.aspect if p.aspect in {h for _, h in aspects} else Select.NULL
        refs = [c.label for c in self.candidates if c.link in p.links] if p.links else []
        children: list[Widget] = [
            Label(tr("meeting.problem_n", n=i + 1), classes="prep-item"),
            Select(aspects, value=value, prompt=tr("meeting.no_aspect"), id=f"aspect-{i}", compact=True),
            Label(tr("meeting.problem_text"), classes="field-label"),
            _area(p.text, f"text-{i}", "short"),
            Label(tr("meeting.problem_example"), classes="field-label"),
            _area(p.example, f"example-{i}", "short"),
        ]
        children += [Static(cell(tr("meeting.linked", label=ref)), classes="muted") for ref in refs]
        return Vertical(*children, classes="prep-problem", id=f"problem-{i}")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Show the highlighted reference in full."""
        if event.option_list.id == "candidates":
            found = self._candidate(event.option_index)
            self.query_one("#candidate-full", Static).update(found.label if found else "")

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """enter on a reference: a new problem linked to it (empty: the user writes it)."""
        if event.option_list.id != "candidates":
            return
        found = self._candidate(event.option_index)
        if found is not None:
            await self._add_problem(Problem(links=[found.link]))

    def _candidate(self, index: int | None) -> Candidate | None:
        return self.candidates[index] if index is not None and 0 <= index < len(self.candidates) else None

    def _read_problems(self, m: Meeting) -> str | None:
        for i, p in enumerate(m.problems):
            try:
                select = self.query_one(f"#aspect-{i}", Select)
            except Exception:  # noqa: BLE001 - the step is not shown
                return None
            if select.value is not Select.NULL:
                p.aspect = str(select.value)
            elif p.aspect in m.aspects:
                p.aspect = ""  # the user took it out of its 方面 (one no longer listed is kept)
            p.text = self.query_one(f"#text-{i}", TextArea).text
            p.example = self.query_one(f"#example-{i}", TextArea).text
        return None

    async def _add_problem(self, problem: Problem) -> None:
        assert self.meeting is not None
        self._read_problems(self.meeting)
        self.meeting.problems.append(problem)
        body = self.query_one("#prep-body", VerticalScroll)
        await self.query("#no-problems").remove()
        form = self._problem_form(len(self.meeting.problems) - 1, problem)
        await body.mount(form)
        form.query_one(TextArea).focus()
        body.scroll_to_widget(form, animate=False)

    def _focused_problem(self) -> int | None:
        focused = self.focused
        while focused is not None and not (focused.id or "").startswith("problem-"):
            focused = focused.parent if isinstance(focused.parent, Widget) else None
        return int(focused.id.removeprefix("problem-")) if focused is not None and focused.id else None

    def action_paste(self) -> None:
        """ctrl+t: put the highlighted reference's own words into the focused problem's 表现."""
        try:
            options = self.query_one("#candidates", OptionList)
        except Exception:  # noqa: BLE001 - no references this year
            return
        index = self._focused_problem()
        if options.highlighted is None or index is None:
            self.query_one("#prep-message", Static).update(self.tr("meeting.paste_how"))
            return
        candidate = self.candidates[options.highlighted] if options.highlighted < len(self.candidates) else None
        if candidate is None:
            return
        if not candidate.own_words.strip():
            self.query_one("#prep-message", Static).update(self.tr("meeting.paste_nothing"))
            return
        area = self.query_one(f"#text-{index}", TextArea)
        area.load_text((area.text.rstrip("\n") + "\n" if area.text.strip() else "") + candidate.own_words)
        assert self.meeting is not None
        if candidate.link not in self.meeting.problems[index].links:
            self.meeting.problems[index].links.append(candidate.link)
        area.focus()

    def action_remove(self) -> None:
        """f8: remove the focused problem (asks first when anything was written in it)."""
        from .modals.confirm import ConfirmModal

        index = self._focused_problem()
        if index is None or self.meeting is None:
            return
        self._read_problems(self.meeting)
        problem = self.meeting.problems[index]

        def decided(yes: bool | None) -> None:
            if yes and self.meeting is not None:
                del self.meeting.problems[index]
                self.call_later(self.show_step)

        if problem.text.strip() or problem.example.strip() or any(mm.text.strip() for mm in problem.measures):
            self.app.push_screen(ConfirmModal(self.tr("meeting.remove_confirm", n=index + 1)), decided)
        else:
            decided(True)

    # ------------------------------------------------------------------ step 4: 原因剖析

    def _problem_label(self, i: int, p: Problem) -> Static:
        text = p.text.strip() or p.example.strip() or self.tr("meeting.problem_unwritten")
        aspect = f"〔{p.aspect}〕" if p.aspect else ""
        return Static(cell(f"{i + 1}. {aspect}{text}"), classes="prep-item")

    def _step_causes(self) -> list[Widget]:
        tr, m = self.tr, self.meeting
        assert m is not None
        out: list[Widget] = [Static(tr("meeting.causes_hint"), classes="muted", markup=False)]
        headings = cause_headings(tr.lang)
        headings += [h for h in m.causes if h not in headings]
        for n, heading in enumerate(headings):
            out += [Label(cell(heading), classes="field-label"), _area(m.causes.get(heading, ""), f"general-{n}", "short")]
        self._cause_headings = headings
        if m.problems:
            out.append(Static(tr("meeting.causes_per_problem"), classes="muted", markup=False))
        for i, p in enumerate(m.problems):
            out += [self._problem_label(i, p), _area(p.cause, f"cause-{i}", "short")]
        return out

    def _read_causes(self, m: Meeting) -> str | None:
        for n, heading in enumerate(getattr(self, "_cause_headings", [])):
            text = self.query_one(f"#general-{n}", TextArea).text
            if text.strip():
                m.causes[heading] = text
            else:
                m.causes.pop(heading, None)
        for i, p in enumerate(m.problems):
            p.cause = self.query_one(f"#cause-{i}", TextArea).text
        return None

    # ------------------------------------------------------------------ step 5: 整改措施

    def _step_measures(self) -> list[Widget]:
        tr, m = self.tr, self.meeting
        assert m is not None
        out: list[Widget] = [Static(tr("meeting.measures_hint"), classes="muted", markup=False)]
        if not m.problems:
            out.append(Static(tr("meeting.no_problems"), classes="muted", markup=False))
        for i, p in enumerate(m.problems):
            if not p.measures:
                p.measures.append(Measure())
            rows: list[Widget] = [self._problem_label(i, p)]
            for j, measure in enumerate(p.measures):
                rows += self._measure_rows(i, j, measure)
            out.append(Vertical(*rows, classes="prep-problem", id=f"problem-{i}"))
        return out

    def _measure_rows(self, i: int, j: int, measure: Measure) -> list[Widget]:
        tr = self.tr
        return [
            Label(tr("meeting.measure_n", n=j + 1), classes="field-label"),
            _area(measure.text, f"measure-{i}-{j}", "short"),
            Horizontal(Label(tr("meeting.due"), classes="field-label"),
                       Input(measure.due or "", id=f"due-{i}-{j}", compact=True, placeholder="YYYY-MM-DD", max_length=10),
                       classes="field-row"),
            Horizontal(Label(tr("meeting.standard"), classes="field-label"),
                       Input(measure.standard, id=f"standard-{i}-{j}", compact=True, placeholder=tr("meeting.standard_hint")),
                       classes="field-row"),
        ]

    def _read_measures(self, m: Meeting) -> str | None:
        after = m.date or f"{m.year}-12-01"
        problem = None
        for i, p in enumerate(m.problems):
            for j, measure in enumerate(p.measures):
                measure.text = self.query_one(f"#measure-{i}-{j}", TextArea).text
                measure.standard = self.query_one(f"#standard-{i}-{j}", Input).value
                due = self.query_one(f"#due-{i}-{j}", Input).value.strip()
                if not due:
                    measure.due = None
                    continue
                try:
                    measure.due = parse_date(due)
                except ValueError:
                    problem = problem or self.tr("meeting.bad_due", n=i + 1)
                    continue
                if measure.due <= after:
                    problem = problem or self.tr("meeting.due_before", n=i + 1, date=Text(self.tr.lang).date(after))
        return problem

    # ------------------------------------------------------------------ step 6: preview

    def _document(self) -> export.Document:
        assert self.meeting is not None
        material = self._material()
        options = export.Options(
            lang=self.tr.lang, today=self.app.today().isoformat(), meeting=self.meeting, sample=self.app.demo,
            name=self.journal.settings().profile.get("name", ""),
        )
        return export.build("meeting", material, export.Period.of_year(self.meeting.year), options)

    def _step_preview(self) -> list[Widget]:
        tr = self.tr
        document = self._document()
        text = export.render(document, "txt").decode("utf-8")
        total = sum(len(x) for x in document.texts())
        return [
            Static(tr("meeting.preview_hint", chars=total, gaps=len(document.placeholders())), classes="muted", markup=False),
            Static(text, id="prep-preview", markup=False),
        ]

    # ------------------------------------------------------------------ moving and saving

    def _read(self) -> str | None:
        """Take what the current step's fields hold into the meeting; a message if something is wrong."""
        assert self.meeting is not None
        reader = getattr(self, f"_read_{self.step}", None)
        return reader(self.meeting) if reader is not None else None

    def _copy(self, m: Meeting) -> Meeting:
        return Meeting.from_doc(m.to_doc())

    def _save(self) -> None:
        assert self.meeting is not None
        if self._saved is not None and self._saved.to_doc() == self.meeting.to_doc():
            return
        copy = self._copy(self.meeting)
        self._saved = copy
        self.app.save(lambda journal: journal.save_meeting(copy))

    async def _move(self, delta: int) -> None:
        assert self.meeting is not None
        problem = self._read()
        if problem is not None and delta > 0:
            self.query_one("#prep-message", Static).update(problem)
            return
        other, self._switch_to = self._switch_to, None
        if other is not None:
            self._save()  # what was typed here stays with this year's preparation
            self.meeting = other
            self._saved = self._copy(other)
            self.notify(self.tr("meeting.resumed", year=other.year))
            await self.show_step()
            return
        self.meeting.step = min(max(self.meeting.step + delta, 0), len(MEETING_STEPS) - 1)
        self._save()
        await self.show_step()

    async def action_next(self) -> None:
        """ctrl+n: the next step; on the preview, finish (measures become rectification items)."""
        assert self.meeting is not None
        if self.step != MEETING_STEPS[-1]:
            await self._move(1)
            return
        meeting = self._copy(self.meeting)
        today = self.app.today().isoformat()

        def done(finished: Meeting) -> None:
            from .export import ExportScreen

            self.meeting = finished
            self._saved = self._copy(finished)
            self.notify(self.tr("meeting.finished", n=sum(1 for p in finished.problems for x in p.measures if x.action)))
            self.app.push_screen(ExportScreen(template="meeting", year=finished.year))

        self.app.save(lambda journal: journal.finish_meeting(meeting, today), done)

    async def action_previous(self) -> None:
        """ctrl+b: the step before (what was typed is kept)."""
        await self._move(-1)

    async def action_add(self) -> None:
        """ctrl+o: a new problem (step 3) or another measure for the focused problem (step 5)."""
        assert self.meeting is not None
        if self.step == "problems":
            await self._add_problem(Problem())
        elif self.step == "measures":
            index = self._focused_problem()
            if index is None:
                self.query_one("#prep-message", Static).update(self.tr("meeting.add_measure_how"))
                return
            self._read_measures(self.meeting)
            problem = self.meeting.problems[index]
            problem.measures.append(Measure())
            rows = self._measure_rows(index, len(problem.measures) - 1, problem.measures[-1])
            form = self.query_one(f"#problem-{index}", Vertical)
            await form.mount_all(rows)
            rows[1].focus()

    def action_save(self) -> None:
        """ctrl+s: save where things stand (the step is not checked)."""
        self._read()
        self._save()
        self.notify(self.tr("meeting.saved"))

    def action_back(self) -> None:
        """escape: save and go back (the preparation resumes here next time)."""
        self._read()
        self._save()
        self.app.pop_screen()

    def keep_draft(self) -> None:
        """Lock or quit: save what was typed."""
        if self.meeting is not None and self.is_mounted:
            try:
                self._read()
            except Exception:  # noqa: BLE001 - a step half built: keep what the meeting holds
                pass
            self._save()

    def rebuild(self) -> MeetingScreen:
        """The same preparation after a language switch: what was typed is saved and shown again."""
        self.keep_draft()
        return MeetingScreen(self._year, self.meeting)


def prepared_summary(meeting: Meeting, tr: Any) -> str:
    """One quiet line for Home: the 年度, the date, and what is written (never what is missing)."""
    written = [p for p in meeting.problems if p.text.strip()]
    date = Text(tr.lang).date(meeting.date) if meeting.date else tr("meeting.date_unset")
    return tr("meeting.home_line", year=meeting.year, date=date, n=len(written))
