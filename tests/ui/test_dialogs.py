"""The dialogs: settings (voice levels, "Test voice", time to get there); safety and tips."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from si_timer.config.settings import Settings
from si_timer.library.safety import load_safety
from si_timer.session.verbosity import Verbosity
from si_timer.ui.dialogs import SafetyDialog, SafetyTab, SettingsDialog


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


def test_the_tips_sit_beside_the_warning_signs(qtbot: QtBot) -> None:
    guide = load_safety()
    assert guide.tips
    dialog = SafetyDialog(guide, first_run=False, tab=SafetyTab.TIPS)
    qtbot.addWidget(dialog)
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "Warning signs",
        "Tips for your back",
    ]
    assert dialog.tabs.currentWidget() is dialog.tips
    text = dialog.tips.toPlainText()
    for tip in guide.tips:
        assert tip.title in text
        assert tip.text[:40] in text
    first = SafetyDialog(guide, first_run=True)
    qtbot.addWidget(first)
    assert first.tabs.currentIndex() == SafetyTab.WARNING_SIGNS


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
