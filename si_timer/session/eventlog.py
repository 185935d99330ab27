"""``--events FILE``: one JSON line per segment start and end, per cue, per state change.

Times are the session clock (seconds since the session started) beside the
planned offset, so a script can measure drift from the file alone.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import stat
from pathlib import Path
from typing import Any, TextIO

from si_timer.config.paths import FILE_MODE
from si_timer.session.engine import (
    CueDue,
    EngineEvent,
    SegmentFinished,
    SegmentStarted,
    SessionEnded,
    StateChanged,
)

log = logging.getLogger(__name__)


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
    """Appends event lines to a file, flushed per line so a killed app leaves them all.

    The file is owner-only and must be a regular file (a FIFO with no reader
    would block the session).  A log that cannot be opened or written is
    given up with one warning in ``problem``: it never stops the countdown.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem: str | None = None
        self._handle: TextIO | None = None
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
        flags |= getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        try:
            fd = os.open(path, flags, FILE_MODE)
        except OSError as error:
            self._give_up(f"cannot be opened ({error.strerror or error})")
            return
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                os.close(fd)
                self._give_up("is not a regular file")
                return
            if os.name == "posix":
                with contextlib.suppress(OSError):  # someone else's file: leave its mode
                    os.fchmod(fd, FILE_MODE)
            self._handle = os.fdopen(fd, "a", encoding="utf-8", buffering=1)
        except OSError as error:
            os.close(fd)
            self._give_up(f"cannot be opened ({error.strerror or error})")

    def _give_up(self, reason: str) -> None:
        self.problem = f"the events file {self.path} {reason}; events are not written"
        log.warning("%s", self.problem)
        if self._handle is not None:
            with contextlib.suppress(OSError):
                self._handle.close()
            self._handle = None

    def write(self, event: EngineEvent, *, out: float | None = None) -> None:
        for record in event_record(event, out=out):
            self.write_raw(record)

    def write_raw(self, record: dict[str, Any]) -> None:
        if self._handle is None:
            return
        try:
            self._handle.write(json.dumps(record) + "\n")
        except OSError as error:
            self._give_up(f"cannot be written ({error.strerror or error})")

    def flush(self) -> None:
        if self._handle is not None:
            try:
                self._handle.flush()
            except OSError as error:
                self._give_up(f"cannot be written ({error.strerror or error})")

    def close(self) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError):
                self._handle.close()
            self._handle = None
