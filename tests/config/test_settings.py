"""Settings: typed, saved atomically, and a broken file never costs the rest."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from si_timer.config.paths import resolve_paths
from si_timer.config.settings import (
    Settings,
    Theme,
    load_settings,
    save_settings,
    settings_from_dict,
)
from si_timer.session.cues import Verbosity


def test_defaults_when_there_is_no_file(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "settings.json") == (Settings(), [])


def test_round_trip_keeps_every_value(tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.json"
    chosen = Settings(
        voice=False,
        verbosity=Verbosity.FULL,
        sounds=False,
        volume=0.35,
        lead_in=8,
        switch=3,
        rest_between=20,
        theme=Theme.HIGH_CONTRAST,
        start_fullscreen=True,
        safety_acknowledged=True,
        speech_engine="speechd",
        levels={"glute-bridge": 8.0},
    )
    save_settings(path, chosen)
    assert load_settings(path) == (chosen, [])
    assert json.loads(path.read_text())["theme"] == "high-contrast"
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_broken_values_fall_back_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps(
            {
                "voice": "yes",
                "volume": 7,
                "theme": "purple",
                "lead_in": 12,
                "colour": "red",
                "verbosity": "full",
            }
        )
    )
    settings, warnings = load_settings(path)
    assert settings.voice is True  # default
    assert settings.volume == Settings().volume
    assert settings.theme is Theme.SYSTEM
    assert settings.lead_in == 12  # the valid values are kept
    assert settings.verbosity is Verbosity.FULL
    assert warnings == [
        f"{path}: setting 'voice' must be true or false; using the default",
        f"{path}: setting 'volume' must be between 0 and 1; using the default",
        f"{path}: setting 'theme' must be one of system, light, dark, high-contrast;"
        " using the default",
        f"{path}: unknown setting 'colour' ignored",
    ]


def test_a_file_that_is_not_json_gives_defaults_and_says_where(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"voice": true,\n  oops}')
    settings, warnings = load_settings(path)
    assert settings == Settings()
    assert warnings[0].startswith(f"{path}:2: not valid JSON")


def test_bools_are_not_numbers(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"volume": True, "switch": None}))
    settings, warnings = load_settings(path)
    assert settings.volume == Settings().volume
    assert settings.switch is None
    assert len(warnings) == 1


def test_data_dir_override_moves_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SI_TIMER_DATA_DIR", raising=False)
    paths = resolve_paths(tmp_path / "portable")
    for folder in (paths.config_dir, paths.data_dir, paths.cache_dir):
        assert folder.is_relative_to(tmp_path / "portable")
    monkeypatch.setenv("SI_TIMER_DATA_DIR", str(tmp_path / "env"))
    assert resolve_paths().database_file.is_relative_to(tmp_path / "env")
    # The flag wins over the environment variable.
    assert resolve_paths(tmp_path / "flag").settings_file.is_relative_to(tmp_path / "flag")


def test_folders_are_private(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "d")
    paths.ensure()
    if os.name == "posix":
        for folder in (paths.config_dir, paths.data_dir, paths.cache_dir):
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_time_to_get_there_defaults_and_limits() -> None:
    assert (Settings().first_lead_in, Settings().change_lead_in) == (15, 20)
    settings, warnings = settings_from_dict(
        {"first_lead_in": 30, "change_lead_in": 500, "extra": None}
    )
    assert settings.first_lead_in == 30
    assert settings.change_lead_in == 20  # out of range: the default
    assert "setting 'change_lead_in' must be between 0 and 120; using the default" in warnings
    settings, warnings = settings_from_dict({"first_lead_in": None, "change_lead_in": 25})
    assert settings.first_lead_in == 15  # no "routine's own" for these: a number
    assert settings.change_lead_in == 25
    assert warnings == ["setting 'first_lead_in' must be a number; using the default"]
