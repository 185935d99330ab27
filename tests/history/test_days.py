"""Days are the person's days: local-day placement, day status, streak rules."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from si_timer.history.days import (
    DayActivity,
    DayStatus,
    RoutineDay,
    compute_streaks,
    local_day,
    local_offset_minutes,
    month_grid,
    month_summary,
    week_start,
)
from si_timer.history.model import DayMark

BERLIN = ZoneInfo("Europe/Berlin")


def local(day: date, hour: int, minute: int, zone: ZoneInfo, *, fold: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone, fold=fold)


def placed(moment: datetime) -> date:
    """Place a session the way the player records it: UTC start + offset then."""
    offset = moment.utcoffset()
    assert offset is not None
    return local_day(moment.astimezone(UTC), round(offset.total_seconds() / 60))


# --- local days -------------------------------------------------------------------


def test_local_day_uses_the_recorded_offset_not_utc() -> None:
    # 00:30 in Berlin summer time is 22:30 UTC the evening before.
    start = local(date(2025, 6, 2), 0, 30, BERLIN)
    assert start.astimezone(UTC).date() == date(2025, 6, 1)
    assert placed(start) == date(2025, 6, 2)


def test_a_session_crossing_midnight_counts_on_its_start_day() -> None:
    start = local(date(2025, 6, 1), 23, 50, BERLIN)
    assert placed(start) == date(2025, 6, 1)
    end = start + timedelta(minutes=30)
    assert end.date() == date(2025, 6, 2)  # ended the next day, still counted on the 1st


def test_spring_forward_day_is_one_day() -> None:
    # 2025-03-30: Berlin clocks jump 02:00 -> 03:00 (23-hour day).
    before = local(date(2025, 3, 30), 1, 30, BERLIN)
    after = local(date(2025, 3, 30), 3, 30, BERLIN)
    assert before.utcoffset() == timedelta(hours=1)
    assert after.utcoffset() == timedelta(hours=2)
    assert placed(before) == placed(after) == date(2025, 3, 30)
    late = local(date(2025, 3, 30), 23, 59, BERLIN)
    assert placed(late) == date(2025, 3, 30)
    assert placed(local(date(2025, 3, 31), 0, 1, BERLIN)) == date(2025, 3, 31)


def test_fall_back_repeated_hour_is_one_day() -> None:
    # 2025-10-26: 02:00-03:00 happens twice in Berlin (25-hour day).
    first = local(date(2025, 10, 26), 2, 30, BERLIN, fold=0)
    second = local(date(2025, 10, 26), 2, 30, BERLIN, fold=1)
    assert first.utcoffset() != second.utcoffset()
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=1)
    assert placed(first) == placed(second) == date(2025, 10, 26)
    # The two sessions count once as a day for a streak.
    days = [placed(first), placed(second), date(2025, 10, 25)]
    assert compute_streaks(days, [], date(2025, 10, 26)).current == 2


def test_every_local_day_of_a_dst_year_gets_exactly_its_sessions() -> None:
    # A session every day at 00:15, 12:00 and 23:45 Berlin time for a whole
    # year (both DST changes inside): each calendar day holds exactly three.
    counts: dict[date, int] = {}
    day = date(2025, 1, 1)
    while day.year == 2025:
        for hour, minute in ((0, 15), (12, 0), (23, 45)):
            key = placed(local(day, hour, minute, BERLIN))
            counts[key] = counts.get(key, 0) + 1
        day += timedelta(days=1)
    assert len(counts) == 365
    assert set(counts.values()) == {3}


def test_travel_east_keeps_both_days() -> None:
    # Monday 22:00 in New York (Tue 02:00 UTC), then Tuesday 08:00 in Berlin
    # (Tue 06:00 UTC): two days, a two-day streak - no duplicated or lost day.
    new_york = ZoneInfo("America/New_York")
    monday = placed(local(date(2025, 6, 2), 22, 0, new_york))
    tuesday = placed(local(date(2025, 6, 3), 8, 0, BERLIN))
    assert (monday, tuesday) == (date(2025, 6, 2), date(2025, 6, 3))
    assert compute_streaks([monday, tuesday], [], tuesday).current == 2


def test_travel_west_two_sessions_same_local_day_count_once() -> None:
    # Tuesday 07:00 in Berlin, fly to New York, Tuesday 18:00 there: one day.
    new_york = ZoneInfo("America/New_York")
    first = placed(local(date(2025, 6, 3), 7, 0, BERLIN))
    second = placed(local(date(2025, 6, 3), 18, 0, new_york))
    assert first == second == date(2025, 6, 3)
    assert compute_streaks([first, second], [], date(2025, 6, 3)).current == 1


def test_crossing_the_date_line_west_leaves_the_streak_alive() -> None:
    # Done on Tuesday in Auckland, then flying to Honolulu it is Monday again
    # there: "today" is before the newest day, the streak is not dropped.
    auckland, honolulu = ZoneInfo("Pacific/Auckland"), ZoneInfo("Pacific/Honolulu")
    days = [date(2025, 6, 2), placed(local(date(2025, 6, 3), 9, 0, auckland))]
    now_there = datetime(2025, 6, 3, 0, 30, tzinfo=UTC).astimezone(honolulu).date()
    assert now_there == date(2025, 6, 2)
    assert compute_streaks(days, [], now_there).current == 2


@pytest.fixture
def machine_zone() -> Iterator[None]:
    saved = os.environ.get("TZ")
    yield
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time.tzset()


@pytest.mark.usefixtures("machine_zone")
def test_the_machine_time_zone_never_moves_a_recorded_session() -> None:
    started = datetime(2025, 6, 2, 22, 30, tzinfo=UTC)
    placements = set()
    for zone in ("UTC", "Asia/Tokyo", "America/Los_Angeles"):
        os.environ["TZ"] = zone
        time.tzset()
        placements.add(local_day(started, 120))  # recorded in Berlin summer time
    assert placements == {date(2025, 6, 3)}


@pytest.mark.usefixtures("machine_zone")
def test_local_offset_minutes_follows_dst() -> None:
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    assert local_offset_minutes(datetime(2025, 1, 15, 12, tzinfo=UTC)) == 60
    assert local_offset_minutes(datetime(2025, 7, 15, 12, tzinfo=UTC)) == 120


def test_naive_start_is_a_bug() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        local_day(datetime(2025, 1, 1, 8, 0), 60)


# --- what a day shows ---------------------------------------------------------------


def act(*routines: RoutineDay, mark: DayMark | None = None) -> DayActivity:
    return DayActivity(date(2025, 3, 14), routines, 600.0, mark)


@pytest.mark.parametrize(
    ("activity", "status", "counts"),
    [
        (act(), DayStatus.NONE, False),
        (act(RoutineDay("morning", 2, 2, 0, 0)), DayStatus.FULL, True),
        (act(RoutineDay("morning", 2, 1, 0, 0)), DayStatus.HALF, True),
        (act(RoutineDay("morning", 2, 1, 1, 0)), DayStatus.HALF, True),
        (act(RoutineDay("strength", 1, 1, 0, 0)), DayStatus.FULL, True),
        (act(RoutineDay("strength", 1, 0, 1, 0)), DayStatus.PARTIAL, True),
        (act(RoutineDay("strength", 1, 0, 0, 1)), DayStatus.NONE, False),
        (act(mark=DayMark.REST), DayStatus.REST, False),
        (act(mark=DayMark.SICK), DayStatus.SICK, False),
        (act(RoutineDay("strength", 1, 0, 1, 0), mark=DayMark.SICK), DayStatus.SICK, True),
        (act(RoutineDay("morning", 2, 2, 0, 0), mark=DayMark.REST), DayStatus.FULL, True),
        # Twice-a-day stretches done once and strength done: the goal is not met.
        (
            act(RoutineDay("morning", 2, 1, 0, 0), RoutineDay("strength", 1, 1, 0, 0)),
            DayStatus.HALF,
            True,
        ),
    ],
)
def test_day_status(activity: DayActivity, status: DayStatus, counts: bool) -> None:
    assert activity.status is status
    assert activity.counts_for_streak is counts


def test_goal_progress_reports_the_routine_furthest_from_its_goal() -> None:
    day = act(RoutineDay("morning", 2, 1, 0, 0), RoutineDay("strength", 1, 3, 0, 0))
    assert day.goal_progress == (1, 2)
    assert act(RoutineDay("morning", 2, 5, 0, 0)).goal_progress == (2, 2)
    assert act().goal_progress is None


def test_month_grid_is_six_weeks_from_monday() -> None:
    grid = month_grid(2025, 3)  # 1 March 2025 is a Saturday
    assert grid[0][0] == date(2025, 2, 24)
    assert all(len(week) == 7 for week in grid)
    assert len(grid) == 6
    assert grid[-1][-1] == date(2025, 4, 6)
    assert all(d.weekday() == 0 for d in (w[0] for w in grid))


def test_month_summary_marks_today_future_and_outside_days() -> None:
    today = date(2025, 3, 14)
    summary = month_summary(2025, 3, {today: act(RoutineDay("m", 1, 1, 0, 0))}, today)
    cells = {c.day: c for week in summary.weeks for c in week}
    assert cells[today].is_today
    assert cells[today].activity.status is DayStatus.FULL
    assert cells[date(2025, 3, 15)].is_future
    assert not cells[date(2025, 2, 28)].in_month
    assert len(summary.cells_in_month()) == 31
    assert summary.title == "March 2025"


def test_week_start_is_monday() -> None:
    assert week_start(date(2025, 3, 16)) == date(2025, 3, 10)  # Sunday
    assert week_start(date(2025, 3, 10)) == date(2025, 3, 10)


# --- streaks ------------------------------------------------------------------------

D = date(2025, 3, 1)


def days(*offsets: int) -> list[date]:
    return [D + timedelta(days=o) for o in offsets]


def test_no_days_no_streak() -> None:
    s = compute_streaks([], [], D)
    assert (s.current, s.best, s.current_since) == (0, 0, None)


def test_consecutive_days_make_a_streak_and_a_gap_breaks_it() -> None:
    s = compute_streaks(days(0, 1, 2, 4, 5), [], D + timedelta(days=5))
    assert (s.current, s.best) == (2, 3)
    assert (s.best_since, s.best_until) == (D, D + timedelta(days=2))
    assert s.current_since == D + timedelta(days=4)


def test_an_empty_today_does_not_break_the_streak_but_yesterday_does() -> None:
    done = days(0, 1, 2)
    assert compute_streaks(done, [], D + timedelta(days=3)).current == 3
    assert compute_streaks(done, [], D + timedelta(days=4)).current == 0
    assert compute_streaks(done, [], D + timedelta(days=4)).best == 3


def test_rest_and_sick_days_bridge_without_counting() -> None:
    s = compute_streaks(days(0, 1, 4, 5), days(2, 3), D + timedelta(days=5))
    assert (s.current, s.best) == (4, 4)
    # A marked yesterday keeps the streak alive into today.
    s = compute_streaks(days(0, 1), days(2), D + timedelta(days=3))
    assert s.current == 2
    # One unmarked day in a run of marks still breaks it.
    s = compute_streaks(days(0, 5), days(1, 2, 4), D + timedelta(days=5))
    assert s.current == 1


def test_a_marked_day_with_work_counts_once() -> None:
    s = compute_streaks(days(0, 1, 2), days(1), D + timedelta(days=2))
    assert s.current == 3


def reference_streaks(done: set[date], marked: set[date], today: date) -> tuple[int, int]:
    """Day by day over the calendar: the obvious, slow definition."""
    if not done:
        return 0, 0
    first, last = min(done), max(*done, today)
    best = run = 0
    current = 0
    day = first
    while day <= last:
        if day in done:
            run += 1
        elif day in marked or day == today:
            pass
        else:
            run = 0
        best = max(best, run)
        day += timedelta(days=1)
    current = run
    return current, best


@given(
    st.sets(st.integers(0, 60), max_size=40),
    st.sets(st.integers(0, 60), max_size=20),
    st.integers(0, 70),
)
def test_streaks_match_the_day_by_day_definition(
    done: set[int], marked: set[int], today: int
) -> None:
    done_days = {D + timedelta(days=o) for o in done}
    mark_days = {D + timedelta(days=o) for o in marked}
    today_day = D + timedelta(days=today)
    got = compute_streaks(done_days, mark_days, today_day)
    assert (got.current, got.best) == reference_streaks(done_days, mark_days, today_day)


def test_fixed_offsets_at_the_extremes() -> None:
    start = datetime(2025, 1, 1, 11, 0, tzinfo=timezone.utc)  # noqa: UP017
    assert local_day(start, 14 * 60) == date(2025, 1, 2)  # Kiribati
    assert local_day(start, -12 * 60) == date(2024, 12, 31)  # Baker Island
