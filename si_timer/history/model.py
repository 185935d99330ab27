"""The values history is made of: what a session and a segment were, as frozen data.

Enum values are the words stored in the database and written to exports, so
they never change once released.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta, timezone
from typing import Any

from si_timer.records import field, record


class SessionStatus(enum.StrEnum):
    """How a session ended; ``IN_PROGRESS`` until the player finishes it."""

    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    PARTIAL = "partial"
    ABANDONED = "abandoned"


class Outcome(enum.StrEnum):
    """What happened to one segment of a plan."""

    DONE = "done"
    SKIPPED = "skipped"
    SKIPPED_PAIN = "skipped_pain"


class Difficulty(enum.StrEnum):
    """The person's own verdict on a session."""

    TOO_EASY = "too_easy"
    ABOUT_RIGHT = "about_right"
    TOO_HARD = "too_hard"


class DayMark(enum.StrEnum):
    """A day the person marked themselves; marked days never break a streak."""

    REST = "rest"
    SICK = "sick"


class SegmentKind(enum.StrEnum):
    """The kinds of segment a plan is cut into (the session engine's vocabulary)."""

    LEAD_IN = "lead_in"
    HOLD = "hold"
    PHASE = "phase"
    MANUAL = "manual"
    REST = "rest"
    SWITCH = "switch"
    TRANSITION = "transition"


class Side(enum.StrEnum):
    NONE = "none"
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


# The segments where the person does the exercise; lead-ins, rests, side
# switches and transitions are the time between.  "segments_total" and
# "segments_done" count only these, everywhere.
WORK_KINDS: frozenset[str] = frozenset({SegmentKind.HOLD, SegmentKind.PHASE, SegmentKind.MANUAL})

PAIN_MIN = 0
PAIN_MAX = 10


@record(frozen=True)
class SegmentRecord:
    """One finished segment, as the player reports it the moment it ends."""

    index: int  # position in the plan snapshot
    kind: SegmentKind
    exercise: str | None
    side: Side | None
    set: int | None
    rep: int | None
    planned_seconds: float | None  # None for self-paced segments
    actual_seconds: float
    outcome: Outcome
    ended_at: datetime  # aware

    def __post_init__(self) -> None:
        # The player is our only writer: a wrong value here is a bug, so fail loudly.
        if self.index < 0:
            raise ValueError(f"segment index must be >= 0, got {self.index}")
        if self.actual_seconds < 0:
            raise ValueError(f"actual_seconds must be >= 0, got {self.actual_seconds}")
        if self.planned_seconds is not None and self.planned_seconds < 0:
            raise ValueError(f"planned_seconds must be >= 0, got {self.planned_seconds}")
        require_aware(self.ended_at, "ended_at")
        # Accept plain strings from callers and keep enums inside.
        object.__setattr__(self, "kind", SegmentKind(self.kind))
        object.__setattr__(self, "outcome", Outcome(self.outcome))
        if self.side is not None:
            object.__setattr__(self, "side", Side(self.side))

    @classmethod
    def checked(
        cls,
        index: int,
        kind: SegmentKind,
        exercise: str | None,
        side: Side | None,
        set: int | None,
        rep: int | None,
        planned_seconds: float | None,
        actual_seconds: float,
        outcome: Outcome,
        ended_at: datetime,
    ) -> SegmentRecord:
        """A record of values its caller has checked and typed as :meth:`__post_init__`
        would (an import's reader, for hundreds of thousands of rows): without
        checking them again, a third of the cost of reading a backup."""
        record = object.__new__(cls)
        record.__dict__.update(
            index=index,
            kind=kind,
            exercise=exercise,
            side=side,
            set=set,
            rep=rep,
            planned_seconds=planned_seconds,
            actual_seconds=actual_seconds,
            outcome=outcome,
            ended_at=ended_at,
        )
        return record

    @property
    def is_work(self) -> bool:
        return self.kind in WORK_KINDS


@record(frozen=True)
class StoredSegment:
    """A segment row as stored: ``seq`` orders the rows of one session (a segment
    done again after "back" is a second row with the same plan index)."""

    seq: int
    record: SegmentRecord


@record(frozen=True)
class SessionSummary:
    """One session as lists and the calendar show it (no segment rows)."""

    id: str
    routine: str
    routine_name: str
    started_at: datetime  # UTC
    utc_offset_minutes: int
    ended_at: datetime | None  # UTC; None while in progress
    status: SessionStatus
    pain_before: int | None
    pain_after: int | None
    difficulty: Difficulty | None
    note: str | None
    segments_done: int
    segments_total: int
    active_seconds: float  # time spent in recorded segments, pauses excluded
    local_day: date
    # What a person counts (see history/tally.py): exercises and reps, not segments.
    exercises_done: int = 0
    exercises_total: int = 0
    reps_done: int = 0
    reps_total: int = 0

    def counts_text(self) -> str:
        """``"3 of 5 exercises done · 42 of 60 reps"``."""
        text = f"{self.exercises_done} of {self.exercises_total} exercises done"
        if self.reps_total:
            text += f" · {self.reps_done} of {self.reps_total} reps"
        return text

    @property
    def local_start(self) -> datetime:
        """The start on the wall clock where the session happened."""
        return self.started_at.astimezone(fixed_zone(self.utc_offset_minutes))

    @property
    def local_end(self) -> datetime | None:
        if self.ended_at is None:
            return None
        return self.ended_at.astimezone(fixed_zone(self.utc_offset_minutes))


@record(frozen=True)
class StoredSession:
    """A whole session with its plan and every segment row: what a backup carries."""

    id: str
    routine: str
    plan: dict[str, Any]
    started_at: datetime
    utc_offset_minutes: int
    ended_at: datetime | None
    status: SessionStatus
    pain_before: int | None
    pain_after: int | None
    difficulty: Difficulty | None
    note: str | None
    segments: tuple[StoredSegment, ...] = field(default=())


@record(frozen=True)
class InterruptedSession:
    """A session left "in progress" by an earlier run (a crash or power loss).

    The app offers to resume at ``next_index`` or to keep it as partial.
    """

    id: str
    routine: str
    routine_name: str
    plan: dict[str, Any]
    started_at: datetime
    utc_offset_minutes: int
    last_index: int | None  # plan index of the last recorded segment
    last_activity_at: datetime  # when the last segment ended (or the start)
    segments_done: int
    segments_total: int
    exercises_done: int = 0
    exercises_total: int = 0

    @property
    def next_index(self) -> int:
        """Where "resume where you stopped" picks up in the plan."""
        return 0 if self.last_index is None else self.last_index + 1


@record(frozen=True)
class ExerciseStat:
    """Per exercise, over all history."""

    exercise: str
    name: str
    sessions: int  # sessions in which it was done at least once
    reps_done: int  # work segments done (holds, paced reps, self-paced sets)
    skipped_pain: int  # work segments skipped because of pain
    best_hold_seconds: float | None  # longest hold done: the hold reached
    last_done: date | None  # local day


@record(frozen=True)
class RoutineUsage:
    """Per routine, over all history: sessions with something done, and the last such day."""

    count: int
    last_day: date  # local day


def fixed_zone(utc_offset_minutes: int) -> timezone:
    """The fixed-offset zone a session was recorded in."""
    return timezone(timedelta(minutes=utc_offset_minutes))


def require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {moment!r}")


def check_pain(value: int | None, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int or None, got {value!r}")
    if not PAIN_MIN <= value <= PAIN_MAX:
        raise ValueError(f"{name} must be between {PAIN_MIN} and {PAIN_MAX}, got {value}")
    return value
