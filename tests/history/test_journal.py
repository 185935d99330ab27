"""The journal of owed history writes: appended, fsynced, read back, replayed once."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from si_timer.history.files import journal_path
from si_timer.history.journal import (
    BeginSession,
    FinishSession,
    Journal,
    PendingWrite,
    RateSession,
    RecordSegment,
    SetPainBefore,
    from_line,
    to_line,
)
from si_timer.history.model import (
    Difficulty,
    Outcome,
    SegmentKind,
    SegmentRecord,
    SessionStatus,
    Side,
)
from si_timer.history.store import HistoryStore
from tests.helpers.history_factories import make_plan

START = datetime(2025, 3, 14, 6, 0, tzinfo=UTC)
SID = "0b7e7a52-1f0e-4d5e-9a51-6f5b8d9e2c11"


def seg(index: int, *, at: float | None = None, kind: str = "hold") -> RecordSegment:
    return RecordSegment(
        SID,
        SegmentRecord(
            index=index,
            kind=SegmentKind(kind),
            exercise="knee-to-chest",
            side=Side.LEFT,
            set=1,
            rep=index,
            planned_seconds=20.0,
            actual_seconds=19.5,
            outcome=Outcome.DONE,
            ended_at=START + timedelta(seconds=at if at is not None else 30 * (index + 1)),
        ),
    )


def a_session(segments: int = 3) -> list[PendingWrite]:
    return [
        BeginSession(SID, "morning", make_plan("morning"), START, 60),
        SetPainBefore(SID, 4),
        *(seg(i) for i in range(segments)),
        FinishSession(SID, SessionStatus.COMPLETED, START + timedelta(minutes=5)),
        RateSession(SID, 2, Difficulty.ABOUT_RIGHT, "Felt looser"),
    ]


def stored(store: HistoryStore) -> tuple[object, ...]:
    (summary,) = store.session_summaries()
    rows = store._conn.execute("SELECT seq, idx, ended_at FROM segments ORDER BY seq").fetchall()
    return (
        summary.id,
        summary.status,
        summary.pain_before,
        summary.pain_after,
        summary.difficulty,
        summary.note,
        summary.segments_done,
        rows,
    )


# --- lines ---------------------------------------------------------------------------


def test_every_kind_of_write_comes_back_from_its_line_unchanged() -> None:
    writes = [*a_session(), RateSession(SID, None, None, None), seg(4, kind="lead_in")]
    for write in writes:
        line = to_line(write)
        assert "\n" not in line
        assert from_line(line) == write


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("", "not JSON"),
        ("[]", "not an object"),
        ('{"op": "segment"}', "no session id"),
        ('{"op": "nonsense", "session": "x"}', "unknown op"),
        ('{"op": "pain_before", "session": "x", "pain": "4"}', "must be an integer"),
        ('{"op": "pain_before", "session": "x", "pain": true}', "must be an integer"),
        ('{"op": "segment", "session": "x", "index": 1}', "is missing"),
        (
            '{"op": "finish", "session": "x", "status": "completed", "ended_at": "2025-03-14"}',
            "without an offset",
        ),
        (
            '{"op": "finish", "session": "x", "status": "won", "ended_at": "2025-03-14T06:00Z"}',
            "not a valid SessionStatus",
        ),
        ("[" * 100_000, r"nested too deeply|not JSON"),
        ('{"op": "pain_before", "session": "x", "pain": 11}', "between 0 and 10"),
        (
            '{"op": "rate", "session": "x", "pain_after": -1, "difficulty": null, "note": null}',
            "between 0 and 10",
        ),
        (
            '{"op": "begin", "session": "x", "routine": "m", "plan": {"a": NaN}, '
            '"started_at": "2025-03-14T06:00Z", "utc_offset_minutes": 0}',
            "not a number",
        ),
        (
            '{"op": "begin", "session": "x", "routine": "m", "plan": {}, '
            '"started_at": "2025-03-14T06:00Z", "utc_offset_minutes": 5000}',
            "out of range",
        ),
    ],
)
def test_a_line_that_is_not_a_write_is_a_value_error(line: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        from_line(line)


# --- the file ------------------------------------------------------------------------


def test_appended_writes_read_back_in_order(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "history.journal")
    assert journal.read() == []
    writes = a_session()
    journal.append(writes[:2])
    journal.append(writes[2:])
    assert journal.read() == writes
    journal.remove()
    assert not journal.exists()
    journal.remove()  # a missing journal is fine


def test_the_journal_sits_beside_the_database_and_is_owner_only(tmp_path: Path) -> None:
    path = journal_path(tmp_path / "history.sqlite3")
    assert path == tmp_path / "history.journal"
    old = os.umask(0)
    try:
        Journal(path).append([seg(0)])
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_existing_journal_with_a_loose_mode_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "history.journal"
    path.write_text("")
    path.chmod(0o644)
    Journal(path).append([seg(0)])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_torn_last_line_is_ignored_and_the_rest_kept(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "history.journal")
    journal.append([seg(0), seg(1)])
    whole = to_line(seg(2))
    with journal.path.open("a", encoding="utf-8") as out:
        out.write(whole[: len(whole) // 2])  # a crash in the middle of the write
    assert journal.read() == [seg(0), seg(1)]


def test_a_damaged_line_in_the_middle_costs_only_itself(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "history.journal")
    journal.append([seg(0)])
    with journal.path.open("ab") as out:
        out.write(b'{"op": "segment", "sess\xff\n')
    journal.append([seg(1)])
    assert journal.read() == [seg(0), seg(1)]


def test_a_failed_append_leaves_no_half_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = Journal(tmp_path / "history.journal")
    journal.append([seg(0)])
    real_write = os.write

    def half_then_full(fd: int, data: bytes | memoryview) -> int:
        real_write(fd, bytes(data[:10]))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", half_then_full)
    with pytest.raises(OSError, match="No space left"):
        journal.append([seg(1)])
    monkeypatch.undo()
    journal.append([seg(2)])
    assert journal.read() == [seg(0), seg(2)]


def test_a_journal_that_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "history.journal"
    os.mkfifo(path)
    with pytest.raises(OSError, match="not a regular file"):
        Journal(path).read()


def test_a_symlinked_journal_is_not_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("someone else's file\n")
    (tmp_path / "history.journal").symlink_to(elsewhere)
    with pytest.raises(OSError, match=r"symbolic links|Too many levels"):
        Journal(tmp_path / "history.journal").append([seg(0)])
    assert elsewhere.read_text() == "someone else's file\n"


# --- replay into the store -------------------------------------------------------


def test_replaying_twice_adds_nothing(tmp_path: Path) -> None:
    store, _ = HistoryStore.open(tmp_path / "history.sqlite3")
    with store:
        writes = a_session()
        assert all(store.apply(w) for w in writes)
        once = stored(store)
        assert once[1:7] == (
            SessionStatus.COMPLETED,
            4,
            2,
            Difficulty.ABOUT_RIGHT,
            "Felt looser",
            3,
        )
        assert [
            store.apply(w) for w in writes if not isinstance(w, SetPainBefore | RateSession)
        ] == [False] * 5
        for w in writes:
            store.apply(w)
        assert stored(store) == once


def test_a_replay_cut_off_anywhere_completes_to_the_same_history(tmp_path: Path) -> None:
    writes = a_session()
    with HistoryStore.open(tmp_path / "whole.sqlite3")[0] as store:
        for w in writes:
            store.apply(w)
        whole = stored(store)
    for cut in range(len(writes) + 1):
        with HistoryStore.open(tmp_path / f"cut{cut}.sqlite3")[0] as store:
            for w in writes[:cut]:  # applied before a crash, still in the journal
                store.apply(w)
            for w in writes:  # the next start replays the whole journal
                store.apply(w)
            assert stored(store) == whole, cut


def test_the_same_step_done_again_after_back_is_a_second_row(tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path / "history.sqlite3")[0] as store:
        store.apply(a_session(0)[0])
        again = [seg(0, at=30), seg(1, at=60), seg(1, at=75), seg(2, at=100)]
        for w in again * 2:
            store.apply(w)
        rows = store._conn.execute("SELECT idx FROM segments ORDER BY seq").fetchall()
        assert [r[0] for r in rows] == [0, 1, 1, 2]


def test_writes_for_a_session_this_file_does_not_hold_are_dropped(tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path / "history.sqlite3")[0] as store:
        assert store.apply(seg(0)) is False
        assert store.apply(FinishSession(SID, SessionStatus.PARTIAL, START)) is False
        assert store.session_summaries() == []


def test_a_replayed_session_left_in_progress_is_offered_for_resuming(tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path / "history.sqlite3")[0] as store:
        for w in a_session(2)[:4]:  # begun, two segments, then the program died
            store.apply(w)
        (interrupted,) = store.interrupted_sessions()
        assert (interrupted.id, interrupted.next_index) == (SID, 2)


def test_a_claimed_session_is_not_interrupted_while_its_start_is_owed(tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path / "history.sqlite3")[0] as store:
        store.claim(SID)
        for w in a_session(2)[:4]:
            store.apply(w)
        assert store.interrupted_sessions() == []
        assert store.is_recording(SID)
        store.apply(FinishSession(SID, SessionStatus.PARTIAL, START + timedelta(minutes=2)))
        assert not store.is_recording(SID)
