"""The person's settings: one typed record, saved as a small readable JSON file.

Unknown keys and broken values fall back to their defaults with a warning
each; the valid rest is kept.  A broken file never stops the app.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from si_timer.config.files import FileProblem, parse_json, read_limited, write_private
from si_timer.records import asdict, field, fields, record
from si_timer.session.verbosity import LEGACY_VERBOSITY, Verbosity

if TYPE_CHECKING:
    # Loaded when a file holds levels or reminders: the plan brings the library's
    # model, and a start to home needs neither.
    from si_timer.session.plan import Level
    from si_timer.session.reminders import ReminderSlot

log = logging.getLogger("si_timer")


class Theme(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"
    HIGH_CONTRAST = "high-contrast"


@record(frozen=True)
class Settings:
    voice: bool = True
    verbosity: Verbosity = Verbosity.COACH  # new exercises are taught (see cues)
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
    # Exercise id -> the chosen hold, reps and rest (see session/progression.py).
    levels: dict[str, Level] = field(default_factory=dict)
    reminders_on: bool = False
    reminders: tuple[ReminderSlot, ...] = ()  # empty: the routine's times per day
    start_at_login: bool = False  # an XDG autostart entry runs `si-timer --background`
    run_in_background: bool = False  # closing the window keeps reminders running
    background_explained: bool = False  # "reminders keep running" was said once
    menu_entry_offered: bool = False  # the one-time offer to add the app to the menu


MAX_LEVELS = 1000  # exercises with a chosen hold
MAX_LEVEL_SECONDS = 3600
MAX_TEXT = 200
MAX_REMINDERS = 48  # reminder slots; a few a day is the point

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
        if (
            not isinstance(raw, dict)
            or len(raw) > MAX_LEVELS
            or not all(isinstance(k, str) and len(k) <= MAX_TEXT for k in raw)
        ):
            raise ValueError(f"must map at most {MAX_LEVELS} exercise ids to levels")
        return {k: _level(v) for k, v in raw.items()}
    if name == "reminders":
        if not isinstance(raw, list) or len(raw) > MAX_REMINDERS:
            raise ValueError(f"must be a list of at most {MAX_REMINDERS} reminders")
        from si_timer.session.reminders import ReminderError, ReminderSlot

        try:
            slots = tuple(ReminderSlot.from_dict(item) for item in raw)
        except ReminderError as exc:
            raise ValueError(f"has a problem: {exc}") from None
        if any(len(slot.routine) > MAX_TEXT for slot in slots):
            raise ValueError(f"has a routine id longer than {MAX_TEXT} characters")
        return slots
    if kind in ("bool",):
        if not isinstance(raw, bool):
            raise ValueError("must be true or false")
        return raw
    if kind in ("str",):
        if not isinstance(raw, str) or len(raw) > MAX_TEXT:
            raise ValueError(f"must be text of at most {MAX_TEXT} characters")
        return raw
    if kind in ("Verbosity", "Theme"):
        enum = Verbosity if kind == "Verbosity" else Theme
        if enum is Verbosity and isinstance(raw, str) and raw in LEGACY_VERBOSITY:
            return LEGACY_VERBOSITY[raw]  # "key" and "full" of earlier versions
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
        if not (math.isfinite(raw) and low <= raw <= high):
            raise ValueError(f"must be between {low:g} and {high:g}")
        return float(raw) if kind == "float" else int(raw)
    raise TypeError(f"no rule for settings field {name}: {kind}")  # a bug, not a bad file


def _positive(value: Any) -> bool:
    """A finite number above 0 and at most an hour (of hold or rest, or reps)."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and 0 < value <= MAX_LEVEL_SECONDS
    )


