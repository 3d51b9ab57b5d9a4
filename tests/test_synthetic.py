"""The sample-data generator: deterministic, valid, within its dates, and loadable in one commit."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from selfcheck import synthetic
from selfcheck.store.exchange import TABLES, parse_import
from selfcheck.store.journal import Journal
from selfcheck.store.models import ACTION_KINDS, ACTION_STATUSES, RECORD_TYPES, ActionItem, Assessment, StudyEntry
from selfcheck.store.vault import KdfParams

END = date(2026, 11, 27)
TINY_KDF = KdfParams(t=1, m_kib=64, p=1)
SEED_SPEECH = Path(__file__).resolve().parents[2] / "shared" / "domain" / "seed-speech.txt"
ITEM_ID = re.compile(r"^(zz|zx|zj|zl)-\d\d$")
CHECKLISTS = {"zizhong": "zz", "zixing": "zx", "zijing": "zj", "zili": "zl"}


@pytest.fixture(scope="module")
def doc() -> dict:
    """The full 10-year set, as the benchmark builds it."""
    return synthetic.generate(10, study=5000, assessments=500, actions=300, talks=40, seed=1, end=END)


def _day(stamp: str) -> str:
    """The date of an ISO timestamp, after checking it parses."""
    datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")
    return stamp[:10]


def test_same_seed_same_document() -> None:
    kw = dict(years=3, study=200, assessments=40, actions=30, talks=5, end=END)
    assert synthetic.generate(seed=7, **kw) == synthetic.generate(seed=7, **kw)
    assert synthetic.generate(seed=7, **kw) != synthetic.generate(seed=8, **kw)


def test_counts_and_format(doc: dict) -> None:
    assert doc["format"] == "selfcheck" and doc["version"] == 1
    assert [len(doc[t]) for t in TABLES] == [5000, 500, 300, 40, 10]
    ids = [r["id"] for t in TABLES for r in doc[t]]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)


def test_small_and_empty_counts() -> None:
    small = synthetic.generate(1, study=0, assessments=0, actions=0, talks=0, end=END)
    assert all(small[t] == [] for t in TABLES if t != "meetings")
    assert all(m["problems"] == [] for m in small["meetings"])
    one = synthetic.generate(1, study=1, assessments=1, actions=1, talks=1, end=END)
    assert [len(one[t]) for t in TABLES if t != "meetings"] == [1, 1, 1, 1]
    with pytest.raises(ValueError):
        synthetic.generate(0, end=END)


def test_dates_are_valid_and_within_range(doc: dict) -> None:
    first, last = synthetic.start_date(10, END).isoformat(), END.isoformat()
    assert first == "2016-11-28"
    latest_due = (END + timedelta(days=366)).isoformat()

    def inside(day: str) -> bool:
        return first <= date.fromisoformat(day).isoformat() <= last

    for s in doc["study"]:
        assert inside(s["date"]) and _day(s["created"]) == s["date"]
        assert s["created"] <= s["updated"] and inside(_day(s["updated"]))
    for a in doc["assessments"]:
        assert inside(_day(a["started"]))
        if a["completed"] is not None:
            assert a["started"] < a["completed"] and _day(a["completed"]) == _day(a["started"])
    for a in doc["actions"]:
        created = _day(a["created"])
        assert inside(created) and a["created"] <= a["updated"] and inside(_day(a["updated"]))
        assert a["due"] is None or created < date.fromisoformat(a["due"]).isoformat() <= latest_due
        for note in a["progress"]:
            assert inside(note["date"]) and note["date"] >= created
        assert [n["date"] for n in a["progress"]] == sorted(n["date"] for n in a["progress"])
        if a["done_date"] is not None:
            assert inside(a["done_date"]) and a["done_date"] >= created
    for t in doc["talks"]:
        assert inside(t["date"])


def test_study_entries_look_like_a_diary(doc: dict) -> None:
    forms = set(synthetic.vocabulary()["study"]["forms"])
    for s in doc["study"]:
        assert s["form"] in forms
        assert 15 <= s["minutes"] <= 180
        assert 50 <= len(s["notes"]) <= 800
        assert s["tags"] and s["title"] and s["source"]
        assert "{" not in s["title"] + s["notes"] + s["excerpt"]
    assert 0 < sum(bool(s["excerpt"]) for s in doc["study"]) < len(doc["study"]) // 5
    assert [s["date"] for s in doc["study"]] == sorted(s["date"] for s in doc["study"])
    # Titles never appear before the text they name existed.
    assert all(s["date"] >= "2023-04-15" for s in doc["study"] if "专题摘编" in s["title"])
    assert any("党纪学习教育" in s["tags"] for s in doc["study"])


def test_excerpts_are_verbatim_quotations() -> None:
    excerpts = synthetic.vocabulary()["excerpts"]
    assert all("自重、自省、自警、自励" in e for e in excerpts["dangzhang"])
    if not SEED_SPEECH.exists():
        pytest.skip("shared/domain/seed-speech.txt not beside the project")
    speech = SEED_SPEECH.read_text(encoding="utf-8")
    for excerpt in excerpts["seed"]:
        assert excerpt in speech


def test_assessments(doc: dict) -> None:
    checklists = {c.id: c for c in synthetic.sample_checklists()}
    assert set(checklists) == set(CHECKLISTS)
    drafts = [a for a in doc["assessments"] if a["completed"] is None]
    assert 1 <= len(drafts) <= 5
    for a in doc["assessments"]:
        checklist = checklists[a["checklist_id"]]
        assert a["checklist_version"] == checklist.version
        items = checklist.items[: len(a["answers"])]
        assert [x["item_id"] for x in a["answers"]] == [i.id for i in items]
        prefix = CHECKLISTS[a["checklist_id"]]
        assert all(ITEM_ID.match(x["item_id"]) and x["item_id"].startswith(prefix) for x in a["answers"])
        if a["completed"] is not None:
            assert len(a["answers"]) == len(checklist.items) and 12 <= len(checklist.items) <= 20
        else:
            assert 1 <= len(a["answers"]) < len(checklist.items)
        for x, item in zip(a["answers"], items):
            assert x["prompt"] == item.text
            if item.type == "yn":
                assert x["answer"] in synthetic.YN_ANSWERS
            else:
                assert x["answer"] in range(1, 6) and not isinstance(x["answer"], bool)
            if not item.soft:
                # Lines the sample never crosses: only 是 / 不适用, or a rating of 4-5.
                assert x["answer"] in ("yes", "na", 4, 5)
    assert {a["checklist_id"] for a in doc["assessments"]} == set(CHECKLISTS)


def test_actions(doc: dict) -> None:
    answers = {(a["id"], x["item_id"]) for a in doc["assessments"] for x in a["answers"]}
    for a in doc["actions"]:
        assert a["kind"] in ACTION_KINDS and a["status"] in ACTION_STATUSES
        assert a["problem"] and a["cause"] and a["measure"] and a["standard"]
        assert (a["status"] == "done") == (a["done_date"] is not None) == bool(a["done_note"])
        if a["status"] == "not_started":
            assert a["progress"] == []
        if a["source"] is not None:
            assert (a["source"]["assessment"], a["source"]["item"]) in answers
    statuses = {a["status"] for a in doc["actions"]}
    assert {"done", "continuing", "in_progress"} <= statuses
    assert any(a["source"] for a in doc["actions"]) and any(a["source"] is None for a in doc["actions"])


def test_talks_name_roles_only(doc: dict) -> None:
    roles = set(synthetic.vocabulary()["talks"]["roles"])
    assert all(t["counterpart_role"] in roles for t in doc["talks"])


def test_every_record_round_trips_through_the_models(doc: dict) -> None:
    for table in TABLES:
        cls = RECORD_TYPES[table]
        for record in doc[table]:
            assert cls.from_doc(record).to_doc() == record
    assert Assessment.from_doc(doc["assessments"][0]).answers[0].item_id.endswith("-01")
    parsed = parse_import(json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    assert all(parsed[t] == doc[t] for t in TABLES)


def test_fill_writes_everything_in_one_commit(tmp_path: Path) -> None:
    kw = dict(years=3, study=300, assessments=40, actions=25, talks=6, seed=3, end=END)
    journal = Journal.create(tmp_path, "示例口令", kdf=TINY_KDF)
    try:
        counter = journal._vault.header.save_counter
        report = synthetic.fill(journal, **kw)
        assert journal._vault.header.save_counter == counter + 1
        assert report.added == {"study": 300, "assessments": 40, "actions": 25, "talks": 6, "meetings": 3}
        assert len(journal.meetings()) == 3
        assert len(journal.study_entries()) == 300
        assert len(journal.assessments(drafts=None)) == 40
        assert len(journal.actions()) == 25
        assert len(journal.talks()) == 6
        assert journal.find_study(limit=3)[0].date <= END.isoformat()
        # Same seed again: merged by id, nothing new, at most one commit.
        again = synthetic.fill(journal, **kw)
        assert again.total_added == 0 and journal._vault.header.save_counter <= counter + 2
        assert len(journal.study_entries()) == 300
    finally:
        journal.close()
    reopened = Journal.open(tmp_path, passphrase="示例口令")
    try:
        assert len(reopened.study_entries()) == 300
        entry = reopened.get(StudyEntry, reopened.study_entries()[-1].id)
        assert 50 <= len(entry.notes) <= 800
        assert all(isinstance(a, ActionItem) for a in reopened.actions(open_only=True))
    finally:
        reopened.close()


def test_no_ui_import() -> None:
    code = (
        "import sys, selfcheck.synthetic as s; s.generate(1, study=5);"
        "print('textual' in sys.modules, 'rich' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_draft_items_stand_in_while_the_checklists_are_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    checklists = pytest.importorskip("selfcheck.checklists")

    def missing() -> list:
        raise FileNotFoundError("zili.toml")

    monkeypatch.setattr(checklists, "load_builtin", missing)
    synthetic.sample_checklists.cache_clear()
    try:
        lists = synthetic.sample_checklists()
        assert [c.id for c in lists] == list(CHECKLISTS)
        assert all(12 <= len(c.items) <= 14 and c.items[0].id == f"{CHECKLISTS[c.id]}-01" for c in lists)
        small = synthetic.generate(2, study=20, assessments=60, actions=20, talks=2, end=END)
        finished = [a for a in small["assessments"] if a["checklist_id"] == "zizhong" and a["completed"]]
        assert finished and all(len(a["answers"]) == len(lists[0].items) for a in finished)
        assert any(a["source"] for a in small["actions"])
    finally:
        synthetic.sample_checklists.cache_clear()


def test_meetings_raise_their_measures_and_report_the_previous_ones(doc: dict) -> None:
    """Each sample meeting's measures are rectification items raised at it, and its 上年度整改
    notes are about exactly the previous meeting's items."""
    actions = {a["id"]: a for a in doc["actions"]}
    meetings = sorted(doc["meetings"], key=lambda m: m["year"])
    assert [m["year"] for m in meetings] == sorted({m["year"] for m in meetings})
    previous: set[str] = set()
    for meeting in meetings:
        raised = {m["action"] for p in meeting["problems"] for m in p["measures"]}
        assert raised and all(actions[i]["origin"] == {"kind": "meeting", "id": meeting["id"]} for i in raised)
        assert set(meeting["carried"]) == previous
        previous = raised
