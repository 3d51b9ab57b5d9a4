"""One screen per module (STYLE.md); dialogs live in :mod:`selfcheck.screens.modals`."""
