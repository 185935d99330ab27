"""The exercise library's domain values: exercises, their doses, and routines.

Plain frozen dataclasses with no I/O; :mod:`si_timer.library.loader` builds
them from YAML and :mod:`si_timer.session.plan` turns a routine into segments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Category(StrEnum):
    STRETCH = "stretch"
    STRENGTH = "strength"
    ROTATION = "rotation"
    YOGA = "yoga"


class Sides(StrEnum):
    """Which sides an exercise (or a routine's use of it) works, in order."""

    NONE = "none"  # no side, or both at once
    EACH = "each"  # left, then right
    LEFT_RIGHT_BOTH = "left-right-both"  # left, right, then both together
    LEFT = "left"  # routine overrides only: one side
    RIGHT = "right"
    BOTH = "both"

    def order(self) -> tuple[Side, ...]:
        return _SIDE_ORDER[self]


EXERCISE_SIDES = (Sides.NONE, Sides.EACH, Sides.LEFT_RIGHT_BOTH)


class Side(StrEnum):
    """The side one segment works."""

    NONE = "none"
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


_SIDE_ORDER: dict[Sides, tuple[Side, ...]] = {
    Sides.NONE: (Side.NONE,),
    Sides.EACH: (Side.LEFT, Side.RIGHT),
    Sides.LEFT_RIGHT_BOTH: (Side.LEFT, Side.RIGHT, Side.BOTH),
    Sides.LEFT: (Side.LEFT,),
    Sides.RIGHT: (Side.RIGHT,),
    Sides.BOTH: (Side.BOTH,),
}


class DoseMode(StrEnum):
    HOLD = "hold"  # timed holds
    TEMPO = "tempo"  # reps paced through timed phases
    SELF_PACED = "self-paced"  # reps the person counts, ended with "done"


@dataclass(frozen=True)
class Range:
    """A closed range of seconds or counts; ``min == max`` for a single value."""

    min: float
    max: float

    def __post_init__(self) -> None:
        if self.min > self.max:
            raise ValueError(f"range min {self.min} is above max {self.max}")

    @property
    def is_single(self) -> bool:
        return self.min == self.max

    def contains(self, value: float) -> bool:
        return self.min <= value <= self.max

    def clamp(self, value: float) -> float:
        return min(max(value, self.min), self.max)

    def to_json(self) -> dict[str, float | int]:
        return {"min": _num(self.min), "max": _num(self.max)}

    def __str__(self) -> str:
        if self.is_single:
            return f"{_num(self.min)}"
        return f"{_num(self.min)}-{_num(self.max)}"


def _num(value: float) -> float | int:
    """Whole numbers print and serialise as ints (20, not 20.0)."""
    return int(value) if float(value).is_integer() else value


@dataclass(frozen=True)
class TempoPhase:
    """One timed phase of a paced rep, e.g. "Tighten" for 3 s."""

    name: str
    seconds: float


@dataclass(frozen=True)
class Progression:
    """Where a dose builds up to over the weeks ("start at 5 s, build to 15-30 s")."""

    hold: Range | None = None
    reps: Range | None = None


@dataclass(frozen=True)
class Dose:
    hold: Range | None = None
    reps: Range | None = None
    sets: int = 1
    rest: Range | None = None
    relax: float = 3.0
    tempo: tuple[TempoPhase, ...] = ()
    progression: Progression | None = None
    suggested: bool = False  # the dose is si-timer's own suggestion, not the source's

    @property
    def mode(self) -> DoseMode:
        if self.hold is not None:
            return DoseMode.HOLD
        if self.tempo:
            return DoseMode.TEMPO
        return DoseMode.SELF_PACED

    @property
    def rep_seconds(self) -> float:
        """Length of one paced rep (tempo mode)."""
        return sum(phase.seconds for phase in self.tempo)

    def hold_limit(self) -> Range | None:
        """The widest hold a person may choose: the range, or up to the progression's top."""
        if self.hold is None:
            return None
        if self.progression is not None and self.progression.hold is not None:
            return Range(self.hold.min, max(self.hold.max, self.progression.hold.max))
        return self.hold

    def reps_limit(self) -> Range | None:
        if self.reps is None:
            return None
        if self.progression is not None and self.progression.reps is not None:
            return Range(self.reps.min, max(self.reps.max, self.progression.reps.max))
        return self.reps


@dataclass(frozen=True)
class Cues:
    """Short spoken lines; the player adds sides, counts and times itself."""

    start: str | None = None  # said when the exercise begins
    hold: str | None = None  # said as each hold starts


@dataclass(frozen=True)
class Origin:
    """Where a definition came from, for error messages and "overrides" notices."""

    path: str
    bundled: bool
    line: int = 1

    def __str__(self) -> str:
        return self.path


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    kind: str
    year: int | None = None


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    category: Category
    position: str
    source: str
    sides: Sides
    dose: Dose
    steps: tuple[str, ...]
    equipment: tuple[str, ...] = ()
    alternate: bool = False
    cues: Cues = field(default_factory=Cues)
    cautions: tuple[str, ...] = ()
    side_word: str = "leg"  # what a side is called: "Left leg", "Left side"
    origin: Origin | None = field(default=None, compare=False)


@dataclass(frozen=True)
class RoutineEntry:
    """One exercise in a routine, with the routine's own choices for it."""

    exercise: str
    hold: float | None = None
    reps: int | None = None
    sets: int | None = None
    rest: float | None = None
    sides: Sides | None = None
    line: int = field(default=1, compare=False)


@dataclass(frozen=True)
class Routine:
    id: str
    name: str
    entries: tuple[RoutineEntry, ...]
    description: str = ""
    times_per_day: int | None = None
    lead_in: float = 5.0
    switch: float = 5.0
    rest_between: float = 10.0
    origin: Origin | None = field(default=None, compare=False)


@dataclass(frozen=True)
class LoadError:
    """One problem in one file, shown to a person as ``FILE:LINE: field: message``."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        # One problem, one line: a value quoted in a message may hold a newline.
        return f"{self.file}:{self.line}: {_one_line(self.field)}: {_one_line(self.message)}"


def _one_line(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)
