"""Completion history: the store, the person's days and streaks, exports and imports.

Plain Python (no Qt): the player writes through :class:`HistoryStore`, the
views and the command line read through it.

The names below load on first use (PEP 562): importing one small module of
this package (``si_timer.history.tally`` for the session engine, ``overview``
for the home screen) must not load SQLite, the exchange formats and the
merge code on the way to the app's first paint.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "DayStatus": "days",
    "Streaks": "days",
    "local_day": "days",
    "local_offset_minutes": "days",
    "HistoryError": "errors",
    "HistoryUnavailableError": "errors",
    "ImportFormatError": "errors",
    "NewerDatabaseError": "errors",
    "SessionStateError": "errors",
    "ExportFormat": "exchange",
    "export_history": "exchange",
    "export_to_path": "exchange",
    "import_history": "exchange",
    "format_history_table": "listing",
    "history_rows": "listing",
    "parse_day": "listing",
    "MergeResult": "merge",
    "DayMark": "model",
    "Difficulty": "model",
    "InterruptedSession": "model",
    "Outcome": "model",
    "SegmentKind": "model",
    "SegmentRecord": "model",
    "SessionStatus": "model",
    "SessionSummary": "model",
    "Side": "model",
    "OpenReport": "opening",
    "HistoryStore": "store",
}

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


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])


if TYPE_CHECKING:
    from si_timer.history.days import DayStatus, Streaks, local_day, local_offset_minutes
    from si_timer.history.errors import (
        HistoryError,
        HistoryUnavailableError,
        ImportFormatError,
        NewerDatabaseError,
        SessionStateError,
    )
    from si_timer.history.exchange import (
        ExportFormat,
        export_history,
        export_to_path,
        import_history,
    )
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
