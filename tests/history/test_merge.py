"""Merging a backup never loses a recorded segment, whichever copy arrives first."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from si_timer.history.model import SessionStatus, StoredSegment, StoredSession
from si_timer.history.store import HistoryStore
from si_timer.records import replace
from tests.helpers.history_factories import make_plan, play_segments

START = datetime(2025, 3, 14, 6, 0, tzinfo=UTC)
SID = "4f3c2b1a-0000-4000-8000-000000000001"


def copy(status: SessionStatus, rows: int, *, note: str | None = None) -> StoredSession:
    """The same session (same id, same recording) as one machine holds it."""
    plan = make_plan("morning")
    records = play_segments(plan, START, random.Random(3), pain_skips=0)[:rows]
    ended = None
    if status is not SessionStatus.IN_PROGRESS:
        ended = records[-1].ended_at if records else START + timedelta(minutes=1)
    return StoredSession(
        id=SID,
        routine="morning",
        plan=plan,
        started_at=START,
        utc_offset_minutes=60,
        ended_at=ended,
        status=status,
        pain_before=4,
        pain_after=None,
        difficulty=None,
        note=note,
        segments=tuple(StoredSegment(i + 1, r) for i, r in enumerate(records)),
    )


def merged(store: HistoryStore, ours: StoredSession, theirs: StoredSession) -> StoredSession:
    store.merge([ours], [])
    store.merge([theirs], [])
    result = store.stored_session(SID)
    assert result is not None
    return result


def rows_of(session: StoredSession) -> list[tuple[object, ...]]:
    return [(s.record.index, s.record.kind, s.record.ended_at) for s in session.segments]


def test_an_abandoned_copy_without_rows_keeps_our_twelve(store: HistoryStore) -> None:
    ours = copy(SessionStatus.IN_PROGRESS, 12)
    result = merged(store, ours, copy(SessionStatus.ABANDONED, 0))
    assert rows_of(result) == rows_of(ours)
    # It ended elsewhere, but not before its last recorded segment.
    assert result.status is SessionStatus.ABANDONED
    assert result.ended_at == ours.segments[-1].record.ended_at
    (summary,) = store.session_summaries()
    assert summary.segments_done == sum(1 for s in ours.segments if s.record.is_work)


def test_twelve_rows_arriving_join_our_abandoned_copy(store: HistoryStore) -> None:
    theirs = copy(SessionStatus.IN_PROGRESS, 12)
    result = merged(store, copy(SessionStatus.ABANDONED, 0), theirs)
    assert rows_of(result) == rows_of(theirs)
    assert result.status is SessionStatus.ABANDONED
    assert [s.seq for s in result.segments] == list(range(1, 13))


@pytest.mark.parametrize(("done_rows", "open_rows"), [(8, 14), (14, 8)])
@pytest.mark.parametrize("completed_is_ours", [True, False])
def test_completed_and_in_progress_unite_their_rows(
    store: HistoryStore, done_rows: int, open_rows: int, completed_is_ours: bool
) -> None:
    done = copy(SessionStatus.COMPLETED, done_rows)
    still_open = copy(SessionStatus.IN_PROGRESS, open_rows)
    ours, theirs = (done, still_open) if completed_is_ours else (still_open, done)
    result = merged(store, ours, theirs)
    longer = done if done_rows > open_rows else still_open
    assert rows_of(result) == rows_of(longer)
    assert result.status is SessionStatus.COMPLETED


def test_diverged_copies_keep_every_row_of_both(store: HistoryStore) -> None:
    full = copy(SessionStatus.IN_PROGRESS, 16)
    ours = replace(full, segments=full.segments[:6] + full.segments[10:])
    theirs = replace(full, segments=full.segments[:10])
    result = merged(store, ours, theirs)
    assert rows_of(result) == rows_of(full)
    assert [s.seq for s in result.segments] == list(range(1, 17))


@pytest.mark.parametrize("status", list(SessionStatus))
def test_the_same_rows_on_both_sides_change_nothing(
    store: HistoryStore, status: SessionStatus
) -> None:
    same = copy(status, 10)
    assert store.merge([same], []).sessions_added == 1
    before = store.stored_session(SID)
    again = store.merge([same], [])
    assert (again.sessions_unchanged, again.changed) == (1, False)
    assert store.stored_session(SID) == before


def test_a_note_from_the_shorter_copy_is_still_filled_in(store: HistoryStore) -> None:
    result = merged(
        store, copy(SessionStatus.COMPLETED, 12), copy(SessionStatus.COMPLETED, 3, note="sore")
    )
    assert (len(result.segments), result.note) == (12, "sore")


def test_one_backup_holding_a_session_twice_unites_both_copies(store: HistoryStore) -> None:
    """New sessions' rows are written together at the end; a second copy in the same
    backup is merged with the first one's rows, not with none."""
    first, second = copy(SessionStatus.IN_PROGRESS, 5), copy(SessionStatus.COMPLETED, 9)
    result = store.merge([first, second], [])
    assert (result.sessions_added, result.sessions_updated) == (1, 1)
    both = store.stored_session(SID)
    assert both is not None
    assert rows_of(both) == rows_of(second)
    assert [s.seq for s in both.segments] == list(range(1, 10))
    assert both.status is SessionStatus.COMPLETED
    assert store.merge([first, second], []).sessions_unchanged == 2


def test_a_session_we_hold_met_twice_in_one_backup_keeps_both_copies_rows(
    store: HistoryStore,
) -> None:
    """Our sessions are read once before the merge; a second copy of one in the same
    backup is merged with what the first copy left, not with what was there before."""
    full = copy(SessionStatus.COMPLETED, 16)
    store.merge([replace(full, segments=full.segments[:4])], [])
    first = replace(full, segments=full.segments[:10], note="sore")
    second = replace(full, segments=full.segments[:4] + full.segments[10:])
    result = store.merge([first, second], [])
    assert (result.sessions_added, result.sessions_updated) == (0, 2)
    both = store.stored_session(SID)
    assert both is not None
    assert rows_of(both) == rows_of(full)
    assert [s.seq for s in both.segments] == list(range(1, 17))
    assert both.note == "sore"
    assert store.merge([first, second], []).sessions_unchanged == 2


def test_foreign_keys_are_checked_again_after_a_merge(store: HistoryStore) -> None:
    """A merge writes without SQLite's foreign key checks; every other write has them,
    whether the merge committed or was stopped."""

    def foreign_keys() -> int:
        return int(store._conn.execute("PRAGMA foreign_keys").fetchone()[0])

    store.merge([copy(SessionStatus.COMPLETED, 5)], [])
    assert foreign_keys() == 1

    def stop(done: int, total: int) -> None:
        raise KeyboardInterrupt

    other = replace(copy(SessionStatus.COMPLETED, 5), id=SID + "-other")
    with pytest.raises(KeyboardInterrupt):
        store.merge([other], [], writing=stop)
    assert foreign_keys() == 1
    assert store.stored_session(SID + "-other") is None
    with pytest.raises(sqlite3.IntegrityError):
        store._conn.execute(
            "INSERT INTO segments (session_key, seq, idx, kind, actual_seconds, outcome, "
            "ended_at) VALUES (999, 1, 0, 'hold', 1.0, 'done', 'x')"
        )
