"""The Qt controller: it wakes the engine on time and re-emits typed signals."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from si_timer.library.catalog import load_catalog
from si_timer.session.clock import FakeClock
from si_timer.session.cues import script
from si_timer.session.engine import (
    CueDue,
    EngineState,
    SegmentFinished,
    SegmentStarted,
    SessionEngine,
    StateChanged,
)
from si_timer.session.plan import build_plan
from si_timer.session.verbosity import Verbosity
from si_timer.ui.session.controller import SessionController


@pytest.fixture
def setup(qtbot: QtBot) -> tuple[SessionController, FakeClock, SessionEngine]:
    catalog = load_catalog()
    plan = build_plan(catalog.routine("morning"), catalog.exercises)
    clock = FakeClock()
    controller = SessionController(clock)
    engine = SessionEngine(
        plan, clock, controller.dispatch, script(plan, catalog.exercises, Verbosity.KEY)
    )
    controller.attach(engine)
    return controller, clock, engine


def test_events_arrive_as_typed_signals(
    qtbot: QtBot, setup: tuple[SessionController, FakeClock, SessionEngine]
) -> None:
    controller, clock, engine = setup
    started: list[SegmentStarted] = []
    states: list[StateChanged] = []
    cues: list[CueDue] = []
    controller.segment_started.connect(started.append)
    controller.state_changed.connect(states.append)
    controller.cue_due.connect(cues.append)
    controller.start()
    assert [s.index for s in started] == [0]
    assert states[0].state is EngineState.RUNNING
    assert cues
    assert cues[0].cue.speech is not None
    assert cues[0].cue.speech.startswith("Knee-to-chest")
    finished: list[SegmentFinished] = []
    controller.segment_finished.connect(finished.append)
    clock.advance(5.0)
    # The controller's timer fires for real (soon, since it is due): wait for its wake.
    with qtbot.waitSignal(controller.segment_started, timeout=2000):
        pass
    assert finished[0].index == 0
    assert engine.index == 1
    controller.stop()


def test_controls_reach_the_engine_and_repaint(
    qtbot: QtBot, setup: tuple[SessionController, FakeClock, SessionEngine]
) -> None:
    controller, _, engine = setup
    controller.start()
    with qtbot.waitSignal(controller.updated, timeout=1000):
        controller.pause()
    assert engine.state is EngineState.PAUSED
    controller.next()
    assert engine.index == 1
    controller.extend()
    view = controller.view()
    assert view is not None
    assert view.remaining == pytest.approx(30.0)
    controller.end()
    assert engine.state is EngineState.FINISHED
    controller.stop()


def test_a_running_timed_segment_keeps_the_timer_armed(
    qtbot: QtBot, setup: tuple[SessionController, FakeClock, SessionEngine]
) -> None:
    controller, _, _ = setup
    controller.start()
    timer = controller._timer  # the one timer is what this test is about
    assert timer.isActive()
    # Never more than a second away (the digits' step), so the display stays fresh.
    assert timer.remainingTime() <= 1000
    controller.stop()
    assert not timer.isActive()


def test_a_hold_wakes_once_a_second_as_its_digits_change(
    qtbot: QtBot, setup: tuple[SessionController, FakeClock, SessionEngine]
) -> None:
    """Each wake repaints the ring: waking between digit changes would cost CPU for
    nothing seen, so in a running segment the next wake is the next whole second."""
    controller, clock, engine = setup
    controller.start()
    clock.advance(0.25)
    controller._wake()
    view = engine.view()
    assert view.remaining is not None
    to_next_digit = view.remaining - int(view.remaining)
    assert to_next_digit > 0.5, "the test assumes the quarter second is mid-digit"
    expected = round(to_next_digit * 1000)
    # Unless a cue is due sooner, the timer waits exactly until the digits change.
    wake = engine.next_wake()
    if wake is not None and wake - clock.monotonic() < to_next_digit:
        expected = round((wake - clock.monotonic()) * 1000)
    assert abs(controller._timer.interval() - expected) <= 1
    controller.stop()


def test_a_waiting_start_begins_on_time_and_a_press_comes_first(
    qtbot: QtBot, setup: tuple[SessionController, FakeClock, SessionEngine]
) -> None:
    controller, clock, engine = setup
    assert controller.starts_in() is None
    controller.start_after(20.0)
    assert controller.starts_in() == 20.0
    clock.advance(19.0)
    controller._wake()  # the timer's own slot
    assert engine.state is EngineState.READY
    assert controller.starts_in() == 1.0
    clock.advance(1.0)
    controller._wake()
    assert engine.state is EngineState.RUNNING
    assert engine.view().session_elapsed == 0.0  # it starts counting then, not before
    assert controller.starts_in() is None
    controller.stop()


def test_a_waiting_start_wakes_its_timer_by_itself(
    qtbot: QtBot, setup: tuple[SessionController, FakeClock, SessionEngine]
) -> None:
    controller, clock, engine = setup
    started: list[StateChanged] = []
    controller.state_changed.connect(started.append)
    controller.start_after(0.5)
    clock.advance(0.5)
    qtbot.waitUntil(lambda: engine.state is EngineState.RUNNING, timeout=3000)
    assert [s.state for s in started] == [EngineState.RUNNING]
    controller.end()
    assert engine.state is EngineState.FINISHED


def test_ending_on_the_start_screen_ends_the_session(
    setup: tuple[SessionController, FakeClock, SessionEngine],
) -> None:
    controller, _, engine = setup
    controller.end()
    assert engine.state is EngineState.FINISHED
