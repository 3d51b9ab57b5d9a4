"""Small findings of issue 13, each pinned: month names over the study heatmap, a refused target,
the notes box that uses the height, two checks of one day told apart, focus you can see, tab stops
you can see on first run, a visible and single vault creation, labels that never run into fields."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import App
from textual.color import Color
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Input, Label, Select, Static, TextArea
from tuikit import PASS, STRONG, app_for, known_app, known_vault, settle, type_text, unlock, unlocked

from selfcheck.i18n import translate
from selfcheck.screens.compare import CompareScreen
from selfcheck.screens.diary import DiaryScreen
from selfcheck.screens.entry import EntryScreen
from selfcheck.screens.modals.action import ActionModal
from selfcheck.screens.modals.action_edit import ActionEditModal
from selfcheck.screens.modals.dated_note import DatedNoteModal
from selfcheck.screens.modals.form import FormScroll
from selfcheck.screens.modals.passphrase import ChangePassphraseModal
from selfcheck.screens.modals.recovery import RecoveryOfferModal
from selfcheck.screens.modals.refused import KeptPassphraseModal
from selfcheck.screens.modals.talk import TalkModal
from selfcheck.screens.modals.targets import TargetsModal
from selfcheck.screens.modals.trash import local_time
from selfcheck.screens.setup import SetupScreen
from selfcheck.screens.study_overview import StudyOverviewScreen
from selfcheck.store.journal import Journal
from selfcheck.store.models import Answer, Assessment
from selfcheck.widgets.heatmap import Heatmap, month_row

SIZES = [(80, 24), (120, 40)]
LANGS = ["zh", "en"]


def statics(app: App) -> str:
    """What the current screen's Static widgets show."""
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


def months(lang: str) -> list[str]:
    return [translate(f"month.{m}", lang) for m in range(1, 13)]


def shade_apart(first: Color, second: Color) -> int:
    """How far apart two colours are, in the channel where they differ most (0–255)."""
    return max(abs(first.r - second.r), abs(first.g - second.g), abs(first.b - second.b))


# --------------------------------------------------------------------------- 2: heatmap months


def _year_to(today: date) -> list[tuple[date, int]]:
    first = today - timedelta(days=today.weekday() + 52 * 7)
    return [(first + timedelta(days=i), 0) for i in range((today - first).days + 1)]


