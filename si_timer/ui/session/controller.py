"""Drives a SessionEngine from Qt: one timer that wakes it, typed signals out.

The timer never decides how much time has passed; it only wakes the engine
near the next boundary (a deadline, a cue, the next whole second on screen)
and at a modest repaint rate for the progress ring.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from si_timer.session.clock import Clock
from si_timer.session.engine import (
    CueDue,
    EngineEvent,
    EngineState,
    EngineView,
    PauseReason,
    SegmentFinished,
    SegmentStarted,
    SessionEnded,
    SessionEngine,
    StateChanged,
)

# Seconds (on the session clock) between wakes at the least: the screen shows whole
# seconds, so it changes once a second; a paused session wakes too, so that suspend
# detection stays fresh. Each wake repaints the ring, and a hold spends most of its
# CPU on those repaints: waking twice a second cost twice as much for nothing shown.
REPAINT_INTERVAL = 1.0


class SessionController(QObject):
    """Owns the engine's wake-up timer and turns engine events into signals.

    Signals:
        segment_started(SegmentStarted): a segment began.
        segment_finished(SegmentFinished): a segment ended (done or skipped).
        state_changed(StateChanged): running, paused, resuming or finished.
        cue_due(CueDue): something to say or play now.
        session_ended(SessionEnded): the session is over.
        updated(): time moved; views repaint from :meth:`view`.
    """

    segment_started = Signal(SegmentStarted)
    segment_finished = Signal(SegmentFinished)
    state_changed = Signal(StateChanged)
    cue_due = Signal(CueDue)
    session_ended = Signal(SessionEnded)
    updated = Signal()

    def __init__(
        self, clock: Clock, *, time_scale: float = 1.0, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._scale = time_scale
        self._engine: SessionEngine | None = None
        self._start_at: float | None = None  # a start that waits (the start screen)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._wake)

    @property
    def engine(self) -> SessionEngine | None:
        return self._engine

    def attach(self, engine: SessionEngine) -> None:
        """Take over ``engine`` (built with :meth:`dispatch` as its event callback)."""
        self._engine = engine

    def dispatch(self, event: EngineEvent) -> None:
        """The engine's event callback: re-emit as the matching typed signal."""
        match event:
            case SegmentStarted():
                self.segment_started.emit(event)
            case SegmentFinished():
                self.segment_finished.emit(event)
            case StateChanged():
                self.state_changed.emit(event)
            case CueDue():
                self.cue_due.emit(event)
            case SessionEnded():
                self.session_ended.emit(event)

    def start_after(self, seconds: float) -> None:
        """Start the engine this many seconds from now (clock seconds) unless something
        starts it first; a later call replaces an earlier one."""
        if self._engine is None or self._engine.state is not EngineState.READY:
            return
        self._start_at = self._clock.monotonic() + max(0.0, seconds)
        self._wake()

    def starts_in(self) -> float | None:
        """Seconds until a waiting start, or None when none waits."""
        if self._start_at is None or self._engine is None:
            return None
        if self._engine.state is not EngineState.READY:
            return None
        return max(0.0, self._start_at - self._clock.monotonic())

    def view(self) -> EngineView | None:
        return self._engine.view() if self._engine else None

    # Controls: each acts on the engine and re-plans the next wake.
    def start(self) -> None:
        self._act(lambda e: e.start())

    def toggle_pause(self) -> None:
        self._act(lambda e: e.toggle_pause())

    def pause(self, reason: PauseReason = PauseReason.PERSON) -> None:
        self._act(lambda e: e.pause(reason))

    def resume(self) -> None:
        self._act(lambda e: e.resume())

    def next(self) -> None:
        self._act(lambda e: e.next())

    def ready(self) -> None:
        self._act(lambda e: e.ready())

    def previous(self) -> None:
        self._act(lambda e: e.previous())

    def done(self) -> None:
        self._act(lambda e: e.done())

    def skip_exercise(self) -> None:
        self._act(lambda e: e.skip_exercise())

    def previous_exercise(self) -> None:
        self._act(lambda e: e.previous_exercise())

    def extend(self) -> None:
        self._act(lambda e: e.extend())

    def skip_for_pain(self) -> None:
        self._act(lambda e: e.skip_exercise_for_pain())

    def end(self) -> None:
        """End the session; one still on its start screen ends as abandoned."""
        self._act(_start_and_end)

    def stop(self) -> None:
        """Stop waking the engine (window closing)."""
        self._timer.stop()

    def _act(self, action: Callable[[SessionEngine], None]) -> None:
        if self._engine is None:
            return
        action(self._engine)
        self._engine.tick()
        self.updated.emit()
        self._schedule()

    def _wake(self) -> None:
        if self._engine is None:
            return
        if (
            self._engine.state is EngineState.READY
            and self._start_at is not None
            and self._clock.monotonic() >= self._start_at
        ):
            self._start_at = None
            self._engine.start()
        self._engine.tick()
        self.updated.emit()
        self._schedule()

    def _schedule(self) -> None:
        engine = self._engine
        now = self._clock.monotonic()
        if engine is not None and engine.state is EngineState.READY and self._start_at is not None:
            # A waiting start: wake as its whole seconds change (the 3-2-1 on screen).
            left = max(0.0, self._start_at - now)
            step = left - math.floor(left - 1e-6) if left > 0 else 0.0
            self._timer.start(max(1, math.ceil(step / self._scale * 1000)))
            return
        if engine is None or engine.state in (EngineState.FINISHED, EngineState.READY):
            self._timer.stop()
            return
        targets = [now + REPAINT_INTERVAL]
        wake = engine.next_wake()
        if wake is not None:
            targets.append(wake)
        view = engine.view()
        if view.remaining is not None and view.state is EngineState.RUNNING and view.remaining > 0:
            # The digits show whole seconds rounded up: wake as they change.
            step = view.remaining - math.floor(view.remaining - 1e-6)
            targets.append(now + step)
        elif view.remaining is None and view.state is EngineState.RUNNING:
            # A stopwatch (self-paced reps) shows whole seconds elapsed.
            targets.append(now + 1.0 - (view.elapsed % 1.0))
        delay = max(0.0, min(targets) - now) / self._scale
        # A paused session still wakes now and then so suspend detection stays fresh.
        self._timer.start(max(1, math.ceil(delay * 1000)))


def _start_and_end(engine: SessionEngine) -> None:
    engine.start()  # does nothing once started
    engine.end()
