"""The player screen through qtbot: the words, sides and counts a person sees."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from si_timer.figures.timeline import breath_at
from si_timer.library.catalog import Catalog, load_catalog
from si_timer.session.clock import FakeClock
from si_timer.session.commands import Command
from si_timer.session.engine import EngineEvent, SessionEngine
from si_timer.session.plan import SegmentKind, build_plan
from si_timer.ui.session.player import PlayerScreen, phase_word
from si_timer.ui.theme import LIGHT
from tests.helpers.layout_requests import LayoutRequests


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _player(
    qtbot: QtBot, catalog: Catalog, routine: str
) -> tuple[PlayerScreen, SessionEngine, FakeClock]:
    plan = build_plan(catalog.routine(routine), catalog.exercises)
    clock = FakeClock()
    events: list[EngineEvent] = []
    engine = SessionEngine(plan, clock, events.append)
    screen = PlayerScreen(LIGHT)
    qtbot.addWidget(screen)
    screen.resize(1280, 720)
    screen.load(plan, catalog.exercises, {"a": "Source A", "b": "Source B"})
    return screen, engine, clock


def advance_to(engine: SessionEngine, clock: FakeClock, index: int, into: float = 0.0) -> None:
    while engine.index < index:
        clock.advance(0.25)
        engine.tick()
    end = clock.monotonic() + into
    while clock.monotonic() < end:
        clock.advance(min(0.5, end - clock.monotonic()))
        engine.tick()


def test_hold_shows_phase_side_and_countdown(qtbot: QtBot, catalog: Catalog) -> None:
    screen, engine, clock = _player(qtbot, catalog, "morning")
    engine.start()
    advance_to(engine, clock, 1, into=6.5)
    screen.show_view(engine.view())
    assert screen.phase_label.text() == "HOLD"
    assert screen.side_label.text() == "LEFT LEG"
    assert screen.exercise_label.text() == "Knee to chest"  # the short name, read from the mat
    assert screen.side_note_label.text() == "Left knee to your chest"
    assert screen.ring.accessibleDescription().startswith("14 ")
    assert "switch to your right leg" in screen.next_label.text()
    assert screen.steps_label.text().count("<p") == len(catalog.exercise("knee-to-chest").steps)
    assert not screen.caution_frame.isHidden() or not catalog.exercise("knee-to-chest").cautions


def test_both_legs_and_rest_and_switch_words(qtbot: QtBot, catalog: Catalog) -> None:
    screen, engine, clock = _player(qtbot, catalog, "morning")
    engine.start()
    advance_to(engine, clock, 2)
    screen.show_view(engine.view())
    assert screen.phase_label.text() == "SWITCH"
    assert screen.side_label.text() == "RIGHT LEG"
    advance_to(engine, clock, 5)
    screen.show_view(engine.view())
    assert screen.side_label.text() == "BOTH LEGS"
    advance_to(engine, clock, 6)
    screen.show_view(engine.view())
    assert engine.segment.kind is SegmentKind.TRANSITION
    assert screen.phase_label.text() == "REST"
    assert screen.exercise_label.text() == "Next: Figure-4"


def test_sets_and_reps_are_counted(qtbot: QtBot, catalog: Catalog) -> None:
    screen, engine, clock = _player(qtbot, catalog, "core-strength")
    plan = engine.plan
    second_set = next(s for s in plan.segments if s.kind is SegmentKind.HOLD and s.set == 2)
    engine.start()
    advance_to(engine, clock, second_set.index)
    screen.show_view(engine.view())
    assert screen.count_label.text() == "Set 2 of 3"
    pelvic = next(s for s in plan.segments if s.kind is SegmentKind.PHASE and s.rep == 7)
    engine2_screen, engine2, clock2 = _player(qtbot, catalog, "core-strength")
    engine2.start()
    advance_to(engine2, clock2, pelvic.index)
    engine2_screen.show_view(engine2.view())
    assert engine2_screen.count_label.text() == "Rep 7 of 15"
    assert engine2_screen.phase_label.text() == pelvic.phase.upper()  # type: ignore[union-attr]
    following = plan.segments[pelvic.index + 1]
    assert following.kind is SegmentKind.PHASE
    assert engine2_screen.next_label.text() == (
        f"<b>Next:</b> {following.phase} {following.seconds:g} s"
    )


def test_manual_step_shows_a_stopwatch_and_done(qtbot: QtBot, catalog: Catalog) -> None:
    screen, engine, clock = _player(qtbot, catalog, "core-strength")
    manual = next(s for s in engine.plan.segments if s.kind is SegmentKind.MANUAL)
    engine.start()
    advance_to(engine, clock, manual.index, into=75)
    screen.show_view(engine.view())
    assert screen.phase_label.text() == "YOUR PACE"
    assert screen.ring.accessibleDescription().startswith("1:15")
    screen2, engine2, clock2 = _player(qtbot, catalog, "core-strength")
    engine2.start()
    advance_to(engine2, clock2, manual.index, into=12)
    screen2.show_view(engine2.view())
    assert screen2.ring.accessibleDescription().startswith("12 ")  # seconds alone, big
    assert screen.done_button.isVisibleTo(screen)
    assert screen.count_label.text().endswith("reps")


def test_paused_is_said_in_words(qtbot: QtBot, catalog: Catalog) -> None:
    screen, engine, clock = _player(qtbot, catalog, "morning")
    engine.start()
    advance_to(engine, clock, 1, into=3)
    engine.pause()
    screen.show_view(engine.view())
    assert screen.phase_label.text() == "PAUSED"
    assert screen.pause_button.text().endswith("Resume")


def test_buttons_forward_intent(qtbot: QtBot, catalog: Catalog) -> None:
    screen, _, _ = _player(qtbot, catalog, "morning")
    for button, command in (
        (screen.pause_button, Command.PAUSE),
        (screen.next_button, Command.NEXT),
        (screen.back_button, Command.PREVIOUS),
        (screen.done_button, Command.DONE),
        (screen.extend_button, Command.EXTEND),
        (screen.hurts_button, Command.HURTS),
        (screen.end_button, Command.END),
    ):
        with qtbot.waitSignal(screen.command_requested, timeout=500) as blocker:
            button.click()
        assert blocker.args == [command]
    with qtbot.waitSignal(screen.pain_before_chosen, timeout=500) as blocker:
        screen.pain_group.button(3).click()
    assert blocker.args == [3]


def test_every_control_has_an_accessible_name(qtbot: QtBot, catalog: Catalog) -> None:
    screen, _, _ = _player(qtbot, catalog, "morning")
    from PySide6.QtWidgets import QPushButton

    for button in screen.findChildren(QPushButton):
        assert button.accessibleName(), button.text()


def test_text_grows_with_the_window(qtbot: QtBot, catalog: Catalog) -> None:
    screen, _, _ = _player(qtbot, catalog, "morning")
    screen.show()
    screen.resize(1280, 720)
    small = screen.side_label.font().pixelSize()
    screen.resize(1920, 1080)
    assert screen.side_label.font().pixelSize() == pytest.approx(small * 1.5, abs=2)


def test_phase_word_is_done_at_the_end(catalog: Catalog) -> None:
    plan = build_plan(catalog.routine("pelvic-rotation"), catalog.exercises)
    clock = FakeClock()
    engine = SessionEngine(plan, clock, lambda e: None)
    engine.start()
    engine.end()
    assert phase_word(engine.view()) == "DONE"


@pytest.mark.parametrize("routine_id", sorted(load_catalog(None, None).routines))
def test_every_segment_of_every_bundled_routine_shows(
    qtbot: QtBot, catalog: Catalog, routine_id: str
) -> None:
    """Every step's texts build, "Next:" included (a self-paced step once crashed it)."""
    screen, engine, _ = _player(qtbot, catalog, routine_id)
    engine.start()
    seen_next = set()
    for index, seg in enumerate(engine.plan.segments):
        assert engine.index == index
        screen.show_view(engine.view())
        assert screen.exercise_label.text().endswith(catalog.exercise(seg.exercise_id).display_name)
        assert screen.next_label.text().startswith("<b>Next:</b>")
        seen_next.add(screen.next_label.text())
        engine.next()
    assert len(seen_next) > 1  # the line changes as the session moves on


