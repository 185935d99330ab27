"""``--events FILE``: one JSON line per segment start and end, per cue, per state change.

Times are the session clock (seconds since the session started) beside the
planned offset, so a script can measure drift from the file alone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from si_timer.session.engine import (
    CueDue,
    EngineEvent,
    SegmentFinished,
    SegmentStarted,
    SessionEnded,
    StateChanged,
)


def event_record(event: EngineEvent, *, out: float | None = None) -> list[dict[str, Any]]:
    """The JSON objects for one engine event (a cue with speech and sound is two).

    ``out``, for a cue, is the session-clock time at which its sound or line was
    handed to the output: anything that delays a cue after the engine decided
    (a slow history write, a busy GUI thread) shows as ``out - t``.
    """
    # "t" is when the engine actually noticed the event, so the file shows real
    # lateness against "planned" (the engine's own deadlines never drift).
    observed = getattr(event, "observed", None)
    t = round(event.t if observed is None else observed, 4)
    match event:
        case SegmentStarted(index=index, segment=seg):
            return [
                {
                    "t": t,
                    "event": "segment_started",
                    "index": index,
                    "planned": seg.start,
                    "kind": seg.kind.value,
                    "exercise": seg.exercise_id,
                    "side": seg.side.value,
                    "seconds": seg.seconds,
                }
            ]
        case SegmentFinished(index=index, segment=seg, outcome=outcome, actual_seconds=actual):
            return [
                {
                    "t": t,
                    "event": "segment_finished",
                    "index": index,
                    "planned": seg.end,
                    "kind": seg.kind.value,
                    "exercise": seg.exercise_id,
                    "side": seg.side.value,
                    "outcome": outcome.value,
                    "actual_seconds": round(actual, 4),
                }
            ]
        case CueDue(cue=cue, index=index):
            lines: list[dict[str, Any]] = []
            handed = {} if out is None else {"out": round(out, 4)}
            if cue.sound is not None:
                lines.append(
                    {
                        "t": t,
                        "event": "cue",
                        "kind": "sound",
                        "sound": cue.sound.value,
                        "index": index,
                        **handed,
                    }
                )
            if cue.speech is not None:
                lines.append(
                    {
                        "t": t,
                        "event": "cue",
                        "kind": "speech",
                        "text": cue.speech,
                        "index": index,
                        **handed,
                    }
                )
            return lines
        case StateChanged(state=state, reason=reason):
            return [
                {
                    "t": t,
                    "event": "state",
                    "state": state.value,
                    "reason": reason.value if reason else None,
                }
            ]
        case SessionEnded():
            return [
                {
                    "t": t,
                    "event": "session_ended",
                    "status": event.status.value,
                    "done": event.done,
                    "skipped": event.skipped,
                    "total": event.total,
                    "active_seconds": round(event.active_seconds, 4),
                }
            ]
    raise TypeError(f"unknown engine event {event!r}")


class EventLog:
    """Appends event lines to a file, flushed per line so a killed app leaves them all."""

    def __init__(self, path: Path) -> None:
        self._handle: TextIO = path.open("a", encoding="utf-8", buffering=1)

    def write(self, event: EngineEvent, *, out: float | None = None) -> None:
        for record in event_record(event, out=out):
            self._handle.write(json.dumps(record) + "\n")

    def write_raw(self, record: dict[str, Any]) -> None:
        self._handle.write(json.dumps(record) + "\n")

    def flush(self) -> None:
        if not self._handle.closed:
            self._handle.flush()

    def close(self) -> None:
        self._handle.close()
