"""The player's countdown: a progress ring with digits as big as the ring allows.

A new second repaints only what changed: the digits' box and the arc's moving end,
not the whole ring and the page behind it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPen,
    QRegion,
)
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
        # The digits' fonts by (digits, width, height): a new second measures its
        # digits once, for the region to repaint and for the paint itself.
        self._fonts: dict[tuple[str, int, int], QFont] = {}

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
        before = (self._digits, self._fraction, self._caption, self._colour.name())
        self._digits, self._caption, self._fraction, self._colour = (
            digits,
            caption,
            fraction,
            colour,
        )
        self.setAccessibleDescription(f"{digits} {caption}".strip())
        self.update(self.changed_region(*before))

    def changed_region(self, digits: str, fraction: float, caption: str, colour: str) -> QRegion:
        """What differs from a ring that showed ``digits``, ``fraction``, ``caption`` in
        ``colour``: the old and new digits' boxes and the arc between the two ends; the
        whole ring when the caption or colour changed or the arc moved far."""
        whole = QRegion(self.rect())
        if caption != self._caption or colour != self._colour.name():
            return whole
        side, thickness, rect = self._geometry()
        region = QRegion()
        if digits != self._digits:
            region = region.united(self._digits_box(digits, side, rect))
            region = region.united(self._digits_box(self._digits, side, rect))
        if round(fraction, 3) != round(self._fraction, 3):
            arc = self._arc_box(fraction, self._fraction, thickness, rect)
            if arc is None:
                return whole
            region = region.united(arc)
        return region.intersected(whole)

    def _geometry(self) -> tuple[float, float, QRectF]:
        """The ring's side, its stroke's thickness and the rect the stroke runs along."""
        side = min(self.width(), self.height())
        thickness = max(10.0, side * 0.055)
        rect = QRectF(
            (self.width() - side) / 2 + thickness / 2,
            (self.height() - side) / 2 + thickness / 2,
            side - thickness,
            side - thickness,
        )
        return side, thickness, rect

    def _digits_rect(self, side: float, rect: QRectF) -> QRectF:
        return QRectF(rect.x(), rect.y() + side * 0.02, rect.width(), rect.height() * 0.80)

    def _digits_box(self, digits: str, side: float, rect: QRectF) -> QRect:
        """Where ``digits`` are drawn, with a margin for antialiasing."""
        if not digits:
            return QRect()
        metrics = QFontMetricsF(self.digits_font(digits))
        box = metrics.boundingRect(
            self._digits_rect(side, rect), int(Qt.AlignmentFlag.AlignCenter), digits
        )
        return box.adjusted(-4, -4, 4, 4).toAlignedRect()

    def _arc_box(
        self, fraction: float, other: float, thickness: float, rect: QRectF
    ) -> QRegion | None:
        """Small boxes along the stroke where two arcs differ, or None when their ends
        are too far apart for boxes to save much.

        Not just between the two ends: Qt draws an arc as one curve per quarter of the
        circle and flattens a partial quarter anew as its end moves, so the quarters
        either end lies in are repainted whole (their edges move by a fifth of a pixel).
        """
        low, high = sorted((max(0.0, min(1.0, fraction)), max(0.0, min(1.0, other))))
        if high - low > 0.125:
            return None
        first = max(0.0, math.floor(low * 4) / 4 - 0.01)
        last = min(1.0, math.ceil(high * 4) / 4 + 0.01)
        centre, radius = rect.center(), rect.width() / 2
        grow = thickness / 2 + 3  # the round cap, and antialiasing
        steps = max(1, math.ceil((last - first) * 48))  # boxes of at most 7.5 degrees
        region = QRegion()
        previous: QPointF | None = None
        for i in range(steps + 1):
            angle = math.pi / 2 - 2 * math.pi * (first + (last - first) * i / steps)
            x, y = radius * math.cos(angle), radius * math.sin(angle)
            point = QPointF(centre.x() + x, centre.y() - y)
            if previous is not None:
                box = QRectF(previous, point).normalized()
                region = region.united(box.adjusted(-grow, -grow, grow, grow).toAlignedRect())
            previous = point
        return region

    def digits_font(self, digits: str | None = None) -> QFont:
        """The digits' font: as tall as the ring allows, narrowed only as far as the
        inside of the ring needs for the text shown ("45", "1:05")."""
        side = min(self.width(), self.height())
        thickness = max(10.0, side * 0.055)
        font = QFont(self.font())
        font.setWeight(QFont.Weight.Bold)
        font.setFeature(QFont.Tag("tnum"), 1)  # digits that don't jiggle as they change
        font.setPixelSize(100)
        text = self._digits if digits is None else digits
        key = (text, self.width(), self.height())
        if (cached := self._fonts.get(key)) is not None:
            return cached
        advance = max(1, QFontMetrics(font).horizontalAdvance(text or "0"))
        font.setPixelSize(max(24, int(min(side * 0.42, (side - 2.6 * thickness) * 100 / advance))))
        if len(self._fonts) >= 8:
            self._fonts.clear()
        self._fonts[key] = font
        return font

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._fonts.clear()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        region = event.region()
        pal = self._palette
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side, thickness, rect = self._geometry()
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
        digits_rect = self._digits_rect(side, rect)
        painter.drawText(digits_rect, Qt.AlignmentFlag.AlignCenter, self._digits)
        cap_rect = QRectF(rect.x(), rect.y() + rect.height() * 0.64, rect.width(), side * 0.12)
        # A new second's region seldom reaches the caption: no need to lay it out.
        if self._caption and region.intersects(cap_rect.toAlignedRect().adjusted(-2, -2, 2, 2)):
            cap = QFont(self.font())
            cap.setPixelSize(max(12, int(side * 0.065)))
            cap.setWeight(QFont.Weight.DemiBold)
            painter.setFont(cap)
            painter.setPen(QColor(pal.muted if pal else "#566270"))
            painter.drawText(cap_rect, Qt.AlignmentFlag.AlignCenter, self._caption)
        painter.end()