def _level(raw: Any) -> Level:
    """``{"hold": 8, "reps": 17, "rest": 75}`` (any part may be left out), or a plain
    number of seconds: the hold, as settings before rep and rest levels stored it."""
    from si_timer.session.plan import Level

    if _positive(raw):
        return Level(hold=float(raw))
    if not isinstance(raw, dict) or not raw or not set(raw) <= {"hold", "reps", "rest"}:
        raise ValueError("must map exercise ids to {hold, reps, rest}")
    if not all(v is None or _positive(v) for v in raw.values()):
        raise ValueError("levels must be positive numbers")
    if raw.get("reps") is not None and not float(raw["reps"]).is_integer():
        raise ValueError("reps must be whole numbers")
    hold, reps, rest = raw.get("hold"), raw.get("reps"), raw.get("rest")
    return Level(
        hold=None if hold is None else float(hold),
        reps=None if reps is None else int(reps),
        rest=None if rest is None else float(rest),
    )


def settings_from_dict(data: Any) -> tuple[Settings, list[str]]:
    """Settings from parsed JSON, plus one warning per value that was ignored."""
    if not isinstance(data, dict):
        return Settings(), ["the settings file does not hold a JSON object; using defaults"]
    warnings: list[str] = []
    values: dict[str, Any] = {}
    specs = {f.name: f for f in fields(Settings)}
    for key, raw in data.items():
        spec = specs.get(key)
        if spec is None:
            warnings.append(f"unknown setting '{_shown(key)}' ignored")
            continue
        try:
            values[key] = _coerce(key, str(spec.type), raw)
        except ValueError as exc:
            warnings.append(f"setting '{key}' {exc}; using the default")
    return Settings(**values), warnings


def _shown(key: str) -> str:
    """A key as one short line: control characters escaped, a long one cut."""
    text = json.dumps(key)[1:-1]
    return text if len(text) <= 40 else text[:40] + "…"


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    out = asdict(settings)
    for key, value in out.items():
        if isinstance(value, StrEnum):
            out[key] = value.value
    out["reminders"] = [slot.to_dict() for slot in settings.reminders]
    out["levels"] = {
        ex: {k: v for k, v in asdict(level).items() if v is not None}
        for ex, level in settings.levels.items()
    }
    return out


# A settings file is a few hundred bytes; anything near this is not ours.
MAX_SETTINGS_BYTES = 256 * 1024


def load_settings(path: Path) -> tuple[Settings, list[str]]:
    """Read ``path``; a missing file is the defaults, a broken one is defaults plus warnings."""
    try:
        data = parse_json(read_limited(path, MAX_SETTINGS_BYTES), max_depth=8)
    except FileNotFoundError:
        return Settings(), []
    except FileProblem as problem:
        where = f"{path}:{problem.line}" if problem.line else str(path)
        return Settings(), [f"{where}: {problem.reason}; using default settings"]
    settings, warnings = settings_from_dict(data)
    return settings, [f"{path}: {w}" for w in warnings]


def save_settings(path: Path, settings: Settings) -> None:
    """Write atomically (a crash mid-write leaves the old file), owner-only; a
    symlinked settings file (kept with dotfiles) is written through."""
    text = json.dumps(settings_to_dict(settings), indent=2, sort_keys=True) + "\n"
    write_private(path, text)


class SettingsFile:
    """The person's settings file: read once, then saved whole on every change.

    A file with problems is copied aside (owner-only, with a time stamp) before
    the first save replaces it: one typo must not silently cost everything
    else in it.  ``now`` is a parameter for tests.
    """

    def __init__(self, path: Path, *, now: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self.path = path
        self._now = now
        self._keep_aside = False

    def load(self) -> tuple[Settings, list[str]]:
        settings, warnings = load_settings(self.path)
        self._keep_aside = bool(warnings) and self.path.is_file()
        return settings, warnings

    def save(self, settings: Settings) -> None:
        """Raises OSError when the file cannot be written."""
        if self._keep_aside:
            self._keep_aside = False
            self._copy_aside()
        save_settings(self.path, settings)

    def _copy_aside(self) -> None:
        kept = self.path.with_name(f"{self.path.name}.broken-{self._now():%Y%m%dT%H%M%SZ}")
        # Read with the cap and written owner-only: it may be a pipe or a device.
        try:
            write_private(kept, read_limited(self.path, MAX_SETTINGS_BYTES))
        except (FileProblem, OSError) as error:
            log.warning("your settings file had problems and cannot be kept aside: %s", error)
            return
        log.warning("your settings file had problems; it is kept as %s", kept)
