"""The session engine against a fake clock: every control, and timing that holds."""

from __future__ import annotations

import pytest

from si_timer.library.catalog import Catalog, load_catalog
from si_timer.library.model import Side
from si_timer.session.clock import FakeClock
from si_timer.session.cues import Sound, script
from si_timer.session.engine import (
    CueDue,
    EndStatus,
    EngineEvent,
    EngineState,
    Outcome,
    PauseReason,
    SegmentFinished,
    SegmentStarted,
    SessionEnded,
    SessionEngine,
    StateChanged,
)
from si_timer.session.plan import Plan, SegmentKind, build_plan
from si_timer.session.verbosity import Verbosity


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


class Recorder:
    def __init__(self) -> None:
        self.events: list[EngineEvent] = []

    def __call__(self, event: EngineEvent) -> None:
        self.events.append(event)

    def of(self, kind: type) -> list:
        return [e for e in self.events if isinstance(e, kind)]

    def speech(self) -> list[str]:
        return [e.cue.speech for e in self.of(CueDue) if e.cue.speech]


def make(
    catalog: Catalog, routine: str = "morning", **kwargs: object
) -> tuple[SessionEngine, FakeClock, Recorder, Plan]:
    plan = build_plan(catalog.routine(routine), catalog.exercises)
    clock = FakeClock()
    rec = Recorder()
    cues = script(plan, catalog.exercises, Verbosity.FULL)
    engine = SessionEngine(plan, clock, rec, cues, **kwargs)  # type: ignore[arg-type]
    return engine, clock, rec, plan


def run_until(engine: SessionEngine, clock: FakeClock, seconds: float, step: float = 0.25) -> None:
    """Advance in small wakes, as the Qt timer would."""
    end = clock.monotonic() + seconds
    while clock.monotonic() < end - 1e-9:
        clock.advance(min(step, end - clock.monotonic()))
        engine.tick()


def test_segments_start_exactly_on_plan_whatever_the_wake_jitter(catalog: Catalog) -> None:
    engine, clock, rec, plan = make(catalog)
    engine.start()
    # Wake late by an odd amount every time: deadlines must not accumulate the lateness.
    while engine.state is EngineState.RUNNING:
        clock.advance(0.337)
        engine.tick()
    starts = rec.of(SegmentStarted)
    assert [s.index for s in starts] == list(range(len(plan.segments)))
    for started in starts:
        assert started.t == pytest.approx(plan.segments[started.index].start, abs=1e-9)
    ended = rec.of(SessionEnded)[0]
    assert ended.status is EndStatus.COMPLETED
    assert ended.done == ended.total == sum(1 for s in plan.segments if s.kind.is_work)
    assert ended.active_seconds == pytest.approx(plan.total_seconds, abs=1e-9)


def test_pause_keeps_the_remaining_time_exactly(catalog: Catalog) -> None:
    engine, clock, rec, _plan = make(catalog)
    engine.start()
    run_until(engine, clock, 5.0 + 7.3)  # 7.3 s into the first 20 s hold
    assert engine.segment.kind is SegmentKind.HOLD
    engine.pause()
    before = engine.view().remaining
    assert before == pytest.approx(12.7)
    run_until(engine, clock, 600.0)  # a long pause changes nothing
    assert engine.view().remaining == pytest.approx(12.7)
    assert engine.state is EngineState.PAUSED
    engine.resume()
    assert engine.state is EngineState.RESUMING
    assert [e.cue.speech for e in rec.of(CueDue)][-1:] == ["3"]
    run_until(engine, clock, 3.0)
    assert engine.state is EngineState.RUNNING
    assert engine.view().remaining == pytest.approx(12.7)
    run_until(engine, clock, 12.7)
    finished = next(e for e in rec.of(SegmentFinished) if e.index == 1)
    assert finished.outcome is Outcome.DONE
    assert finished.actual_seconds == pytest.approx(20.0)
    assert engine.view().session_elapsed == pytest.approx(25.0)


def test_resume_counts_down_three_two_one(catalog: Catalog) -> None:
    engine, clock, rec, _ = make(catalog)
    engine.start()
    run_until(engine, clock, 6.0)
    engine.pause()
    count_from = len(rec.of(CueDue))
    engine.resume()
    run_until(engine, clock, 3.0, step=0.1)
    countdown = [e.cue for e in rec.of(CueDue)[count_from:] if e.index == -1]
    assert [c.speech for c in countdown] == ["3", "2", "1"]
    assert all(c.sound is Sound.TICK for c in countdown)


