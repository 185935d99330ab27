"""The full JSON backup, format version 2: each plan once, rows as arrays.

Version 1 (still read, see :mod:`si_timer.history.exchange`) writes every
session as an object holding its whole plan and one object per segment row:
ten years of history are ~100 MB, and reading them back checks ~280,000 rows
one Python object at a time.  Version 2 holds the same facts in a quarter of
that, and is checked column by column.  The document is one JSON object::

    {
    "format": "si-timer-history",
    "format_version": 2,
    "app_version": "1.4.0",
    "exported_at": "2026-01-31T09:00:00+00:00",
    "plans": [ {...plan snapshot...}, ... ],
    "session_columns": ["id", "routine", "plan", "started_at", "utc_offset_minutes",
        "ended_at", "status", "pain_before", "pain_after", "difficulty", "note", "segments"],
    "segment_columns": ["seq", "index", "kind", "exercise", "side", "set", "rep",
        "planned_seconds", "actual_seconds", "outcome", "ended_at"],
    "sessions": [
    ["4f3c...", "morning", 0, "2025-03-14T06:00:00.000000+00:00", 60,
        "2025-03-14T06:20:00.000000+00:00", "completed", 3, 2, null, null,
        [[1, 0, "lead_in", null, null, null, null, 5.0, 5.0, "done",
          "2025-03-14T06:00:05.000000+00:00"], ...]],
    ...
    ],
    "day_marks": [{"day": "2025-03-10", "mark": "rest", "set_at": "..."}, ...],
    "pain_entries": [{...as in version 1...}, ...]
    }

* ``plans``: every distinct plan snapshot once; a session's ``plan`` is its
  position in this list.
* ``sessions``: one array per session, its values in the order
  ``session_columns`` declares; the last one holds the session's segment rows,
  each an array in the order of ``segment_columns``.  A reader takes exactly
  these column lists (a later change of them is a new version).
* Times are UTC with microseconds, always 32 characters (as history stores
  them); a reader also takes any ISO 8601 time with an offset.  Field names,
  meanings and limits are version 1's (same names, same checks, same merge).
* Day marks and pain entries are as in version 1 (a few hundred small rows).

Reading checks every value before anything is written, as version 1 does, but
a column at a time (a set of the kinds, ``min``/``max`` of a number column,
one pass over all the times joined) instead of a row at a time.  Those checks only
ever pass values version 1's row checks pass too; when any of them fails, the
whole document is checked again row by row by version 1's reader, which names
the first wrong value and its place (``sessions[3].segments[7].kind``).
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime
from itertools import accumulate, chain, compress, count, groupby, islice
from operator import ge, itemgetter
from typing import Any, TextIO

from si_timer.history.json_backup import SEGMENTS_SQL, SESSION_KEYS, SESSIONS_SQL, dumps
from si_timer.history.merge import Incoming, incoming_of
from si_timer.history.model import Difficulty, Outcome, SegmentKind, SessionStatus, Side
from si_timer.history.progress import Progress, counted, part
from si_timer.history.queries import to_db_time

VERSION = 2
# A session's fields in version 1's order, between its identity and its rows.
SESSION_COLUMNS = ("id", "routine", "plan", *SESSION_KEYS, "segments")
SEGMENT_COLUMNS = (
    "seq",
    "index",
    "kind",
    "exercise",
    "side",
    "set",
    "rep",
    "planned_seconds",
    "actual_seconds",
    "outcome",
    "ended_at",
)

# --- writing ---------------------------------------------------------------------

# A stored time of the one shape the store writes: UTC, microseconds, 32 characters.
_STORED_TIME = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00"
_STORED = re.compile(_STORED_TIME)


def _time(text: str | None) -> str | None:
    """A stored time in the backup's one shape (a file from elsewhere may hold others)."""
    if text is None or _STORED.fullmatch(text):
        return text
    return to_db_time(datetime.fromisoformat(text))


