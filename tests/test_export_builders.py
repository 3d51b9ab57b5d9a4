"""The export builders: every template's sections with an empty vault, one entry and a 10-year
vault; placeholders where the user wrote nothing; the user's words verbatim and nothing invented;
no scoring; the appraisal grade only as the user chose it."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from selfcheck import export, synthetic
from selfcheck.export import model
from selfcheck.export.content import Text, chinese_numeral
from selfcheck.export.gather import findings
from selfcheck.store.journal import Journal
from selfcheck.store.models import ActionItem, Answer, Assessment, ProgressNote, StudyEntry, TalkNote
from selfcheck.store.vault import KdfParams

TINY = KdfParams(t=1, m_kib=64, p=1)
PASS = "导出测试口令 export"
TODAY = "2026-11-27"
YEAR = export.Period("2025-11-28", TODAY)
TRICKY = "学习体会 [bold]强调[/] *x* <tag>&amp; # 井号 | 竖线 \\ 反斜杠"

#: Section headings (level 1) of each template, in order, in Chinese.
SECTIONS = {
    "meeting": ["一、学习情况和主要收获", "二、上次组织生活会整改落实情况", "三、查摆的问题", "四、原因剖析", "五、整改措施"],
    "talk": ["一、近期思想和学习情况", "二、存在的问题和整改进展", "三、此前谈话的跟进事项", "四、希望交流的问题"],
    "study": ["一、总体情况", "二、学习内容", "三、原文摘抄", "四、心得体会"],
    "appraisal": ["一、一年来主要表现", "二、自我检视情况", "三、存在的问题和不足", "四、努力方向和整改措施", "五、自评等次"],
}


def options(**kw) -> export.Options:
    return export.Options(today=TODAY, **kw)


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal.create(tmp_path / "data", PASS, kdf=TINY)
    yield j
    j.close()


@pytest.fixture(scope="module")
def ten_years(tmp_path_factory: pytest.TempPathFactory) -> Iterator[export.Material]:
    """The 10-year sample vault (synthetic.fill), read back as export material for the last year."""
    j = Journal.create(tmp_path_factory.mktemp("ten") / "data", PASS, kdf=TINY)
    try:
        synthetic.fill(j, end=date(2026, 11, 27))
        yield export.Material.from_journal(j, YEAR)
    finally:
        j.close()


def headings(doc: model.Document, level: int = 1) -> list[str]:
    return [b.text for b in doc.blocks if b.kind == model.HEADING and b.level == level]


def section(doc: model.Document, heading: str) -> list[model.Block]:
    """The blocks under the level-1 heading ``heading`` (up to the next one)."""
    start = next(i for i, b in enumerate(doc.blocks) if b.kind == model.HEADING and b.level == 1 and b.text == heading)
    out = []
    for b in doc.blocks[start + 1 :]:
        if b.kind == model.HEADING and b.level == 1:
            break
        out.append(b)
    return out


def one_of_each(journal: Journal) -> None:
    """One study entry, self-check, rectification item and talk, all dated inside YEAR."""
    journal.add_study(
        StudyEntry(date="2026-03-01", title="学习党章 *第一章*", source="《中国共产党章程》", form="个人自学", minutes=45,
                   excerpt="党员必须履行下列义务 <原文>", notes=TRICKY + "\n第二段心得")
    )
    check = Assessment(
        checklist_id="zizhong", started="2026-04-02T01:00:00Z", completed="2026-04-02T01:20:00Z",
        answers=[Answer("zz-01", "我清楚本单位关于“八小时以外”纪律作风的具体要求。", "no", "备注 <b>没记全</b>"),
                 Answer("zz-02", "八小时以外……", 5, "")],
        reflection="自查体会：**要** 常照镜子",
    )
    journal.save_assessment(check)
    journal.add_action(
        ActionItem(problem="问题 [red]联系群众[/] 不够", cause="宗旨意识 & 不够牢固", measure="每月走访 #2 次",
                   standard="群众满意", due="2026-12-31", kind="immediate", status="in_progress",
                   progress=[ProgressNote("2026-06-01", "已走访三户")], created="2026-05-01T02:00:00Z")
    )
    journal.add_action(
        ActionItem(problem="去年的问题：学习碎片化", measure="制定学习计划", kind="ongoing", status="done",
                   done_date="2026-02-01", done_note="计划已执行", created="2025-01-10T02:00:00Z")
    )
    journal.add_talk(
        TalkNote(date="2026-10-10", kind="组织生活会前谈心", counterpart_role="支部书记", topic="查摆问题",
                 heard="对方的话", said="我的表态", followups="跟进：<整改>台账")
    )


# --------------------------------------------------------------------------- empty vault


@pytest.mark.parametrize("template", export.TEMPLATES)
def test_empty_vault_gives_every_section_with_a_placeholder(journal: Journal, template: str) -> None:
    material = export.Material.from_journal(journal, YEAR)
    doc = export.build(template, material, YEAR, options())
    assert headings(doc) == SECTIONS[template]
    assert doc.blocks[0].kind == model.TITLE and doc.blocks[1].kind == model.DATE
    for heading in SECTIONS[template]:
        blocks = section(doc, heading)
        # Every section either shows a placeholder or (the meeting's 方面) sub-headings that do.
        assert any(b.kind == model.PLACEHOLDER for b in blocks), heading
    for block in doc.placeholders():
        assert block.text.startswith("【请填写：") and block.text.endswith("】")
    # Nothing but headings, boilerplate and placeholders: no numbered user content at all.
    assert not [b for b in doc.blocks if b.kind == model.PARAGRAPH and re.match(r"\d+\. ", b.text)]
    assert not [b for b in doc.blocks if b.kind in (model.TABLE, model.QUOTE)]


def test_empty_meeting_lists_the_default_aspects_each_with_a_placeholder(journal: Journal) -> None:
    doc = export.build("meeting", export.Material.from_journal(journal, YEAR), YEAR, options())
    assert headings(doc, 2) == ["（一）政治忠诚方面", "（二）作风建设方面", "（三）能力本领方面", "（四）纪律规矩方面"]
    problems = section(doc, "三、查摆的问题")
    assert [b.kind for b in problems] == ["heading", "placeholder"] * 4
    assert doc.blocks[0].text == "关于2026年度组织生活会个人对照检查材料"
    assert doc.blocks[1].text == "（2026年11月27日）"
    assert doc.blocks[-1].text == "以上发言，不妥之处，请同志们批评指正。"


# --------------------------------------------------------------------------- one of each


def test_meeting_with_one_of_each_uses_the_users_words_verbatim(journal: Journal) -> None:
    one_of_each(journal)
    doc = export.build("meeting", export.Material.from_journal(journal, YEAR), YEAR, options())
    texts = list(doc.texts())
    study = section(doc, "一、学习情况和主要收获")
    assert study[0].text.startswith("2025年11月28日至2026年11月27日，本人共记录学习1次，累计0.8小时，其中个人自学1次")
    assert "1. 学习党章 *第一章*" in [b.text for b in study]
    assert TRICKY in texts and "第二段心得" in texts
    # 二: last time's item (raised before the period, closed in it) as a ledger table.
    ledger = next(b for b in section(doc, "二、上次组织生活会整改落实情况") if b.kind == model.TABLE)
    assert ledger.header == ("序号", "问题表现", "整改措施", "整改时限", "状态", "进展情况")
    assert ledger.body_rows == (("1", "去年的问题：学习碎片化", "制定学习计划", "长期坚持", "已完成（销号）", "2026年2月1日销号：计划已执行"),)
    # 三: the item raised this year, and the answer of concern (with the user's note), labelled.
    problems = section(doc, "三、查摆的问题")
    assert problems[0] == model.note("本人自我检视记录，不构成组织评价")
    lines = [b.text for b in problems if b.kind == model.PARAGRAPH]
    # Both go under 其他方面 (the seed preset places neither), in date order.
    assert lines == ["1. 2026年4月2日“自重”自查：我清楚本单位关于“八小时以外”纪律作风的具体要求。——否（本人备注：备注 <b>没记全</b>）",
                     "2. 问题 [red]联系群众[/] 不够"]
    assert not any("八小时以外……" in t for t in lines)  # a good answer is not a problem
    assert [b.text for b in section(doc, "四、原因剖析")] == ["1. 宗旨意识 & 不够牢固"]
    assert [b.text for b in section(doc, "五、整改措施")] == [
        "1. 每月走访 #2 次（整改标准：群众满意；整改时限：2026年12月31日）",
        "以上发言，不妥之处，请同志们批评指正。",
    ]


def test_answers_turned_into_an_item_are_not_listed_twice(journal: Journal) -> None:
    check = journal.save_assessment(
        Assessment(checklist_id="zijing", completed="2026-04-02T01:20:00Z", answers=[Answer("zj-01", "提示", "no")])
    )
    journal.add_action(ActionItem(problem="我自己写的问题", source={"assessment": check.id, "item": "zj-01"},
                                  created="2026-04-03T00:00:00Z"))
    doc = export.build("meeting", export.Material.from_journal(journal, YEAR), YEAR, options(aspects=export.aspects("sizi")))
    problems = section(doc, "三、查摆的问题")
    assert [b.text for b in problems if b.kind == model.PARAGRAPH] == ["1. 我自己写的问题"]
    # With the 四自 preset the item lands under 自警, found through its self-check.
    assert [b.text for b in problems][4:6] == ["（三）自警方面", "1. 我自己写的问题"]
    assert model.NOTE not in [b.kind for b in problems]  # no answers summarised, so no label


def test_talk_with_one_of_each_never_names_the_other_person(journal: Journal) -> None:
    one_of_each(journal)
    doc = export.build("talk", export.Material.from_journal(journal, YEAR), YEAR,
                       options(questions=("想请教 <如何> 改进",)))
    texts = list(doc.texts())
    assert "自查体会：**要** 常照镜子" in texts
    assert TRICKY in texts
    # Items open at any time in the period: last year's (closed in it) and this year's.
    assert "1. 去年的问题：学习碎片化（已完成（销号））" in texts
    assert "2. 问题 [red]联系群众[/] 不够（整改中）" in texts
    assert "最新进展：2026年6月1日：已走访三户" in texts
    assert "跟进：<整改>台账" in texts
    assert "1. 想请教 <如何> 改进" in texts
    joined = "\n".join(texts)
    assert "支部书记" not in joined and "对方的话" not in joined


def test_study_with_one_entry_and_a_forms_table(journal: Journal) -> None:
    one_of_each(journal)
    doc = export.build("study", export.Material.from_journal(journal, YEAR), YEAR, options())
    assert doc.blocks[1].text == "（2025年11月28日至2026年11月27日）"
    table = next(b for b in doc.blocks if b.kind == model.TABLE)
    assert table.rows == (("学习形式", "次数", "时长（分钟）"), ("个人自学", "1", "45"), ("合计", "1", "45"))
    assert "1. 2026年3月1日 学习党章 *第一章*（《中国共产党章程》；个人自学；45分钟）" in list(doc.texts())
    quotes = [b.text for b in doc.blocks if b.kind == model.QUOTE]
    assert quotes == ["党员必须履行下列义务 <原文>", "——《中国共产党章程》"]
    assert doc.placeholders() == []


def test_study_leaves_out_what_the_user_unticked(journal: Journal) -> None:
    one_of_each(journal)
    material = export.Material.from_journal(journal, YEAR)
    entry = material.study[0]
    listed = export.choices("study", material, YEAR, options())
    assert [(c.key, c.section) for c in listed] == [
        (entry.id, "study"), (f"{entry.id}#excerpt", "excerpt"), (f"{entry.id}#notes", "notes")
    ]
    doc = export.build("study", material, YEAR, options(left_out=frozenset({f"{entry.id}#excerpt"})))
    assert not [b for b in doc.blocks if b.kind == model.QUOTE]
    assert TRICKY in list(doc.texts())
    doc = export.build("study", material, YEAR, options(left_out=frozenset({entry.id})))
    assert TRICKY not in list(doc.texts()) and len(doc.placeholders()) == 4


def test_appraisal_grade_is_the_users_choice_and_labelled(journal: Journal) -> None:
    one_of_each(journal)
    material = export.Material.from_journal(journal, YEAR)
    doc = export.build("appraisal", material, YEAR, options())
    grade = section(doc, "五、自评等次")
    assert grade[0].kind == model.PLACEHOLDER and "优秀／合格／基本合格／不合格" in grade[0].text
    for code, label in (("excellent", "优秀"), ("basically_qualified", "基本合格"), ("unqualified", "不合格")):
        doc = export.build("appraisal", material, YEAR, options(grade=code, name="张三"))
        assert section(doc, "五、自评等次")[0].text == f"本人自评等次：{label}（本人自评，供组织评定参考）"
        assert "姓名：张三" in list(doc.texts())
    # The sheet summarises self-checks with the label, and ends with lines for a handwritten signature.
    assert section(doc, "二、自我检视情况")[0] == model.note("本人自我检视记录，不构成组织评价")
    assert "“自重”：本期完成自查1次。" in list(doc.texts())
    assert [b.kind for b in doc.blocks[-2:]] == [model.SIGNATURE, model.SIGNATURE]
    with pytest.raises(ValueError):
        export.build("appraisal", material, YEAR, options(grade="由答案推算"))


def test_appraisal_grade_never_comes_from_the_answers(journal: Journal) -> None:
    # All answers "no": still no grade unless the user picks one.
    journal.save_assessment(Assessment(checklist_id="zizhong", completed="2026-04-02T01:20:00Z",
                                       answers=[Answer(f"zz-0{i}", "p", "no") for i in range(1, 6)]))
    doc = export.build("appraisal", export.Material.from_journal(journal, YEAR), YEAR, options())
    texts = "\n".join(doc.texts())
    assert "本人自评等次" not in texts
    for word in ("不合格", "基本合格", "优秀"):
        assert word not in texts.replace("优秀／合格／基本合格／不合格", "")


def test_english_boilerplate(journal: Journal) -> None:
    one_of_each(journal)
    doc = export.build("meeting", export.Material.from_journal(journal, YEAR), YEAR, options(lang="en"))
    assert headings(doc)[0] == "1. Study and what I gained"
    assert doc.blocks[1].text == "(27 November 2026)"
    assert TRICKY in list(doc.texts())
    assert export.build("study", export.Material(), YEAR, options(lang="en")).placeholders()[0].text.startswith(
        "[To fill in: "
    )


# --------------------------------------------------------------------------- 10-year vault


@pytest.mark.parametrize("template", export.TEMPLATES)
def test_ten_year_vault_fills_every_section(ten_years: export.Material, template: str) -> None:
    doc = export.build(template, ten_years, YEAR, options(grade="qualified"))
    assert headings(doc) == SECTIONS[template]
    assert from_text_round_trip(doc)
    user_texts = {e.notes for e in ten_years.study if YEAR.contains(e.date)}
    if template in ("meeting", "study", "talk"):
        paragraphs = {b.text for b in doc.blocks if b.kind == model.PARAGRAPH}
        first_lines = {n.splitlines()[0] for n in user_texts}
        assert first_lines <= paragraphs  # every chosen 心得体会 is in, verbatim
    if template == "meeting":
        assert doc.placeholders() == []
        assert any(b.kind == model.TABLE for b in section(doc, "二、上次组织生活会整改落实情况"))
    if template == "study":
        assert doc.placeholders() == []
    if template == "appraisal":
        assert len(doc.placeholders()) == 5  # the five 主要表现 sub-sections are the user's to write


def from_text_round_trip(doc: model.Document) -> bool:
    return model.from_text(model.to_text(doc)).blocks == doc.blocks


def test_ten_year_meeting_puts_each_problem_under_one_aspect(ten_years: export.Material) -> None:
    for preset in ("seed", "sizi", "common"):
        aspects = export.aspects(preset)
        doc = export.build("meeting", ten_years, YEAR, options(aspects=aspects))
        problems = section(doc, "三、查摆的问题")
        listed = [b.text for b in problems if b.kind == model.PARAGRAPH and re.match(r"\d+\. ", b.text)]
        assert len(listed) == len({re.sub(r"^\d+\. ", "", t) for t in listed})
        subheads = [b.text for b in problems if b.kind == model.HEADING]
        assert subheads[: len(aspects)] == [f"（{chinese_numeral(i)}）{a.heading}" for i, a in enumerate(aspects, 1)]


def test_user_headings_and_placement(ten_years: export.Material) -> None:
    found = findings(ten_years, YEAR)
    first = found[0]
    aspects = export.custom_aspects(["我自己的方面一", "  ", "我自己的方面二"])
    doc = export.build("meeting", ten_years, YEAR, options(aspects=aspects, assign={first.key: 1}))
    problems = section(doc, "三、查摆的问题")
    heads = [b.text for b in problems if b.kind == model.HEADING]
    assert heads == ["（一）我自己的方面一", "（二）我自己的方面二", "（三）其他方面"]
    under_two = problems[[b.text for b in problems].index("（二）我自己的方面二") + 1]
    assert under_two.text.startswith("1. ")
    assert problems[[b.text for b in problems].index("（一）我自己的方面一") + 1].kind == model.PLACEHOLDER


def test_choices_cover_what_the_builders_use(ten_years: export.Material) -> None:
    for template in export.TEMPLATES:
        listed = export.choices(template, ten_years, YEAR, options())
        keys = [c.key for c in listed]
        assert len(keys) == len(set(keys)) and listed
        assert all(c.label and c.day for c in listed)
        everything_out = export.build(template, ten_years, YEAR, options(left_out=frozenset(keys), grade="qualified"))
        empty = export.build(template, export.Material(), YEAR, options(grade="qualified"))
        assert [b.text for b in everything_out.blocks] == [b.text for b in empty.blocks], template


def test_no_scoring_words_in_any_boilerplate() -> None:
    for lang in ("zh", "en"):
        raw = resources.files("selfcheck.export").joinpath(f"text.{lang}.toml").read_text(encoding="utf-8")
        for word in ("得分", "指数", "排名", "score", "index", "rank"):
            assert word not in raw.lower(), (lang, word)


def test_boilerplate_files_have_the_same_keys() -> None:
    def keys(data: dict, prefix: str = "") -> set[str]:
        out = set()
        for k, v in data.items():
            out |= keys(v, f"{prefix}{k}.") if isinstance(v, dict) else {prefix + k}
        return out

    files = {lang: tomllib.loads(resources.files("selfcheck.export").joinpath(f"text.{lang}.toml").read_text("utf-8"))
             for lang in ("zh", "en")}
    assert keys(files["zh"]) == keys(files["en"])
    for key in ("ledger_header",):
        assert len(files["zh"]["common"][key]) == len(files["en"]["common"][key])
    assert len(files["zh"]["appraisal"]["performance_aspects"]) == len(files["en"]["appraisal"]["performance_aspects"])


def test_presets_are_complete() -> None:
    presets = export.font_presets()
    assert list(presets)[0] == export.DEFAULT_FONT_PRESET == "gb2312"
    assert presets["gb2312"].title == "方正小标宋简体" and presets["gb2312"].body == "仿宋_GB2312"
    assert presets["gb2312"].kai == "楷体_GB2312" and presets["gb2312"].hei == "黑体"
    assert {"windows", "noto"} <= set(presets)
    for lang in ("zh", "en"):
        assert set(export.aspect_presets(lang)) == {"seed", "sizi", "common"}
        for name in ("seed", "sizi", "common"):
            assert all(a.heading for a in export.aspects(name, lang))
    assert [a.heading for a in export.aspects("common")][0] == "理论学习和政治素质方面"


def test_formatting_helpers() -> None:
    t = Text("zh")
    assert t.date("2025-03-01") == "2025年3月1日"
    assert Text("en").date("2025-03-01") == "1 March 2025"
    assert [chinese_numeral(n) for n in (1, 10, 11, 20, 21, 99)] == ["一", "十", "十一", "二十", "二十一", "九十九"]
    assert t.hours(90) == "1.5小时" and t.hours(120) == "2小时"
    assert export.parse_grade("合格") == "qualified" and export.parse_grade("基本合格") == "basically_qualified"
    assert export.parse_grade("Excellent (优秀)") == "excellent" and export.parse_grade("A") is None
    assert export.default_period("talk", "2026-11-27") == export.Period("2026-08-29", "2026-11-27")
    assert export.default_period("meeting", "2026-11-27") == YEAR
    with pytest.raises(ValueError):
        export.Period("2026-02-01", "2026-01-01")
    assert export.suggested_filename("meeting", "docx", YEAR) == "组织生活会对照检查材料-2025-2026.docx"
    assert export.suggested_filename("study", "md", export.Period.of_year(2025), "en") == "study-summary-2025.md"


def test_details_do_not_double_punctuation() -> None:
    t = Text("zh")
    assert t.details(["整改标准：按时办结。", "整改时限：2026年1月3日"]) == "（整改标准：按时办结。整改时限：2026年1月3日）"
    assert t.details(["出处", "", "个人自学"]) == "（出处；个人自学）"
    assert t.details(["", ""]) == ""
