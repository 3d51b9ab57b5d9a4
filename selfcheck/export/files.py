"""Writing an export file: where it goes and in which format (:func:`resolve_target`), mode
0600, never over an existing file unless asked, missing folders made (0700), and a name to
suggest. The CLI and the export screen follow the same rules. No Textual or Rich here.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .builders import EXTENSIONS
from .content import Text
from .gather import Period

#: File extensions that name a format (the full JSON export included); anything else that looks
#: like an extension (``.pdf``, ``.doc``) is refused rather than written as Markdown.
FORMAT_OF_EXTENSION = {".md": "md", ".markdown": "md", ".txt": "txt", ".docx": "docx", ".json": "json"}
#: The extension given to a name that has none, by format.
EXTENSION_OF_FORMAT = {**EXTENSIONS, "json": ".json"}


class TargetRefused(ValueError):
    """A destination that cannot be used as given. ``problem`` is ``unknown_extension`` (fields
    ``ext`` and ``default``) or ``format_mismatch`` (``format`` and ``ext``)."""

    def __init__(self, problem: str, **fields: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.fields = fields


@dataclass(frozen=True)
class Target:
    """Where an export goes, decided by :func:`resolve_target`."""

    #: The absolute path of the file to write.
    path: Path
    #: ``md``, ``txt``, ``docx`` or ``json``.
    format: str
    #: The user named a folder: the file is the default name inside it.
    in_folder: bool = False
    #: The user's name had no extension: the format's was added.
    extended: bool = False


def _is_extension(suffix: str) -> bool:
    """Whether a name's last dotted part reads as a file extension (``.pdf``, ``.v2``) rather
    than part of the name (``提纲2026.11.30``, ``v1.2 定稿``)."""
    tail = suffix[1:]
    return bool(tail) and tail.isascii() and tail.isalnum() and any(c.isalpha() for c in tail)


def resolve_target(
    destination: str | os.PathLike[str],
    fmt: str | None = None,
    *,
    default_format: str = "md",
    default_name: Callable[[str], str],
) -> Target:
    """The file an export of format ``fmt`` (None: not chosen) goes to when the user names
    ``destination``; raises :class:`TargetRefused`.

    - ``~`` is expanded and a relative path made absolute (the user is told the whole path).
    - A folder (one that exists, or a name ending in ``/``) gets ``default_name(format)`` inside.
    - A known extension decides the format; a ``fmt`` that says otherwise is refused.
    - An unknown extension is refused (``m.pdf`` never silently holds Markdown).
    - No extension: the format's is added (``fmt``, else ``default_format``).
    """
    text = os.fspath(destination)
    path = Path(os.path.abspath(os.path.expanduser(text)))
    if text.endswith(("/", os.sep)) or path.is_dir():
        chosen = fmt or default_format
        return Target(path / default_name(chosen), chosen, in_folder=True)
    suffix = path.suffix
    known = FORMAT_OF_EXTENSION.get(suffix.lower())
    if known is not None:
        if fmt is not None and fmt != known:
            raise TargetRefused("format_mismatch", format=fmt, ext=suffix)
        return Target(path, known)
    if _is_extension(suffix):
        raise TargetRefused("unknown_extension", ext=suffix, default=fmt or default_format)
    chosen = fmt or default_format
    return Target(path.with_name(path.name + EXTENSION_OF_FORMAT[chosen]), chosen, extended=True)


def make_folders(folder: Path) -> None:
    """Create ``folder`` and any missing folders above it, each readable by the user only (0700;
    an export folder holds unencrypted files). Raises ``OSError`` (e.g. a file on the way)."""
    missing: list[Path] = []
    current = Path(folder)
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for part in reversed(missing):
        try:
            os.mkdir(part, 0o700)
        except FileExistsError:
            if not part.is_dir():
                raise


def write_export(path: str | os.PathLike[str], data: bytes, *, overwrite: bool = False) -> Path:
    """Write ``data`` to ``path`` with mode 0600 (the file is not encrypted: keep it private),
    creating missing folders above it (:func:`make_folders`).

    Without ``overwrite`` an existing file is never touched (``FileExistsError``, created with
    O_EXCL so no race either). With it, the new file is written beside the old one and moved over
    it, so a failure leaves the old file whole. Other failures raise ``OSError``.
    """
    target = Path(path)
    make_folders(target.parent)
    binary = getattr(os, "O_BINARY", 0)
    if not overwrite:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | binary, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        _private(target)
        return target
    fd, temp = tempfile.mkstemp(prefix=".selfcheck-export-", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        _private(Path(temp))
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target


def _private(path: Path) -> None:
    if os.name != "nt":
        os.chmod(path, 0o600)  # whatever the umask did


def suggested_filename(template: str, fmt: str, period: Period, lang: str = "zh", *, sample: bool = False) -> str:
    """A file name for an export, e.g. ``组织生活会对照检查材料-2026.docx`` (``示例-…`` from sample data)."""
    t = Text(lang)
    stem = t(f"filenames.{template}")
    if sample:
        stem = t("filenames.sample", stem=stem)
    label = str(period.year) if period.start and period.start[:4] == period.end[:4] else (
        f"{period.start[:4]}-{period.end[:4]}" if period.start else period.end[:4]
    )
    name = f"{stem}-{label}{EXTENSIONS[fmt]}"
    return re.sub(r'[\\/:*?"<>|]', "_", name)
