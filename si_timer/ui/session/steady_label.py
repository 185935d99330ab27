"""A one-line label whose text can change every second without laying out the window.

``QLabel.setText`` calls ``updateGeometry()`` on every change (Qt's
``QLabelPrivate::updateLabel``), which invalidates every layout up to the window:
the player's "0:54 left" relaid the whole screen once a second, a tenth of the CPU a
hold used.  This label paints its text itself, as QLabel paints plain text, and asks
for a new layout only when the text's length changes ("10:00 left" to "9:59 left").
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QLabel, QWidget


class SteadyLabel(QLabel):
    """A QLabel (so the style sheet's ``QLabel`` rules apply) for a line that ticks.

    Set its text with :meth:`set_line` and read it with :meth:`line`; QLabel's own
    ``text()`` stays empty.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._line = ""

    def line(self) -> str:
        return self._line

    def set_line(self, text: str) -> None:
        if text == self._line:
            return
        relayout = len(text) != len(self._line)
        self._line = text
        self.setAccessibleName(text)  # what QLabel's text would have been
        if relayout:
            self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        self.ensurePolished()  # the style sheet's font, as QLabel's own hint has it
        margins = self.contentsMargins()
        # Measured as QLabel measures a line of plain text.
        box = self.fontMetrics().boundingRect(QRect(0, 0, 2000, 2000), 0, self._line).size()
        return box + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        painter = QPainter(self)
        # As QLabel paints plain text (QStyle.drawItemText): a pen of the label's
        # text colour, then the text. Drawn here, not through ``self.style()``: the
        # first countdown would otherwise wait ~5 ms for PySide to make QStyle's enums.
        painter.setPen(QPen(self.palette().brush(self.foregroundRole()), 1))
        painter.drawText(self.contentsRect(), int(self.alignment()), self._line)
        painter.end()
