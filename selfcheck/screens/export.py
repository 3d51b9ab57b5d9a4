"""Export (e): what the user walks out with — a meeting outline, a talk summary, a study summary or
the appraisal sheet, in their own words.

Three tabs: the options (template, period, headings, format, destination), the items that go in
(all ticked; each can be left out) and the preview, which the user may edit before it is written.
The file is not encrypted: the screen says so, writes it with mode 0600 and never replaces a file
without asking. Where it goes follows the CLI's rules (:func:`selfcheck.export.files.resolve_target`).

What the user chose (template, format, headings preset, grade, Word fonts, whole kinds left out,
the folder written to) is remembered while the app runs, so the screen reopens on it; never in
the vault, and nothing the user typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from weakref import WeakKeyDictionary

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Select, SelectionList, Static, TabbedContent, TabPane, TextArea
from textual.widgets.selection_list import Selection

from .. import export
from ..export.files import FORMAT_OF_EXTENSION, TargetRefused, resolve_target
from ..export.model import MARKERS
from ..i18n import Translator, os_error_reason
from ..store.models import parse_date
from ..widgets.footer import FittingFooter
from .base import AppScreen, cell, error_text
from .modals.confirm import ConfirmModal
from .modals.form import fit_label_column


@dataclass
class ExportChoices:
    """The export screen's choices as the user last left them (for the app's life)."""

    template: str = "meeting"
    format: str = "docx"
    aspects: str = export.DEFAULT_ASPECTS
    grade: str = ""
    #: Word font preset; None: the one in settings.
    font: str | None = None
    #: Whole kinds of items (``notes``, ``talk``, …) ticked (True) or unticked (False) by the user.
    sections: dict[str, bool] = field(default_factory=dict)
    #: The folder last written to; None: Documents (the demo: its own folder).
    folder: str | None = None


#: Choices by app: one app is one session (tests run many apps in one process).
_REMEMBERED: WeakKeyDictionary[App, ExportChoices] = WeakKeyDictionary()


def remembered(app: App) -> ExportChoices:
    """The choices the export screen reopens with in ``app``."""
    return _REMEMBERED.setdefault(app, ExportChoices())


def _short(label: str) -> str:
    """A font preset's label without its parenthesised list of fonts (it would wrap)."""
    return label.split("（")[0].split(" (")[0].strip()


