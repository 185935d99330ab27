"""A second ``si-timer`` while one runs: it hands over and leaves; one writer only.

While each later process lives, the test watches /proc for every process that
has the history database open: only the first app may ever appear.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tests.helpers.realapp import (
    AppRun,
    Launcher,
    db_holders,
    db_rows,
    prepare_data_dir,
    wait_for,
)

pytestmark = pytest.mark.slow  # real processes: kept out of the inner loop

HANDED_OVER = "si-timer is already running: it was brought to the front."
BUSY = "A session is already running; finish it first."


def _hand_over(launcher: Launcher, root: Path, first: AppRun, *args: str, name: str) -> AppRun:
    """Start a later si-timer; it must exit 0 within a few seconds, never touching the DB."""
    db = root / "data" / "history.sqlite3"
    began = time.monotonic()
    later = launcher.start(root, *args, name=name, events=False)
    holders: set[int] = set()
    while later.proc.poll() is None and time.monotonic() - began < 10:
        holders |= db_holders(db)
        time.sleep(0.005)
    took = time.monotonic() - began
    assert later.exit_code(timeout=1) == 0, later.describe()
    assert took < 5, f"the later si-timer took {took:.1f} s to hand over{later.describe()}"
    assert holders <= {first.pid}, f"another process opened the history: {holders}"
    assert later.log().strip().splitlines()[-1] == HANDED_OVER, later.describe()
    assert later.messages() == [], f"the later process did more than hand over{later.describe()}"
    later.assert_no_traceback()
    return later


def test_later_instances_hand_over_while_a_session_runs(launcher: Launcher, tmp_path: Path) -> None:
    root = prepare_data_dir(tmp_path / "data")
    db = root / "data" / "history.sqlite3"
    first = launcher.start(root, "start", "pelvic-rotation", "--time-scale", "10", name="first")
    first.wait_event(lambda e: e["event"] == "segment_started", 30, "the first session")
    assert db_holders(db) == {first.pid}

    _hand_over(launcher, root, first, name="plain")  # `si-timer`: bring it to the front
    _hand_over(launcher, root, first, "start", "morning", name="start-morning")

    ended = first.wait_session_ended(timeout=60)
    assert ended["status"] == "completed", first.describe()
    first.assert_no_traceback()
    # The running session was neither replaced nor joined by the morning routine.
    assert {e["exercise"] for e in first.events() if e["event"] == "segment_started"} == {
        "lower-trunk-rotation",
        "pelvic-rotation",
    }
    assert first.messages().count(BUSY) == 1, first.describe()
    wait_for(
        lambda: (
            db_rows(db, "SELECT routine, status FROM sessions")
            == [("pelvic-rotation", "completed")]
        ),
        10,
        f"the first session to be saved{first.describe()}",
    )
    finished = [e["index"] for e in first.events() if e["event"] == "segment_finished"]
    assert [r[0] for r in db_rows(db, "SELECT idx FROM segments ORDER BY seq")] == finished


def test_start_from_a_second_si_timer_runs_in_the_first(launcher: Launcher, tmp_path: Path) -> None:
    root = prepare_data_dir(tmp_path / "data")
    db = root / "data" / "history.sqlite3"
    first = launcher.start(root, "open", name="first", events=False)
    # Up and listening: it has opened the history after its first paint.
    wait_for(lambda: db_holders(db) == {first.pid}, 30, f"the first app{first.describe()}")

    _hand_over(launcher, root, first, "start", "morning", name="start-morning")

    # The first app began the morning routine: its session is in its history.
    wait_for(
        lambda: db_rows(db, "SELECT routine, status FROM sessions") == [("morning", "in_progress")],
        10,
        f"the handed-over session{first.describe()}",
    )
    assert db_holders(db) == {first.pid}
    assert first.proc.poll() is None
    first.assert_no_traceback()


NOT_RESPONDING = (
    "si-timer is already running but is not responding; "
    "close it (or end its process) and start again."
)


def test_a_frozen_first_instance_is_reported_not_brought_to_the_front(
    launcher: Launcher, tmp_path: Path
) -> None:
    root = prepare_data_dir(tmp_path / "data")
    db = root / "data" / "history.sqlite3"
    first = launcher.start(root, "open", name="first", events=False)
    wait_for(lambda: db_holders(db) == {first.pid}, 30, f"the first app{first.describe()}")
    os.kill(first.pid, signal.SIGSTOP)  # frozen: its socket accepts, nobody answers
    try:
        later = launcher.start(root, name="later", events=False)
        assert later.exit_code(timeout=10) == 1, later.describe()
        assert later.log().strip().splitlines()[-1] == NOT_RESPONDING, later.describe()
        later.assert_no_traceback()
    finally:
        os.kill(first.pid, signal.SIGCONT)
    assert first.proc.poll() is None
