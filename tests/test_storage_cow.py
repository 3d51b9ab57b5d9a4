"""The storage's copy-on-write rules, the sliced encoder, lock-free reads and the change log.

Behaviour only: what a save writes, what a reader sees while a save runs, what the diary's index
holds after a save. Never timing (benchmarks/ measures that).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from tuikit import PASS, TINY

from selfcheck.analysis.study import StudyIndex
from selfcheck.store import vault
from selfcheck.store.errors import PayloadCorrupted
from selfcheck.store.journal import Journal
from selfcheck.store.models import StudyEntry
from selfcheck.store.storage import SLICE, _no_pause, _Slices, dumps, parse_lines


def _tables(sizes: dict[str, int]) -> dict[str, dict[str, dict[str, object]]]:
    return {
        name: {str(i + 1): {"id": f"{name}-{i}", "title": f"第{i}条 [bold] \"q\" \\ \n", "n": i} for i in range(n)}
        for name, n in sizes.items()
    }


@pytest.mark.parametrize(
    "sizes",
    [{}, {"a": 0}, {"a": 1, "b": 0}, {"a": SLICE - 1, "b": SLICE}, {"a": SLICE + 1, "b": 2 * SLICE, "c": 3}],
)
def test_the_lines_are_the_json_of_the_whole_and_read_back_a_line_at_a_time(sizes: dict[str, int]) -> None:
    data = _tables(sizes)
    slices = _Slices()
    joined = b"".join(slices.pieces(data, _no_pause))
    assert json.loads(joined) == data and list(json.loads(joined)) == list(data)
    assert slices.length(data, _no_pause) == len(joined)
    if data:
        assert joined.count(b"\n") == len(data) + sum(-(-n // SLICE) for n in sizes.values()) + 1
        buf = bytearray(joined)
        parsed = parse_lines(buf)
        assert parsed == data and list(parsed) == list(data) and buf == b""  # consumed as it was read
        assert all(list(parsed[t]) == list(data[t]) for t in data)  # document order kept


def test_json_laid_out_otherwise_is_left_for_a_whole_parse() -> None:
    """A vault saved by an earlier version holds its JSON on one line: read whole, as before."""
    data = _tables({"a": 3})
    one_line = bytearray(dumps(data))
    assert parse_lines(one_line) is None and one_line == dumps(data)
    assert parse_lines(bytearray(b"{}")) is None


@pytest.mark.parametrize(
    "payload",
    [b'{"a":{\n"1":{"x":1}\n}}\n}}\n', b'{"a":{\n"1":[1]\n}}\n', b'{"a":{\n"1":{"x":\n}}\n', b'{"a":{\n},"b":{\n{"x"\n}}\n'],
)
def test_damaged_lines_are_refused(payload: bytes) -> None:
    with pytest.raises(PayloadCorrupted):
        parse_lines(bytearray(payload))


def test_the_length_follows_every_kind_of_change() -> None:
    """The length of unchanged slices is remembered by the documents' identity; a replaced, added
    or removed document (also across a slice boundary, where a table's closing brace moves) is
    measured again."""
    slices = _Slices()
    data = _tables({"a": SLICE, "b": 5})
    assert slices.length(data, _no_pause) == len(b"".join(slices.pieces(data, _no_pause)))
    steps = [
        lambda t: t["a"].__setitem__("3", {"id": "changed", "title": "改过了，更长的标题"}),
        lambda t: t["a"].__setitem__(str(SLICE + 1), {"id": "one more"}),  # a second slice opens
        lambda t: t["a"].pop(str(SLICE + 1)),  # and closes again
        lambda t: t["b"].pop("2"),
        lambda t: t.__setitem__("c", {"1": {"id": "new table"}}),
        lambda t: t.pop("a"),
    ]
    for step in steps:
        data = {name: dict(table) for name, table in data.items()}  # copy on write, as the journal does
        step(data)
        joined = b"".join(slices.pieces(data, _no_pause))
        assert slices.length(data, _no_pause) == len(joined) and json.loads(joined) == data


def test_a_failed_change_leaves_the_committed_tables_untouched(tmp_path: Path) -> None:
    journal = Journal.create(tmp_path, PASS, kdf=TINY)
    try:
        journal.add_study(StudyEntry(id="a", title="原来的"))
        before = journal._raw_tables()

        def half_then_fail(tables: dict) -> None:
            tables["study"]["99"] = {"id": "phantom", "title": "不应出现"}
            raise RuntimeError("the change failed halfway")

        with pytest.raises(RuntimeError):
            journal._bulk(half_then_fail)
        assert journal._raw_tables() is before
        assert [e.id for e in journal.study_entries()] == ["a"]
    finally:
        journal.close()


def test_reads_do_not_wait_for_a_save_in_progress(tmp_path: Path) -> None:
    """While a save thread is between writing its temp file and replacing the vault, the event
    loop's reads answer at once, with the data as last committed."""
    journal = Journal.create(tmp_path, PASS, kdf=TINY)
    reached, release = threading.Event(), threading.Event()

    def hold(step: str) -> None:
        if step == "tmp_written" and threading.current_thread().name == "saver":
            reached.set()
            release.wait(10)

    vault._fault = hold
    saver = threading.Thread(target=journal.add_study, args=(StudyEntry(id="new", title="新的"),), name="saver")
    try:
        journal.add_study(StudyEntry(id="old", title="旧的"))
        saver.start()
        assert reached.wait(10)
        seen: list[list[str]] = []
        reader = threading.Thread(target=lambda: seen.append([e.id for e in journal.study_entries()]))
        reader.start()
        reader.join(5)
        assert not reader.is_alive(), "a read waited for the save"
        assert seen == [["old"]]
    finally:
        release.set()
        saver.join(10)
        vault._fault = vault._no_fault
    try:
        assert sorted(e.id for e in journal.study_entries()) == ["new", "old"]
    finally:
        journal.close()


def _rows(index: StudyIndex) -> list[tuple[object, ...]]:
    return [(r.id, r.date, r.title, r.form, r.minutes, r.tags, r.haystack, r.marked) for r in index.rows]


def test_the_diary_index_follows_saves_without_reading_every_entry_again(tmp_path: Path) -> None:
    journal = Journal.create(tmp_path, PASS, kdf=TINY)
    try:
        for i in range(5):
            journal.add_study(StudyEntry(id=f"e{i}", title=f"学习 {i}", date=f"2026-01-0{i + 1}", tags=["党史"]))
        index = StudyIndex(journal.documents("study"))
        counter = journal.save_counter
        kept_row = next(r for r in index.rows if r.id == "e0")

        entry = journal.get(StudyEntry, "e2")
        journal.update_study(StudyEntry(**{**entry.__dict__, "title": "改过的 PDF 标题", "tags": ["Party History"]}))
        journal.add_study(StudyEntry(id="e9", title="新的一条", date="2026-02-01"))
        journal.delete(StudyEntry, "e4")

        upto, removed, added = journal.changes_since(counter, "study")
        assert upto == journal.save_counter
        updated = index.updated(removed, added)
        assert _rows(updated) == _rows(StudyIndex(journal.documents("study")))
        assert kept_row in updated.rows  # the untouched entries' rows are the same objects
        assert [r.id for r in updated.filter(text="pdf")] == ["e2"]  # search folds case
        assert [r.id for r in updated.filter(text="party history")] == ["e2"]
        assert updated.tags()[0] == "党史"
        assert [r.id for r in index.rows] == ["e4", "e3", "e2", "e1", "e0"]  # the old index is unchanged
        assert journal.changes_since(journal.save_counter, "study") == (journal.save_counter, [], [])
        assert journal.changes_since(0, "study") is None or journal.save_counter < 32
    finally:
        journal.close()


def test_a_save_after_unlock_reuses_the_lines_it_read_and_writes_the_same_data(tmp_path: Path, monkeypatch) -> None:
    """The CLI's one save: only the slices that changed are encoded again; what is read back is
    exactly the data, whatever changed (an edit, an addition, a removal)."""
    journal = Journal.create(tmp_path, PASS, kdf=TINY)
    journal._bulk(lambda t: t["study"].update({str(i): {"id": f"s{i}", "title": f"第{i}条"} for i in range(1, 3 * SLICE)}))
    journal.close()

    encoded: list[int] = []
    real = _Slices._encode

    def counting(slot, keys, docs):  # type: ignore[no-untyped-def]
        encoded.append(len(keys))
        return real(slot, keys, docs)

    monkeypatch.setattr(_Slices, "_encode", staticmethod(counting))
    journal = Journal.open(tmp_path, passphrase=PASS)
    journal.update_study(StudyEntry(**{**journal.get(StudyEntry, "s5").__dict__, "title": "改过的"}))
    assert encoded == [SLICE]  # the one slice holding the edited entry
    journal.delete(StudyEntry, "s7")
    expected = json.loads(json.dumps(journal._raw_tables()))
    journal.close()
    journal = Journal.open(tmp_path, passphrase=PASS)
    try:
        assert journal._raw_tables() == expected
        assert journal.get(StudyEntry, "s5").title == "改过的"
    finally:
        journal.close()
