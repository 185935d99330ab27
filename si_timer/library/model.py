"""The exercise library's domain values: exercises, their doses, and routines.

Plain frozen records with no I/O; :mod:`si_timer.library.loader` builds
them from YAML and :mod:`si_timer.session.plan` turns a routine into segments.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from si_timer.records import field, record


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


class Posture(StrEnum):
    """Where the body is for an exercise: a closed set, so the plan can tell a change of
    position (rolling over, getting up off the floor) from staying put."""

    BACK = "back"  # lying on the back
    SIDE = "side"  # lying on one side
    FRONT = "front"  # lying on the stomach
    ALL_FOURS = "all-fours"  # hands and knees (or hands and feet)
    KNEELING = "kneeling"
    SITTING = "sitting"  # on the floor
    CHAIR = "chair"  # sitting on a chair
    STANDING = "standing"
    DOORWAY = "doorway"  # lying on the back in a doorway
    WALL = "wall"  # back against a wall

    @property
    def on_floor(self) -> bool:
        return self not in (Posture.CHAIR, Posture.STANDING, Posture.WALL)

    @property
    def instruction(self) -> str:
        """How to get there, as a short spoken instruction ("Lie on your back in a doorway")."""
        return _POSTURE_WORDS[self]


_POSTURE_WORDS: dict[Posture, str] = {
    Posture.BACK: "Lie on your back",
    Posture.SIDE: "Lie on your side",
    Posture.FRONT: "Lie on your front",
    Posture.ALL_FOURS: "Come onto your hands and knees",
    Posture.KNEELING: "Kneel on the mat",
    Posture.SITTING: "Sit on the floor",
    Posture.CHAIR: "Sit on a chair",
    Posture.STANDING: "Stand up",
    Posture.DOORWAY: "Lie on your back in the doorway",
    Posture.WALL: "Stand with your back to a wall",
}

# Seconds a change of position takes at least, between two exercises (see change_seconds).
FLOOR_CHANGE = 10.0  # rolling over, turning onto hands and knees, sitting up
DOORWAY_CHANGE = 15.0  # shuffling into or out of a doorway on the mat
UP_DOWN_CHANGE = 20.0  # getting up off the floor, or down onto it
UPRIGHT_CHANGE = 10.0  # sitting down on a chair, or stepping to a wall


def change_seconds(before: Posture | None, after: Posture | None) -> float:
    """The least time to get from one exercise's position to the next; 0 if it stays."""
    if before is None or after is None or before is after:
        return 0.0
    if before.on_floor != after.on_floor:
        return UP_DOWN_CHANGE
    if Posture.DOORWAY in (before, after):
        return DOORWAY_CHANGE
    return FLOOR_CHANGE if before.on_floor else UPRIGHT_CHANGE


@record(frozen=True)
class SideMeanings:
    """What each side means for one exercise, in a few words
    ("left ankle over the right knee"); None where the exercise does not say."""

    left: str | None = None
    right: str | None = None
    both: str | None = None

    def of(self, side: Side) -> str | None:
        if side is Side.LEFT:
            return self.left
        if side is Side.RIGHT:
            return self.right
        if side is Side.BOTH:
            return self.both
        return None


class DosePart(StrEnum):
    """A part of a dose that may be si-timer's own suggestion rather than the guide's."""

    HOLD = "hold"
    REPS = "reps"
    SETS = "sets"
    REST = "rest"
    RELAX = "relax"  # the pause between repeated holds or reps
    TEMPO = "tempo"  # the seconds of the counted (non-move) phases
    MOVES = "moves"  # the time to move: move phases and the move into each hold
    PACE = "pace"  # the natural tempo at which self-paced reps are counted aloud


_PART_WORDS: dict[DosePart, str] = {
    DosePart.HOLD: "the hold time",
    DosePart.REPS: "the number of reps",
    DosePart.SETS: "the number of sets",
    DosePart.REST: "the rest between sets",
    DosePart.RELAX: "the pause between reps",
    DosePart.TEMPO: "the count of each phase",
    DosePart.MOVES: "the time to move",
    DosePart.PACE: "the pace of the count",
}


class DoseMode(StrEnum):
    HOLD = "hold"  # timed holds
    TEMPO = "tempo"  # reps paced through timed phases
    SELF_PACED = "self-paced"  # reps the person counts, ended with "done"


@record(frozen=True)
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


@record(frozen=True)
class TempoPhase:
    """One timed phase of a paced rep, e.g. "Tighten" for 3 s. A ``move`` phase is the
    time to get from one position to the next ("Round up into cat"); the others are
    the counted holds or efforts."""

    name: str
    seconds: float
    move: bool = False


@record(frozen=True)
class Progression:
    """Where a dose builds up to over the weeks ("start at 5 s, build to 15-30 s")."""

    hold: Range | None = None
    reps: Range | None = None


DEFAULT_RELAX = 3.0
MAX_SHORT_NAME = 14  # characters: a short name must fit big type across the player


