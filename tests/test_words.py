"""Words for people: durations, clocks, days and times read the same everywhere."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from si_timer import words
from si_timer.library.model import Dose, Range, TempoPhase

TODAY = date(2026, 11, 21)  # a Saturday


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 s"),
        (45, "45 s"),
        (59.6, "1 min"),
        (300, "5 min"),
        (320, "5 min 20 s"),
        (3725, "62 min 5 s"),
    ],
)
def test_duration_text_is_to_the_second(seconds: float, text: str) -> None:
    assert words.duration_text(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "under a minute"),
        (29, "under a minute"),
        (31, "1 min"),
        (330, "6 min"),
        (5400, "90 min"),
    ],
)
def test_minutes_text_is_to_the_minute(seconds: float, text: str) -> None:
    assert words.minutes_text(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "0 s"), (20.4, "20 s"), (29, "29 s"), (31, "1 min"), (360, "6 min")]
)
def test_session_time_text(seconds: float, text: str) -> None:
    assert words.session_time_text(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (-1, "0 min"),
        (0, "0 min"),
        (44.6, "45 s"),
        (89, "1 min"),
        (480, "8 min"),
        (3900, "1 h 05 min"),
    ],
)
def test_active_time_text(seconds: float, text: str) -> None:
    assert words.active_time_text(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        *[(20, "20"), (19.01, "20"), (0.2, "1"), (0, "0"), (-3, "0")],
        *[(60, "60"), (90, "90"), (99, "99"), (99.5, "1:40"), (100, "1:40"), (135.5, "2:16")],
    ],
)
def test_clock_text_rounds_up(seconds: float, text: str) -> None:
    assert words.clock_text(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "0:00"), (7.9, "0:07"), (-2, "0:00"), (750, "12:30"), (3600, "60:00")]
)
def test_stopwatch_text_rounds_down(seconds: float, text: str) -> None:
    assert words.stopwatch_text(seconds) == text


@pytest.mark.parametrize(
    ("days_back", "text"),
    [
        (-1, "Today"),  # a clock set back: never "in the future"
        (0, "Today"),
        (1, "Yesterday"),
        (6, "6 days ago"),
        (13, "13 days ago"),
        (14, "7 Nov 2026"),
        (322, "3 Jan 2026"),
    ],
)
def test_days_ago_text(days_back: int, text: str) -> None:
    assert words.days_ago_text(TODAY - timedelta(days=days_back), TODAY) == text


def test_relative_day_text_names_only_today_and_yesterday() -> None:
    assert words.relative_day_text(TODAY, TODAY) == "Today"
    assert words.relative_day_text(TODAY - timedelta(days=1), TODAY) == "Yesterday"
    assert words.relative_day_text(TODAY - timedelta(days=2), TODAY) is None


def test_date_formats() -> None:
    day = date(2026, 3, 4)  # a Wednesday
    assert words.date_text(day) == "4 Mar 2026"
    assert words.long_date_text(day) == "4 March 2026"
    assert words.day_month_text(day) == "4 Mar"
    assert words.month_text(day) == "Mar"
    assert words.month_year_text(day) == "Mar 2026"
    assert words.month_heading_text(2026, 3) == "March 2026"
    assert words.weekday_day_text(day) == "Wednesday 4 March"
    assert words.weekday_date_text(day) == "Wednesday 4 March 2026"
    assert words.short_weekday_date_text(day) == "Wed 4 Mar 2026"


@pytest.mark.parametrize(
    ("first", "last", "text"),
    [
        (date(2025, 3, 3), date(2025, 3, 3), "3 Mar 2025"),
        (date(2025, 3, 3), date(2025, 3, 21), "3 – 21 Mar 2025"),
        (date(2025, 2, 28), date(2025, 3, 3), "28 Feb – 3 Mar 2025"),
        (date(2024, 12, 30), date(2025, 1, 2), "30 Dec 2024 – 2 Jan 2025"),
    ],
)
def test_date_span_text(first: date, last: date, text: str) -> None:
    assert words.date_span_text(first, last) == text


def test_times_read_in_the_moment_s_own_zone() -> None:
    tz = timezone(timedelta(hours=2))
    start = datetime(2026, 12, 1, 6, 5, tzinfo=UTC).astimezone(tz)  # Tuesday
    assert words.time_text(start) == "08:05"
    assert words.weekday_time_text(start) == "Tuesday 08:05"
    assert words.time_span_text(start, start + timedelta(minutes=9)) == "08:05–08:14"
    assert words.time_span_text(start, None) == "08:05"


def test_dose_text() -> None:
    assert words.dose_text(
        Dose(hold=Range(15, 30), reps=Range(2, 2), sets=3, rest=Range(60, 60))
    ) == ("Hold 15-30 s · 2 reps · 3 sets, rest 60 s")
    tempo = Dose(reps=Range(10, 10), tempo=(TempoPhase("Tighten", 3), TempoPhase("Release", 2)))
    assert words.dose_text(tempo) == "Tighten 3 s then Release 2 s · 10 reps"
    assert words.dose_text(Dose(reps=Range(8, 12))) == "At your own pace · 8-12 reps"
