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


def _short_time(minutes: float) -> str:
    """``"1 h 42"`` (or ``"57 min"``): a week's time where its full words do not fit."""
    hours, rest = divmod(round(minutes), 60)
    return f"{hours} h {rest:02d}" if hours else f"{rest} min"


class WeeklyBars(QWidget):
    """The last weeks, oldest on the left; the current week is outlined."""

    TOP = 24.0
    BOTTOM = 40.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._weeks: tuple[WeekTotal, ...] = ()
        self.setMinimumSize(420, 120)  # bars still 56 px tall on a 540-line window
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

    def labels(self) -> list[tuple[str, str, str]]:
        """Each week's words, as painted: its minutes above the bar (empty without),
        the week under it and its active days.  Where "1 h 42 min" is wider than a
        week's slot (a narrow window), every week says "1 h 42"."""
        last = len(self._weeks) - 1
        bold = QFontMetricsF(scaled_font(self.font(), 0.8, bold=True))
        full = [
            words.active_time_text(w.minutes * 60) if w.minutes > 0 else "" for w in self._weeks
        ]
        if any(bold.horizontalAdvance(text) > self._room() for text in full):
            full = [_short_time(w.minutes) if w.minutes > 0 else "" for w in self._weeks]
        return [
            (
                minutes,
                "This week" if i == last else words.day_month_text(week.week_start),
                f"{week.active_days}/7 days",
            )
            for i, (week, minutes) in enumerate(zip(self._weeks, full, strict=True))
        ]

    def labels_fit(self) -> bool:
        """Whether every week's words fit its slot, clear of its neighbours'."""
        bold = QFontMetricsF(scaled_font(self.font(), 0.8, bold=True))
        small = QFontMetricsF(scaled_font(self.font(), 0.8))
        room = self._room()
        return all(
            bold.horizontalAdvance(minutes) <= room
            and bold.horizontalAdvance(week) <= room
            and small.horizontalAdvance(days) <= room
            for minutes, week, days in self.labels()
        )

    def _room(self) -> float:
        """The width a week's words may take: its slot, less a little air each side."""
        return self._slot() - 4

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
        labels = self.labels()
        for i, week in enumerate(self._weeks):
            minutes, label, days = labels[i]
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
                    minutes,
                )
            p.setFont(bold if current else small)
            p.setPen(colours.accent if current else colours.text)
            p.drawText(
                QRectF(i * slot, base + 4, slot, fm.height()), Qt.AlignmentFlag.AlignCenter, label
            )
            p.setFont(small)
            p.setPen(colours.muted)
            p.drawText(
                QRectF(i * slot, base + 4 + fm.height(), slot, fm.height()),
                Qt.AlignmentFlag.AlignCenter,
                days,
            )
        p.end()

    def tooltip_at(self, pos: QPointF) -> str | None:
        index = int(pos.x() // self._slot()) if self._weeks else -1
        return week_text(self._weeks[index]) if 0 <= index < len(self._weeks) else None

    def event(self, event: QEvent) -> bool:
        return show_tooltip(self, event, self.tooltip_at) or super().event(event)
