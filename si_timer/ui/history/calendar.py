"""The month calendar: big day cells that say what each day was, by symbol and word."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import QWidget

from si_timer import words
from si_timer.history import labels
from si_timer.history.days import DayActivity, DayCell, DayStatus, MonthSummary
from si_timer.ui.history.style import HistoryColours, history_colours, scaled_font, show_tooltip

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def status_word(activity: DayActivity) -> str:
    """The word under a day's symbol: "Done", "1 of 2", "Partial", "Rest", "Sick"."""
    status = activity.status
    progress = activity.goal_progress
    if status is DayStatus.HALF and progress is not None:
        return f"{progress[0]} of {progress[1]}"
    return labels.DAY_STATUS[status]


def day_tooltip(activity: DayActivity) -> str:
    lines = [words.weekday_date_text(activity.day)]
    status = activity.status
    if status is DayStatus.FULL:
        lines.append("Daily goal met")
    elif status is DayStatus.HALF and activity.goal_progress:
        done, goal = activity.goal_progress
        lines.append(f"Daily goal: {done} of {goal} done")
    elif status is DayStatus.PARTIAL:
        lines.append("Started, not finished")
    if activity.mark is not None:
        lines.append(labels.DAY_MARK[activity.mark])
    if activity.sessions:
        count = activity.sessions
        lines.append(
            f"{count} session{'s' if count != 1 else ''} · "
            f"{words.active_time_text(activity.active_seconds)} active"
        )
    elif activity.mark is None:
        lines.append("Nothing recorded")
    return "\n".join(lines)


def _check_path(center: QPointF, radius: float) -> QPainterPath:
    path = QPainterPath()
    path.moveTo(center.x() - radius * 0.45, center.y() + radius * 0.02)
    path.lineTo(center.x() - radius * 0.12, center.y() + radius * 0.35)
    path.lineTo(center.x() + radius * 0.48, center.y() - radius * 0.33)
    return path


def draw_symbol(
    p: QPainter,
    center: QPointF,
    radius: float,
    status: DayStatus,
    colours: HistoryColours,
    progress: tuple[int, int] | None = None,
) -> None:
    """The symbol of a day's status: a filled disc with a tick (goal met), a
    disc filled as far as the daily goal (half), a ring (partial)."""
    colour = colours.status(status)
    disc = QRectF(center.x() - radius, center.y() - radius, 2 * radius, 2 * radius)
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    if status is DayStatus.FULL:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawEllipse(disc)
        pen = QPen(colours.surface, max(1.6, radius * 0.24))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(_check_path(center, radius))
    elif status is DayStatus.HALF:
        done, goal = progress or (1, 2)
        p.setPen(QPen(colour, max(1.5, radius * 0.16)))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(disc)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        # Filled from the left, as far as the goal is done (half for 1 of 2).
        p.drawPie(disc, 90 * 16, round(360 * 16 * done / goal))
    elif status is DayStatus.PARTIAL:
        pen = QPen(colour, max(1.5, radius * 0.2))
        pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(disc.adjusted(1, 1, -1, -1))
    p.restore()


def draw_pill(
    p: QPainter, rect: QRectF, text: str, colour: QColor, on_colour: QColor, font: QFont
) -> None:
    """A rounded label (rest and sick days): the word itself is the symbol."""
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour)
    p.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
    p.setPen(on_colour)
    p.setFont(font)
    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    p.restore()


