"""The journal facade: records, trash, search, settings, migrations and backups (§8 row 14)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from selfcheck.store import migrations, vault
from selfcheck.store.errors import Locked, NotFound, UnsupportedVersion, VaultInUse, VaultMissing, WrongPassphrase
from selfcheck.store.journal import Journal, vault_path
from selfcheck.store.lock import VaultLock
from selfcheck.store.models import ActionItem, Answer, Settings, StudyEntry, TalkNote
from selfcheck.store.vault import KdfParams, Vault

TINY = KdfParams(t=1, m_kib=64, p=1)
PASS = "correct horse 电池 🐎"


def plain(tables: dict) -> dict:
    return json.loads(json.dumps(tables))


# --------------------------------------------------------------------------- lifecycle


def test_open_missing_vault(data_dir: Path) -> None:
    with pytest.raises(VaultMissing):
        Journal.open(data_dir, passphrase=PASS)
    assert not Journal.exists(data_dir)


def test_closed_journal_refuses_use(make_journal) -> None:
    journal = make_journal()
    journal.close()
    with pytest.raises(Locked):
        journal.study_entries()
    with pytest.raises(Locked):
        journal.add_study(StudyEntry(title="x"))


def test_auto_lock_keeps_the_process_lock(make_journal, data_dir: Path) -> None:
    journal = make_journal()
    journal.add_study(StudyEntry(id="s1", title="一"))
    lock = journal.lock_keep_process_lock()
    assert lock.held
    assert not any(journal._vault.dek)  # the key was overwritten
    with pytest.raises(Locked):
        journal.study_entries()
    with pytest.raises(VaultInUse):
        VaultLock(data_dir).acquire()
    with pytest.raises(WrongPassphrase):
        Journal.open(data_dir, passphrase="wrong", lock=lock)
    assert lock.held  # a failed unlock does not give the lock away
    unlocked = Journal.open(data_dir, passphrase=PASS, lock=lock)
    assert [e.id for e in unlocked.study_entries()] == ["s1"]
    unlocked.close()
    assert not lock.held


# --------------------------------------------------------------------------- records


def test_update_replaces_the_whole_document(make_journal, reopen) -> None:
    journal = make_journal()
    journal._tinydb.table("study").insert({**StudyEntry(id="s1", title="旧").to_doc(), "legacy": "old field"})
    entry = journal.get(StudyEntry, "s1")
    assert entry.extra == {"legacy": "old field"}
    journal.update_study(replace(entry, title="新", tags=["标签"], extra={}))
    journal.close()
    again = reopen()
    stored = next(iter(again._raw_tables()["study"].values()))
    assert stored["title"] == "新" and stored["tags"] == ["标签"] and "legacy" not in stored
    assert stored["updated"] >= entry.updated
    with pytest.raises(NotFound):
        again.update_study(StudyEntry(id="nope"))


def test_returned_records_do_not_alias_stored_data(make_journal, reopen) -> None:
    """Editing a returned dataclass without saving must not change the journal (memory or disk)."""
    journal = make_journal()
    journal.add_study(StudyEntry(id="s1", title="一", tags=["甲"], extra={"k": ["v"]}))
    action = journal.add_action(ActionItem(id="a1", problem="问题", source={"assessment": "x", "item": "y"}))
    journal.save_settings(Settings(yearly_targets={"notes_chars": 100}))
    before = plain(journal._raw_tables())

    journal.study_entries()[0].tags.append("幽灵")
    journal.get(StudyEntry, "s1").extra["k"].append("幽灵")
    journal.find_study(text="一")[0].tags.append("幽灵")
    journal.get(ActionItem, action.id).source["item"] = "幽灵"
    journal.settings().yearly_targets["notes_chars"] = 0
    assert plain(journal._raw_tables()) == before

    journal.add_study(StudyEntry(id="s2", title="二"))  # an unrelated save
    journal.close()
    again = reopen()
    assert again.get(StudyEntry, "s1").tags == ["甲"]
    assert again.get(StudyEntry, "s1").extra == {"k": ["v"]}
    assert again.get(ActionItem, "a1").source == {"assessment": "x", "item": "y"}
    assert again.settings().yearly_targets == {"notes_chars": 100}


def test_delete_goes_to_trash_and_restore_brings_it_back(make_journal, reopen) -> None:
    journal = make_journal()
    entry = journal.add_study(StudyEntry(title="要删除的", tags=["t"]))
    keep = journal.add_study(StudyEntry(title="留下的"))
    journal.delete(StudyEntry, entry.id)
    assert [e.id for e in journal.study_entries()] == [keep.id]
    trash = journal.trash()
    assert [(t.id, t.table, t.record) for t in trash] == [(entry.id, "study", entry)]
    journal.close()

    again = reopen()
    assert [t.id for t in again.trash()] == [entry.id]  # the deletion was committed
    again.restore_deleted(entry.id)
    assert again.trash() == []
    assert again.get(StudyEntry, entry.id) == entry
    with pytest.raises(NotFound):
        again.restore_deleted(entry.id)
    with pytest.raises(NotFound):
        again.delete(StudyEntry, "no-such-id")
    # Inserting after a restore does not reuse the restored record's doc id.
    again.add_study(StudyEntry(id="later", title="之后"))
    assert {e.id for e in again.study_entries()} == {entry.id, keep.id, "later"}


def test_find_study_filters(make_journal) -> None:
    journal = make_journal()
    rows = [
        StudyEntry(id="a", date="2026-01-05", title="学习《准则》", tags=["理论"], created="2026-01-05T01:00:00Z"),
        StudyEntry(id="b", date="2026-02-10", title="读书", source="人民出版社", tags=["读书"]),
        StudyEntry(id="c", date="2026-03-15", title="x", excerpt="实事求是 Excerpt", tags=[]),
        StudyEntry(id="d", date="2026-04-20", title="y", notes="心得 NOTES here", tags=["理论", "心得"]),
        StudyEntry(id="e", date="2026-05-25", title="z", tags=["TagOnly"]),
    ]
    for row in rows:
        journal.add_study(row)
    ids = lambda found: [e.id for e in found]  # noqa: E731
    assert ids(journal.find_study()) == ["e", "d", "c", "b", "a"]  # newest first
    assert ids(journal.find_study(text="准则")) == ["a"]  # title
    assert ids(journal.find_study(text="人民")) == ["b"]  # source
    assert ids(journal.find_study(text="excerpt")) == ["c"]  # excerpt, case-insensitive
    assert ids(journal.find_study(text="notes")) == ["d"]  # notes
    assert ids(journal.find_study(text="tagonly")) == ["e"]  # tags
    assert ids(journal.find_study(date_from="2026-02-10", date_to="2026-04-20")) == ["d", "c", "b"]  # inclusive
    assert ids(journal.find_study(tag="理论")) == ["d", "a"]
    assert ids(journal.find_study(tag="理")) == []  # a tag filter is exact
    assert ids(journal.find_study(text="理论", date_to="2026-03-01")) == ["a"]
    assert ids(journal.find_study(limit=2)) == ["e", "d"]
    assert ids(journal.find_study(text="不存在")) == []
    assert journal.study_tags()[0] == "理论"


def test_actions_progress_and_done(make_journal, reopen) -> None:
    journal = make_journal()
    late = journal.add_action(ActionItem(id="late", problem="学习不够", due="2026-12-31"))
    soon = journal.add_action(ActionItem(id="soon", problem="会议发言少", due="2026-06-01"))
    undated = journal.add_action(ActionItem(id="undated", problem="长期坚持", kind="ongoing"))
    assert [a.id for a in journal.actions()] == ["soon", "late", "undated"]

    progressed = journal.add_progress(late.id, "已制定计划", day="2026-05-01")
    assert progressed.status == "in_progress"
    assert [(p.date, p.note) for p in progressed.progress] == [("2026-05-01", "已制定计划")]
    journal.add_progress(late.id, "坚持一周", day="2026-05-08")
    done = journal.mark_done(soon.id, "已整改", day="2026-05-30")
    assert (done.status, done.done_date, done.done_note) == ("done", "2026-05-30", "已整改")
    assert [a.id for a in journal.actions(open_only=True)] == ["late", "undated"]
    assert soon.is_overdue("2026-06-02") and not done.is_overdue("2026-06-02")
    journal.close()

    again = reopen()
    stored = again.get(ActionItem, late.id)
    assert [p.note for p in stored.progress] == ["已制定计划", "坚持一周"] and stored.status == "in_progress"
    assert again.get(ActionItem, soon.id).status == "done"
    assert again.get(ActionItem, undated.id).status == "not_started"


def test_assessments_and_talks(make_journal, reopen) -> None:
    journal = make_journal()
    draft = journal.start_assessment("zixing", 2, "2026年第一季度")
    assert draft.is_draft and journal.assessments() == [] and journal.assessments(drafts=True) == [draft]
    done = replace(draft, answers=[Answer("q1", "是否……？", "yes", "备注")], completed="2026-03-31T10:00:00Z")
    journal.save_assessment(done)
    journal.add_talk(TalkNote(id="t1", date="2026-03-01", counterpart_role="支部书记", heard="要坚持"))
    journal.close()
    again = reopen()
    [stored] = again.assessments("zixing")
    assert stored.answers == [Answer("q1", "是否……？", "yes", "备注")] and not stored.is_draft
    assert again.assessments("other") == []
    assert [t.counterpart_role for t in again.talks()] == ["支部书记"]


def test_settings_save_and_load(make_journal, reopen) -> None:
    journal = make_journal()
    assert journal.settings() == Settings()
    wanted = Settings(language="en", autolock_minutes=15, theme="nord", backups_kept=3,
                      yearly_targets={"notes_chars": 20000})
    journal.save_settings(wanted)
    assert journal.settings() == wanted
    assert journal._vault.backups_kept == 3
    journal.close()
    again = reopen()
    assert again.settings() == wanted
    assert again._vault.backups_kept == 3  # applied at open too


# --------------------------------------------------------------------------- migrations


def test_new_vault_is_migrated_to_latest(make_journal) -> None:
    journal = make_journal()
    assert migrations.schema_version(journal._raw_tables()) == migrations.LATEST
    assert {"study", "assessments", "actions", "talks", "trash", "meta"} <= set(journal._raw_tables())


def test_vault_from_a_newer_schema_is_refused(data_dir: Path) -> None:
    future = {"meta": {migrations.SCHEMA_DOC: {"kind": "schema", "version": migrations.LATEST + 1}}, "study": {}}
    Vault.create(vault_path(data_dir), PASS, kdf=TINY, plaintext=json.dumps(future).encode())
    before = vault_path(data_dir).read_bytes()
    with pytest.raises(UnsupportedVersion) as first:  # ``first`` keeps the failed call's frames alive
        Journal.open(data_dir, passphrase=PASS)
    assert vault_path(data_dir).read_bytes() == before  # refused, not rewritten
    with pytest.raises(UnsupportedVersion):  # the lock was released: the same error, not VaultInUse
        Journal.open(data_dir, passphrase=PASS)
    assert first.value


def test_schema_zero_vault_is_migrated_once(data_dir: Path, reopen) -> None:
    legacy = {"study": {"1": StudyEntry(id="old", title="旧数据").to_doc()}}
    Vault.create(vault_path(data_dir), PASS, kdf=TINY, plaintext=json.dumps(legacy).encode())
    journal = reopen()
    assert [e.id for e in journal.study_entries()] == ["old"]
    counter = journal._vault.header.save_counter
    journal.close()
    again = reopen()
    assert migrations.schema_version(again._raw_tables()) == migrations.LATEST
    assert again._vault.header.save_counter == counter  # nothing left to migrate: no second commit


def test_payload_of_wrong_shape_is_payload_corrupted(data_dir: Path) -> None:
    from selfcheck.store.errors import PayloadCorrupted

    for payload in (b"[1, 2]", b'{"study": []}', b'{"study": {"1": 5}}', "不是 JSON".encode()):
        path = vault_path(data_dir)
        path.unlink(missing_ok=True)
        Vault.create(path, PASS, kdf=TINY, plaintext=payload)
        with pytest.raises(PayloadCorrupted):
            Journal.open(data_dir, passphrase=PASS)


# --------------------------------------------------------------------------- 14. backups


@pytest.mark.parametrize("kept,extra", [(1, 3), (3, 4), (5, 1)])
def test_backups_rotate_and_each_opens(make_journal, data_dir: Path, kept: int, extra: int) -> None:
    journal = make_journal()
    journal.save_settings(Settings(backups_kept=kept))
    states = []
    for i in range(kept + extra):
        states.append(vault_path(data_dir).read_bytes())
        journal.add_study(StudyEntry(id=f"s{i}", title=f"第{i}条"))
    backups = journal.backups()
    assert len(backups) == kept
    plaintexts = [Vault.open(b, passphrase=PASS).take_plaintext() for b in backups]  # each opens
    # Newest first, and the newest is exactly the file as it was before the last save.
    assert backups[0].read_bytes() == states[-1]
    assert [b.read_bytes() for b in backups] == states[::-1][:kept]
    assert len(set(plaintexts)) == kept
    assert not any(p.name.startswith(vault.TMP_PREFIX) for p in (data_dir / vault.BACKUP_DIR).iterdir())


def test_backups_kept_zero_keeps_none(make_journal) -> None:
    journal = make_journal()
    journal.save_settings(Settings(backups_kept=0))
    journal.add_study(StudyEntry(title="一"))
    assert journal.backups() == []


def test_damaged_main_file_restores_from_newest_backup(make_journal, data_dir: Path, reopen) -> None:
    from selfcheck.store.backups import restore_backup
    from selfcheck.store.errors import PayloadCorrupted

    journal = make_journal()
    journal.add_study(StudyEntry(id="s1", title="一"))
    good = json.loads(json.dumps(journal._raw_tables()))
    journal.add_study(StudyEntry(id="s2", title="二"))
    journal.close()
    path = vault_path(data_dir)
    damaged = bytearray(path.read_bytes())
    damaged[-1] ^= 0x01  # bit rot in the ciphertext
    path.write_bytes(bytes(damaged))
    with pytest.raises(PayloadCorrupted):
        Journal.open(data_dir, passphrase=PASS)

    newest = sorted(vault.list_backups(data_dir / vault.BACKUP_DIR))[-1]
    kept = restore_backup(data_dir, newest, passphrase=PASS)
    assert kept is not None and kept.read_bytes() == bytes(damaged)  # the damaged file is kept, not lost
    assert json.loads(json.dumps(reopen()._raw_tables())) == good


def test_a_schema_1_vault_migrates_and_its_items_keep_working(tmp_path: Path) -> None:
    """Data from before meetings (schema 1: no ``meetings`` table, items without ``origin``)
    opens, gains the table, and every old item says where it came from."""
    journal = Journal.create(tmp_path, PASS, kdf=TINY)
    from_check = journal.add_action(ActionItem(problem="旧的自查问题", source={"assessment": "a1", "item": "zz-01"}))
    by_hand = journal.add_action(ActionItem(problem="旧的手记问题"))

    def to_schema_1(tables: dict) -> None:
        del tables["meetings"]
        # Documents are replaced, never changed in place (the storage's copy-on-write rule).
        for key, doc in tables["actions"].items():
            tables["actions"][key] = {k: v for k, v in doc.items() if k != "origin"}
        tables[migrations.META_TABLE][migrations.SCHEMA_DOC] = {"kind": "schema", "version": 1}

    journal._bulk(to_schema_1)
    journal.close()
    journal = Journal.open(tmp_path, passphrase=PASS)
    try:
        assert migrations.schema_version(journal._raw_tables()) == migrations.LATEST
        assert journal.meetings() == []
        items = {a.id: a for a in journal.actions()}
        assert items[from_check.id].origin == {"kind": "selfcheck", "id": "a1"}
        assert items[by_hand.id].origin == {"kind": "manual"}
        journal.mark_done(by_hand.id, "已完成")
        assert journal.get(ActionItem, by_hand.id).status == "done"
    finally:
        journal.close()


def test_finishing_a_meeting_raises_each_measure_once(tmp_path: Path) -> None:
    from selfcheck.store.models import Measure, Meeting, Problem

    journal = Journal.create(tmp_path, PASS, kdf=TINY)
    try:
        problem = Problem(aspect="理论学习方面", text="学习不够系统", cause="重视不够",
                          measures=[Measure(text="每周自学2小时", due="2027-06-30"), Measure(text="  ")])
        meeting = journal.save_meeting(Meeting(year=2026, date="2027-02-20", problems=[problem]))
        finished = journal.finish_meeting(meeting)
        again = journal.finish_meeting(finished)
        items = journal.actions()
        assert len(items) == 1 and items[0].raised_at(meeting.id)
        assert (items[0].problem, items[0].cause, items[0].measure, items[0].due) == ("学习不够系统", "重视不够", "每周自学2小时", "2027-06-30")
        assert again.problems[0].measures[0].action == items[0].id
        assert journal.meeting_for(2026) == again and journal.meeting_for(2025) is None
    finally:
        journal.close()


def test_finishing_again_respects_deleted_items_and_an_empty_problem_uses_its_example(tmp_path: Path) -> None:
    from selfcheck.store.models import Measure, Meeting, Problem

    journal = Journal.create(tmp_path, PASS, kdf=TINY)
    try:
        meeting = journal.save_meeting(Meeting(year=2026, problems=[
            Problem(text="  ", example="三月没读完", measures=[Measure(text="每周读书")])]))
        finished = journal.finish_meeting(meeting)
        [item] = journal.actions()
        assert item.problem == "三月没读完"
        journal.delete(ActionItem, item.id)
        journal.finish_meeting(finished)
        assert journal.actions() == []  # the user deleted it: finishing again does not bring it back
    finally:
        journal.close()
