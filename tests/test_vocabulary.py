"""The session, the library and history speak one vocabulary, and so does the SQL.

The session engine and the history package each define their own enums (the
core packages do not import each other's models), the recorder converts by
value, and the schema's CHECK lists guard the stored words.  Nothing else ties
them together: this test does, so a new segment kind or outcome added on one
side fails here instead of as a refused row in the middle of a session.
"""

from __future__ import annotations

import re
import sqlite3
from enum import Enum

import pytest

from si_timer.history import model as history
from si_timer.history.migrations import migrate
from si_timer.library.model import Side as LibrarySide
from si_timer.session.engine import EndStatus
from si_timer.session.engine import Outcome as SessionOutcome
from si_timer.session.plan import SegmentKind as SessionKind
from si_timer.ui.session.recording import STATUS


def values(enum: type[Enum]) -> set[str]:
    return {str(member.value) for member in enum}


@pytest.mark.parametrize(
    ("session", "stored"),
    [
        (SessionKind, history.SegmentKind),
        (SessionOutcome, history.Outcome),
        (LibrarySide, history.Side),
    ],
    ids=["segment kind", "outcome", "side"],
)
def test_the_session_and_history_enums_hold_the_same_words(
    session: type[Enum], stored: type[Enum]
) -> None:
    assert values(session) == values(stored)
    # The recorder converts by value: every member must have its twin.
    for member in session:
        assert stored(member.value).name == member.name


def test_a_session_ends_as_the_history_status_of_the_same_name() -> None:
    assert values(EndStatus) == values(history.SessionStatus) - {history.SessionStatus.IN_PROGRESS}
    assert set(STATUS) == set(EndStatus)
    for end, status in STATUS.items():
        assert status.value == end.value


def test_work_segments_are_the_same_kinds_on_both_sides() -> None:
    session_work = {kind.value for kind in SessionKind if kind.is_work}
    assert session_work == set(history.WORK_KINDS)
    assert {"hold", "phase", "manual"} == session_work


def schema_check_lists() -> dict[tuple[str, str], set[str]]:
    """Every ``CHECK (column IN (...))`` list of a freshly created database, by table."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(conn)
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    finally:
        conn.close()
    found: dict[tuple[str, str], set[str]] = {}
    for table, sql in rows:
        for column, words in re.findall(r"CHECK \((\w+) IN\s*\(([^)]*)\)\)", sql):
            assert (table, column) not in found
            found[table, column] = set(re.findall(r"'([^']*)'", words))
    return found


def test_the_schema_checks_exactly_the_enum_values() -> None:
    assert schema_check_lists() == {
        ("sessions", "status"): values(history.SessionStatus),
        ("sessions", "difficulty"): values(history.Difficulty),
        ("segments", "kind"): values(history.SegmentKind),
        ("segments", "side"): values(history.Side),
        ("segments", "outcome"): values(history.Outcome),
        ("day_marks", "mark"): values(history.DayMark),
    }


def test_the_schema_parser_sees_every_check_list() -> None:
    # A CHECK list the regular expression missed would pass the test above unseen.
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(conn)
        sql = " ".join(s for (s,) in conn.execute("SELECT sql FROM sqlite_master") if s)
    finally:
        conn.close()
    assert len(re.findall(r"\bIN\s*\(", sql)) == len(schema_check_lists()) == 6
