"""--events: one JSON line per segment start/end and per cue, flushed as it happens."""

from __future__ import annotations

import json
from pathlib import Path

from si_timer.library.catalog import load_catalog
from si_timer.session.clock import FakeClock
from si_timer.session.cues import Verbosity, script
from si_timer.session.engine import SessionEngine
from si_timer.session.eventlog import EventLog
from si_timer.session.plan import build_plan


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
