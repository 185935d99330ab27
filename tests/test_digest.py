"""SHA-256 without OpenSSL: the same digests as hashlib's, and hashlib never loaded."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from si_timer.digest import sha256_hex


@pytest.mark.parametrize("data", [b"", b"abc", "ø plan ✓".encode(), bytes(range(256)) * 40])
def test_the_digest_is_hashlibs(data: bytes) -> None:
    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()


def test_a_plan_stored_in_a_history_loads_no_openssl(tmp_path: Path) -> None:
    """hashlib's libcrypto is ~3.5 MiB resident: opening the history and storing a
    plan (every recorded session does) must not bring it in."""
    code = f"""
import sys
from datetime import datetime
from pathlib import Path
from si_timer.history.plan import store_plan
from si_timer.history.store import HistoryStore
from tests.helpers.history_factories import make_plan

store, _ = HistoryStore.open(Path({str(tmp_path / "h.sqlite3")!r}))
store_plan(store._conn, make_plan())
print(sorted(m for m in ("hashlib", "_hashlib") if m in sys.modules))
maps = Path("/proc/self/maps")
print(maps.exists() and "libcrypto" in maps.read_text())
"""
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[]", "False"]
