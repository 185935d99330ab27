"""Small still pictures of an exercise's figure, for lists (the entries, the picker).

A list of thirty live :class:`~si_timer.ui.figure.FigureView` widgets would cost a
widget and a repaint each; one pixmap per exercise and palette is drawn once and kept.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from si_timer.figures.loader import figure_for
from si_timer.figures.pose import HOLD, START
from si_timer.library.model import Exercise
from si_timer.ui.figure import FigurePainter, scenes_for
from si_timer.ui.theme import Palette

THUMB = QSize(84, 56)
PICKER_THUMB = QSize(120, 80)


class Thumbnails:
    """Draws and keeps one picture per exercise (its hold pose, first side)."""

    def __init__(self, palette: Palette, size: QSize = THUMB) -> None:
        self._palette = palette
        self._size = size
        self._painter = FigurePainter(palette)
        self._kept: dict[str, QIcon] = {}

    @property
    def size(self) -> QSize:
        return self._size

    def icon(self, exercise: Exercise) -> QIcon:
        icon = self._kept.get(exercise.id)
        if icon is None:
            icon = QIcon(self._draw(exercise))
            self._kept[exercise.id] = icon
        return icon

    def _draw(self, exercise: Exercise) -> QPixmap:
        # Drawn at twice the size, so it stays sharp on a high-density screen.
        pixmap = QPixmap(self._size * 2)
        pixmap.setDevicePixelRatio(2.0)
        pixmap.fill(QColor(0, 0, 0, 0))  # the row behind it shows through
        figure = figure_for(exercise)
        target = HOLD if HOLD in figure.poses else START
        side = exercise.side_order()[0]
        painter = QPainter(pixmap)
        self._painter.paint(
            painter,
            QRectF(0, 0, self._size.width(), self._size.height()),
            scenes_for(figure, side, START, target, 1.0),
        )
        painter.end()
        return pixmap
