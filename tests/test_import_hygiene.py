"""The data layer never imports the UI: store/, checklists/ and export/ load without Textual or Rich.

Runs in a fresh interpreter, because this test process may already have imported Textual for
other tests. Modules that do not exist yet are skipped (they are being written in parallel).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

MODULES = [
    "selfcheck.store",
    "selfcheck.store.errors",
    "selfcheck.store.vault",
    "selfcheck.store.storage",
    "selfcheck.store.lock",
    "selfcheck.store.journal",
    "selfcheck.store.exchange",
    "selfcheck.store.backups",
    "selfcheck.store.migrations",
    "selfcheck.store.models",
    "selfcheck.store.paths",
    "selfcheck.checklists",
    "selfcheck.export",
    "selfcheck.analysis",
    "selfcheck.session",
    "selfcheck.i18n",
    "selfcheck.cli",
]

def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


_PROBE = r"""
import importlib, importlib.util, json, sys
imported, skipped = [], []
for name in json.loads(sys.argv[1]):
    if importlib.util.find_spec(name) is None:
        skipped.append(name)
        continue
    importlib.import_module(name)
    imported.append(name)
    # Import the package's submodules too: a UI import hiding in one of them counts.
    module = sys.modules[name]
    for path in getattr(module, "__path__", []) or []:
        import pkgutil
        for info in pkgutil.iter_modules([path]):
            importlib.import_module(f"{name}.{info.name}")
            imported.append(f"{name}.{info.name}")
ui = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))
print(json.dumps({"imported": imported, "skipped": skipped, "ui": ui}))
"""


def test_data_layer_does_not_import_textual_or_rich() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(MODULES)],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert "selfcheck.store.journal" in report["imported"] and "selfcheck.store.exchange" in report["imported"]
    assert report["ui"] == [], f"UI modules imported by the data layer: {report['ui'][:10]}"
    assert "textual" not in report["ui"] and "rich" not in report["ui"]


def test_probe_would_notice_textual() -> None:
    """The probe itself can fail: importing Textual is seen."""
    result = subprocess.run(
        [sys.executable, "-c", "import textual.app\n" + _PROBE, json.dumps(["selfcheck.store"])],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "textual" in json.loads(result.stdout)["ui"]
