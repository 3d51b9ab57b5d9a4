"""The user's keymap, the palette (sections and this screen's actions, translated), the themes and
the help screen's effective keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Static
from tuikit import app_for, known_app, known_vault, settle, unlock, unlocked

from selfcheck.app import SelfCheckApp
from selfcheck.keymap import binding_index, load_keymap, valid_key
from selfcheck.screens.diary import DiaryScreen
from selfcheck.screens.help import HelpScreen, key_runs
from selfcheck.screens.home import HomeScreen
from selfcheck.store import paths
from selfcheck.themes import THEME_NAMES


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    folder.mkdir()
    monkeypatch.setattr(paths, "config_dir", lambda: folder)
    return folder


def screen_text(app) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


def test_a_keymap_line_that_cannot_be_used_is_reported_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "keymap.toml"
    path.write_text('# mine\ndiary = "j"\n\nnosuch = "x"\n"lock" = "ctrl+wat"\nhelp = 3\nquit = "ctrl+k, f5"\n', encoding="utf-8")
    loaded = load_keymap(path, binding_index(SelfCheckApp))
    assert loaded.keymap == {"diary": "j", "quit": "ctrl+k,f5"}
    assert [(p.line, p.kind, p.detail) for p in loaded.problems] == [
        (4, "unknown_id", "nosuch"),
        (5, "bad_key", "ctrl+wat"),
        (6, "not_keys", "help"),
    ]


def test_a_keymap_that_is_not_toml_is_reported_with_its_line_and_not_used(tmp_path: Path) -> None:
    path = tmp_path / "keymap.toml"
    path.write_text('diary = "j"\nlock = ctrl+k\n', encoding="utf-8")
    loaded = load_keymap(path, binding_index(SelfCheckApp))
    assert loaded.keymap == {}
    assert [(p.line, p.kind, p.whole) for p in loaded.problems] == [(2, "syntax", True)]
    assert load_keymap(tmp_path / "none.toml", binding_index(SelfCheckApp)).problems == []


def test_a_keymap_may_not_put_save_or_lock_on_a_letter_nor_take_a_key_in_use(tmp_path: Path) -> None:
    path = tmp_path / "keymap.toml"
    path.write_text('lock = "a"\nsave = "s"\ndiary = "s"\nhistory = "ctrl+l"\n[keys]\nx = "y"\n', encoding="utf-8")
    assert [p.kind for p in load_keymap(tmp_path / "q.toml", binding_index(SelfCheckApp)).problems] == []
    loaded = load_keymap(path, binding_index(SelfCheckApp))
    assert loaded.keymap == {}
    assert [(p.line, p.kind, p.detail, p.other) for p in loaded.problems] == [
        (1, "plain_priority", "a", ""),  # typing "banana" in a title would lock
        (2, "plain_priority", "s", ""),
        (3, "clash", "s", "settings"),  # Home's s
        (4, "clash", "ctrl+l", "lock"),  # the app's own key, on every screen
        (5, "unknown_id", "keys", ""),  # a table, named by its header line
    ]
    (tmp_path / "q.toml").write_text('quit = "question_mark"\ndiary = "?"\n', encoding="utf-8")
    assert [(p.kind, p.other) for p in load_keymap(tmp_path / "q.toml", binding_index(SelfCheckApp)).problems] == [
        ("plain_priority", ""),  # ? is typed too
        ("clash", "help-alt"),  # ? is help's other key
    ]
    path.write_text('diary = "s"\nsettings = "g"\n', encoding="utf-8")  # moved out of the way first
    assert load_keymap(path, binding_index(SelfCheckApp)).keymap == {"diary": "s", "settings": "g"}


def test_binding_ids_cover_every_screen_and_key_names_are_checked() -> None:
    ids = set(binding_index(SelfCheckApp).by_id)
    assert {"lock", "diary", "new", "answer-1", "actions-done", "changes-keep-editing", "meeting-next"} <= ids
    assert all(valid_key(k) for k in ["j", "ctrl+k", "f5", "question_mark", "ctrl+shift+up", "pageup", "space", "学"])
    assert not any(valid_key(k) for k in ["", "ctrl+", "control+k", "ctrl+wat", "f99x", " "])


def test_help_writes_digit_keys_as_runs() -> None:
    assert key_runs(["1-5", "2", "3", "4", "5"]) == ["1-5"]
    assert key_runs([str(n) for n in range(1, 10)]) == ["1-9"]
    assert key_runs(["1", "2", "x"]) == ["x", "1/2"]


async def test_a_remapped_key_works_and_footer_and_help_show_it(tmp_path: Path, config: Path) -> None:
    (config / "keymap.toml").write_text('diary = "j"\nlock = "ctrl+k"\nnosuch = "x"\n', encoding="utf-8")
    app = known_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlocked(pilot)
        await settle(pilot)
        notices = [n.message for n in app._notifications]  # noqa: SLF001
        assert any("keymap.toml:3" in n and "nosuch" in n for n in notices)
        keys = {b.binding.key for b in app.screen.active_bindings.values()}
        assert "j" in keys and "d" not in keys and "ctrl+k" in keys
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)  # d is no longer the diary
        await pilot.press("j")
        await settle(pilot)
        assert isinstance(app.screen, DiaryScreen)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        help_text = screen_text(app)
        assert "^k" in help_text and "· lock" in help_text and "^l" not in help_text
        await pilot.press("escape", "escape")
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert not app.session.is_open
        app.shutdown()


async def palette_names(pilot, query: str = "") -> list[str]:
    await pilot.press("ctrl+p")
    await settle(pilot)
    if query:
        await pilot.press(*query)
        await pilot.pause(0.6)  # "no matches" is shown after half a second
    option_list = await palette_settled(pilot)
    return [prompt_text(option_list.get_option_at_index(i).prompt) for i in range(option_list.option_count)]


async def palette_settled(pilot):
    """The palette's list once its commands stopped arriving (they come from a worker)."""
    await pilot.pause()
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    option_list = palette.query_one("CommandList")
    counts = [-1]
    for _ in range(50):
        await pilot.pause(0.1)
        counts.append(option_list.option_count)
        if counts[-1] > 0 and counts[-1] == counts[-2] == counts[-3]:
            break
    await settle(pilot)
    return option_list


