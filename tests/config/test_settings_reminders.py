"""Reminder settings: slots saved as readable JSON, a broken slot falls back alone."""

from __future__ import annotations

import json
from datetime import time
from pathlib import Path

from si_timer.config.settings import Settings, load_settings, save_settings
from si_timer.session.reminders import ReminderSlot


def test_reminders_round_trip_as_readable_json(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    chosen = Settings(
        reminders_on=True,
        reminders=(
            ReminderSlot(time(7, 30), "morning", frozenset({0, 1, 2, 3, 4})),
            ReminderSlot(time(19, 0), "evening"),
        ),
        start_at_login=True,
        run_in_background=True,
        background_explained=True,
        menu_entry_offered=True,
    )
    save_settings(path, chosen)
    assert load_settings(path) == (chosen, [])
    saved = json.loads(path.read_text())
    assert saved["reminders"][0] == {"time": "07:30", "routine": "morning", "days": [0, 1, 2, 3, 4]}


def test_a_broken_reminder_is_named_and_the_rest_kept(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps(
            {"reminders_on": True, "reminders": [{"time": "8 o'clock", "routine": "morning"}]}
        )
    )
    settings, warnings = load_settings(path)
    assert settings.reminders_on is True
    assert settings.reminders == ()
    assert warnings == [
        f"{path}: setting 'reminders' has a problem: '8 o'clock' is not a time of day like 08:00;"
        " using the default"
    ]


def test_an_absurd_number_of_reminders_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    many = [{"time": "08:00", "routine": "morning"}] * 1000
    path.write_text(json.dumps({"reminders": many}))
    settings, [warning] = load_settings(path)
    assert settings.reminders == ()
    assert "at most 48 reminders" in warning
