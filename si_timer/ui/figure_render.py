"""``si-timer figure``: an exercise's figure, or a contact sheet of all of them, as PNG."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from si_timer.figures.loader import figure_for, figure_problems
from si_timer.figures.pose import HOLD, START, Figure
from si_timer.library.model import Exercise, Side

SHEET_COLUMNS = 5
CELL = (360, 260)


def _app() -> None:
    from si_timer.ui.printing.pdf import ensure_gui

    ensure_gui()


def _target(figure: Figure, pose: str | None) -> tuple[str, str]:
    """From the start into ``pose``; by default the hold, or the first shape after the start."""
    if pose is not None:
        return START, pose
    if HOLD in figure.poses:
        return START, HOLD
    later = [name for name in figure.poses if name != START]
    return START, later[0] if later else START


def render_exercise(
    exercise: Exercise, side: Side, pose: str | None, path: Path, size: tuple[int, int]
) -> None:
    _app()
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter

    from si_timer.ui.figure import FigurePainter, scenes_for
    from si_timer.ui.theme import LIGHT

    figure = figure_for(exercise)
    image = QImage(size[0], size[1], QImage.Format.Format_ARGB32)
    image.fill(QColor(LIGHT.surface))
    painter = QPainter(image)
    start, target = _target(figure, pose)
    FigurePainter(LIGHT).paint(
        painter, QRectF(image.rect()), scenes_for(figure, side, start, target, 1.0)
    )
    painter.end()
    image.save(str(path))


def render_sheet(exercises: Sequence[Exercise], path: Path) -> None:
    """Every exercise's hold pose (its first side), each labelled, in a grid."""
    _app()
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter

    from si_timer.ui.figure import FigurePainter, scenes_for
    from si_timer.ui.theme import LIGHT

    rows = (len(exercises) + SHEET_COLUMNS - 1) // SHEET_COLUMNS
    image = QImage(CELL[0] * SHEET_COLUMNS, CELL[1] * rows, QImage.Format.Format_ARGB32)
    image.fill(QColor(LIGHT.surface))
    painter = QPainter(image)
    fig_painter = FigurePainter(LIGHT)
    font = QFont()
    font.setPixelSize(18)
    painter.setFont(font)
    for i, ex in enumerate(exercises):
        x, y = (i % SHEET_COLUMNS) * CELL[0], (i // SHEET_COLUMNS) * CELL[1]
        figure = figure_for(ex)
        side = ex.side_order()[0]
        start, target = _target(figure, None)
        fig_painter.paint(
            painter,
            QRectF(x + 8, y + 8, CELL[0] - 16, CELL[1] - 44),
            scenes_for(figure, side, start, target, 1.0),
        )
        painter.setPen(QColor(LIGHT.text))
        painter.drawText(
            QRectF(x, y + CELL[1] - 34, CELL[0], 30),
            Qt.AlignmentFlag.AlignCenter,
            f"{ex.id} ({side.value})",
        )
    painter.end()
    image.save(str(path))


def run_figure_command(
    exercises: dict[str, Exercise],
    ident: str | None,
    side: str | None,
    pose: str | None,
    output: Path | None,
    size: str,
    sheet: bool,
    out: TextIO,
) -> int:
    """The ``figure`` command; returns the exit status."""
    try:
        width, height = (int(v) for v in size.lower().split("x"))
        if not (16 <= width <= 8000 and 16 <= height <= 8000):
            raise ValueError
    except ValueError:
        print(f"si-timer: --size {size!r}: give WIDTHxHEIGHT, e.g. 800x480", file=sys.stderr)
        return 2
    if sheet:
        target = output or Path("figures.png")
        render_sheet(list(exercises.values()), target)
        out.write(f"{target}\n")
        return 0
    if ident is None or ident not in exercises:
        known = ", ".join(sorted(exercises))
        print(f"si-timer: figure: unknown exercise {ident!r} (one of {known})", file=sys.stderr)
        return 2
    exercise = exercises[ident]
    for problem in figure_problems(exercise):
        print(f"warning: {problem} (showing the neutral figure)", file=sys.stderr)
    chosen = Side(side) if side else exercise.side_order()[0]
    figure = figure_for(exercise)
    if pose is not None and pose not in figure.pose_names(chosen):
        names = ", ".join(figure.pose_names(chosen))
        print(f"si-timer: figure: {ident} has no pose {pose!r} (it has {names})", file=sys.stderr)
        return 2
    target = output or Path(f"{ident}.png")
    render_exercise(exercise, chosen, pose, target, (width, height))
    out.write(f"{target}\n")
    return 0
