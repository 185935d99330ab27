"""A stand-in for the exercise figure, with the figure widget's API, until it arrives.

Paints a neutral rounded panel naming the position, so every page can lay out the
figure's place now; replacing this module's ``FigureView`` with the real one
(``si_timer.ui.figure``) is a change of import.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from si_timer.library.model import Exercise, Posture, Side
from si_timer.ui.theme import Palette


class FigureView(QWidget):
    """Where the exercise's figure goes: a rounded panel with the position's word."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._palette: Palette | None = None
        self._word = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(QSize(48, 32))
        self.setAccessibleName("Exercise figure")

    def sizeHint(self) -> QSize:
        return QSize(320, 200)

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self.update()

    def show_exercise(self, exercise: Exercise | None, side: Side, posture: Posture | None) -> None:
        del side
        where = posture or (exercise.posture if exercise is not None else None)
        word = where.instruction if where is not None else ""
        if word != self._word:
            self._word = word
            self.setAccessibleDescription(word)
            self.update()

    def set_motion(self, pose_from: str, pose_to: str, progress: float) -> None:
        del pose_from, pose_to, progress  # the real figure animates; the slot stands still

    def set_breathing(self, on: bool) -> None:
        del on

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        pal = self._palette
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        radius = min(rect.width(), rect.height()) * 0.08
        painter.setPen(QColor(pal.border if pal else "#d5dbe2"))
        painter.setBrush(QColor(pal.raised if pal else "#f7f9fb"))
        painter.drawRoundedRect(rect, radius, radius)
        if self._word:
            font = QFont(self.font())
            font.setPixelSize(max(10, int(min(rect.height() * 0.09, rect.width() * 0.06))))
            painter.setFont(font)
            painter.setPen(QColor(pal.muted if pal else "#566270"))
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(rect.adjusted(8, 8, -8, -8), int(flags), self._word)
        painter.end()
