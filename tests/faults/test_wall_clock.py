"""The wall clock jumps an hour forward, then two back, during holds: the countdown holds.

The real app runs under libfaketime, with the offset in a file it re-reads on
every call (``FAKETIME_NO_CACHE``), so the test moves the wall clock while the
session runs.  The monotonic and boot clocks stay real (``DONT_FAKE_MONOTONIC``),
exactly as when a person or NTP changes the system time.  The history proves
the jumps reached the app: each segment's end is stamped with the wall clock.
"""

from __future__ import annotations

import os
import time
from datetime import datetime
from pathlib import Path

import pytest

from tests.helpers.realapp import Launcher, db_rows, offscreen_env, prepare_data_dir

pytestmark = pytest.mark.slow  # real processes: kept out of the inner loop

LIBFAKETIME = (
    "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
    "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
    "/usr/lib/faketime/libfaketime.so.1",
    "/usr/local/lib/faketime/libfaketime.so.1",
)
HOUR = 3600.0

EXERCISE = """\
id: still-hold
name: Still hold
category: strength
position: Standing
source: the fault suite
sides: none
dose:
  hold: 3
  reps: 2
  relax: 1
steps:
  - Stand still.
"""

# 0-1 s get ready, 1-4 s hold, 4-5 s relax, 5-8 s hold: real seconds (time scale 1).
ROUTINE = """\
id: clock-jump
name: Clock jump
description: Two short holds while the wall clock jumps.
lead_in: 1
switch: 0
rest_between: 0
exercises:
  - still-hold
"""


def _libfaketime() -> Path | None:
    for candidate in (os.environ.get("SI_TIMER_LIBFAKETIME", ""), *LIBFAKETIME):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def _set_offset(path: Path, offset: str) -> None:
    """Move the app's wall clock; atomic, so libfaketime never reads half a file."""
    tmp = path.with_name(path.name + ".new")
    tmp.write_text(offset + "\n", encoding="ascii")
    os.replace(tmp, path)


def test_wall_clock_jumps_during_holds_leave_the_countdown_alone(
    launcher: Launcher, tmp_path: Path
) -> None:
    library = _libfaketime()
    if library is None:
        pytest.skip("libfaketime is not installed (apt-get install faketime, or run .ci/run)")
    root = prepare_data_dir(tmp_path / "jump")
    for folder, text in (("exercises", EXERCISE), ("routines", ROUTINE)):
        (root / "data" / folder).mkdir(parents=True)
        (root / "data" / folder / "clock-jump.yaml").write_text(text, encoding="utf-8")
    offset = tmp_path / "faketime-offset"
    _set_offset(offset, "+0")
    env = offscreen_env(
        LD_PRELOAD=str(library),
        FAKETIME_TIMESTAMP_FILE=str(offset),
        FAKETIME_NO_CACHE="1",
        DONT_FAKE_MONOTONIC="1",  # the name libfaketime 0.9.10 reads
        FAKETIME_DONT_FAKE_MONOTONIC="1",  # and the newer one
    )
    run = launcher.start(root, "start", "clock-jump", name="jump", env=env)

    def started(index: int, timeout: float = 10) -> float:
        run.wait_event(
            lambda e: e["event"] == "segment_started" and e["index"] == index,
            timeout,
            f"segment {index}",
        )
        return time.monotonic()

    first_hold = started(1, timeout=30)  # start-up included
    time.sleep(0.8)
    _set_offset(offset, "+3600")  # an hour forward, 0.8 s into the first hold
    started(3)
    time.sleep(0.8)
    _set_offset(offset, "-3600")  # two hours back, 0.8 s into the second hold
    ended = run.wait_session_ended(timeout=15)
    took = time.monotonic() - first_hold

    context = run.describe()
    assert ended["status"] == "completed", context
    run.assert_no_traceback()
    events = run.events()
    states = [e["state"] for e in events if e["event"] == "state"]
    assert states == ["running", "finished"], f"the session paused or stalled{context}"
    for e in events:
        if e["event"] in ("segment_started", "segment_finished"):
            assert abs(e["t"] - e["planned"]) < 0.25, (e, context)
    holds = [e for e in events if e["event"] == "segment_finished" and e["kind"] == "hold"]
    assert [h["actual_seconds"] for h in holds] == [3.0, 3.0], context
    # Seen from outside on the real clock: first hold to the end is 7 s (polling adds a
    # little); a countdown on the wall clock would be off by an hour, or end at once.
    assert 6.5 < took < 8.0, (took, context)

    # The jumps did reach the app: the wall-clock end stamps of the segments.
    rows = db_rows(root / "data" / "history.sqlite3", "SELECT idx, ended_at FROM segments")
    ends = {idx: datetime.fromisoformat(stamp) for idx, stamp in rows}
    assert sorted(ends) == [0, 1, 2, 3], context
    base = ends[0]  # the lead-in ended at 1 s, before any jump

    def after(idx: int) -> float:
        return (ends[idx] - base).total_seconds()

    assert abs(after(1) - (3 + HOUR)) < 1.0, after(1)  # first hold ended an hour "later"
    assert abs(after(2) - (4 + HOUR)) < 1.0, after(2)
    assert abs(after(3) - (7 - HOUR)) < 1.0, after(3)  # second hold, an hour "earlier"
