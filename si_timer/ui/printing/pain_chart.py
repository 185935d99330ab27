"""The report's pain chart, painted as vector lines on any QPainter (a PDF page).

Pain before a session is a solid line with filled circles, after a session a
dashed line with open squares, pain logged on its own a cross: told apart by
shape and dash, so a black-and-white print keeps them apart.  Each line joins
the day's mean rating (the week's, over a longer range: see :func:`bucket_days`);
the scale is the app's 0 to 10.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPainterPath, QPen

from si_timer.history.model import PAIN_MAX, PAIN_MIN
from si_timer.history.report import PainKind, PainPoint
from si_timer.ui.printing.pdf import GREY, INK, RULE, font
from si_timer.words import day_month_text

MARKER = 2.6  # points from a marker's centre to its edge
LEGEND_HEIGHT = 16.0
DAILY_UP_TO_DAYS = 63  # nine weeks
AXIS_LABELS_WIDTH = 20.0
DATE_LABELS_HEIGHT = 14.0
_RIGHT_MIDDLE = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT_MIDDLE = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
LEGEND = {
    PainKind.BEFORE: "Before a session",
    PainKind.AFTER: "After a session",
    PainKind.LOGGED: "Logged on its own",
}


def mean_ratings(
    points: Sequence[PainPoint], kind: PainKind, first: date, days: int = 1
) -> list[tuple[float, float]]:
    """The mean rating of ``kind`` in each run of ``days`` days from ``first`` that has
    one, oldest first, as (days from ``first`` to the run's middle, mean)."""
    sums: dict[int, list[int]] = {}
    for p in points:
        if p.kind is kind:
            sums.setdefault((p.local_at.date() - first).days // days, []).append(p.pain)
    return [(days * (run + 0.5), sum(v) / len(v)) for run, v in sorted(sums.items())]


def bucket_days(first: date, last: date) -> int:
    """A point a day for a few weeks; a point a week beyond that, or it is only noise."""
    return 1 if (last - first).days < DAILY_UP_TO_DAYS else 7


def _pen(kind: PainKind) -> QPen:
    pen = QPen(INK, 1.4 if kind is PainKind.BEFORE else 1.1)
    if kind is PainKind.AFTER:
        pen.setStyle(Qt.PenStyle.CustomDashLine)
        pen.setDashPattern([4.0, 2.5])
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    return pen


def marker(painter: QPainter, centre: QPointF, kind: PainKind) -> None:
    """The shape that stands for ``kind``, centred on ``centre``."""
    painter.save()
    r = MARKER
    if kind is PainKind.BEFORE:
        painter.setPen(QPen(INK, 0.8))
        painter.setBrush(QBrush(INK))
        painter.drawEllipse(centre, r, r)
    elif kind is PainKind.AFTER:
        painter.setPen(QPen(INK, 1.0))
        painter.setBrush(QBrush(Qt.GlobalColor.white))
        painter.drawRect(QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r))
    else:
        painter.setPen(QPen(INK, 1.1))
        painter.drawLine(centre + QPointF(-r, -r), centre + QPointF(r, r))
        painter.drawLine(centre + QPointF(-r, r), centre + QPointF(r, -r))
    painter.restore()


def paint_pain_chart(
    painter: QPainter, rect: QRectF, points: Sequence[PainPoint], first: date, last: date
) -> None:
    """The chart of ``points`` from ``first`` to ``last`` inside ``rect``."""
    kinds = [k for k in PainKind if any(p.kind is k for p in points)]
    _legend(painter, QRectF(rect.left(), rect.top(), rect.width(), LEGEND_HEIGHT), kinds)
    plot = QRectF(
        rect.left() + AXIS_LABELS_WIDTH,
        rect.top() + LEGEND_HEIGHT + 4,
        rect.width() - AXIS_LABELS_WIDTH - 4,
        rect.height() - LEGEND_HEIGHT - 4 - DATE_LABELS_HEIGHT,
    )
    days = (last - first).days + 1

    def x_of(moment: datetime) -> float:
        fraction = (moment.hour * 60 + moment.minute) / (24 * 60)
        return plot.left() + plot.width() * ((moment.date() - first).days + fraction) / days

    def y_of(pain: float) -> float:
        return plot.bottom() - plot.height() * (pain - PAIN_MIN) / (PAIN_MAX - PAIN_MIN)

    _axes(painter, plot, first, days, y_of)
    painter.save()
    painter.setClipRect(plot.adjusted(-MARKER - 1, -MARKER - 1, MARKER + 1, MARKER + 1))
    run = bucket_days(first, last)
    for kind in (PainKind.BEFORE, PainKind.AFTER):
        means = mean_ratings(points, kind, first, run)
        if not means:
            continue
        centres = [
            QPointF(plot.left() + plot.width() * offset / days, y_of(mean))
            for offset, mean in means
        ]
        path = QPainterPath(centres[0])
        for centre in centres[1:]:
            path.lineTo(centre)
        painter.setPen(_pen(kind))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        for centre in centres:
            marker(painter, centre, kind)
    for p in points:
        if p.kind is PainKind.LOGGED:
            marker(painter, QPointF(x_of(p.local_at), y_of(p.pain)), PainKind.LOGGED)
    painter.restore()


def _axes(
    painter: QPainter, plot: QRectF, first: date, days: int, y_of: Callable[[float], float]
) -> None:
    painter.save()
    painter.setFont(font(7))
    for pain in range(PAIN_MIN, PAIN_MAX + 1, 2):
        y = y_of(pain)
        painter.setPen(QPen(RULE, 0.4 if pain else 0.8))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(GREY)
        label = QRectF(plot.left() - AXIS_LABELS_WIDTH, y - 5, AXIS_LABELS_WIDTH - 4, 10)
        painter.drawText(
            label, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), str(pain)
        )
    painter.setPen(QPen(RULE, 0.8))
    painter.drawLine(plot.bottomLeft(), plot.topLeft())
    # A tick each day, a date each week (every other week when the range is long).
    step = 7 if days <= 70 else 14 if days <= 140 else 28
    for offset in range(days + 1):
        x = plot.left() + plot.width() * offset / days
        tall = offset % step == 0
        painter.setPen(QPen(RULE, 0.6 if tall else 0.4))
        painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + (4 if tall else 2)))
        if tall and offset < days:
            painter.setPen(GREY)
            painter.drawText(
                QRectF(x - 2, plot.bottom() + 4, 60, DATE_LABELS_HEIGHT - 4),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                day_month_text(first + timedelta(days=offset)),
            )
    painter.restore()


def _legend(painter: QPainter, rect: QRectF, kinds: Sequence[PainKind]) -> None:
    painter.save()
    f = font(8)
    painter.setFont(f)
    x = rect.left() + AXIS_LABELS_WIDTH
    y = rect.center().y()
    for kind in kinds:
        if kind is not PainKind.LOGGED:
            painter.setPen(_pen(kind))
            painter.drawLine(QPointF(x, y), QPointF(x + 22, y))
        marker(painter, QPointF(x + 11, y), kind)
        painter.setPen(INK)
        text = LEGEND[kind]
        label = QRectF(x + 27, rect.top(), 200, rect.height())
        painter.drawText(
            label, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text
        )
        x += 27 + painter.fontMetrics().horizontalAdvance(text) + 18
    painter.restore()