class _Rows:
    """Each session's segment rows, read once in key order; a session asked for out
    of that order is found among the rows read ahead (held until asked for)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._groups = groupby(conn.execute(SEGMENTS_SQL), key=itemgetter(0))
        self._ahead: dict[int, list[list[Any]]] = {}
        self._last = -1

    def of(self, key: int) -> list[list[Any]]:
        while key > self._last:
            group = next(self._groups, None)
            if group is None:
                break
            self._last = group[0]
            self._ahead[group[0]] = [[*row[1:11], _time(row[11])] for row in group[1]]
        return self._ahead.pop(key, [])


def write_document(
    conn: sqlite3.Connection,
    out: TextIO,
    head: dict[str, Any],
    tail: dict[str, list[Any]],
    *,
    progress: Progress | None,
    total: int,
) -> int:
    """The whole version-2 document; returns the number of sessions.

    ``head`` are the first fields, ``tail`` the lists after the sessions (day marks,
    pain entries), each item written as it is.  Call inside one read transaction.
    """
    rows = conn.execute(SESSIONS_SQL).fetchall()
    plans: dict[int, int] = {}  # plans row id -> position in "plans"
    texts: list[str] = []
    for plan_id in dict.fromkeys(row[3] for row in rows):
        (text,) = conn.execute("SELECT plan FROM plans WHERE id = ?", (plan_id,)).fetchone()
        plans[plan_id] = len(texts)
        texts.append(dumps(json.loads(text)))
    out.write("{\n" + "".join(f"{dumps(k)}: {dumps(v)},\n" for k, v in head.items()))
    out.write('"plans": [' + ",".join("\n" + t for t in texts) + "\n],\n")
    out.write(f'"session_columns": {dumps(SESSION_COLUMNS)},\n')
    out.write(f'"segment_columns": {dumps(SEGMENT_COLUMNS)},\n')
    out.write('"sessions": [')
    segments = _Rows(conn)
    count = 0
    for row in counted(rows, total, progress):
        line = dumps(
            [
                row[1],
                row[2],
                plans[row[3]],
                _time(row[4]),
                row[5],
                _time(row[6]),
                *row[7:12],
                segments.of(row[0]),
            ]
        )
        out.write(("\n" if count == 0 else ",\n") + line)
        count += 1
    for name, items in tail.items():
        out.write(f"\n],\n{dumps(name)}: [" + ",".join("\n" + dumps(i) for i in items))
    out.write("\n]\n}\n")
    return count


# --- reading ---------------------------------------------------------------------

# The row-by-row reader (version 1's, in exchange.py): checks one session as a
# version-1 object and returns it, or raises naming the place.
SessionReader = Callable[[dict[str, Any], str], Any]


class Problem(Exception):
    """A value in a version-2 document is wrong: ``where`` and what."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


_STATUSES = frozenset(s.value for s in SessionStatus)
_DIFFICULTIES = frozenset({None, *(d.value for d in Difficulty)})
_KINDS = frozenset(k.value for k in SegmentKind)
_SIDES = frozenset({None, *(s.value for s in Side)})
_OUTCOMES = frozenset(o.value for o in Outcome)
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_INT: frozenset[type] = frozenset({int})
_INT_OR_NONE: frozenset[type] = frozenset({int, type(None)})
_NUMBER: frozenset[type] = frozenset({int, float})
_NUMBER_OR_NONE: frozenset[type] = frozenset({int, float, type(None)})
_TEXT: frozenset[type] = frozenset({str})
_TEXT_OR_NONE: frozenset[type] = frozenset({str, type(None)})


def _types(column: Sequence[Any], allowed: frozenset[type]) -> bool:
    return set(map(type, column)) <= allowed


def _numbers(column: Sequence[Any], allowed: frozenset[type], low: float, high: float) -> bool:
    """Values of the ``allowed`` types only, the numbers among them finite and within
    [low, high].  The column's types are found once; infinity or NaN makes the sum
    of the numbers one (a sum of finite values that overflows refuses too: such
    values are out of every range here anyway)."""
    types = set(map(type, column))
    if not types <= allowed:
        return False
    # Without None, and without zero: it lies in every range here, and is finite.
    values = list(filter(None, column)) if type(None) in types else column
    if not values:
        return True
    if float in types:
        try:
            if not math.isfinite(sum(values)):
                return False
        except OverflowError:
            return False
    return bool(low <= min(values) and max(values) <= high)


def _plain_text(column: Sequence[Any], limit: int, *, controls: bool = False) -> bool:
    """Text (or None) no longer than ``limit``, without control characters unless allowed."""
    texts = [t for t in column if t is not None] if None in column else column
    if not texts:
        return True
    if max(map(len, texts)) > limit:
        return False
    return controls or not _CONTROL.search("".join(texts))


def _times(column: Sequence[Any], low: int, high: int, *, optional: bool = False) -> bool:
    """Stored-shape times (or None) that are real dates within the years [low, high]."""
    texts = [t for t in column if t is not None] if optional and None in column else column
    if not texts:
        return True
    if not _types(texts, _TEXT) or not _stored_shape(texts):
        return False
    try:
        for _ in map(datetime.fromisoformat, texts):
            pass
    except ValueError:
        return False
    # Fixed-width UTC text: its order is time order, its first four characters the year.
    return low <= int(min(texts)[:4]) and int(max(texts)[:4]) <= high


