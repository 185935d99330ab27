"""History colours follow the window's palette; fonts scale in points or pixels."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from si_timer.history.days import DayStatus
from si_timer.ui.history.style import history_colours, scaled_font, set_text_size


def palette(window: str, base: str, text: str) -> QPalette:
    pal = QPalette()
    pal.setColor(QPalette.ColorRole.Window, QColor(window))
    pal.setColor(QPalette.ColorRole.Base, QColor(base))
    pal.setColor(QPalette.ColorRole.Text, QColor(text))
    return pal


def test_light_and_dark_variants() -> None:
    light = history_colours(palette("#eef1f4", "#ffffff", "#17202b"))
    dark = history_colours(palette("#10151c", "#18202a", "#e9eef4"))
    assert not light.dark
    assert dark.dark
    for status in DayStatus:
        if status is not DayStatus.NONE:
            assert light.status(status) != dark.status(status)
    # Darker squares for more minutes on light, brighter on dark.
    assert light.heat[4].lightness() < light.heat[1].lightness()
    assert dark.heat[4].lightness() > dark.heat[1].lightness()
    assert light.surface == QColor("#ffffff")


def test_scaled_font_handles_pixel_and_point_sizes() -> None:
    pixels = QFont()
    pixels.setPixelSize(15)
    assert scaled_font(pixels, 2.0).pixelSize() == 30
    points = QFont()
    points.setPointSizeF(10.0)
    assert scaled_font(points, 1.5, bold=True).pointSizeF() == 15.0
    assert scaled_font(points, 1.5, bold=True).bold()


def test_set_text_size_wins_over_an_app_stylesheet(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    saved = app.styleSheet()
    app.setStyleSheet("QWidget { font-size: 15px; }")
    try:
        label = QLabel("12")
        qtbot.addWidget(label)
        set_text_size(label, 2.0, bold=True)
        label.ensurePolished()
        assert label.font().pixelSize() == 30
        assert label.font().bold()
    finally:
        app.setStyleSheet(saved)
