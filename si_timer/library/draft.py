"""A routine being edited: its changes, their limits, undo and redo, and what it adds up to.

The editor page holds one :class:`RoutineDraft` and shows its :attr:`routine`;
every change goes through a method that checks it the way the loader checks a
file (:mod:`si_timer.library.limits`), so whatever the draft holds can be
saved and loads back.  The draft is plain immutable values: each change makes
a new :class:`~si_timer.library.model.Routine`, and undo is the one before.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any

from si_timer.config.settings import Settings
from si_timer.library.catalog import planned_steps
from si_timer.library.limits import MAX_PAUSE, EntryLimits, entry_limits, entry_problems
from si_timer.library.loader import MAX_SEGMENTS
from si_timer.library.model import Exercise, Routine, RoutineEntry, change_seconds
from si_timer.records import record, replace
from si_timer.session.options import plan_for
from si_timer.session.plan import EntryDose, entry_dose

__all__ = ["DraftSummary", "EntryDose", "EntryLimits", "RoutineDraft"]

MAX_UNDO = 200  # steps kept; an editing session rarely goes near it
MAX_TIMES_PER_DAY = 12  # as the loader allows
_TEXT_DETAILS = ("name", "description", "before_you_start", "after_you_finish")
_PAUSE_DETAILS = ("rest_between", "lead_in", "switch")
DETAILS = (*_TEXT_DETAILS, "times_per_day", *_PAUSE_DETAILS)


@record(frozen=True)
class DraftSummary:
    """What the routine adds up to, for the line under the editor's list.

    ``total_seconds``: the session's length as the person will run it (the plan
    the app builds, with their settings). ``position_changes``: how often the
    body changes position between exercises (getting up off the floor, rolling
    over). ``problems``: what stops it from being saved, in a person's words;
    empty when it can be.
    """

    total_seconds: float
    exercises: int
    equipment: tuple[str, ...]
    position_changes: int
    prescribed: int  # entries whose dose a professional gave
    problems: tuple[str, ...]


@record(frozen=True)
class _Step:
    """One state left behind by an edit, and what kind of edit left it (for merging)."""

    routine: Routine
    key: object


class RoutineDraft:
    """One routine under edit, with undo and redo.

    Changes that break the rules raise ValueError with a message a person can
    read ("hold: 31 s is outside Hip adductor stretch's range (5-30 s)") and
    change nothing; an index out of range is a bug and raises IndexError.
    ``settings`` are the person's, so the summary's total matches the session.
    ``saved=False`` for a routine that is not in a file yet (it starts dirty).
    """

    def __init__(
        self,
        routine: Routine,
        exercises: Mapping[str, Exercise],
        *,
        settings: Settings | None = None,
        saved: bool = True,
    ) -> None:
        self._exercises = exercises
        self._settings = settings or Settings()
        self._routine = routine
        self._saved: Routine | None = routine if saved else None
        self._undo: list[_Step] = []
        self._redo: list[Routine] = []
        self._merge_key: object = None  # the last edit's, while it may still merge
        self._summary: DraftSummary | None = None

    # --- state ---------------------------------------------------------------

    @property
    def routine(self) -> Routine:
        return self._routine

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def dirty(self) -> bool:
        """The routine differs from what was last saved (or was never saved)."""
        return self._saved is None or self._routine != self._saved

    def mark_saved(self, routine: Routine | None = None) -> None:
        """The current routine is in its file now (``routine``: as saved, with its
        new origin; it must equal the current one)."""
        if routine is not None:
            if routine != self._routine:
                raise ValueError("the saved routine is not the one being edited")
            self._routine = routine
        self._saved = self._routine
        self._merge_key = None

    def limits(self, index: int, *, prescribed: bool | None = None) -> EntryLimits:
        """What entry ``index`` may choose; ``prescribed`` asks for the limits with the
        flag on or off (None: as the entry has it now)."""
        entry = self._routine.entries[index]
        flag = entry.prescribed if prescribed is None else prescribed
        return entry_limits(self._exercise(entry.exercise), prescribed=flag)

    def dose(self, index: int) -> EntryDose:
        """What entry ``index`` will do in the session, its unset choices filled in as the
        plan fills them (the person's levels, else the guide's easier end)."""
        entry = self._routine.entries[index]
        exercise = self._exercise(entry.exercise)
        return entry_dose(entry, exercise, self._settings.levels.get(entry.exercise))

    # --- changes ---------------------------------------------------------------

    def add(self, exercise_id: str, index: int | None = None) -> int:
        """Add ``exercise_id`` with its own dose at ``index`` (None: at the end); returns
        where it went."""
        self._exercise(exercise_id)
        entries = list(self._routine.entries)
        where = len(entries) if index is None else index
        if not 0 <= where <= len(entries):
            raise IndexError(f"no place {index} in a routine of {len(entries)}")
        entries.insert(where, RoutineEntry(exercise_id))
        self._change(entries=tuple(entries))
        return where

    def remove(self, index: int) -> RoutineEntry:
        """Take entry ``index`` out; returns it."""
        entries = list(self._routine.entries)
        removed = entries.pop(index)
        self._change(entries=tuple(entries))
        return removed

    def move(self, index: int, to: int) -> None:
        """Move entry ``index`` so that it ends up at ``to``."""
        entries = list(self._routine.entries)
        if not 0 <= to < len(entries):
            raise IndexError(f"no place {to} in a routine of {len(entries)}")
        entries.insert(to, entries.pop(index))
        self._change(entries=tuple(entries))

    def set_entry(self, index: int, entry: RoutineEntry, *, merge: bool = False) -> None:
        """Replace entry ``index``.  ``merge``: fold into the last change when that was
        also to this entry (a spin box's every step is one undo)."""
        entries = list(self._routine.entries)
        entries[index]  # an IndexError comes before any other check
        for key, message in entry_problems(entry, self._exercise(entry.exercise)):
            raise ValueError(f"{key}: {message}" if key else message)
        entries[index] = entry
        self._change(("entry", index) if merge else None, entries=tuple(entries))

    def set_details(self, *, merge: bool = False, **changes: Any) -> None:
        """Change the routine's own fields: name, description, before_you_start,
        after_you_finish (text; trimmed), times_per_day (None or 1-12), and
        rest_between, lead_in, switch (seconds, 0-600).  ``merge``: fold into the
        last change when it changed the same fields."""
        unknown = set(changes) - set(DETAILS)
        if unknown:
            raise TypeError(f"not a detail of a routine: {', '.join(sorted(unknown))}")
        checked = {key: _checked_detail(key, value) for key, value in changes.items()}
        self._change(("details", frozenset(checked)) if merge else None, **checked)

    def undo(self) -> bool:
        """Go back one change; False when there is none."""
        if not self._undo:
            return False
        self._redo.append(self._routine)
        self._set(self._undo.pop().routine)
        return True

    def redo(self) -> bool:
        """Make the last undone change again; False when there is none."""
        if not self._redo:
            return False
        self._undo.append(_Step(self._routine, None))
        self._set(self._redo.pop())
        return True

    # --- what it adds up to ----------------------------------------------------

    def summary(self) -> DraftSummary:
        """Length, equipment and changes of position, as the app will plan the session."""
        if self._summary is None:
            self._summary = self._summarise()
        return self._summary

    def _summarise(self) -> DraftSummary:
        routine = self._routine
        known = [e for e in routine.entries if e.exercise in self._exercises]
        total = 0.0
        if known:
            runnable = replace(routine, entries=tuple(known))
            total = plan_for(runnable, self._exercises, self._settings).total_seconds
        postures = [self._exercises[e.exercise].posture for e in known]
        changes = sum(change_seconds(a, b) > 0 for a, b in itertools.pairwise(postures))
        return DraftSummary(
            total_seconds=total,
            exercises=len(routine.entries),
            equipment=routine.equipment(self._exercises),
            position_changes=changes,
            prescribed=sum(e.prescribed for e in routine.entries),
            problems=tuple(self._problems()),
        )

    def _problems(self) -> list[str]:
        problems: list[str] = []
        if not self._routine.entries:
            problems.append("Add at least one exercise.")
        missing = sorted({e.exercise for e in self._routine.entries} - set(self._exercises))
        if missing:
            problems.append(f"Not in the library any more: {', '.join(missing)}.")
        return problems

    # --- inside ------------------------------------------------------------------

    def _exercise(self, exercise_id: str) -> Exercise:
        exercise = self._exercises.get(exercise_id)
        if exercise is None:
            raise ValueError(f"unknown exercise '{exercise_id}'")
        return exercise

    def _change(self, merge_key: object = None, **fields: Any) -> None:
        new = replace(self._routine, **fields)
        if new == self._routine:
            return
        steps = sum(
            planned_steps(e, self._exercises[e.exercise])
            for e in new.entries
            if e.exercise in self._exercises
        )
        if steps > MAX_SEGMENTS:
            raise ValueError(
                f"that makes about {steps:,} steps; a routine may have at most {MAX_SEGMENTS:,}"
            )
        merging = merge_key is not None and merge_key == self._merge_key and bool(self._undo)
        if not merging:
            self._undo.append(_Step(self._routine, merge_key))
            del self._undo[:-MAX_UNDO]
        self._redo.clear()
        self._routine = new
        self._merge_key = merge_key
        self._summary = None

    def _set(self, routine: Routine) -> None:
        self._routine = routine
        self._merge_key = None
        self._summary = None


def _checked_detail(key: str, value: Any) -> Any:
    """``value`` for routine field ``key`` as the loader would read it, or ValueError."""
    if key in _TEXT_DETAILS:
        if not isinstance(value, str):
            raise ValueError(f"{key}: must be text")
        text = value.strip()
        if key == "name" and not text:
            raise ValueError("name: a routine needs a name")
        return text
    if key == "times_per_day":
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("times_per_day: must be a whole number")
        if not 1 <= value <= MAX_TIMES_PER_DAY:
            raise ValueError(f"times_per_day: must be 1 to {MAX_TIMES_PER_DAY}, not {value}")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{key}: must be a number of seconds")
    if not 0 <= value <= MAX_PAUSE:
        raise ValueError(f"{key}: must be 0 to {MAX_PAUSE:g} seconds, not {value:g}")
    return float(value)
