"""The history core stays plain Python: importing all of it loads no Qt."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import si_timer.history


def test_history_core_imports_no_qt() -> None:
    modules = [m.name for m in pkgutil.iter_modules(si_timer.history.__path__, "si_timer.history.")]
    assert "si_timer.history.store" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(bad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
