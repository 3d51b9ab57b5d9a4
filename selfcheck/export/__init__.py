"""Exports: the user's own words for a meeting, a talk, a study summary or an appraisal.

No Textual or Rich import anywhere in this package (an import-hygiene test checks it).

The flow, as the CLI and the export screen use it::

    from selfcheck import export

    period = export.default_period("meeting")              # or export.Period("2025-01-01", "2025-12-31")
    material = export.Material.from_journal(journal, period)  # or Material(study=[...], actions=[...])
    options = export.Options(lang="zh", left_out=frozenset(unticked_keys),
                             aspects=export.aspects("sizi", "zh"))
    listed = export.choices("meeting", material, period, options)   # the ticks the screen shows
    document = export.build("meeting", material, period, options)   # editable block list
    text = export.to_text(document)                                 # the preview the user edits
    document = export.from_text(edited_text, lang="zh")             # back to blocks
    data = export.render(document, "docx", font_preset=settings.export_font_preset)
    export.write_export(path, data)                                  # 0600; FileExistsError if present

Rules the builders keep (DESIGN.md §2, domain-notes §7.1): every problem, cause, measure and
reflection is the user's text, verbatim; the app adds headings, editable connective lines and
visible placeholders (``【请填写：…】``) where the user wrote nothing — never invented text; a
summary of checklist answers carries 本人自我检视记录，不构成组织评价; nothing is scored; the
appraisal's grade is the user's choice, labelled as a self-assessment for the organisation's
reference; no masthead, document number, classification mark or seal.

See :mod:`selfcheck.export.model` for the block kinds and the text form, and
:mod:`selfcheck.export.gather` for the keys of choosable items.
"""

from __future__ import annotations

from .builders import EXTENSIONS, FORMATS, build, choices, render
from .content import (
    DEFAULT_FONT_PRESET,
    GRADES,
    TEMPLATES,
    Aspect,
    FontPreset,
    aspect_presets,
    aspects,
    cause_headings,
    custom_aspects,
    font_preset,
    font_presets,
    grade_label,
    parse_grade,
    template_label,
)
from .files import suggested_filename, write_export
from .gather import DEFAULT_ASPECTS, Choice, Material, Options, Period, default_period, default_year
from .model import KINDS, Block, Document, from_text, to_text

__all__ = [
    "DEFAULT_ASPECTS",
    "DEFAULT_FONT_PRESET",
    "EXTENSIONS",
    "FORMATS",
    "GRADES",
    "KINDS",
    "TEMPLATES",
    "Aspect",
    "Block",
    "Choice",
    "Document",
    "FontPreset",
    "Material",
    "Options",
    "Period",
    "aspect_presets",
    "aspects",
    "cause_headings",
    "build",
    "choices",
    "custom_aspects",
    "default_period",
    "default_year",
    "font_preset",
    "font_presets",
    "from_text",
    "grade_label",
    "parse_grade",
    "render",
    "suggested_filename",
    "template_label",
    "to_text",
    "write_export",
]
