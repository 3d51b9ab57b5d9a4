"""Generate the golden vault ``vault_v1_golden.scv`` and its description ``vault_v1_golden.json``.

Run ONCE, by hand, when a new format version is introduced (then under a new name: the v1 files
are frozen forever). The test ``tests/test_vault_format.py::test_golden_vault_v1_opens`` never
runs this script: it opens the committed file with the current code and pins its SHA-256, so a
reader change that breaks old vaults, or an accidental regeneration, fails the suite.

    .venv/bin/python tests/data/make_golden.py            # refuses to overwrite existing files
    .venv/bin/python tests/data/make_golden.py --force    # only when you mean it
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from selfcheck.store.journal import Journal, vault_path  # noqa: E402
from selfcheck.store.models import (  # noqa: E402
    ActionItem,
    Answer,
    Assessment,
    ProgressNote,
    Settings,
    StudyEntry,
    TalkNote,
)
from selfcheck.store.vault import KdfParams, Vault, check_file  # noqa: E402

PASSPHRASE = "golden-口令-🔑"
KDF = KdfParams(t=1, m_kib=64, p=1)
VAULT_FILE = HERE / "vault_v1_golden.scv"
DESCRIPTION_FILE = HERE / "vault_v1_golden.json"

STUDY = [
    StudyEntry(
        id="golden-study-0001",
        date="2026-11-20",
        title="学习《关于新形势下党内政治生活的若干准则》",
        source="人民出版社，2016年",
        form="self_study",
        minutes=45,
        tags=["理论学习", "自省", "准则"],
        excerpt="坚持党的思想路线，坚持解放思想、实事求是、与时俱进、求真务实。",
        notes="心得体会：对照准则逐条检视，自重、自省、自警、自励。\n第二行：🙂 emoji 与换行也要原样保存。",
        created="2026-11-20T12:00:00Z",
        updated="2026-11-20T12:30:00Z",
    ),
    StudyEntry(
        id="golden-study-0002",
        date="2026-11-21",
        title="Reading notes — plain ASCII entry with \"quotes\" and \\backslash",
        source="",
        form="group_study",
        minutes=30,
        tags=[],
        excerpt="",
        notes="Tab\there, NUL-free, trailing spaces kept   ",
        created="2026-11-21T08:00:00Z",
        updated="2026-11-21T08:00:00Z",
        extra={"future_field": {"kept": True}},
    ),
]
ACTION = ActionItem(
    id="golden-action-0001",
    problem="学习计划执行不够有力",
    cause="时间安排不合理",
    measure="每天早晨固定学习30分钟",
    standard="连续一个月不间断",
    due="2026-12-31",
    kind="ongoing",
    status="in_progress",
    progress=[ProgressNote("2026-11-22", "已坚持一周")],
    source={"assessment": "golden-assessment-0001", "item": "zixing-03"},
    created="2026-11-21T09:00:00Z",
    updated="2026-11-22T09:00:00Z",
)
TALK = TalkNote(
    id="golden-talk-0001",
    date="2026-11-23",
    kind="同志间谈心",
    counterpart_role="支部书记",
    topic="学习计划",
    heard="要持之以恒",
    said="接受意见，立行立改",
    followups="月底再交流",
    created="2026-11-23T10:00:00Z",
    updated="2026-11-23T10:00:00Z",
)
ASSESSMENT = Assessment(
    id="golden-assessment-0001",
    checklist_id="zixing",
    checklist_version=1,
    started="2026-11-19T20:00:00Z",
    completed="2026-11-19T20:40:00Z",
    period_label="2026年11月",
    answers=[Answer("zixing-01", "是否按时参加组织生活？", "yes", ""), Answer("zixing-03", "学习是否坚持？", 3, "有待加强")],
    reflection="总体较好，学习坚持不够。",
    updated="2026-11-19T20:40:00Z",
)
SETTINGS = Settings(language="zh", autolock_minutes=7, backups_kept=4, yearly_targets={"notes_chars": 20000})


def main(force: bool = False) -> None:
    """Build the journal in a temp dir through the public facade and copy its vault here."""
    if not force and (VAULT_FILE.exists() or DESCRIPTION_FILE.exists()):
        raise SystemExit("golden files exist; they are frozen (use --force only for a new format)")
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        journal = Journal.create(data_dir, PASSPHRASE, kdf=KDF)
        journal.save_settings(SETTINGS)
        for entry in STUDY:
            journal.add_study(entry)
        journal.add_action(ACTION)
        journal.add_talk(TALK)
        journal._insert(ASSESSMENT)  # noqa: SLF001 - fixed timestamps; save_assessment would stamp "now"
        recovery_key = journal.set_recovery_key()
        journal.close()

        shutil.copyfile(vault_path(data_dir), VAULT_FILE)
    opened = Vault.open(VAULT_FILE, passphrase=PASSPHRASE)
    header = check_file(VAULT_FILE)
    description = {
        "about": "Golden vault v1. Frozen: never regenerate. See make_golden.py.",
        "passphrase": PASSPHRASE,
        "recovery_key": recovery_key,
        "kdf": {"kind": "argon2id", "t": KDF.t, "m_kib": KDF.m_kib, "p": KDF.p},
        "format": [header.major, header.minor],
        "save_counter": header.save_counter,
        "slot_types": [slot.kind for slot in header.slots],
        "tables": json.loads(opened.take_plaintext()),
        "study": [entry.to_doc() for entry in STUDY],
        "actions": [ACTION.to_doc()],
        "talks": [TALK.to_doc()],
        "assessments": [ASSESSMENT.to_doc()],
        "settings": SETTINGS.to_doc(),
    }
    DESCRIPTION_FILE.write_text(json.dumps(description, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")
    print(f"wrote {VAULT_FILE.name} ({VAULT_FILE.stat().st_size} bytes) and {DESCRIPTION_FILE.name}")


if __name__ == "__main__":
    main(force="--force" in sys.argv[1:])
