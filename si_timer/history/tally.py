"""What a session's work adds up to, in the words a person counts in: exercises and reps.

A plan is cut into segments, but nobody does "29 exercise steps": a cat-cow
rep is four phases (two of them moves), a self-paced set is ten reps in one
segment.  This module turns a plan snapshot and the outcome of each segment
into reps and exercises, and says how the session went:

* a work segment counts as done only if it ran long enough (:func:`ran_long_enough`);
* a rep is done when all its counted work is; an exercise when all its reps are;
* a session is **completed** when every exercise was done or stopped because it
  hurt, **partial** when some rep was done, and **empty** (stored as
  "abandoned") when nothing was: an empty session is not listed or counted.

The player's engine and the history database use the same rules, so what the
summary says and what the calendar counts cannot drift apart.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

from si_timer.history.model import Outcome, SessionStatus
from si_timer.records import record

DONE_FRACTION = 0.6  # a timed segment must run this share of its time to count as done
SECONDS_PER_REP = 1.0  # a self-paced set faster than this per rep was not done

_WORK_KINDS = frozenset({"hold", "phase", "manual"})


def ran_long_enough(planned_seconds: float | None, reps: int | None, actual: float) -> bool:
    """A work segment ran most of its time (timed) or a plausible time (self-paced)."""
    if planned_seconds is not None:
        return actual >= DONE_FRACTION * planned_seconds
    return actual >= max(1, reps or 1) * SECONDS_PER_REP


class ExerciseResult(enum.StrEnum):
    DONE = "done"
    PARTLY = "partly"
    SKIPPED = "skipped"
    PAIN = "pain"  # stopped because it hurt
    NOT_REACHED = "not reached"


@record(frozen=True)
class WorkStep:
    """One work segment of a plan: which exercise and rep it belongs to, and how many
    reps it stands for (1, or a self-paced set's count)."""

    index: int
    exercise: str
    name: str
    rep_key: tuple[Any, ...]  # (side, set, rep): the phases of one rep share it
    reps: int


@record(frozen=True)
class ExerciseTally:
    exercise: str
    name: str
    reps_done: int
    reps_total: int
    result: ExerciseResult

    @property
    def done(self) -> bool:
        return self.result is ExerciseResult.DONE


@record(frozen=True)
class SessionTally:
    exercises: tuple[ExerciseTally, ...]

    @property
    def reps_done(self) -> int:
        return sum(e.reps_done for e in self.exercises)

    @property
    def reps_total(self) -> int:
        return sum(e.reps_total for e in self.exercises)

    @property
    def exercises_done(self) -> int:
        return sum(1 for e in self.exercises if e.done)

    @property
    def exercises_total(self) -> int:
        return len(self.exercises)

    @property
    def done_exercises(self) -> frozenset[str]:
        return frozenset(e.exercise for e in self.exercises if e.done)

    @property
    def status(self) -> SessionStatus:
        """How a finished session went (ABANDONED: nothing done, not a session)."""
        if self.reps_done == 0:
            return SessionStatus.ABANDONED
        if all(e.result in (ExerciseResult.DONE, ExerciseResult.PAIN) for e in self.exercises):
            return SessionStatus.COMPLETED
        return SessionStatus.PARTIAL

    def counts_text(self) -> str:
        """``"3 of 5 exercises done · 42 of 60 reps"``."""
        text = f"{self.exercises_done} of {self.exercises_total} exercises done"
        if self.reps_total:
            text += f" · {self.reps_done} of {self.reps_total} reps"
        return text


def work_steps(plan: Mapping[str, Any]) -> list[WorkStep]:
    """The counted work of a plan snapshot (``Plan.to_json()``); moves are not work."""
    segments = plan.get("segments")
    if not isinstance(segments, list):
        return []
    steps = []
    for seg in segments:
        if not isinstance(seg, Mapping) or seg.get("kind") not in _WORK_KINDS:
            continue
        if seg.get("move") or not isinstance(seg.get("index"), int):
            continue
        exercise = seg.get("exercise")
        if not isinstance(exercise, str):
            continue
        name = seg.get("name")
        manual = seg.get("kind") == "manual"
        reps = seg.get("reps")
        count = reps if manual and isinstance(reps, int) and reps > 0 else 1
        index = seg["index"]
        key = (seg.get("side"), seg.get("set"), index if manual else seg.get("rep"))
        steps.append(
            WorkStep(index, exercise, name if isinstance(name, str) else exercise, key, count)
        )
    return steps


def tally(steps: Iterable[WorkStep], outcomes: Mapping[int, str]) -> SessionTally:
    """Reps and exercises from each work segment's outcome (absent: not reached)."""
    reps: dict[str, dict[tuple[Any, ...], list[str | None]]] = {}
    counts: dict[str, dict[tuple[Any, ...], int]] = {}
    names: dict[str, str] = {}
    for step in steps:
        names.setdefault(step.exercise, step.name)
        marks = reps.setdefault(step.exercise, {}).setdefault(step.rep_key, [])
        marks.append(outcomes.get(step.index))
        counts.setdefault(step.exercise, {})[step.rep_key] = step.reps
    result = []
    for exercise, by_rep in reps.items():
        done = sum(
            counts[exercise][key]
            for key, marks in by_rep.items()
            if all(m == Outcome.DONE for m in marks)
        )
        total = sum(counts[exercise].values())
        marks = [m for ms in by_rep.values() for m in ms]
        if Outcome.SKIPPED_PAIN in marks:
            word = ExerciseResult.PAIN
        elif done == total:
            word = ExerciseResult.DONE
        elif done:
            word = ExerciseResult.PARTLY
        elif all(m is None for m in marks):
            word = ExerciseResult.NOT_REACHED
        else:
            word = ExerciseResult.SKIPPED
        result.append(ExerciseTally(exercise, names[exercise], done, total, word))
    return SessionTally(tuple(result))


def plan_tally(plan: Mapping[str, Any], outcomes: Mapping[int, str]) -> SessionTally:
    return tally(work_steps(plan), outcomes)
