"""The player's countdown: a progress ring with digits as big as the ring allows."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from si_timer.ui.theme import Palette


class CountdownRing(QWidget):
    """The big countdown: a progress ring with digits that fill it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._palette: Palette | None = None
        self._fraction = 0.0
        self._digits = ""
        self._caption = ""
        self._colour = QColor("#0b7a70")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(QSize(220, 220))
        self.setAccessibleName("Time left")

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self.update()

    def show_state(self, digits: str, caption: str, fraction: float, colour: QColor) -> None:
        if (digits, caption, round(fraction, 3), colour.name()) == (
            self._digits,
            self._caption,
            round(self._fraction, 3),
            self._colour.name(),
        ):
            return
        self._digits, self._caption, self._fraction, self._colour = (
            digits,
            caption,
            fraction,
            colour,
        )
        self.setAccessibleDescription(f"{digits} {caption}".strip())
        self.update()

    def digits_font(self) -> QFont:
        """The digits' font: as tall as the ring allows, narrowed only as far as the
        inside of the ring needs for the text shown ("45", "1:05")."""
        side = min(self.width(), self.height())
        thickness = max(10.0, side * 0.055)
        font = QFont(self.font())
        font.setWeight(QFont.Weight.Bold)
        font.setFeature(QFont.Tag("tnum"), 1)  # digits that don't jiggle as they change
        font.setPixelSize(100)
        advance = max(1, QFontMetrics(font).horizontalAdvance(self._digits or "0"))
        font.setPixelSize(max(24, int(min(side * 0.42, (side - 2.6 * thickness) * 100 / advance))))
        return font

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        pal = self._palette
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height())
        thickness = max(10.0, side * 0.055)
        rect = QRectF(
            (self.width() - side) / 2 + thickness / 2,
            (self.height() - side) / 2 + thickness / 2,
            side - thickness,
            side - thickness,
        )
        track = QPen(QColor(pal.track if pal else "#dde3e8"), thickness)
        track.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(track)
        painter.drawEllipse(rect)
        if self._fraction > 0:
            arc = QPen(self._colour, thickness)
            arc.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(arc)
            # Qt angles are 1/16 degree, counter-clockwise from 3 o'clock: start
            # at 12 and run clockwise for the part still to go.
            painter.drawArc(rect, 90 * 16, -int(360 * 16 * self._fraction))
        text_colour = QColor(pal.text if pal else "#17202b")
        painter.setFont(self.digits_font())
        painter.setPen(text_colour)
        digits_rect = QRectF(rect.x(), rect.y() + side * 0.02, rect.width(), rect.height() * 0.80)
        painter.drawText(digits_rect, Qt.AlignmentFlag.AlignCenter, self._digits)
        if self._caption:
            cap = QFont(self.font())
            cap.setPixelSize(max(12, int(side * 0.065)))
            cap.setWeight(QFont.Weight.DemiBold)
            painter.setFont(cap)
            painter.setPen(QColor(pal.muted if pal else "#566270"))
            cap_rect = QRectF(rect.x(), rect.y() + rect.height() * 0.64, rect.width(), side * 0.12)
            painter.drawText(cap_rect, Qt.AlignmentFlag.AlignCenter, self._caption)
        painter.end()
