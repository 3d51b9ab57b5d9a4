"""The export builders: every template's sections with an empty vault, with one record of each
kind and on the 10-year sample vault; placeholders where the user wrote nothing; the user's words
verbatim and nothing invented; 心得 and 摘抄 only when picked; no checklist statement or answer
label and no scoring anywhere; sample exports marked 示例; the appraisal grade only as the user
chose it. (The meeting outline's own rules are in test_export_meeting.py.)"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from selfcheck import export, synthetic
from selfcheck.checklists import ANSWER_OPTIONS, answer_label, load_builtin
from selfcheck.export import model
from selfcheck.export.content import Text, chinese_numeral
from selfcheck.store.journal import Journal
from selfcheck.store.models import (
    ActionItem,
    Answer,
    Assessment,
    Measure,
    Meeting,
    Problem,
    ProgressNote,
    StudyEntry,
    TalkNote,
)
from selfcheck.store.vault import KdfParams

TINY = KdfParams(t=1, m_kib=64, p=1)
PASS = "导出测试口令 export"
TODAY = "2026-11-27"
#: The 年度 an export made on TODAY is for (meeting, study, appraisal).
YEAR = export.Period.of_year(2026)
#: A talk's default period on TODAY: the last quarter.
QUARTER = export.Period("2026-08-29", TODAY)
TRICKY = "学习体会 [bold]强调[/] *x* <tag>&amp; # 井号 | 竖线 \\ 反斜杠"

#: Section headings (level 1) of each template on an empty vault, in order, in Chinese.
SECTIONS = {
    "meeting": ["一、学习情况和主要收获", "二、上年度组织生活会整改落实情况", "三、查摆的问题", "四、原因剖析", "五、整改措施"],
    "talk": [],
    "talkprep": ["一、近期思想和学习情况", "二、存在的问题和整改进展", "三、此前谈话的跟进事项", "四、希望交流的问题"],
    "study": ["一、总体情况", "二、主要学习内容", "三、存在的不足", "四、下一步打算"],
    "appraisal": ["一、一年来主要表现", "二、存在的问题和不足", "三、努力方向和整改措施", "四、自评等次"],
}
#: Words that would make a text read as a score (domain-notes §7.1).
SCORING_WORDS = ("得分", "指数", "排名", "score", "index", "rank")


def options(**kw) -> export.Options:
    return export.Options(today=TODAY, **kw)


def period_of(template: str, today: str = TODAY) -> export.Period:
    return export.default_period(template, today)


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal.create(tmp_path / "data", PASS, kdf=TINY)
    yield j
    j.close()


@pytest.fixture(scope="module")
def ten_years(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journal]:
    """The 10-year sample vault (synthetic.fill, ending on TODAY): one 组织生活会 a year from
    2016 to 2025, whose measures are rectification items raised at it."""
    j = Journal.create(tmp_path_factory.mktemp("ten") / "data", PASS, kdf=TINY)
    try:
        synthetic.fill(j, end=date(2026, 11, 27))
        yield j
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
    """One study entry, self-check, rectification item, talk and meeting, all in 2026 (TODAY's 年度)."""
    journal.add_study(
        StudyEntry(date="2026-10-01", title="学习党章 *第一章*", source="《中国共产党章程》", form="个人自学", minutes=45,
                   tags=["党章", "党内法规"], excerpt="党员必须履行下列义务 <原文>", notes=TRICKY + "\n第二段心得")
    )
    journal.save_assessment(
        Assessment(
            checklist_id="zizhong", started="2026-10-02T01:00:00Z", completed="2026-10-02T01:20:00Z",
            answers=[Answer("zz-01", "我清楚本单位关于“八小时以外”纪律作风的具体要求。", "no", "备注 <b>没记全</b>"),
                     Answer("zz-02", "八小时以外……", 1, "")],
            reflection="自查体会：**要** 常照镜子",
        )
    )
    journal.add_action(
        ActionItem(problem="问题 [red]联系群众[/] 不够", cause="宗旨意识 & 不够牢固", measure="每月走访 #2 次",
                   standard="群众满意", due="2026-12-31", kind="immediate", status="in_progress",
                   progress=[ProgressNote("2026-10-05", "已走访三户")], created="2026-05-01T02:00:00Z")
    )
    journal.add_talk(
        TalkNote(date="2026-10-10", place="支部 <会议室>", kind="组织生活会前谈心", counterpart_role="支部书记",
                 topic="查摆问题", heard="对方的话 [bold]x[/]", said="我的表态 | 竖线", followups="跟进：<整改>台账")
    )
    journal.save_meeting(
        Meeting(
            year=2026, date="2026-12-20", aspects=["政治信仰方面", "纪律作风方面"],
            problems=[Problem(aspect="纪律作风方面", text="会上的问题 " + TRICKY, example="事例 [bold]x[/]",
                              cause="原因 [red]y[/]", measures=[Measure(text="措施 #1", due="2027-06-30")])],
        )
    )


def material(journal: Journal, period: export.Period | None = None) -> export.Material:
    return export.Material.from_journal(journal, period)


def opt_in_keys(template: str, m: export.Material, period: export.Period) -> frozenset[str]:
    return frozenset(c.key for c in export.choices(template, m, period, options()) if not c.default)


# --------------------------------------------------------------------------- empty vault


@pytest.mark.parametrize("template", export.TEMPLATES)
def test_empty_vault_gives_every_section_with_a_placeholder(journal: Journal, template: str) -> None:
    period = period_of(template)
    doc = export.build(template, material(journal, period), period, options())
    assert headings(doc) == SECTIONS[template]
    assert doc.blocks[0].kind == model.TITLE
    for heading in SECTIONS[template]:
        assert any(b.kind == model.PLACEHOLDER for b in section(doc, heading)), heading
    assert doc.placeholders()
    for block in doc.placeholders():
        assert block.text.startswith("【请填写：") and block.text.endswith("】")
    # Nothing but headings, boilerplate and placeholders: no numbered user content at all.
    assert not [b for b in doc.blocks if b.kind == model.PARAGRAPH and re.match(r"\d+\. ", b.text)]
    assert not [b for b in doc.blocks if b.kind in (model.TABLE, model.QUOTE)]


def test_empty_talk_record_is_one_placeholder(journal: Journal) -> None:
    doc = export.build("talk", material(journal), QUARTER, options())
    assert [b.text for b in doc.blocks] == ["谈心谈话记录", "（2026年8月29日至2026年11月27日）", "【请填写：本期谈心谈话的记录】"]


def test_empty_appraisal_leaves_blanks_for_the_profile_and_keeps_the_signature_last(journal: Journal) -> None:
    doc = export.build("appraisal", material(journal, YEAR), YEAR, options())
    assert doc.title == "2026年度民主评议党员个人自评材料"
    fields = [b.text for b in doc.blocks[1:5]]
    assert [f.split("：")[0] for f in fields] == ["姓名", "所在党支部", "入党时间", "现任职务"]
    assert all(f.split("：")[1].strip("　") == "" and f.split("：")[1] for f in fields)  # a visible blank line
    assert headings(doc, 2) == [f"（{chinese_numeral(i)}）{a}" for i, a in enumerate(
        ["理想信念方面", "政治理论素质方面", "组织纪律方面", "廉洁自律方面", "联系服务群众方面", "发挥先锋模范作用方面"], 1)]
    assert [b.kind for b in doc.blocks[-3:]] == [model.PLACEHOLDER, model.SIGNATURE, model.SIGNATURE]


# --------------------------------------------------------------------------- one of each


def test_talk_records_each_talk_verbatim(journal: Journal) -> None:
    one_of_each(journal)
    doc = export.build("talk", material(journal), QUARTER, options())
    assert headings(doc) == ["一、2026年10月10日谈心谈话"]
    texts = list(doc.texts())
    for line in ("谈话时间：2026年10月10日", "谈话地点：支部 <会议室>", "谈话对象：支部书记",
                 "谈话类型：组织生活会前谈心", "谈话主题：查摆问题"):
        assert line in texts
    assert headings(doc, 2) == ["（一）对方谈的意见", "（二）本人的认识与表态", "（三）后续跟进"]
    for said in ("对方的话 [bold]x[/]", "我的表态 | 竖线", "跟进：<整改>台账"):
        assert said in texts
    assert doc.placeholders() == []
    # A talk the user leaves out is not printed.
    talk_id = material(journal).talks[0].id
    assert export.build("talk", material(journal), QUARTER, options(left_out=frozenset({talk_id}))).placeholders()


def test_talk_preparation_lists_what_moved_and_never_names_the_other_person(journal: Journal) -> None:
    one_of_each(journal)
    m = material(journal)
    doc = export.build("talkprep", m, QUARTER, options(questions=("想请教 <如何> 改进",)))
    texts = list(doc.texts())
    assert headings(doc) == SECTIONS["talkprep"]
    assert "1. 问题 [red]联系群众[/] 不够（整改中）" in texts and "最新进展：2026年10月5日：已走访三户" in texts
    assert "1. 跟进：<整改>台账" in texts and "1. 想请教 <如何> 改进" in texts
    # Reflections and 心得 are out unless picked …
    assert "自查体会：**要** 常照镜子" not in texts and TRICKY not in texts
    picked = export.build("talkprep", m, QUARTER, options(picked=opt_in_keys("talkprep", m, QUARTER)))
    assert "自查体会：**要** 常照镜子" in list(picked.texts()) and TRICKY in list(picked.texts())
    # … and the other person of a talk is never named, nor what they said.
    joined = "\n".join(picked.texts())
    assert "支部书记" not in joined and "对方的话" not in joined


def test_study_summary_is_totals_and_topics_with_notes_only_when_picked(journal: Journal) -> None:
    one_of_each(journal)
    m = material(journal, YEAR)
    doc = export.build("study", m, YEAR, options())
    assert doc.blocks[1].text == "（2026年1月1日至2026年12月31日）"
    assert headings(doc) == SECTIONS["study"]
    table = next(b for b in doc.blocks if b.kind == model.TABLE)
    assert table.rows == (("学习形式", "次数", "时长（分钟）"), ("个人自学", "1", "45"), ("合计", "1", "45"))
    assert "按主题统计，主要学习了党内法规（1次）、党章（1次）。" in list(doc.texts())
    assert TRICKY not in list(doc.texts()) and not [b for b in doc.blocks if b.kind == model.QUOTE]
    entry = m.study[0]
    listed = export.choices("study", m, YEAR, options())
    assert [(c.key, c.section, c.default) for c in listed] == [
        (f"{entry.id}#excerpt", "excerpt", False), (f"{entry.id}#notes", "notes", False)
    ]
    doc = export.build("study", m, YEAR, options(picked=frozenset({f"{entry.id}#notes"})))
    assert headings(doc)[2:4] == ["三、心得体会", "四、存在的不足"]
    assert TRICKY in list(doc.texts()) and "第二段心得" in list(doc.texts())
    doc = export.build("study", m, YEAR, options(picked=opt_in_keys("study", m, YEAR)))
    assert [b.text for b in doc.blocks if b.kind == model.QUOTE] == ["党员必须履行下列义务 <原文>", "——《中国共产党章程》"]


def test_meeting_with_one_of_each_prints_only_the_meeting_record(journal: Journal) -> None:
    one_of_each(journal)
    m = material(journal, YEAR)
    doc = export.build("meeting", m, YEAR, options())
    texts = list(doc.texts())
    assert doc.blocks[1].text == "（2026年12月20日）"  # the meeting's date
    assert "会上的问题 " + TRICKY in [re.sub(r"^\d+\. ", "", t) for t in texts]
    assert "事例 [bold]x[/]" in texts and "1. 原因 [red]y[/]" in texts
    assert "1. 措施 #1（整改时限：2027年6月30日）" in texts
    # The rectification item raised by hand and the self-check are not problems of the meeting.
    joined = "\n".join(texts)
    assert "联系群众" not in joined and "八小时以外" not in joined
    assert TRICKY not in texts  # the 心得 is out unless picked
    picked = export.build("meeting", m, YEAR, options(picked=opt_in_keys("meeting", m, YEAR)))
    assert TRICKY in list(picked.texts()) and "第二段心得" in list(picked.texts())


def test_appraisal_takes_profile_problems_and_measures_and_the_users_grade(journal: Journal) -> None:
    one_of_each(journal)
    m = material(journal, YEAR)
    doc = export.build("appraisal", m, YEAR, options(name="张三", branch="第一党支部 [bold]", joined="2010年7月",
                                                     position="科员"))
    texts = list(doc.texts())
    assert texts[1:5] == ["姓名：张三", "所在党支部：第一党支部 [bold]", "入党时间：2010年7月", "现任职务：科员"]
    assert section(doc, "二、存在的问题和不足")[0].text == "1. 会上的问题 " + TRICKY
    assert section(doc, "三、努力方向和整改措施")[0].text == "1. 措施 #1"
    grade = section(doc, "四、自评等次")
    assert grade[0].kind == model.PLACEHOLDER and "优秀／合格／基本合格／不合格" in grade[0].text
    for code, label in (("excellent", "优秀"), ("basically_qualified", "基本合格"), ("unqualified", "不合格")):
        doc = export.build("appraisal", m, YEAR, options(grade=code))
        assert section(doc, "四、自评等次")[0].text == f"本人自评等次：{label}（本人自评，供组织评定参考）"
        # The grade and the signature lines stay together at the end.
        assert [b.kind for b in doc.blocks[-3:]] == [model.PARAGRAPH, model.SIGNATURE, model.SIGNATURE]
    # No app usage: no counts of self-checks, no self-check titles.
    joined = "\n".join(doc.texts())
    assert "自查" not in joined and "自重" not in joined and "本期完成" not in joined
    with pytest.raises(ValueError):
        export.build("appraisal", m, YEAR, options(grade="由答案推算"))


def test_appraisal_grade_never_comes_from_the_answers(journal: Journal) -> None:
    # All answers "no": still no grade unless the user picks one.
    journal.save_assessment(Assessment(checklist_id="zizhong", completed="2026-04-02T01:20:00Z",
                                       answers=[Answer(f"zz-0{i}", "p", "no") for i in range(1, 6)]))
    doc = export.build("appraisal", material(journal, YEAR), YEAR, options())
    texts = "\n".join(doc.texts())
    assert "本人自评等次" not in texts
    for word in ("不合格", "基本合格", "优秀"):
        assert word not in texts.replace("优秀／合格／基本合格／不合格", "")


def test_english_boilerplate(journal: Journal) -> None:
    one_of_each(journal)
    m = material(journal, YEAR)
    doc = export.build("meeting", m, YEAR, options(lang="en"))
    assert headings(doc)[0] == "1. Study and what I gained"
    assert doc.title == "Self-examination statement for the 2026 organisational-life meeting"
    assert doc.blocks[1].text == "(20 December 2026)"
    assert "1. 会上的问题 " + TRICKY in list(doc.texts())
    talk = export.build("talk", material(journal), QUARTER, options(lang="en"))
    assert "Place: 支部 <会议室>" in list(talk.texts()) and "对方的话 [bold]x[/]" in list(talk.texts())
    for template in export.TEMPLATES:
        empty = export.build(template, export.Material(), period_of(template), options(lang="en"))
        assert empty.placeholders() and all(b.text.startswith("[To fill in: ") for b in empty.placeholders())
        assert not re.search(r"[\u4e00-\u9fff]", "\n".join(empty.texts())), template  # no Chinese boilerplate


# --------------------------------------------------------------------------- 10-year vault


@pytest.mark.parametrize("template", export.TEMPLATES)
def test_ten_year_vault_builds_and_round_trips(ten_years: Journal, template: str) -> None:
    period = period_of(template)
    m = material(ten_years, period)
    doc = export.build(template, m, period, options(grade="qualified"))
    assert model.from_text(model.to_text(doc)).blocks == doc.blocks
    listed = export.choices(template, m, period, options())
    keys = [c.key for c in listed]
    assert len(keys) == len(set(keys)) and all(c.label and c.day for c in listed)
    # By default no 心得 or 摘抄 is printed: they are the user's to pick, a handful at most.
    notes = {line for e in m.study for line in model.split_lines(e.notes)}
    paragraphs = {b.text for b in doc.blocks if b.kind == model.PARAGRAPH}
    assert not notes & paragraphs
    assert not [b for b in doc.blocks if b.kind == model.QUOTE]


def test_ten_year_vault_picks_a_handful_of_notes(ten_years: Journal) -> None:
    period = export.Period.of_year(2025)
    m = material(ten_years, period)
    for template in ("meeting", "study"):
        notes = [c for c in export.choices(template, m, period, options()) if c.section == "notes"]
        assert notes and not any(c.default for c in notes)
        handful = notes[:3]
        doc = export.build(template, m, period, options(picked=frozenset(c.key for c in handful)))
        paragraphs = [b.text for b in doc.blocks if b.kind == model.PARAGRAPH]
        by_id = {e.id: e for e in m.study}
        for c in handful:
            assert model.split_lines(by_id[c.key.removesuffix("#notes")].notes)[0] in paragraphs
        others = {line for c in notes[3:] for line in model.split_lines(by_id[c.key.removesuffix("#notes")].notes)}
        picked_lines = {line for c in handful for line in model.split_lines(by_id[c.key.removesuffix("#notes")].notes)}
        assert not (others - picked_lines) & set(paragraphs)


def _answer_labels() -> set[str]:
    labels = set()
    for kind, values in ANSWER_OPTIONS.items():
        for value in values:
            for lang in ("zh", "en"):
                labels.add(answer_label(kind, value, lang))
    return {label for label in labels if label.strip()}


def _every_export(journal: Journal) -> Iterator[tuple[str, str, model.Document]]:
    """Every template in both languages, for the default period and 2025, with defaults and with
    every opt-in choice picked."""
    for template in export.TEMPLATES:
        for period in (period_of(template), export.Period.of_year(2025)):
            m = material(journal, period)
            everything = opt_in_keys(template, m, period)
            for lang in ("zh", "en"):
                for picked in (frozenset(), everything):
                    yield template, lang, export.build(template, m, period, options(lang=lang, picked=picked))


def test_no_export_prints_a_checklist_statement_or_an_answer_label(ten_years: Journal) -> None:
    statements = {item.text_in(lang) for c in load_builtin() for item in c.items for lang in ("zh", "en")}
    statements = {s for s in statements if s.strip()}
    labels = _answer_labels()
    assert {"否", "是", "基本做到", "No", "Yes"} <= labels and "2 有差距" in labels
    for template, lang, doc in _every_export(ten_years):
        text = "\n".join(doc.texts())
        for glued in ("——否", "——基本做到", "——是"):
            assert glued not in text, (template, lang, glued)
        for label in labels:
            assert "——" + label not in text and " — " + label not in text, (template, lang, label)
            if label[:1].isdigit():  # a rating label ("2 有差距") reads as a self-score anywhere
                assert label not in text, (template, lang, label)
        found = [s for s in statements if s in text]
        assert not found, (template, lang, found[:3])


def test_no_export_prints_a_checklist_statement_from_one_of_each(journal: Journal) -> None:
    one_of_each(journal)
    for template in export.TEMPLATES:
        period = period_of(template)
        m = material(journal, period)
        doc = export.build(template, m, period, options(picked=opt_in_keys(template, m, period)))
        text = "\n".join(doc.texts())
        assert "八小时以外" not in text and "——否" not in text and "1 差距较大" not in text, template


@pytest.mark.parametrize("template", export.TEMPLATES)
def test_sample_exports_say_so_in_their_title(ten_years: Journal, template: str) -> None:
    period = period_of(template)
    m = material(ten_years, period)
    zh = export.build(template, m, period, options(sample=True))
    en = export.build(template, m, period, options(lang="en", sample=True))
    assert zh.title.startswith("【示例】") and "示例" in zh.title
    assert en.title.startswith("[SAMPLE] ")
    assert "示例" not in export.build(template, m, period, options()).title
    assert export.suggested_filename(template, "docx", period, sample=True).startswith("示例-")
    assert export.suggested_filename(template, "md", period, "en", sample=True).startswith("SAMPLE-")
    assert not export.suggested_filename(template, "docx", period).startswith("示例")


# --------------------------------------------------------------------------- the 年度 rule


@pytest.mark.parametrize(
    "today, year",
    [("2026-03-31", 2025), ("2026-04-01", 2026), ("2026-01-01", 2025), ("2026-12-31", 2026), ("2025-12-31", 2025)],
)
def test_default_year_across_the_year_boundary(today: str, year: int) -> None:
    assert export.default_year(today) == year
    assert export.default_year(date.fromisoformat(today)) == year
    for template in ("meeting", "study", "appraisal"):
        assert export.default_period(template, today) == export.Period.of_year(year)


def test_default_period() -> None:
    assert export.default_period("meeting", "2026-02-10") == export.Period.of_year(2025)
    assert export.default_period("meeting", "2026-11-27") == YEAR
    assert export.default_period("talk", "2026-11-27") == QUARTER
    assert export.default_period("talkprep", "2026-02-10") == export.Period("2025-11-12", "2026-02-10")


# --------------------------------------------------------------------------- data files


def test_no_scoring_words_in_any_boilerplate() -> None:
    for lang in ("zh", "en"):
        raw = resources.files("selfcheck.export").joinpath(f"text.{lang}.toml").read_text(encoding="utf-8")
        for word in SCORING_WORDS:
            assert word not in raw.lower(), (lang, word)


def test_no_scoring_words_in_the_sample_exports(ten_years: Journal) -> None:
    for template, lang, doc in _every_export(ten_years):
        boilerplate = [b.text for b in doc.blocks if b.kind in (model.TITLE, model.HEADING, model.PLACEHOLDER, model.NOTE)]
        for word in SCORING_WORDS:
            assert not any(word in t.lower() for t in boilerplate), (template, lang, word)


def test_boilerplate_files_have_the_same_keys() -> None:
    def keys(data: dict, prefix: str = "") -> set[str]:
        out = set()
        for k, v in data.items():
            out |= keys(v, f"{prefix}{k}.") if isinstance(v, dict) else {prefix + k}
        return out

    files = {lang: tomllib.loads(resources.files("selfcheck.export").joinpath(f"text.{lang}.toml").read_text("utf-8"))
             for lang in ("zh", "en")}
    assert keys(files["zh"]) == keys(files["en"])
    for lang in ("zh", "en"):
        assert set(files[lang]["templates"]) == set(export.TEMPLATES)
        assert set(export.TEMPLATES) <= set(files[lang]["filenames"])
    assert len(files["zh"]["appraisal"]["performance_aspects"]) == len(files["en"]["appraisal"]["performance_aspects"]) == 6
    assert len(files["zh"]["study"]["forms_header"]) == len(files["en"]["study"]["forms_header"])


def test_presets_are_complete() -> None:
    presets = export.font_presets()
    assert list(presets)[0] == export.DEFAULT_FONT_PRESET == "gb2312"
    assert presets["gb2312"].title == "方正小标宋简体" and presets["gb2312"].body == "仿宋_GB2312"
    assert presets["gb2312"].kai == "楷体_GB2312" and presets["gb2312"].hei == "黑体"
    assert {"windows", "noto"} <= set(presets)
    names = {"seed", "notice2024", "sizi", "common"}
    for lang in ("zh", "en"):
        assert set(export.aspect_presets(lang)) == names
        for name in names:
            assert all(a.heading for a in export.aspects(name, lang))
    assert [a.heading for a in export.aspects("common")][0] == "理论学习和政治素质方面"
    assert [a.heading for a in export.aspects("notice2024")] == [
        "政治信仰方面", "党员意识方面", "理论学习方面", "能力本领方面", "作用发挥方面", "纪律作风方面"
    ]
    assert len(export.aspects("notice2024", "en")) == 6


def test_formatting_helpers() -> None:
    t = Text("zh")
    assert t.date("2025-03-01") == "2025年3月1日"
    assert Text("en").date("2025-03-01") == "1 March 2025"
    assert [chinese_numeral(n) for n in (1, 10, 11, 20, 21, 99)] == ["一", "十", "十一", "二十", "二十一", "九十九"]
    assert t.hours(90) == "1.5小时" and t.hours(120) == "2小时"
    assert export.parse_grade("合格") == "qualified" and export.parse_grade("基本合格") == "basically_qualified"
    assert export.parse_grade("Excellent (优秀)") == "excellent" and export.parse_grade("A") is None
    with pytest.raises(ValueError):
        export.Period("2026-02-01", "2026-01-01")
    assert export.suggested_filename("meeting", "docx", YEAR) == "组织生活会对照检查材料-2026.docx"
    assert export.suggested_filename("meeting", "docx", export.Period("2025-11-28", TODAY)) == "组织生活会对照检查材料-2025-2026.docx"
    assert export.suggested_filename("study", "md", export.Period.of_year(2025), "en") == "study-summary-2025.md"
    assert export.suggested_filename("talk", "txt", QUARTER) == "谈心谈话记录-2026.txt"
    assert export.suggested_filename("talkprep", "md", QUARTER) == "谈心谈话准备提纲-2026.md"
    assert export.suggested_filename("appraisal", "docx", YEAR, sample=True) == "示例-民主评议个人自评-2026.docx"


def test_details_do_not_double_punctuation() -> None:
    t = Text("zh")
    assert t.details(["整改标准：按时办结。", "整改时限：2026年1月3日"]) == "（整改标准：按时办结。整改时限：2026年1月3日）"
    assert t.details(["出处", "", "个人自学"]) == "（出处；个人自学）"
    assert t.details(["", ""]) == ""