class MonthCalendar(QWidget):
    """One month, six weeks of big cells, Monday first.

    Each cell shows the day number, the minutes exercised and the day's
    status as a symbol and a word; today is ringed and filled in the accent
    colour.  Arrow keys move the selection, Enter chooses, Page Up/Down and
    the mouse wheel change month.

    Signals:
        day_selected(object): a ``datetime.date`` was clicked or chosen.
        month_step_requested(int): -1 for the month before, +1 for the next.
    """

    day_selected = Signal(object)
    month_step_requested = Signal(int)

    HEADER_HEIGHT = 30.0
    GAP = 4.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._summary: MonthSummary | None = None
        self._selected: date | None = None
        self._hover: date | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        # Six rows of 40 px still hold a number and a symbol (a 1024×600 window);
        # the cells grow with the height there is.
        self.setMinimumSize(490, int(self.HEADER_HEIGHT) + 6 * 40)
        self.setAccessibleName("Month calendar")

    # --- state ---------------------------------------------------------------

    def set_summary(self, summary: MonthSummary) -> None:
        self._summary = summary
        self.setAccessibleDescription(summary.title)
        self.update()

    @property
    def summary(self) -> MonthSummary | None:
        return self._summary

    @property
    def selected(self) -> date | None:
        return self._selected

    def set_selected(self, day: date | None) -> None:
        """Select ``day`` without announcing it."""
        self._selected = day
        self.update()

    def cells(self) -> list[DayCell]:
        return [c for week in self._summary.weeks for c in week] if self._summary else []

    def cell_at(self, day: date) -> DayCell | None:
        return next((c for c in self.cells() if c.day == day), None)

    # --- geometry ------------------------------------------------------------

    def _cell_size(self) -> tuple[float, float]:
        return self.width() / 7.0, (self.height() - self.HEADER_HEIGHT) / 6.0

    def cell_rect(self, day: date) -> QRectF | None:
        """Where ``day`` is drawn (None when it is not in the shown grid)."""
        for row, week in enumerate(self._summary.weeks if self._summary else ()):
            for col, cell in enumerate(week):
                if cell.day == day:
                    w, h = self._cell_size()
                    return QRectF(col * w, self.HEADER_HEIGHT + row * h, w, h)
        return None

    def day_at(self, pos: QPointF) -> date | None:
        if self._summary is None or pos.y() < self.HEADER_HEIGHT:
            return None
        w, h = self._cell_size()
        col, row = int(pos.x() // w), int((pos.y() - self.HEADER_HEIGHT) // h)
        if 0 <= col < 7 and 0 <= row < 6:
            return self._summary.weeks[row][col].day
        return None

    def sizeHint(self) -> QSize:
        return QSize(7 * 104, int(self.HEADER_HEIGHT + 6 * 78))

    # --- painting ------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        colours = history_colours(self.palette())
        w, _ = self._cell_size()
        p.setFont(scaled_font(self.font(), 0.85))
        p.setPen(colours.muted)
        for col, name in enumerate(WEEKDAYS):
            p.drawText(
                QRectF(col * w, 0, w, self.HEADER_HEIGHT - 6),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                name,
            )
        for cell in self.cells():
            rect = self.cell_rect(cell.day)
            if rect is not None:
                self._paint_cell(p, rect, cell, colours)
        p.end()

    def _paint_cell(
        self, p: QPainter, rect: QRectF, cell: DayCell, colours: HistoryColours
    ) -> None:
        g = self.GAP
        r = rect.adjusted(g / 2, g / 2, -g / 2, -g / 2)
        selected = cell.day == self._selected
        hovered = cell.day == self._hover
        p.save()
        if not cell.in_month:
            p.setOpacity(0.5)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colours.surface if cell.in_month else colours.outside)
        p.drawRoundedRect(r, 10, 10)
        if selected:
            fill = QColor(colours.accent)
            fill.setAlpha(36)
            p.setBrush(fill)
            p.setPen(QPen(colours.accent, 2.5))
            p.drawRoundedRect(r.adjusted(1.25, 1.25, -1.25, -1.25), 9, 9)
            if self.hasFocus():
                dashed = QPen(colours.text, 1, Qt.PenStyle.DotLine)
                p.setPen(dashed)
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRoundedRect(r.adjusted(5, 5, -5, -5), 7, 7)
        else:
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(QPen(colours.accent if hovered else colours.line, 1.5 if hovered else 1))
            p.drawRoundedRect(r.adjusted(0.5, 0.5, -0.5, -0.5), 10, 10)

        number = scaled_font(self.font(), 1.05, bold=True)
        fm = QFontMetricsF(number)
        num_text = str(cell.day.day)
        pad = 6.0 if r.height() >= 52 else 3.0  # short cells (a short window): less air
        num_box = QRectF(
            r.left() + 7,
            r.top() + pad,
            max(26.0, fm.horizontalAdvance(num_text) + 12),
            fm.height() + 4,
        )
        if cell.is_today:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colours.accent)
            p.drawRoundedRect(num_box, num_box.height() / 2, num_box.height() / 2)
            p.setPen(colours.on_accent)
        else:
            p.setPen(colours.muted if cell.is_future else colours.text)
        p.setFont(number)
        p.drawText(num_box, Qt.AlignmentFlag.AlignCenter, num_text)

        small = scaled_font(self.font(), 0.82)
        act = cell.activity
        if cell.is_today:
            p.setFont(small)
            p.setPen(colours.accent)
            p.drawText(
                QRectF(
                    num_box.right() + 4,
                    num_box.top(),
                    r.right() - num_box.right() - 8,
                    num_box.height(),
                ),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                "Today",
            )
        elif (
            act.active_seconds >= 30
            and QFontMetricsF(small).horizontalAdvance(words.active_time_text(act.active_seconds))
            <= r.right() - 9 - num_box.right() - 4
        ):  # in a narrow cell, in the tooltip only
            p.setFont(small)
            p.setPen(colours.muted)
            p.drawText(
                QRectF(r.left(), num_box.top(), r.width() - 9, num_box.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                words.active_time_text(act.active_seconds),
            )
        self._paint_status(p, r, act, colours, top=num_box.bottom())
        p.restore()

    def _paint_status(
        self, p: QPainter, r: QRectF, act: DayActivity, colours: HistoryColours, *, top: float
    ) -> None:
        status = act.status
        if status is DayStatus.NONE:
            return
        word_font = scaled_font(self.font(), 0.9, bold=status in (DayStatus.FULL, DayStatus.HALF))
        fm = QFontMetricsF(word_font)
        word = status_word(act)
        area = QRectF(r.left(), top, r.width(), r.bottom() - top - 2)
        if status in (DayStatus.REST, DayStatus.SICK):
            width = fm.horizontalAdvance(word) + 20
            height = min(fm.height() + 6, area.height())
            pill = QRectF(
                area.center().x() - width / 2, area.center().y() - height / 2, width, height
            )
            draw_pill(p, pill, word, colours.status(status), colours.surface, word_font)
            return
        # As large as the cell allows, and never past the area under the number.
        radius = max(4.0, min(12.0, min(r.width(), r.height()) * 0.13, area.height() / 2 - 1))
        text_w = fm.horizontalAdvance(word)
        total = 2 * radius + 7 + text_w
        if total > r.width() - 8:  # narrow cells: the symbol alone, word in the tooltip
            draw_symbol(p, area.center(), radius, status, colours, act.goal_progress)
            return
        left = area.center().x() - total / 2
        center = QPointF(left + radius, area.center().y())
        draw_symbol(p, center, radius, status, colours, act.goal_progress)
        p.setFont(word_font)
        p.setPen(colours.status(status) if status is DayStatus.PARTIAL else colours.text)
        p.drawText(
            QRectF(left + 2 * radius + 7, area.top(), text_w + 2, area.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            word,
        )

    # --- input ---------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        day = self.day_at(event.position())
        if day is not None and event.button() == Qt.MouseButton.LeftButton:
            self.set_selected(day)
            self.day_selected.emit(day)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        day = self.day_at(event.position())
        if day != self._hover:
            self._hover = day
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._hover = None
        self.update()
        super().leaveEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta().y()
        if delta:
            self.month_step_requested.emit(-1 if delta > 0 else 1)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        moves = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -7, Qt.Key.Key_Down: 7}
        if key in moves and self._summary is not None:
            start = self._selected or date(self._summary.year, self._summary.month, 1)
            day = start + timedelta(days=moves[key])
            self.set_selected(day)
            self.day_selected.emit(day)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self._selected:
            self.day_selected.emit(self._selected)
        elif key == Qt.Key.Key_PageUp:
            self.month_step_requested.emit(-1)
        elif key == Qt.Key.Key_PageDown:
            self.month_step_requested.emit(1)
        else:
            super().keyPressEvent(event)

    def tooltip_at(self, pos: QPointF) -> str | None:
        day = self.day_at(pos)
        cell = self.cell_at(day) if day else None
        return day_tooltip(cell.activity) if cell is not None else None

    def event(self, event: QEvent) -> bool:
        return show_tooltip(self, event, self.tooltip_at) or super().event(event)


class CalendarLegend(QWidget):
    """What the symbols mean, drawn with the same painter code as the cells."""

    ITEMS = (
        (DayStatus.FULL, "Daily goal met"),
        (DayStatus.HALF, "Part of the goal"),
        (DayStatus.PARTIAL, "Started"),
        (DayStatus.REST, "Rest day"),
        (DayStatus.SICK, "Sick day"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(28)
        self.setAccessibleName("Legend: " + ", ".join(text for _, text in self.ITEMS))

    def sizeHint(self) -> QSize:
        return QSize(640, 28)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        colours = history_colours(self.palette())
        font = scaled_font(self.font(), 0.85)
        fm = QFontMetricsF(font)
        p.setFont(font)
        x = 2.0
        mid = self.height() / 2
        for status, text in self.ITEMS:
            if status in (DayStatus.REST, DayStatus.SICK):
                word = labels.DAY_STATUS[status]
                width = fm.horizontalAdvance(word) + 14
                pill = QRectF(x, mid - fm.height() / 2 - 2, width, fm.height() + 4)
                draw_pill(p, pill, word, colours.status(status), colours.surface, font)
                x += width + 6
                label = "day"
            else:
                draw_symbol(p, QPointF(x + 8, mid), 7.5, status, colours, (1, 2))
                x += 22
                label = text
            p.setPen(colours.muted)
            p.drawText(
                QRectF(x, 0, fm.horizontalAdvance(label) + 4, self.height()),
                Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            x += fm.horizontalAdvance(label) + 22
        p.end()


def month_title(year: int, month: int) -> str:
    return words.month_heading_text(year, month)
