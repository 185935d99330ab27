"""The pain chart: means per day or week, and kinds told apart without colour."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from si_timer.history.report import PainKind, PainPoint
from si_timer.ui.printing.pain_chart import bucket_days, mean_ratings, paint_pain_chart

FIRST = date(2025, 3, 3)


def point(day: int, hour: int, kind: PainKind, pain: int) -> PainPoint:
    return PainPoint(datetime(2025, 3, 3, hour, tzinfo=UTC) + timedelta(days=day), kind, pain)


def test_means_per_day_or_per_week() -> None:
    points = [
        point(0, 7, PainKind.BEFORE, 6),
        point(0, 19, PainKind.BEFORE, 4),
        point(0, 19, PainKind.AFTER, 1),
        point(2, 7, PainKind.BEFORE, 3),
        point(9, 7, PainKind.BEFORE, 2),
    ]
    assert mean_ratings(points, PainKind.BEFORE, FIRST) == [(0.5, 5.0), (2.5, 3.0), (9.5, 2.0)]
    assert mean_ratings(points, PainKind.BEFORE, FIRST, 7) == [(3.5, 13 / 3), (10.5, 2.0)]
    assert mean_ratings(points, PainKind.LOGGED, FIRST) == []
    assert bucket_days(FIRST, FIRST + timedelta(days=27)) == 1
    assert bucket_days(FIRST, FIRST + timedelta(days=180)) == 7


def chart(points: list[PainPoint]) -> QImage:
    image = QImage(600, 240, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    paint_pain_chart(painter, QRectF(0, 0, 600, 240), points, FIRST, FIRST + timedelta(days=13))
    painter.end()
    return image


def test_before_and_after_differ_in_shape_not_colour(qapp: object) -> None:
    ratings = [(d, 4 + d % 3) for d in range(14)]
    before = chart([point(d, 8, PainKind.BEFORE, p) for d, p in ratings])
    after = chart([point(d, 8, PainKind.AFTER, p) for d, p in ratings])
    assert before != after
    for image in (before, after):
        colours = {
            image.pixelColor(x, y).name() for x in range(0, 600, 3) for y in range(0, 240, 3)
        }
        assert len(colours) > 2  # something was drawn
        assert all(c[1:3] == c[3:5] == c[5:7] for c in colours), "greys only"

    # Filled circles carry more ink than open squares of the same size.
    def ink(image: QImage) -> int:
        return sum(
            1 for x in range(600) for y in range(40, 240) if image.pixelColor(x, y).value() < 80
        )

    assert ink(before) > ink(after)


def test_an_empty_chart_still_has_its_scale(qapp: object) -> None:
    image = chart([])
    assert len({image.pixelColor(x, 120).name() for x in range(600)}) > 1
