"""The player's thin session-progress bar, painted in the same frame as the countdown.

A ``QProgressBar`` repaints itself synchronously on every ``setValue`` (Qt's
``QProgressBar::setValue`` calls ``repaint()``), through the style sheet, costing
a few milliseconds each time: the largest part of the CPU a hold used. This bar
schedules an ``update()`` instead, which Qt folds into the frame already being
painted for the countdown, and only when its filled width moves by a pixel.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from si_timer.ui.theme import Palette

HEIGHT = 10


class SessionBar(QWidget):
    """How much of the session is done, as a rounded bar (0.0 to 1.0)."""

    def __init__(self, palette: Palette, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._palette = palette
        self._fraction = 0.0
        self._filled = -1  # pixels last painted filled
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(HEIGHT)
        self.setAccessibleName("Session progress")

    @property
    def fraction(self) -> float:
        return self._fraction

    def sizeHint(self) -> QSize:
        return QSize(200, HEIGHT)

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self.update()

    def set_fraction(self, fraction: float) -> None:
        self._fraction = max(0.0, min(1.0, fraction))
        filled = round(self._fraction * self.width())
        if filled != self._filled:
            self._filled = filled
            self.setAccessibleDescription(f"{round(self._fraction * 100)} % done")
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        radius = self.height() / 2
        painter.setBrush(QColor(self._palette.track))
        painter.drawRoundedRect(QRectF(self.rect()), radius, radius)
        width = self._fraction * self.width()
        if width >= 1:
            painter.setBrush(QColor(self._palette.accent))
            painter.drawRoundedRect(
                QRectF(0, 0, max(width, self.height()), self.height()), radius, radius
            )
        self._filled = round(width)
