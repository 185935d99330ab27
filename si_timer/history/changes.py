"""What one history write changed, so each view rebuilds only what it shows.

The store announces one :class:`HistoryChange` after every committed write
(Anki's change flags).  A segment is written every few seconds during a
session; a view that shows totals can ignore those, because every session
that takes segments later announces ``sessions`` when it is finished, kept
as partial or resumed, and that brings the totals up to date.
"""

from __future__ import annotations

from si_timer.history.merge import MergeResult
from si_timer.records import record


@record(frozen=True)
class HistoryChange:
    """The kinds of data one write touched; ``session_id`` when it was one session."""

    sessions: bool = False  # a session began, was resumed, finished or kept as partial
    segments: bool = False  # a segment of a running session was recorded
    ratings: bool = False  # pain before or after, difficulty or the note
    marks: bool = False  # a rest or sick day was marked or cleared
    pain: bool = False  # a pain entry (pain logged without a session) was added or edited
    imported: bool = False  # a backup was merged: anything may have changed
    session_id: str | None = None

    @property
    def touches_home(self) -> bool:
        """True when the home screen (when each routine was last done) may be out of date.

        Not for a segment or a rating: those come during or just after a
        session, which announces ``sessions`` at its start and end anyway.
        """
        return self.sessions or self.marks or self.imported

    @classmethod
    def of_merge(cls, result: MergeResult) -> HistoryChange:
        """What merging a backup changed; a merged session arrives whole, ratings and all."""
        brought = bool(result.sessions_added or result.sessions_updated)
        return cls(
            sessions=brought,
            segments=brought,
            ratings=brought,
            marks=bool(result.marks_added or result.marks_updated),
            pain=bool(result.pain_added or result.pain_updated),
            imported=True,
        )