@record(frozen=True)
class Dose:
    hold: Range | None = None
    reps: Range | None = None
    sets: int = 1
    rest: Range | None = None
    relax: float | None = None  # None: 3 s between repeated holds, none between paced reps
    tempo: tuple[TempoPhase, ...] = ()
    progression: Progression | None = None
    move_in: TempoPhase | None = None  # time to move into each hold before its count starts
    # The natural tempo of one self-paced rep ("Up" 2 s, "Down" 3 s): the session counts
    # the reps aloud at it; empty: the person sets the pace.
    pace: tuple[TempoPhase, ...] = ()
    suggested_parts: frozenset[DosePart] = frozenset()  # what is si-timer's, not the guide's

    @property
    def suggested(self) -> bool:
        """Some part of the dose is si-timer's own suggestion (see ``suggestion_note``)."""
        return bool(self.suggested_parts)

    @property
    def relax_seconds(self) -> float:
        """The pause between repeated holds (default 3 s) or paced reps (default none)."""
        if self.relax is not None:
            return self.relax
        return DEFAULT_RELAX if self.mode is DoseMode.HOLD else 0.0

    def parts(self) -> frozenset[DosePart]:
        """The parts this dose has, so a suggestion can name only those."""
        parts = {DosePart.REPS}
        if self.hold is not None:
            parts.add(DosePart.HOLD)
        if self.sets > 1:
            parts |= {DosePart.SETS, DosePart.REST}
        if self.relax_seconds > 0:
            parts.add(DosePart.RELAX)
        if any(not p.move for p in self.tempo):
            parts.add(DosePart.TEMPO)
        if self.move_in is not None or any(p.move for p in self.tempo):
            parts.add(DosePart.MOVES)
        if self.pace:
            parts.add(DosePart.PACE)
        return frozenset(parts)

    @property
    def suggestion_note(self) -> str:
        """Exactly what is si-timer's own: "The number of reps and the time to move are
        si-timer's suggestion; everything else is the guide's." Empty when all is the guide's."""
        ours = [p for p in DosePart if p in self.suggested_parts]
        if not ours:
            return ""
        if set(ours) >= self.parts():
            return "The guide gives no dose for this one: all of it is si-timer's suggestion."
        words = [_PART_WORDS[p] for p in ours]
        listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
        verb = "is" if len(words) == 1 else "are"
        return (
            f"{listed[0].upper()}{listed[1:]} {verb} si-timer's suggestion; "
            "everything else is the guide's."
        )

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

    @property
    def pace_seconds(self) -> float | None:
        """Length of one counted self-paced rep; None when the person sets the pace."""
        return sum(phase.seconds for phase in self.pace) if self.pace else None

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


@record(frozen=True)
class Cues:
    """Short spoken lines; the player adds sides, counts and times itself."""

    start: str | None = None  # said when the exercise begins
    hold: str | None = None  # said as each hold starts


@record(frozen=True)
class Origin:
    """Where a definition came from, for error messages and "overrides" notices."""

    path: str
    bundled: bool
    line: int = 1
    by_editor: bool = False  # written by si-timer's routine editor (an intended override)

    def __str__(self) -> str:
        return self.path


@record(frozen=True)
class Source:
    id: str
    title: str
    kind: str
    year: int | None = None


@record(frozen=True)
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
    posture: Posture | None = None  # where the body is; None in files that don't say
    first_side: Side = Side.LEFT  # which of left and right comes first, as the guide gives it
    side_meanings: SideMeanings = field(default_factory=SideMeanings)
    lead_in: float | None = None  # at least this long to get into position (None: routine's)
    switch: float | None = None  # at least this long to change sides (None: routine's)
    short_name: str | None = None  # a few words read from the mat ("Figure-4"); None: the name
    # Draw it like this bundled exercise ("figure: glute-bridge"); None: its own figure file,
    # else its posture's neutral figure. Lets a person's own exercise borrow a picture.
    figure: str | None = None
    origin: Origin | None = field(default=None, compare=False)

    @property
    def display_name(self) -> str:
        """The short name where there is one, for big type read from across the room."""
        return self.short_name or self.name

    def side_order(self, sides: Sides | None = None) -> tuple[Side, ...]:
        """The sides in the order this exercise does them (``sides``: a routine's override)."""
        order = (sides or self.sides).order()
        if self.first_side is Side.RIGHT and order[:2] == (Side.LEFT, Side.RIGHT):
            return (Side.RIGHT, Side.LEFT, *order[2:])
        return order


@record(frozen=True)
class RoutineEntry:
    """One exercise in a routine, with the routine's own choices for it.

    ``lead_in`` and ``switch`` are this entry's own seconds to get into position
    and to change sides: given, they replace the routine's and the exercise's
    (0 too).  ``prescribed`` means a professional gave this dose: hold, reps,
    sets and rest may then leave the exercise's range (inside hard caps), and
    the plan marks the exercise "as prescribed".
    """

    exercise: str
    hold: float | None = None
    reps: int | None = None
    sets: int | None = None
    rest: float | None = None
    sides: Sides | None = None
    lead_in: float | None = None
    switch: float | None = None
    prescribed: bool = False
    line: int = field(default=1, compare=False)

    @property
    def has_choices(self) -> bool:
        """Whether the entry says more than which exercise (a file writes it as a bare id)."""
        return self != RoutineEntry(self.exercise)


@record(frozen=True)
class Routine:
    id: str
    name: str
    entries: tuple[RoutineEntry, ...]
    description: str = ""
    times_per_day: int | None = None
    lead_in: float = 5.0
    switch: float = 5.0
    rest_between: float = 10.0
    before_you_start: str = ""  # said on the card before the session starts
    after_you_finish: str = ""  # a tip for afterwards, e.g. for the night
    origin: Origin | None = field(default=None, compare=False)

    def equipment(self, exercises: Mapping[str, Exercise]) -> tuple[str, ...]:
        """What the routine needs, from its exercises, in order: ("mat", "doorway", "2 chairs").

        An item one exercise lists twice is needed twice; items are not added up across
        exercises (the mat of one is the mat of the next)."""
        counts: dict[str, int] = {}
        for entry in self.entries:
            ex = exercises.get(entry.exercise)
            if ex is None:
                continue
            for item in dict.fromkeys(ex.equipment):
                counts[item] = max(counts.get(item, 0), ex.equipment.count(item))
        return tuple(item if n == 1 else f"{n} {item}s" for item, n in counts.items())


@record(frozen=True)
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
