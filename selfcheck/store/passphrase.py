"""Passphrase strength feedback for the first-run screen (no Textual).

A rough entropy estimate — length times the bits of the character pools used, with repeats
discounted — mapped to four words. It only guides; the hard rule is the minimum length.
"""

from __future__ import annotations

import math

MIN_LENGTH = 8
#: Strength levels, weakest first; catalog keys are ``strength.<level>``.
LEVELS = ("weak", "fair", "good", "strong")


def entropy_bits(passphrase: str) -> float:
    """Estimated bits of entropy of ``passphrase``."""
    if not passphrase:
        return 0.0
    pool = 0
    if any(c.islower() and c.isascii() for c in passphrase):
        pool += 26
    if any(c.isupper() and c.isascii() for c in passphrase):
        pool += 26
    if any(c.isdigit() and c.isascii() for c in passphrase):
        pool += 10
    if any(not c.isalnum() and c.isascii() for c in passphrase):
        pool += 33
    if any(not c.isascii() for c in passphrase):
        pool += 3000  # CJK and other scripts: a large alphabet
    distinct = len(set(passphrase))
    effective = min(len(passphrase), distinct * 2)  # "aaaaaaaa" is not eight characters of entropy
    return effective * math.log2(max(pool, 2))


def strength(passphrase: str) -> str:
    """One of :data:`LEVELS`."""
    if len(passphrase) < MIN_LENGTH:
        return "weak"
    bits = entropy_bits(passphrase)
    if bits < 45:
        return "fair" if bits >= 36 else "weak"
    return "good" if bits < 70 else "strong"
