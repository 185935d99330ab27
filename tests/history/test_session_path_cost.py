"""What a session costs the history does not grow with the history's size.

Pinned without timing: SQLite's own count of virtual-machine steps for the
writes of one whole session is the same at a month and at a year of history,
and no statement on that path reads a table of sessions or segments in full
(``EXPLAIN QUERY PLAN`` of each statement as it ran).
"""

from __future__ import annotations

import random
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from si_timer.history.model import SessionStatus
from si_timer.history.store import HistoryStore
from tests.helpers.history_factories import fill_history, make_plan, play_segments

TODAY = date(2025, 6, 30)
NOW = datetime(2025, 6, 30, 18, 0, tzinfo=UTC)
BIG_TABLES = ("sessions", "segments", "session_exercises", "pain_entries", "day_marks")


@contextmanager
def counting(conn: sqlite3.Connection) -> Iterator[list[int]]:
    """Count the virtual-machine steps SQLite runs on ``conn`` (one per 100)."""
    steps = [0]

    def step() -> int:
        steps[0] += 1
        return 0

    conn.set_progress_handler(step, 100)
    try:
        yield steps
    finally:
        conn.set_progress_handler(None, 0)


@contextmanager
def statements(conn: sqlite3.Connection) -> Iterator[list[str]]:
    """Every statement run on ``conn``, with its values filled in."""
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        conn.set_trace_callback(None)


def one_session(store: HistoryStore, seed: int) -> None:
    """A whole session as the player records it: begin, every segment, finish."""
    plan = make_plan("morning")
    start = NOW + timedelta(minutes=seed)
    sid = store.begin_session("morning", plan, started_at=start, utc_offset_minutes=120)
    segments = play_segments(plan, start, random.Random(seed), pain_skips=0)
    for segment in segments:
        store.record_segment(sid, segment)
    store.finish_session(sid, SessionStatus.COMPLETED, ended_at=segments[-1].ended_at)


@pytest.fixture(scope="module")
def histories(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A month and a year of history (3 sessions a day), built once for the module."""
    made = {}
    for name, days in (("month", 30), ("year", 365)):
        path = tmp_path_factory.mktemp(name) / "history.sqlite3"
        store, _ = HistoryStore.open(path)
        with store:
            fill_history(store, TODAY - timedelta(days=days), TODAY - timedelta(days=1), seed=5)
        made[name] = path
    return made


def cost(path: Path, action: Callable[[HistoryStore], object]) -> int:
    store, _ = HistoryStore.open(path)
    with store:
        action(store)  # warm: the plan is stored, caches are filled
        with counting(store._conn) as steps:
            action(store)
        return steps[0]


def test_recording_a_session_costs_the_same_at_a_month_and_at_a_year(
    histories: dict[str, Path],
) -> None:
    month = cost(histories["month"], lambda s: one_session(s, random.randrange(1000)))
    year = cost(histories["year"], lambda s: one_session(s, random.randrange(1000)))
    assert year <= 1.1 * month + 5, (month, year)


def scans(conn: sqlite3.Connection, sql: str) -> list[str]:
    """The full reads of a big table in the plan of ``sql``."""
    if not re.match(r"\s*(SELECT|UPDATE|DELETE|INSERT|WITH)", sql, re.IGNORECASE):
        return []
    plan = conn.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
    return [
        detail
        for *_, detail in plan
        if re.match(rf"SCAN ({'|'.join(BIG_TABLES)})\b", detail)
        or re.match(r"SCAN \w+ USING (COVERING )?INDEX", detail)
    ]


def test_no_statement_of_a_session_reads_a_whole_table(histories: dict[str, Path]) -> None:
    store, _ = HistoryStore.open(histories["year"])
    with store:
        with statements(store._conn) as seen:
            one_session(store, 7)
        assert len(seen) > 20
        found = {sql: scans(store._conn, sql) for sql in seen}
    assert {sql: plan for sql, plan in found.items() if plan} == {}


def test_when_each_routine_was_last_done_costs_the_same_at_a_month_and_at_a_year(
    histories: dict[str, Path],
) -> None:
    """The home page's cards (how often, last done) read totals, not every session."""
    month = cost(histories["month"], lambda s: s.routine_usage())
    year = cost(histories["year"], lambda s: s.routine_usage())
    assert year <= month + 2, (month, year)
    store, _ = HistoryStore.open(histories["year"])
    with store:
        with statements(store._conn) as seen:
            usage = store.routine_usage()
        assert [scans(store._conn, sql) for sql in seen] == [[]]
        (last,) = store._conn.execute(
            "SELECT MAX(local_day) FROM sessions WHERE routine = 'morning' AND reps_done > 0"
        ).fetchone()
    assert usage["morning"].last_day.isoformat() == last