# Every digit made "0": a stored time is then this, whatever its value.
_AS_ZEROS = bytes.maketrans(b"123456789", b"000000000")
_STORED_SHAPE = b"0000-00-00T00:00:00.000000+00:00"


def _stored_shape(texts: Sequence[str]) -> bool:
    """Whether each text has the stored shape (UTC, ASCII digits where the
    pattern has digits): each is as long as the shape, and all of them joined,
    every digit made "0", are the shape repeated (C passes, not a pattern)."""
    if set(map(len, texts)) != {len(_STORED_SHAPE)}:
        return False
    try:
        joined = "".join(texts).encode("ascii")
    except UnicodeEncodeError:
        return False
    if joined.translate(_AS_ZEROS) != _STORED_SHAPE * len(texts):
        return False
    # The shape has one "+": where each text has it, "+00:00" (UTC) must follow.
    return joined.count(b"+00:00") == len(texts)


def _columns(rows: Sequence[Sequence[Any]], width: int) -> list[list[Any]]:
    """The rows (each exactly ``width`` long) as columns: all values in one list, then
    every ``width``-th of it from each start, C copies both (``zip(*rows)`` is several
    times slower, one ``itemgetter`` pass per column half again as slow as this)."""
    flat = list(chain.from_iterable(rows))
    if len(flat) != width * len(rows):
        raise ValueError("rows of another width")
    return [flat[i::width] for i in range(width)]


class Limits:
    """What a backup may hold (exchange.py's limits, passed in to avoid a cycle)."""

    def __init__(
        self,
        *,
        min_year: int,
        max_year: int,
        max_seconds: float,
        max_count: int,
        max_rows: int,
        max_name: int,
        max_note: int,
    ) -> None:
        self.min_year, self.max_year = min_year, max_year
        self.max_seconds, self.max_count, self.max_rows = max_seconds, max_count, max_rows
        self.max_name, self.max_note = max_name, max_note


def _sessions_pass(sessions: list[Any], plan_count: int, limits: Limits) -> bool:
    """Whether every session row passes version 1's checks (segments apart)."""
    width = len(SESSION_COLUMNS)
    if sessions and not (set(map(type, sessions)) == {list} and set(map(len, sessions)) == {width}):
        return False
    (ids, routines, plans, started, offsets, ended, statuses, before, after, felt, notes, _) = (
        _columns(sessions, width)
    )
    try:
        if not (set(statuses) <= _STATUSES and set(felt) <= _DIFFICULTIES):
            return False
    except TypeError:  # an unhashable value
        return False
    return (
        _types(ids, _TEXT)
        and _plain_text(ids, limits.max_name)
        and all(map(str.strip, ids))
        and _types(routines, _TEXT)
        and _plain_text(routines, limits.max_name)
        and _numbers(plans, _INT, 0, plan_count - 1)
        and _numbers(offsets, _INT, -1440, 1440)
        and _numbers(before, _INT_OR_NONE, 0, 10)
        and _numbers(after, _INT_OR_NONE, 0, 10)
        and _types(notes, _TEXT_OR_NONE)
        and _plain_text(notes, limits.max_note, controls=True)
        and _times(started, limits.min_year, limits.max_year)
        and _times(ended, limits.min_year, limits.max_year, optional=True)
    )


def _segments_pass(sessions: list[list[Any]], limits: Limits) -> bool:
    """Whether every segment row of every session passes version 1's checks."""
    width = len(SEGMENT_COLUMNS)
    lists = [s[-1] for s in sessions]
    if lists and set(map(type, lists)) != {list}:
        return False
    lengths = list(map(len, lists))
    if lengths and max(lengths) > limits.max_rows:
        return False
    rows = list(chain.from_iterable(lists))
    if rows and not (set(map(type, rows)) == {list} and set(map(len, rows)) == {width}):
        return False
    (seq, index, kind, exercise, side, set_no, rep, planned, actual, outcome, ended) = _columns(
        rows, width
    )
    try:
        if not (set(kind) <= _KINDS and set(side) <= _SIDES and set(outcome) <= _OUTCOMES):
            return False
        names = set(exercise)
    except TypeError:
        return False
    return (
        _numbers(seq, _INT, 0, limits.max_count)
        and _rising_each(seq, lengths)
        and _numbers(index, _INT, 0, limits.max_count)
        and _types(list(names), _TEXT_OR_NONE)
        and _plain_text(list(names), limits.max_name)
        and _numbers(set_no, _INT_OR_NONE, 0, limits.max_count)
        and _numbers(rep, _INT_OR_NONE, 0, limits.max_count)
        and _numbers(planned, _NUMBER_OR_NONE, 0, limits.max_seconds)
        and _numbers(actual, _NUMBER, 0, limits.max_seconds)
        and _times(ended, limits.min_year, limits.max_year)
    )


