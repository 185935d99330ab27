"""The safety dialog: warning signs, and beside them the guides' tips for your back."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from si_timer.library.safety import load_safety
from si_timer.ui.dialogs import SafetyDialog, SafetyTab


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