class ExportScreen(AppScreen):
    """Build, preview, edit and write an export."""

    BINDINGS = [
        Binding("f2", "tab('options')", "key.export_options", id="tab-options"),
        Binding("f3", "tab('items')", "key.export_items", id="tab-items"),
        Binding("f4", "tab('preview')", "key.export_preview", id="tab-preview"),
        Binding("ctrl+r", "regenerate", "key.regenerate", id="regenerate"),
        Binding("ctrl+s", "write", "key.write", id="write", priority=True),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def __init__(self, template: str | None = None, year: int | None = None) -> None:
        super().__init__()
        #: The template the screen opens on (None: the one last chosen), and the 年度 of a
        #: yearly one (default: the rule's).
        self.asked_template = template if template in export.TEMPLATES else None
        self.template = self.asked_template or "meeting"
        self.year = year
        #: The preview as last generated (the user's edits are whatever differs from it).
        self.generated = ""
        self.material: export.Material | None = None
        self.choice_keys: list[str] = []
        #: Keys of the choices that are out unless picked (心得, 摘抄).
        self.opt_in: set[str] = set()
        self.sections: dict[str, list[str]] = {}

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        tr, lang = self.tr, self.tr.lang
        last = remembered(self.app)
        self.template = self.asked_template or last.template
        period = self._default_period(self.template)
        settings = self.journal.settings()
        presets = export.font_presets()
        font = next(f for f in (last.font, settings.export_font_preset, *presets) if f in presets)
        aspect_options = [(label, name) for name, label in export.aspect_presets(lang).items()]
        aspect_options.append((tr("export.own_aspects"), "*own*"))
        aspect = last.aspects if any(name == last.aspects for _, name in aspect_options) else export.DEFAULT_ASPECTS
        with TabbedContent(initial="options"):
            with TabPane(tr("export.tab_options"), id="options"):
                # Not a tab stop itself: its fields are, and they show focus (it would show none).
                with VerticalScroll(can_focus=False):
                    yield Static(tr("export.unencrypted"), classes="notice-line", markup=False)
                    yield from self._row("export.template", Select(
                        [(export.template_label(t, lang), t) for t in export.TEMPLATES],
                        value=self.template, allow_blank=False, id="template", compact=True))
                    yield from self._row("export.from", Input(period.start or "", id="from", compact=True, max_length=10))
                    yield from self._row("export.to", Input(period.end, id="to", compact=True, max_length=10))
                    yield from self._row("export.aspects", Select(
                        aspect_options, value=aspect, allow_blank=False, id="aspects", compact=True))
                    yield Static(tr("export.prepared_note"), id="prepared-note", classes="muted", markup=False)
                    yield from self._row("export.own_headings", Input(id="headings", compact=True,
                                                                      placeholder=tr("export.own_headings_hint")))
                    grade = Select([(export.grade_label(g, lang), g) for g in export.GRADES],
                                   prompt=tr("export.grade_none"), id="grade", compact=True)
                    if last.grade in export.GRADES:
                        grade.value = last.grade
                    yield from self._row("export.grade", grade)
                    yield from self._row("export.name", Input(id="name", compact=True, placeholder=tr("export.name_hint")))
                    yield from self._row("export.format", Select(
                        [(tr(f"export.format_{f}"), f) for f in export.FORMATS],
                        value=last.format if last.format in export.FORMATS else "docx", allow_blank=False,
                        id="format", compact=True))
                    yield from self._row("export.font", Select(
                        [(_short(p.label_in(lang)), name) for name, p in presets.items()], value=font,
                        allow_blank=False, id="font-preset", compact=True))
                    yield from self._row("export.destination", Input(id="destination", compact=True))
                    yield Static("", id="message", classes="error-line", markup=False)
            with TabPane(tr("export.tab_items"), id="items"):
                yield Static(tr("export.items_hint"), classes="muted", markup=False)
                yield SelectionList[str](id="sections")
                yield SelectionList[str](id="choices")
            with TabPane(tr("export.tab_preview"), id="preview"):
                yield Static(preview_hint(tr), id="preview-hint", classes="muted", markup=False)
                yield TextArea("", id="text", soft_wrap=True, show_line_numbers=False)
        yield FittingFooter()

    def _default_period(self, template: str) -> export.Period:
        if self.year is not None and template in export.gather.YEARLY:
            return export.Period.of_year(self.year)
        return export.default_period(template, self.app.today())

    def _row(self, label_key: str, widget) -> ComposeResult:
        with Horizontal(classes="field-row", id=f"row-{widget.id}"):
            yield Label(self.tr(label_key), classes="field-label")
            yield widget

    def on_mount(self) -> None:
        """Fill in the destination and the items, then build the first preview. Changes count
        only after the first paint: each Select announces its initial value."""
        self.ready = False
        fit_label_column(self)  # 姓名（可不填） and English labels must not run into their fields
        self._show_template_fields()
        self._suggest_destination()
        self.reload_material()
        self.call_after_refresh(setattr, self, "ready", True)

    # ------------------------------------------------------------------ state from the form

    def _value(self, widget_id: str) -> str:
        widget = self.query_one(f"#{widget_id}")
        if isinstance(widget, Select):
            return "" if widget.value is Select.NULL else str(widget.value)
        assert isinstance(widget, Input)
        return widget.value.strip()

    def period(self) -> export.Period | None:
        """The period typed, or None after saying what is wrong."""
        message = self.query_one("#message", Static)
        try:
            start = parse_date(self._value("from")) if self._value("from") else None
            end = parse_date(self._value("to"))
            period = export.Period(start, end)
        except ValueError:
            message.update(self.tr("export.bad_period"))
            return None
        message.update("")
        return period

    def options(self) -> export.Options:
        """The user's choices as the builders take them."""
        lang = self.tr.lang
        preset = self._value("aspects")
        period = self.period()
        if self.material is not None and period is not None and self.material.meeting_for(period.year) is not None:
            aspects = None  # the prepared meeting's own 方面
        elif preset == "*own*":
            headings = [h for h in self._value("headings").replace("；", ";").split(";") if h.strip()]
            aspects = export.custom_aspects(headings) if headings else None
        else:
            aspects = export.aspects(preset, lang)
        chosen = set(self.query_one("#choices", SelectionList).selected)
        left_out = frozenset(k for k in self.choice_keys if k not in chosen and k not in self.opt_in)
        picked = frozenset(k for k in self.opt_in if k in chosen)
        profile = self.journal.settings().profile
        return export.Options(
            lang=lang,
            today=self.app.today().isoformat(),
            left_out=left_out,
            picked=picked,
            aspects=aspects,
            name=self._value("name") or profile.get("name", ""),
            branch=profile.get("branch", ""),
            joined=profile.get("joined", ""),
            position=profile.get("position", ""),
            grade=self._value("grade") or None,
            sample=self.app.demo,
        )

    def _show_template_fields(self) -> None:
        template = self._value("template")
        period = self.period()
        # A meeting prepared in 会前准备 has its own 方面: the preset choice would do nothing.
        prepared = (
            self.material is not None and period is not None and self.material.meeting_for(period.year) is not None
        )
        self.query_one("#row-aspects").display = template == "meeting" and not prepared
        self.query_one("#row-headings").display = (
            template == "meeting" and not prepared and self._value("aspects") == "*own*"
        )
        self.query_one("#prepared-note").display = template in ("meeting", "appraisal") and prepared
        self.query_one("#row-grade").display = template == "appraisal"
        self.query_one("#row-font-preset").display = self._value("format") == "docx"  # fonts are Word's only

    def _default_name(self, fmt: str) -> str:
        """The file name suggested for ``fmt`` (also used inside a folder given as destination)."""
        period = self.period() or self._default_period(self._value("template"))
        return export.suggested_filename(self._value("template"), fmt, period, self.tr.lang, sample=self.app.demo)

    def _suggest_destination(self) -> None:
        if self.period() is None:
            return
        folder = remembered(self.app).folder
        base = Path(folder) if folder else self.app.export_dir()
        self.query_one("#destination", Input).value = str(base / self._default_name(self._value("format")))

    def _remember(self) -> None:
        """Keep the choices for the next time the screen opens (see :class:`ExportChoices`)."""
        last = remembered(self.app)
        last.template, last.format = self._value("template"), self._value("format")
        last.aspects, last.grade, last.font = self._value("aspects"), self._value("grade"), self._value("font-preset")

    # ------------------------------------------------------------------ building

    def reload_material(self) -> None:
        """Read the journal for the period, list the items, rebuild the preview."""
        period = self.period()
        if period is None:
            return
        journal = self.journal
        self.material = export.Material.from_journal(journal, period, self.app.checklists)
        choices = export.choices(self._value("template"), self.material, period, self.options())
        self.choice_keys = [c.key for c in choices]
        self.opt_in = {c.key for c in choices if not c.default}
        self._show_template_fields()
        #: Keys by section (notes, excerpts, problems, …): a whole section can be left out at once.
        self.sections = {}
        for c in choices:
            self.sections.setdefault(c.section, []).append(c.key)
        selection = self.query_one("#choices", SelectionList)
        sections = self.query_one("#sections", SelectionList)
        # A whole kind the user ticked or unticked before stays so (e.g. all reflections in).
        wanted = remembered(self.app).sections
        ticked = {
            name: wanted.get(name, any(k not in self.opt_in for k in keys)) for name, keys in self.sections.items()
        }
        with self.prevent(SelectionList.SelectedChanged):  # one rebuild, not one per item
            selection.clear_options()
            selection.add_options([
                Selection(cell(c.label), c.key, ticked[c.section] if c.section in wanted else c.default)
                for c in choices
            ])
            sections.clear_options()
            sections.add_options(
                [
                    Selection(
                        self.tr("export.section", name=self.tr(f"export.section_{name}"), n=len(keys)),
                        name,
                        ticked[name],
                    )
                    for name, keys in self.sections.items()
                ]
            )
        self.regenerate()

    @on(SelectionList.SelectionToggled, "#sections")
    def section_toggled(self, event: SelectionList.SelectionToggled) -> None:
        """Tick or untick every item of a section (e.g. all reflections) at once."""
        name = str(event.selection.value)
        wanted = name in self.query_one("#sections", SelectionList).selected
        remembered(self.app).sections[name] = wanted
        choices = self.query_one("#choices", SelectionList)
        with self.prevent(SelectionList.SelectedChanged):
            for key in self.sections.get(name, []):
                if wanted:
                    choices.select(key)
                else:
                    choices.deselect(key)
        self.regenerate()

    def regenerate(self, force: bool = False) -> None:
        """Rebuild the preview from the options and ticks; the user's edits are kept unless
        ``force`` (ctrl+r), and the hint says when they hold it back."""
        period = self.period()
        if period is None or self.material is None:
            return
        area = self.query_one("#text", TextArea)
        edited = area.text != self.generated
        if edited and not force:
            self.query_one("#preview-hint", Static).update(self.tr("export.preview_edited"))
            return
        document = export.build(self._value("template"), self.material, period, self.options())
        self.generated = export.to_text(document)
        area.load_text(self.generated)
        self.query_one("#preview-hint", Static).update(preview_hint(self.tr))

    @on(Select.Changed, "#template")
    def template_changed(self) -> None:
        """A new template: its default period, its items, a new preview."""
        if not self.ready:
            return
        period = self._default_period(self._value("template"))
        with self.prevent(Input.Changed):
            self.query_one("#from", Input).value = period.start or ""
            self.query_one("#to", Input).value = period.end
        self._show_template_fields()
        self._suggest_destination()
        self.reload_material()
        self._remember()

    @on(Input.Submitted, "#from")
    @on(Input.Submitted, "#to")
    @on(Input.Blurred, "#from")
    @on(Input.Blurred, "#to")
    def period_changed(self) -> None:
        """A new period: new items and preview."""
        if not self.ready:
            return
        if self.period() is not None:
            self._suggest_destination()
            self.reload_material()

    @on(Select.Changed, "#aspects")
    @on(Select.Changed, "#grade")
    @on(Input.Submitted, "#headings")
    @on(Input.Submitted, "#name")
    @on(Input.Blurred, "#headings")
    @on(Input.Blurred, "#name")
    @on(SelectionList.SelectedChanged, "#choices")
    def options_changed(self) -> None:
        """Headings, grade, name or ticks changed: a new preview."""
        if not self.ready:
            return
        self._show_template_fields()
        self.regenerate()
        self._remember()

    @on(Select.Changed, "#font-preset")
    def font_changed(self) -> None:
        """The Word fonts chosen (for this session; the default stays in Settings)."""
        if self.ready:
            self._remember()

    @on(Select.Changed, "#format")
    def format_changed(self) -> None:
        """Keep the destination's extension in step with the format; fonts only for Word."""
        if not self.ready:
            return
        self._show_template_fields()
        field = self.query_one("#destination", Input)
        path = Path(field.value) if field.value else None
        # Only a name with a format's extension changes; a folder or a bare name is left alone.
        if path is not None and path.suffix.lower() in FORMAT_OF_EXTENSION:
            field.value = str(path.with_suffix(export.EXTENSIONS[self._value("format")]))
        self._remember()

    # ------------------------------------------------------------------ actions

    def action_tab(self, tab: str) -> None:
        """Show a tab."""
        self.query_one(TabbedContent).active = tab

    def action_regenerate(self) -> None:
        """Rebuild the preview, dropping edits (asks first when there are any)."""
        area = self.query_one("#text", TextArea)
        if area.text == self.generated:
            self.regenerate(force=True)
            return

        def decided(yes: bool | None) -> None:
            if yes:
                self.regenerate(force=True)

        self.app.push_screen(ConfirmModal(self.tr("export.discard_edits")), decided)

    #: A write is running (ctrl+s again would race it to the same new file).
    writing = False

    def action_write(self) -> None:
        """Write the previewed text to the destination (asks before replacing a file)."""
        if self.writing:
            return
        destination = self._value("destination")
        message = self.query_one("#message", Static)
        if not destination:
            message.update(self.tr("export.need_destination"))
            self.action_tab("options")
            return
        fmt = self._value("format")
        try:
            target = resolve_target(destination, fmt, default_format=fmt, default_name=self._default_name)
        except TargetRefused as exc:
            ext = exc.fields.get("ext", "")
            if exc.problem == "format_mismatch" and FORMAT_OF_EXTENSION.get(ext.lower()) in export.EXTENSIONS:
                # The chosen format by its name here (Word, not docx).
                message.update(self.tr("export.format_mismatch", format=self.tr(f"export.format_{fmt}"), ext=ext))
            else:  # .json is the CLI's full export: not one of this screen's formats
                message.update(self.tr("export.unknown_extension", ext=ext))
            self.action_tab("options")
            return
        message.update("")
        path = target.path
        text = self.query_one("#text", TextArea).text
        font = self._value("font-preset") or self.journal.settings().export_font_preset
        if path.exists():

            def decided(yes: bool | None) -> None:
                if yes and not self.writing:
                    self.writing = True
                    self.write(path, text, fmt, font, True)

            self.app.push_screen(ConfirmModal(self.tr("export.replace", path=path), self.tr("export.unencrypted")), decided)
            return
        self.writing = True
        self.write(path, text, fmt, font, False)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def write(self, path: Path, text: str, fmt: str, font: str, overwrite: bool) -> None:
        """Render and write off the event loop (missing folders are made); one line either way."""
        try:
            document = export.from_text(text, lang=self.tr.lang)
            data = export.render(document, fmt, font_preset=font)
            written = export.write_export(path, data, overwrite=overwrite)
        except OSError as exc:
            line = self.tr("error.file_write", path=path, detail=os_error_reason(exc, self.tr))
            self.app.notify(line, severity="error", timeout=10)  # thread-safe: posts a message
            return
        except Exception as exc:  # noqa: BLE001 - one calm line, never a traceback
            self.app.notify(error_text(exc, self.tr), severity="error", timeout=10)
            return
        finally:
            self.writing = False  # a plain attribute: the event loop is never waited on
        remembered(self.app).folder = str(written.parent)
        self.app.notify(self.tr("export.written", path=written) + "\n" + self.tr("export.unencrypted"), timeout=12)

    def action_back(self) -> None:
        """Back to Home; an edited preview is not lost without asking."""
        area = self.query_one("#text", TextArea)
        if area.text == self.generated:
            self.app.pop_screen()
            return

        def decided(yes: bool | None) -> None:
            if yes:
                self.app.pop_screen()

        self.app.push_screen(ConfirmModal(self.tr("export.leave_edited")), decided)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """ctrl+r only matters once the preview was edited."""
        if action == "regenerate" and self.is_mounted:
            try:
                return self.query_one("#text", TextArea).text != self.generated or None
            except Exception:  # noqa: BLE001 - before compose
                return None
        return True

    def rebuild(self) -> ExportScreen:
        """A fresh export screen after a language switch."""
        return ExportScreen(self._value("template") or self.template, self.year)


def preview_hint(tr: Translator) -> str:
    """What the preview is, with each line mark it uses explained (``# 小标题  = 标题  @ 日期 …``)."""
    legend = "  ".join(f"{mark} {tr(f'export_marker.{kind}')}" for kind, mark in (("heading", "#"), *MARKERS.items()))
    return tr("export.preview_hint", legend=legend)