def _rising_each(seq: list[int], lengths: list[int]) -> bool:
    """Whether each session's seqs (``lengths`` rows each, in order) strictly rise.

    That is how an export writes them.  Rows in another order (a hand-edited
    file) are not refused: the row-by-row reader takes them and sorts them, so
    both readers always give the same rows in the same order.
    """
    # Where a seq is not below the next one, a session's rows must end there.
    falls = list(compress(count(1), map(ge, seq, islice(seq, 1, None))))
    if not falls:
        return True
    ends = set(accumulate(lengths))  # the position after each session's last row
    return all(map(ends.__contains__, falls))


def _declared(document: dict[str, Any], key: str, expected: tuple[str, ...]) -> None:
    if document.get(key) != list(expected):
        raise Problem(key, f"expected the columns {', '.join(expected)}")


def read_sessions(
    document: dict[str, Any],
    limits: Limits,
    check_plan: Callable[[Any, str, bool], dict[str, Any]],
    slow: SessionReader,
    *,
    progress: Progress | None = None,
    row_by_row: bool = False,
) -> list[Incoming]:
    """The sessions of a version-2 ``document``, every value checked.

    ``check_plan(plan, where, resumable)`` checks one plan snapshot (returning it,
    or raising); ``slow(session, where)`` is version 1's reader of one session
    object.  ``row_by_row`` skips the column checks (tests compare both ways).
    Raises :class:`Problem` for a wrong shape; ``check_plan`` and ``slow`` raise
    their own errors.
    """
    _declared(document, "session_columns", SESSION_COLUMNS)
    _declared(document, "segment_columns", SEGMENT_COLUMNS)
    plans = document.get("plans")
    if type(plans) is not list:
        raise Problem("plans", "expected a list")
    sessions = document.get("sessions")
    if type(sessions) is not list:
        raise Problem("sessions", "expected a list")
    # The column checks are a few long passes: progress is told between them.
    if progress is not None:
        progress(0, 100)
    fast = not row_by_row and _sessions_pass(sessions, len(plans), limits)
    if fast and progress is not None:
        progress(15, 100)
    fast = fast and _segments_pass(sessions, limits)
    if not fast:
        return _row_by_row(sessions, plans, slow, part(progress, 15, 100))
    if progress is not None:
        progress(80, 100)
    resumable = {s[2] for s in sessions if s[6] == SessionStatus.IN_PROGRESS.value}
    checked = [check_plan(p, f"plans[{i}]", i in resumable) for i, p in enumerate(plans)]
    return [
        Incoming(s[0], checked[s[2]], (s[1], *s[3:11]), s[11])
        for s in counted(sessions, len(sessions), part(progress, 80, 100))
    ]


def _row_by_row(
    sessions: list[Any], plans: list[Any], slow: SessionReader, progress: Progress | None
) -> list[Incoming]:
    """Version 1's checks of each value in turn, for the first problem's exact place."""
    result: list[Incoming] = []
    for i, row in enumerate(counted(sessions, len(sessions), progress)):
        where = f"sessions[{i}]"
        if type(row) is not list or len(row) != len(SESSION_COLUMNS):
            raise Problem(where, f"expected a list of {len(SESSION_COLUMNS)} values")
        number = row[2]
        if type(number) is not int or not 0 <= number < len(plans):
            raise Problem(f"{where}.plan", f"not the position of one of the {len(plans)} plans")
        item = dict(zip(SESSION_COLUMNS, row, strict=True))
        item["plan"] = plans[number]
        rows = item["segments"]
        if type(rows) is list:
            item["segments"] = [
                _segment_object(r, f"{where}.segments[{j}]") for j, r in enumerate(rows)
            ]
        result.append(incoming_of(slow(item, where)))
    return result


def _segment_object(row: Any, where: str) -> Any:
    if type(row) is not list or len(row) != len(SEGMENT_COLUMNS):
        raise Problem(where, f"expected a list of {len(SEGMENT_COLUMNS)} values")
    return dict(zip(SEGMENT_COLUMNS, row, strict=True))
