"""The pain journal: pain logged without a session, notes edited later, and backups."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from si_timer.history.backup import copy_database
from si_timer.history.changes import HistoryChange
from si_timer.history.errors import ImportFormatError, SessionStateError
from si_timer.history.exchange import ExportFormat, export_to_path, import_history
from si_timer.history.model import SessionStatus
from si_timer.history.queries import PAIN_LOGGED
from si_timer.history.store import HistoryStore
from tests.helpers.clocks import Clock
from tests.history.test_store import begin, segment

START = datetime(2025, 3, 14, 6, 0, tzinfo=UTC)


def open_store(tmp_path: Path, name: str, clock: Clock) -> HistoryStore:
    store, _ = HistoryStore.open(tmp_path / name / "history.sqlite3", now=clock.now)
    return store


def test_pain_logged_without_a_session_is_in_the_journal(store: HistoryStore) -> None:
    changes: list[HistoryChange] = []
    store.subscribe(changes.append)
    sid = begin(store)  # pain before 5
    store.record_segment(sid, segment(1))
    store.finish_session(sid, SessionStatus.PARTIAL, ended_at=START + timedelta(minutes=5))
    store.set_note(sid, "Stiff in the morning")
    changes.clear()
    entry = store.log_pain(
        7, "  After the long drive ", at=START + timedelta(hours=12), utc_offset_minutes=60
    )
    assert changes == [HistoryChange(pain=True)]
    journal = store.journal()
    assert [(j.title, j.pain_text, j.note) for j in journal] == [
        (PAIN_LOGGED, "Pain 7", "After the long drive"),
        ("Morning stretches", "Pain before 5", "Stiff in the morning"),
    ]
    assert journal[0].pain_entry_id == entry
    assert journal[0].local_at.hour == 19  # the wall clock where it was logged
    assert journal[1].session_id == sid
    # A pain entry is not a session: nothing to count, no streak from it alone.
    assert len(store.session_summaries()) == 1


def test_notes_are_editable_afterwards(store: HistoryStore, clock: Clock) -> None:
    entry = store.log_pain(4, None, at=START, utc_offset_minutes=0)
    clock.moment += timedelta(days=1)
    store.set_pain_entry_note(entry, "It eased off by the evening")
    (logged,) = store.pain_entries()
    assert logged.note == "It eased off by the evening"
    assert logged.edited_at == clock.moment
    store.set_pain_entry_note(entry, "   ")
    assert store.pain_entries()[0].note is None
    with pytest.raises(SessionStateError):
        store.set_pain_entry_note("no-such-entry", "x")


@pytest.mark.parametrize("via", ["json", "sqlite"])
def test_pain_entries_travel_in_backups_and_merge_by_id(
    tmp_path: Path, clock: Clock, via: str
) -> None:
    here = open_store(tmp_path, "here", clock)
    there = open_store(tmp_path, "there", clock)
    with here, there:
        entry = here.log_pain(6, "Sharp after lifting", at=START, utc_offset_minutes=60)
        if via == "json":
            backup = tmp_path / "backup.json"
            export_to_path(here, ExportFormat.JSON, backup)
            document = json.loads(backup.read_text(encoding="utf-8"))
            assert [e["id"] for e in document["pain_entries"]] == [entry]
        else:
            backup = copy_database(here._conn, tmp_path / "daily.sqlite3")  # a daily backup
        result = import_history(there, backup)
        assert (result.pain_added, result.pain_updated) == (1, 0)
        assert there.pain_entries() == here.pain_entries()
        # Again: nothing new.  Edited later here: the newer note wins there.
        assert import_history(there, backup).pain_unchanged == 1
        clock.moment += timedelta(hours=1)
        here.set_pain_entry_note(entry, "Better after a walk")
        if via == "json":
            export_to_path(here, ExportFormat.JSON, backup)
        else:
            backup.unlink()
            copy_database(here._conn, backup)
        result = import_history(there, backup)
        assert result.pain_updated == 1
        assert "1 pain entry" in result.describe()
        assert there.pain_entries()[0].note == "Better after a walk"


def test_a_backup_from_before_pain_entries_still_imports(
    store: HistoryStore, tmp_path: Path
) -> None:
    backup = tmp_path / "old.json"
    backup.write_text(
        json.dumps(
            {"format": "si-timer-history", "format_version": 1, "sessions": [], "day_marks": []}
        )
    )
    assert import_history(store, backup).changed is False


def test_a_bad_pain_entry_is_refused_with_its_place(store: HistoryStore, tmp_path: Path) -> None:
    backup = tmp_path / "bad.json"
    export_to_path(store, ExportFormat.JSON, backup)
    document = json.loads(backup.read_text(encoding="utf-8"))
    document["pain_entries"] = [
        {
            "id": "x",
            "at": "2025-03-14T06:00:00+00:00",
            "utc_offset_minutes": 0,
            "pain": 12,
            "note": None,
            "edited_at": "2025-03-14T06:00:00+00:00",
        }
    ]
    backup.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ImportFormatError, match=r"pain_entries\[0\]"):
        import_history(store, backup)
    assert store.pain_entries() == []
