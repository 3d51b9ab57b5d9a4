"""Checklists as data: the four built-ins, the validator's problems and lines, user files, the CLI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from selfcheck import checklists as cl
from selfcheck import cli
from selfcheck.checklists import (
    ALLOWED_TAGS,
    ANSWER_OPTIONS,
    BUILTIN_IDS,
    OPTIONAL_IDS,
    Problem,
    answer_label,
    is_concern,
    load_all,
    load_builtin,
    load_themes,
    tag_label,
    validate_file,
)
from selfcheck.i18n import catalog

ROOT = Path(__file__).resolve().parents[1]
SEED_PARTS = (
    "开头部分",
    "第一部分 永葆政治忠诚",
    "第二部分 弘扬严实作风",
    "第三部分 锤炼过硬本领",
    "第四部分 严明纪律规矩",
)
SEED_REF = re.compile(r"^(?P<part>.+?)「(?P<quote>.+)」$")
# The seed speech every built-in item quotes, kept with the tests so the check runs in every clone.
SEED_SPEECH = Path(__file__).resolve().parent / "data" / "seed-speech.txt"


def good_checklist(checklist_id: str = "mine", items: int = 2) -> str:
    """A valid user checklist in TOML."""
    body = f'id = "{checklist_id}"\nversion = 1\n\n[title]\nzh = "我的清单"\nen = "My list"\n\n'
    body += '[summary]\nzh = "自己定的检视条目。"\nen = "Items I set myself."\n'
    for n in range(1, items + 1):
        body += textwrap.dedent(f"""
            [[items]]
            id = "my-{n:02}"
            type = "{'yn' if n % 2 else 'rating'}"
            discipline = "作风"
            [items.text]
            zh = "条目 {n}"
            en = "Item {n}"
            [items.hint]
            zh = "想一想 {n}"
            en = "Think {n}"
            """)
    return body


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def keys_and_lines(problems: list[Problem]) -> list[tuple[str, int]]:
    return [(p.key.removeprefix("checklists."), p.line) for p in problems]


# --------------------------------------------------------------------------- the built-ins


def test_builtins_load_in_the_fixed_order() -> None:
    checklists = load_builtin()
    assert [c.id for c in checklists] == ["zizhong", "zixing", "zijing", "zili"] == list(BUILTIN_IDS)
    assert [c.title["zh"] for c in checklists] == ["自重", "自省", "自警", "自励"]
    assert all(c.builtin and c.source and c.source.name == f"{c.id}.toml" for c in checklists)
    assert all(isinstance(c.version, int) and c.version >= 1 for c in checklists)


@pytest.mark.parametrize("checklist", load_builtin(), ids=lambda c: c.id)
def test_builtin_checklist_content(checklist: cl.Checklist) -> None:
    assert len(checklist.items) >= 12
    prefix = {"zizhong": "zz-", "zixing": "zx-", "zijing": "zj-", "zili": "zl-"}[checklist.id]
    assert all(item.id.startswith(prefix) for item in checklist.items)
    assert len({item.id for item in checklist.items}) == len(checklist.items)
    for lang in ("zh", "en"):
        assert checklist.title[lang].strip() and checklist.summary[lang].strip()
    assert {item.type for item in checklist.items} == {"yn", "rating"}  # a sensible mix of both
    for item in checklist.items:
        for texts in (item.text, item.hint):
            assert set(texts) == {"zh", "en"} and all(t.strip() for t in texts.values()), item.id
        # The English is complete: no Chinese left in an item's English text or hint.
        assert not re.search(r"[\u4e00-\u9fff]", item.text["en"] + item.hint["en"]), item.id
        assert item.discipline in ALLOWED_TAGS, item.id
        match = SEED_REF.match(item.seed)
        assert match and match["part"] in SEED_PARTS, (item.id, item.seed)
        # No regulation article numbers in the prompts (domain-notes: quote only verified text).
        assert not re.search(r"第[一二三四五六七八九十百0-9]+条", item.text["zh"] + item.hint["zh"]), item.id


def test_builtin_item_ids_are_unique_across_checklists() -> None:
    ids = [item.id for c in load_builtin() for item in c.items]
    assert len(ids) == len(set(ids))


def test_builtin_files_validate_clean() -> None:
    for checklist in load_builtin():
        assert validate_file(checklist.source) == []


def test_seed_quotes_are_verbatim_in_the_seed_speech() -> None:
    """Every built-in item, the optional 每日三省 too, quotes its part of the speech verbatim."""
    # The seed text has a stray "、" in "一网、”" (domain-notes §0); quotes use the normalised form.
    text = SEED_SPEECH.read_text(encoding="utf-8").replace("一网、”", "一网”")
    opening, rest = text.split("第一，", 1)
    parts = dict(zip(SEED_PARTS, [opening, *re.split(r"第[二三四]，", rest)]))
    checked = 0
    for checklist in load_builtin(optional=True):
        for item in checklist.items:
            match = SEED_REF.match(item.seed)
            assert match and match["part"] in SEED_PARTS, (item.id, item.seed)
            assert match["quote"] in parts[match["part"]], (item.id, match["quote"])
            checked += 1
    assert checked > 50


def test_answer_options_and_concerns() -> None:
    assert ANSWER_OPTIONS == {"yn": ("yes", "mostly", "no", "na"), "rating": (1, 2, 3, 4, 5)}
    assert is_concern("yn", "no")
    assert not any(is_concern("yn", a) for a in ("yes", "mostly", "na", None))
    assert [is_concern("rating", n) for n in (1, 2, 3, 4, 5)] == [True, True, False, False, False]
    assert not is_concern("rating", None) and not is_concern("rating", True) and not is_concern("yn", 1)


def test_answer_and_tag_labels_in_both_languages() -> None:
    assert [answer_label("yn", a, "zh") for a in ANSWER_OPTIONS["yn"]] == ["是", "基本做到", "否", "不适用"]
    assert [answer_label("yn", a, "en") for a in ANSWER_OPTIONS["yn"]] == ["Yes", "Mostly", "No", "Not applicable"]
    assert answer_label("rating", 1, "zh") == "1 差距较大" and answer_label("rating", 5, "en") == "5 Very well"
    assert answer_label("rating", 9, "en") == "9"
    assert all(tag_label(tag, "zh") == tag for tag in ALLOWED_TAGS)
    assert tag_label("廉洁纪律", "en") == "integrity discipline"
    assert tag_label("自创标签", "en") == "自创标签"


def test_catalogs_have_the_same_keys() -> None:
    zh, en = catalog("zh"), catalog("en")
    assert set(zh) == set(en)
    for key in ("help.checklists", "checklists.missing_field", "answer.yes", "answer.na", "answer.rating_3"):
        assert zh[key] and en[key] and zh[key] != en[key]


def test_no_catalog_key_is_in_two_files() -> None:
    """The CLI reads ``<lang>.toml`` alone and the screens every part: a key defined twice would
    mean one thing in the CLI and another in the app."""
    import tomllib

    from selfcheck.i18n import _HERE, _flatten

    for lang in ("zh", "en"):
        seen: dict[str, str] = {}
        for path in sorted(_HERE.glob(f"{lang}.*toml")):
            for key in _flatten(tomllib.loads(path.read_text(encoding="utf-8"))):
                assert key not in seen, f"{key} in {path.name} and {seen[key]}"
                seen[key] = path.name


def test_themes_are_data() -> None:
    themes = load_themes()
    assert themes.version >= 1 and themes.reviewed
    assert [c.year for c in themes.campaigns] == sorted(c.year for c in themes.campaigns)
    assert len({c.id for c in themes.campaigns}) == len(themes.campaigns)
    assert [c.label("zh") for c in themes.campaigns_in(2024)] == ["2024 党纪学习教育"]
    assert any(c.year == 2023 and "主题教育" in c.title["zh"] for c in themes.campaigns)
    for campaign in themes.campaigns:
        assert campaign.basis in ("S", "K")
        assert all(campaign.tag[lang] and campaign.title[lang] for lang in ("zh", "en"))
    assert "党史" in [t.zh for t in themes.study_tags] and all(t.en for t in themes.study_tags)


# --------------------------------------------------------------------------- the validator


def test_a_good_user_file_is_valid(tmp_path: Path) -> None:
    assert validate_file(write(tmp_path, "mine.toml", good_checklist())) == []


def test_toml_syntax_error_takes_the_line_from_tomllib(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.toml", 'id = "x"\nversion = 1\ntitle = { zh = "标题" en = "Title" }\n')
    [problem] = validate_file(path)
    assert (problem.key, problem.line) == ("checklists.bad_toml", 3)
    assert problem.format("en").startswith(f"{path}:3: TOML syntax error")


def test_toml_error_at_end_of_document_points_at_the_last_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.toml", 'id = "x"\nversion = 1\nsummary = [\n')
    [problem] = validate_file(path)
    assert (problem.key, problem.line) == ("checklists.bad_toml", 3)


def test_not_utf8_and_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "gbk.toml"
    path.write_bytes('id = "x"\n# 注释\n'.encode("gbk"))
    assert keys_and_lines(validate_file(path)) == [("not_utf8", 2)]
    assert keys_and_lines(validate_file(tmp_path / "missing.toml")) == [("unreadable", 1)]
    [missing] = validate_file(tmp_path / "missing.toml")
    assert "No such file" not in missing.message("zh") and "文件或文件夹不存在" in missing.message("zh")


def test_every_kind_of_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    text = textwrap.dedent("""\
        id = "zijing"
        version = 0
        colour = "red"

        [title]
        zh = "清单"

        [summary]
        zh = "摘要"
        en = ""

        [[items]]
        id = "a-01"
        type = "yn"
        discipline = "政治纪律"
        [items.text]
        zh = "甲"
        en = "A"
        [items.hint]
        zh = "提示"
        en = "Hint"

        [[items]]
        id = "a-01"
        type = "maybe"
        discipline = "随便"
        [items.text]
        zh = "乙"
        [items.hint]
        zh = "提示"
        en = "Hint"

        [[items]]
        id = "a-03"
        type = "rating"
        discpline = "作风"
        text = { zh = "丙", en = "C" }
        hint = { zh = "提示", en = "Hint" }
        """)
    problems = validate_file(write(tmp_path, "many.toml", text))
    assert keys_and_lines(problems) == [  # in line order
        ("builtin_clash", 1),  # id = "zijing"
        ("bad_version", 2),
        ("unknown_field", 3),  # colour
        ("missing_translation", 5),  # title.en: the [title] table
        ("missing_translation", 10),  # summary.en = ""
        ("duplicate_item", 24),  # the second id = "a-01"
        ("unknown_type", 25),
        ("unknown_discipline", 26),
        ("missing_translation", 27),  # the second item's [items.text] has no en
        ("missing_field", 33),  # discipline is missing: the item's [[items]] line ...
        ("unknown_field", 36),  # ... because it is spelt discpline
    ]
    by_key = {p.key.removeprefix("checklists."): p for p in problems}
    assert by_key["duplicate_item"].fields["first_line"] == 13
    assert by_key["builtin_clash"].fields == {"id": "zijing"}
    assert "a-03" in by_key["missing_field"].message("en") and "discipline" in by_key["missing_field"].message("en")
    # Every message exists in both languages (no raw keys) and says something different in each.
    for problem in problems:
        zh, en = problem.message("zh"), problem.message("en")
        assert zh != en and not zh.startswith("checklists.") and not en.startswith("checklists.")


def test_missing_fields_and_items(tmp_path: Path) -> None:
    problems = validate_file(write(tmp_path, "empty.toml", "# nothing yet\n"))
    assert [p.fields.get("field") for p in problems] == ["id", "version", "title", "summary", "items"]
    assert all(p.key == "checklists.missing_field" and p.line == 1 for p in problems)
    problems = validate_file(write(tmp_path, "noitems.toml", "items = []\n" + good_checklist(items=0)))
    assert keys_and_lines(problems) == [("no_items", 1)]
    problems = validate_file(write(tmp_path, "shape.toml", 'id = "Bad Id"\nversion = "1"\ntitle = "t"\n'
                                                           'summary = { zh = 1, en = "s" }\nitems = ["x"]\n'))
    assert keys_and_lines(problems) == [("bad_id", 1), ("bad_version", 2), ("not_table", 3), ("not_text", 4),
                                        ("not_items", 5)]


def test_an_item_without_its_fields_points_at_its_block(tmp_path: Path) -> None:
    text = good_checklist(items=1) + '\n[[items]]\nseed = 3\n'
    problems = validate_file(write(tmp_path, "bare.toml", text))
    start = text.splitlines().index("[[items]]", 12) + 1
    assert [p.fields.get("field") for p in problems] == [
        "items[#2].id", "items[#2].type", "items[#2].text", "items[#2].hint", "items[#2].discipline", "items[#2].seed",
    ]
    assert [p.line for p in problems] == [start] * 5 + [start + 1]


def test_multiline_strings_do_not_confuse_the_line_finder(tmp_path: Path) -> None:
    text = good_checklist(items=1).replace('zh = "想一想 1"', 'zh = """想一想\n[[items]]\ntype = "x"\n"""')
    text += '\n[[items]]\nid = "my-01"\ntype = "yn"\ndiscipline = "作风"\ntext = { zh = "乙", en = "B" }\n' \
            'hint = { zh = "提示", en = "Hint" }\n'
    problems = validate_file(write(tmp_path, "ml.toml", text))
    assert keys_and_lines(problems) == [("duplicate_item", text.splitlines().index('id = "my-01"', 20) + 1)]


def test_validating_a_builtin_file_is_not_a_clash_but_a_copy_is(tmp_path: Path) -> None:
    source = load_builtin()[0].source
    assert validate_file(source) == []
    copy = write(tmp_path, "copy.toml", source.read_text(encoding="utf-8"))
    assert [p.key for p in validate_file(copy)] == ["checklists.builtin_clash"]


# --------------------------------------------------------------------------- user files


def test_load_all_adds_good_user_files_and_skips_broken_ones(tmp_path: Path) -> None:
    write(tmp_path, "b-mine.toml", good_checklist("mine", items=3))
    broken = write(tmp_path, "a-broken.toml", 'id = "oops"\nversion = [\n')
    clash = write(tmp_path, "c-clash.toml", good_checklist("zizhong"))
    twin = write(tmp_path, "d-twin.toml", good_checklist("mine"))
    write(tmp_path, "notes.txt", "not a checklist")
    result = load_all(tmp_path)
    assert [c.id for c in result.checklists] == [*BUILTIN_IDS, *OPTIONAL_IDS, "mine"]
    mine = result.get("mine")
    assert not mine.builtin and mine.source == tmp_path / "b-mine.toml" and len(mine.items) == 3
    assert list(result.skipped) == [broken, clash, twin]
    assert [p.key for p in result.skipped[twin]] == ["checklists.duplicate_checklist"]
    assert result.skipped[twin][0].line == 1
    assert len(result.problems) == 3


def test_load_all_without_a_user_dir_uses_the_config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from selfcheck.store import paths

    monkeypatch.setattr(paths, "config_dir", lambda: tmp_path / "config")
    assert cl.user_checklist_dir() == tmp_path / "config" / "checklists"
    result = load_all()  # the folder does not exist yet: just the built-ins
    assert [c.id for c in result.checklists] == [*BUILTIN_IDS, *OPTIONAL_IDS] and not result.skipped
    (tmp_path / "config" / "checklists").mkdir(parents=True)
    write(tmp_path / "config" / "checklists", "mine.toml", good_checklist())
    assert load_all().get("mine") is not None


# --------------------------------------------------------------------------- the CLI


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user checklist folder; the environment cannot choose the language."""
    from selfcheck.store import paths

    monkeypatch.delenv("SELFCHECK_LANG", raising=False)
    monkeypatch.setattr(paths, "config_dir", lambda: tmp_path / "config")
    folder = tmp_path / "config" / "checklists"
    folder.mkdir(parents=True)
    return folder


