"""SteadyLabel: a line that changes every second without laying out the window."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QWidget
from pytestqt.qtbot import QtBot

from si_timer.ui.session.steady_label import SteadyLabel
from tests.helpers.layout_requests import LayoutRequests


def _row(qtbot: QtBot) -> tuple[QWidget, QLabel, SteadyLabel, LayoutRequests]:
    window = QWidget()
    qtbot.addWidget(window)
    row = QHBoxLayout(window)
    plain, steady = QLabel("0:54 left"), SteadyLabel()
    steady.set_line("0:54 left")
    row.addWidget(plain)
    row.addWidget(steady)
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    return window, plain, steady, LayoutRequests(window)


def test_a_new_second_lays_nothing_out(qtbot: QtBot) -> None:
    window, plain, steady, requests = _row(qtbot)
    steady.set_line("0:53 left")
    QApplication.processEvents()
    assert requests.count == 0
    assert steady.line() == "0:53 left"
    assert steady.accessibleName() == "0:53 left"
    plain.setText("0:53 left")  # what a QLabel does for the same change
    QApplication.processEvents()
    assert requests.count == 1
    assert window.isVisible()


def test_a_longer_line_is_laid_out(qtbot: QtBot) -> None:
    window, _, steady, requests = _row(qtbot)
    before = steady.sizeHint().width()
    steady.set_line("10:54 left")
    QApplication.processEvents()
    assert requests.count == 1
    assert steady.sizeHint().width() > before
    assert window.isVisible()


def test_it_paints_its_line_as_a_label_does(qtbot: QtBot) -> None:
    plain, steady = QLabel("0:53 left"), SteadyLabel()
    steady.set_line("0:53 left")
    for label in (plain, steady):
        qtbot.addWidget(label)
        label.setStyleSheet("font-size: 20px; font-weight: 600; color: #566270;")
        label.resize(200, 40)
    assert steady.sizeHint() == plain.sizeHint()
    assert steady.grab().toImage() == plain.grab().toImage()
    steady.set_line("0:52 left")
    assert steady.grab().toImage() != plain.grab().toImage()
