"""FigureView paints every exercise, side and pose, and runs its timer only while needed."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from si_timer.figures.loader import figure_for
from si_timer.figures.pose import START
from si_timer.library.catalog import load_catalog
from si_timer.library.model import Posture, Side
from si_timer.ui.figure import FigureView
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


def test_breathing_runs_the_timer_only_while_shown(qtbot: QtBot) -> None:
    view = FigureView()
    qtbot.addWidget(view)
    view.show_exercise(EXERCISES[0], Side.NONE, None)
    view.set_breathing(True)
    assert not view.animating  # not shown yet
    view.show()
    qtbot.waitExposed(view)
    assert view.animating
    view.hide()
    assert not view.animating
    view.show()
    assert view.animating
    view.set_breathing(False)
    assert not view.animating  # static: paints only on change


def test_a_static_figure_has_no_timer(qtbot: QtBot) -> None:
    view = FigureView()
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.set_motion(START, "hold", 0.3)
    assert not view.animating


def test_height_follows_width() -> None:
    view = FigureView()
    assert view.hasHeightForWidth()
    assert view.heightForWidth(500) == pytest.approx(500 * 0.8, abs=1)
    assert view.sizeHint().height() == view.heightForWidth(view.sizeHint().width())