def test_cli_list(config: Path, capsys) -> None:
    assert cli.main(["checklists", "list"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == [*BUILTIN_IDS, *OPTIONAL_IDS]
    assert "自重" in lines[0] and "v2" in lines[0] and "14 项" in lines[0]
    assert err == ""


def test_cli_list_in_english_with_user_files(config: Path, capsys) -> None:
    write(config, "mine.toml", good_checklist())
    broken = write(config, "broken.toml", 'id = "x"\n')
    assert cli.main(["--lang", "en", "checklists"]) == 0
    out, err = capsys.readouterr()
    assert "Self-respect (自重)" in out
    assert out.splitlines()[-1].startswith("mine") and "2 items  My list (your own:" in out
    assert err.splitlines() == [err.strip()] and str(broken) in err and "4 problems" in err


def test_cli_validate_ok_and_problems(config: Path, tmp_path: Path, capsys) -> None:
    good = write(tmp_path, "good.toml", good_checklist(items=3))
    assert cli.main(["checklists", "validate", str(good)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"{good}：格式正确，共 3 个条目。"] and err == ""

    text = good_checklist().replace('type = "rating"', 'type = "scale"').replace('en = "My list"\n', "")
    bad = write(tmp_path, "bad.toml", text)
    assert cli.main(["--lang", "en", "checklists", "validate", str(bad)]) == 1
    out, err = capsys.readouterr()
    type_line = text.splitlines().index('type = "scale"') + 1
    assert out.splitlines() == [
        f"{bad}:4: title has no en text",
        f"{bad}:{type_line}: items[my-02] has an unknown type scale (allowed: yn / rating)",
    ]
    assert "2 problems" in err


def test_cli_validate_a_missing_file(config: Path, tmp_path: Path, capsys) -> None:
    assert cli.main(["checklists", "validate", str(tmp_path / "nope.toml")]) == 1
    assert "无法读取文件" in capsys.readouterr().err


def test_cli_validate_needs_a_file(config: Path, capsys) -> None:
    assert cli.main(["checklists", "validate"]) == 2
    assert "用法有误" in capsys.readouterr().err


def test_importing_checklists_does_not_import_the_ui() -> None:
    code = (
        "import sys; import selfcheck.checklists as c; r = c.load_all(); c.load_themes(); "
        "c.validate_file(r.checklists[0].source); "
        "print(len(r.checklists) >= 4, 'textual' in sys.modules, 'rich' in sys.modules)"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert proc.stdout.strip() == "True False False", proc.stderr


def test_a_short_name_is_optional_checked_and_used_where_the_title_does_not_fit(tmp_path: Path) -> None:
    built_in = {c.id: c for c in load_builtin(optional=True)}
    assert built_in["zijing"].short_in("en") == "Vigilance" and built_in["zijing"].short_in("zh") == "自警"
    assert all(c.short for c in built_in.values())  # every built-in list has a tab name in both languages
    text = good_checklist().replace("[summary]", '[short]\nzh = "短"\n\n[summary]')
    assert keys_and_lines(validate_file(write(tmp_path, "own.toml", text))) == [("missing_translation", 8)]
    write(tmp_path, "own.toml", good_checklist())  # without [short]: the title serves
    [mine] = [c for c in load_all(tmp_path).checklists if c.id == "mine"]
    assert mine.short is None and mine.short_in("en") == "My list"
