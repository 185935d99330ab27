"""The player as laid out for the mat: big enough to read from 2.5 m, and nothing cut off.

Renders the player offscreen at the sizes people use, in each kind of step, and
measures capitals (QFontMetrics.capHeight) as a share of the screen's height.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from si_timer.library.catalog import Catalog, load_catalog
from si_timer.session.clock import FakeClock
from si_timer.session.engine import SessionEngine
from si_timer.session.plan import Segment, SegmentKind, build_plan
from si_timer.ui.session.player import FIGURE_ASPECT, PlayerScreen
from si_timer.ui.theme import LIGHT
from tests.ui.session.test_player import advance_to

MENU_BAR = 30  # a window filling a 720-line screen shows a menu bar above the player

# (screen width, screen height, the player's height in it)
SIZES = {
    "1024x600": (1024, 600, 600 - MENU_BAR),
    "1280x720": (1280, 720, 720 - MENU_BAR),  # a window filling the screen
    "1920x1080": (1920, 1080, 1080),  # full screen: no menu bar
    "3840x2160": (3840, 2160, 2160),
}
MEASURED = ("1280x720", "1920x1080")

# Capitals as a share of the screen's height (issue: the mat view).
COUNTDOWN = 0.15
SIDE_AND_NAME = 0.075
PHASE = 0.06
COUNT_AND_NEXT = 0.04


def _cap(font: QFont) -> float:
    return QFontMetrics(font).capHeight()


def _label_cap(label: QLabel) -> float:
    label.ensurePolished()
    return _cap(label.font())


def _first(kind: SegmentKind, *, phase: bool = False) -> Callable[[Segment], bool]:
    return lambda s: s.kind is kind and (not phase or bool(s.phase))


# (routine, which step, seconds into it)
STEPS = {
    "hold": ("morning", _first(SegmentKind.HOLD), 3.0),
    "switch": ("morning", _first(SegmentKind.SWITCH), 1.0),
    "transition": ("morning", _first(SegmentKind.TRANSITION), 2.0),
    "rest": ("core-strength", lambda s: s.kind is SegmentKind.REST and not s.is_relax, 2.0),
    "paced": ("core-strength", _first(SegmentKind.PHASE, phase=True), 1.0),
    "self-paced": ("core-strength", _first(SegmentKind.MANUAL), 10.0),
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _shown(qtbot: QtBot, catalog: Catalog, step: str, size: str) -> tuple[PlayerScreen, Segment]:
    routine, which, into = STEPS[step]
    plan = build_plan(catalog.routine(routine), catalog.exercises)
    seg = next(s for s in plan.segments if which(s))
    clock = FakeClock()
    engine = SessionEngine(plan, clock, lambda e: None)
    screen = PlayerScreen(LIGHT)
    qtbot.addWidget(screen)
    width, _, height = SIZES[size]
    screen.resize(width, height)
    screen.load(plan, catalog.exercises, {"a": "Source A", "b": "Source B"})
    screen.show()
    engine.start()
    advance_to(engine, clock, seg.index, into=into)
    assert engine.index == seg.index
    screen.show_view(engine.view())
    for _ in range(3):
        QApplication.processEvents()
    return screen, seg


def _clipped(screen: PlayerScreen) -> list[str]:
    """Labels whose text does not fit the space they have, or that fall off the screen."""
    problems = []
    inside_panel = screen.info_scroll.widget()
    bounds = screen.rect()
    for label in screen.findChildren(QLabel):
        if not label.isVisibleTo(screen) or not label.text():
            continue
        name = label.accessibleName() or label.text()[:30]
        if label.wordWrap():
            needed = label.heightForWidth(label.width())
            if needed > label.height() + 1:
                problems.append(f"{name}: needs {needed} px tall, has {label.height()}")
        else:
            hint = label.sizeHint()
            if hint.width() > label.width() + 1 or hint.height() > label.height() + 1:
                problems.append(f"{name}: needs {hint.width()}x{hint.height()}, has {label.size()}")
        if not inside_panel.isAncestorOf(label):
            place = QRect(label.mapTo(screen, label.rect().topLeft()), label.size())
            if not bounds.contains(place):
                problems.append(f"{name}: at {place}, off the screen {bounds}")
    return problems


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("step", sorted(STEPS))
def test_nothing_is_cut_off(qtbot: QtBot, catalog: Catalog, step: str, size: str) -> None:
    screen, _ = _shown(qtbot, catalog, step, size)
    assert _clipped(screen) == []
    # The panel scrolls when the steps and cautions need more room than it has.
    panel = screen.info_scroll
    content = panel.widget()
    assert content.height() >= content.layout().totalHeightForWidth(content.width()) - 1  # type: ignore[union-attr]


@pytest.mark.parametrize("size", MEASURED)
@pytest.mark.parametrize("step", sorted(STEPS))
def test_read_from_the_mat(qtbot: QtBot, catalog: Catalog, step: str, size: str) -> None:
    screen, seg = _shown(qtbot, catalog, step, size)
    _, screen_height, _ = SIZES[size]

    def share(cap: float) -> float:
        return cap / screen_height

    assert share(_cap(screen.ring.digits_font())) >= COUNTDOWN, "countdown"
    assert share(_label_cap(screen.phase_label)) >= PHASE, screen.phase_label.text()
    assert share(_label_cap(screen.exercise_label)) >= SIDE_AND_NAME, screen.exercise_label.text()
    if screen.side_label.text() and seg.kind is not SegmentKind.TRANSITION:
        assert share(_label_cap(screen.side_label)) >= SIDE_AND_NAME, screen.side_label.text()
    if screen.count_label.text():
        assert share(_label_cap(screen.count_label)) >= COUNT_AND_NEXT, screen.count_label.text()
    assert share(_label_cap(screen.next_label)) >= COUNT_AND_NEXT, screen.next_label.text()
    # Controls stay smaller than what is read from the floor.
    screen.pause_button.ensurePolished()
    assert _cap(screen.pause_button.font()) < _label_cap(screen.next_label)


def test_every_caution_is_shown(qtbot: QtBot, catalog: Catalog) -> None:
    screen, seg = _shown(qtbot, catalog, "hold", "1280x720")
    cautions = catalog.exercise(seg.exercise_id).cautions
    assert screen.caution_label.text().count("<p") == len(cautions) > 0


def test_a_bigger_screen_gives_bigger_type(qtbot: QtBot, catalog: Catalog) -> None:
    small, _ = _shown(qtbot, catalog, "hold", "1280x720")
    big, _ = _shown(qtbot, catalog, "hold", "3840x2160")
    assert _label_cap(big.side_label) > 2.5 * _label_cap(small.side_label)


@pytest.mark.parametrize("size", ["1024x600", "1280x720"])
@pytest.mark.parametrize("routine_id", sorted(load_catalog(None, None).routines))
def test_no_step_of_any_bundled_routine_is_cut_off(
    qtbot: QtBot, catalog: Catalog, routine_id: str, size: str
) -> None:
    """Long phase names ("Turn the foot in, hand inside"), long positions, every side."""
    plan = build_plan(catalog.routine(routine_id), catalog.exercises)
    engine = SessionEngine(plan, FakeClock(), lambda e: None)
    screen = PlayerScreen(LIGHT)
    qtbot.addWidget(screen)
    width, _, height = SIZES[size]
    screen.resize(width, height)
    screen.load(plan, catalog.exercises, {})
    screen.show()
    engine.start()
    for seg in plan.segments:
        screen.show_view(engine.view())
        for _ in range(3):  # as the event loop would: the layout settles in a few passes
            QApplication.processEvents()
        assert _clipped(screen) == [], (seg.index, seg.kind, seg.exercise_id)
        engine.next()


def test_a_change_of_position_shows_the_new_one(qtbot: QtBot, catalog: Catalog) -> None:
    plan = build_plan(catalog.routine("full"), catalog.exercises)
    change = next(s for s in plan.segments if s.kind is SegmentKind.TRANSITION and s.change)
    assert change.posture is not None
    engine = SessionEngine(plan, FakeClock(), lambda e: None)
    screen = PlayerScreen(LIGHT)
    qtbot.addWidget(screen)
    screen.load(plan, catalog.exercises, {})
    engine.start()
    while engine.index < change.index:
        engine.next()
    screen.show_view(engine.view())
    assert screen.side_label.text() == change.posture.instruction
    short = catalog.exercise(change.exercise_id).display_name
    assert screen.exercise_label.text() == f"Next: {short}"
    assert screen.figure is None  # drawn after the first paint, showing what is on now
    screen.show_figures()
    assert screen.figure is not None
    assert screen.figure.accessibleDescription() == change.posture.instruction


@pytest.mark.parametrize("size", ["1024x600", "1920x1080"])
def test_the_figure_takes_the_room_kept_for_it(qtbot: QtBot, catalog: Catalog, size: str) -> None:
    """Drawn after the first paint, the figure moves nothing: its slot had its size."""
    from si_timer.ui.figure import ASPECT, FigureView

    width, _, height = SIZES[size]
    plan = build_plan(catalog.routine("morning"), catalog.exercises)
    engine = SessionEngine(plan, FakeClock(), lambda e: None)
    screen = PlayerScreen(LIGHT)
    qtbot.addWidget(screen)
    screen.resize(width, height)
    screen.load(plan, catalog.exercises, {})
    engine.start()
    screen.show_view(engine.view())
    screen.show()
    qtbot.waitExposed(screen)
    QApplication.processEvents()  # the type sizes follow the height: laid out again
    assert screen.figure is None
    watched = [screen.ring, screen.phase_label, screen.exercise_label, screen.side_label]
    watched += [screen.count_label, screen.next_label, screen.figure_box]
    before = [w.geometry() for w in watched]
    slot = screen.figure_box.findChild(QWidget)
    assert slot is not None
    room = slot.geometry()
    kept = (slot.minimumSize(), slot.sizeHint(), slot.heightForWidth(333))
    screen.show_figures()
    QApplication.processEvents()
    figure = screen.figure
    assert isinstance(figure, FigureView)
    assert figure.isVisible()
    assert figure.geometry() == room
    assert [w.geometry() for w in watched] == before
    assert (figure.minimumSize(), figure.sizeHint(), figure.heightForWidth(333)) == kept
    assert pytest.approx(ASPECT) == FIGURE_ASPECT
    seg = engine.view().segment
    assert seg is not None
    shown = catalog.exercise(seg.exercise_id).posture
    assert figure.accessibleDescription() == shown.instruction  # what was on, at once
