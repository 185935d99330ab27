"""--events: one JSON line per segment start/end and per cue, flushed as it happens."""

from __future__ import annotations

import errno
import io
import itertools
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from si_timer.library.catalog import load_catalog
from si_timer.session.clock import FakeClock
from si_timer.session.cues import script, spoken_seconds
from si_timer.session.engine import SessionEngine
from si_timer.session.eventlog import EventLog
from si_timer.session.plan import build_plan
from si_timer.session.verbosity import Verbosity


def test_a_session_leaves_a_readable_trail(tmp_path: Path) -> None:
    catalog = load_catalog()
    plan = build_plan(catalog.routine("pelvic-rotation"), catalog.exercises)
    clock = FakeClock()
    log = EventLog(tmp_path / "events.jsonl")
    engine = SessionEngine(plan, clock, log.write, script(plan, catalog.exercises, Verbosity.KEY))
    engine.start()
    # Read while the log is still open: every line is already on disk.
    first = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text().splitlines()]
    assert first[0] == {"t": 0.0, "event": "state", "state": "running", "reason": None}
    assert first[1]["event"] == "segment_started"
    while engine.state.value != "finished":
        clock.advance(0.5)
        engine.tick()
    log.close()
    events = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text().splitlines()]
    starts = [e for e in events if e["event"] == "segment_started"]
    assert len(starts) == len(plan.segments)
    for e in starts:
        assert e["t"] == e["planned"]
    speech = [e for e in events if e["event"] == "cue" and e["kind"] == "speech"]
    assert {
        "t": speech[1]["t"],
        "event": "cue",
        "kind": "speech",
        "text": "Left side. Hold for 5 seconds.",
        "index": 1,
    } == speech[1]
    assert events[-1]["event"] == "session_ended"
    assert events[-1]["status"] == "completed"


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes and special files")
def test_the_events_file_is_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    log = EventLog(path)
    log.write_raw({"event": "x"})
    log.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert log.problem is None


@pytest.mark.skipif(os.name != "posix", reason="POSIX special files")
def test_a_fifo_as_events_file_is_given_up_not_waited_on(tmp_path: Path) -> None:
    path = tmp_path / "events.fifo"
    os.mkfifo(path)
    log = EventLog(path)  # no reader: opening must not block
    log.write_raw({"event": "x"})
    assert log.problem is not None
    assert str(path) in log.problem


def test_a_failing_events_file_never_stops_the_session(tmp_path: Path) -> None:
    catalog = load_catalog()
    plan = build_plan(catalog.routine("pelvic-rotation"), catalog.exercises)
    clock = FakeClock()
    log = EventLog(tmp_path / "events.jsonl")

    class Full(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    log.close()
    log._handle = Full()  # the disk fills up after the file was opened
    engine = SessionEngine(plan, clock, log.write, script(plan, catalog.exercises, Verbosity.KEY))
    engine.start()
    while engine.state.value != "finished":
        clock.advance(0.5)
        engine.tick()
    assert log.problem is not None
    assert "No space left" in log.problem


ROUTINES = sorted(load_catalog().routines)


def _run_to_the_end(tmp_path: Path, routine: str, verbosity: Verbosity) -> list[dict[str, Any]]:
    """Run ``routine`` at ``verbosity`` on a fake clock and read back its events file."""
    catalog = load_catalog()
    plan = build_plan(catalog.routine(routine), catalog.exercises)
    clock = FakeClock()
    path = tmp_path / f"{routine}-{verbosity.value}.jsonl"
    log = EventLog(path)
    engine = SessionEngine(plan, clock, log.write, script(plan, catalog.exercises, verbosity))
    try:
        engine.start()
        while engine.state.value != "finished":
            wake = engine.next_wake()
            if wake is None:
                # Self-paced with nothing to end it: done, as a person would press it.
                engine.done()
                continue
            # To the next cue or deadline (self-paced reps end by themselves after their
            # expected time), so each line is logged at its planned time, in steps of at
            # most a second (a longer jump would look like a suspend).
            clock.advance(min(1.0, max(wake - clock.monotonic(), 0.0)))
            engine.tick()
    finally:
        log.close()
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.mark.parametrize("routine", ROUTINES)
def test_the_events_of_every_routine_have_a_word_at_every_phase(
    tmp_path: Path, routine: str
) -> None:
    events = _run_to_the_end(tmp_path, routine, Verbosity.COACH)
    phases = {
        e["index"] for e in events if e["event"] == "segment_started" and e["kind"] == "phase"
    }
    said = {e["index"] for e in events if e["event"] == "cue" and e["kind"] == "speech"}
    assert phases <= said, sorted(phases - said)


@pytest.mark.parametrize("routine", ROUTINES)
@pytest.mark.parametrize("verbosity", [v for v in Verbosity if v is not Verbosity.OFF])
def test_the_events_of_every_routine_have_no_line_over_the_next(
    tmp_path: Path, routine: str, verbosity: Verbosity
) -> None:
    events = _run_to_the_end(tmp_path, routine, verbosity)
    lines = [(e["t"], e["text"]) for e in events if e["event"] == "cue" and e["kind"] == "speech"]
    assert lines
    for (start, text), (following, _) in itertools.pairwise(lines):
        assert start + spoken_seconds(text) <= following + 1e-6, (start, text, following)
