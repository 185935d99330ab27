"""The settings dialog keeps what it does not show and returns what was changed."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from si_timer.config.settings import Settings
from si_timer.ui.dialogs import SettingsDialog


def test_time_to_get_there_and_the_start_wait_are_settings(qtbot: QtBot) -> None:
    dialog = SettingsDialog(Settings(levels={"figure-4": 30.0}))
    qtbot.addWidget(dialog)
    assert (dialog.first_lead_in.value(), dialog.change_lead_in.value()) == (15, 20)
    assert dialog.start_wait.value() == 20
    dialog.first_lead_in.setValue(30)
    dialog.change_lead_in.setValue(0)
    dialog.start_wait.setValue(500)  # clamped to what a setting may be
    chosen = dialog.settings()
    assert (chosen.first_lead_in, chosen.change_lead_in, chosen.start_wait) == (30, 0, 300)
    assert chosen.levels == {"figure-4": 30.0}
