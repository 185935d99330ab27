"""Control icons painted at run time, so they look the same on every system
(the media glyphs ⏮ ⏸ ⏭ are missing from many fonts and show as boxes)."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QPolygonF

SIZE = 64  # painted large, shown scaled down: crisp on HiDPI


class Glyph(Enum):
    PLAY = "play"
    PAUSE = "pause"
    BACK = "back"
    SKIP = "skip"


def _triangle(
    painter: QPainter, left: float, top: float, width: float, height: float, *, right: bool
) -> None:
    if right:
        points = [
            QPointF(left, top),
            QPointF(left + width, top + height / 2),
            QPointF(left, top + height),
        ]
    else:
        points = [
            QPointF(left + width, top),
            QPointF(left, top + height / 2),
            QPointF(left + width, top + height),
        ]
    painter.drawPolygon(QPolygonF(points))


def glyph_icon(glyph: Glyph, colour: str) -> QIcon:
    pixmap = QPixmap(SIZE, SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    s = SIZE
    if glyph is Glyph.PAUSE:
        painter.drawRoundedRect(QRectF(s * 0.22, s * 0.18, s * 0.2, s * 0.64), 3, 3)
        painter.drawRoundedRect(QRectF(s * 0.58, s * 0.18, s * 0.2, s * 0.64), 3, 3)
    elif glyph is Glyph.PLAY:
        _triangle(painter, s * 0.26, s * 0.16, s * 0.56, s * 0.68, right=True)
    elif glyph is Glyph.SKIP:
        _triangle(painter, s * 0.18, s * 0.2, s * 0.46, s * 0.6, right=True)
        painter.drawRoundedRect(QRectF(s * 0.68, s * 0.2, s * 0.13, s * 0.6), 2, 2)
    elif glyph is Glyph.BACK:
        painter.drawRoundedRect(QRectF(s * 0.19, s * 0.2, s * 0.13, s * 0.6), 2, 2)
        _triangle(painter, s * 0.36, s * 0.2, s * 0.46, s * 0.6, right=False)
    painter.end()
    return QIcon(pixmap)
