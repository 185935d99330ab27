"""What the home screen says, asked at fixed times of fixed histories."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from si_timer.history import overview
from si_timer.history.model import RoutineUsage, SessionStatus
from si_timer.history.store import HistoryStore
from si_timer.library.model import Routine, RoutineEntry
from tests.helpers.history_factories import fill_history, make_plan, session_for

BERLIN_WINTER = timezone(timedelta(hours=1))
TODAY = date(2025, 3, 14)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), BERLIN_WINTER)


def routine(routine_id: str, name: str, times_per_day: int | None = None) -> Routine:
    return Routine(routine_id, name, (RoutineEntry("figure-4"),), times_per_day=times_per_day)


ROUTINES = {
    "morning": routine("morning", "Morning stretches", 2),
    "strength": routine("strength", "Strength"),
}


def add(store: HistoryStore, routine_id: str, when: datetime, seed: int = 1) -> None:
    """A completed session of ``routine_id`` started at local time ``when``."""
    rng = random.Random(seed)
    offset = when.utcoffset()
    assert offset is not None
    session = session_for(
        routine_id,
        when.astimezone(UTC),
        round(offset.total_seconds() / 60),
        rng,
        status=SessionStatus.COMPLETED,
    )
    store.merge([session], [])


def add_nothing_done(store: HistoryStore, routine_id: str, when: datetime) -> None:
    """A session begun and stopped before its first step was done."""
    sid = store.begin_session(
        routine_id, make_plan(routine_id), started_at=when, utc_offset_minutes=60
    )
    store.finish_session(sid, SessionStatus.ABANDONED, ended_at=when + timedelta(seconds=3))


# --- the greeting -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hour", "minute", "text"),
    [
        (0, 5, "Good evening"),  # still the night before, not morning
        (4, 59, "Good evening"),
        (5, 0, "Good morning"),
        (7, 0, "Good morning"),
        (11, 59, "Good morning"),
        (12, 0, "Good afternoon"),
        (17, 59, "Good afternoon"),
        (18, 0, "Good evening"),
        (23, 30, "Good evening"),
    ],
)
def test_greeting_follows_the_local_hour(hour: int, minute: int, text: str) -> None:
    assert overview.greeting(at(TODAY, hour, minute)) == text
    assert overview.greeting(datetime.combine(TODAY, time(hour, minute))) == text  # naive local


def test_greeting_over_every_hour_of_the_day() -> None:
    said = [overview.greeting(at(TODAY, hour, 30)) for hour in range(24)]
    assert said == (
        ["Good evening"] * 5 + ["Good morning"] * 7 + ["Good afternoon"] * 6 + ["Good evening"] * 6
    )


def test_greeting_reads_the_hour_in_now_s_own_zone() -> None:
    evening_in_berlin = datetime(2025, 3, 14, 17, 30, tzinfo=UTC).astimezone(BERLIN_WINTER)
    assert overview.greeting(evening_in_berlin) == "Good evening"


# --- today's status and the streak ------------------------------------------------------


def test_without_history_the_status_says_so() -> None:
    status = overview.home_status(None, ROUTINES, at(TODAY, 21, 30))
    assert status == overview.HomeStatus(
        "Good evening", "History is off for now; sessions still run.", ""
    )


def test_an_empty_day(store: HistoryStore) -> None:
    status = overview.home_status(store, ROUTINES, at(TODAY, 8))
    assert status == overview.HomeStatus(
        "Good morning", "Nothing yet today. A few gentle minutes is plenty.", ""
    )


def test_a_session_with_nothing_done_is_not_counted(store: HistoryStore) -> None:
    add_nothing_done(store, "morning", at(TODAY, 7))
    status = overview.home_status(store, ROUTINES, at(TODAY, 8))
    assert status.status == "Nothing yet today. A few gentle minutes is plenty."
    assert status.streak == ""
    assert store.routine_usage() == {}


def test_the_daily_goal_reads_one_then_two_of_two(store: HistoryStore) -> None:
    add(store, "morning", at(TODAY, 7, 10))
    first = overview.home_status(store, ROUTINES, at(TODAY, 13))
    assert first == overview.HomeStatus(
        "Good afternoon", "Done today: Morning stretches 1 of 2", "1 day in a row"
    )
    add(store, "morning", at(TODAY, 19, 45), seed=2)
    add(store, "morning", at(TODAY, 20, 30), seed=3)  # more than the goal stays "2 of 2"
    later = overview.home_status(store, ROUTINES, at(TODAY, 21))
    assert later.status == "Done today: Morning stretches 2 of 2"


def test_routines_without_a_goal_count_sessions_in_the_order_done(store: HistoryStore) -> None:
    add(store, "strength", at(TODAY, 7))
    add(store, "morning", at(TODAY, 8), seed=2)
    add(store, "strength", at(TODAY, 12), seed=3)
    status = overview.home_status(store, ROUTINES, at(TODAY, 18))
    assert status.status == "Done today: Strength ×2, Morning stretches 1 of 2"


def test_a_routine_no_longer_in_the_library_is_named_as_recorded(store: HistoryStore) -> None:
    add(store, "morning", at(TODAY, 7))
    status = overview.home_status(store, {}, at(TODAY, 9))
    assert status.status == "Done today: Morning stretches"


def test_the_streak_counts_days_in_a_row(store: HistoryStore) -> None:
    for back in (2, 1, 0):
        add(store, "strength", at(TODAY - timedelta(days=back), 12), seed=back)
    assert overview.home_status(store, ROUTINES, at(TODAY, 13)).streak == "🔥 3-day streak"
    # The next morning, before any session, the streak still stands.
    assert overview.home_status(store, ROUTINES, at(TODAY + timedelta(days=1), 7)).streak == (
        "🔥 3-day streak"
    )


def test_the_day_is_the_local_day_of_now(store: HistoryStore) -> None:
    add(store, "strength", at(TODAY, 23, 30))  # 22:30 UTC, still the 14th in Berlin
    late = overview.home_status(store, ROUTINES, at(TODAY, 23, 50))
    assert late.status == "Done today: Strength"
    after_midnight = overview.home_status(store, ROUTINES, at(TODAY + timedelta(days=1), 0, 10))
    assert after_midnight.status.startswith("Nothing yet today")


@pytest.mark.parametrize(
    ("current", "text"),
    [
        (0, ""),
        (1, "1 day in a row"),
        (2, "🔥 2-day streak"),
        (30, "🔥 30-day streak"),
    ],
)
def test_streak_text(current: int, text: str) -> None:
    assert overview.streak_text(current) == text


# --- the big button and "last done" -------------------------------------------------------

LIBRARY = {
    rid: routine(rid, rid.title())
    for rid in (
        "core-strength",
        "full",
        "morning",
        "pelvic-rotation",
    )
}


def usage(**counts: int) -> dict[str, RoutineUsage]:
    return {rid.replace("_", "-"): RoutineUsage(n, TODAY) for rid, n in counts.items()}


def test_the_chosen_routine_wins() -> None:
    assert overview.hero_routine("full", LIBRARY, usage(core_strength=9)) == "full"


def test_else_the_most_done_routine() -> None:
    assert overview.hero_routine("", LIBRARY, usage(core_strength=9, full=3)) == "core-strength"
    # A chosen routine that is gone from the library is passed over.
    assert overview.hero_routine("deleted", LIBRARY, usage(full=3)) == "full"


def test_ties_go_to_the_id_that_sorts_last() -> None:
    assert overview.hero_routine("", LIBRARY, usage(core_strength=4, pelvic_rotation=4)) == (
        "pelvic-rotation"
    )


def test_usage_of_routines_not_in_the_library_is_ignored() -> None:
    assert overview.hero_routine("", LIBRARY, usage(handstands=50, full=1)) == "full"


def test_else_morning_else_the_first_else_nothing() -> None:
    assert overview.hero_routine("", LIBRARY, {}) == "morning"
    assert overview.hero_routine("", LIBRARY, usage(full=0)) == "morning"
    no_morning = {rid: r for rid, r in LIBRARY.items() if rid != "morning"}
    assert overview.hero_routine("", no_morning, {}) == "core-strength"
    assert overview.hero_routine("", {}, {}) == ""


def test_last_done_text() -> None:
    assert overview.last_done_text(None, TODAY) == "Not done yet"
    assert overview.last_done_text(RoutineUsage(3, TODAY), TODAY) == "Today"
    assert overview.last_done_text(RoutineUsage(3, TODAY - timedelta(days=3)), TODAY) == (
        "3 days ago"
    )
    assert overview.last_done_text(RoutineUsage(1, date(2024, 3, 4)), TODAY) == "4 Mar 2024"


# --- routine usage: one grouped query ------------------------------------------------------


def python_usage(store: HistoryStore) -> dict[str, RoutineUsage]:
    """The computation the home screen used to do over every session summary."""
    found: dict[str, tuple[int, date]] = {}
    for s in store.session_summaries():
        if s.reps_done:
            count, last = found.get(s.routine, (0, s.local_day))
            found[s.routine] = (count + 1, max(last, s.local_day))
    return {rid: RoutineUsage(n, last) for rid, (n, last) in found.items()}


def test_routine_usage_matches_reading_every_session(store: HistoryStore) -> None:
    sessions = fill_history(store, date(2024, 1, 1), date(2024, 12, 31), skip_days=0.3, seed=11)
    add_nothing_done(store, "strength", datetime(2025, 3, 14, 6, tzinfo=UTC))  # not counted
    got = store.routine_usage()
    assert got == python_usage(store)
    assert set(got) == {"morning", "strength"}
    assert got["strength"].last_day <= date(2024, 12, 31)  # today's empty one left out
    assert 0 < sum(u.count for u in got.values()) <= sessions


def test_routine_usage_reads_one_query_of_kept_totals(store: HistoryStore) -> None:
    fill_history(store, date(2024, 1, 1), date(2024, 1, 31))
    statements: list[str] = []
    store._conn.set_trace_callback(statements.append)
    try:
        store.routine_usage()
    finally:
        store._conn.set_trace_callback(None)
    assert len(statements) == 1
    assert "FROM routine_totals" in statements[0]
