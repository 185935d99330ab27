"""SIGKILL the real app at random moments of a session: nothing finished is lost.

Two lanes (one data folder each) run side by side; each round starts
``si-timer start morning`` at 20x speed, kills it at a seeded random moment
0.5-3 s into the session, then checks what the next start would find: a
database that passes ``PRAGMA integrity_check``, every segment the events file
reports finished (the app writes the event line just before it commits the
segment, so the very last one may be missing, never any other), no segment
the events file does not show, and the killed session offered for resuming.
The check closes it as partial, so the next round's app starts without asking.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from si_timer.config.paths import AppPaths, resolve_paths
from si_timer.history.store import HistoryStore
from tests.helpers.realapp import AppRun, db_rows, launch, prepare_data_dir

pytestmark = pytest.mark.slow  # real processes: kept out of the inner loop

SEED = 20250314
LANES = 2
ROUNDS_PER_LANE = 12  # 24 kills
SCALE = "20"  # the five-minute morning routine in 15 s: a segment ends every 0.25-1 s
KILL_AFTER = (0.5, 3.0)  # seconds after the first segment started

SEGMENTS_SQL = (
    "SELECT g.idx, g.kind, g.exercise, g.outcome FROM segments g "
    "JOIN sessions s ON s.key = g.session_key WHERE s.id = ? ORDER BY g.seq"
)


@dataclass
class Lane:
    """One data folder that rounds of start-and-kill share, so history accumulates."""

    name: str
    root: Path
    delays: list[float]
    paths: AppPaths = field(init=False)
    kept: dict[str, int] = field(default_factory=dict)  # session id -> segments, checked later
    commit_races: int = 0  # kills that landed between an event line and its commit

    def __post_init__(self) -> None:
        prepare_data_dir(self.root / "data")
        self.paths = resolve_paths(self.root / "data")


def _finished(run: AppRun) -> list[tuple[Any, ...]]:
    return [
        (e["index"], e["kind"], e["exercise"], e["outcome"])
        for e in run.events()
        if e["event"] == "segment_finished"
    ]


def _segments(db: Path, session_id: str) -> list[tuple[Any, ...]]:
    return db_rows(db, SEGMENTS_SQL, (session_id,))


def _integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return "; ".join(str(row[0]) for row in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def _round(lane: Lane, number: int, delay: float) -> None:
    name = f"{lane.name}-round{number:02d}"
    run = launch(
        lane.paths.data_dir.parent,
        "start",
        "morning",
        "--time-scale",
        SCALE,
        log_file=lane.root / f"{name}.log",
        events_file=lane.root / f"{name}.events.jsonl",
    )
    try:
        run.wait_event(lambda e: e["event"] == "segment_started", 30, f"{name}: the session")
        # Measured from the first segment, not from launch: start-up time varies.
        time.sleep(delay)
        assert run.proc.poll() is None, f"{name}: the app exited by itself{run.describe()}"
    finally:
        run.kill()
    context = f"{name} (killed {delay:.2f} s in){run.describe()}"
    events = run.events()
    assert not any(e["event"] == "session_ended" for e in events), context
    finished = _finished(run)
    db = lane.paths.database_file

    # What is on disk, before any code of ours opens (and so recovers) the file.
    assert _integrity(db) == "ok", context

    # What the next start finds (the app opens it exactly like this).
    store, report = HistoryStore.open(db, backup_dir=lane.paths.backup_dir)
    try:
        assert report.moved_aside is None, context
        assert len(report.interrupted) == 1, (report.interrupted, context)
        (session,) = report.interrupted
        assert [s.id for s in store.interrupted_sessions()] == [session.id], context
        assert session.routine == "morning", context
        stored = _segments(db, session.id)
        # Never a segment the events file does not show, and every finished one
        # committed except, at most, the one being committed as the kill landed.
        assert stored in (finished, finished[:-1]), (stored, finished, context)
        if finished and stored == finished[:-1]:
            lane.commit_races += 1
        assert session.last_index == (stored[-1][0] if stored else None), context
        # Earlier rounds' sessions are untouched by this kill.
        for old_id, count in lane.kept.items():
            assert len(_segments(db, old_id)) == count, (old_id, context)
        store.keep_as_partial(session.id)
        assert store.interrupted_sessions() == [], context
        lane.kept[session.id] = len(stored)
    finally:
        store.close()


def _run_lane(lane: Lane) -> Lane:
    for number, delay in enumerate(lane.delays):
        _round(lane, number, delay)
    return lane


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_mid_session_loses_no_finished_segment(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    delays = [rng.uniform(*KILL_AFTER) for _ in range(LANES * ROUNDS_PER_LANE)]
    lanes = [Lane(f"lane{n}", tmp_path / f"lane{n}", delays[n::LANES]) for n in range(LANES)]
    with ThreadPoolExecutor(max_workers=LANES) as pool:
        done = [future.result() for future in [pool.submit(_run_lane, lane) for lane in lanes]]
    kills = sum(len(lane.delays) for lane in done)
    assert kills >= 20
    # Every killed session is still there, closed as partial, with its segments.
    for lane in done:
        assert _integrity(lane.paths.database_file) == "ok"
        db = lane.paths.database_file
        statuses = dict(db_rows(db, "SELECT id, status FROM sessions"))
        counts = {sid: len(_segments(db, sid)) for sid in statuses}
        # Closed as partial, or, killed before any work was done, as no session at all.
        for sid, status in statuses.items():
            worked = db_rows(
                db,
                "SELECT COUNT(*) FROM segments g JOIN sessions s ON s.key = g.session_key "
                "WHERE s.id = ? AND g.outcome = 'done' AND g.kind IN ('hold', 'phase', 'manual')",
                (sid,),
            )[0][0]
            assert status == ("partial" if worked else "abandoned"), (sid, status, worked)
        assert counts == lane.kept
    races = sum(lane.commit_races for lane in done)
    print(f"{kills} kills; {races} landed between an event line and its commit")
