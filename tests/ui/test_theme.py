"""The theme: a changed style property restyles what is on screen, and costs nothing before."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from si_timer.config.settings import Theme
from si_timer.ui.theme import apply_theme, set_style_property


def _middle(button: QPushButton) -> QColor:
    image = button.grab().toImage()
    return image.pixelColor(image.width() // 2, 4)


def test_a_shown_button_takes_its_new_role_at_once(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    palette = apply_theme(app, Theme.LIGHT)
    button = QPushButton("Done")
    button.setProperty("role", "control")
    qtbot.addWidget(button)
    button.show()
    qtbot.waitExposed(button)
    assert _middle(button) != QColor(palette.accent)
    set_style_property(button, "role", "primary")
    assert button.property("role") == "primary"
    assert _middle(button) == QColor(palette.accent)  # restyled, not only relabelled
    set_style_property(button, "role", "control")
    assert _middle(button) != QColor(palette.accent)


def test_a_widget_not_yet_polished_only_takes_the_value(qtbot: QtBot) -> None:
    """Before its first polish a widget takes the property when it is polished, so
    nothing asks for its QStyle yet (that costs PySide ~5 ms before the first paint)."""
    button = QPushButton("Done")
    qtbot.addWidget(button)
    set_style_property(button, "role", "primary")
    assert button.property("role") == "primary"
    assert not button.testAttribute(Qt.WidgetAttribute.WA_WState_Polished)
