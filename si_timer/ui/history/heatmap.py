"""The year at a glance: minutes per day as a grid of squares, like a contribution graph."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QWidget

from si_timer import words
from si_timer.history.stats import HEAT_LEVELS, HeatCell, Heatmap, heat_level_labels
from si_timer.ui.history.style import history_colours, scaled_font, show_tooltip

_ROW_LABELS = {0: "Mon", 2: "Wed", 4: "Fri", 6: "Sun"}


def cell_tooltip(cell: HeatCell) -> str:
    when = words.short_weekday_date_text(cell.day)
    if cell.minutes <= 0:
        return f"{when}: nothing recorded"
    sessions = f"{cell.sessions} session{'s' if cell.sessions != 1 else ''}"
    return f"{when}: {words.active_time_text(cell.minutes * 60)} · {sessions}"


class YearHeatmap(QWidget):
    """53 weeks in columns, Monday to Sunday in rows, darker for more minutes.

    Signals:
        day_selected(object): a ``datetime.date`` square was clicked.
    """

    day_selected = Signal(object)

    LEFT = 40.0  # weekday labels
    TOP = 22.0  # month labels
    LEGEND = 34.0
    MAX_CELL = 22.0
    GAP = 3.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._heatmap: Heatmap | None = None
        self._today: date | None = None
        self.setMouseTracking(True)
        # Squares down to 10 px on a short window (the height for the width is more).
        self.setMinimumSize(560, int(self.TOP + 7 * 10 + self.LEGEND + 6))
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setAccessibleName("Minutes per day over the last year")

    def set_heatmap(self, heatmap: Heatmap) -> None:
        self._heatmap = heatmap
        self._today = heatmap.last
        active = heatmap.active_days
        self.setAccessibleDescription(
            f"{active} active day{'s' if active != 1 else ''}, "
            f"{words.active_time_text(heatmap.total_minutes * 60)} in the last year"
        )
        self.updateGeometry()
        self.update()

    @property
    def heatmap(self) -> Heatmap | None:
        return self._heatmap

    # --- geometry ------------------------------------------------------------

    def _step(self) -> float:
        weeks = len(self._heatmap.weeks) if self._heatmap else 53
        by_width = (self.width() - self.LEFT - 4) / weeks
        by_height = (self.height() - self.TOP - self.LEGEND) / 7
        return max(6.0, min(self.MAX_CELL + self.GAP, by_width, by_height))

    def _origin(self) -> QPointF:
        weeks = len(self._heatmap.weeks) if self._heatmap else 53
        grid_width = weeks * self._step()
        left = self.LEFT + max(0.0, (self.width() - self.LEFT - grid_width) / 2)
        return QPointF(left, self.TOP)

    def cell_rect(self, day: date) -> QRectF | None:
        if self._heatmap is None or not self._heatmap.first <= day <= self._heatmap.last:
            return None
        offset = (day - self._heatmap.first).days
        step = self._step()
        origin = self._origin()
        return QRectF(
            origin.x() + (offset // 7) * step,
            origin.y() + (offset % 7) * step,
            step - self.GAP,
            step - self.GAP,
        )

    def cell_at(self, pos: QPointF) -> HeatCell | None:
        if self._heatmap is None:
            return None
        step = self._step()
        origin = self._origin()
        col = int((pos.x() - origin.x()) // step)
        row = int((pos.y() - origin.y()) // step)
        if 0 <= col < len(self._heatmap.weeks) and 0 <= row < 7:
            return self._heatmap.weeks[col][row]
        return None

    def sizeHint(self) -> QSize:
        return QSize(int(self.LEFT + 53 * 19 + 8), int(self.TOP + 7 * 19 + self.LEGEND + 6))

    def heightForWidth(self, width: int) -> int:
        step = min(self.MAX_CELL + self.GAP, (width - self.LEFT - 4) / 53)
        return int(self.TOP + 7 * step + self.LEGEND + 6)

    def hasHeightForWidth(self) -> bool:
        return True

    def month_labels(self) -> list[tuple[str, QRectF]]:
        """Each month's name and where it is painted: above the week its first day is
        in, each clear of the one before, and the last moved left to stay inside."""
        heat = self._heatmap
        if heat is None:
            return []
        fm = QFontMetricsF(scaled_font(self.font(), 0.8))
        step = self._step()
        origin = self._origin()
        labels: list[tuple[str, QRectF]] = []
        last_label_right = -1e9
        for col in range(len(heat.weeks)):
            monday = heat.first + timedelta(weeks=col)
            # Label a column where a month starts (its first day falls in this week).
            week_days = [monday + timedelta(days=d) for d in range(7)]
            first_of_month = next((d for d in week_days if d.day == 1), None)
            if first_of_month is None and col != 0:
                continue
            text = words.month_text(first_of_month or monday)
            width = fm.horizontalAdvance(text) + 1
            x = min(origin.x() + col * step, self.width() - width)
            if x > last_label_right + 4:
                # The baseline 7 px above the grid, as the text's bottom less its descent.
                bottom = origin.y() - 7 + fm.descent()
                labels.append((text, QRectF(x, bottom - fm.height(), width, fm.height())))
                last_label_right = x + width
        return labels

    # --- painting ------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        colours = history_colours(self.palette())
        font = scaled_font(self.font(), 0.8)
        p.setFont(font)
        fm = QFontMetricsF(font)
        heat = self._heatmap
        if heat is None:
            p.end()
            return
        step = self._step()
        origin = self._origin()
        radius = max(1.5, (step - self.GAP) * 0.22)

        p.setPen(colours.muted)
        for row, text in _ROW_LABELS.items():
            y = origin.y() + row * step
            p.drawText(
                QRectF(0, y, origin.x() - 6, step - self.GAP),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
        for text, rect in self.month_labels():
            p.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, text)
        for col, week in enumerate(heat.weeks):
            for row, cell in enumerate(week):
                if cell is None:
                    continue
                rect = QRectF(
                    origin.x() + col * step,
                    origin.y() + row * step,
                    step - self.GAP,
                    step - self.GAP,
                )
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(colours.heat[cell.level])
                p.drawRoundedRect(rect, radius, radius)
                if cell.day == self._today:
                    p.setPen(QPen(colours.text, 1.5))
                    p.setBrush(Qt.BrushStyle.NoBrush)
                    p.drawRoundedRect(rect.adjusted(-1, -1, 1, 1), radius + 1, radius + 1)

        # Legend: "Less [] [] [] [] [] More", plus the total on the left.
        y = origin.y() + 7 * step + 10
        box = min(14.0, step - self.GAP)
        grid_right = origin.x() + len(heat.weeks) * step - self.GAP
        more_w = fm.horizontalAdvance("More")
        x = grid_right - more_w
        p.setPen(colours.muted)
        p.drawText(QRectF(x, y, more_w + 2, box), Qt.AlignmentFlag.AlignVCenter, "More")
        x -= 6 + HEAT_LEVELS * (box + 4)
        for level in range(HEAT_LEVELS):
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colours.heat[level])
            p.drawRoundedRect(QRectF(x + level * (box + 4), y, box, box), radius, radius)
        less_w = fm.horizontalAdvance("Less")
        p.setPen(colours.muted)
        p.drawText(
            QRectF(x - less_w - 6, y, less_w + 2, box), Qt.AlignmentFlag.AlignVCenter, "Less"
        )
        summary = (
            f"{heat.active_days} active days · "
            f"{words.active_time_text(heat.total_minutes * 60)} in the last year"
        )
        p.setPen(colours.text)
        p.drawText(
            QRectF(origin.x(), y, x - less_w - 20 - origin.x(), box),
            Qt.AlignmentFlag.AlignVCenter,
            summary,
        )
        p.end()

    # --- input ---------------------------------------------------------------

    def legend_tooltip(self) -> str:
        return "Minutes per day: " + ", ".join(heat_level_labels())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position())
        if cell is not None and event.button() == Qt.MouseButton.LeftButton:
            self.day_selected.emit(cell.day)
        super().mousePressEvent(event)

    def tooltip_at(self, pos: QPointF) -> str | None:
        cell = self.cell_at(pos)
        if cell is not None:
            return cell_tooltip(cell)
        if self._heatmap is not None and pos.y() > self.cell_bottom():
            return self.legend_tooltip()
        return None

    def cell_bottom(self) -> float:
        return self._origin().y() + 7 * self._step()

    def event(self, event: QEvent) -> bool:
        return show_tooltip(self, event, self.tooltip_at) or super().event(event)
