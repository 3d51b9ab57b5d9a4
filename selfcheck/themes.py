"""The app's colour themes besides Textual's dark default: a light one and a high-contrast one.

Both are registered at start; the theme picker (``commands.ThemeCommands``) lists the three by
translated name. Nothing in the app is told by colour alone (marks such as ``≠``, ``!``, ``●`` and
words carry the meaning), so ``NO_COLOR`` — which Textual honours by painting in greys — loses
nothing but the colour.
"""

from __future__ import annotations

from textual.theme import Theme

#: Dark text on light grey, blue for what has focus: for bright rooms and printed-page habits.
LIGHT = Theme(
    name="selfcheck-light",
    primary="#004578",
    secondary="#0b5394",
    accent="#8a4b00",
    warning="#8a4b00",
    error="#a4262c",
    success="#1e6b34",
    foreground="#1b1b1b",
    background="#f4f4f4",
    surface="#ffffff",
    panel="#e4e8ee",
    dark=False,
    variables={
        "footer-key-foreground": "#004578",
        "border": "#004578",
        "border-blurred": "#8c8c8c",
    },
)

#: White on black, yellow for what has focus: readable for low vision and in bright rooms.
CONTRAST = Theme(
    name="selfcheck-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    warning="#ffaf00",
    error="#ff5f5f",
    success="#5fff5f",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1c1c1c",
    boost="#ffffff10",
    dark=True,
    variables={
        "footer-key-foreground": "#ffff00",
        "footer-description-foreground": "#ffffff",
        "border": "#ffff00",
        "border-blurred": "#ffffff",
        "block-cursor-background": "#ffff00",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "input-selection-background": "#00ffff 50%",
        "text-muted": "#d0d0d0",
    },
)

#: The themes the app registers at start.
THEMES = (LIGHT, CONTRAST)

#: The themes offered (Textual's dark default and the two above), each with its catalog key: the
#: picker and the settings show these, translated.
THEME_NAMES = {
    "textual-dark": "theme.dark",
    LIGHT.name: "theme.light",
    CONTRAST.name: "theme.contrast",
}
