"""The tray menu: today's status, the next reminder, one "Start …" per routine, Open, Quit."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon
from pytestqt.qtbot import QtBot

from si_timer import assets
from si_timer.ui.system.tray import Tray

ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts" / "ui"


def test_the_menu_says_today_and_next_and_starts_each_routine(qtbot: QtBot) -> None:
    tray = Tray(QIcon(str(assets.resource("icons", "si-timer.svg"))))
    tray.update(
        "Done today: Morning stretches 1 of 2",
        "Next reminder: 19:00, Morning stretches",
        [("morning", "Morning stretches"), ("evening", "Evening unwind")],
    )
    actions = [a for a in tray.menu.actions() if not a.isSeparator()]
    texts = [a.text() for a in actions]
    assert texts == [
        "Done today: Morning stretches 1 of 2",
        "Next reminder: 19:00, Morning stretches",
        "Start Morning stretches",
        "Start Evening unwind",
        "Open SI Timer",
        "Quit",
    ]
    assert not actions[0].isEnabled() and not actions[1].isEnabled()  # noqa: PT018
    with qtbot.waitSignal(tray.start_requested) as started:
        actions[3].trigger()
    assert started.args == ["evening"]
    with qtbot.waitSignal(tray.open_requested):
        actions[4].trigger()
    with qtbot.waitSignal(tray.quit_requested):
        actions[5].trigger()
    assert "19:00" in tray.icon.toolTip()
    # For a person to look at: the menu as it is drawn.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tray.menu.adjustSize()
    picture = tray.menu.grab()
    assert picture.width() > 200
    assert picture.save(str(ARTIFACTS / "tray-menu.png"))
    tray.close()


def test_updating_again_replaces_the_menu(qtbot: QtBot) -> None:
    tray = Tray(QIcon())
    tray.update("a", "", [("morning", "Morning")])
    tray.update("", "", [])
    assert [a.text() for a in tray.menu.actions()] == ["Open SI Timer", "Quit"]
    tray.close()
