"""The countdown ring repaints only what a new second changes, and that is enough."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QImage, QPaintEvent, QRegion
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from si_timer.ui.session.ring import CountdownRing
from si_timer.ui.theme import LIGHT

TEAL = QColor(LIGHT.hold)


def _ring(qtbot: QtBot) -> CountdownRing:
    ring = CountdownRing()
    qtbot.addWidget(ring)
    ring.set_palette(LIGHT)
    ring.resize(480, 520)
    return ring


def _area(region: QRegion) -> int:
    return sum(r.width() * r.height() for r in region)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (("55", 55 / 60), ("54", 54 / 60)),  # a minute's hold
        (("1:00", 60 / 90), ("59", 59 / 90)),  # the digits' font grows as they narrow
        (("10", 10 / 60), ("9", 9 / 60)),
        (("1", 1 / 60), ("0", 0.0)),  # the arc's last piece goes
        (("4:59", 299 / 300), ("4:58", 298 / 300)),  # near the top, a long hold
    ],
)
def test_a_new_second_repaints_what_changed_and_no_more(
    qtbot: QtBot, before: tuple[str, float], after: tuple[str, float]
) -> None:
    ring = _ring(qtbot)
    ring.show_state(before[0], "seconds", before[1], TEAL)
    old = ring.grab().toImage()
    state = (ring._digits, ring._fraction, ring._caption, ring._colour.name())
    ring.show_state(after[0], "seconds", after[1], TEAL)
    region = ring.changed_region(*state)
    # Painting the region alone over the old picture gives the new one, pixel for pixel.
    partial = QImage(old)
    ring.render(partial, region.boundingRect().topLeft(), region)  # (the offset is the region's)
    assert partial == ring.grab().toImage()
    # The digits and a quarter of the ring at most: half the ring's pixels or fewer.
    assert _area(region) < 0.5 * ring.width() * ring.height()


def test_a_new_caption_or_colour_repaints_the_whole_ring(qtbot: QtBot) -> None:
    ring = _ring(qtbot)
    ring.show_state("5", "seconds", 5 / 60, TEAL)
    assert ring.changed_region("5", 5 / 60, "paused", TEAL.name()) == QRegion(ring.rect())
    assert ring.changed_region("5", 5 / 60, "seconds", "#000000") == QRegion(ring.rect())
    # The arc moving far (a skip back to a full ring) is the whole ring too.
    assert ring.changed_region("50", 50 / 60, "seconds", TEAL.name()) == QRegion(ring.rect())


class Paints(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.regions: list[QRegion] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QPaintEvent):
            self.regions.append(QRegion(event.region()))
        return False


def test_the_ring_updates_only_that_region(qtbot: QtBot) -> None:
    ring = _ring(qtbot)
    ring.show()
    qtbot.waitExposed(ring)
    ring.show_state("55", "seconds", 55 / 60, TEAL)
    QApplication.processEvents()
    spy = Paints(ring)
    ring.installEventFilter(spy)
    painted = spy.regions
    ring.show_state("54", "seconds", 54 / 60, TEAL)
    QApplication.processEvents()
    assert painted
    assert all(_area(r) < 0.5 * ring.width() * ring.height() for r in painted)
