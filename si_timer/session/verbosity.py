"""How much the session says: its own small module, so the settings (read at every
start) name it without loading the cue script's code."""

from __future__ import annotations

from enum import StrEnum


class Verbosity(StrEnum):
    OFF = "off"  # sounds only
    MINIMAL = "minimal"  # side, phase words and counts only
    COACH = "coach"  # also name, position, hold length, halfway, "10 seconds left"
    TEACH = "teach"  # also the steps, the hold tips and the tempo, for the first times
    # Names of earlier versions (their stored values are migrated by the settings loader).
    KEY = "coach"
    FULL = "coach"


# Stored values of earlier versions, and what they mean now.
LEGACY_VERBOSITY = {"key": Verbosity.COACH, "full": Verbosity.COACH}
