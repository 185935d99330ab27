"""One vector PDF document, laid out top to bottom in points, with page breaks.

Both printables (the handout and the clinician's report) flow blocks down a page:
a heading, a paragraph, a figure, a table row. :class:`PdfFlow` keeps the cursor,
starts a new page when a block does not fit, and numbers the pages. Everything is
black, white and greys, so a black-and-white printer loses nothing.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import Enum, StrEnum
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from si_timer.records import record

MARGIN_MM = 15.0
POINTS_PER_INCH = 72
INK = QColor("#000000")
GREY = QColor("#555555")
RULE = QColor("#999999")
FONT_FAMILY = "DejaVu Sans"


class PageSize(StrEnum):
    A4 = "a4"
    LETTER = "letter"

    @property
    def qt(self) -> QPageSize:
        ident = QPageSize.PageSizeId.A4 if self is PageSize.A4 else QPageSize.PageSizeId.Letter
        return QPageSize(ident)


class BlockKind(Enum):
    """What a placed block is, for the page-flow record (:attr:`PdfFlow.placed`)."""

    TEXT = "text"
    HEADING = "heading"
    CAPTION = "caption"  # a grey note under a table or figure, about it
    RULE = "rule"
    BLOCK = "block"
    TABLE_HEADER = "table header"
    TABLE_ROW = "table row"


@record(frozen=True)
class Placed:
    """One block as laid out: its page, its top and bottom in points, what it is, and
    for a table's header and rows the table's number in the document."""

    page: int
    top: float
    bottom: float
    kind: BlockKind
    table: int = 0


def ensure_gui() -> None:
    """A Qt application to paint with; offscreen when there is no display."""
    if QGuiApplication.instance() is not None:
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    QGuiApplication(sys.argv[:1])


def font(size: float, *, bold: bool = False) -> QFont:
    f = QFont(FONT_FAMILY)
    f.setPointSizeF(size)
    f.setBold(bold)
    return f


class PdfFlow:
    """Blocks flowed down the pages of one PDF; use as a context manager.

    Units are points (1/72 inch): the writer's resolution is set to 72 so a 10 pt
    font is 10 units tall. ``footer`` is printed at the foot of every page, left,
    and the page number right.  :attr:`placed` records every block laid out, in
    order, so the page breaks can be checked without reading the PDF back.
    """

    def __init__(self, path: Path, size: PageSize, title: str, footer: str = "") -> None:
        ensure_gui()
        self.path = path
        self._writer = QPdfWriter(str(path))
        self._writer.setResolution(POINTS_PER_INCH)
        self._writer.setTitle(title)
        self._writer.setCreator("SI Timer")
        layout = QPageLayout(
            size.qt,
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
        self._writer.setPageLayout(layout)
        self._footer = footer
        self.painter = QPainter()
        self.page = 1
        self.y = 0.0
        self.placed: list[Placed] = []
        self._tables = 0

    # --- the page ------------------------------------------------------------

    @property
    def width(self) -> float:
        """The width of the printable area, in points."""
        return float(self._writer.width())

    @property
    def height(self) -> float:
        """The height of the printable area above the footer, in points."""
        return float(self._writer.height()) - self.footer_height

    @property
    def footer_height(self) -> float:
        return 14.0

    @property
    def room(self) -> float:
        """Points left on this page."""
        return self.height - self.y

    def __enter__(self) -> PdfFlow:
        if not self.painter.begin(self._writer):
            raise OSError(f"cannot write {self.path}")
        self.painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._paint_footer()
        self.painter.end()

    def new_page(self) -> None:
        self._paint_footer()
        self._writer.newPage()
        self.page += 1
        self.y = 0.0

    def reserve(self, height: float, kind: BlockKind = BlockKind.BLOCK, table: int = 0) -> QRectF:
        """A rectangle ``height`` tall at the cursor, on a new page if this one is too full;
        the cursor moves below it."""
        if height > self.room and self.y > 0:
            self.new_page()
        rect = QRectF(0, self.y, self.width, height)
        self.y += height
        self.placed.append(Placed(self.page, rect.top(), rect.bottom(), kind, table))
        return rect

    def new_table(self) -> int:
        """A number for the next table, naming its blocks in :attr:`placed`."""
        self._tables += 1
        return self._tables

    def space(self, height: float) -> None:
        self.y = min(self.y + height, self.height)

    # --- blocks --------------------------------------------------------------

    def metrics(self, f: QFont) -> QFontMetricsF:
        """``f``'s metrics on the page, in points (a screen's metrics are at its own dpi)."""
        return QFontMetricsF(f, self._writer)

    def text_height(self, text: str, f: QFont, width: float | None = None) -> float:
        # Measured on the writer: the screen's metrics (96 dpi offscreen) are a third
        # larger than the page's 72 units per inch, so text would wrap early and
        # every block would leave a gap below it.
        metrics = QFontMetricsF(f, self._writer)
        flags = int(Qt.TextFlag.TextWordWrap)
        bound = metrics.boundingRect(QRectF(0, 0, width or self.width, 10_000), flags, text)
        return bound.height()

    def paragraph(
        self,
        text: str,
        f: QFont,
        *,
        color: QColor = INK,
        indent: float = 0.0,
        after: float = 4.0,
        keep_with: float = 0.0,
        kind: BlockKind = BlockKind.TEXT,
    ) -> QRectF:
        """A wrapped paragraph; ``keep_with``: points of what follows that must fit on the
        same page (a heading keeps with its first line).  ``kind`` names it in
        :attr:`placed`."""
        width = self.width - indent
        height = self.text_height(text, f, width)
        if height + keep_with > self.room and self.y > 0:
            self.new_page()
        rect = self.reserve(height, kind)
        rect.adjust(indent, 0, 0, 0)
        self.painter.setFont(f)
        self.painter.setPen(color)
        self.painter.drawText(rect, int(Qt.TextFlag.TextWordWrap), text)
        self.space(after)
        return rect

    def heading(
        self, text: str, size: float = 14.0, *, after: float = 4.0, keep_with: float = 0.0
    ) -> QRectF:
        """A bold line kept with ``keep_with`` points of what follows (at least three
        lines of its size)."""
        keep = max(keep_with + after, 3 * size)
        return self.paragraph(
            text, font(size, bold=True), after=after, keep_with=keep, kind=BlockKind.HEADING
        )

    def rule(self, *, after: float = 6.0) -> None:
        rect = self.reserve(1.0, BlockKind.RULE)
        self.painter.setPen(QPen(RULE, 0.75))
        self.painter.drawLine(rect.topLeft(), rect.topRight())
        self.space(after)

    def block(self, height: float, paint: Callable[[QPainter, QRectF], None]) -> QRectF:
        """A block of fixed height painted by ``paint(painter, rect)``, kept on one page."""
        rect = self.reserve(height)
        self.painter.save()
        paint(self.painter, rect)
        self.painter.restore()
        return rect

    def _paint_footer(self) -> None:
        rect = QRectF(0, self.height, self.width, self.footer_height)
        self.painter.setFont(font(7.5))
        self.painter.setPen(GREY)
        self.painter.drawText(
            rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom), f"{self.page}"
        )
        if self._footer:
            self.painter.drawText(
                rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom), self._footer
            )
