"""The settings dialog's reminders: suggested times, edited times, on/off, login start."""

from __future__ import annotations

from datetime import time
from pathlib import Path

from PySide6.QtCore import QTime
from pytestqt.qtbot import QtBot

from si_timer.config.settings import Settings
from si_timer.session.reminders import ALL_DAYS, ReminderSlot, default_slots
from si_timer.ui.dialogs import SettingsDialog

ROUTINES = {"morning": "Morning stretches", "evening": "Evening unwind"}
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "ui"


def test_suggested_times_are_shown_and_not_saved_unless_changed(qtbot: QtBot) -> None:
    suggested = default_slots("morning", 2)
    dialog = SettingsDialog(Settings(), routines=ROUTINES, default_reminders=suggested)
    qtbot.addWidget(dialog)
    editor = dialog.reminder_times
    assert [row.time.time() for row in editor.rows] == [QTime(8, 0), QTime(19, 0)]
    assert not editor.isEnabled()  # greyed out while reminders are off
    dialog.reminders_on.setChecked(True)
    assert editor.isEnabled()
    chosen = dialog.settings()
    assert chosen.reminders_on
    assert chosen.reminders == ()  # still the routine's own goal, should it change


def test_edited_times_days_and_routine_are_saved(qtbot: QtBot) -> None:
    dialog = SettingsDialog(
        Settings(), routines=ROUTINES, default_reminders=default_slots("morning", 2)
    )
    qtbot.addWidget(dialog)
    dialog.reminders_on.setChecked(True)
    editor = dialog.reminder_times
    first, second = editor.rows
    first.time.setTime(QTime(7, 15))
    for box in first.days[5:]:
        box.setChecked(False)  # weekdays only
    second.routine.setCurrentIndex(second.routine.findData("evening"))
    editor.add.click()
    third = editor.rows[2]
    third.remove.click()
    assert third.isHidden()
    dialog.start_at_login.setChecked(True)
    dialog.run_in_background.setChecked(True)
    dialog.resize(900, dialog.sizeHint().height())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(ARTIFACTS / "settings-reminders.png"))
    chosen = dialog.settings()
    assert chosen.reminders == (
        ReminderSlot(time(7, 15), "morning", frozenset(range(5))),
        ReminderSlot(time(19, 0), "evening", ALL_DAYS),
    )
    assert chosen.start_at_login
    assert chosen.run_in_background


def test_a_time_with_no_day_ticked_is_dropped(qtbot: QtBot) -> None:
    kept = ReminderSlot(time(19), "evening")
    slots = (ReminderSlot(time(8), "morning"), kept)
    dialog = SettingsDialog(Settings(reminders=slots), routines=ROUTINES)
    qtbot.addWidget(dialog)
    assert dialog.settings().reminders == slots
    for box in dialog.reminder_times.rows[0].days:
        box.setChecked(False)
    assert dialog.settings().reminders == (kept,)
