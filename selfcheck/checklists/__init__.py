"""The 四自 checklists (自重·自省·自警·自励) as data, their loader and validator, and the themes file.

No Textual or Rich import anywhere in this package (an import-hygiene test checks it).
"""

from __future__ import annotations

from .loader import (
    ALLOWED_TAGS,
    ANSWER_OPTIONS,
    BUILTIN_IDS,
    DISCIPLINE_TAGS,
    ITEM_TYPES,
    OPTIONAL_IDS,
    THEME_TAGS,
    Checklist,
    ChecklistError,
    ChecklistItem,
    LoadResult,
    Problem,
    all_items,
    answer_label,
    check_file,
    four,
    is_concern,
    load_all,
    load_builtin,
    localized,
    others,
    tag_label,
    user_checklist_dir,
    validate_file,
)
from .themes import Campaign, StudyTag, Themes, load_themes

__all__ = [
    "ALLOWED_TAGS",
    "ANSWER_OPTIONS",
    "BUILTIN_IDS",
    "DISCIPLINE_TAGS",
    "ITEM_TYPES",
    "THEME_TAGS",
    "Campaign",
    "Checklist",
    "ChecklistError",
    "ChecklistItem",
    "LoadResult",
    "OPTIONAL_IDS",
    "Problem",
    "StudyTag",
    "Themes",
    "all_items",
    "answer_label",
    "check_file",
    "four",
    "is_concern",
    "load_all",
    "load_builtin",
    "load_themes",
    "localized",
    "others",
    "tag_label",
    "user_checklist_dir",
    "validate_file",
]
