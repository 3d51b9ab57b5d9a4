"""How strong a new passphrase is, and the one rule the CLI and the TUI share (no Textual).

The estimate is zxcvbn's (dictionary words, common passwords, keyboard patterns, dates and
repeats, not just length): score 0–4 maps to four words. The rule:

* shorter than :data:`MIN_LENGTH`, or zxcvbn score 0–1 ("weak"): refused;
* "fair" (2) and "good" (3): allowed after the user confirms (a script's passphrase file gets a
  one-line warning instead);
* "strong" (4): allowed.

``12345678`` and ``password`` are weak. Only the first :data:`SCORED_CHARS` characters are
scored (zxcvbn's cost grows with length; anything that long is strong anyway).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

MIN_LENGTH = 8
#: Strength levels, weakest first; catalog keys are ``strength.<level>``.
LEVELS = ("weak", "fair", "good", "strong")
#: zxcvbn score (0–4) → level.
_LEVEL_OF_SCORE = ("weak", "weak", "fair", "good", "strong")
SCORED_CHARS = 100
#: Words zxcvbn should treat as guessable for this app.
_APP_WORDS = ["selfcheck", "自省录", "自重", "自省", "自警", "自励", "口令", "passphrase"]


@dataclass(frozen=True)
class Verdict:
    """What the rule says of a new passphrase."""

    level: str
    #: False: refused (too short or weak).
    allowed: bool
    #: True: allowed only after the user confirms (fair or good).
    confirm: bool
    #: True when it was refused for its length alone.
    too_short: bool = False


@lru_cache(maxsize=64)
def _score(passphrase: str) -> int:
    from zxcvbn import zxcvbn  # a few hundred ms of word lists: loaded only when a passphrase is made

    return int(zxcvbn(passphrase[:SCORED_CHARS], user_inputs=_APP_WORDS)["score"])


def judge(passphrase: str) -> Verdict:
    """The rule for a new passphrase (see the module docstring)."""
    if len(passphrase) < MIN_LENGTH:
        return Verdict("weak", allowed=False, confirm=False, too_short=True)
    level = _LEVEL_OF_SCORE[max(0, min(4, _score(passphrase)))]
    return Verdict(level, allowed=level != "weak", confirm=level in ("fair", "good"))


def strength(passphrase: str) -> str:
    """One of :data:`LEVELS`."""
    return judge(passphrase).level
