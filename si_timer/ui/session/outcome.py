"""What a session leaves for its summary: the facts shown, where saving stands and the
person's ratings.  Plain data, apart from the summary page, so the recorder and the
runner (loaded on the way to the first countdown) do not load the page and its figures.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping

from si_timer.history.model import Difficulty
from si_timer.history.tally import ExerciseResult, SessionTally
from si_timer.library.model import Exercise
from si_timer.records import field, record


class SaveState(enum.Enum):
    """Where the session's history stands when the summary shows."""

    SAVED = "saved"  # every write is in the history
    SAVING = "saving"  # writes wait (a lock, a full disk); they are retried and journaled
    OFF = "off"  # no history this run (it could not be opened)

    @property
    def words(self) -> str:
        return {
            SaveState.SAVED: "Saved to your history.",
            SaveState.SAVING: "Saving… (will retry)",
            SaveState.OFF: "History could not be saved this time.",
        }[self]


@record(frozen=True)
class ExerciseRow:
    """One exercise on the summary: how it went, and whether its dose can move."""

    exercise_id: str
    name: str
    result: ExerciseResult
    adjustable: bool = False  # a range to move in: it gets its own "too easy / too hard"


@record(frozen=True)
class SummaryFacts:
    routine_name: str
    completed: bool
    done: int  # work segments (kept for the event log; people read ``tally``)
    skipped: int
    total: int
    active_seconds: float
    pain_before: int | None
    saved: SaveState
    exercises: tuple[ExerciseRow, ...] = ()
    tally: SessionTally | None = None
    figures: Mapping[str, Exercise] = field(default_factory=dict)  # the library, for figures


def exercise_rows(tally: SessionTally, adjustable: Callable[[str], bool]) -> list[ExerciseRow]:
    """The summary's rows, in plan order."""
    return [
        ExerciseRow(e.exercise, e.name, e.result, adjustable(e.exercise)) for e in tally.exercises
    ]


@record(frozen=True)
class Ratings:
    pain_after: int | None
    difficulty: Difficulty | None  # the whole session (a shortcut that rates every exercise)
    note: str
    per_exercise: tuple[tuple[str, Difficulty], ...] = ()  # (exercise id, its rating)
