"""What a routine may choose for one exercise, and what is wrong with a choice.

The guides' ranges bound a routine's hold, reps and rest, so a routine cannot
talk a person past them; a dose a professional prescribed (``prescribed:
true``) may leave them, inside hard caps that only stop typos.  The loader's
cross-file check (:mod:`si_timer.library.catalog`) and the routine editor
(:mod:`si_timer.library.draft`) both ask here, so they never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from si_timer.library.fields import MAX_COUNT, MAX_SECONDS
from si_timer.library.model import Exercise, Range, RoutineEntry, Sides
from si_timer.records import record

# Hard caps for a prescribed dose: beyond them a number is a typo, whoever gave it.
PRESCRIBED_HOLD = Range(1, 600)  # seconds
PRESCRIBED_REST = Range(1, 600)
PRESCRIBED_COUNT = Range(1, MAX_COUNT)  # reps or sets
MAX_PAUSE = 600.0  # an entry's own lead-in or switch, in seconds
PAUSE = Range(0, MAX_PAUSE)

# The side choices each kind of exercise offers, its own first.  "Both" means both
# sides at once, which an exercise done one side at a time (figure-4) cannot do.
_SIDE_CHOICES: dict[Sides, tuple[Sides, ...]] = {
    Sides.NONE: (),
    Sides.EACH: (Sides.EACH, Sides.LEFT, Sides.RIGHT),
    Sides.LEFT_RIGHT_BOTH: (
        Sides.LEFT_RIGHT_BOTH,
        Sides.EACH,
        Sides.LEFT,
        Sides.RIGHT,
        Sides.BOTH,
    ),
}


@record(frozen=True)
class EntryLimits:
    """The choices a routine may make for one exercise.

    ``hold``, ``reps`` and ``rest``: the range a value must lie in, None where
    the exercise has nothing to choose (no hold; one fixed rep; one set).
    ``sets``: how many sets. ``sides``: the valid side choices, the exercise's
    own first; empty for an exercise not done per side.  ``switch``: whether a
    time to change sides means anything.  ``prescribed``: these are the wider
    limits of a prescribed dose.  ``pause``: the entry's own lead-in and switch.
    """

    hold: Range | None
    reps: Range | None
    rest: Range | None
    sets: Range
    sides: tuple[Sides, ...]
    switch: bool
    prescribed: bool
    pause: Range = PAUSE


def entry_limits(exercise: Exercise, *, prescribed: bool = False) -> EntryLimits:
    """What a routine may choose for ``exercise`` (a prescribed dose: see the module)."""
    dose = exercise.dose
    sides = _SIDE_CHOICES.get(exercise.sides, ())
    switch = exercise.sides is not Sides.NONE
    if prescribed:
        return EntryLimits(
            hold=PRESCRIBED_HOLD if dose.hold is not None else None,
            reps=PRESCRIBED_COUNT,
            rest=PRESCRIBED_REST,
            sets=PRESCRIBED_COUNT,
            sides=sides,
            switch=switch,
            prescribed=True,
        )
    return EntryLimits(
        hold=dose.hold_limit(),
        reps=dose.reps_limit(),
        rest=dose.rest,
        sets=Range(1, MAX_COUNT) if dose.rest is not None else Range(1, 1),
        sides=sides,
        switch=switch,
        prescribed=False,
    )


def entry_problems(entry: RoutineEntry, exercise: Exercise) -> Iterator[tuple[str, str]]:
    """Each problem of ``entry`` as (key, message): ``("hold", "31 s is outside Hip
    adductor stretch's range (5-30 s)")``; the key is "" for the entry as a whole."""
    yield from _value_problems(entry)
    limits = entry_limits(exercise, prescribed=entry.prescribed)
    dose = exercise.dose
    rest_missing = "no rest between sets"
    choices = (
        ("hold", entry.hold, limits.hold, " s", "no hold"),
        ("reps", entry.reps, limits.reps, "", "no reps"),
        ("rest", entry.rest, limits.rest, " s", rest_missing),
    )
    for key, value, limit, unit, missing in choices:
        if value is None or not math.isfinite(value) or value <= 0:
            continue
        if limit is None:
            yield key, f"'{exercise.id}' has {missing}"
        elif not limit.contains(value):
            if entry.prescribed:
                yield (
                    key,
                    f"{value:g}{unit} is too much even as prescribed (at most {limit.max:g}{unit})",
                )
            else:
                yield key, f"{value:g}{unit} is outside {exercise.name}'s range ({limit}{unit})"
    sets = entry.sets
    if sets is not None and sets > 1 and not entry.prescribed and dose.rest is None:
        yield "sets", f"'{exercise.id}' has no rest between sets, so it cannot do more than 1"
    if (
        sets is not None
        and sets > 1
        and entry.prescribed
        and dose.rest is None
        and entry.rest is None
    ):
        yield "rest", f"'{exercise.id}' has no rest between sets: give one for {sets} sets"
    if (
        entry.sides is not None
        and entry.sides is not Sides.NONE
        and entry.sides not in limits.sides
    ):
        if exercise.sides is Sides.NONE:
            yield "sides", f"'{exercise.id}' is not done per side"
        else:
            yield "sides", f"'{exercise.id}' is not done with both sides at once"
    if entry.switch is not None and not limits.switch:
        yield "switch", f"'{exercise.id}' is not done per side"


def _value_problems(entry: RoutineEntry) -> Iterator[tuple[str, str]]:
    """What the file format itself refuses; the loader never builds such an entry, but a
    program can, and a routine written from it would not load back."""
    counts = (("reps", entry.reps), ("sets", entry.sets))
    for key, count in counts:
        if count is None:
            continue
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            yield key, f"must be a whole number more than 0, not {count}"
        elif count > MAX_COUNT:
            yield key, f"{count} is too large (at most {MAX_COUNT})"
    for key, seconds, low in (
        ("hold", entry.hold, "more than 0"),
        ("rest", entry.rest, "more than 0"),
        ("lead_in", entry.lead_in, "0 or more"),
        ("switch", entry.switch, "0 or more"),
    ):
        if seconds is None:
            continue
        top = MAX_SECONDS if key in ("hold", "rest") else MAX_PAUSE
        zero_ok = key in ("lead_in", "switch")
        if not math.isfinite(seconds) or seconds < 0 or (seconds == 0 and not zero_ok):
            yield key, f"must be {low} seconds, not {seconds:g}"
        elif seconds > top:
            yield key, f"{seconds:g} is too large (at most {top:g})"
