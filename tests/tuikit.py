"""Helpers for the TUI tests: a fixed day, a fake clock, a vault with known contents."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.pilot import Pilot

from selfcheck.app import SelfCheckApp, make_app
from selfcheck.store.journal import Journal
from selfcheck.store.models import ActionItem, Answer, Assessment, StudyEntry
from selfcheck.store.vault import KdfParams

TINY = KdfParams(t=1, m_kib=64, p=1)
PASS = "正确的口令 pass"
#: A passphrase the first-run rule takes without asking (zxcvbn "strong").
STRONG = "正确的口令 pass 电池 horse"
TODAY = date(2026, 11, 27)


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def app_for(data_dir: Path, *, lang: str | None = "zh", clock: FakeClock | None = None) -> SelfCheckApp:
    """The app on ``data_dir`` with a tiny KDF and a fixed today."""
    return make_app(data_dir, lang=lang, kdf=TINY, clock=clock or FakeClock(), today=lambda: TODAY)


def known_vault(data_dir: Path) -> None:
    """A vault with study this week and month, two 自警 self-checks and open actions."""
    journal = Journal.create(data_dir, PASS, kdf=TINY)
    try:
        for day, title, minutes in [
            ("2026-11-24", "学习党章 [bold]第二章[/]", 45),
            ("2026-11-26", "集中学习", 90),
            ("2026-11-03", "读书班", 120),
            ("2026-10-30", "上月的学习", 30),
        ]:
            journal.add_study(StudyEntry(date=day, title=title, minutes=minutes, created=day + "T08:00:00Z"))
        first = Assessment(
            checklist_id="zijing",
            started="2026-09-01T08:00:00Z",
            completed="2026-09-01T08:30:00Z",
            answers=[Answer("zj-01", "p1", "yes"), Answer("zj-02", "p2", 2)],
        )
        second = Assessment(
            checklist_id="zijing",
            started="2026-11-20T08:00:00Z",
            completed="2026-11-20T08:30:00Z",
            answers=[Answer("zj-01", "p1", "yes"), Answer("zj-02", "p2", 4)],
        )
        journal.save_assessment(first)
        journal.save_assessment(second)
        journal.add_action(ActionItem(problem="调查研究不够深入 [/]", due="2026-11-01", created="2026-09-01T08:30:00Z"))
        journal.add_action(ActionItem(problem="理论学习不够系统", due="2026-12-31", created="2026-09-01T08:31:00Z"))
    finally:
        journal.close()


async def type_text(pilot: Pilot, text: str) -> None:
    """Type ``text`` key by key (Chinese too)."""
    for ch in text:
        await pilot.press(ch if ch != " " else "space")


async def settle(pilot: Pilot) -> None:
    """Let workers and the save thread finish and the screen repaint."""
    app = pilot.app
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    if isinstance(app, SelfCheckApp) and not app._shut_down:  # noqa: SLF001
        app.wait_for_saves()
    await pilot.pause()


async def unlock(pilot: Pilot, passphrase: str = PASS) -> None:
    """Type the passphrase on the unlock screen and wait for Home."""
    await type_text(pilot, passphrase)
    await pilot.press("enter")
    await settle(pilot)


def known_app(data: Path, lang: str | None = "zh") -> SelfCheckApp:
    """The app on a fresh :func:`known_vault` in ``data``."""
    known_vault(data)
    return app_for(data, lang=lang)


async def unlocked(pilot: Pilot) -> None:
    """Settle the unlock screen and unlock."""
    await pilot.pause()
    await unlock(pilot)