def test_the_start_screen_says_what_to_press(qtbot: QtBot, catalog: Catalog) -> None:
    screen, _, _ = _player(qtbot, catalog, "morning")
    screen.show()
    screen.show_ready(pain_question=True)
    assert screen.ready_label.isVisible()
    assert screen.ready_label.text() == "Pain right now? 0-9, or Space to start"
    assert screen.pain_row.isVisible()
    screen.show_ready(pain_question=True, starts_in=12.2)
    assert screen.ready_label.text().endswith("(starts by itself in 13 s)")
    screen.show_ready(pain_question=True, starts_in=2.5)
    assert screen.ready_label.text() == "Starting in 3…"
    screen.show_ready(pain_question=False)  # a resumed session: no pain question
    assert screen.ready_label.text() == "Press Space to start"
    assert not screen.pain_row.isVisible()
    # Large: readable from the mat.
    assert "font-size: 40px" in screen.ready_label.styleSheet()
    screen.hide_ready()
    assert not screen.ready_label.isVisible()


def test_a_hold_ticks_without_a_relayout_and_breathes_on_its_clock(
    qtbot: QtBot, catalog: Catalog
) -> None:
    """Each second of a hold changes the digits, the time left and the figure's breath,
    and lays nothing out: a relayout of the whole screen every second was a tenth of
    what a hold cost.  The breath comes from the hold's clock, so a pause keeps it."""
    screen, engine, clock = _player(qtbot, catalog, "morning")
    screen.show_figures()
    screen.show()
    qtbot.waitExposed(screen)
    engine.start()
    advance_to(engine, clock, 1)
    assert engine.segment.kind is SegmentKind.HOLD
    screen.show_view(engine.view())
    for _ in range(3):  # the new segment's layout, and what that posts in turn
        QApplication.processEvents()
    figure = screen.figure
    assert figure is not None
    requests = LayoutRequests(screen)
    start = engine.view().elapsed
    lines, steps = [], []
    for _ in range(6):
        clock.advance(1.0)
        engine.tick()
        screen.show_view(engine.view())
        QApplication.processEvents()
        lines.append(screen.time_left_label.line())
        steps.append(figure.breath_step)
    assert requests.count == 0
    assert len(set(lines)) == 6  # the time left changed every second
    levels = figure.breath_levels
    assert steps == [round(breath_at(start + k) * levels) for k in range(1, 7)]
    assert len(set(steps)) > 1
    engine.pause()
    for _ in range(3):
        clock.advance(1.0)
        engine.tick()
        screen.show_view(engine.view())
        assert figure.breath_step == steps[-1]
