"""Writing the version-1 JSON backup's sessions straight from the database rows.

Exports are version 2 now (:mod:`si_timer.history.json_v2`); version 1 is still
read, and written on request (``write_json_backup(..., version=1)``) for a
reader that knows no other.  It is one session per line.  Ten years of history are ~13,000 sessions
and ~280,000 segment rows: turning each row into a frozen record, its times
into ``datetime`` and back into text cost ~7 s.  Here each segment row goes
from SQLite into one text template, every distinct plan is encoded once
(sessions share a handful), and the stored times, already UTC text of one
fixed width, are written as the old writer wrote them without parsing them.
The bytes are exactly those of ``json.dumps(session_to_json(s))`` for each
session; tests compare them, also for odd stored values.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import groupby
from operator import itemgetter
from typing import Any, TextIO

from si_timer.history.progress import Progress, counted

# The session's fields after "id", "routine" and the plan, in the backup's order.
SESSION_KEYS = (
    "started_at",
    "utc_offset_minutes",
    "ended_at",
    "status",
    "pain_before",
    "pain_after",
    "difficulty",
    "note",
)


def _slow(text: str) -> str:
    """A stored time of another shape, the old writer's way."""
    return datetime.fromisoformat(text).astimezone(UTC).isoformat()


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


# Every session and its segment rows, in the order both backup versions write them.
SESSIONS_SQL = (
    "SELECT key, id, routine, plan_id, started_at, utc_offset_minutes, ended_at, "
    "status, pain_before, pain_after, difficulty, note "
    "FROM sessions ORDER BY started_at, id"
)

SEGMENTS_SQL = (
    "SELECT session_key, seq, idx, kind, exercise, side, set_no, rep, planned_seconds, "
    "actual_seconds, outcome, ended_at FROM segments ORDER BY session_key, seq"
)
# Kind, side and outcome are words the schema's checks allow: nothing to escape.
_SEGMENT = (
    '{"seq":%s,"index":%s,"kind":"%s","exercise":%s,"side":%s,"set":%s,"rep":%s,'
    '"planned_seconds":%s,"actual_seconds":%r,"outcome":"%s","ended_at":"%s"}'
)


def _segment_texts(conn: sqlite3.Connection) -> Iterator[tuple[int, str]]:
    """(session key, the segment's JSON text) for every segment row, in key order.

    A template is a third faster than a dict for the encoder; numbers are written
    as the encoder writes them (``repr``; REAL columns hold no NaN: SQLite stores
    NULL), text through the encoder (once per distinct exercise).
    """
    quoted: dict[str | None, str] = {None: "null"}
    for (
        key,
        seq,
        idx,
        kind,
        exercise,
        side,
        set_no,
        rep,
        planned,
        actual,
        outcome,
        end,
    ) in conn.execute(SEGMENTS_SQL):
        name = quoted.get(exercise)
        if name is None:
            name = quoted[exercise] = dumps(exercise)
        yield (
            key,
            _SEGMENT
            % (
                seq,
                idx,
                kind,
                name,
                "null" if side is None else f'"{side}"',
                "null" if set_no is None else set_no,
                "null" if rep is None else rep,
                "null" if planned is None else repr(planned),
                actual,
                outcome,
                _time(end),
            ),
        )


class _Segments:
    """Each session's segment texts, read once in key order; a session asked for out
    of that order is found among the rows read ahead (held until asked for)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._groups = groupby(_segment_texts(conn), key=itemgetter(0))
        self._ahead: dict[int, list[str]] = {}
        self._last = -1  # the highest session key read so far

    def of(self, key: int) -> list[str]:
        while key > self._last:
            group = next(self._groups, None)
            if group is None:
                break
            self._last = group[0]
            self._ahead[group[0]] = [text for _, text in group[1]]
        return self._ahead.pop(key, [])


def _time(text: str | None) -> str | None:
    """A stored time as the export writes it: ``datetime.isoformat()`` of the UTC
    moment, which leaves out a fraction of a second that is zero.  The store
    writes one shape (32 characters, UTC, microseconds); any other takes the
    slow way."""
    if text is None:
        return None
    if len(text) == 32 and text.endswith("+00:00"):
        return text[:19] + "+00:00" if text[19:26] == ".000000" else text
    return _slow(text)


def session_lines(conn: sqlite3.Connection) -> Iterator[str]:
    """Every session as the backup's JSON text, oldest first.

    Call inside one read transaction: sessions and segments are two reads.
    """
    plans: dict[int, str] = {}
    segments = _Segments(conn)
    for row in conn.execute(SESSIONS_SQL).fetchall():
        key, plan_id = row[0], row[3]
        plan = plans.get(plan_id)
        if plan is None:
            (text,) = conn.execute("SELECT plan FROM plans WHERE id = ?", (plan_id,)).fetchone()
            plan = plans[plan_id] = dumps(json.loads(text))
        fields: dict[str, Any] = dict(zip(SESSION_KEYS, row[4:], strict=True))
        fields["started_at"], fields["ended_at"] = _time(row[4]), _time(row[6])
        yield (
            dumps({"id": row[1], "routine": row[2]})[:-1]
            + ',"plan":'
            + plan
            + ","
            + dumps(fields)[1:-1]
            + ',"segments":['
            + ",".join(segments.of(key))
            + "]}"
        )


def write_sessions(
    conn: sqlite3.Connection, out: TextIO, *, progress: Progress | None, total: int
) -> int:
    """The ``"sessions"`` array's items, one per line after ``[``; returns how many."""
    count = 0
    for line in counted(session_lines(conn), total, progress):
        out.write(("\n" if count == 0 else ",\n") + line)
        count += 1
    return count
