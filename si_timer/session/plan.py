"""Expands a routine into the ordered segments a session runs.

A segment is one stretch of the session with a single instruction: get into
position, hold, one phase of a paced rep (or a move between positions), a
self-paced set that waits for "done", a rest, a side switch, or the pause
between exercises, which is longer when the body changes position.  Every choice
inside a range takes the easier end (the shorter hold, fewer reps, the longer
rest) unless the person's chosen :class:`Level`
says otherwise; levels are an input here, never a global.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from si_timer.library.model import (
    DoseMode,
    Exercise,
    Posture,
    Range,
    Routine,
    RoutineEntry,
    Side,
    change_seconds,
)
from si_timer.records import field, record

# Seconds a self-paced rep is guessed to take when the exercise gives no pace.
SELF_PACED_REP_ESTIMATE = 3.0
# Self-paced reps never wait for a key.  Counted at the exercise's pace, the set ends
# this long after the last count; paced by the person, "carry on, or press Done" comes
# this long after the expected time, and the set ends a grace period later.
COUNT_MARGIN = 2.0
CARRY_ON_MARGIN = 10.0
CARRY_ON_GRACE = 15.0

# The phase of the short rest between repeated holds of one set, as stored in
# plan snapshots (so it never changes); a rest between sets has no phase.
RELAX_PHASE = "Relax"


class SegmentKind(StrEnum):
    LEAD_IN = "lead_in"  # get into position for the next exercise
    HOLD = "hold"  # a timed hold
    PHASE = "phase"  # one timed phase of a paced rep
    MANUAL = "manual"  # self-paced reps: waits for "done"
    REST = "rest"  # between sets, or a short relax between repeated holds
    SWITCH = "switch"  # change sides
    TRANSITION = "transition"  # rest between exercises

    @property
    def is_work(self) -> bool:
        """The segments that count as exercise done (history counts these)."""
        return self in (SegmentKind.HOLD, SegmentKind.PHASE, SegmentKind.MANUAL)

    @property
    def is_getting_there(self) -> bool:
        """Time to get into position, which a person who is ready may cut short."""
        return self in (SegmentKind.LEAD_IN, SegmentKind.TRANSITION)


@record(frozen=True)
class Segment:
    index: int
    kind: SegmentKind
    exercise_id: str
    exercise_name: str
    side: Side
    seconds: float | None  # None: self-paced, ends on "done"
    start: float  # planned offset from the session's start, in seconds
    set: int | None = None
    sets: int = 1
    rep: int | None = None
    reps: int | None = None
    phase: str | None = None  # the tempo phase name, or RELAX_PHASE
    estimate: float = 0.0  # planned length; equals seconds when timed
    posture: Posture | None = None  # where the body is (for a transition: where it goes)
    side_note: str | None = None  # what this side means ("left ankle over the right knee")
    move: bool = False  # a phase spent moving into position, not holding or counting
    change: bool = False  # a transition in which the body changes position
    pace: float | None = None  # self-paced reps counted aloud: seconds per rep
    prescribed: bool = False  # the routine's dose for this exercise was prescribed to the person

    @property
    def is_relax(self) -> bool:
        """The short relax between two holds, not a rest between sets."""
        return self.kind is SegmentKind.REST and self.phase == RELAX_PHASE

    @property
    def timed(self) -> bool:
        return self.seconds is not None

    @property
    def is_work(self) -> bool:
        """Exercise done: holds, counted phases and self-paced reps, not the moves between."""
        return self.kind.is_work and not self.move

    @property
    def end(self) -> float:
        return self.start + self.estimate

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "kind": self.kind.value,
            "exercise": self.exercise_id,
            "name": self.exercise_name,
            "side": self.side.value,
            "set": self.set,
            "sets": self.sets,
            "rep": self.rep,
            "reps": self.reps,
            "phase": self.phase,
            "seconds": _num(self.seconds),
            "estimate": _num(self.estimate),
            "start": _num(self.start),
            "posture": self.posture.value if self.posture else None,
            "side_note": self.side_note,
            "move": self.move,
            "change": self.change,
            "pace": _num(self.pace),
            "prescribed": self.prescribed,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Segment:
        """Rebuild a segment from :meth:`to_json` (resuming a stored session); keys that
        older versions did not store take their defaults."""
        seconds = data["seconds"]
        posture = data.get("posture")
        return cls(
            index=int(data["index"]),
            kind=SegmentKind(data["kind"]),
            exercise_id=str(data["exercise"]),
            exercise_name=str(data["name"]),
            side=Side(data["side"]),
            seconds=None if seconds is None else float(seconds),
            start=float(data["start"]),
            set=data.get("set"),
            sets=int(data.get("sets") or 1),
            rep=data.get("rep"),
            reps=data.get("reps"),
            phase=data.get("phase"),
            estimate=float(data.get("estimate", seconds or 0.0)),
            posture=None if posture is None else Posture(posture),
            side_note=data.get("side_note"),
            move=bool(data.get("move", False)),
            change=bool(data.get("change", False)),
            pace=None if data.get("pace") is None else float(data["pace"]),
            prescribed=bool(data.get("prescribed", False)),
        )


def _num(value: float | None) -> float | int | None:
    if value is None:
        return None
    rounded = round(float(value), 3)  # settings give ints; int.is_integer() needs 3.12
    return int(rounded) if rounded.is_integer() else rounded


@record(frozen=True)
class Level:
    """A person's chosen dose for one exercise; clamped to what the exercise allows."""

    hold: float | None = None
    reps: int | None = None
    rest: float | None = None  # seconds between sets


