"""Progression: "too easy" makes an exercise a little harder next time, "too hard" easier.

Each exercise moves one small step at a time inside the guide's ranges (holds
up to the progression target where the guide gives one), and never past
either end: first the hold, then the reps, then the rest between sets, which
starts at the easier (longer) end.  "Too hard" walks the same path back.
Fixed doses stay as the guide gives them.  The result is the person's levels,
an input to the plan, saved in their settings.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping

from si_timer.history.model import Difficulty
from si_timer.library.model import Exercise, Range
from si_timer.records import record, replace
from si_timer.session.plan import Level

HOLD_STEP = 0.2  # a hold grows by a fifth (at least 1 s): 5, 6, 8, 10, 12, 15 ... 30 s
REPS_STEPS = 3  # a rep range is climbed in about three steps: 15, 17, 19, 20
REST_STEPS = 2  # a rest range in two: 90, 75, 60 s


class Part(enum.Enum):
    HOLD = "hold"
    REPS = "reps"
    REST = "rest"


@record(frozen=True)
class Resolved:
    """Where an exercise stands: each ranged part's value now, and its range."""

    hold: tuple[float, Range] | None
    reps: tuple[float, Range] | None
    rest: tuple[float, Range] | None


def resolve(exercise: Exercise, level: Level | None) -> Resolved:
    """The values the plan uses for ``level`` (None or unset parts: the starting ones)."""
    level = level or Level()
    dose = exercise.dose

    def part(limit: Range | None, chosen: float | None, start: float) -> tuple[float, Range] | None:
        if limit is None or limit.is_single:
            return None
        return limit.clamp(chosen if chosen is not None else start), limit

    hold_limit, reps_limit, rest = dose.hold_limit(), dose.reps_limit(), dose.rest
    rest_range = rest if dose.sets > 1 else None
    return Resolved(
        hold=part(hold_limit, level.hold, hold_limit.min if hold_limit else 0.0),
        reps=part(reps_limit, level.reps, reps_limit.min if reps_limit else 0.0),
        rest=part(rest_range, level.rest, rest.max if rest else 0.0),
    )


def adjustable(exercise: Exercise) -> bool:
    """Some part of the dose has a range to move in."""
    now = resolve(exercise, None)
    return any(p is not None for p in (now.hold, now.reps, now.rest))


def _next(part: Part, value: float, limit: Range, harder: bool) -> float:
    if part is Part.HOLD:
        if harder:
            return limit.clamp(value + max(1.0, math.ceil(value * HOLD_STEP)))
        # About the step that led here: 8 -> 6, 15 -> 12 s.
        return limit.clamp(value - max(1.0, math.ceil(value * HOLD_STEP / (1 + HOLD_STEP))))
    width = limit.max - limit.min
    if part is Part.REPS:
        step = max(1.0, math.ceil(width / REPS_STEPS))
        return limit.clamp(value + step if harder else value - step)
    step = max(5.0, math.ceil(width / REST_STEPS))
    return limit.clamp(value - step if harder else value + step)  # harder: a shorter rest


def step_level(exercise: Exercise, level: Level | None, difficulty: Difficulty) -> Level | None:
    """One step harder (too easy) or easier (too hard); None when there is nowhere to go."""
    if difficulty is Difficulty.ABOUT_RIGHT:
        return None
    harder = difficulty is Difficulty.TOO_EASY
    now = resolve(exercise, level)
    order = [(Part.HOLD, now.hold), (Part.REPS, now.reps), (Part.REST, now.rest)]
    if not harder:
        order.reverse()
    base = level or Level()
    for part, current in order:
        if current is None:
            continue
        value, limit = current
        target = _next(part, value, limit, harder)
        if target == value:
            continue
        if part is Part.HOLD:
            return replace(base, hold=target)
        if part is Part.REPS:
            return replace(base, reps=int(target))
        return replace(base, rest=target)
    return None


def change_text(exercise: Exercise, before: Level | None, after: Level) -> str:
    """``"Glute bridge: 6 s holds (were 5 s)"``."""
    old, new = resolve(exercise, before), resolve(exercise, after)
    for label, unit, a, b in (
        ("holds", "s", old.hold, new.hold),
        ("reps", "", old.reps, new.reps),
        ("rest", "s", old.rest, new.rest),
    ):
        if a is not None and b is not None and a[0] != b[0]:
            if unit:
                return f"{exercise.name}: {b[0]:g} s {label} (were {a[0]:g} s)"
            return f"{exercise.name}: {b[0]:g} {label} (were {a[0]:g})"
    return exercise.name


def adjust_exercise_levels(
    levels: Mapping[str, Level],
    ratings: Mapping[str, Difficulty],
    exercises: Mapping[str, Exercise],
) -> tuple[dict[str, Level], list[str]]:
    """New levels after each exercise was rated, and one sentence per change."""
    new = dict(levels)
    changes: list[str] = []
    for exercise_id, difficulty in ratings.items():
        exercise = exercises.get(exercise_id)
        if exercise is None:
            continue
        stepped = step_level(exercise, levels.get(exercise_id), difficulty)
        if stepped is None:
            continue
        new[exercise_id] = stepped
        changes.append(change_text(exercise, levels.get(exercise_id), stepped))
    return new, changes


def adjust_levels(
    levels: Mapping[str, Level],
    exercise_ids: Iterable[str],
    exercises: Mapping[str, Exercise],
    difficulty: Difficulty,
) -> tuple[dict[str, Level], list[str]]:
    """The session-wide shortcut: every exercise rated ``difficulty``."""
    ratings = dict.fromkeys(dict.fromkeys(exercise_ids), difficulty)
    return adjust_exercise_levels(levels, ratings, exercises)


def progress_text(exercise: Exercise, level: Level | None) -> str | None:
    """What the player shows where a progression applies: ``"today 5 s · building to
    15-30 s"`` or ``"today 15 reps · building to 20"``; None for a fixed dose."""
    now = resolve(exercise, level)
    dose = exercise.dose
    parts = []
    if now.hold is not None:
        value, limit = now.hold
        target: Range | float = limit.max
        if dose.progression is not None and dose.progression.hold is not None:
            target = dose.progression.hold
        if value < limit.max:
            parts.append(f"today {value:g} s · building to {_range(target)} s")
    if now.reps is not None:
        value, limit = now.reps
        if value < limit.max:
            parts.append(f"today {value:g} reps · building to {limit.max:g}")
    return " · ".join(parts) or None


def _range(value: Range | float) -> str:
    return str(value) if isinstance(value, Range) else f"{value:g}"
