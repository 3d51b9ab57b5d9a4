"""The 组织生活会 outline built from the meeting record: 上年度整改 is exactly the items raised at the
previous meeting; 三/四/五 are the user's problems, causes and measures under the year's 方面, with a
visible 【请填写】 wherever the user wrote nothing; the title's 年度 and the date line come from the
meeting; and on the 10-year sample the outline is sized like the real thing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from selfcheck import export, synthetic
from selfcheck.export import model
from selfcheck.export.textwriters import to_plain_text
from selfcheck.store.journal import Journal
from selfcheck.store.models import ActionItem, Measure, Meeting, Problem, ProgressNote
from selfcheck.store.vault import KdfParams

TINY = KdfParams(t=1, m_kib=64, p=1)
PASS = "会前准备 口令 pass"
TODAY = "2026-11-27"
YEAR = export.Period.of_year(2026)
TRICKY = "问题 [bold]强调[/] *x* <tag>&amp; # 井号 | 竖线 \\ 反斜杠"
RECTIFICATION = "二、上年度组织生活会整改落实情况"
#: What the issue asks of the outline on the 10-year sample with the defaults.
MAX_CHARS = 6000
WANTED_SHARE = 0.60


def options(**kw) -> export.Options:
    return export.Options(today=TODAY, **kw)


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal.create(tmp_path / "data", PASS, kdf=TINY)
    yield j
    j.close()


def sample(tmp_path_factory: pytest.TempPathFactory, end: date) -> Iterator[Journal]:
    j = Journal.create(tmp_path_factory.mktemp("sample") / "data", PASS, kdf=TINY)
    try:
        synthetic.fill(j, end=end)
        yield j
    finally:
        j.close()


@pytest.fixture(scope="module")
def ten_years(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journal]:
    """The 10-year sample ending on TODAY (meetings for 2016–2025; 2026's not prepared yet)."""
    yield from sample(tmp_path_factory, date(2026, 11, 27))


@pytest.fixture(scope="module")
def in_season(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journal]:
    """The 10-year sample ending on 31 March 2026: the season of the 2025 meeting, which is then
    the default 年度 and has its record."""
    yield from sample(tmp_path_factory, date(2026, 3, 31))


def section(doc: model.Document, heading: str) -> list[model.Block]:
    start = next(i for i, b in enumerate(doc.blocks) if b.kind == model.HEADING and b.level == 1 and b.text == heading)
    out = []
    for b in doc.blocks[start + 1 :]:
        if b.kind == model.HEADING and b.level == 1:
            break
        out.append(b)
    return out


def numbered(blocks: list[model.Block]) -> list[str]:
    """The texts of numbered paragraphs, without their numbers."""
    return [re.sub(r"^\d+\. ", "", b.text) for b in blocks if b.kind == model.PARAGRAPH and re.match(r"\d+\. ", b.text)]


def build(journal: Journal, period: export.Period = YEAR, **kw) -> model.Document:
    return export.build("meeting", export.Material.from_journal(journal, period), period, options(**kw))


def prepared(journal: Journal, year: int, *problems: Problem, **kw) -> Meeting:
    """A meeting of ``year`` whose measures became rectification items (as the 会前准备 flow finishes)."""
    return journal.finish_meeting(journal.save_meeting(Meeting(year=year, problems=list(problems), **kw)))


def problem(text: str, *measures: str, aspect: str = "", cause: str = "原因") -> Problem:
    return Problem(aspect=aspect, text=text, cause=cause, measures=[Measure(text=m) for m in measures])


# --------------------------------------------------------------------------- 上年度整改


def test_last_years_rectification_is_exactly_the_items_raised_at_the_previous_meeting(journal: Journal) -> None:
    prepared(journal, 2024, problem("前年的问题", "前年的措施"))
    last = prepared(journal, 2025, problem("去年的问题一", "去年的措施一"), problem("去年的问题二", "去年的措施二"),
                    problem("去年的问题三", "去年的措施三"))
    journal.add_action(ActionItem(problem="手工记下的问题", measure="手工措施"))
    journal.add_action(ActionItem(problem="谈话中提出的问题", origin={"kind": "talk", "id": "t1"}))
    raised = [a for a in journal.actions() if a.raised_at(last.id)]
    assert len(raised) == 3
    done = next(a for a in raised if a.problem == "去年的问题二")
    journal.update_action(replace(done, status="done", done_date="2026-03-01", progress=[ProgressNote("2026-02-01", "推进中")]))
    first = next(a for a in raised if a.problem == "去年的问题一")
    journal.save_meeting(Meeting(year=2026, carried={first.id: "落实情况 " + TRICKY}))

    part = section(build(journal), RECTIFICATION)
    assert sorted(numbered(part)) == ["去年的问题一（未开始）", "去年的问题三（未开始）", "去年的问题二（已完成）"]
    assert part[0].text == "上年度组织生活会查摆的问题共3项，截至2026年11月27日，已完成1项、未开始2项。具体如下："
    texts = [b.text for b in part]
    assert "落实情况 " + TRICKY in texts
    assert [b.kind for b in part].count(model.PLACEHOLDER) == 2  # 落实情况 still to write for the other two
    joined = "\n".join(texts)
    for other in ("前年的问题", "手工记下的问题", "谈话中提出的问题"):
        assert other not in joined


def test_status_is_the_one_at_the_end_of_the_year(journal: Journal) -> None:
    last = prepared(journal, 2025, problem("去年的问题", "去年的措施"))
    item = next(a for a in journal.actions() if a.raised_at(last.id))
    # Closed only after the 年度 ended: it was in progress at its end.
    journal.update_action(replace(item, status="done", done_date="2027-01-05", progress=[ProgressNote("2026-06-01", "推进中")]))
    part = section(build(journal), RECTIFICATION)
    assert numbered(part) == ["去年的问题（整改中）"]


def test_first_meeting_and_a_previous_meeting_without_items(journal: Journal) -> None:
    journal.add_action(ActionItem(problem="手工记下的问题"))
    part = section(build(journal), RECTIFICATION)
    assert [b.kind for b in part] == [model.PLACEHOLDER] and "没有上年度的记录" in part[0].text
    journal.save_meeting(Meeting(year=2025, problems=[Problem(text="没有措施的问题")]))
    part = section(build(journal), RECTIFICATION)
    assert [b.kind for b in part] == [model.PLACEHOLDER] and "未记入整改清单" in part[0].text


def test_ten_year_sample_lists_exactly_the_previous_meetings_items(ten_years: Journal) -> None:
    meetings = {m.year: m for m in ten_years.meetings()}
    assert sorted(meetings) == list(range(2016, 2026))
    actions = ten_years.actions()
    for year in range(2017, 2027):
        previous = meetings[year - 1]
        expected = [a for a in actions if a.raised_at(previous.id)]
        assert expected
        part = section(build(ten_years, export.Period.of_year(year)), RECTIFICATION)
        listed = numbered(part)
        assert len(listed) == len(expected), year
        assert sorted(re.sub(r"（[^（）]*(（[^（）]*）)?）$", "", t) for t in listed) == sorted(a.problem for a in expected)
        assert f"共{len(expected)}项" in part[0].text, year
        # The user's 落实情况 of the meeting being prepared, where there is a record of it.
        if year in meetings:
            for note in meetings[year].carried.values():
                assert note in [b.text for b in part]


# --------------------------------------------------------------------------- 三、四、五


def test_problems_causes_and_measures_are_the_users_own_under_the_years_aspects(journal: Journal) -> None:
    journal.save_meeting(
        Meeting(
            year=2026, date="2026-12-20", aspects=["政治信仰方面", "党员意识方面", "纪律作风方面"],
            problems=[
                Problem(aspect="政治信仰方面", text=TRICKY, example="事例 [bold]x[/]\n第二行事例", cause="原因 [red]y[/]",
                        measures=[Measure(text="措施 #1", due="2027-06-30", standard="标准 <a>"), Measure(text="措施二")]),
                Problem(aspect="", text="没有归入方面的问题"),
                Problem(aspect="纪律作风方面", example="只写了事例"),
                Problem(aspect="纪律作风方面"),  # nothing written: not a problem yet
            ],
        )
    )
    doc = build(journal)
    assert doc.title == "关于2026年度组织生活会个人对照检查材料" and doc.blocks[1].text == "（2026年12月20日）"
    problems = section(doc, "三、查摆的问题")
    assert [b.text for b in problems if b.kind == model.HEADING] == [
        "（一）政治信仰方面", "（二）党员意识方面", "（三）纪律作风方面", "（四）其他方面"
    ]
    assert [b.text for b in problems] == [
        "（一）政治信仰方面", "1. " + TRICKY, "事例 [bold]x[/]", "第二行事例",
        "（二）党员意识方面", "【请填写：本方面查摆的问题，写明具体表现和事例】",
        "（三）纪律作风方面", "1. 【请填写：问题的具体表现】", "只写了事例",
        "（四）其他方面", "1. 没有归入方面的问题", "【请填写：具体事例】",
    ]
    assert [b.text for b in section(doc, "四、原因剖析")] == [
        "1. 原因 [red]y[/]", "【请填写：“没有归入方面的问题”产生的原因】", "【请填写：“只写了事例”产生的原因】"
    ]
    assert [b.text for b in section(doc, "五、整改措施")] == [
        "1. 措施 #1（整改标准：标准 <a>；整改时限：2027年6月30日）", "2. 措施二",
        "【请填写：针对“没有归入方面的问题”的整改措施和时限】", "【请填写：针对“只写了事例”的整改措施和时限】",
        "以上发言，不妥之处，请同志们批评指正。",
    ]
    # The user's words survive the plain-text writer as typed.
    plain = to_plain_text(doc)
    for words in (TRICKY, "事例 [bold]x[/]", "原因 [red]y[/]", "标准 <a>"):
        assert words in plain


def test_general_causes_are_printed_under_their_headings(journal: Journal) -> None:
    journal.save_meeting(Meeting(year=2026, causes={"党性修养方面": "党性锻炼 [bold]松劲[/]", "我自己的标题": "另一条原因"},
                                 problems=[problem("一个问题", "一个措施", cause="")]))
    causes = section(build(journal), "四、原因剖析")
    assert [b.text for b in causes] == ["（一）党性修养方面", "党性锻炼 [bold]松劲[/]", "（二）我自己的标题", "另一条原因"]


def test_a_meeting_without_aspects_uses_the_chosen_preset(journal: Journal) -> None:
    journal.save_meeting(Meeting(year=2026, problems=[problem("作用发挥不够", "多联系群众", aspect="作用发挥方面")]))
    doc = build(journal, aspects=export.aspects("notice2024"))
    heads = [b.text for b in section(doc, "三、查摆的问题") if b.kind == model.HEADING]
    assert heads == ["（一）政治信仰方面", "（二）党员意识方面", "（三）理论学习方面", "（四）能力本领方面",
                     "（五）作用发挥方面", "（六）纪律作风方面"]
    part = section(doc, "三、查摆的问题")
    assert part[[b.text for b in part].index("（五）作用发挥方面") + 1].text == "1. 作用发挥不够"


def test_the_meeting_names_the_year_and_the_date(journal: Journal) -> None:
    last = journal.save_meeting(Meeting(year=2025, date="2026-02-20"))
    # Prepared in January–March, the default 年度 is last year, and the date line is the meeting's.
    period = export.default_period("meeting", "2026-02-10")
    assert period == export.Period.of_year(2025)
    doc = build(journal, period)
    assert doc.title == "关于2025年度组织生活会个人对照检查材料" and doc.blocks[1].text == "（2026年2月20日）"
    # A meeting given explicitly wins over the period's year; without a date the line is today's.
    doc = build(journal, YEAR, meeting=Meeting(year=2024), name="张三")
    assert doc.title == "张三同志在2024年度组织生活会上的发言提纲" and doc.blocks[1].text == "（2026年11月27日）"
    doc = build(journal, period, meeting=last, sample=True, lang="en")
    assert doc.title == "[SAMPLE] Self-examination statement for the 2025 organisational-life meeting"


def test_every_problem_of_the_sample_has_a_cause_and_a_measure_or_a_placeholder(ten_years: Journal) -> None:
    for m in ten_years.meetings():
        doc = build(ten_years, export.Period.of_year(m.year))
        texts = list(doc.texts())
        problems = numbered(section(doc, "三、查摆的问题"))
        causes = [b.text for b in section(doc, "四、原因剖析")]
        measures = [b.text for b in section(doc, "五、整改措施")]
        assert len(problems) == len(m.problems), m.year
        for p in m.problems:
            assert p.text in problems and p.example in texts, m.year
            assert any(p.cause in c for c in causes) or any(p.text[:8] in c and c.startswith("【") for c in causes)
            for measure in p.measures:
                assert any(measure.text in t for t in measures), (m.year, measure.text)
            if not p.measures:
                assert any(c.startswith("【") and p.text[:8] in c for c in measures)
        for heading, text in m.causes.items():
            assert text in causes and any(heading in c for c in causes)


# --------------------------------------------------------------------------- size


def section_shares(doc: model.Document) -> tuple[int, float]:
    """All the characters of the document's texts (title, date line, opening and closing
    included; table cells too) and the share of them in 三、查摆的问题 / 四、原因剖析 /
    五、整改措施 (their headings included, the closing line not)."""
    chars: dict[str, int] = {}
    current = ""
    closing = model.paragraph(export.build("meeting", export.Material(), YEAR, options(lang=doc.lang)).blocks[-1].text)
    for block in doc.blocks:
        if block.kind == model.HEADING and block.level == 1:
            current = block.text[:1]
        texts = [c for row in block.rows for c in row] if block.kind == model.TABLE else [block.text]
        key = "" if block == closing else current
        chars[key] = chars.get(key, 0) + sum(len(t) for t in texts)
    total = sum(chars.values())
    return total, sum(chars.get(k, 0) for k in ("三", "四", "五", "3", "4", "5")) / total


def test_ten_year_sample_meeting_is_sized_like_the_real_thing(in_season: Journal, ten_years: Journal) -> None:
    # Defaults on the sample in the meeting season: the 2025 年度, its meeting record.
    period = export.default_period("meeting", "2026-03-31")
    assert period == export.Period.of_year(2025)
    figures = {}
    for label, journal, p, today in (
        ("2026-03-31 defaults (2025)", in_season, period, "2026-03-31"),
        ("2026-11-27 --year 2025", ten_years, export.Period.of_year(2025), TODAY),
        ("2026-11-27 defaults (2026, no record yet)", ten_years, YEAR, TODAY),
    ):
        material = export.Material.from_journal(journal, p)
        doc = export.build("meeting", material, p, export.Options(today=today))
        total, share = section_shares(doc)
        figures[label] = (total, share, len(to_plain_text(doc)))
        print(f"meeting outline, 10-year sample, {label}: {total} characters, {share:.1%} in 三/四/五, "
              f"{len(doc.placeholders())} placeholders")
        assert total <= MAX_CHARS, label
    for label in ("2026-03-31 defaults (2025)", "2026-11-27 --year 2025"):
        total, share, _ = figures[label]
        assert share >= WANTED_SHARE, (label, share)


def test_aspects_listed_twice_print_once_and_none_list_the_problems_plainly() -> None:
    problem = Problem(aspect="理论学习方面", text="P", example="E", cause="C", measures=[Measure(text="M")])
    twice = Meeting(year=2026, aspects=["理论学习方面", "纪律作风方面", "理论学习方面"], problems=[problem])
    doc = export.build("meeting", export.Material(meetings=[twice]), export.Period.of_year(2026), export.Options(today=TODAY))
    texts = list(doc.texts())
    assert texts.count("1. P") == 1 and sum("理论学习方面" in t for t in texts) == 1
    plain = Meeting(year=2026, aspects=[], problems=[problem])
    doc = export.build("meeting", export.Material(meetings=[plain]), export.Period.of_year(2026), export.Options(today=TODAY))
    part = section(doc, "三、查摆的问题")
    assert [b.text for b in part][:2] == ["1. P", "E"] and not any(b.kind == "heading" for b in part)
