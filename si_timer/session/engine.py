"""The session engine: runs a plan against a clock, with every control a person has.

It keeps deadlines, never tick counts: a segment's deadline is the previous
segment's deadline plus its length, so a late wake-up never shifts what comes
after.  Every method takes the current time from the injected clock; the Qt
side only calls :meth:`SessionEngine.tick` when :meth:`next_wake` says and to
repaint.  Events go to one callback as frozen records.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from enum import StrEnum

from si_timer.history.tally import SessionTally, plan_tally, ran_long_enough
from si_timer.library.model import Side
from si_timer.records import field, record
from si_timer.session.clock import Clock
from si_timer.session.cues import Cue, resume_cues
from si_timer.session.plan import Plan, Segment, SegmentKind

RESUME_COUNTDOWN = 3  # seconds of 3-2-1 before carrying on after a pause
PREVIOUS_GRACE = 3.0  # "previous" within this many seconds of a start goes back a segment
EXTEND_SECONDS = 10.0
SLEEP_THRESHOLD = 5.0  # seconds of suspend that pause a session
STALL_THRESHOLD = 10.0  # seconds between wakes that mean the process was frozen


class EngineState(StrEnum):
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    RESUMING = "resuming"  # the 3-2-1 after a pause
    FINISHED = "finished"


class PauseReason(StrEnum):
    PERSON = "person"
    SLEPT = "slept"  # the computer was suspended
    STALLED = "stalled"  # the app was frozen (no wake for a long time)
    ASKED = "asked"  # a question is open (end the session?): nothing runs out behind it


class Outcome(StrEnum):
    DONE = "done"
    SKIPPED = "skipped"
    SKIPPED_PAIN = "skipped_pain"


class EndStatus(StrEnum):
    COMPLETED = "completed"
    PARTIAL = "partial"
    ABANDONED = "abandoned"


@record(frozen=True)
class SegmentStarted:
    index: int
    segment: Segment
    t: float  # when it started on the session clock (seconds since the start, pauses included)
    observed: float | None = None  # when the engine noticed (a wake comes a little late)


@record(frozen=True)
class SegmentFinished:
    index: int
    segment: Segment
    outcome: Outcome
    actual_seconds: float  # time the segment ran, pauses excluded
    t: float
    observed: float | None = None  # when the engine noticed


@record(frozen=True)
class StateChanged:
    state: EngineState
    reason: PauseReason | None
    t: float


@record(frozen=True)
class CueDue:
    cue: Cue
    index: int  # the segment it belongs to (-1 for the resume countdown)
    t: float


@record(frozen=True)
class SessionEnded:
    status: EndStatus
    done: int  # work segments done
    skipped: int  # work segments skipped (for pain or otherwise)
    total: int  # work segments in the plan
    active_seconds: float  # time spent in the session, pauses excluded
    t: float
    observed: float | None = None  # when the engine noticed
    tally: SessionTally | None = None  # exercises and reps: what a person counts

    @property
    def counted(self) -> SessionTally:
        return self.tally if self.tally is not None else SessionTally(())


EngineEvent = SegmentStarted | SegmentFinished | StateChanged | CueDue | SessionEnded


@record(frozen=True)
class EngineView:
    """What the screen shows at one moment."""

    state: EngineState
    reason: PauseReason | None
    index: int
    segment: Segment | None
    remaining: float | None  # timed segments
    elapsed: float  # in this segment
    length: float | None  # this segment's length including extensions
    resume_in: float | None  # seconds left of the 3-2-1
    session_elapsed: float  # pauses excluded
    session_left: float  # planned time still to go
    done: int
    total: int

    @property
    def fraction(self) -> float:
        """How far through this segment (0..1); 0 for self-paced segments."""
        if not self.length:
            return 0.0
        return min(1.0, max(0.0, self.elapsed / self.length))


@record
class _Current:
    started: float  # monotonic time the segment (last) started running
    deadline: float | None  # monotonic; None for self-paced
    length: float | None
    banked: float = 0.0  # seconds already run before the last pause
    paused_remaining: float | None = None
    fired: set[int] = field(default_factory=set)  # indexes of cues already given


class SessionEngine:
    """Runs one plan. Controls take effect at the clock's current time."""

    def __init__(
        self,
        plan: Plan,
        clock: Clock,
        on_event: Callable[[EngineEvent], None],
        cues: Sequence[Sequence[Cue]] | None = None,
        *,
        resume_countdown: int = RESUME_COUNTDOWN,
        sleep_threshold: float = SLEEP_THRESHOLD,
        stall_threshold: float = STALL_THRESHOLD,
        start_index: int = 0,
    ) -> None:
        if not plan.segments:
            raise ValueError("a plan with no segments cannot run")
        self.plan = plan
        self._clock = clock
        self._emit = on_event
        self._cues: list[Sequence[Cue]] = (
            list(cues) if cues is not None else [() for _ in plan.segments]
        )
        self._resume_countdown = resume_countdown
        self._sleep_threshold = sleep_threshold
        self._stall_threshold = stall_threshold
        self.state = EngineState.READY
        self.reason: PauseReason | None = None
        self.index = start_index
        self._cur: _Current | None = None
        self._session_start = 0.0
        self._paused_total = 0.0
        self._paused_at: float | None = None
        self._resume_at: float | None = None
        self._resume_fired: set[int] = set()
        self._last_wake = (0.0, 0.0)
        self._outcomes: dict[int, Outcome] = {}
        self._ended_at = 0.0
        self._plan_json = plan.to_json()
        self._sided = _sided_exercises(plan)

    # --- queries ---------------------------------------------------------

    @property
    def segment(self) -> Segment:
        return self.plan.segments[self.index]

    @property
    def outcomes(self) -> dict[int, Outcome]:
        return dict(self._outcomes)

    def _t(self, now: float) -> float:
        return now - self._session_start

    def session_time(self) -> float:
        """Seconds on the session clock since the session started (the events file's ``t``)."""
        return self._t(self._clock.monotonic())

    def view(self) -> EngineView:
        now = self._clock.monotonic()
        cur = self._cur
        remaining: float | None = None
        elapsed = 0.0
        length: float | None = None
        if cur is not None:
            length = cur.length
            if self.state is EngineState.RUNNING:
                elapsed = cur.banked + (now - cur.started)
                remaining = None if cur.deadline is None else max(0.0, cur.deadline - now)
            else:
                elapsed = cur.banked
                remaining = cur.paused_remaining
                if remaining is None and cur.length is not None and self.state is EngineState.READY:
                    remaining = cur.length
        if length is None:
            remaining = None  # self-paced: a stopwatch, whatever its soft deadline
        resume_in = None
        if self.state is EngineState.RESUMING and self._resume_at is not None:
            resume_in = max(0.0, self._resume_at - now)
        later = sum(s.estimate for s in self.plan.segments[self.index + 1 :])
        this_left = (
            remaining if remaining is not None else max(0.0, self.segment.estimate - elapsed)
        )
        if self.state is EngineState.FINISHED:
            later, this_left = 0.0, 0.0
        work = [s for s in self.plan.segments if s.kind.is_work]
        return EngineView(
            state=self.state,
            reason=self.reason,
            index=self.index,
            segment=None if self.state is EngineState.FINISHED else self.segment,
            remaining=remaining,
            elapsed=elapsed,
            length=length,
            resume_in=resume_in,
            session_elapsed=self._active(now),
            session_left=later + this_left,
            done=self._count(Outcome.DONE),
            total=len(work),
        )

    def _count(self, *outcomes: Outcome) -> int:
        segments = self.plan.segments
        return sum(
            1 for i, o in self._outcomes.items() if o in outcomes and segments[i].kind.is_work
        )

    def _active(self, now: float) -> float:
        if self.state is EngineState.READY:
            return 0.0
        paused = self._paused_total
        if self._paused_at is not None:
            paused += now - self._paused_at
        end = self._ended_at if self.state is EngineState.FINISHED else now
        return max(0.0, end - self._session_start - paused)

    def next_wake(self) -> float | None:
        """Monotonic time at which :meth:`tick` has something to do, or None."""
        now = self._clock.monotonic()
        if self.state is EngineState.RESUMING and self._resume_at is not None:
            pending = [
                self._resume_at - c.at
                for i, c in enumerate(self._resume_cues())
                if i not in self._resume_fired and c.at is not None
            ]
            return max(now, min([self._resume_at, *pending]))
        if self.state is not EngineState.RUNNING or self._cur is None:
            return None
        cur = self._cur
        if cur.deadline is None:
            return None
        times = [cur.deadline]
        for i, cue in enumerate(self._cues[self.index]):
            if cue.at is not None and i not in cur.fired:
                times.append(cur.deadline - cue.at)
        return max(now, min(times))

    # --- lifecycle -------------------------------------------------------

    def start(self) -> None:
        if self.state is not EngineState.READY:
            return
        now = self._clock.monotonic()
        self._session_start = now
        self._last_wake = (now, self._clock.asleep_aware())
        self.state = EngineState.RUNNING
        self._emit(StateChanged(self.state, None, 0.0))
        self._begin(self.index, now)

    def tick(self) -> None:
        """Fire due cues and move past every segment whose deadline has passed."""
        now = self._clock.monotonic()
        asleep = self._clock.asleep_aware()
        last_now, last_asleep = self._last_wake
        self._last_wake = (now, asleep)
        if self.state is EngineState.RESUMING:
            if self._tick_resume(now):
                self._run_to(now)  # a late wake: the segment has been running since the 3-2-1
            return
        if self.state is not EngineState.RUNNING or self._cur is None:
            return
        slept = (asleep - last_asleep) - (now - last_now)
        if slept > self._sleep_threshold:
            # Monotonic time did not move while suspended: what it did move was awake
            # time, so play up to now, then pause where we were.
            self._run_to(now)
            if self.state is EngineState.RUNNING:
                self._pause(now, PauseReason.SLEPT)
            return
        if now - last_now > self._stall_threshold:
            # Frozen (stopped process, swapped out): don't jump ahead; take the
            # countdown back to where it stood at the last wake.
            self._pause(last_now, PauseReason.STALLED)
            return
        self._run_to(now)

    def _run_to(self, now: float) -> None:
        """Fire due cues and finish every segment whose deadline is at or before ``now``."""
        self._fire_due(now)
        while (
            self._cur is not None and self._cur.deadline is not None and now >= self._cur.deadline
        ):
            deadline = self._cur.deadline
            self._finish(Outcome.DONE, deadline, observed=now)
            if self.index + 1 >= len(self.plan.segments):
                self._end(EndStatus.COMPLETED, deadline, observed=now)
                return
            self._begin(self.index + 1, deadline, observed=now)
            self._fire_due(now)

    # --- controls --------------------------------------------------------
    # Each control first catches up with the clock (a wake may be late): a hold
    # whose deadline has passed ran out, and is not paused, skipped or ended.

    def pause(self, reason: PauseReason = PauseReason.PERSON) -> None:
        self.tick()
        if self.state in (EngineState.RUNNING, EngineState.RESUMING):
            self._pause(self._clock.monotonic(), reason)

    def resume(self) -> None:
        if self.state is not EngineState.PAUSED:
            return
        now = self._clock.monotonic()
        self.reason = None
        if self._resume_countdown <= 0:
            self._run_from_pause(now)
            return
        self.state = EngineState.RESUMING
        self._resume_at = now + self._resume_countdown
        self._resume_fired = set()
        self._emit(StateChanged(self.state, None, self._t(now)))
        self._tick_resume(now)

    def toggle_pause(self) -> None:
        if self.state is EngineState.PAUSED:
            self.resume()
        elif self.state is EngineState.READY:
            self.start()
        else:
            self.pause()

    def next(self) -> None:
        """Skip the rest of this segment."""
        self._leave(Outcome.SKIPPED)

    def done(self) -> None:
        """The person has finished this segment (self-paced reps, or a hold ended early)."""
        self._leave(Outcome.DONE)

    def ready(self) -> None:
        """The person is in position: start the session, or end a lead-in or a move now.

        Anywhere else it does nothing, so a clicker pressed twice never skips work.
        """
        if self.state is EngineState.READY:
            self.start()
            return
        self.tick()
        if self.state is EngineState.FINISHED or not self.segment.kind.is_getting_there:
            return
        self._leave(Outcome.DONE)

    def skip_exercise_for_pain(self) -> None:
        """Stop this exercise because it hurts: its remaining work is marked so."""
        self.tick()
        if self.state in (EngineState.READY, EngineState.FINISHED):
            return
        now = self._clock.monotonic()
        exercise = self.segment.exercise_id
        self._finish(Outcome.SKIPPED_PAIN, now)
        nxt = self.index + 1
        segments = self.plan.segments
        while (
            nxt < len(segments)
            and segments[nxt].exercise_id == exercise
            and segments[nxt].kind is not SegmentKind.TRANSITION
        ):
            if segments[nxt].kind.is_work:
                self._outcomes[nxt] = Outcome.SKIPPED_PAIN
                self._emit(
                    SegmentFinished(nxt, segments[nxt], Outcome.SKIPPED_PAIN, 0.0, self._t(now))
                )
            nxt += 1
        self._go(nxt, now)

    def skip_exercise(self) -> None:
        """Leave this exercise (this side of it, where sides run one after the other)
        for the start of the next one; what is left of it is skipped."""
        self.tick()
        if self.state in (EngineState.READY, EngineState.FINISHED):
            return
        now = self._clock.monotonic()
        self._finish(Outcome.SKIPPED, now)
        self._go(self._next_start(self.index), now)

    def previous_exercise(self) -> None:
        """Back to the start of this exercise (or side), or of the one before it when
        this one has only just begun."""
        self.tick()
        if self.state in (EngineState.READY, EngineState.FINISHED) or self._cur is None:
            return
        now = self._clock.monotonic()
        start = self._block_start(self.index)
        elapsed = self._cur.banked + (
            now - self._cur.started if self.state is EngineState.RUNNING else 0.0
        )
        segments = self.plan.segments
        # Nothing of this one done yet: the person means the one before.
        at_head = all(not segments[i].is_work for i in range(start, self.index)) and (
            not self.segment.is_work or elapsed < PREVIOUS_GRACE
        )
        if start > 0 and at_head:
            start = self._block_start(start - 1)
        self._go(start, now)

    def _block(self, index: int) -> tuple[str, Side]:
        """The exercise and side a segment belongs to (the side only where sides run one
        after the other); a transition opens the block it leads into."""
        segments = self.plan.segments
        seg = segments[index]
        if seg.kind is SegmentKind.TRANSITION and index + 1 < len(segments):
            seg = segments[index + 1]
        return seg.exercise_id, seg.side if seg.exercise_id in self._sided else Side.NONE

    def _block_start(self, index: int) -> int:
        block = self._block(index)
        while index > 0 and self._block(index - 1) == block:
            index -= 1
        return index

    def _next_start(self, index: int) -> int:
        block = self._block(index)
        while index < len(self.plan.segments) and self._block(index) == block:
            index += 1
        return index

    def previous(self) -> None:
        """Restart this segment, or go back one if it has only just begun."""
        self.tick()
        if self.state in (EngineState.READY, EngineState.FINISHED) or self._cur is None:
            return
        now = self._clock.monotonic()
        elapsed = self._cur.banked + (
            now - self._cur.started if self.state is EngineState.RUNNING else 0.0
        )
        target = self.index - 1 if elapsed < PREVIOUS_GRACE and self.index > 0 else self.index
        self._go(target, now)

    def extend(self, seconds: float = EXTEND_SECONDS) -> None:
        """Add time to the current timed segment."""
        self.tick()
        cur = self._cur
        if cur is None or cur.length is None or self.state is EngineState.FINISHED:
            return
        cur.length += seconds
        if cur.deadline is not None:
            cur.deadline += seconds
        if cur.paused_remaining is not None:
            cur.paused_remaining += seconds

    def end(self) -> None:
        """Stop the session early."""
        self.tick()
        if self.state in (EngineState.READY, EngineState.FINISHED):
            return
        now = self._clock.monotonic()
        self._close_pause(now)
        status = EndStatus.PARTIAL if self._count(Outcome.DONE) else EndStatus.ABANDONED
        self._end(status, now)

    # --- internals -------------------------------------------------------

    def _begin(
        self, index: int, at: float, *, paused: bool = False, observed: float | None = None
    ) -> None:
        self.index = index
        seg = self.plan.segments[index]
        run_for = _run_for(seg)
        if paused:
            self._cur = _Current(
                started=at, deadline=None, length=seg.seconds, paused_remaining=run_for
            )
        else:
            deadline = at + run_for if run_for is not None else None
            self._cur = _Current(started=at, deadline=deadline, length=seg.seconds)
        seen = observed if observed is not None else at
        self._emit(SegmentStarted(index, seg, self._t(at), self._t(seen)))
        if not paused:
            self._fire_due(seen)

    def _fire_due(self, now: float) -> None:
        cur = self._cur
        if cur is None:
            return
        for i, cue in enumerate(self._cues[self.index]):
            if i in cur.fired:
                continue
            due = cue.at is None or (cur.deadline is not None and now >= cur.deadline - cue.at)
            if due:
                cur.fired.add(i)
                self._emit(CueDue(cue, self.index, self._t(now)))

    def _finish(self, outcome: Outcome, at: float, *, observed: float | None = None) -> None:
        cur = self._cur
        if cur is None:
            return
        running = self.state is EngineState.RUNNING
        actual = cur.banked + (at - cur.started if running else 0.0)
        seg = self.segment
        if (
            outcome is Outcome.DONE
            and seg.is_work
            and not ran_long_enough(seg.seconds, seg.reps, actual)
        ):
            outcome = Outcome.SKIPPED  # "done" 0.5 s into a 5 s hold is not a hold done
        self._outcomes[self.index] = outcome
        self._emit(
            SegmentFinished(
                self.index,
                self.segment,
                outcome,
                max(0.0, actual),
                self._t(at),
                self._t(observed if observed is not None else at),
            )
        )
        self._cur = None

    def _leave(self, outcome: Outcome) -> None:
        self.tick()
        if self.state in (EngineState.READY, EngineState.FINISHED):
            return
        now = self._clock.monotonic()
        self._finish(outcome, now)
        self._go(self.index + 1, now)

    def _go(self, index: int, now: float) -> None:
        """Move to ``index``; the segment being left was already finished or is abandoned."""
        self._cur = None
        if index >= len(self.plan.segments):
            self._close_pause(now)
            self._end(EndStatus.COMPLETED, now)
            return
        if self.state is EngineState.RESUMING:
            # A jump during the 3-2-1 lands paused, like any jump while paused.
            self.state = EngineState.PAUSED
            self._emit(StateChanged(self.state, self.reason or PauseReason.PERSON, self._t(now)))
        self._begin(index, now, paused=self.state is EngineState.PAUSED)

    def _pause(self, at: float, reason: PauseReason) -> None:
        cur = self._cur
        if self.state is EngineState.RUNNING and cur is not None:
            cur.banked += max(0.0, at - cur.started)
            cur.paused_remaining = None if cur.deadline is None else max(0.0, cur.deadline - at)
            cur.deadline = None
        self.state = EngineState.PAUSED
        self.reason = reason
        self._resume_at = None
        if self._paused_at is None:
            self._paused_at = at
        self._emit(StateChanged(self.state, reason, self._t(at)))

    def _tick_resume(self, now: float) -> bool:
        """Give the 3-2-1 cues that are due; True once the countdown is over and it runs."""
        assert self._resume_at is not None
        for i, cue in enumerate(self._resume_cues()):
            if (
                i not in self._resume_fired
                and cue.at is not None
                and now >= self._resume_at - cue.at
            ):
                self._resume_fired.add(i)
                self._emit(CueDue(cue, -1, self._t(now)))
        if now < self._resume_at:
            return False
        self._run_from_pause(self._resume_at)
        return True

    def _resume_cues(self) -> Sequence[Cue]:
        return resume_cues(self._resume_countdown)

    def _run_from_pause(self, at: float) -> None:
        self._close_pause(at)
        self._resume_at = None
        self.state = EngineState.RUNNING
        self._last_wake = (self._clock.monotonic(), self._clock.asleep_aware())
        self._emit(StateChanged(self.state, None, self._t(at)))
        cur = self._cur
        if cur is not None:
            cur.started = at
            if cur.paused_remaining is not None:
                cur.deadline = at + cur.paused_remaining
            cur.paused_remaining = None
            if not cur.fired:
                self._fire_due(at)

    def _close_pause(self, at: float) -> None:
        if self._paused_at is not None:
            self._paused_total += max(0.0, at - self._paused_at)
            self._paused_at = None

    def tally(self) -> SessionTally:
        """Exercises and reps done so far (a segment cut short is not done)."""
        return plan_tally(self._plan_json, {i: o.value for i, o in self._outcomes.items()})

    def _end(self, status: EndStatus, at: float, *, observed: float | None = None) -> None:
        # How the session went is what was done, not how it ended: skipping to the
        # end is not "completed", and nothing done is not a session.
        tally = self.tally()
        status = _END_STATUS[tally.status.value]
        total = sum(1 for s in self.plan.segments if s.kind.is_work)
        done = self._count(Outcome.DONE)
        skipped = self._count(Outcome.SKIPPED, Outcome.SKIPPED_PAIN)
        self._ended_at = at
        self.state = EngineState.FINISHED
        self._cur = None
        self._emit(StateChanged(self.state, None, self._t(at)))
        seen = self._t(observed if observed is not None else at)
        self._emit(
            SessionEnded(
                status, done, skipped, total, self._active(at), self._t(at), seen, tally=tally
            )
        )


_END_STATUS = {
    "completed": EndStatus.COMPLETED,
    "partial": EndStatus.PARTIAL,
    "abandoned": EndStatus.ABANDONED,
}


def _sided_exercises(plan: Plan) -> frozenset[str]:
    """Exercises done one whole side, then the next (not alternating, one set): there
    "skip this exercise" skips one side at a time."""
    sides: dict[str, list[Side]] = {}
    for seg in plan.segments:
        if seg.kind is not SegmentKind.TRANSITION:
            sides.setdefault(seg.exercise_id, []).append(seg.side)
    return frozenset(ex for ex, seq in sides.items() if _one_run_per_side(seq))


def _one_run_per_side(sides: Sequence[Side]) -> bool:
    runs = 1 + sum(1 for a, b in itertools.pairwise(sides) if a != b)
    return runs > 1 and runs == len(set(sides))


def _run_for(seg: Segment) -> float | None:
    """How long a segment runs unless someone acts: its length, or for self-paced reps a soft
    deadline (the plan's estimate, which allows for a slow set) after which it ends as done,
    so a session never waits silently for a key."""
    if seg.seconds is not None:
        return seg.seconds
    if seg.kind is SegmentKind.MANUAL and seg.estimate > 0:
        return seg.estimate
    return None
