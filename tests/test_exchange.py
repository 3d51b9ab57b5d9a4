"""JSON export/import: a lossless, idempotent round trip that validates before it writes (§8, DESIGN §5)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from selfcheck.store import models
from selfcheck.store.errors import ImportFailed
from selfcheck.store.exchange import export_document, export_json, import_document, parse_import
from selfcheck.store.journal import Journal, vault_path
from selfcheck.store.models import ActionItem, Answer, ProgressNote, Settings, StudyEntry, TalkNote


def without_exported(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "exported"}


def fill(journal: Journal) -> None:
    """A journal using every table and every awkward field."""
    journal.save_settings(Settings(language="en", autolock_minutes=9, backups_kept=4, yearly_targets={"notes_chars": 5}))
    journal.add_study(StudyEntry(id="s1", date="2026-01-05", title="学习《准则》", source="人民出版社", form="self_study",
                                 minutes=45, tags=["理论", "自省"], excerpt="“实事求是”", notes="心得\n🙂",
                                 extra={"future": {"nested": [1, 2]}}))
    gone = journal.add_study(StudyEntry(id="s2", date="2026-01-06", title="要删除的"))
    journal.delete(StudyEntry, gone.id)
    draft = journal.start_assessment("zixing", 2, "2026年一季度")
    journal.save_assessment(models.Assessment(**{**draft.__dict__, "answers": [Answer("q1", "是否……？", 3, "注")],
                                                 "completed": "2026-03-31T00:00:00Z"}))
    journal.add_action(ActionItem(id="a1", problem="问题", measure="措施", due="2026-12-31", kind="ongoing",
                                  progress=[ProgressNote("2026-02-01", "进展")], source={"assessment": draft.id, "item": "q1"}))
    journal.add_talk(TalkNote(id="t1", date="2026-02-02", kind="谈心", counterpart_role="支部书记", heard="听到"))


def test_export_import_is_lossless(make_journal, tmp_path: Path) -> None:
    source = make_journal(tmp_path / "one")
    fill(source)
    exported = export_json(source)
    first = json.loads(exported)
    assert first["format"] == "selfcheck" and first["version"] == 1
    assert len(first["trash"]) == 1 and first["settings"]["language"] == "en"
    assert without_exported(first) == without_exported(export_document(source))
    # One record per line: readable and diffable without an indent (which slows the encoder).
    lines = exported.decode("utf-8").splitlines()
    records = [json.loads(line.rstrip(",")) for line in lines if line.startswith("{") and line.endswith(("}", "},"))]
    assert len(records) == sum(len(first[name]) for name in ("study", "assessments", "actions", "talks", "trash"))
    assert exported.endswith(b"}\n") and "\\u" not in exported.decode("utf-8")

    target = make_journal(tmp_path / "two")
    report = import_document(target, parse_import(exported))
    assert report.total_added == 4 and report.settings_applied
    assert without_exported(export_document(target)) == without_exported(first)
    target.close()
    reopened = Journal.open(tmp_path / "two", passphrase="correct horse 电池 🐎")
    try:
        assert without_exported(export_document(reopened)) == without_exported(first)  # and on disk
        assert reopened._vault.backups_kept == 4
        assert [t.id for t in reopened.trash()] == ["s2"]
    finally:
        reopened.close()


def test_second_import_adds_nothing(make_journal, tmp_path: Path) -> None:
    source = make_journal(tmp_path / "one")
    fill(source)
    exported = export_json(source)
    target = make_journal(tmp_path / "two")
    import_document(target, parse_import(exported))
    before = json.loads(json.dumps(target._raw_tables()))

    report = import_document(target, parse_import(exported))
    assert (report.total_added, report.total_updated) == (0, 0) and report.total_unchanged == 4
    assert target._raw_tables() == before
    # Importing a journal's own export into itself is also a no-op.
    assert import_document(source, parse_import(exported)).total_added == 0


def test_newer_copy_wins_older_is_ignored(make_journal, tmp_path: Path) -> None:
    journal = make_journal()
    journal.add_study(StudyEntry(id="s1", title="原来的", updated="2026-01-01T00:00:00Z"))
    doc = export_document(journal)
    doc["study"][0].update(title="更新的", updated="2026-02-01T00:00:00Z")
    assert import_document(journal, parse_import(json.dumps(doc).encode())).total_updated == 1
    assert journal.get(StudyEntry, "s1").title == "更新的"
    doc["study"][0].update(title="更旧的", updated="2025-01-01T00:00:00Z")
    assert import_document(journal, parse_import(json.dumps(doc).encode())).total_updated == 0
    assert journal.get(StudyEntry, "s1").title == "更新的"


HAND_WRITTEN = {
    "format": "selfcheck",
    "version": 1,
    "study": [
        {"date": "2026-03-01", "title": "手写的学习记录", "minutes": 30, "form": "自学", "tags": ["手写"], "notes": "心得"},
        {"date": "2026-03-02", "title": "第二条"},
    ],
    "assessments": [{"checklist_id": "zixing", "answers": [{"item_id": "q1", "answer": "yes"}]}],
    "actions": [{"problem": "手写的整改项", "due": "2026-06-30"}],
    "talks": [{"date": "2026-03-03", "topic": "谈心"}],
}


@pytest.fixture
def ticking_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """``models.now_iso`` advances a minute per call, so time-stamped defaults differ between imports."""
    start = datetime(2026, 3, 1, tzinfo=UTC)
    calls = [0]

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):  # noqa: ANN001
            calls[0] += 1
            return start + timedelta(minutes=calls[0])

    monkeypatch.setattr(models, "datetime", Clock)


def test_items_without_ids_get_new_ids_once(make_journal, ticking_clock) -> None:
    journal = make_journal()
    raw = json.dumps(HAND_WRITTEN, ensure_ascii=False).encode("utf-8")
    first = import_document(journal, parse_import(raw))
    assert first.added == {"study": 2, "assessments": 1, "actions": 1, "talks": 1, "meetings": 0}
    ids = [e.id for e in journal.study_entries()] + [a.id for a in journal.actions()] + [t.id for t in journal.talks()]
    assert all(len(i) == 32 for i in ids) and len(set(ids)) == 4
    before = json.loads(json.dumps(journal._raw_tables()))

    second = import_document(journal, parse_import(raw))
    assert second.total_added == 0, second.added
    assert journal._raw_tables() == before
    assert journal.get(StudyEntry, [e.id for e in journal.study_entries() if e.title == "手写的学习记录"][0]).tags == ["手写"]


@pytest.mark.parametrize(
    "raw,where",
    [
        (b"{not json", "JSON line 1"),
        (b"\xff\xfe garbage", "UTF-8"),
        (b"[]", "format"),
        (json.dumps({"format": "jrnl", "version": 1}).encode(), "format"),
        (json.dumps({"format": "selfcheck", "version": 99}).encode(), "99"),
        (json.dumps({"format": "selfcheck", "version": "1"}).encode(), "version"),
        (json.dumps({"format": "selfcheck", "version": 1, "study": {}}).encode(), "study"),
        (json.dumps({"format": "selfcheck", "version": 1, "study": [
            {"date": "2026-01-01", "title": "a"}, {"date": "2026-01-02", "title": "b"},
            {"date": "2026-02-30", "title": "c"}]}).encode(), "study[2].date"),
        (json.dumps({"format": "selfcheck", "version": 1, "study": [
            {"date": "2026-01-01", "title": "a", "minutes": "x"}]}).encode(), "study[0].minutes"),
        (json.dumps({"format": "selfcheck", "version": 1, "study": [{"title": "no date"}]}).encode(), "study[0].date"),
        (json.dumps({"format": "selfcheck", "version": 1, "study": [
            {"date": "2026-01-01", "title": "a", "tags": "not a list"}]}).encode(), "study[0].tags"),
        (json.dumps({"format": "selfcheck", "version": 1, "actions": [
            {"problem": "p", "progress": [{"oops": 1}]}]}).encode(), "actions[0]"),
        (json.dumps({"format": "selfcheck", "version": 1, "settings": []}).encode(), "settings"),
        (json.dumps({"format": "selfcheck", "version": 1, "settings": {"backups_kept": "x"}}).encode(),
         "settings.backups_kept"),
        (json.dumps({"format": "selfcheck", "version": 1, "settings": {"autolock_minutes": True}}).encode(),
         "settings.autolock_minutes"),
        (json.dumps({"format": "selfcheck", "version": 1, "settings": {"language": 5}}).encode(), "settings.language"),
        (json.dumps({"format": "selfcheck", "version": 1, "settings": {"yearly_targets": {"notes_chars": "many"}}}).encode(),
         "settings.yearly_targets"),
        (json.dumps({"format": "selfcheck", "version": 1, "trash": [{"table": "nope"}]}).encode(), "trash"),
    ],
)
def test_malformed_files_are_refused_and_nothing_is_written(make_journal, data_dir: Path, raw: bytes, where: str) -> None:
    journal = make_journal()
    journal.add_study(StudyEntry(id="s1", title="已有"))
    before_bytes = vault_path(data_dir).read_bytes()
    before_tables = json.loads(json.dumps(journal._raw_tables()))
    with pytest.raises(ImportFailed) as info:
        import_document(journal, parse_import(raw))
    assert where in info.value.detail
    assert vault_path(data_dir).read_bytes() == before_bytes
    assert journal._raw_tables() == before_tables
    journal.add_study(StudyEntry(id="s2", title="照常保存"))  # and the journal still works


def test_bad_settings_cannot_break_later_saves(make_journal, tmp_path: Path) -> None:
    """A settings block with the wrong types must be refused, not applied and then fail every save."""
    journal = make_journal()
    raw = json.dumps({"format": "selfcheck", "version": 1, "settings": {"backups_kept": "x"}}).encode()
    with pytest.raises(ImportFailed):
        import_document(journal, parse_import(raw))
    journal.add_study(StudyEntry(title="之后"))
    good = json.dumps({"format": "selfcheck", "version": 1, "settings": {"backups_kept": 2, "language": "en"}}).encode()
    fresh = make_journal(tmp_path / "fresh")
    assert import_document(fresh, parse_import(good)).settings_applied
    assert fresh.settings().backups_kept == 2 and fresh._vault.backups_kept == 2
    for i in range(4):
        fresh.add_study(StudyEntry(title=f"第{i}条"))
    assert len(fresh.backups()) == 2


@pytest.mark.parametrize(
    "doc",
    [
        {"actions": [{"problem": "p", "origin": "x"}]},
        {"meetings": [{"year": 2026, "created": 5}]},
        {"meetings": [{"year": 2026, "problems": [{"measures": [{"text": "m", "action": {"a": 1}}]}]}]},
        {"meetings": [{"year": 2026, "problems": [{"links": [{"id": 5}]}]}]},
        {"meetings": [{"year": True}]},
        {"meetings": [{"year": 999}]},
        {"meetings": [{"year": 2026, "aspects": [1]}]},
        {"study": [{"date": "2026-01-01", "title": "t", "marked": "yes"}]},
    ],
)
def test_malformed_meetings_and_origins_are_refused_whole(doc: dict) -> None:
    raw = json.dumps({"format": "selfcheck", "version": 1, **doc}).encode()
    with pytest.raises(ImportFailed):
        parse_import(raw)
