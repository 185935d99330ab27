"""Settings: typed, saved atomically, and a broken file never costs the rest."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from si_timer.config.paths import resolve_paths
from si_timer.config.settings import (
    Settings,
    Theme,
    load_settings,
    save_settings,
    settings_from_dict,
    settings_to_dict,
)
from si_timer.session.plan import Level
from si_timer.session.verbosity import Verbosity


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
        levels={"glute-bridge": Level(hold=8.0, rest=75.0), "pelvic-tilt": Level(reps=17)},
    )
    save_settings(path, chosen)
    assert load_settings(path) == (chosen, [])
    assert json.loads(path.read_text())["theme"] == "high-contrast"
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_levels_saved_before_reps_and_rests_still_load(tmp_path: Path) -> None:
    """Older settings kept a hold in seconds per exercise; that is still the hold."""
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"levels": {"glute-bridge": 8, "wall-sit": 38.0}}))
    settings, warnings = load_settings(path)
    assert warnings == []
    assert settings.levels == {"glute-bridge": Level(hold=8.0), "wall-sit": Level(hold=38.0)}
    save_settings(path, settings)
    assert json.loads(path.read_text())["levels"] == {
        "glute-bridge": {"hold": 8.0},
        "wall-sit": {"hold": 38.0},
    }


@pytest.mark.parametrize(
    "levels",
    [{"x": {"reps": 2.5}}, {"x": {"hold": -1}}, {"x": {"speed": 3}}, {"x": "fast"}, {"x": {}}],
)
def test_a_broken_level_falls_back_with_a_warning(tmp_path: Path, levels: object) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"levels": levels, "volume": 0.5}))
    settings, warnings = load_settings(path)
    assert settings.levels == {}
    assert settings.volume == 0.5
    assert len(warnings) == 1
    assert "levels" in warnings[0]


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


# --- hostile files ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"volume": ' + "[" * 3000 + "]" * 3000 + "}", "nested too deeply"),
        ('{"lead_in": ' + "9" * 5000 + "}", "too large"),
        ('{"volume": NaN}', "NaN is not a number"),
        ('{"volume": 1e999}', "out of range"),
        ('{"levels": {"glute-bridge": Infinity}}', "Infinity is not a number"),
    ],
)
def test_a_hostile_settings_file_is_one_warning_and_defaults(
    tmp_path: Path, content: str, reason: str
) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content, encoding="utf-8")
    settings, warnings = load_settings(path)
    assert settings == Settings()
    (warning,) = warnings
    assert warning.startswith(f"{path}")
    assert reason in warning
    assert "\n" not in warning


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"levels": {"glute-bridge": 1e308}}, "levels"),
        ({"levels": {f"x{i}": 5 for i in range(2000)}}, "levels"),
        ({"speech_engine": "x" * 10_000}, "speech_engine"),
    ],
)
def test_values_out_of_range_fall_back_alone(tmp_path: Path, data: object, key: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({**data, "voice": False}), encoding="utf-8")  # type: ignore[dict-item]
    settings, (warning,) = load_settings(path)
    assert f"setting '{key}'" in warning
    assert settings == Settings(voice=False)


@pytest.mark.skipif(os.name != "posix", reason="POSIX special files")
@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
def test_a_special_file_in_place_of_settings_is_one_warning(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "settings.json"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    settings, (warning,) = load_settings(path)  # returns at once: no read of a pipe or device
    assert settings == Settings()
    assert "not a regular file" in warning


@pytest.mark.skipif(os.name != "posix", reason="POSIX symlinks and modes")
def test_a_symlinked_settings_file_is_saved_through_the_link(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "si-timer.json"
    real.parent.mkdir()
    real.write_text("{}")
    link = tmp_path / "config" / "settings.json"
    link.parent.mkdir()
    link.symlink_to(real)
    save_settings(link, Settings(voice=False))
    assert link.is_symlink()
    assert load_settings(real) == (Settings(voice=False), [])
    assert stat.S_IMODE(real.stat().st_mode) == 0o600


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=30,
)
FIELDS = st.sampled_from(
    ["voice", "volume", "lead_in", "switch", "theme", "levels", "verbosity", "speech_engine"]
)


@given(
    st.one_of(
        st.dictionaries(FIELDS, JSON_VALUES, max_size=6).map(lambda d: json.dumps(d).encode()),
        JSON_VALUES.map(lambda v: json.dumps(v).encode()),
        st.binary(max_size=200),
        st.integers(min_value=1, max_value=4000).map(lambda n: b'{"volume": ' + b"[" * n),
        st.integers(min_value=20, max_value=6000).map(lambda n: b'{"lead_in": ' + b"7" * n + b"}"),
    )
)
@settings(max_examples=200, deadline=timedelta(seconds=2))
def test_any_settings_file_gives_settings_and_one_line_warnings(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "settings.json"
        path.write_bytes(data)
        loaded, warnings = load_settings(path)
    assert isinstance(loaded, Settings)
    for warning in warnings:
        assert warning.startswith(str(path))
        assert "\n" not in warning
        assert "Traceback" not in warning
    # Whatever was kept is in range and saves as strict JSON again.
    assert 0 <= loaded.volume <= 1
    assert all(0 < v <= 3600 for v in loaded.levels.values())
    json.dumps(settings_to_dict(loaded), allow_nan=False)


@pytest.mark.parametrize("old", ["key", "full"])
def test_the_verbosity_of_earlier_versions_becomes_coach(old: str) -> None:
    settings, warnings = settings_from_dict({"verbosity": old})
    assert settings.verbosity is Verbosity.COACH
    assert warnings == []
