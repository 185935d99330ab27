"""The settings dialog: the voice levels and the "Test voice" button."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from si_timer.config.settings import Settings
from si_timer.session.cues import Verbosity
from si_timer.ui.dialogs import SettingsDialog


def test_every_level_can_be_chosen_and_coach_is_the_default(qtbot: QtBot) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    box = dialog.verbosity
    assert {Verbosity(box.itemData(i)) for i in range(box.count())} == set(Verbosity)
    assert dialog.settings().verbosity is Verbosity.COACH
    box.setCurrentIndex(box.findData(Verbosity.MINIMAL.value))
    assert dialog.settings().verbosity is Verbosity.MINIMAL


def test_test_voice_speaks_with_the_volume_chosen_in_the_dialog(qtbot: QtBot) -> None:
    heard: list[Settings] = []
    dialog = SettingsDialog(Settings(volume=0.8), test_voice=heard.append)
    qtbot.addWidget(dialog)
    dialog.volume.setValue(35)
    dialog.test_voice.click()
    assert [s.volume for s in heard] == [0.35]


def test_without_a_voice_there_is_no_test_button(qtbot: QtBot) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.test_voice.isVisible()
