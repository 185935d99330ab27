"""FigureView paints every exercise, side and pose; it breathes around the chest alone."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QEvent, QObject, QRect, QTimer
from PySide6.QtGui import QColor, QImage, QPaintEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from si_timer.figures.loader import figure_for
from si_timer.figures.pose import START
from si_timer.figures.timeline import breath_at
from si_timer.library.catalog import load_catalog
from si_timer.library.model import Posture, Side
from si_timer.ui.figure import BREATH_STEPS, FigureView
from si_timer.ui.theme import DARK, HIGH_CONTRAST, LIGHT

EXERCISES = sorted(load_catalog(None, None).exercises.values(), key=lambda e: e.id)


def _colours(image: QImage) -> set[int]:
    step = 3
    return {
        image.pixel(x, y) & 0xFFFFFF
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    }


def _near(colours: set[int], colour: str, tolerance: int = 6) -> bool:
    want = QColor(colour)
    for rgb in colours:
        c = QColor(rgb)
        if (
            abs(c.red() - want.red()) <= tolerance
            and abs(c.green() - want.green()) <= tolerance
            and abs(c.blue() - want.blue()) <= tolerance
        ):
            return True
    return False


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_paints_every_side_and_pose(qtbot: QtBot, exercise: object) -> None:
    from si_timer.library.model import Exercise

    assert isinstance(exercise, Exercise)
    view = FigureView()
    qtbot.addWidget(view)
    view.resize(300, 240)
    figure = figure_for(exercise)
    for side in (*exercise.side_order(), Side.BOTH):
        view.show_exercise(exercise, side, exercise.posture)
        for name in figure.pose_names(side):
            view.set_motion(START, name, 0.5)
            image = view.grab().toImage()
            colours = _colours(image)
            assert _near(colours, LIGHT.figure), f"{exercise.id} {side} {name}: no body"
    if figure.accent:
        view.show_exercise(exercise, exercise.side_order()[0], exercise.posture)
        view.set_motion(START, figure.pose_names()[-1], 1.0)
        assert _near(_colours(view.grab().toImage()), LIGHT.accent), "no working side shown"


@pytest.mark.parametrize("palette", [LIGHT, DARK, HIGH_CONTRAST], ids=lambda p: p.name)
def test_takes_the_theme_colours(qtbot: QtBot, palette: object) -> None:
    view = FigureView()
    qtbot.addWidget(view)
    view.resize(300, 200)
    view.set_palette(palette)  # type: ignore[arg-type]
    view.show_exercise(None, Side.NONE, Posture.STANDING)
    assert _near(_colours(view.grab().toImage()), palette.figure)  # type: ignore[attr-defined]


@pytest.mark.parametrize("posture", list(Posture))
def test_no_exercise_shows_the_postures_neutral_figure(qtbot: QtBot, posture: Posture) -> None:
    view = FigureView()
    qtbot.addWidget(view)
    view.resize(240, 160)
    view.show_exercise(None, Side.NONE, posture)
    assert view.figure.id == posture.value
    assert _near(_colours(view.grab().toImage()), LIGHT.figure)


def test_the_view_has_no_timer_of_its_own(qtbot: QtBot) -> None:
    """It breathes on the player's once-a-second wake: no wakes of its own in a hold."""
    view = FigureView()
    qtbot.addWidget(view)
    view.show_exercise(EXERCISES[0], Side.NONE, None)
    view.show()
    qtbot.waitExposed(view)
    view.set_breath(0.5)
    view.set_motion(START, "hold", 0.3)
    assert view.findChildren(QTimer) == []


class PaintRects(QObject):
    def __init__(self, view: FigureView) -> None:
        super().__init__(view)
        self.rects: list[QRect] = []
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QPaintEvent):
            self.rects.append(event.rect())
        return False


def _shown_breathing(qtbot: QtBot) -> tuple[FigureView, PaintRects]:
    view = FigureView()
    qtbot.addWidget(view)
    view.resize(500, 400)
    exercise = next(e for e in EXERCISES if e.id == "wall-sit")
    view.show_exercise(exercise, Side.NONE, None)
    view.set_motion(START, "hold", 1.0)
    view.set_breath(0.0)
    view.show()
    qtbot.waitExposed(view)
    QApplication.processEvents()
    return view, PaintRects(view)


def test_a_breath_step_repaints_the_chest_alone(qtbot: QtBot) -> None:
    view, paints = _shown_breathing(qtbot)
    chest = view.breathing_rect()
    assert chest is not None
    assert view.breath_levels >= 2
    assert chest.width() * chest.height() < 0.1 * view.width() * view.height()
    view.set_breath(breath_at(1.0))
    QApplication.processEvents()
    assert view.breath_step == 1
    assert paints.rects
    assert all(chest.contains(r) for r in paints.rects)
    paints.rects.clear()
    view.set_breath(breath_at(1.05))  # the same step: nothing to paint
    QApplication.processEvents()
    assert paints.rects == []


def test_the_chest_swells_as_the_breath_fills(qtbot: QtBot) -> None:
    view, _ = _shown_breathing(qtbot)
    chest = view.breathing_rect()
    assert chest is not None
    empty = view.grab(chest).toImage()
    view.set_breath(1.0)
    full = view.grab(chest).toImage()
    colour = QColor(LIGHT.figure).rgb() & 0xFFFFFF

    def body_pixels(image: QImage) -> int:
        return sum(
            image.pixel(x, y) & 0xFFFFFF == colour
            for x in range(image.width())
            for y in range(image.height())
        )

    assert body_pixels(full) > body_pixels(empty)
    view.set_breath(None)
    assert view.breath_step == -1
    assert body_pixels(view.grab(chest).toImage()) == body_pixels(empty)


@pytest.mark.parametrize("levels", range(1, BREATH_STEPS + 1))
def test_a_breath_sampled_once_a_second_moves_a_step_at_most(levels: int) -> None:
    """The player sets the breath as its digits change, once a second: the figure's
    steps (fewer on a small figure) go up and down one at a time, each in and out
    reaches empty and full, and a wake a little early or late shows the same step."""
    for late in (-0.1, 0.0, 0.1):
        steps = [round(breath_at(t + late) * levels) for t in range(13)]
        assert all(abs(b - a) <= 1 for a, b in itertools.pairwise(steps))
        assert steps[0] == steps[6] == steps[12] == 0
        assert steps[3] == steps[9] == levels
        assert steps == [round(breath_at(t) * levels) for t in range(13)]


def test_height_follows_width() -> None:
    view = FigureView()
    assert view.hasHeightForWidth()
    assert view.heightForWidth(500) == pytest.approx(500 * 0.8, abs=1)
    assert view.sizeHint().height() == view.heightForWidth(view.sizeHint().width())
