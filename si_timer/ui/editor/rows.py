"""How a row of the editor's lists looks: the figure, the name in bold, a muted line
below it and, for a prescribed entry, a badge that says so in words.

A delegate paints the rows, so a list of many exercises costs no widget per row.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from si_timer.ui.theme import Palette

BADGE_ROLE = Qt.ItemDataRole.UserRole + 1  # a short word shown as a badge after the name
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 2  # the muted line under the name
PAD = 8
GAP = 14

_Index = QModelIndex | QPersistentModelIndex


class RowDelegate(QStyledItemDelegate):
    """Paints rows whose DisplayRole is the name, DETAIL_ROLE the line below, the
    DecorationRole the figure and BADGE_ROLE an optional badge."""

    def __init__(self, palette: Palette, icon_size: QSize, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._palette = palette
        self._icon_size = icon_size

    @property
    def palette(self) -> Palette:
        return self._palette

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFont]:
        title = QFont(option.font)
        title.setPixelSize(17)
        title.setBold(True)
        detail = QFont(option.font)
        detail.setPixelSize(14)
        badge = QFont(option.font)
        badge.setPixelSize(12)
        badge.setBold(True)
        return title, detail, badge

    def _text_width(self, option: QStyleOptionViewItem) -> int:
        return max(80, option.rect.width() - self._icon_size.width() - GAP - 3 * PAD)

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        title_font, detail_font, _ = self._fonts(option)
        width = self._text_width(option)
        detail = str(index.data(DETAIL_ROLE) or "")
        flags = int(Qt.TextFlag.TextWordWrap)
        lines = QFontMetrics(detail_font).boundingRect(QRect(0, 0, width, 1000), flags, detail)
        text = QFontMetrics(title_font).height() + 2 + lines.height()
        return QSize(width, max(self._icon_size.height(), text) + 2 * PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        pal = self._palette
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        rect = QRectF(option.rect).adjusted(2, 1, -2, -1)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(pal.accent))
            painter.drawRoundedRect(rect, 8, 8)
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(pal.raised))
            painter.drawRoundedRect(rect, 8, 8)
        if option.state & QStyle.StateFlag.State_HasFocus:
            painter.setPen(QColor(pal.focus))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 8, 8)

        icon = index.data(Qt.ItemDataRole.DecorationRole)
        left = option.rect.left() + PAD
        if isinstance(icon, QIcon):
            size = self._icon_size
            top = option.rect.top() + (option.rect.height() - size.height()) // 2
            place = QRect(left, top, size.width(), size.height())
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(pal.surface))
            painter.drawRoundedRect(QRectF(place), 6, 6)
            icon.paint(painter, place)
        x = left + self._icon_size.width() + GAP
        width = self._text_width(option)
        title_font, detail_font, badge_font = self._fonts(option)
        text = QColor(pal.accent_text if selected else pal.text)
        muted = QColor(pal.accent_text if selected else pal.muted)
        title = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        detail = str(index.data(DETAIL_ROLE) or "")
        title_metrics = QFontMetrics(title_font)
        detail_metrics = QFontMetrics(detail_font)
        flags = int(Qt.TextFlag.TextWordWrap)
        detail_box = detail_metrics.boundingRect(QRect(0, 0, width, 1000), flags, detail)
        block = title_metrics.height() + 2 + detail_box.height()
        y = option.rect.top() + (option.rect.height() - block) // 2
        painter.setFont(title_font)
        painter.setPen(text)
        shown = title_metrics.elidedText(title, Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(x, y, width, title_metrics.height()), 0, shown)
        badge = index.data(BADGE_ROLE)
        if badge:
            line = QRectF(x + title_metrics.horizontalAdvance(shown) + 10, y, 0, 0)
            self._badge(painter, str(badge), badge_font, line, title_metrics.height())
        painter.setFont(detail_font)
        painter.setPen(muted)
        painter.drawText(
            QRect(x, y + title_metrics.height() + 2, width, detail_box.height()), flags, detail
        )
        painter.restore()

    def _badge(
        self, painter: QPainter, text: str, font: QFont, at: QRectF, line_height: int
    ) -> None:
        """A pill with ``text``, starting at ``at``'s left, centred on the title's line."""
        metrics = QFontMetrics(font)
        width = metrics.horizontalAdvance(text) + 16
        height = metrics.height() + 4
        rect = QRectF(at.left(), at.top() + (line_height - height) / 2, width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(self._palette.ready))
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setFont(font)
        painter.setPen(QColor(self._palette.on_phase))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
