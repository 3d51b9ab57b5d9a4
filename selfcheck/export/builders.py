"""Choose a builder by template name, and render a document in a format.

``build("meeting", material, period, options)`` → :class:`~selfcheck.export.model.Document`;
``render(document, "docx", font_preset="gb2312")`` → bytes. No Textual or Rich here.
"""

from __future__ import annotations

from types import ModuleType

from . import appraisal, meeting, study, talk, talkprep
from .content import TEMPLATES
from .gather import Choice, Material, Options, Period
from .model import Document

#: The output formats of :func:`render` (JSON, the lossless backup, is ``store.exchange``'s).
FORMATS: tuple[str, ...] = ("md", "txt", "docx")
#: The file name extension of each format.
EXTENSIONS: dict[str, str] = {"md": ".md", "txt": ".txt", "docx": ".docx"}

_MODULES: dict[str, ModuleType] = {
    "meeting": meeting, "talk": talk, "talkprep": talkprep, "study": study, "appraisal": appraisal
}
assert tuple(_MODULES) == TEMPLATES


def _module(template: str) -> ModuleType:
    try:
        return _MODULES[template]
    except KeyError:
        raise ValueError(f"unknown template {template!r}") from None


def build(template: str, material: Material, period: Period, options: Options | None = None) -> Document:
    """The document of ``template`` (``meeting``, ``talk``, ``study``, ``appraisal``) for ``period``."""
    return _module(template).build(material, period, options or Options())


def choices(template: str, material: Material, period: Period, options: Options | None = None) -> list[Choice]:
    """What the user may leave out of ``template`` for ``period`` (all in unless left out)."""
    return _module(template).choices(material, period, options or Options())


def render(document: Document, fmt: str, *, font_preset: str | None = None) -> bytes:
    """``document`` as a file's bytes: ``md`` and ``txt`` in UTF-8, ``docx`` with the fonts of
    ``font_preset`` (KeyError for an unknown preset)."""
    if fmt == "md":
        from .textwriters import to_markdown

        return to_markdown(document).encode("utf-8")
    if fmt == "txt":
        from .textwriters import to_plain_text

        return to_plain_text(document).encode("utf-8")
    if fmt == "docx":
        from .word import to_docx  # python-docx loads only when Word output is asked for

        return to_docx(document, font_preset)
    raise ValueError(f"unknown format {fmt!r}")
