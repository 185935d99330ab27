"""Every migration, from the first schema, with data in it."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from si_timer.history import migrations
from si_timer.history.migrations import (
    LATEST_VERSION,
    MIGRATIONS,
    REQUIRED_TABLES,
    ForeignDatabaseError,
    Migration,
    migrate,
    table_names,
    user_version,
)
from si_timer.history.model import SessionStatus, StoredSession
from si_timer.history.plan import store_plan
from si_timer.history.queries import to_db_time
from si_timer.history.store import HistoryStore
from si_timer.history.tally import plan_tally, ran_long_enough, work_steps
from tests.helpers.history_factories import session_for


def connect(path: Path | str = ":memory:") -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def insert_v1(conn: sqlite3.Connection, s: StoredSession) -> None:
    """Write a session the way schema version 1 holds it (facts only)."""
    conn.execute(
        "INSERT INTO sessions (id, routine, plan_id, started_at, utc_offset_minutes, ended_at, "
        "status, pain_before, pain_after, difficulty, note) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (
            s.id,
            s.routine,
            store_plan(conn, s.plan),
            to_db_time(s.started_at),
            s.utc_offset_minutes,
            to_db_time(s.ended_at) if s.ended_at else None,
            s.status.value,
            s.pain_before,
            s.pain_after,
            s.difficulty.value if s.difficulty else None,
            s.note,
        ),
    )
    (key,) = conn.execute("SELECT key FROM sessions WHERE id = ?", (s.id,)).fetchone()
    conn.executemany(
        "INSERT INTO segments VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                key,
                g.seq,
                g.record.index,
                g.record.kind.value,
                g.record.exercise,
                g.record.side.value if g.record.side else None,
                g.record.set,
                g.record.rep,
                g.record.planned_seconds,
                g.record.actual_seconds,
                g.record.outcome.value,
                to_db_time(g.record.ended_at),
            )
            for g in s.segments
        ],
    )


def v1_database(conn: sqlite3.Connection) -> list[StoredSession]:
    """A schema-1 database holding three realistic sessions and a day mark."""
    migrate(conn, target=1)
    rng = random.Random(3)
    sessions = [
        # 00:30 Berlin summer time = the evening before in UTC.
        session_for(
            "morning",
            datetime(2025, 6, 1, 22, 30, tzinfo=UTC),
            120,
            rng,
            status=SessionStatus.COMPLETED,
        ),
        session_for(
            "strength",
            datetime(2025, 6, 2, 10, 0, tzinfo=UTC),
            120,
            rng,
            status=SessionStatus.PARTIAL,
        ),
        session_for(
            "morning",
            datetime(2025, 6, 2, 17, 0, tzinfo=UTC),
            120,
            rng,
            status=SessionStatus.COMPLETED,
        ),
    ]
    for s in sessions:
        insert_v1(conn, s)
    conn.execute("INSERT INTO day_marks VALUES ('2025-06-03', 'rest', '2025-06-03T08:00:00+00:00')")
    return sessions


def best_outcomes(session: StoredSession) -> dict[int, str]:
    """Each plan index's best outcome, judged as version 3 judges a "done"."""
    steps = {step.index: step.reps for step in work_steps(session.plan)}
    best: dict[int, str] = {}
    for g in session.segments:
        r = g.record
        outcome = r.outcome.value
        short = r.index in steps and not ran_long_enough(
            r.planned_seconds, steps[r.index], r.actual_seconds
        )
        if outcome == "done" and short:
            outcome = "skipped"
        if best.get(r.index) != "done":
            best[r.index] = outcome if outcome != "skipped" else best.get(r.index, outcome)
    return best


def test_versions_are_numbered_one_by_one() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, LATEST_VERSION + 1))


def test_a_new_database_gets_every_migration() -> None:
    conn = connect()
    assert migrate(conn) == 0
    assert user_version(conn) == LATEST_VERSION
    assert table_names(conn) >= REQUIRED_TABLES
    assert migrate(conn) == LATEST_VERSION  # nothing pending: nothing done


