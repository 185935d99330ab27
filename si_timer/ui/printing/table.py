"""Tables on a :class:`PdfFlow`: ruled rows of wrapped cells, never split across a page.

A table is a list of :class:`Column` and rows of text; the header row repeats at
the top of a page when a table runs over.  Rules only, no fills: they print the
same on any printer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPen

from si_timer.ui.printing.pdf import GREY, INK, RULE, PdfFlow, font

PADDING = 3.0  # points above and below a cell's text, and between columns


@dataclass(frozen=True)
class Column:
    title: str
    share: float  # of the table's width; the shares of a table add up to 1
    right: bool = False  # numbers align right


class Table:
    """Rows flowed down ``flow`` under one header; ``size`` is the body's font size."""

    def __init__(self, flow: PdfFlow, columns: Sequence[Column], size: float = 9.0) -> None:
        self.flow = flow
        self.columns = tuple(columns)
        self.body = font(size)
        self.head = font(size - 0.5, bold=True)
        self._header_on_page: int | None = None

    def _widths(self) -> list[float]:
        total = sum(c.share for c in self.columns)
        return [self.flow.width * c.share / total for c in self.columns]

    def _height(self, cells: Sequence[str], f: QFont) -> float:
        widths = self._widths()
        return 2 * PADDING + max(
            self.flow.text_height(text or " ", f, max(1.0, w - 2 * PADDING))
            for text, w in zip(cells, widths, strict=True)
        )

    def header(self) -> None:
        self._paint([c.title for c in self.columns], self.head, GREY, rule_width=0.9)
        self._header_on_page = self.flow.page

    def row(self, cells: Sequence[str], *, bold: bool = False) -> QRectF:
        """One row; on a new page the header comes first again."""
        if len(cells) != len(self.columns):
            raise ValueError(f"{len(cells)} cells for {len(self.columns)} columns")
        f = font(self.body.pointSizeF(), bold=True) if bold else self.body
        height = self._height(cells, f)
        if self._header_on_page == self.flow.page:
            need = height
        else:  # a header never stands alone at the foot of a page
            need = height + self._height([c.title for c in self.columns], self.head)
        if need > self.flow.room and self.flow.y > 0:
            self.flow.new_page()
        if self._header_on_page != self.flow.page:
            self.header()
        return self._paint(cells, f, INK)

    def _paint(
        self, cells: Sequence[str], f: QFont, color: QColor, rule_width: float = 0.5
    ) -> QRectF:
        rect = self.flow.reserve(self._height(cells, f))
        painter = self.flow.painter
        painter.setFont(f)
        painter.setPen(color)
        x = rect.left()
        for text, width, column in zip(cells, self._widths(), self.columns, strict=True):
            cell = QRectF(x + PADDING, rect.top() + PADDING, width - 2 * PADDING, rect.height())
            align = Qt.AlignmentFlag.AlignRight if column.right else Qt.AlignmentFlag.AlignLeft
            painter.drawText(
                cell, int(align | Qt.AlignmentFlag.AlignTop) | int(Qt.TextFlag.TextWordWrap), text
            )
            x += width
        painter.setPen(QPen(RULE, rule_width))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        return rect
