"""The clinician's report: its numbers on history built by hand, and an empty range."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

import pytest

from si_timer.history.goal import GoalSource
from si_timer.history.model import (
    Difficulty,
    Outcome,
    SegmentKind,
    SegmentRecord,
    SessionStatus,
    StoredSegment,
    StoredSession,
)
from si_timer.history.report import (
    PainKind,
    clinician_report,
    default_range,
    pain_number,
    period_text,
)
from si_timer.history.store import HistoryStore
from si_timer.session.reminders import ReminderSlot
from tests.helpers.history_factories import make_plan

FIRST = date(2025, 3, 3)  # a Monday
LAST = date(2025, 3, 16)
WORK = ("hold", "phase", "manual")


def session(
    day: date,
    hour: int,
    routine: str = "morning",
    *,
    pain: tuple[int | None, int | None] = (None, None),
    difficulty: Difficulty | None = None,
    note: str | None = None,
    hurt: Iterable[str] = (),
    skipped: Iterable[str] = (),
    stop_before: str | None = None,
) -> StoredSession:
    """A session played in full (UTC, so its day is its date), except: exercises in
    ``hurt`` stopped for pain, in ``skipped`` skipped, and nothing from ``stop_before`` on."""
    plan = make_plan(routine)
    start = datetime.combine(day, time(hour), UTC)
    rows = []
    at = start
    for seg in plan["segments"]:
        if stop_before is not None and seg["exercise"] == stop_before:
            break
        planned = seg["seconds"]
        actual = planned if planned is not None else 40.0
        outcome = Outcome.DONE
        if seg["kind"] in WORK and seg["exercise"] in hurt:
            outcome, actual = Outcome.SKIPPED_PAIN, 1.0
        elif seg["kind"] in WORK and seg["exercise"] in skipped:
            outcome, actual = Outcome.SKIPPED, 1.0
        at += timedelta(seconds=actual)
        record = SegmentRecord(
            index=seg["index"],
            kind=SegmentKind(seg["kind"]),
            exercise=seg["exercise"],
            side=seg["side"],
            set=seg["set"],
            rep=seg["rep"],
            planned_seconds=planned,
            actual_seconds=actual,
            outcome=outcome,
            ended_at=at,
        )
        rows.append(StoredSegment(len(rows) + 1, record))
    full = stop_before is None and not list(skipped)
    return StoredSession(
        id=f"{routine}-{day.isoformat()}-{hour}",
        routine=routine,
        plan=plan,
        started_at=start,
        utc_offset_minutes=0,
        ended_at=at,
        status=SessionStatus.COMPLETED if full else SessionStatus.PARTIAL,
        pain_before=pain[0],
        pain_after=pain[1],
        difficulty=difficulty,
        note=note,
        segments=tuple(rows),
    )


def two_weeks() -> list[StoredSession]:
    """Week one: the morning stretches twice a day on three days, once on the fourth,
    pain 6 → 5.  Week two: twice every day, pain 4 → 2, one stopped for pain, plus
    a third session cut short and a strength session (a routine without a daily goal)."""
    sessions = []
    for offset in range(4):
        day = FIRST + timedelta(days=offset)
        hours = (7, 19) if offset < 3 else (7,)
        for hour in hours:
            note = "Left side tight today." if (offset, hour) == (1, 7) else None
            sessions.append(session(day, hour, pain=(6, 5), note=note))
    for offset in range(7, 14):
        day = FIRST + timedelta(days=offset)
        for hour in (7, 19):
            hurt = ("figure-4",) if (offset, hour) == (9, 19) else ()
            rated = {7: Difficulty.TOO_EASY, 19: Difficulty.ABOUT_RIGHT} if offset == 7 else {}
            sessions.append(session(day, hour, pain=(4, 2), hurt=hurt, difficulty=rated.get(hour)))
    sessions.append(
        session(
            date(2025, 3, 12),
            12,
            skipped=("hip-flexor-lunge",),
            stop_before="doorway-hamstring",
        )
    )
    sessions.append(session(date(2025, 3, 11), 12, "strength", difficulty=Difficulty.TOO_HARD))
    # Outside the range: not in the report.
    sessions.append(session(date(2025, 3, 17), 7, pain=(9, 9), note="After the report."))
    return sessions


@pytest.fixture
def filled(store: HistoryStore) -> HistoryStore:
    store.merge(two_weeks(), [])
    store.log_pain(
        7,
        "Flared up after lifting a box.",
        at=datetime(2025, 3, 8, 18, tzinfo=UTC),
        utc_offset_minutes=0,
    )
    store.log_pain(8, "Later.", at=datetime(2025, 3, 18, 9, tzinfo=UTC), utc_offset_minutes=0)
    return store


def test_the_summary_line_says_sessions_of_planned_and_the_pain_change(
    filled: HistoryStore,
) -> None:
    report = clinician_report(filled, FIRST, LAST, today=LAST)
    # Planned: morning twice a day for 14 days; done: 7 in week one, 14 in week two.
    assert report.summary == "21 of 28 planned sessions in 2 weeks; pain 6 → 4."
    assert report.goal is not None
    assert report.goal.source is GoalSource.TIMES_PER_DAY
    assert [(w.first, w.last) for w in report.weeks] == [
        (FIRST, date(2025, 3, 9)),
        (date(2025, 3, 10), LAST),
    ]
    assert [(w.sessions, w.planned, w.planned_done) for w in report.weeks] == [
        (7, 14, 7),
        (16, 14, 14),
    ]
    assert [w.active_days for w in report.weeks] == [4, 7]
    assert report.sessions == 23
    assert report.details == (
        "Planned: 14 sessions a week (Morning stretches 2 a day), "
        "from each routine's times per day.",
        "23 sessions in all (Morning stretches 22, Strength 1).",
        "Pain: the mean rating before a session in the first and the last week with "
        "ratings (0 = no pain, 10 = worst).",
        # 7 sessions eased by 1 and 14 by 2: 35 / 21.
        "After a session pain was 1.7 lower than before, on average (21 sessions).",
        "Stopped an exercise because it hurt 1 time.",
    )


def test_adherence_per_exercise_counts_honest_records(filled: HistoryStore) -> None:
    report = clinician_report(filled, FIRST, LAST, today=LAST)
    rows = {e.exercise: e for e in report.exercises}
    assert list(rows) == [
        "knee-to-chest",
        "figure-4",
        "cat-cow",
        "hip-flexor-lunge",
        "doorway-hamstring",
        "glute-bridge",
        "pelvic-tilt",
        "wall-sit",
    ]

    def counts(exercise: str) -> tuple[int, ...]:
        e = rows[exercise]
        return (e.planned, e.done, e.partly, e.skipped, e.skipped_pain, e.not_reached)

    assert counts("knee-to-chest") == (22, 22, 0, 0, 0, 0)
    assert counts("figure-4") == (22, 21, 0, 0, 1, 0)
    assert counts("hip-flexor-lunge") == (22, 21, 0, 1, 0, 0)
    assert counts("doorway-hamstring") == (22, 21, 0, 0, 0, 1)
    assert counts("wall-sit") == (1, 1, 0, 0, 0, 0)
    # Knee-to-chest is three holds (left, right, both) a session.
    assert (rows["knee-to-chest"].reps_done, rows["knee-to-chest"].reps_total) == (66, 66)
    assert rows["figure-4"].name == "Figure-4 stretch"


def test_pain_points_difficulty_notes_and_doses(filled: HistoryStore) -> None:
    report = clinician_report(filled, FIRST, LAST, today=LAST)
    kinds = [p.kind for p in report.pain]
    assert kinds.count(PainKind.BEFORE) == 21
    assert kinds.count(PainKind.AFTER) == 21
    logged = [p for p in report.pain if p.kind is PainKind.LOGGED]
    assert [(p.local_at.date(), p.pain) for p in logged] == [(date(2025, 3, 8), 7)]
    assert all(FIRST <= p.local_at.date() <= LAST for p in report.pain)
    assert report.pain == tuple(sorted(report.pain, key=lambda p: p.local_at))

    by_routine = {d.routine_name: d for d in report.difficulty}
    assert by_routine["Morning stretches"].counts == (
        (Difficulty.TOO_EASY, 1),
        (Difficulty.ABOUT_RIGHT, 1),
        (Difficulty.TOO_HARD, 0),
    )
    assert by_routine["Morning stretches"].unrated == 20
    assert by_routine["Strength"].text() == "Too easy 0 · About right 0 · Too hard 1"

    assert [(n.local_at.date(), n.title, n.pain_text, n.note) for n in report.notes] == [
        (date(2025, 3, 4), "Morning stretches", "Pain 6 → 5", "Left side tight today."),
        (date(2025, 3, 8), "Pain logged", "Pain 7", "Flared up after lifting a box."),
    ]

    morning, strength = report.routines
    assert (morning.name, morning.sessions, morning.completed) == ("Morning stretches", 22, 21)
    assert morning.times_per_day == 2
    assert strength.times_per_day is None
    doses = {d.exercise: d.dose for d in morning.doses}
    assert doses["figure-4"] == "15 s hold, each side"
    assert doses["cat-cow"] == "10 reps at your own pace"
    assert [d.dose for d in strength.doses] == ["3 sets of 8 s hold", "4 reps of 5 s", "30 s hold"]


def test_today_adds_what_was_done_but_is_not_missed_yet(filled: HistoryStore) -> None:
    """On Thursday 6 Mar, after one of two sessions: today plans one, not two."""
    report = clinician_report(filled, FIRST, date(2025, 3, 6), today=date(2025, 3, 6))
    assert (report.planned, report.planned_done) == (7, 7)
    # A day later the Thursday is over and its second session missed; Friday is today.
    report = clinician_report(filled, FIRST, date(2025, 3, 7), today=date(2025, 3, 7))
    assert (report.planned, report.planned_done) == (8, 7)
    # Days after today plan nothing, though history has a session there.
    report = clinician_report(filled, date(2025, 3, 10), date(2025, 3, 23), today=LAST)
    assert [w.planned for w in report.weeks] == [14, 0]
    assert report.weeks[1].sessions == 1


def test_nothing_is_missed_before_the_first_session(filled: HistoryStore) -> None:
    report = clinician_report(filled, date(2025, 2, 24), LAST, today=LAST)
    assert report.weeks[0].planned == 0  # 24 Feb - 2 Mar: before the history began
    assert report.summary.startswith("21 of 28 planned sessions in 3 weeks")


def test_reminders_say_what_was_planned(filled: HistoryStore) -> None:
    weekdays = frozenset({0, 2, 4})  # Monday, Wednesday, Friday
    slots = [ReminderSlot(time(8), "morning", weekdays), ReminderSlot(time(12), "strength")]
    report = clinician_report(filled, FIRST, LAST, today=LAST, reminders=slots)
    assert report.goal is not None
    assert report.goal.source is GoalSource.REMINDERS
    assert report.goal.per_week == 10
    # Morning on Mon, Wed (week one: 3 and 5 Mar) and Mon, Wed, Fri (week two): 1 each;
    # Fri 7 Mar had none.  Strength every day: only 11 Mar; today (16 Mar) is not
    # over, so its strength session is not missed yet.
    assert [(w.planned, w.planned_done) for w in report.weeks] == [(10, 2), (9, 4)]
    assert (
        "(Morning stretches 3 a week, Strength 1 a day), from your reminders" in (report.details[0])
    )


def test_an_empty_range_reads_plainly(filled: HistoryStore) -> None:
    first, last = date(2025, 4, 1), date(2025, 4, 28)
    report = clinician_report(filled, first, last, today=last)
    assert report.empty
    assert report.summary == "No sessions in these 4 weeks."
    assert report.details == ()
    assert report.exercises == report.pain == report.notes == report.routines == ()
    assert [w.sessions for w in report.weeks] == [0, 0, 0, 0]
    assert report.planned is None  # no routine done, so nothing to plan from


def test_an_empty_history_reads_plainly(store: HistoryStore) -> None:
    report = clinician_report(store, *default_range(LAST), today=LAST)
    assert report.empty
    assert report.summary == "No sessions in these 4 weeks."


def test_a_backwards_range_is_a_bug() -> None:
    with pytest.raises(ValueError, match="before its first day"):
        clinician_report(None, LAST, FIRST, today=LAST)  # type: ignore[arg-type]


def test_ranges_and_numbers_in_words() -> None:
    assert default_range(date(2025, 3, 28)) == (date(2025, 3, 1), date(2025, 3, 28))
    assert period_text(FIRST, LAST) == "2 weeks"
    assert period_text(FIRST, FIRST) == "1 day"
    assert period_text(FIRST, date(2025, 3, 12)) == "10 days"
    assert [pain_number(v) for v in (5.0, 3.25, 2.96)] == ["5", "3.2", "3"]
