"""Own your data: exports read back by other tools, imports that merge exactly once."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest

from si_timer.history.errors import ImportFormatError
from si_timer.history.exchange import (
    BACKUP_FORMAT,
    CSV_COLUMNS,
    ExportFormat,
    ExportTargetExistsError,
    export_history,
    export_text,
    export_to_path,
    import_history,
    parse_backup,
)
from si_timer.history.merge import MergeResult
from si_timer.history.model import (
    DayMark,
    Difficulty,
    SessionStatus,
)
from si_timer.history.store import HistoryStore
from tests.helpers.clocks import Clock
from tests.helpers.history_factories import generate_sessions, make_plan, play_segments

START = datetime(2025, 3, 14, 6, 0, tzinfo=UTC)


def record_session(
    store: HistoryStore,
    start: datetime = START,
    *,
    note: str | None = "Left side tight; went gently, then better.",
    status: SessionStatus = SessionStatus.COMPLETED,
) -> str:
    plan = make_plan("morning")
    sid = store.begin_session(
        "morning", plan, started_at=start, utc_offset_minutes=60, pain_before=5
    )
    records = play_segments(plan, start, random.Random(start.day), pain_skips=0.2)
    for r in records:
        store.record_segment(sid, r)
    if status is not SessionStatus.IN_PROGRESS:
        store.finish_session(
            sid,
            status,
            ended_at=records[-1].ended_at,
            pain_after=3,
            difficulty=Difficulty.TOO_EASY,
            note=note,
        )
    return sid


def open_store(tmp_path: Path, name: str, clock: Clock) -> HistoryStore:
    store, _ = HistoryStore.open(tmp_path / name / "history.sqlite3", now=clock.now)
    return store


# --- CSV ----------------------------------------------------------------------------


def test_csv_reads_back_with_the_csv_module(store: HistoryStore) -> None:
    sid = record_session(store)
    record_session(store, START + timedelta(days=1), note='=HYPERLINK("http://x")')
    text = export_text(store, ExportFormat.CSV)
    assert "\r\n" in text  # spreadsheet line ends
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    first = rows[0]
    assert first["id"] == sid
    assert (first["date"], first["start"], first["utc_offset"]) == ("2025-03-14", "07:00", "+01:00")
    assert first["routine_name"] == "Morning stretches"
    assert first["status"] == "completed"
    assert (first["pain_before"], first["pain_after"], first["difficulty"]) == (
        "5",
        "3",
        "too_easy",
    )
    assert first["note"] == "Left side tight; went gently, then better."
    assert int(first["segments_total"]) == 10
    assert int(first["segments_done"]) + int(first["skipped_for_pain"]) <= 10
    assert float(first["active_minutes"]) > 3
    # A note a spreadsheet would run as a formula is defused.
    assert rows[1]["note"].startswith("'=")


# --- ICS ----------------------------------------------------------------------------


def test_ics_is_read_by_a_calendar_parser(store: HistoryStore) -> None:
    ids = [record_session(store, START + timedelta(days=d)) for d in range(3)]
    long_note = ("Ünïcode ✓, commas; semicolons \\ backslashes and a long tail " * 3).strip()
    ids.append(record_session(store, START + timedelta(days=4), note=long_note))
    text = export_text(store, ExportFormat.ICS)
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    calendar = icalendar.Calendar.from_ical(text)
    events = list(calendar.walk("VEVENT"))
    assert [str(e["UID"]) for e in events] == [f"{i}@si-timer" for i in ids]
    first = events[0]
    assert first.decoded("DTSTART") == START
    assert first.decoded("DTEND") > START
    assert str(first["SUMMARY"]) == "Morning stretches (completed)"
    assert "Pain before → after: 5 → 3" in str(first["DESCRIPTION"])
    assert f"Note: {long_note}" in str(events[-1]["DESCRIPTION"])


def test_an_unfinished_session_still_gets_a_valid_event(store: HistoryStore) -> None:
    record_session(store, status=SessionStatus.IN_PROGRESS)
    (event,) = icalendar.Calendar.from_ical(export_text(store, "ics")).walk("VEVENT")
    assert event.decoded("DTEND") > event.decoded("DTSTART")
    assert "(in progress)" in str(event["SUMMARY"])


# --- JSON and import --------------------------------------------------------------------


def test_json_round_trip_restores_everything(
    store: HistoryStore, tmp_path: Path, clock: Clock
) -> None:
    record_session(store)
    record_session(store, START + timedelta(hours=10), status=SessionStatus.PARTIAL)
    store.set_day_mark(date(2025, 3, 16), DayMark.SICK)
    path = tmp_path / "backup.json"
    assert export_to_path(store, ExportFormat.JSON, path) == 2
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == BACKUP_FORMAT

    with open_store(tmp_path, "other", clock) as other:
        result = import_history(other, path)
        assert (result.sessions_added, result.marks_added) == (2, 1)
        assert list(other.iter_stored_sessions()) == list(store.iter_stored_sessions())
        assert other.mark_records() == store.mark_records()
        assert other.session_summaries() == store.session_summaries()
        assert other.exercise_stats() == store.exercise_stats()


def test_importing_the_same_file_twice_adds_nothing(store: HistoryStore, tmp_path: Path) -> None:
    path = tmp_path / "backup.json"
    export_to_path(store, "json", path)  # empty: fine
    record_session(store)
    store.set_day_mark(date(2025, 3, 16), DayMark.REST)
    export_to_path(store, "json", path)
    changes: list[int] = []
    store.subscribe(lambda _change: changes.append(1))
    first = import_history(store, path)
    second = import_history(store, path)
    assert first == second
    assert (second.sessions_added, second.sessions_updated, second.sessions_unchanged) == (0, 0, 1)
    assert not second.changed
    assert store.session_count() == 1
    assert changes == [1, 1]  # each import is one write, announced once


def test_two_machines_merge_without_duplicates(tmp_path: Path, clock: Clock) -> None:
    laptop = open_store(tmp_path, "laptop", clock)
    desktop = open_store(tmp_path, "desktop", clock)
    with laptop, desktop:
        shared = record_session(laptop, START)
        export_to_path(laptop, "json", tmp_path / "laptop.json")
        import_history(desktop, tmp_path / "laptop.json")  # desktop now has it too
        record_session(laptop, START + timedelta(days=1))
        record_session(desktop, START + timedelta(days=2))
        laptop.set_day_mark(date(2025, 3, 20), DayMark.REST)
        export_to_path(laptop, "json", tmp_path / "laptop.json")
        export_to_path(desktop, "json", tmp_path / "desktop.json")
        a = import_history(laptop, tmp_path / "desktop.json")
        b = import_history(desktop, tmp_path / "laptop.json")
        assert (a.sessions_added, a.sessions_unchanged) == (1, 1)
        assert (b.sessions_added, b.sessions_unchanged, b.marks_added) == (1, 1, 1)
        assert laptop.session_count() == desktop.session_count() == 3
        assert list(laptop.iter_stored_sessions()) == list(desktop.iter_stored_sessions())
        assert [s.id for s in laptop.sessions_on(date(2025, 3, 14))] == [shared]


def test_a_daily_sqlite_backup_can_be_imported(tmp_path: Path, clock: Clock, db_path: Path) -> None:
    backups = tmp_path / "backups"
    store, _ = HistoryStore.open(db_path, backup_dir=backups, now=clock.now)
    with store:
        record_session(store)
        record_session(store, START + timedelta(days=1))
    clock.advance(days=1)  # the next day's first start makes a backup of both
    store, report = HistoryStore.open(db_path, backup_dir=backups, now=clock.now)
    store.close()
    assert report.backup is not None
    with open_store(tmp_path, "restored", clock) as fresh:
        result = import_history(fresh, report.backup)
        assert result.sessions_added == 2
        assert fresh.streaks(date(2025, 3, 15)).current == 2


def test_large_generated_history_round_trips(
    store: HistoryStore, tmp_path: Path, clock: Clock
) -> None:
    sessions = list(generate_sessions(date(2024, 10, 1), date(2024, 11, 30)))
    store.merge(sessions, [])
    path = tmp_path / "all.json"
    assert export_to_path(store, "json", path) == len(sessions)
    with open_store(tmp_path, "copy", clock) as copy:
        assert import_history(copy, path).sessions_added == len(sessions)
        today = date(2024, 11, 30)
        assert copy.month(2024, 10, today) == store.month(2024, 10, today)
        assert copy.streaks(today) == store.streaks(today)


# --- merge rules ----------------------------------------------------------------------


def test_a_finished_copy_replaces_an_unfinished_one(
    store: HistoryStore, tmp_path: Path, clock: Clock
) -> None:
    # Exported mid-session on one machine, finished there later.
    sid = record_session(store, status=SessionStatus.IN_PROGRESS)
    export_to_path(store, "json", tmp_path / "early.json")
    store.finish_session(sid, SessionStatus.COMPLETED, ended_at=START + timedelta(hours=1))
    store.set_note(sid, "finished")
    export_to_path(store, "json", tmp_path / "late.json")
    with open_store(tmp_path, "other", clock) as other:
        import_history(other, tmp_path / "early.json")
        assert other.session_summaries()[0].status is SessionStatus.IN_PROGRESS
        result = import_history(other, tmp_path / "late.json")
        assert result.sessions_updated == 1
        assert other.session_summaries() == store.session_summaries()
        # The older copy never undoes the newer one.
        assert import_history(other, tmp_path / "early.json").sessions_unchanged == 1
        assert other.session_summaries()[0].status is SessionStatus.COMPLETED


def test_missing_ratings_are_filled_in_but_ours_are_kept(
    store: HistoryStore, tmp_path: Path, clock: Clock
) -> None:
    sid = record_session(store, note=None)
    export_to_path(store, "json", tmp_path / "a.json")
    with open_store(tmp_path, "other", clock) as other:
        import_history(other, tmp_path / "a.json")
        other.set_note(sid, "written on the other machine")
        other.set_pain_after(sid, 1)
        export_to_path(other, "json", tmp_path / "b.json")
    store.set_pain_after(sid, 4)
    result = import_history(store, tmp_path / "b.json")
    assert result.sessions_updated == 1
    (s,) = store.session_summaries()
    assert (s.note, s.pain_after) == ("written on the other machine", 4)


def test_the_later_day_mark_wins(store: HistoryStore, tmp_path: Path, clock: Clock) -> None:
    day = date(2025, 3, 20)
    store.set_day_mark(day, DayMark.REST)
    export_to_path(store, "json", tmp_path / "old.json")
    clock.advance(hours=5)
    with open_store(tmp_path, "other", clock) as other:
        other.set_day_mark(day, DayMark.SICK)
        export_to_path(other, "json", tmp_path / "new.json")
        assert import_history(other, tmp_path / "old.json").marks_unchanged == 1
        assert other.day_marks() == {day: DayMark.SICK}
    assert import_history(store, tmp_path / "new.json").marks_updated == 1
    assert store.day_marks() == {day: DayMark.SICK}


def test_a_session_being_recorded_is_never_replaced(store: HistoryStore, tmp_path: Path) -> None:
    sid = record_session(store, status=SessionStatus.IN_PROGRESS)
    document = json.loads(export_text(store, "json", version=1))
    document["sessions"][0]["status"] = "completed"
    document["sessions"][0]["segments"] = []
    path = tmp_path / "x.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert import_history(store, path).sessions_unchanged == 1
    assert store.session_summaries()[0].status is SessionStatus.IN_PROGRESS
    stored = store.stored_session(sid)
    assert stored is not None
    assert stored.segments


# --- bad files ------------------------------------------------------------------------


def valid_document(store: HistoryStore) -> dict[str, object]:
    record_session(store)
    document: dict[str, object] = json.loads(export_text(store, "json", version=1))
    return document


@pytest.mark.parametrize(
    ("change", "where", "problem"),
    [
        (lambda d: d.update(format="something"), "", "not a si-timer backup"),
        (lambda d: d.update(format_version=99), "format_version", "unsupported"),
        (lambda d: d["sessions"][0].update(status="done"), "sessions[0].status", "not one of"),
        (lambda d: d["sessions"][0].update(pain_before=12), "sessions[0].pain_before", "between"),
        (
            lambda d: d["sessions"][0].update(started_at="yesterday"),
            "sessions[0].started_at",
            "not a date",
        ),
        (
            lambda d: d["sessions"][0].update(started_at="2025-03-14T06:00:00"),
            "sessions[0].started_at",
            "no time zone",
        ),
        (lambda d: d["sessions"][0].pop("id"), "sessions[0].id", "missing"),
        (
            lambda d: d["sessions"][0]["segments"][2].update(kind="nap"),
            "sessions[0].segments[2].kind",
            "not one of",
        ),
        (
            lambda d: d["sessions"][0]["segments"][1].update(seq=1),
            "sessions[0].segments[1].seq",
            "appears twice",
        ),
        (
            lambda d: d["sessions"][0]["segments"][1].update(actual_seconds=-3),
            "sessions[0].segments[1]",
            "actual_seconds",
        ),
        (
            lambda d: d["day_marks"].append(
                {"day": "2025-02-30", "mark": "rest", "set_at": "2025-03-01T00:00:00+00:00"}
            ),
            "day_marks[0].day",
            "not a date",
        ),
    ],
)
def test_a_bad_backup_is_refused_with_the_place_named(
    store: HistoryStore, tmp_path: Path, change: object, where: str, problem: str
) -> None:
    document = valid_document(store)
    change(document)  # type: ignore[operator]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    before = list(store.iter_stored_sessions())
    with pytest.raises(ImportFormatError) as info:
        import_history(store, path)
    assert info.value.where == where
    assert problem in info.value.problem
    assert str(path) in str(info.value)
    assert "Nothing was imported" in str(info.value)
    assert list(store.iter_stored_sessions()) == before


def test_not_json_and_missing_files_are_clear_errors(store: HistoryStore, tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_text("{ not json", encoding="utf-8")
    with pytest.raises(ImportFormatError, match=r"line 1, column 3.*not valid JSON"):
        import_history(store, path)
    with pytest.raises(ImportFormatError, match="cannot be read"):
        import_history(store, tmp_path / "missing.json")
    with pytest.raises(ImportFormatError, match="not a si-timer backup"):
        parse_backup([1, 2, 3])


def test_export_writes_to_any_text_stream(store: HistoryStore) -> None:
    record_session(store)
    out = io.StringIO(newline="")
    assert export_history(store, ExportFormat.JSON, out, now=START) == 1
    assert json.loads(out.getvalue())["exported_at"] == START.isoformat()
    with pytest.raises(ValueError, match="'pdf' is not a valid ExportFormat"):
        export_history(store, "pdf", out)


def test_the_import_sentence_groups_thousands() -> None:
    result = MergeResult(sessions_added=10_959, sessions_unchanged=1, marks_added=1_200)
    assert result.describe() == (
        "Imported 10,959 new sessions, 0 updated, 1 already there; 1,200 day marks."
    )
    assert MergeResult(sessions_added=1).describe() == (
        "Imported 1 new session, 0 updated, 0 already there."
    )


# --- safe writes -----------------------------------------------------------------------


def test_every_csv_column_is_escaped_even_the_id(store: HistoryStore, tmp_path: Path) -> None:
    document = valid_document(store)
    session = document["sessions"][0]  # type: ignore[index]
    session["id"] = '=HYPERLINK("http://example.invalid","x")'
    session["routine"] = "@SUM(1)"
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    import_history(store, path)
    rows = list(csv.reader(io.StringIO(export_text(store, "csv"))))
    offset = CSV_COLUMNS.index("utc_offset")  # always "+HH:MM"/"-HH:MM", made by us
    for row in rows[1:]:
        cells = [cell for i, cell in enumerate(row) if i != offset]
        assert [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")] == []
    assert '\'=HYPERLINK("http://example.invalid","x")' in {row[-1] for row in rows}


@pytest.mark.skipif(os.name != "posix", reason="POSIX symlinks and modes")
def test_export_never_follows_a_link_planted_at_a_temporary_name(
    store: HistoryStore, tmp_path: Path
) -> None:
    record_session(store)
    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's file")
    victim.chmod(0o644)
    target = tmp_path / "history.csv"
    for name in (f".{target.name}.partial", f"{target.name}.partial", f".{target.name}.tmp"):
        (tmp_path / name).symlink_to(victim)
    export_to_path(store, "csv", target)
    assert victim.read_text() == "someone else's file"
    assert stat.S_IMODE(victim.stat().st_mode) == 0o644
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8").startswith("date,")


def test_export_refuses_to_replace_a_file_unless_asked(store: HistoryStore, tmp_path: Path) -> None:
    record_session(store)
    target = tmp_path / "backup.json"
    target.write_text("keep me")
    with pytest.raises(ExportTargetExistsError, match="already exists"):
        export_to_path(store, "json", target, overwrite=False)
    assert target.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    assert export_to_path(store, "json", target, overwrite=True) == 1
    assert json.loads(target.read_text())["format"] == BACKUP_FORMAT
