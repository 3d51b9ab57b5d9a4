"""The user's keymap: ``keymap.toml`` in the config directory maps binding ids to keys.

    # 自省录 keymap — binding id = "keys" (comma-separated for several)
    diary = "j"
    lock = "ctrl+k"

Every binding in the app has an id (the help screen shows them). The file is read once at start
and handed to Textual (``App.set_keymap``), so the footer, the help screen and the palette show
the keys in effect. A line that cannot be used is skipped and reported as ``keymap.toml:LINE:
what is wrong``; the rest of the file still applies, and a broken file never stops the app.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import Keys, key_to_character

KEYMAP_NAME = "keymap.toml"
MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
#: Named keys Textual knows (``escape``, ``f5``, ``pageup`` …): the last part of each ``Keys`` value.
NAMED_KEYS = frozenset(key.value.rpartition("+")[2] for key in Keys) | {"space"}
#: The line of ``name = …`` in a TOML file (bare or quoted name).
_ASSIGNMENT = r'^\s*(?:"{0}"|\'{0}\'|{0})\s*='


@dataclass
class KeymapProblem:
    """A line of the file that was not used (``line``), or the whole file (``whole``), and why."""

    line: int
    kind: str
    detail: str = ""
    whole: bool = False


@dataclass
class LoadedKeymap:
    """What the file maps (binding id → keys) and the lines that were skipped."""

    keymap: dict[str, str] = field(default_factory=dict)
    problems: list[KeymapProblem] = field(default_factory=list)


def binding_ids(app_type: type[DOMNode]) -> set[str]:
    """Every binding id in the app: ``app_type``'s own and those of every screen and dialog."""
    from . import screens

    ids = {b.id for b in app_type.BINDINGS if isinstance(b, Binding) and b.id}
    for info in pkgutil.walk_packages(screens.__path__, screens.__name__ + "."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            for binding in getattr(value, "BINDINGS", None) or []:
                if isinstance(binding, Binding) and binding.id:
                    ids.add(binding.id)
    return ids


def valid_key(key: str) -> bool:
    """Whether Textual can bind ``key`` (``j``, ``ctrl+k``, ``f5``, ``question_mark``, ``ctrl+shift+up``)."""
    *modifiers, base = key.split("+")
    if not base or any(m not in MODIFIERS for m in modifiers):
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    return base in NAMED_KEYS or key_to_character(base) is not None


def load_keymap(path: Path, known_ids: set[str]) -> LoadedKeymap:
    """Read ``path``; a missing file is an empty keymap."""
    loaded = LoadedKeymap()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return loaded
    except (OSError, UnicodeDecodeError) as exc:
        loaded.problems.append(KeymapProblem(0, "unreadable", type(exc).__name__, whole=True))
        return loaded
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        loaded.problems.append(KeymapProblem(int(found.group(1)) if found else 0, "syntax", whole=True))
        return loaded
    lines = text.splitlines()
    for binding_id, value in table.items():
        line = _line_of(lines, binding_id)
        if binding_id not in known_ids:
            loaded.problems.append(KeymapProblem(line, "unknown_id", binding_id))
        elif not isinstance(value, str) or not value.strip():
            loaded.problems.append(KeymapProblem(line, "not_keys", binding_id))
        else:
            keys = [k.strip() for k in value.split(",")]
            bad = [k for k in keys if not valid_key(k)]
            if bad:
                loaded.problems.append(KeymapProblem(line, "bad_key", bad[0]))
            else:
                loaded.keymap[binding_id] = ",".join(keys)
    return loaded


def _line_of(lines: list[str], name: str) -> int:
    """The 1-based line assigning ``name`` (0 if it is set in some other way, e.g. a table)."""
    pattern = re.compile(_ASSIGNMENT.format(re.escape(name)))
    return next((n for n, line in enumerate(lines, start=1) if pattern.match(line)), 0)
