"""Skip this exercise, back to the previous one, and records that Enter cannot fool."""

from __future__ import annotations

import pytest

from si_timer.library.catalog import Catalog, load_catalog
from si_timer.library.model import Side
from si_timer.session.clock import FakeClock
from si_timer.session.engine import (
    EndStatus,
    EngineEvent,
    Outcome,
    SegmentFinished,
    SessionEnded,
    SessionEngine,
)
from si_timer.session.plan import Plan, SegmentKind, build_plan


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def make(catalog: Catalog, routine: str = "morning") -> tuple[SessionEngine, FakeClock, list, Plan]:
    plan = build_plan(catalog.routine(routine), catalog.exercises)
    clock = FakeClock()
    events: list[EngineEvent] = []
    return SessionEngine(plan, clock, events.append), clock, events, plan


def ended(events: list[EngineEvent]) -> SessionEnded:
    (end,) = [e for e in events if isinstance(e, SessionEnded)]
    return end


def where(engine: SessionEngine) -> tuple[str, SegmentKind, Side]:
    seg = engine.segment
    return seg.exercise_id, seg.kind, seg.side


def test_pressing_right_through_the_morning_is_not_a_session(catalog: Catalog) -> None:
    engine, clock, events, plan = make(catalog)
    engine.start()
    for _ in range(len(plan.segments)):
        clock.advance(0.2)
        engine.next()
    end = ended(events)
    assert end.status is EndStatus.ABANDONED
    assert end.counted.reps_done == 0
    assert end.counted.exercises_done == 0


def test_enter_half_a_second_into_a_hold_is_not_a_hold_done(catalog: Catalog) -> None:
    engine, clock, events, plan = make(catalog)
    engine.start()
    clock.advance(plan.segments[0].seconds or 0)  # the lead-in runs out
    engine.tick()
    assert engine.segment.kind is SegmentKind.HOLD
    clock.advance(0.5)
    engine.done()
    finished = [e for e in events if isinstance(e, SegmentFinished)]
    assert finished[-1].outcome is Outcome.SKIPPED
    # Most of the hold (60 %) is a hold done.
    clock.advance(0.2)
    engine.previous()  # within the grace: back to the hold just left
    while engine.segment.kind is not SegmentKind.HOLD:
        engine.next()
    for _ in range(round(0.6 * (engine.segment.seconds or 0) / 0.25)):
        clock.advance(0.25)  # the Qt timer wakes the engine now and then
        engine.tick()
    engine.done()
    assert [e for e in events if isinstance(e, SegmentFinished)][-1].outcome is Outcome.DONE


def test_self_paced_done_needs_a_second_a_rep(catalog: Catalog) -> None:
    engine, clock, events, plan = make(catalog, "core-strength")
    manual = next(s for s in plan.segments if s.kind is SegmentKind.MANUAL)
    engine = SessionEngine(plan, clock, events.append, start_index=manual.index)
    engine.start()
    for _ in range(2 * (manual.reps or 1) - 1):
        clock.advance(0.5)
        engine.tick()
    engine.done()
    finished = [e for e in events if isinstance(e, SegmentFinished)]
    assert finished[-1].outcome is Outcome.SKIPPED


def test_skip_exercise_moves_one_side_then_one_exercise(catalog: Catalog) -> None:
    engine, _, _, _ = make(catalog)
    engine.start()
    assert where(engine) == ("knee-to-chest", SegmentKind.LEAD_IN, Side.LEFT)
    engine.skip_exercise()
    assert where(engine) == ("knee-to-chest", SegmentKind.SWITCH, Side.RIGHT)
    engine.skip_exercise()
    assert where(engine) == ("knee-to-chest", SegmentKind.SWITCH, Side.BOTH)
    engine.skip_exercise()
    assert where(engine) == ("figure-4", SegmentKind.TRANSITION, Side.NONE)
    engine.skip_exercise()
    engine.skip_exercise()
    assert engine.segment.exercise_id == "cat-cow"
    # Cat-cow has no sides: one press leaves all ten reps, from rep 2.
    while engine.segment.rep != 2:
        engine.next()
    engine.skip_exercise()
    assert where(engine) == ("hip-flexor-lunge", SegmentKind.TRANSITION, Side.NONE)


def test_previous_exercise_restarts_this_one_then_goes_back(catalog: Catalog) -> None:
    engine, clock, _, _ = make(catalog)
    engine.start()
    for _ in range(3):
        engine.skip_exercise()
    assert engine.segment.exercise_id == "figure-4"
    engine.skip_exercise()  # figure-4's right side
    engine.skip_exercise()  # cat-cow
    while engine.segment.rep != 3:
        engine.next()
    clock.advance(1.0)
    engine.previous_exercise()  # some of cat-cow done: back to its start
    assert where(engine) == ("cat-cow", SegmentKind.TRANSITION, Side.NONE)
    engine.previous_exercise()  # at its start: back to the one before (its right side)
    assert where(engine) == ("figure-4", SegmentKind.SWITCH, Side.RIGHT)
    engine.previous_exercise()
    assert where(engine) == ("figure-4", SegmentKind.TRANSITION, Side.NONE)
    engine.previous_exercise()
    assert where(engine) == ("knee-to-chest", SegmentKind.SWITCH, Side.BOTH)


def test_skip_exercise_from_the_last_one_ends_the_session(catalog: Catalog) -> None:
    engine, _, events, _ = make(catalog, "pelvic-rotation")
    engine.start()
    for _ in range(20):
        if engine.state.value == "finished":
            break
        engine.skip_exercise()
    assert ended(events).status is EndStatus.ABANDONED


def test_every_exercise_done_or_hurt_is_completed(catalog: Catalog) -> None:
    engine, clock, events, _ = make(catalog, "pelvic-rotation")
    engine.start()
    engine.skip_exercise_for_pain()  # the first exercise hurt
    while engine.state.value != "finished":
        clock.advance(0.25)
        engine.tick()
    end = ended(events)
    assert end.status is EndStatus.COMPLETED
    assert end.counted.exercises_done == 1
    assert [e.result.value for e in end.counted.exercises] == ["pain", "done"]
