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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import Keys, _character_to_key, key_to_character

KEYMAP_NAME = "keymap.toml"
MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
#: Named keys Textual knows (``escape``, ``f5``, ``pageup`` …): the last part of each ``Keys`` value.
NAMED_KEYS = frozenset(key.value.rpartition("+")[2] for key in Keys) | {"space"}
#: The line of ``name = …`` in a TOML file (bare or quoted name).
_ASSIGNMENT = r'^\s*(?:"{0}"|\'{0}\'|{0})\s*='
#: The header of a table ``[name]`` (a keymap has none: named as the line that is wrong).
_TABLE = r'^\s*\[\s*(?:"{0}"|\'{0}\'|{0})\s*\]'


@dataclass
class KeymapProblem:
    """A line of the file that was not used (``line``), or the whole file (``whole``), and why."""

    line: int
    kind: str
    detail: str = ""
    whole: bool = False
    #: For a clash: the binding already on the key.
    other: str = ""


@dataclass
class LoadedKeymap:
    """What the file maps (binding id → keys) and the lines that were skipped."""

    keymap: dict[str, str] = field(default_factory=dict)
    problems: list[KeymapProblem] = field(default_factory=list)


@dataclass
class BindingIndex:
    """Every binding of the app by id, and which keys each screen (and the app) already uses."""

    #: Binding id → (owner, binding) for each class that declares it.
    by_id: dict[str, list[tuple[str, Binding]]] = field(default_factory=dict)
    #: Owner → key → the binding id on that key.
    keys_of: dict[str, dict[str, str]] = field(default_factory=dict)
    #: The app's own bindings are active on every screen.
    app_owner: str = ""

    def add(self, owner: str, binding: Binding) -> None:
        """Index one declared binding."""
        if binding.id:
            self.by_id.setdefault(binding.id, []).append((owner, binding))
            for key in binding.key.split(","):
                self.keys_of.setdefault(owner, {}).setdefault(normal_key(key.strip()), binding.id)

    def clash(self, binding_id: str, key: str, remapped: set[str]) -> str | None:
        """The id of another binding already on ``key`` where ``binding_id`` lives (a binding
        the file moves elsewhere does not count), or None."""
        for owner, _binding in self.by_id.get(binding_id, []):
            for place in {owner, self.app_owner}:
                other = self.keys_of.get(place, {}).get(normal_key(key))
                if other is not None and other != binding_id and other not in remapped:
                    return other
        return None

    def is_priority(self, binding_id: str) -> bool:
        """Whether the binding runs before the focused field sees the key (save, lock, quit …)."""
        return any(binding.priority for _owner, binding in self.by_id.get(binding_id, []))


def binding_index(app_type: type[DOMNode]) -> BindingIndex:
    """Every binding in the app: ``app_type``'s own and those of every screen and dialog."""
    from . import screens

    index = BindingIndex(app_owner=app_type.__name__)
    for binding in app_type.BINDINGS:
        if isinstance(binding, Binding):
            index.add(app_type.__name__, binding)
    for info in pkgutil.walk_packages(screens.__path__, screens.__name__ + "."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__:
                for binding in getattr(value, "BINDINGS", None) or []:
                    if isinstance(binding, Binding):
                        index.add(value.__qualname__, binding)
    return index


def normal_key(key: str) -> str:
    """``key`` as Textual names it: ``?`` is ``question_mark``, ``/`` is ``slash``."""
    *modifiers, base = key.split("+")
    if len(base) == 1 and not base.isalnum():
        base = _character_to_key(base)
    return "+".join([*modifiers, base])


def valid_key(key: str) -> bool:
    """Whether Textual can bind ``key`` (``j``, ``ctrl+k``, ``f5``, ``question_mark``, ``ctrl+shift+up``)."""
    *modifiers, base = key.split("+")
    if not base or any(m not in MODIFIERS for m in modifiers):
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    return base in NAMED_KEYS or key_to_character(base) is not None


def load_keymap(path: Path, index: BindingIndex, reason: Callable[[OSError], str] = lambda e: type(e).__name__) -> LoadedKeymap:
    """Read ``path`` (a missing file is an empty keymap); ``reason`` says why a file could not
    be read, in the user's language."""
    loaded = LoadedKeymap()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return loaded
    except OSError as exc:
        loaded.problems.append(KeymapProblem(0, "unreadable", reason(exc), whole=True))
        return loaded
    except UnicodeDecodeError:
        loaded.problems.append(KeymapProblem(0, "not_utf8", whole=True))
        return loaded
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        loaded.problems.append(KeymapProblem(int(found.group(1)) if found else 0, "syntax", whole=True))
        return loaded
    lines = text.splitlines()
    wanted: dict[str, list[str]] = {}
    for binding_id, value in table.items():
        line = _line_of(lines, binding_id)
        if binding_id not in index.by_id:
            loaded.problems.append(KeymapProblem(line, "unknown_id", binding_id))
        elif not isinstance(value, str) or not value.strip():
            loaded.problems.append(KeymapProblem(line, "not_keys", binding_id))
        else:
            keys = [k.strip() for k in value.split(",")]
            problem = _key_problem(binding_id, keys, index)
            if problem:
                loaded.problems.append(KeymapProblem(line, *problem))
            else:
                wanted[binding_id] = keys
    # A key in use is free only if the line moving its binding away is itself used.
    for binding_id, keys in wanted.items():
        clash = next(((key, other) for key in keys if (other := index.clash(binding_id, key, set(wanted)))), None)
        if clash:
            loaded.problems.append(KeymapProblem(_line_of(lines, binding_id), "clash", clash[0], other=clash[1]))
        else:
            loaded.keymap[binding_id] = ",".join(keys)
    loaded.problems.sort(key=lambda problem: problem.line)
    return loaded


def _key_problem(binding_id: str, keys: list[str], index: BindingIndex) -> tuple[str, str] | None:
    """Why ``keys`` cannot be given to ``binding_id`` (kind, the key), or None."""
    for key in keys:
        if not valid_key(key):
            return "bad_key", key
        if index.is_priority(binding_id) and key_to_character(key) is not None:
            # save, lock, quit run before the focused field: on a letter, typing "a" would lock.
            return "plain_priority", key
    return None


def _line_of(lines: list[str], name: str) -> int:
    """The 1-based line assigning ``name``, or opening a table of that name (``[name]``)."""
    pattern = re.compile(_ASSIGNMENT.format(re.escape(name)) + "|" + _TABLE.format(re.escape(name)))
    return next((n for n, line in enumerate(lines, start=1) if pattern.match(line)), 0)