@record(frozen=True)
class PlanOptions:
    """Timing choices that come from the person's settings (None: the routine's own)."""

    lead_in: float | None = None
    switch: float | None = None
    rest_between: float | None = None
    levels: Mapping[str, Level] = field(default_factory=dict)
    # Longer lead-ins for some exercises (seconds by exercise id): room to teach them.
    lead_ins: Mapping[str, float] = field(default_factory=dict)
    first_lead_in: float = 0.0  # at least this long to get into the first position
    change_lead_in: float = 0.0  # at least this long after a change of position


@record(frozen=True)
class Plan:
    routine_id: str
    routine_name: str
    segments: tuple[Segment, ...]
    times_per_day: int | None = None
    before_you_start: str = ""  # the routine's note for before the session starts
    after_you_finish: str = ""  # the routine's tip for afterwards

    @property
    def total_seconds(self) -> float:
        return self.segments[-1].end if self.segments else 0.0

    @property
    def exercise_ids(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for seg in self.segments:
            seen.setdefault(seg.exercise_id, None)
        return tuple(seen)

    @property
    def prescribed_ids(self) -> frozenset[str]:
        """The exercises whose dose was prescribed to the person: ratings leave them as
        they are."""
        return frozenset(seg.exercise_id for seg in self.segments if seg.prescribed)

    def to_json(self) -> dict[str, Any]:
        return {
            "routine": self.routine_id,
            "name": self.routine_name,
            "times_per_day": self.times_per_day,
            "before_you_start": self.before_you_start,
            "after_you_finish": self.after_you_finish,
            "total_seconds": _num(self.total_seconds),
            "segments": [seg.to_json() for seg in self.segments],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Plan:
        """Rebuild a plan from :meth:`to_json`; raises KeyError/ValueError on a bad snapshot."""
        return cls(
            routine_id=str(data["routine"]),
            routine_name=str(data.get("name") or data["routine"]),
            segments=tuple(Segment.from_json(seg) for seg in data["segments"]),
            times_per_day=data.get("times_per_day"),
            before_you_start=str(data.get("before_you_start") or ""),
            after_you_finish=str(data.get("after_you_finish") or ""),
        )


class _Builder:
    def __init__(self) -> None:
        self.segments: list[Segment] = []
        self.offset = 0.0
        self.prescribed = False  # the entry being expanded has a prescribed dose

    def add(
        self, kind: SegmentKind, ex: Exercise, side: Side, seconds: float | None, **extra: Any
    ) -> None:
        estimate = seconds if seconds is not None else extra.pop("estimate")
        if seconds is not None and seconds <= 0:
            return
        extra.setdefault("posture", ex.posture)
        extra.setdefault("side_note", ex.side_meanings.of(side))
        extra.setdefault("prescribed", self.prescribed)
        self.segments.append(
            Segment(
                index=len(self.segments),
                kind=kind,
                exercise_id=ex.id,
                exercise_name=ex.name,
                side=side,
                seconds=seconds,
                start=self.offset,
                estimate=estimate,
                **extra,
            )
        )
        self.offset += estimate


def build_plan(
    routine: Routine, exercises: Mapping[str, Exercise], options: PlanOptions | None = None
) -> Plan:
    """The segments of ``routine``; its exercises must all be in ``exercises``."""
    options = options or PlanOptions()
    lead_in = options.lead_in if options.lead_in is not None else routine.lead_in
    switch = options.switch if options.switch is not None else routine.switch
    rest_between = (
        options.rest_between if options.rest_between is not None else routine.rest_between
    )
    b = _Builder()
    previous: Exercise | None = None
    for entry in routine.entries:
        ex = exercises[entry.exercise]
        # An entry's own lead-in replaces the routine's; the person's floors still apply.
        base_lead_in = entry.lead_in if entry.lead_in is not None else lead_in
        this_lead_in = max(base_lead_in, options.first_lead_in)
        b.prescribed = False
        if previous is not None:
            # A change of position takes its own time, however short the rest is set.
            move = change_seconds(previous.posture, ex.posture)
            b.add(SegmentKind.TRANSITION, ex, Side.NONE, max(rest_between, move), change=move > 0)
            this_lead_in = max(base_lead_in, options.change_lead_in) if move > 0 else base_lead_in
        # Teaching an exercise may need longer still.
        this_lead_in = max(this_lead_in, options.lead_ins.get(ex.id, 0.0))
        b.prescribed = entry.prescribed
        _expand(b, ex, entry, options.levels.get(ex.id, Level()), this_lead_in, switch)
        previous = ex
    return Plan(
        routine.id,
        routine.name,
        tuple(b.segments),
        routine.times_per_day,
        before_you_start=routine.before_you_start,
        after_you_finish=routine.after_you_finish,
    )


@record(frozen=True)
class EntryDose:
    """What one routine entry does in a plan, its unset choices filled in: the hold
    (None: not a hold), reps per side per set, sets and the rest between them."""

    hold: float | None
    reps: int
    sets: int
    rest: float


def entry_dose(entry: RoutineEntry, ex: Exercise, level: Level | None = None) -> EntryDose:
    """The dose ``entry`` gets: its own choices, else the person's ``level``, else the
    easier end of the guide's range; clamped to the range unless it was prescribed."""
    level = level or Level()
    dose = ex.dose
    hold = _choose(entry.hold, level.hold, dose.hold_limit())
    reps = int(_choose(entry.reps, level.reps, dose.reps_limit()) or 1)
    # A prescribed dose is done as prescribed: neither the guide's range nor the
    # person's "too easy" steps move it.
    if entry.prescribed and entry.hold is not None and hold is not None:
        hold = entry.hold
    if entry.prescribed and entry.reps is not None:
        reps = entry.reps
    # The rest between sets starts at the easier (longer) end; "too easy" shortens it.
    rest = entry.rest if entry.rest is not None else _rest(level.rest, dose.rest)
    return EntryDose(hold=hold, reps=reps, sets=entry.sets or dose.sets, rest=rest)


def _expand(
    b: _Builder, ex: Exercise, entry: RoutineEntry, level: Level, lead_in: float, switch: float
) -> None:
    dose = ex.dose
    sides = ex.side_order(entry.sides)
    # An exercise's own times are what its body movement needs: never cut shorter,
    # except by an entry that gives its own.
    if entry.lead_in is None:
        lead_in = max(lead_in, ex.lead_in or 0.0)
    switch = entry.switch if entry.switch is not None else max(switch, ex.switch or 0.0)
    relax = dose.relax_seconds
    chosen = entry_dose(entry, ex, level)
    hold, reps, sets, rest = chosen.hold, chosen.reps, chosen.sets, chosen.rest

    b.add(SegmentKind.LEAD_IN, ex, sides[0], lead_in, sets=sets)
    # Each unit of work is (side, rep); alternating exercises swap sides every rep.
    if ex.alternate and len(sides) > 1:
        order = [(side, rep) for rep in range(1, reps + 1) for side in sides]
    else:
        order = [(side, rep) for side in sides for rep in range(1, reps + 1)]
    if dose.mode is DoseMode.SELF_PACED:
        order = [(side, 0) for side in sides]  # one "do N reps" step per side

    for set_no in range(1, sets + 1):
        if set_no > 1 and rest > 0:
            b.add(SegmentKind.REST, ex, sides[0], rest, set=set_no - 1, sets=sets)
        previous_side: Side | None = None
        for side, rep in order:
            if previous_side is not None:
                if side != previous_side:
                    b.add(SegmentKind.SWITCH, ex, side, switch, set=set_no, sets=sets)
                elif dose.mode is not DoseMode.SELF_PACED:
                    b.add(
                        SegmentKind.REST,
                        ex,
                        side,
                        relax,
                        set=set_no,
                        sets=sets,
                        rep=rep - 1,
                        reps=reps,
                        phase=RELAX_PHASE,
                    )
            previous_side = side
            common: dict[str, Any] = {"set": set_no, "sets": sets, "reps": reps}
            if dose.mode is DoseMode.HOLD:
                assert hold is not None
                if dose.move_in is not None:  # e.g. lift the hips, then the count starts
                    move = dose.move_in
                    b.add(
                        SegmentKind.PHASE,
                        ex,
                        side,
                        move.seconds,
                        rep=rep,
                        phase=move.name,
                        move=True,
                        **common,
                    )
                b.add(SegmentKind.HOLD, ex, side, hold, rep=rep, **common)
            elif dose.mode is DoseMode.TEMPO:
                for phase in dose.tempo:
                    b.add(
                        SegmentKind.PHASE,
                        ex,
                        side,
                        phase.seconds,
                        rep=rep,
                        phase=phase.name,
                        move=phase.move,
                        **common,
                    )
            else:
                pace = dose.pace_seconds
                b.add(
                    SegmentKind.MANUAL,
                    ex,
                    side,
                    None,
                    estimate=self_paced_seconds(reps, pace),
                    pace=pace,
                    **common,
                )


def _rest(chosen: float | None, limit: Range | None) -> float:
    if limit is None:
        return 0.0
    return limit.clamp(chosen) if chosen is not None else limit.max


def self_paced_seconds(reps: int, pace: float | None) -> float:
    """How long self-paced reps run before the session moves on by itself: the count and
    a margin, or for reps the person paces, the expected time, a margin and a grace period."""
    if pace is not None:
        return reps * pace + COUNT_MARGIN
    return reps * SELF_PACED_REP_ESTIMATE + CARRY_ON_MARGIN + CARRY_ON_GRACE


def _choose(fixed: float | None, chosen: float | None, limit: Range | None) -> float | None:
    """The person's level (clamped to the range), else the routine's choice, else the low end."""
    if limit is None:
        return None
    if chosen is not None:
        return limit.clamp(chosen)
    if fixed is not None:
        return limit.clamp(fixed)
    return limit.min
