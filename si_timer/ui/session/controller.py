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

REPAINT_INTERVAL = 0.5  # seconds (on the session clock) between ring repaints


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
        self._act(lambda e: e.end())

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
        self._engine.tick()
        self.updated.emit()
        self._schedule()

    def _schedule(self) -> None:
        engine = self._engine
        if engine is None or engine.state in (EngineState.FINISHED, EngineState.READY):
            self._timer.stop()
            return
        now = self._clock.monotonic()
        targets = [now + REPAINT_INTERVAL]
        wake = engine.next_wake()
        if wake is not None:
            targets.append(wake)
        view = engine.view()
        if view.remaining is not None and view.state is EngineState.RUNNING and view.remaining > 0:
            # The digits show whole seconds rounded up: wake as they change.
            step = view.remaining - math.floor(view.remaining - 1e-6)
            targets.append(now + step)
        delay = max(0.0, min(targets) - now) / self._scale
        # A paused session still wakes now and then so suspend detection stays fresh.
        self._timer.start(max(1, math.ceil(delay * 1000)))
