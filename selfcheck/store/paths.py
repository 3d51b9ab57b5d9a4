"""Where selfcheck keeps its files (platformdirs), overridable for tests and scripts."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "selfcheck"
#: The vault file's name inside the data directory.
VAULT_NAME = "vault.scv"
#: Environment variable that overrides the data directory (the ``--data-dir`` option wins over it).
DATA_DIR_ENV = "SELFCHECK_DATA_DIR"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: ``override``, else ``$SELFCHECK_DATA_DIR``, else the platform's user data dir."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False, roaming=False))


def config_dir() -> Path:
    """The user's config directory (user checklists live in ``checklists/`` under it)."""
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False, roaming=False))


def documents_dir() -> Path:
    """The user's documents folder, the default destination of exports."""
    from platformdirs import user_documents_dir

    return Path(user_documents_dir())


def vault_file(data_dir: str | os.PathLike[str]) -> Path:
    """The vault file in ``data_dir`` (cheap: the TUI asks before importing the crypto stack)."""
    return Path(data_dir) / VAULT_NAME