def test_next_skips_and_previous_restarts_or_goes_back(catalog: Catalog) -> None:
    engine, clock, rec, _plan = make(catalog)
    engine.start()
    run_until(engine, clock, 5.0 + 10.0)  # 10 s into the left hold
    engine.next()
    assert rec.of(SegmentFinished)[-1].outcome is Outcome.SKIPPED
    assert engine.segment.kind is SegmentKind.SWITCH
    run_until(engine, clock, 1.0)
    engine.previous()  # just began: back to the left hold, full length
    assert engine.index == 1
    assert engine.view().remaining == pytest.approx(20.0)
    run_until(engine, clock, 8.0)
    engine.previous()  # well under way: restart this one
    assert engine.index == 1
    assert engine.view().remaining == pytest.approx(20.0)
    assert engine.state is EngineState.RUNNING


def test_controls_while_paused_land_paused(catalog: Catalog) -> None:
    engine, clock, _, plan = make(catalog)
    engine.start()
    run_until(engine, clock, 6.0)
    engine.pause()
    engine.next()
    assert engine.state is EngineState.PAUSED
    assert engine.index == 2
    assert engine.view().remaining == pytest.approx(plan.segments[2].seconds)


def test_extend_adds_ten_seconds(catalog: Catalog) -> None:
    engine, clock, rec, _ = make(catalog)
    engine.start()
    run_until(engine, clock, 5.0 + 15.0)
    engine.extend()
    assert engine.view().remaining == pytest.approx(15.0)
    run_until(engine, clock, 15.0)
    held = next(e for e in rec.of(SegmentFinished) if e.index == 1)
    assert held.actual_seconds == pytest.approx(30.0)


def test_manual_segment_ends_on_done_and_records_its_time(catalog: Catalog) -> None:
    engine, clock, rec, plan = make(catalog, "core-strength")
    manual = next(s for s in plan.segments if s.kind is SegmentKind.MANUAL)
    engine.start()
    while engine.index < manual.index:
        clock.advance(0.5)
        engine.tick()
    run_until(engine, clock, 30.0)
    assert engine.index == manual.index
    assert engine.view().remaining is None  # a stopwatch, not a countdown
    engine.done()
    rec_done = next(e for e in rec.of(SegmentFinished) if e.index == manual.index)
    assert rec_done.outcome is Outcome.DONE
    assert rec_done.actual_seconds == pytest.approx(30.0, abs=0.5)


def test_self_paced_reps_never_wait_silently(catalog: Catalog) -> None:
    engine, clock, rec, plan = make(catalog, "core-strength")
    manual = next(s for s in plan.segments if s.kind is SegmentKind.MANUAL)
    assert manual.seconds is None
    assert manual.pace == 5.0
    engine.start()
    while engine.index < manual.index:
        clock.advance(0.5)
        engine.tick()
    started = next(e for e in rec.of(SegmentStarted) if e.index == manual.index)
    # Nobody presses anything: the count runs at the exercise's pace, then it moves on.
    for _ in range(10_000):
        if engine.index != manual.index:
            break
        wake = engine.next_wake()
        assert wake is not None, "a self-paced set waits for a key"
        clock.advance(wake - clock.monotonic())
        engine.tick()
    counts = [
        e for e in rec.of(CueDue) if e.index == manual.index and e.cue.speech in ("One.", "Two.")
    ]
    assert [round(e.t - started.t, 6) for e in counts] == [5.0, 10.0]
    finished = next(e for e in rec.of(SegmentFinished) if e.index == manual.index)
    assert finished.outcome is Outcome.DONE
    assert finished.actual_seconds == pytest.approx(manual.estimate)
    assert finished.t - started.t == pytest.approx(manual.estimate)


def test_a_pause_stops_the_soft_deadline_of_self_paced_reps(catalog: Catalog) -> None:
    engine, clock, rec, plan = make(catalog, "core-strength", resume_countdown=0)
    manual = next(s for s in plan.segments if s.kind is SegmentKind.MANUAL)
    engine.start()
    while engine.index < manual.index:
        clock.advance(0.5)
        engine.tick()
    run_until(engine, clock, 20.0)
    engine.pause()
    clock.advance(600.0)
    engine.tick()
    assert engine.index == manual.index
    engine.resume()
    run_until(engine, clock, manual.estimate - 20.0 - 0.5)
    assert engine.index == manual.index
    run_until(engine, clock, 1.0)
    assert engine.index == manual.index + 1
    finished = next(e for e in rec.of(SegmentFinished) if e.index == manual.index)
    assert finished.actual_seconds == pytest.approx(manual.estimate, abs=1e-6)