@pytest.mark.parametrize("today", [date(2026, 11, 27), date(2026, 1, 1), date(2027, 12, 31), date(2025, 3, 3)])
@pytest.mark.parametrize("lang", LANGS)
def test_every_month_that_begins_on_the_map_is_named_over_its_first_week(today: date, lang: str) -> None:
    days = _year_to(today)
    line = month_row(days, months(lang))
    start = days[0][0]
    begun = [((d - start).days // 7, months(lang)[d.month - 1]) for d, _ in days if d.day == 1]
    assert len(begun) >= 12
    for column, label in begun:
        assert line[column:].startswith(label), (column, label, line)  # ASCII: a column is a character
    # Names never touch (two touching names would read as one), and the line ends near the map.
    assert len(line.split()) in (len(begun), len(begun) + 1)  # perhaps also the month it starts in
    assert len(line) <= 53 + 3


@pytest.mark.parametrize("lang", LANGS)
async def test_the_study_overview_names_the_months_and_fits_80_columns(tmp_path: Path, lang: str) -> None:
    app = known_app(tmp_path, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlocked(pilot)
        app.push_screen(StudyOverviewScreen())
        await settle(pilot)
        heatmap = app.screen.query_one(Heatmap)
        lines = str(heatmap.render()).splitlines()
        assert len(lines) == 8  # the months, then Monday to Sunday
        first = lines[0].split()
        if lang == "zh":
            assert first[0] == "月" and first[1:] == ["12", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"]
        else:
            assert first == ["Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov"]
        assert heatmap.region.right <= 80 and max(cell_len(line) for line in lines) <= 78
        app.shutdown()


# --------------------------------------------------------------------------- 3: targets


@pytest.mark.parametrize("lang", LANGS)
async def test_letters_in_a_target_are_refused_with_a_message_and_the_number_stays(tmp_path: Path, lang: str) -> None:
    app = known_app(tmp_path, lang=lang)
    chosen: list[dict[str, int] | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await unlocked(pilot)
        app.push_screen(TargetsModal({"minutes": 600}), chosen.append)
        await settle(pilot)
        minutes = app.screen.query_one("#minutes", Input)
        minutes.focus()
        await pilot.press("end", "a", "b", "c")
        assert minutes.value == "600"
        message = str(app.screen.query_one("#message", Static).render())
        assert message == translate("targets.digits_only", lang, name=translate("target.minutes", lang))
        # Something that is not a whole number yet is refused on saving; the old target stays.
        minutes.value = "-"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TargetsModal) and chosen == []
        assert translate("target.minutes", lang) in str(app.screen.query_one("#message", Static).render())
        minutes.value = "700"
        await pilot.pause()
        assert str(app.screen.query_one("#message", Static).render()) == ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert chosen == [{"minutes": 700}]
        app.shutdown()


# --------------------------------------------------------------------------- 4: the notes box


@pytest.mark.parametrize("size", SIZES)
async def test_the_notes_box_grows_with_the_terminal_and_everything_fits_at_80x24(tmp_path: Path, size: tuple[int, int]) -> None:
    app = known_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await unlocked(pilot)
        app.push_screen(EntryScreen(None))
        await settle(pilot)
        screen = app.screen
        notes, excerpt = screen.query_one("#notes", TextArea), screen.query_one("#excerpt", TextArea)
        footer = screen.query_one(Footer)
        assert footer.region.y == size[1] - 1  # the keys stay in sight
        assert screen.query_one("#entry-form").max_scroll_y == 0  # nothing below the fold
        # The rows between the last text area and the footer: only the message line.
        assert footer.region.y - notes.region.bottom <= 1
        assert notes.region.height >= 7 and excerpt.region.height >= 4
        if size == (120, 40):
            assert notes.region.height >= 15 and notes.region.height > excerpt.region.height
        app.shutdown()


# --------------------------------------------------------------------------- 5: compare


async def test_two_checks_of_one_day_are_told_apart_by_their_time(tmp_path: Path) -> None:
    known_vault(tmp_path)
    journal = Journal.open(tmp_path, passphrase=PASS)
    try:
        morning = journal.save_assessment(
            Assessment(checklist_id="zixing", started="2026-11-25T01:00:00Z", completed="2026-11-25T01:30:00Z",
                       answers=[Answer("zx-01", "", "yes")])
        )
        noon = journal.save_assessment(
            Assessment(checklist_id="zixing", started="2026-11-25T04:00:00Z", completed="2026-11-25T04:45:00Z",
                       answers=[Answer("zx-01", "", "no")])
        )
    finally:
        journal.close()
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlocked(pilot)
        app.push_screen(CompareScreen(morning.id, noon.id))
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        labels = [c.label.plain if isinstance(c.label, Text) else str(c.label) for c in table.columns.values()]
        older, newer = local_time("2026-11-25T01:30:00Z"), local_time("2026-11-25T04:45:00Z")
        assert labels[-2:] == [older, newer] and older != newer
        assert all(c.width >= cell_len(older) for c in list(table.columns.values())[-2:])  # never cut
        assert f"{older} 与 {newer}" in statics(app)
        app.shutdown()


# --------------------------------------------------------------------------- 6: focus you can see


async def test_a_focused_select_or_input_stands_out_from_a_blurred_one(tmp_path: Path) -> None:
    app = known_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await unlocked(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DiaryScreen)
        search = app.screen.query_one("#diary-search", Input)
        period = app.screen.query_one("#diary-period", Select)
        current = period.query_one("SelectCurrent")
        blurred = search.background_colors[1], current.background_colors[1]
        search.focus()
        await pilot.pause()
        assert shade_apart(search.background_colors[1], blurred[0]) >= 40
        period.focus()
        await pilot.pause()
        assert shade_apart(current.background_colors[1], blurred[1]) >= 40
        assert shade_apart(search.background_colors[1], blurred[0]) == 0  # and back when it leaves
        app.shutdown()


# --------------------------------------------------------------------------- 7 and 8: first run


class SlowCreate:
    """Stands in for ``Session.create``: counts the calls and holds each until released."""

    def __init__(self, create) -> None:  # noqa: ANN001 - the session's bound method
        self.create = create
        self.calls = 0
        self.release = threading.Event()

    def __call__(self, passphrase: str) -> None:
        self.calls += 1
        self.release.wait(10)
        self.create(passphrase)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
async def test_first_run_tab_stops_are_the_two_fields(tmp_path: Path, size: tuple[int, int], lang: str) -> None:
    app = app_for(tmp_path / "data", lang=lang)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        first, second = screen.query_one("#pass1", Input), screen.query_one("#pass2", Input)
        assert screen.focus_chain == [first, second]
        await pilot.press("tab")
        assert app.focused is second
        await pilot.press("tab")
        assert app.focused is first
        app.shutdown()


async def test_a_setup_form_too_tall_for_the_terminal_is_a_tab_stop_that_shows_it(tmp_path: Path) -> None:
    app = app_for(tmp_path / "data", lang="en")
    async with app.run_test(size=(80, 16)) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#setup-box", FormScroll)
        assert box.max_scroll_y > 0 and box in app.screen.focus_chain
        blurred = box.styles.border_top[1]
        box.focus()
        await pilot.pause()
        assert box.styles.border_top[1] != blurred
        app.shutdown()


@pytest.mark.parametrize("lang", LANGS)
async def test_creating_the_vault_shows_a_busy_line_and_happens_once(tmp_path: Path, lang: str) -> None:
    app = app_for(tmp_path / "data", lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        slow = SlowCreate(app.session.create)
        app.session.create = slow  # type: ignore[method-assign]
        await type_text(pilot, STRONG)
        await pilot.press("enter")
        await type_text(pilot, STRONG)
        # Enter pressed three times as fast as a terminal sends them, then a key for the offer
        # that has not appeared yet: all arrive before the screen has handled the first enter.
        for key, character in [("enter", "\r"), ("enter", "\r"), ("enter", "\r"), ("y", "y")]:
            app.post_message(events.Key(key, character))
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        message = screen.query_one("#message", Static)
        assert str(message.render()).startswith(translate("setup.creating", lang))
        assert message.region.height >= 1 and message.region.bottom <= screen.query_one("#setup-box").region.bottom
        assert all(field.disabled for field in screen.query(Input))
        slow.release.set()
        await settle(pilot)
        assert slow.calls == 1
        assert isinstance(app.screen, RecoveryOfferModal)  # the early "y" answered nothing
        app.shutdown()


async def test_keys_typed_right_after_enter_go_to_the_second_field(tmp_path: Path) -> None:
    app = app_for(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_text(pilot, "abcdefgh")
        for key, character in [("enter", "\r"), ("x", "x"), ("y", "y"), ("z", "z")]:
            app.post_message(events.Key(key, character))
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one("#pass1", Input).value == "abcdefgh"
        assert app.screen.query_one("#pass2", Input).value == "xyz"
        app.shutdown()


# --------------------------------------------------------------------------- 9: labels and fields


def label_problems(screen: Widget) -> list[str]:
    """Every ``.field-row`` whose label wraps or leaves no blank cell before its field."""
    problems = []
    for row in screen.query(".field-row"):
        if not row.size.width or len(row.children) < 2 or not isinstance(row.children[0], Label):
            continue  # not shown (销号 fields before the status is 已完成), or no label
        label, field = row.children[0], row.children[1]
        text = str(label.content)
        if label.size.height != 1 or cell_len(text) >= label.outer_size.width:
            problems.append(f"{type(screen).__name__}: {text!r} in {label.outer_size.width} cells")
        if field.virtual_region.x < label.virtual_region.right:
            problems.append(f"{type(screen).__name__}: {text!r} overlaps its field")
    return problems


def _modals(lang: str) -> list[Widget]:
    def tr(key: str) -> str:
        return translate(key, lang)

    return [
        TalkModal(None, today="2026-11-27"),
        TargetsModal({}),
        ActionModal("context"),
        ActionEditModal(None, today="2026-11-27"),
        DatedNoteModal("title", "context", today="2026-11-27", date_label=tr("action_edit.progress_date"),
                       note_label=tr("actions.progress_note"), need_note=True),
        ChangePassphraseModal(),
        KeptPassphraseModal(Path("kept.bin")),
    ]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
async def test_no_label_runs_into_its_field(tmp_path: Path, size: tuple[int, int], lang: str) -> None:
    app = app_for(tmp_path / "fresh", lang=lang)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        problems = label_problems(app.screen)  # the first-run screen
        app.shutdown()
    app = known_app(tmp_path / "vault", lang=lang)
    async with app.run_test(size=size) as pilot:
        await unlocked(pilot)
        for modal in _modals(lang):
            app.push_screen(modal)
            await settle(pilot)
            assert app.screen is modal
            problems += label_problems(modal)
            app.pop_screen()
            await settle(pilot)
        app.shutdown()
    assert problems == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_export_preview_explains_every_line_mark(lang: str) -> None:
    from selfcheck.export.model import MARKERS
    from selfcheck.i18n import Translator
    from selfcheck.screens.export import preview_hint

    hint = preview_hint(Translator(lang))
    assert all(f"{mark} " in hint for mark in ["#", *MARKERS.values()])
    assert ("待填写" in hint) == (lang == "zh") and ("to fill in" in hint) == (lang == "en")


async def test_unlock_and_settings_have_no_invisible_tab_stop(tmp_path: Path) -> None:
    from selfcheck.screens.settings import SettingsScreen

    app = known_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not any(isinstance(w, FormScroll) for w in app.screen.focus_chain)  # unlock: the field alone
        assert app.screen.focus_chain and all(isinstance(w, Input) for w in app.screen.focus_chain)
        await unlock(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        chain = app.screen.focus_chain
        assert chain and not any(isinstance(w, FormScroll) for w in chain)
        app.shutdown()


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_no_export_label_runs_into_its_field(tmp_path: Path, lang: str) -> None:
    from selfcheck.screens.export import ExportScreen

    app = known_app(tmp_path, lang=lang)
    problems: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await unlocked(pilot)
        await pilot.press("e")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        for template in ("meeting", "talk", "talkprep", "study", "appraisal"):
            screen.query_one("#template", Select).value = template
            await settle(pilot)
            problems += label_problems(screen)
        app.shutdown()
    assert problems == []


@pytest.mark.parametrize("lang", LANGS)
async def test_the_backups_passphrase_label_does_not_touch_its_field(tmp_path: Path, lang: str) -> None:
    from selfcheck.screens.modals.backups import BackupsModal

    app = known_app(tmp_path, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlocked(pilot)
        modal = BackupsModal()
        app.push_screen(modal)
        await settle(pilot)
        modal.query_one("#restore-row").display = True  # as once a backup is chosen
        await settle(pilot)
        assert label_problems(modal) == []
        app.shutdown()
