"""Session ids: version-4 UUIDs, as before, and never the uuid module at start."""

from __future__ import annotations

import uuid
from pathlib import Path

from si_timer.history.ids import new_id
from tests.helpers.fresh_python import fresh_python


def test_an_id_is_a_random_version_4_uuid_in_its_usual_form() -> None:
    ids = {new_id() for _ in range(2000)}
    assert len(ids) == 2000
    for text in ids:
        parsed = uuid.UUID(text)
        assert str(parsed) == text  # lower-case hex, hyphens where uuid puts them
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122


def test_recording_a_session_takes_no_uuid_module(tmp_path: Path) -> None:
    code = f"""
import sys
from pathlib import Path
from si_timer.history.store import HistoryStore
import si_timer.ui.session.recording

store, _ = HistoryStore.open(Path({str(tmp_path / "h.sqlite3")!r}))
print(sorted(m for m in ("uuid", "platform", "_uuid") if m in sys.modules))
"""
    done = fresh_python(code, tmp_path, cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.split() == ["[]"]
