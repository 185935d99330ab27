"""The session engine under any sequence of controls, wakes, suspends and freezes.

Hypothesis drives one engine per run with the person's controls, the Qt timer's
``tick()`` and a fake clock that moves a little, a lot, past the stall threshold
or through a suspend; after every step the events so far and ``view()`` must
tell one consistent story.  Plans are the bundled routines and small random ones.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)

from si_timer.history.tally import plan_tally, ran_long_enough
from si_timer.library.catalog import Catalog, load_catalog
from si_timer.library.model import Side
from si_timer.session.clock import FakeClock
from si_timer.session.cues import Cue, Sound, script
from si_timer.session.engine import (
    EXTEND_SECONDS,
    SLEEP_THRESHOLD,
    STALL_THRESHOLD,
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
from si_timer.session.plan import Plan, Segment, SegmentKind, build_plan
from si_timer.session.verbosity import Verbosity

S = EngineState
# Every StateChanged the engine may announce, from the state it leaves.
LEGAL_EDGES = {
    S.READY: {S.RUNNING},
    S.RUNNING: {S.PAUSED, S.FINISHED},
    S.PAUSED: {S.RESUMING, S.RUNNING, S.FINISHED},  # RUNNING: no 3-2-1 configured
    S.RESUMING: {S.RUNNING, S.PAUSED, S.FINISHED},  # PAUSED: a jump during the 3-2-1
    S.FINISHED: set(),
}
EPS = 1e-6

CATALOG: Catalog = load_catalog()
ROUTINE_IDS = sorted(CATALOG.routines)


def bundled_plan(routine_id: str) -> tuple[Plan, list[Sequence[Cue]]]:
    plan = build_plan(CATALOG.routine(routine_id), CATALOG.exercises)
    return plan, list(script(plan, CATALOG.exercises, Verbosity.FULL))


@st.composite
def small_plans(draw: st.DrawFn) -> tuple[Plan, list[Sequence[Cue]]]:
    """A few segments of any kind over two or three exercises, with random cues."""
    segments: list[Segment] = []
    offset = 0.0
    for i in range(draw(st.integers(1, 7))):
        kind = draw(st.sampled_from(SegmentKind))
        seconds = None if kind is SegmentKind.MANUAL else draw(st.sampled_from([1.0, 2.5, 5, 20]))
        estimate = 6.0 if seconds is None else float(seconds)
        segments.append(
            Segment(
                index=i,
                kind=kind,
                exercise_id=draw(st.sampled_from(["a", "b", "c"])),
                exercise_name="Ex",
                side=Side.NONE,
                seconds=seconds,
                start=offset,
                estimate=estimate,
            )
        )
        offset += estimate
    cue = st.builds(Cue, st.none() | st.sampled_from([0.0, 1.0, 3.0, 10.0]), st.just("say"))
    cues = [draw(st.lists(cue, max_size=3)) for _ in segments]
    return Plan("random", "Random", tuple(segments)), cues


plans = st.sampled_from(ROUTINE_IDS).map(bundled_plan) | small_plans()


@dataclass
class Visit:
    """One run of a segment, from its SegmentStarted to leaving it."""

    index: int
    extends: int = 0
    finished: bool = False
    cues: Counter[int] = field(default_factory=Counter)


def block_of(plan: Plan, index: int) -> tuple[str, Side]:
    """What "this exercise" means at ``index``: the exercise, and the side where each
    side is done in one run; a transition leads into what follows."""
    segments = plan.segments
    seg = segments[index]
    if seg.kind is SegmentKind.TRANSITION and index + 1 < len(segments):
        seg = segments[index + 1]
    sides = [
        s.side
        for s in segments
        if s.exercise_id == seg.exercise_id and s.kind is not SegmentKind.TRANSITION
    ]
    runs = 1 + sum(1 for x, y in itertools.pairwise(sides) if x != y)
    one_run_each = runs > 1 and runs == len(set(sides))
    return seg.exercise_id, seg.side if one_run_each else Side.NONE


def starts_a_block(plan: Plan, index: int) -> bool:
    return index == 0 or block_of(plan, index - 1) != block_of(plan, index)


def run_length(segment: Segment, extends: int) -> float | None:
    """How long a segment runs when nobody acts: its length with extensions, or the soft
    deadline of self-paced reps; None: it waits."""
    if segment.seconds is not None:
        return segment.seconds + EXTEND_SECONDS * extends
    if segment.kind is SegmentKind.MANUAL and segment.estimate > 0:
        return segment.estimate
    return None


class EngineMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[EngineEvent] = []
        self.seen = 0  # events already checked

    @initialize(
        plan_and_cues=plans,
        countdown=st.sampled_from([0, 3]),
        start=st.floats(0.0, 1.0),
    )
    def build(
        self, plan_and_cues: tuple[Plan, list[Sequence[Cue]]], countdown: int, start: float
    ) -> None:
        self.plan, self.cues = plan_and_cues
        self.clock = FakeClock()
        start_index = int(start * (len(self.plan.segments) - 1))
        self.engine = SessionEngine(
            self.plan,
            self.clock,
            self.events.append,
            self.cues,
            resume_countdown=countdown,
            start_index=start_index,
        )
        self.countdown = countdown
        self.state = S.READY  # as announced by StateChanged
        self.started_at: float | None = None
        self.ended: SessionEnded | None = None
        self.ended_by_end = False
        self.visit: Visit | None = None
        self.pain_rule = False  # this step was a skip for pain
        self.ready_rule = False  # this step was "ready" (cut a lead-in or a move short)
        self.pain_from: int | None = None  # the segment a pain skip marks forward from
        self.outcomes: dict[int, Outcome] = {}
        self.resume_ticks = 0
        self.last_remaining: tuple[int, float | None, int] | None = None  # visit id, left, extends
        self.visits = 0
        self.last_active = 0.0
        self.stalled = False  # this step announced a stall
        self.ticked = False  # this step was a tick

    # --- the person -----------------------------------------------------------

    @rule()
    def start(self) -> None:
        if self.engine.state is S.READY:
            self.started_at = self.clock.monotonic()
        self.engine.start()

    @rule()
    def pause(self) -> None:
        self.engine.pause()

    @rule()
    def resume(self) -> None:
        self.engine.resume()

    @rule()
    def toggle_pause(self) -> None:
        if self.engine.state is S.READY:
            self.started_at = self.clock.monotonic()
        self.engine.toggle_pause()

    @rule()
    def next(self) -> None:
        self.engine.next()

    @rule()
    def ready(self) -> None:
        if self.engine.state is S.READY:
            self.started_at = self.clock.monotonic()
        self.ready_rule = True
        self.engine.ready()

    @rule()
    def previous(self) -> None:
        self.engine.previous()

    @rule()
    def done(self) -> None:
        self.engine.done()

    def jump(self, control: Callable[[], None]) -> tuple[int, int] | None:
        """Run ``control``; the segment it left and the one it landed on (after any
        catching up with the clock it did first), or None when it did not move."""
        self.events_tell_one_story()
        first, before = len(self.events), self.engine.index
        running = self.engine.state not in (S.READY, S.FINISHED)
        control()
        self.events_tell_one_story()
        starts = [e.index for e in self.events[first:] if isinstance(e, SegmentStarted)]
        if not running or self.engine.state is S.FINISHED or not starts:
            return None
        return (starts[-2] if len(starts) > 1 else before), starts[-1]

    @rule()
    def skip_exercise(self) -> None:
        moved = self.jump(self.engine.skip_exercise)
        if moved is not None:
            before, after = moved
            assert after > before
            # It lands where an exercise (or its other side) begins, never inside one.
            assert starts_a_block(self.plan, after), f"skip landed inside at {after}"
            assert all(not starts_a_block(self.plan, i) for i in range(before + 2, after))

    @rule()
    def previous_exercise(self) -> None:
        moved = self.jump(self.engine.previous_exercise)
        if moved is not None:
            before, after = moved
            assert after <= before
            assert starts_a_block(self.plan, after), f"back landed at {after}"
            # At most one exercise (or side) back: at most two block starts passed.
            passed = sum(1 for i in range(after + 1, before + 1) if starts_a_block(self.plan, i))
            assert passed <= 2

    @rule()
    def extend(self) -> None:
        self.engine.extend()
        self.events_tell_one_story()  # it catches up first: which visit got the time?
        visit = self.visit
        timed = visit is not None and self.plan.segments[visit.index].seconds is not None
        if visit is not None and timed and self.engine.state is not S.FINISHED:
            visit.extends += 1

    @rule()
    def skip_exercise_for_pain(self) -> None:
        self.pain_rule = True
        self.engine.skip_exercise_for_pain()

    @rule()
    def end(self) -> None:
        if self.engine.state not in (S.READY, S.FINISHED):
            self.ended_by_end = True
        self.engine.end()

    # --- the clock and the Qt timer ----------------------------------------------

    @rule(seconds=st.floats(0.01, 2.0))
    def advance_a_little(self, seconds: float) -> None:
        self.clock.advance(seconds)

    @rule(seconds=st.floats(0.01, 2.0))
    def wake_after(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.tick()

    @rule()
    def wake_when_asked(self) -> None:
        wake = self.engine.next_wake()
        if wake is not None:
            self.clock.advance(wake - self.clock.monotonic())
        self.tick()

    @rule(seconds=st.sampled_from([STALL_THRESHOLD - 0.5, STALL_THRESHOLD + 0.5, 120.0, 3600.0]))
    def advance_a_lot(self, seconds: float) -> None:
        self.clock.advance(seconds)

    @rule(seconds=st.sampled_from([SLEEP_THRESHOLD - 0.5, SLEEP_THRESHOLD + 0.5, 3600.0]))
    def suspend(self, seconds: float) -> None:
        self.clock.suspend(seconds)

    @rule()
    def tick(self) -> None:
        self.ticked = True
        self.engine.tick()

    @rule()
    def look(self) -> None:
        self.engine.view()
        wake = self.engine.next_wake()
        assert wake is None or wake >= self.clock.monotonic()

    def teardown(self) -> None:
        """However the run went, ending it gives exactly one SessionEnded, and it is last."""
        if not hasattr(self, "engine"):
            return
        self.ended_by_end = True
        self.engine.end()
        self.consistent()
        ended = [i for i, e in enumerate(self.events) if isinstance(e, SessionEnded)]
        if self.started_at is None:
            assert ended == []
        else:
            assert ended == [len(self.events) - 1]

    # --- what must hold after every step ----------------------------------------------

    @invariant()
    def consistent(self) -> None:
        self.events_tell_one_story()
        self.view_is_sane()
        self.ticked = self.stalled = self.pain_rule = self.ready_rule = False

    def events_tell_one_story(self) -> None:
        new, self.seen = self.events[self.seen :], len(self.events)
        for event in new:
            assert self.ended is None, f"{event} after the session ended"
            if isinstance(event, StateChanged):
                self.on_state(event)
            elif isinstance(event, SegmentStarted):
                assert 0 <= event.index < len(self.plan.segments)
                assert event.segment == self.plan.segments[event.index]
                self.visits += 1
                self.visit = Visit(event.index)
                self.pain_from = None
            elif isinstance(event, SegmentFinished):
                self.on_finished(event)
            elif isinstance(event, CueDue):
                self.on_cue(event)
            else:
                self.on_ended(event)
        assert self.engine.state is self.state, "a state change went unannounced"
        assert self.engine.outcomes == self.outcomes

    def on_state(self, event: StateChanged) -> None:
        assert event.state in LEGAL_EDGES[self.state], f"{self.state} -> {event.state}"
        assert (event.reason is not None) == (event.state is S.PAUSED)
        if event.reason in (PauseReason.SLEPT, PauseReason.STALLED):
            assert self.state is S.RUNNING
        self.stalled = self.stalled or event.reason is PauseReason.STALLED
        if event.state is S.RESUMING:
            self.resume_ticks = 0
        self.state = event.state

    def on_finished(self, event: SegmentFinished) -> None:
        segment = self.plan.segments[event.index]
        assert event.actual_seconds >= 0.0
        visit = self.visit
        assert visit is not None
        if event.index == visit.index:
            assert not visit.finished, f"segment {event.index} finished twice in one visit"
            visit.finished = True
            if event.outcome is Outcome.SKIPPED_PAIN:
                assert self.pain_rule
                self.pain_from = event.index
            length = run_length(segment, visit.extends)
            if length is not None:
                # A timed segment never runs longer than it is, however late the wake
                # or the control; run out by the clock, it ran exactly that long.  Self-
                # paced reps have a soft deadline, their estimate: they never wait forever.
                assert event.actual_seconds <= length + EPS
                if event.outcome is Outcome.DONE and self.ticked:
                    assert event.actual_seconds == pytest.approx(length, abs=EPS)
                if event.outcome is Outcome.DONE and self.ready_rule:
                    # "Ready" ends only time to get there; anything else it ran out.
                    assert segment.kind.is_getting_there or event.actual_seconds == (
                        pytest.approx(length, abs=EPS)
                    )
            if event.outcome is Outcome.DONE and segment.is_work:
                # Work cut short is not done: a record must not be fooled by Enter.
                assert ran_long_enough(segment.seconds, segment.reps, event.actual_seconds)
        else:
            # The rest of an exercise stopped for pain (or, from the rest before it, all of
            # it): later work of the same exercise, up to the next exercise's transition.
            assert visit.finished
            assert self.pain_from == visit.index
            assert event.outcome is Outcome.SKIPPED_PAIN
            assert event.index > visit.index
            assert event.actual_seconds == 0.0
            assert segment.kind.is_work
            assert segment.exercise_id == self.plan.segments[visit.index].exercise_id
            assert all(
                self.plan.segments[i].kind is not SegmentKind.TRANSITION
                for i in range(visit.index + 1, event.index + 1)
            )
        self.outcomes[event.index] = event.outcome

    def on_cue(self, event: CueDue) -> None:
        if event.index == -1:
            assert self.state is S.RESUMING
            self.resume_ticks += 1
            assert self.resume_ticks <= self.countdown
            assert event.cue.sound is Sound.TICK
            return
        visit = self.visit
        assert visit is not None
        assert event.index == visit.index
        assert not visit.finished
        visit.cues[id(event.cue)] += 1
        given = sum(1 for c in self.cues[event.index] if c is event.cue)
        assert visit.cues[id(event.cue)] <= given, "a cue fired twice in one visit"

    def on_ended(self, event: SessionEnded) -> None:
        assert self.state is S.FINISHED
        work = [s.index for s in self.plan.segments if s.kind.is_work]
        done = sum(1 for i in work if self.outcomes.get(i) is Outcome.DONE)
        skipped = sum(
            1 for i in work if self.outcomes.get(i) in (Outcome.SKIPPED, Outcome.SKIPPED_PAIN)
        )
        assert (event.done, event.skipped, event.total) == (done, skipped, len(work))
        # How it went is what was done, however it ended: every exercise done (or
        # stopped for pain) is completed, some rep done is partial, nothing is empty.
        tally = plan_tally(self.plan.to_json(), {i: o.value for i, o in self.outcomes.items()})
        assert event.tally == tally
        assert event.status.value == tally.status.value
        if tally.reps_done == 0:
            assert event.status is EndStatus.ABANDONED
        assert self.started_at is not None
        assert 0.0 <= event.active_seconds <= self.clock.monotonic() - self.started_at + EPS
        self.ended = event

    def view_is_sane(self) -> None:
        view = self.engine.view()
        engine = self.engine
        assert 0 <= view.index < len(self.plan.segments)
        assert view.state is engine.state
        assert view.done <= view.total
        assert 0.0 <= view.fraction <= 1.0
        assert view.session_left >= 0.0
        if view.state is S.FINISHED:
            assert view.segment is None
            assert view.session_left == 0.0
            assert self.ended is not None
            assert view.session_elapsed == pytest.approx(self.ended.active_seconds, abs=EPS)
        else:
            assert view.segment == self.plan.segments[view.index]
        if view.state is S.RUNNING:
            assert engine.next_wake() is not None, "a running session waits for a key"
        if view.state is S.READY:
            assert view.session_elapsed == 0.0
        else:
            assert self.started_at is not None
            assert view.session_elapsed <= self.clock.monotonic() - self.started_at + EPS
        if view.resume_in is not None:
            assert view.state is S.RESUMING
            assert 0.0 <= view.resume_in <= self.countdown + EPS
        if view.remaining is not None:
            assert view.remaining >= 0.0
            assert view.length is not None
            assert view.remaining <= view.length + EPS, "more time left than the segment has"
        self.check_time_only_runs_down(view.remaining, view.session_elapsed)

    def check_time_only_runs_down(self, remaining: float | None, active: float) -> None:
        visit = self.visit
        if visit is None or self.engine.state is S.FINISHED:
            return
        now = (self.visits, remaining, visit.extends)
        before, self.last_remaining = self.last_remaining, now
        # A stall takes the countdown back to the last wake: time the app was frozen
        # does not count.  Otherwise time left and time spent move one way only.
        if not self.stalled:
            assert active >= self.last_active - EPS, "active time went backwards"
        self.last_active = active
        if before is None or before[0] != now[0] or self.stalled:
            return
        if before[1] is not None and remaining is not None:
            grown = remaining - before[1]
            allowed = EXTEND_SECONDS * (now[2] - before[2])
            assert grown <= allowed + EPS, f"time left grew by {grown} s"


EngineMachine.TestCase.settings = settings(
    max_examples=400,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestEngineMachine = EngineMachine.TestCase
