"""Writing an export file: mode 0600, never over an existing file unless asked, and a name to
suggest. No Textual or Rich here.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from .builders import EXTENSIONS
from .content import Text
from .gather import Period


def write_export(path: str | os.PathLike[str], data: bytes, *, overwrite: bool = False) -> Path:
    """Write ``data`` to ``path`` with mode 0600 (the file is not encrypted: keep it private).

    Without ``overwrite`` an existing file is never touched (``FileExistsError``, created with
    O_EXCL so no race either). With it, the new file is written beside the old one and moved over
    it, so a failure leaves the old file whole. Other failures raise ``OSError``.
    """
    target = Path(path)
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
