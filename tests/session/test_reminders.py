"""The reminder rules with fixed local times: due, done, missed over sleep, snoozed, DST."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from si_timer.session.reminders import (
    ALL_DAYS,
    Occurrence,
    ReminderError,
    ReminderPlan,
    ReminderSlot,
    default_slots,
    slot_text,
)

BERLIN = ZoneInfo("Europe/Berlin")
MORNING = ReminderSlot(time(8, 0), "morning")
EVENING = ReminderSlot(time(19, 0), "morning")


def at(day: str, hhmm: str, tz: ZoneInfo = BERLIN) -> datetime:
    return datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=tz)


def started(plan: ReminderPlan, now: datetime) -> ReminderPlan:
    """A plan that has been running (checked once) at ``now``."""
    assert plan.check(now, {}) is None
    return plan


def test_a_slot_fires_at_its_time_and_only_once() -> None:
    plan = started(ReminderPlan((MORNING, EVENING)), at("2026-06-01", "07:00"))
    assert plan.next_due(at("2026-06-01", "07:00")) == at("2026-06-01", "08:00")
    assert plan.check(at("2026-06-01", "07:59"), {}) is None
    assert plan.check(at("2026-06-01", "08:00"), {}) == Occurrence(date(2026, 6, 1), MORNING)
    assert plan.check(at("2026-06-01", "08:01"), {}) is None
    assert plan.next_due(at("2026-06-01", "08:01")) == at("2026-06-01", "19:00")


def test_a_slot_already_done_today_stays_quiet() -> None:
    plan = started(ReminderPlan((MORNING, EVENING)), at("2026-06-01", "07:00"))
    assert plan.check(at("2026-06-01", "08:00"), {"morning": 1}) is None
    # One session covers the first slot only: the evening still asks for the second.
    assert plan.check(at("2026-06-01", "19:00"), {"morning": 1}) == Occurrence(
        date(2026, 6, 1), EVENING
    )


def test_twice_done_silences_the_evening_too() -> None:
    plan = started(ReminderPlan((MORNING, EVENING)), at("2026-06-01", "07:00"))
    assert plan.check(at("2026-06-01", "19:00"), {"morning": 2}) is None


def test_a_slot_missed_over_sleep_fires_once_on_wake_within_the_window() -> None:
    plan = started(ReminderPlan((MORNING,)), at("2026-06-01", "07:30"))
    # Asleep from 07:30 to 09:10: the 08:00 slot is 70 minutes old, inside two hours.
    woke = at("2026-06-01", "09:10")
    assert plan.check(woke, {}) == Occurrence(date(2026, 6, 1), MORNING)
    assert plan.check(woke + timedelta(minutes=1), {}) is None


def test_a_slot_missed_by_more_than_the_window_is_dropped() -> None:
    plan = started(ReminderPlan((MORNING,)), at("2026-06-01", "07:30"))
    assert plan.check(at("2026-06-01", "10:01"), {}) is None
    assert plan.check(at("2026-06-01", "10:05"), {}) is None


def test_a_long_sleep_never_fires_a_burst_of_stale_slots() -> None:
    slots = (
        ReminderSlot(time(8, 0), "morning"),
        ReminderSlot(time(8, 30), "evening"),
        ReminderSlot(time(9, 0), "desk"),
    )
    plan = started(ReminderPlan(slots), at("2026-05-28", "22:00"))
    # Off for three days; back at 09:20: only the latest slot is offered, once.
    first = plan.check(at("2026-06-01", "09:20"), {})
    assert first == Occurrence(date(2026, 6, 1), slots[2])
    assert plan.check(at("2026-06-01", "09:21"), {}) is None


def test_login_catches_up_on_a_slot_within_the_window() -> None:
    plan = ReminderPlan((MORNING,))
    assert plan.check(at("2026-06-01", "08:40"), {}) == Occurrence(date(2026, 6, 1), MORNING)
    late = ReminderPlan((MORNING,))
    assert late.check(at("2026-06-01", "10:30"), {}) is None


def test_later_offers_it_again_after_the_snooze() -> None:
    plan = started(ReminderPlan((MORNING,)), at("2026-06-01", "07:00"))
    occ = plan.check(at("2026-06-01", "08:00"), {})
    assert occ is not None
    again = plan.snooze(occ, at("2026-06-01", "08:02"))
    assert again == at("2026-06-01", "08:32")
    assert plan.next_due(at("2026-06-01", "08:03")) == again
    assert plan.check(at("2026-06-01", "08:31"), {}) is None
    assert plan.check(at("2026-06-01", "08:32"), {}) == occ
    assert plan.check(at("2026-06-01", "08:40"), {}) is None


def test_a_snoozed_slot_done_meanwhile_stays_quiet() -> None:
    plan = started(ReminderPlan((MORNING,)), at("2026-06-01", "07:00"))
    occ = plan.check(at("2026-06-01", "08:00"), {})
    assert occ is not None
    plan.snooze(occ, at("2026-06-01", "08:00"))
    assert plan.check(at("2026-06-01", "08:30"), {"morning": 1}) is None


def test_days_of_the_week_are_respected() -> None:
    weekdays = ReminderSlot(time(8, 0), "morning", frozenset(range(5)))
    plan = started(ReminderPlan((weekdays,)), at("2026-06-05", "11:00"))  # a Friday
    assert plan.next_due(at("2026-06-05", "11:00")) == at("2026-06-08", "08:00")  # Monday
    assert plan.check(at("2026-06-06", "08:00"), {}) is None  # Saturday


def test_spring_forward_a_skipped_time_fires_once_an_hour_later() -> None:
    night = ReminderSlot(time(2, 30), "evening")
    plan = started(ReminderPlan((night,)), at("2026-03-29", "01:00"))
    due = plan.next_due(at("2026-03-29", "01:00"))
    assert due is not None
    # 02:30 does not exist that night in Berlin: the clocks go from 02:00 to 03:00.
    assert due.astimezone(BERLIN).hour == 3
    assert due.utcoffset() == timedelta(hours=2)
    assert plan.check(at("2026-03-29", "03:29"), {}) is None
    assert plan.check(at("2026-03-29", "03:30"), {}) is not None
    assert plan.check(at("2026-03-29", "03:45"), {}) is None


def test_fall_back_a_doubled_time_fires_once() -> None:
    night = ReminderSlot(time(2, 30), "evening")
    plan = started(ReminderPlan((night,)), at("2026-10-25", "01:00"))
    first = at("2026-10-25", "02:30")  # fold=0: the first 02:30, still summer time
    assert plan.check(first, {}) is not None
    second = first.replace(fold=1)
    assert second.utcoffset() == timedelta(hours=1)
    assert plan.check(second, {}) is None


def test_an_evening_slot_across_dst_keeps_its_wall_clock_time() -> None:
    plan = started(ReminderPlan((EVENING,)), at("2026-03-28", "21:30"))
    assert plan.next_due(at("2026-03-28", "21:30")) == at("2026-03-29", "19:00")


def test_naive_times_are_a_bug() -> None:
    with pytest.raises(ValueError, match="aware"):
        ReminderPlan((MORNING,)).check(datetime(2026, 6, 1, 8), {})


def test_default_slots_follow_times_per_day() -> None:
    assert [s.at for s in default_slots("morning", 2)] == [time(8), time(19)]
    assert [s.at for s in default_slots("desk", None)] == [time(8)]
    assert all(s.days == ALL_DAYS for s in default_slots("x", 3))


def test_slots_round_trip_and_reject_nonsense() -> None:
    slot = ReminderSlot(time(19, 5), "morning", frozenset({0, 1, 2, 3, 4}))
    assert ReminderSlot.from_dict(slot.to_dict()) == slot
    assert slot_text(slot) == "19:05 Mon–Fri"
    assert slot_text(MORNING) == "08:00 every day"
    for bad, words in (
        ({"time": "25:00", "routine": "m"}, "not a time"),
        ({"time": "08:00", "routine": ""}, "needs a routine"),
        ({"time": "08:00", "routine": "m", "days": [7]}, "days of the week"),
        ({"time": "08:00", "routine": "m", "days": []}, "days of the week"),
        ("08:00", "must be an object"),
    ):
        with pytest.raises(ReminderError, match=words):
            ReminderSlot.from_dict(bad)