def test_ready_cuts_a_lead_in_short_and_nothing_else(catalog: Catalog) -> None:
    engine, clock, rec, plan = make(catalog)
    assert plan.segments[0].kind is SegmentKind.LEAD_IN
    engine.ready()  # on the start screen: starts the session
    assert engine.state is EngineState.RUNNING
    clock.advance(1.0)
    engine.ready()
    lead_in = rec.of(SegmentFinished)[0]
    assert (lead_in.index, lead_in.outcome, lead_in.actual_seconds) == (0, Outcome.DONE, 1.0)
    assert engine.index == 1
    assert engine.segment.kind is SegmentKind.HOLD
    clock.advance(1.0)
    engine.ready()  # a second press during the hold does nothing
    assert engine.index == 1
    assert len(rec.of(SegmentFinished)) == 1


def test_suspend_pauses_with_the_time_left_intact(catalog: Catalog) -> None:
    engine, clock, rec, _ = make(catalog)
    engine.start()
    run_until(engine, clock, 5.0 + 4.0)
    clock.suspend(3600.0)  # the monotonic clock stands still through a suspend
    clock.advance(0.25)
    engine.tick()
    assert engine.state is EngineState.PAUSED
    assert engine.reason is PauseReason.SLEPT
    assert engine.view().remaining == pytest.approx(15.75)
    assert rec.of(StateChanged)[-1].reason is PauseReason.SLEPT


def test_a_frozen_process_does_not_jump_ahead(catalog: Catalog) -> None:
    engine, clock, _rec, _ = make(catalog)
    engine.start()
    run_until(engine, clock, 5.0 + 4.0)
    clock.advance(120.0)  # no wake for two minutes: the process was stopped
    engine.tick()
    assert engine.state is EngineState.PAUSED
    assert engine.reason is PauseReason.STALLED
    assert engine.index == 1
    assert engine.view().remaining == pytest.approx(16.0)


def test_skip_for_pain_marks_the_rest_of_the_exercise(catalog: Catalog) -> None:
    engine, clock, rec, plan = make(catalog)
    engine.start()
    run_until(engine, clock, 5.0 + 3.0)
    engine.skip_exercise_for_pain()
    pain = [e.index for e in rec.of(SegmentFinished) if e.outcome is Outcome.SKIPPED_PAIN]
    knee_work = [
        s.index for s in plan.segments if s.exercise_id == "knee-to-chest" and s.kind.is_work
    ]
    assert pain == knee_work
    assert engine.segment.kind is SegmentKind.TRANSITION
    assert engine.segment.exercise_id == "figure-4"


def test_end_early_is_partial_or_abandoned(catalog: Catalog) -> None:
    engine, clock, rec, _ = make(catalog)
    engine.start()
    run_until(engine, clock, 2.0)
    engine.end()
    assert rec.of(SessionEnded)[0].status is EndStatus.ABANDONED

    engine, clock, rec, _ = make(catalog)
    engine.start()
    run_until(engine, clock, 30.0)
    engine.end()
    ended = rec.of(SessionEnded)[0]
    assert ended.status is EndStatus.PARTIAL
    assert ended.done == 1


def test_cues_say_the_side_and_the_switch(catalog: Catalog) -> None:
    engine, clock, rec, _ = make(catalog)
    engine.start()
    run_until(engine, clock, 80.0)
    spoken = rec.speech()
    assert spoken[0].startswith("Knee-to-chest stretch.")
    assert "Left leg first: left knee to your chest." in spoken[0]
    assert "Left leg. Hold for 20 seconds." in spoken[1]
    assert "Switch to your right leg: right knee to your chest." in spoken
    assert "Now both together: both knees to your chest." in spoken
    assert "10 seconds left." not in spoken  # said on holds of 30 s or more
    assert any(s.startswith("Rest, 10 seconds. Next: Figure-4") for s in spoken)


def test_last_three_seconds_tick(catalog: Catalog) -> None:
    engine, clock, rec, _ = make(catalog)
    engine.start()
    run_until(engine, clock, 25.0, step=0.05)
    ticks = [e.t for e in rec.of(CueDue) if e.cue.sound is Sound.TICK and e.index == 1]
    assert ticks == pytest.approx([22.0, 23.0, 24.0], abs=0.06)


