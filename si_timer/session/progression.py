"""Progression: "too easy" lengthens the holds a little next time, "too hard" shortens them.

Holds move inside each exercise's range (up to its progression target, where
the guide gives one), one step at a time, and never past either end; fixed
doses stay as the guide gives them.  The result is the person's levels, an
input to the plan, saved in their settings.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from si_timer.history.model import Difficulty
from si_timer.library.model import Exercise

STEPS_PER_RANGE = 4  # a range is climbed in about four sessions rated "too easy"


def adjust_levels(
    levels: Mapping[str, float],
    exercise_ids: Iterable[str],
    exercises: Mapping[str, Exercise],
    difficulty: Difficulty,
) -> tuple[dict[str, float], list[str]]:
    """New hold levels after a session rated ``difficulty``, and one sentence per
    change for the person."""
    new = dict(levels)
    changes: list[str] = []
    direction = {Difficulty.TOO_EASY: 1, Difficulty.TOO_HARD: -1}.get(difficulty, 0)
    if direction == 0:
        return new, changes
    for exercise_id in dict.fromkeys(exercise_ids):
        exercise = exercises.get(exercise_id)
        limit = exercise.dose.hold_limit() if exercise else None
        if exercise is None or limit is None or limit.is_single:
            continue
        current = limit.clamp(levels.get(exercise_id, limit.min))
        step = max(1.0, math.ceil((limit.max - limit.min) / STEPS_PER_RANGE))
        target = limit.clamp(current + direction * step)
        if target == current:
            continue
        new[exercise_id] = target
        verb = "longer" if direction > 0 else "shorter"
        changes.append(f"{exercise.name}: {target:g} s holds ({verb})")
    return new, changes
