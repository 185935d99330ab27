"""What a stored plan asked of each exercise, in words: ``"3 sets of 8 s hold, rest 1 min"``.

History keeps the plan snapshot each session ran, so a report can say the dose
that was really done (the person's own levels included), not what the library
says today.  Forgiving like :mod:`si_timer.history.plan`: an old or odd snapshot
gives fewer words, never an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from si_timer.history.plan import plan_facts
from si_timer.records import record
from si_timer.words import duration_text

_WORK_KINDS = ("hold", "phase", "manual")
_RELAX = "Relax"  # the short rest between repeated holds (session/plan.py's RELAX_PHASE)
_SIDE_WORDS = {"left": "left", "right": "right", "both": "both together"}


@record(frozen=True)
class ExerciseDose:
    exercise: str
    name: str
    dose: str  # "2 × 20 s hold, each side"


def plan_doses(plan: Mapping[str, Any]) -> tuple[ExerciseDose, ...]:
    """Each exercise of a plan snapshot in the order done, with its dose in words."""
    segments = plan.get("segments")
    if not isinstance(segments, list):
        return ()
    by_exercise: dict[str, list[Mapping[str, Any]]] = {}
    for seg in segments:
        if isinstance(seg, Mapping) and isinstance(seg.get("exercise"), str):
            by_exercise.setdefault(seg["exercise"], []).append(seg)
    names = plan_facts(str(plan.get("routine", "")), plan).exercise_names
    doses = []
    for exercise, segs in by_exercise.items():
        work = [s for s in segs if s.get("kind") in _WORK_KINDS and not s.get("move")]
        if not work:
            continue
        doses.append(ExerciseDose(exercise, names.get(exercise, exercise), dose_text(segs)))
    return tuple(doses)


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _seconds(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value)
    return None


def dose_text(segments: Sequence[Mapping[str, Any]]) -> str:
    """The dose of one exercise from its segments in a plan snapshot."""
    work = [s for s in segments if s.get("kind") in _WORK_KINDS and not s.get("move")]
    if not work:
        return ""
    sets = max((_whole(s.get("sets")) or _whole(s.get("set")) or 1) for s in work)
    kinds = {s.get("kind") for s in work}
    reps = max((_whole(s.get("reps")) or _whole(s.get("rep")) or 1) for s in work)
    if "manual" in kinds:
        core = f"{reps} reps at your own pace"
    elif "hold" in kinds:
        hold = max((_seconds(s.get("seconds")) or 0.0) for s in work if s.get("kind") == "hold")
        core = f"{duration_text(hold)} hold" if hold else "hold"
        if reps > 1:
            core = f"{reps} × {core}"
    else:  # paced reps: the phases of the first rep give its length
        first = work[0]
        rep_key = (first.get("side"), first.get("set"), first.get("rep"))
        one_rep = sum(
            _seconds(s.get("seconds")) or 0.0
            for s in segments
            if s.get("kind") == "phase" and (s.get("side"), s.get("set"), s.get("rep")) == rep_key
        )
        core = f"{reps} reps" + (f" of {duration_text(one_rep)}" if one_rep else "")
    parts = [f"{sets} sets of {core}" if sets > 1 else core]
    sides: list[str] = []
    for s in work:
        side = s.get("side")
        if isinstance(side, str) and side in _SIDE_WORDS and side not in sides:
            sides.append(side)
    if {"left", "right"} <= set(sides) and len(sides) == 2:
        parts.append("each side")
    elif sides and sides != ["both"]:
        parts.append(", ".join(_SIDE_WORDS[s] for s in sides))
    rests = [
        _seconds(s.get("seconds"))
        for s in segments
        if s.get("kind") == "rest" and s.get("phase") != _RELAX and s.get("set") is not None
    ]
    rest = max((r for r in rests if r is not None), default=None)
    if sets > 1 and rest:
        parts.append(f"rest {duration_text(rest)}")
    return ", ".join(parts)