def test_next_wake_points_at_the_next_cue_or_deadline(catalog: Catalog) -> None:
    engine, clock, _, _ = make(catalog)
    engine.start()
    assert engine.next_wake() == pytest.approx(clock.monotonic() + 2.0)  # lead-in tick at 3 s left
    run_until(engine, clock, 5.0)
    # 20 s hold: the first tick is due 17 s in ("10 seconds left" is for 30 s holds)
    assert engine.next_wake() == pytest.approx(clock.monotonic() + 17.0)
    engine.pause()
    assert engine.next_wake() is None


def test_sides_in_order(catalog: Catalog) -> None:
    _, _, _, plan = make(catalog)
    holds = [
        s.side
        for s in plan.segments
        if s.exercise_id == "knee-to-chest" and s.kind is SegmentKind.HOLD
    ]
    assert holds == [Side.LEFT, Side.RIGHT, Side.BOTH]


def test_start_index_resumes_a_session_part_way(catalog: Catalog) -> None:
    engine, _clock, rec, plan = make(catalog, start_index=7)
    engine.start()
    assert rec.of(SegmentStarted)[0].index == 7
    assert engine.view().session_left == pytest.approx(plan.total_seconds - plan.segments[7].start)


# --- a wake may be late: what the clock says has happened, has happened ----------------


def test_a_control_after_a_late_wake_first_finishes_what_ran_out(catalog: Catalog) -> None:
    engine, clock, rec, _ = make(catalog)
    engine.start()
    run_until(engine, clock, 5.0 + 19.0)  # one second left of the first hold
    clock.advance(1.5)  # the wake is late: the hold ran out half a second ago
    engine.next()
    finished = [(e.index, e.outcome, e.actual_seconds) for e in rec.of(SegmentFinished)]
    # The hold was held to the end (not skipped); "next" skips the switch that followed.
    assert finished[-2:] == [(1, Outcome.DONE, 20.0), (2, Outcome.SKIPPED, pytest.approx(0.5))]
    assert engine.index == 3


def test_pause_after_a_late_wake_lands_in_the_segment_that_is_running(catalog: Catalog) -> None:
    engine, clock, rec, _ = make(catalog)
    engine.start()
    run_until(engine, clock, 5.0 + 19.0)
    clock.advance(1.5)
    engine.pause()
    held = next(e for e in rec.of(SegmentFinished) if e.index == 1)
    assert (held.outcome, held.actual_seconds) == (Outcome.DONE, 20.0)
    assert engine.index == 2
    assert engine.view().remaining == pytest.approx(4.5)


def test_a_late_wake_after_the_three_two_one_runs_the_segment_from_its_end(
    catalog: Catalog,
) -> None:
    engine, clock, rec, _ = make(catalog)
    engine.start()
    engine.pause()
    engine.resume()  # 3-2-1, then the 5 s lead-in runs from 3 s to 8 s
    clock.advance(9.5)
    engine.done()
    lead_in = next(e for e in rec.of(SegmentFinished) if e.index == 0)
    assert (lead_in.outcome, lead_in.actual_seconds, lead_in.t) == (Outcome.DONE, 5.0, 8.0)
    hold = next(e for e in rec.of(SegmentFinished) if e.index == 1)
    assert hold.actual_seconds == pytest.approx(1.5)


def test_a_suspend_noticed_late_first_plays_the_awake_time(catalog: Catalog) -> None:
    engine, clock, rec, _ = make(catalog)
    engine.start()
    clock.advance(9.5)  # awake time: the lead-in ends at 5 s and the hold begins
    clock.suspend(3600.0)
    engine.tick()
    lead_in = next(e for e in rec.of(SegmentFinished) if e.index == 0)
    assert (lead_in.outcome, lead_in.actual_seconds) == (Outcome.DONE, 5.0)
    assert engine.state is EngineState.PAUSED
    assert engine.reason is PauseReason.SLEPT
    assert engine.index == 1
    assert engine.view().remaining == pytest.approx(15.5)


def test_a_stall_after_a_control_keeps_the_new_segment_whole(catalog: Catalog) -> None:
    engine, clock, _, plan = make(catalog)
    engine.start()
    run_until(engine, clock, 6.0)
    clock.advance(9.0)  # no wake for 9 s (under the stall threshold), then "next"
    engine.next()
    assert engine.index == 2
    clock.advance(60.0)  # then the app freezes for a minute
    engine.tick()
    assert engine.reason is PauseReason.STALLED
    assert engine.view().remaining == pytest.approx(plan.segments[2].seconds)
