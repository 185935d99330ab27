"""The pain trend: mean pain before and after sessions, week by week (QtCharts)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from PySide6.QtCharts import QCategoryAxis, QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QEvent, QMargins, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from si_timer import words
from si_timer.history.stats import PainWeek
from si_timer.ui.history.style import history_colours

LABEL_ROOM = 80  # width for one week label ("24 Aug") and air around it
Y_TITLE = "Pain (0 = none, 10 = worst)"
Y_TITLE_SHORT = "Pain"  # the sentence above the chart says what 0 is
Y_TITLE_HEIGHT = 300  # a chart shorter than this has no room for the long title


class PainTrendChart(QWidget):
    """Two lines, before and after, on a 0-10 scale; a plain sentence when there
    is nothing to draw yet."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.before = QLineSeries()
        self.before.setName("Before the session")
        self.after = QLineSeries()
        self.after.setName("After the session")
        self.chart = QChart()
        self.chart.setBackgroundVisible(False)
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        for series in (self.before, self.after):
            series.setPointsVisible(True)
            self.chart.addSeries(series)
        self.x_axis = QCategoryAxis()
        self.x_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        self.x_axis.setTitleText("Week starting")
        self.y_axis = QValueAxis()
        self.y_axis.setRange(0, 10)
        self.y_axis.setTickCount(6)
        self.y_axis.setLabelFormat("%d")
        self.y_axis.setTitleText(Y_TITLE)
        self.chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        for series in (self.before, self.after):
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
        self.view = QChartView(self.chart)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setAccessibleName("Pain before and after sessions, by week")
        self.empty = QLabel(
            "No pain ratings yet. Rate your pain before and after a session and the "
            "trend shows here, week by week."
        )
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setProperty("role", "muted")
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self.empty)
        self._stack.addWidget(self.view)
        self._weeks: tuple[PainWeek, ...] = ()
        self._labelled_for = 0
        self._apply_colours()

    @property
    def weeks(self) -> tuple[PainWeek, ...]:
        return self._weeks

    def set_weeks(self, weeks: Sequence[PainWeek]) -> None:
        self._weeks = tuple(weeks)
        self.before.clear()
        self.after.clear()
        if not self._weeks:
            for label in self.x_axis.categoriesLabels():
                self.x_axis.remove(label)
            self._stack.setCurrentWidget(self.empty)
            return
        first = self._weeks[0].week_start
        # x is the week number from the first week, so gaps stay gaps.
        for week in self._weeks:
            x = float((week.week_start - first).days // 7)
            if week.before is not None:
                self.before.append(x, week.before)
            if week.after is not None:
                self.after.append(x, week.after)
        span = (self._weeks[-1].week_start - first).days // 7
        self._label_weeks(first, span)
        self.x_axis.setRange(-0.5, span + 0.5)
        self._stack.setCurrentWidget(self.view)

    def _labels_wanted(self) -> int:
        """How many week labels the width has room for (at most eight)."""
        return max(2, min(8, self.width() // LABEL_ROOM))

    def _label_weeks(self, first: date, span: int) -> None:
        for label in self.x_axis.categoriesLabels():
            self.x_axis.remove(label)
        self._labelled_for = self._labels_wanted()
        step = max(1, -(-(span + 1) // self._labelled_for))
        long_span = span > 52
        for n in range(0, span + 1, step):
            start = first + timedelta(weeks=n)
            text = words.month_year_text(start) if long_span else words.day_month_text(start)
            self.x_axis.append(text, float(n))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Fewer week labels on a narrow chart (they were cut to "24 …"), and the
        # scale's words shorter on a short one.
        if self._weeks and self._labels_wanted() != self._labelled_for:
            first = self._weeks[0].week_start
            self._label_weeks(first, (self._weeks[-1].week_start - first).days // 7)
        title = Y_TITLE if event.size().height() >= Y_TITLE_HEIGHT else Y_TITLE_SHORT
        if self.y_axis.titleText() != title:
            self.y_axis.setTitleText(title)

    def _apply_colours(self) -> None:
        colours = history_colours(self.palette())
        for series, colour in (
            (self.before, colours.pain_before),
            (self.after, colours.pain_after),
        ):
            pen = QPen(colour, 3)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            series.setPen(pen)
            series.setColor(colour)
            series.setBrush(QBrush(colour))
            series.setMarkerSize(9)
        for axis in (self.x_axis, self.y_axis):
            axis.setLabelsColor(colours.text)
            axis.setGridLineColor(colours.line)
            axis.setLinePenColor(colours.line)
            axis.setTitleBrush(QBrush(colours.muted))
        self.chart.legend().setFont(self.font())
        self.chart.legend().setLabelColor(colours.text)
        self.chart.setTitleBrush(QBrush(colours.text))
        self.chart.setPlotAreaBackgroundVisible(False)
        self.view.setBackgroundBrush(QBrush(QColor(0, 0, 0, 0)))
        self.view.setStyleSheet("background: transparent;")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:  # the theme changed
            self._apply_colours()
        super().changeEvent(event)


PAIN_RANGES = (("Last 3 months", 13), ("Last 6 months", 26), ("Last year", 52), ("All time", 0))


def recent_average_text(trend: Sequence[PainWeek], today: date) -> str:
    """The last four weeks in one sentence (rich text), or why there is none."""
    recent = [w for w in trend if w.week_start >= today - timedelta(weeks=4)]
    befores = [w.before for w in recent if w.before is not None]
    afters = [w.after for w in recent if w.after is not None]
    if befores and afters:
        return (
            f"Last four weeks: on average <b>{sum(befores) / len(befores):.1f}</b> before "
            f"a session and <b>{sum(afters) / len(afters):.1f}</b> after (0 = no pain)."
        )
    return "No ratings in the last four weeks." if trend else ""


class PainPanel(QWidget):
    """The pain journal: a time span to choose, a sentence and the chart.

    Signals:
        range_changed(): the person chose another time span (re-query).
    """

    range_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        top.addWidget(self.summary, 1)
        self.range = QComboBox()
        for text, weeks in PAIN_RANGES:
            self.range.addItem(text, weeks)
        self.range.setCurrentIndex(1)
        self.range.setAccessibleName("Time span of the pain chart")
        self.range.currentIndexChanged.connect(lambda _: self.range_changed.emit())
        top.addWidget(self.range)
        layout.addLayout(top)
        self.chart = PainTrendChart()
        layout.addWidget(self.chart, 1)

    def since(self, today: date) -> date | None:
        """The first day the chosen span covers (None: all history)."""
        weeks = int(self.range.currentData())
        return today - timedelta(weeks=weeks) if weeks else None

    def set_trend(self, trend: Sequence[PainWeek], today: date) -> None:
        self.chart.set_weeks(trend)
        self.summary.setText(recent_average_text(trend, today))
