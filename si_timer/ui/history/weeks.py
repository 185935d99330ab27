"""Weekly totals as bars: minutes per week, with sessions and active days written on."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from si_timer import words
from si_timer.history.stats import WeekTotal
from si_timer.ui.history.style import history_colours, scaled_font, show_tooltip


def week_text(week: WeekTotal) -> str:
    sessions = f"{week.sessions} session{'s' if week.sessions != 1 else ''}"
    return (
        f"Week of {words.long_date_text(week.week_start)}\n"
        f"{sessions}, {week.completed} completed\n"
        f"{week.active_days} of 7 days active · {words.active_time_text(week.minutes * 60)}"
    )


class WeeklyBars(QWidget):
    """The last weeks, oldest on the left; the current week is outlined."""

    TOP = 24.0
    BOTTOM = 40.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._weeks: tuple[WeekTotal, ...] = ()
        self.setMinimumSize(420, 150)
        self.setMouseTracking(True)
        self.setAccessibleName("Weekly totals")

    def set_weeks(self, newest_first: Sequence[WeekTotal]) -> None:
        self._weeks = tuple(reversed(newest_first))
        self.setAccessibleDescription(
            "; ".join(week_text(w).replace("\n", ", ") for w in self._weeks)
        )
        self.update()

    @property
    def weeks(self) -> tuple[WeekTotal, ...]:
        return self._weeks

    def sizeHint(self) -> QSize:
        return QSize(720, 200)

    def _slot(self) -> float:
        return self.width() / max(1, len(self._weeks))

    def bar_rect(self, index: int) -> QRectF:
        slot = self._slot()
        top = max((w.minutes for w in self._weeks), default=0.0)
        height = self.height() - self.TOP - self.BOTTOM
        week = self._weeks[index]
        bar_h = 0.0 if top <= 0 or week.minutes <= 0 else max(3.0, height * week.minutes / top)
        width = min(56.0, slot * 0.62)
        x = index * slot + (slot - width) / 2
        return QRectF(x, self.TOP + height - bar_h, width, bar_h)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        colours = history_colours(self.palette())
        small = scaled_font(self.font(), 0.8)
        bold = scaled_font(self.font(), 0.8, bold=True)
        fm = QFontMetricsF(small)
        base = self.height() - self.BOTTOM
        p.setPen(colours.line)
        p.drawLine(QPointF(0, base + 0.5), QPointF(self.width(), base + 0.5))
        slot = self._slot()
        for i, week in enumerate(self._weeks):
            rect = self.bar_rect(i)
            current = i == len(self._weeks) - 1
            if week.minutes > 0:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(colours.heat[3])
                p.drawRoundedRect(rect, 5, 5)
                p.setFont(bold)
                p.setPen(colours.text)
                p.drawText(
                    QRectF(i * slot, rect.top() - fm.height() - 2, slot, fm.height()),
                    Qt.AlignmentFlag.AlignCenter,
                    words.active_time_text(week.minutes * 60),
                )
            p.setFont(bold if current else small)
            p.setPen(colours.accent if current else colours.text)
            label = "This week" if current else words.day_month_text(week.week_start)
            p.drawText(
                QRectF(i * slot, base + 4, slot, fm.height()), Qt.AlignmentFlag.AlignCenter, label
            )
            p.setFont(small)
            p.setPen(colours.muted)
            p.drawText(
                QRectF(i * slot, base + 4 + fm.height(), slot, fm.height()),
                Qt.AlignmentFlag.AlignCenter,
                f"{week.active_days}/7 days",
            )
        p.end()

    def tooltip_at(self, pos: QPointF) -> str | None:
        index = int(pos.x() // self._slot()) if self._weeks else -1
        return week_text(self._weeks[index]) if 0 <= index < len(self._weeks) else None

    def event(self, event: QEvent) -> bool:
        return show_tooltip(self, event, self.tooltip_at) or super().event(event)
