"""Tables on a :class:`PdfFlow`: ruled rows of wrapped cells, never split across a page.

A table is a list of :class:`Column` and rows of text; the header row repeats at
the top of a page when a table runs over.  Laid out whole (:meth:`Table.rows`),
a table that breaks keeps at least two rows on each side of the break, so no
row stands alone at the top of a page (a widow: often the table's total) or at
the foot of one under its header (an orphan); what must follow the last row on
its page (a caption about the table: ``tail``) takes the last two rows over with
it rather than stand alone overleaf.  Rules only, no fills: they print
the same on any printer.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPen

from si_timer.records import record
from si_timer.ui.printing.pdf import GREY, INK, RULE, BlockKind, PdfFlow, font

PADDING = 3.0  # points above and below a cell's text, and between columns


@record(frozen=True)
class Column:
    title: str
    share: float  # of the table's width; the shares of a table add up to 1
    right: bool = False  # numbers align right


@record(frozen=True)
class Row:
    cells: tuple[str, ...]
    bold: bool = False  # a total


KEEP_TOGETHER = 2  # rows that stay together on each side of a page break


class Table:
    """Rows flowed down ``flow`` under one header; ``size`` is the body's font size."""

    def __init__(self, flow: PdfFlow, columns: Sequence[Column], size: float = 9.0) -> None:
        self.flow = flow
        self.columns = tuple(columns)
        self.body = font(size)
        self.head = font(size - 0.5, bold=True)
        self._header_on_page: int | None = None
        self.number = flow.new_table()

    def _widths(self) -> list[float]:
        total = sum(c.share for c in self.columns)
        return [self.flow.width * c.share / total for c in self.columns]

    def _height(self, cells: Sequence[str], f: QFont) -> float:
        widths = self._widths()
        return 2 * PADDING + max(
            self.flow.text_height(text or " ", f, max(1.0, w - 2 * PADDING))
            for text, w in zip(cells, widths, strict=True)
        )

    def _font(self, row: Row) -> QFont:
        return font(self.body.pointSizeF(), bold=True) if row.bold else self.body

    def _row_height(self, row: Row) -> float:
        if len(row.cells) != len(self.columns):
            raise ValueError(f"{len(row.cells)} cells for {len(self.columns)} columns")
        return self._height(row.cells, self._font(row))

    def header_height(self) -> float:
        return self._height([c.title for c in self.columns], self.head)

    def lead_height(self, rows: Sequence[Row], tail: float = 0.0) -> float:
        """The header and the first rows that must go on the page the table starts on:
        what a heading above the table keeps with.  A table too short to break (two
        rows each side) goes whole, with its ``tail`` (as in :meth:`rows`)."""
        if len(rows) < 2 * KEEP_TOGETHER:
            return self.header_height() + sum(self._row_height(r) for r in rows) + tail
        return self.header_height() + sum(self._row_height(r) for r in rows[:KEEP_TOGETHER])

    def header(self) -> None:
        self._paint([c.title for c in self.columns], self.head, GREY, 0.9, BlockKind.TABLE_HEADER)
        self._header_on_page = self.flow.page

    def row(self, cells: Sequence[str], *, bold: bool = False) -> QRectF:
        """One row on its own; on a new page the header comes first again.  Rows given
        one by one cannot be kept together: lay a whole table out with :meth:`rows`."""
        return self.rows([Row(tuple(cells), bold)])[0]

    def rows(self, rows: Sequence[Row], *, tail: float = 0.0) -> list[QRectF]:
        """Lay out ``rows``, breaking pages between them so that each page's part of the
        table holds at least :data:`KEEP_TOGETHER` rows (all of them, if fewer), under
        the header.  Only a page that cannot hold that many breaks the rule.

        ``tail``: points that must fit below the last row on its page (the caller's
        caption about the table), so the caption never starts a page alone."""
        heights = [self._row_height(r) for r in rows]
        if heights:
            heights[-1] += tail  # room the last row needs; it is painted its own height
        rects: list[QRectF] = []
        i = 0
        while i < len(rows):
            fit = self._rows_that_fit(heights[i:])
            left = len(rows) - i
            if fit < left and left - fit < KEEP_TOGETHER:
                fit = left - KEEP_TOGETHER  # take rows over with the last, not leave it alone
            if fit < min(KEEP_TOGETHER, left) and self.flow.y > 0:
                self.flow.new_page()  # the table's part here would be one lone row
                continue
            fit = max(fit, 1)  # a page holds fewer: the rule gives way, the rows still come
            if self._header_on_page != self.flow.page:
                self.header()
            for row in rows[i : i + fit]:
                rects.append(self._paint(row.cells, self._font(row), INK))
            i += fit
            if i < len(rows):
                self.flow.new_page()
        return rects

    def _rows_that_fit(self, heights: Sequence[float]) -> int:
        """How many of the next rows fit in the room left, under a header if one is due."""
        room = self.flow.room
        if self._header_on_page != self.flow.page:
            room -= self.header_height()
        fit = 0
        for height in heights:
            if height > room:
                break
            room -= height
            fit += 1
        return fit

    def _paint(
        self,
        cells: Sequence[str],
        f: QFont,
        color: QColor,
        rule_width: float = 0.5,
        kind: BlockKind = BlockKind.TABLE_ROW,
    ) -> QRectF:
        rect = self.flow.reserve(self._height(cells, f), kind, self.number)
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
