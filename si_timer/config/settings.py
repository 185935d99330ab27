"""The person's settings: one typed dataclass, saved as a small readable JSON file.

Unknown keys and broken values fall back to their defaults with a warning
each; the valid rest is kept.  A broken file never stops the app.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from si_timer.config.paths import FILE_MODE
from si_timer.session.cues import Verbosity


class Theme(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"
    HIGH_CONTRAST = "high-contrast"


@dataclass(frozen=True)
class Settings:
    voice: bool = True
    verbosity: Verbosity = Verbosity.KEY
    sounds: bool = True
    volume: float = 0.8  # 0..1, sounds and voice
    lead_in: int | None = None  # seconds; None: each routine's own
    switch: int | None = None
    rest_between: int | None = None
    first_lead_in: int = 15  # seconds at least to get from the keyboard into the first position
    change_lead_in: int = 20  # seconds at least to get there after a change of position
    start_wait: int = 20  # seconds a session started from the command line waits to start
    theme: Theme = Theme.SYSTEM
    start_fullscreen: bool = False
    ten_seconds_left: bool = True
    safety_acknowledged: bool = False
    speech_engine: str = ""  # empty: the platform's default
    favourite_routine: str = ""  # empty: the routine done most, else the morning stretches
    levels: dict[str, float] = field(default_factory=dict)  # exercise id -> chosen hold seconds


_LIMITS: dict[str, tuple[float, float]] = {
    "volume": (0.0, 1.0),
    "lead_in": (0, 60),
    "switch": (0, 60),
    "rest_between": (0, 600),
    "first_lead_in": (0, 120),
    "change_lead_in": (0, 120),
    "start_wait": (0, 300),
}


def _coerce(name: str, kind: Any, raw: Any) -> Any:
    """The value for field ``name``, or raise ValueError with a reason."""
    if name == "levels":
        if not isinstance(raw, dict) or not all(
            isinstance(k, str) and isinstance(v, int | float) and not isinstance(v, bool) and v > 0
            for k, v in raw.items()
        ):
            raise ValueError("must map exercise ids to seconds")
        return {k: float(v) for k, v in raw.items()}
    if kind in ("bool",):
        if not isinstance(raw, bool):
            raise ValueError("must be true or false")
        return raw
    if kind in ("str",):
        if not isinstance(raw, str):
            raise ValueError("must be text")
        return raw
    if kind in ("Verbosity", "Theme"):
        enum = Verbosity if kind == "Verbosity" else Theme
        try:
            return enum(raw)
        except ValueError:
            choices = ", ".join(m.value for m in enum)
            raise ValueError(f"must be one of {choices}") from None
    if kind in ("float", "int", "int | None"):
        if raw is None and kind == "int | None":
            return None
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise ValueError("must be a number")
        low, high = _LIMITS[name]
        if not low <= raw <= high:
            raise ValueError(f"must be between {low:g} and {high:g}")
        return float(raw) if kind == "float" else int(raw)
    raise TypeError(f"no rule for settings field {name}: {kind}")  # a bug, not a bad file


def settings_from_dict(data: Any) -> tuple[Settings, list[str]]:
    """Settings from parsed JSON, plus one warning per value that was ignored."""
    if not isinstance(data, dict):
        return Settings(), ["the settings file does not hold a JSON object; using defaults"]
    warnings: list[str] = []
    values: dict[str, Any] = {}
    fields = {f.name: f for f in dataclasses.fields(Settings)}
    for key, raw in data.items():
        spec = fields.get(key)
        if spec is None:
            warnings.append(f"unknown setting '{key}' ignored")
            continue
        try:
            values[key] = _coerce(key, str(spec.type), raw)
        except ValueError as exc:
            warnings.append(f"setting '{key}' {exc}; using the default")
    return Settings(**values), warnings


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    out = dataclasses.asdict(settings)
    for key, value in out.items():
        if isinstance(value, StrEnum):
            out[key] = value.value
    return out


def load_settings(path: Path) -> tuple[Settings, list[str]]:
    """Read ``path``; a missing file is the defaults, a broken one is defaults plus warnings."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings(), []
    except (OSError, UnicodeDecodeError) as exc:
        return Settings(), [f"{path}: cannot be read ({exc}); using default settings"]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return Settings(), [
            f"{path}:{exc.lineno}: not valid JSON ({exc.msg}); using default settings"
        ]
    settings, warnings = settings_from_dict(data)
    return settings, [f"{path}: {w}" for w in warnings]


def save_settings(path: Path, settings: Settings) -> None:
    """Write atomically (a crash mid-write leaves the old file), owner-only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(settings_to_dict(settings), indent=2, sort_keys=True) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if os.name == "posix":
            os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