@pytest.mark.parametrize("target", [m.version for m in MIGRATIONS])
def test_each_migration_from_the_first_schema_keeps_the_data(target: int) -> None:
    conn = connect()
    sessions = v1_database(conn)
    assert migrate(conn, target=target) == 1
    assert user_version(conn) == target
    rows = conn.execute("SELECT id, status, pain_before FROM sessions ORDER BY started_at")
    # From version 3 a status says what was done (see test_honest_records.py).
    honest = {s.id: plan_tally(s.plan, best_outcomes(s)).status for s in sessions}
    assert [tuple(r) for r in rows] == [
        (s.id, (s.status if target < 3 else honest[s.id]).value, s.pain_before) for s in sessions
    ]
    (segments,) = conn.execute("SELECT COUNT(*) FROM segments").fetchone()
    assert segments == sum(len(s.segments) for s in sessions)
    assert conn.execute("SELECT mark FROM day_marks").fetchall() == [("rest",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_migration_2_derives_days_and_totals_from_the_facts() -> None:
    conn = connect()
    sessions = v1_database(conn)
    migrate(conn, target=2)
    rows = conn.execute(
        "SELECT id, local_day, routine_name, goal_per_day, segments_total, segments_done, "
        "active_seconds FROM sessions ORDER BY started_at"
    ).fetchall()
    first = rows[0]
    assert first[1] == "2025-06-02"  # the local day, not the UTC date
    assert first[2:5] == ("Morning stretches", 2, 10)
    work_done = {
        g.record.index
        for g in sessions[0].segments
        if g.record.is_work and g.record.outcome.value == "done"
    }
    assert first[5] == len(work_done)
    assert first[6] == pytest.approx(sum(g.record.actual_seconds for g in sessions[0].segments))
    names = dict(conn.execute("SELECT exercise, name FROM exercise_names").fetchall())
    assert names["pelvic-tilt"] == "Pelvic tilt"
    (exercises,) = conn.execute("SELECT COUNT(*) FROM session_exercises").fetchone()
    assert exercises > 0


def test_a_failing_migration_leaves_the_previous_version_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = MIGRATIONS[1]

    def broken(conn: sqlite3.Connection) -> None:
        real.apply(conn)  # all of its work, then a failure before the commit
        raise RuntimeError("power cut, as far as this transaction knows")

    monkeypatch.setattr(migrations, "MIGRATIONS", (MIGRATIONS[0], Migration(2, "x", broken)))
    conn = connect()
    v1_database(conn)
    with pytest.raises(RuntimeError, match="power cut"):
        migrate(conn, target=2)
    assert user_version(conn) == 1
    columns = {r[1] for r in conn.execute("PRAGMA table_info(sessions)")}
    assert "local_day" not in columns
    assert "session_exercises" not in table_names(conn)
    assert not conn.in_transaction
    monkeypatch.undo()
    migrate(conn)  # and the real one still applies afterwards
    assert user_version(conn) == LATEST_VERSION


def test_before_first_runs_only_for_an_existing_schema() -> None:
    seen: list[int] = []
    hook: Callable[[int], None] = seen.append
    migrate(connect(), before_first=hook)
    assert seen == []
    conn = connect()
    v1_database(conn)
    migrate(conn, before_first=hook)
    assert seen == [1]


def test_a_file_with_tables_but_no_version_is_not_ours() -> None:
    conn = connect()
    conn.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(ForeignDatabaseError):
        migrate(conn)
    assert user_version(conn) == 0


def test_opening_a_version_1_file_backs_it_up_then_upgrades(tmp_path: Path) -> None:
    path = tmp_path / "data" / "history.sqlite3"
    path.parent.mkdir()
    conn = connect(path)
    sessions = v1_database(conn)
    conn.close()
    backups = tmp_path / "data" / "backups"
    moment = datetime(2025, 6, 4, 9, 0, tzinfo=UTC)
    store, report = HistoryStore.open(path, backup_dir=backups, now=lambda: moment)
    with store:
        assert report.migrated_from == 1
        assert report.migration_backup is not None
        assert report.migration_backup.name == "before-upgrade-v1-history-20250604T090000Z.sqlite3"
        assert [s.id for s in store.session_summaries()] == [s.id for s in sessions]
        # All three sessions fall on 2 June (local); the 3rd is a rest day.
        assert store.streaks(date(2025, 6, 4)).current == 1
    old = connect(report.migration_backup)
    assert user_version(old) == 1
    assert old.execute("SELECT COUNT(*) FROM sessions").fetchone() == (3,)


def usage_by_scan(conn: sqlite3.Connection) -> dict[str, tuple[int, str]]:
    rows = conn.execute(
        "SELECT routine, COUNT(*), MAX(local_day) FROM sessions WHERE reps_done > 0 "
        "GROUP BY routine"
    )
    return {r: (n, last) for r, n, last in rows}


def test_migration_4_totals_each_routine_and_its_triggers_keep_it_true(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    conn = connect(path)
    v1_database(conn)
    migrate(conn, target=3)
    before = usage_by_scan(conn)
    assert set(before) == {"morning", "strength"}
    migrate(conn)
    conn.close()
    store, _ = HistoryStore.open(path)
    with store:
        usage = store.routine_usage()
        assert {r: (u.count, u.last_day.isoformat()) for r, u in usage.items()} == before
        # Every kind of write keeps the totals: a session recorded, one renamed,
        # one emptied, one deleted.
        rng = random.Random(9)
        new = session_for(
            "strength",
            datetime(2025, 6, 9, 7, tzinfo=UTC),
            120,
            rng,
            status=SessionStatus.COMPLETED,
        )
        store.merge([new], [])
        assert store.routine_usage()["strength"].count == before["strength"][0] + 1
        sql = store._conn.execute
        sql("BEGIN")
        sql("UPDATE sessions SET reps_done = 0 WHERE id = ?", (new.id,))
        sql("UPDATE sessions SET routine = 'evening' WHERE routine = 'strength'")
        sql("DELETE FROM sessions WHERE key = (SELECT MIN(key) FROM sessions)")
        sql("COMMIT")
        expected = usage_by_scan(store._conn)
        assert {r: (u.count, u.last_day.isoformat()) for r, u in store.routine_usage().items()} == (
            expected
        )
        assert "strength" not in expected
        assert expected["evening"][0] == before["strength"][0]