def prompt_text(prompt) -> str:
    prompt = getattr(prompt, "renderable", prompt)  # the "no matches" line is centred
    return str(getattr(prompt, "plain", prompt)).splitlines()[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_palette_lists_every_section_and_this_screens_actions_translated(tmp_path: Path, lang: str) -> None:
    app = known_app(tmp_path, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlocked(pilot)
        names = await palette_names(pilot)
        sections = [n for n in names if n.startswith(("打开：", "Open: "))]
        assert len(sections) == 8
        expected = ["打开：学习日志", "打开：整改清单", "锁定"] if lang == "zh" else ["Open: Diary", "Open: Rectification", "Lock"]
        assert all(e in names for e in expected), names
        placeholder = app.screen.query_one("CommandInput").placeholder
        assert ("搜索命令" in placeholder) == (lang == "zh") and "Search for commands" not in placeholder
        await pilot.press("escape")
        await pilot.press("d")
        await settle(pilot)
        names = await palette_names(pilot)
        assert ("新建（n）" if lang == "zh" else "New (n)") in names
        await pilot.press("escape")
        names = await palette_names(pilot, "zzzq")
        assert names == (["没有匹配的命令"] if lang == "zh" else ["No matching command"])
        app.shutdown()


async def test_a_section_from_the_palette_opens_from_another_screen_once(tmp_path: Path) -> None:
    app = known_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlocked(pilot)
        await pilot.press("d")
        await settle(pilot)
        await palette_names(pilot, "整改清单")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ActionsScreen"
        await palette_names(pilot, "学习日志")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ActionsScreen"  # the diary is open below: said, not stacked twice
        assert any("已经打开" in n.message for n in app._notifications)  # noqa: SLF001
        app.shutdown()


async def test_the_theme_picker_offers_the_apps_themes_by_translated_name(tmp_path: Path) -> None:
    app = known_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlocked(pilot)
        assert set(THEME_NAMES) <= set(app.available_themes)
        app.action_change_theme()
        option_list = await palette_settled(pilot)
        names = [prompt_text(option_list.get_option_at_index(i).prompt) for i in range(option_list.option_count)]
        assert names == ["深色（默认）", "浅色", "高对比度"]
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert app.theme == "selfcheck-contrast"
        app.wait_for_saves()
        assert app.journal is not None and app.journal.settings().theme == "selfcheck-contrast"
        app.shutdown()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_palette_snapshot(snap_compare, tmp_path: Path, lang: str) -> None:
    known_vault(tmp_path)

    async def run_before(pilot) -> None:
        await unlocked(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await palette_settled(pilot)
        pilot.app.screen.query_one("CommandInput").cursor_blink = False  # the picture must not depend on time
        await pilot.pause()

    assert snap_compare(app_for(tmp_path, lang=lang), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize(("lang", "size"), [("en", (80, 24)), ("zh", (80, 24)), ("zh", (60, 20)), ("en", (60, 20))])
async def test_footers_leave_keys_out_instead_of_cutting_them(tmp_path: Path, lang: str, size: tuple[int, int]) -> None:
    from textual.widgets._footer import FooterKey

    from selfcheck.widgets.footer import FittingFooter

    app = known_app(tmp_path, lang=lang)
    async with app.run_test(size=size) as pilot:
        await unlocked(pilot)
        for key in ["", "d", "escape", "r", "escape", "h", "escape", "e"]:
            if key:
                await pilot.press(key)
            await settle(pilot)
            footer = app.screen.query_one(FittingFooter)
            keys = list(footer.query(FooterKey))
            assert FittingFooter._width(keys, compact=footer.compact) <= size[0], [k.description for k in keys]
            regions = sorted((k.region for k in keys), key=lambda r: r.x)  # as laid out: whole, side by side
            assert all(r.width > 0 and r.right <= size[0] for r in regions)
            assert all(a.right <= b.x for a, b in zip(regions, regions[1:]))
            assert any(k.action.endswith("help") for k in keys)  # the way to every key is always there
            if size[0] == 80 and isinstance(app.screen, HomeScreen):
                assert {k.key for k in keys} >= set("adrhtmes")  # every section's key on Home
        app.shutdown()


async def test_no_color_is_honoured_and_overdue_is_said_in_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.filter import Monochrome, NoColor

    from selfcheck.screens.actions import ActionsScreen

    monkeypatch.setenv("NO_COLOR", "1")
    app = known_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.no_color and any(isinstance(f, (Monochrome, NoColor)) for f in app._filters)  # noqa: SLF001
        await unlock(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ActionsScreen)
        table = app.screen.query_one("DataTable")
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        overdue = next(row for row in rows if row[1] == "调查研究不够深入 [/]")  # due 2026-11-01, today 11-27
        assert overdue[0] == "!"  # a mark, not red alone
        assert all(row[0] != "!" for row in rows if row[1] == "理论学习不够系统")
        app.shutdown()


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_settings_name_the_themes_in_the_users_language(tmp_path: Path, lang: str) -> None:
    from textual.widgets import Select

    app = known_app(tmp_path, lang=lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await unlocked(pilot)
        await pilot.press("s")
        await settle(pilot)
        select = app.screen.query_one("#theme", Select)
        labels = [str(prompt) for prompt, _value in select._options]  # noqa: SLF001
        assert labels == (["深色（默认）", "浅色", "高对比度"] if lang == "zh" else ["Dark (default)", "Light", "High contrast"])
        select.value = "selfcheck-light"
        await settle(pilot)
        assert app.theme == "selfcheck-light"
        app.shutdown()


async def test_the_palette_does_not_start_a_second_walk_during_one(tmp_path: Path) -> None:
    from selfcheck.screens.checklist import ChecklistScreen

    app = known_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await unlocked(pilot)
        await pilot.press("2")
        await settle(pilot)
        walk = app.screen
        assert isinstance(walk, ChecklistScreen)
        await palette_names(pilot, "自我检视")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is walk and sum(isinstance(s, ChecklistScreen) for s in app.screen_stack) == 1
        assert any("已经打开" in n.message for n in app._notifications)  # noqa: SLF001
        app.shutdown()


@pytest.mark.parametrize("title", ["科室自查 [bold]", "科室[/]自查"])
async def test_history_tabs_show_a_title_verbatim(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, title: str) -> None:
    from test_tui_own_checklists import OWN
    from textual.widgets import Tab

    folder = tmp_path / "config" / "checklists"
    folder.mkdir(parents=True)
    monkeypatch.setattr(paths, "config_dir", lambda: tmp_path / "config")
    (folder / "mine.toml").write_text(OWN.replace("科室自查 [bold]", title), encoding="utf-8")
    app = known_app(tmp_path / "d")
    async with app.run_test(size=(160, 30)) as pilot:
        await unlocked(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert any(tab.label.plain.endswith(title) for tab in app.screen.query(Tab))
        app.shutdown()


async def test_a_dialog_names_the_keys_in_effect(tmp_path: Path, config: Path) -> None:
    from selfcheck.screens.modals.confirm import SaveChangesModal

    (config / "keymap.toml").write_text('changes-save = "ctrl+y"\ncancel = "ctrl+g"\n', encoding="utf-8")
    app = known_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await unlocked(pilot)
        app.push_screen(SaveChangesModal("保存所做的修改？"))
        await settle(pilot)
        assert "^y 保存    n 放弃修改    esc 继续编辑" in screen_text(app)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert not isinstance(app.screen, SaveChangesModal)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("n")  # a new rectification item: the record editor
        await settle(pilot)
        assert "^s 保存    ^g 取消" in screen_text(app)
        app.shutdown()


async def test_high_contrast_marks_the_focused_field_in_full_colour(tmp_path: Path) -> None:
    from textual.widgets import Input

    from selfcheck.themes import CONTRAST

    app = known_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await unlocked(pilot)
        await pilot.press("d", "n")
        await settle(pilot)
        title = app.screen.query_one("#title", Input)
        assert app.focused is title
        default_band = title.styles.background
        app.theme = CONTRAST.name
        await settle(pilot)
        assert app.has_class("-high-contrast")
        band = title.styles.background
        assert band != default_band and band.a == 1.0 and band.r > 240 and band.g > 240 and band.b < 20  # yellow, not olive
        app.shutdown()
