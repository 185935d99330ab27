"""Each store write announces exactly what it changed, once, after it committed."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from si_timer.history.changes import HistoryChange
from si_timer.history.errors import SessionStateError
from si_timer.history.model import DayMark, Difficulty, SessionStatus
from si_timer.history.store import HistoryStore
from tests.helpers.history_factories import make_plan, play_segments

START = datetime(2025, 3, 14, 6, 0, tzinfo=UTC)


def listen(store: HistoryStore) -> list[HistoryChange]:
    seen: list[HistoryChange] = []
    store.subscribe(seen.append)
    return seen


def begin(store: HistoryStore, start: datetime = START) -> str:
    return store.begin_session(
        "morning", make_plan("morning"), started_at=start, utc_offset_minutes=60, pain_before=4
    )


def test_a_session_announces_sessions_at_its_ends_and_segments_between(
    store: HistoryStore,
) -> None:
    seen = listen(store)
    sid = begin(store)
    records = play_segments(make_plan("morning"), START, random.Random(3), pain_skips=0.0)
    for record in records[:2]:
        store.record_segment(sid, record)
    store.set_pain_before(sid, 6)
    store.finish_session(sid, SessionStatus.COMPLETED, ended_at=records[1].ended_at)
    assert seen == [
        HistoryChange(sessions=True, session_id=sid),
        HistoryChange(segments=True, session_id=sid),
        HistoryChange(segments=True, session_id=sid),
        HistoryChange(ratings=True, session_id=sid),
        HistoryChange(sessions=True, session_id=sid),
    ]
    # The home screen is rebuilt at the start and the end, never in between.
    assert [c.touches_home for c in seen] == [True, False, False, False, True]


def test_finishing_with_ratings_announces_both(store: HistoryStore) -> None:
    sid = begin(store)
    seen = listen(store)
    store.finish_session(sid, SessionStatus.PARTIAL, ended_at=START, difficulty=Difficulty.TOO_HARD)
    assert seen == [HistoryChange(sessions=True, ratings=True, session_id=sid)]
    # A blank note is no rating: it stores nothing.
    other = begin(store, START + timedelta(hours=1))
    store.finish_session(other, SessionStatus.COMPLETED, ended_at=START, note="  ")
    assert seen[-1] == HistoryChange(sessions=True, session_id=other)


@pytest.mark.parametrize(
    "rate",
    [
        lambda s, sid: s.set_pain_before(sid, 3),
        lambda s, sid: s.set_pain_after(sid, None),
        lambda s, sid: s.set_difficulty(sid, Difficulty.ABOUT_RIGHT),
        lambda s, sid: s.set_note(sid, "stiff"),
    ],
    ids=["pain before", "pain after", "difficulty", "note"],
)
def test_each_rating_announces_ratings_only(
    store: HistoryStore, rate: Callable[[HistoryStore, str], None]
) -> None:
    sid = begin(store)
    seen = listen(store)
    rate(store, sid)
    assert seen == [HistoryChange(ratings=True, session_id=sid)]
    assert not seen[0].touches_home


def test_a_day_mark_announces_marks(store: HistoryStore) -> None:
    seen = listen(store)
    store.set_day_mark(date(2025, 3, 1), DayMark.SICK)
    store.set_day_mark(date(2025, 3, 1), None)
    assert seen == [HistoryChange(marks=True)] * 2
    assert seen[0].touches_home


def test_resume_and_keep_as_partial_announce_sessions(db_path: Path) -> None:
    first, _ = HistoryStore.open(db_path)
    with first:
        cut_off = begin(first)
        kept = begin(first, START + timedelta(hours=2))
    store, _ = HistoryStore.open(db_path)  # the next run, after a crash
    with store:
        seen = listen(store)
        store.resume_session(cut_off)
        store.keep_as_partial(kept)
        assert seen == [
            HistoryChange(sessions=True, session_id=cut_off),
            HistoryChange(sessions=True, session_id=kept),
        ]
        with pytest.raises(SessionStateError):
            store.resume_session(cut_off)  # already taken up: nothing announced
        assert len(seen) == 2


def test_a_merge_announces_an_import_and_what_it_brought(
    store: HistoryStore, tmp_path: Path
) -> None:
    other, _ = HistoryStore.open(tmp_path / "other.sqlite3")
    with other:
        sid = begin(other)
        other.finish_session(sid, SessionStatus.COMPLETED, ended_at=START)
        other.set_day_mark(date(2025, 3, 2), DayMark.REST)
        sessions, marks = list(other.iter_stored_sessions()), other.mark_records()
    seen = listen(store)
    store.merge(sessions, marks)
    store.merge(sessions, [])
    assert seen == [
        HistoryChange(sessions=True, segments=True, ratings=True, marks=True, imported=True),
        HistoryChange(imported=True),  # nothing new, but an import all the same
    ]
    assert all(c.touches_home for c in seen)


def test_a_failed_write_announces_nothing(store: HistoryStore) -> None:
    seen = listen(store)
    with pytest.raises(SessionStateError):
        store.set_note("no-such-session", "x")
    assert seen == []


def test_listeners_see_a_finished_session_as_no_longer_recorded(store: HistoryStore) -> None:
    sid = begin(store)
    seen: list[bool] = []
    store.subscribe(lambda _change: seen.append(store.is_recording(sid)))
    store.set_note(sid, "going well")
    store.finish_session(sid, SessionStatus.COMPLETED, ended_at=START)
    assert seen == [True, False]
