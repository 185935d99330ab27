"""Guards the PySide6 pin in pyproject.toml.

PySide6 6.12.0 on Python 3.11 takes a reference away from None on every call
of a C++ method that returns void; a few thousand paints later the process
dies with "none_dealloc".  This runs such calls in a child process.
"""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from PySide6.QtGui import QColor, QGuiApplication
app = QGuiApplication([])
colour = QColor("red")
before = sys.getrefcount(None)
for _ in range(2000):
    colour.setAlpha(10)
print(before - sys.getrefcount(None))
"""


def test_void_calls_do_not_drain_none() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        timeout=60,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""},
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lost = int(result.stdout.strip())
    assert lost < 50, f"{lost} references to None lost: this PySide6 build has the refcount bug"
