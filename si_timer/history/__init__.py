"""Completion history: the store, the person's days and streaks, exports and imports.

Plain Python (no Qt): the player writes through :class:`HistoryStore`, the
views and the command line read through it.
"""

from si_timer.history.days import DayStatus, Streaks, local_day, local_offset_minutes
from si_timer.history.errors import (
    HistoryError,
    HistoryUnavailableError,
    ImportFormatError,
    NewerDatabaseError,
    SessionStateError,
)
from si_timer.history.exchange import ExportFormat, export_history, export_to_path, import_history
from si_timer.history.listing import format_history_table, history_rows, parse_day
from si_timer.history.merge import MergeResult
from si_timer.history.model import (
    DayMark,
    Difficulty,
    InterruptedSession,
    Outcome,
    SegmentKind,
    SegmentRecord,
    SessionStatus,
    SessionSummary,
    Side,
)
from si_timer.history.opening import OpenReport
from si_timer.history.store import HistoryStore

__all__ = [
    "DayMark",
    "DayStatus",
    "Difficulty",
    "ExportFormat",
    "HistoryError",
    "HistoryStore",
    "HistoryUnavailableError",
    "ImportFormatError",
    "InterruptedSession",
    "MergeResult",
    "NewerDatabaseError",
    "OpenReport",
    "Outcome",
    "SegmentKind",
    "SegmentRecord",
    "SessionStateError",
    "SessionStatus",
    "SessionSummary",
    "Side",
    "Streaks",
    "export_history",
    "export_to_path",
    "format_history_table",
    "history_rows",
    "import_history",
    "local_day",
    "local_offset_minutes",
    "parse_day",
]
