"""selfcheck (自省录): a private, encrypted, keyboard-first self-examination journal."""

__version__ = "0.1.0"
