"""What a start loads is seen only from a new interpreter: run code in one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def fresh_python(
    code: str, home: Path, *, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a new interpreter (offscreen Qt, a bare environment) and
    check it ran through."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(home)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done
