"""Test-wide setup: no real display, no real home folder, loud failures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Widgets render offscreen unless a test starts its own X server (tests/e2e).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Keep Qt quiet about the runtime dir when running as root in CI.
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp/si-timer-test-runtime")
Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(mode=0o700, exist_ok=True)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder; none touches the person's real history."""
    data = tmp_path / "si-timer-data"
    monkeypatch.setenv("SI_TIMER_DATA_DIR", str(data))
    return data
