"""Every message key the code names exists in both languages, and every binding is described."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from selfcheck.i18n import catalog

PACKAGE = Path(__file__).resolve().parent.parent / "selfcheck"
#: ``tr("section.key"`` / ``self.tr("section.key"`` / ``translate("section.key"`` with a literal key.
CALLED = re.compile(r"""\b(?:tr|translate|keys_hint)\(\s*["']([a-z_]+(?:\.[a-z0-9_]+)+)["']""")
#: A binding's description or tooltip: ``"key.…"`` or ``"homekey.…"``.
DESCRIBED = re.compile(r"""["']((?:key|homekey)\.[a-z0-9_.]+)["']""")


def keys_named_in_code() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for pattern in (CALLED, DESCRIBED):
            for match in pattern.finditer(text):
                found.setdefault(match.group(1), f"{path.relative_to(PACKAGE)}:{text[: match.start()].count(chr(10)) + 1}")
    return found


def test_the_scan_finds_the_keys_the_code_uses() -> None:
    found = keys_named_in_code()
    assert len(found) > 300 and {"palette.no_matches", "key.keep_editing", "homekey.diary"} <= set(found)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_key_the_code_names_is_in_the_catalog(lang: str) -> None:
    messages = catalog(lang)
    missing = {key: where for key, where in keys_named_in_code().items() if key not in messages}
    assert not missing, missing


def test_both_languages_have_the_same_keys_and_every_message_is_written() -> None:
    zh, en = catalog("zh"), catalog("en")
    assert set(zh) == set(en), set(zh) ^ set(en)
    assert [k for k in zh if not (zh[k] and en[k])] == []  # an empty message would fall back to the other language
    placeholders = re.compile(r"\{(\w+)\}")
    differ = {k for k in zh if set(placeholders.findall(zh[k])) != set(placeholders.findall(en[k]))}
    assert differ == {"entry.form_hint"}  # English gives no example: the forms are Chinese words
