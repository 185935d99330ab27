"""The history writes still owed, on disk: one JSON line each, replayed at the next open.

When a write cannot reach the database (another process holds the lock, the
disk is full) the recorder keeps it in memory and appends it here, beside the
database, fsynced, owner-only.  Each write is idempotent by its own identity
(a session by its id, a segment by its session, plan index and end time), so
replaying a line that did reach the database adds nothing; the file is removed
once everything in it is applied.  A last line cut short by a crash is ignored.
"""

from __future__ import annotations

import enum
import json
import logging
import os
import stat
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from si_timer.config.paths import FILE_MODE
from si_timer.history.model import (
    Difficulty,
    Outcome,
    SegmentKind,
    SegmentRecord,
    SessionStatus,
    Side,
    check_pain,
)
from si_timer.records import record

log = logging.getLogger(__name__)

# Far more than a day of owed writes (a segment line is ~300 bytes); a bigger
# file is not ours to read whole.
MAX_JOURNAL_BYTES = 64 * 1024 * 1024

_POSIX = os.name == "posix"


# --- the writes -----------------------------------------------------------------


@record(frozen=True)
class BeginSession:
    """A new session "in progress", with the id the recorder gave it."""

    session_id: str
    routine_id: str
    plan: dict[str, Any]
    started_at: datetime
    utc_offset_minutes: int


@record(frozen=True)
class RecordSegment:
    """One finished segment of a session."""

    session_id: str
    segment: SegmentRecord


@record(frozen=True)
class SetPainBefore:
    session_id: str
    pain: int


@record(frozen=True)
class FinishSession:
    session_id: str
    status: SessionStatus
    ended_at: datetime


@record(frozen=True)
class RateSession:
    """The summary's answers; a None (or blank note) leaves that rating as it is."""

    session_id: str
    pain_after: int | None
    difficulty: Difficulty | None
    note: str | None


PendingWrite = BeginSession | RecordSegment | SetPainBefore | FinishSession | RateSession


class _Op(enum.StrEnum):
    """The ``op`` word of a journal line; stored on disk, so never renamed."""

    BEGIN = "begin"
    SEGMENT = "segment"
    PAIN_BEFORE = "pain_before"
    FINISH = "finish"
    RATE = "rate"


def _time(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def _aware(text: object) -> datetime:
    if not isinstance(text, str):
        raise ValueError(f"a time must be text, got {text!r}")
    moment = datetime.fromisoformat(text)
    if moment.utcoffset() is None:
        raise ValueError(f"a time without an offset: {text!r}")
    return moment


def to_line(write: PendingWrite) -> str:
    """The journal line of ``write`` (no newline)."""
    body: dict[str, Any]
    match write:
        case BeginSession():
            body = {
                "op": _Op.BEGIN,
                "routine": write.routine_id,
                "plan": write.plan,
                "started_at": _time(write.started_at),
                "utc_offset_minutes": write.utc_offset_minutes,
            }
        case RecordSegment(segment=s):
            body = {
                "op": _Op.SEGMENT,
                "index": s.index,
                "kind": s.kind.value,
                "exercise": s.exercise,
                "side": s.side.value if s.side is not None else None,
                "set": s.set,
                "rep": s.rep,
                "planned_seconds": s.planned_seconds,
                "actual_seconds": s.actual_seconds,
                "outcome": s.outcome.value,
                "ended_at": _time(s.ended_at),
            }
        case SetPainBefore():
            body = {"op": _Op.PAIN_BEFORE, "pain": write.pain}
        case FinishSession():
            body = {
                "op": _Op.FINISH,
                "status": write.status.value,
                "ended_at": _time(write.ended_at),
            }
        case RateSession():
            body = {
                "op": _Op.RATE,
                "pain_after": write.pain_after,
                "difficulty": write.difficulty.value if write.difficulty is not None else None,
                "note": write.note,
            }
    body["session"] = write.session_id
    return json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    return value


def _optional_int(value: object, name: str) -> int | None:
    return None if value is None else _int(value, name)


def _optional_str(value: object, name: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{name} must be text, got {value!r}")
    return value


def _optional_seconds(value: object, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number, got {value!r}")
    return float(value)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number the history keeps")


def _pain(value: object, name: str) -> int | None:
    try:
        return check_pain(_optional_int(value, name), name)
    except TypeError as error:
        raise ValueError(str(error)) from error


def from_line(line: str) -> PendingWrite:
    """The write a journal line holds; ValueError when it is not one."""
    try:
        body = json.loads(line, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON ({error})") from error
    except RecursionError as error:
        raise ValueError("nested too deeply") from error
    if not isinstance(body, dict):
        raise ValueError("not an object")
    session = body.get("session")
    if not isinstance(session, str) or not session:
        raise ValueError("no session id")
    try:
        op = _Op(str(body.get("op")))
    except ValueError as error:
        raise ValueError(f"unknown op {body.get('op')!r}") from error
    try:
        match op:
            case _Op.BEGIN:
                plan, routine = body["plan"], body["routine"]
                if not isinstance(plan, dict) or not isinstance(routine, str):
                    raise ValueError("a session start needs a routine and a plan")
                offset = _int(body["utc_offset_minutes"], "utc_offset_minutes")
                if not -1440 <= offset <= 1440:
                    raise ValueError(f"utc_offset_minutes out of range: {offset}")
                return BeginSession(session, routine, plan, _aware(body["started_at"]), offset)
            case _Op.SEGMENT:
                actual = _optional_seconds(body["actual_seconds"], "actual_seconds")
                if actual is None:
                    raise ValueError("actual_seconds is missing")
                side = _optional_str(body["side"], "side")
                return RecordSegment(
                    session,
                    SegmentRecord(
                        index=_int(body["index"], "index"),
                        kind=SegmentKind(body["kind"]),
                        exercise=_optional_str(body["exercise"], "exercise"),
                        side=Side(side) if side is not None else None,
                        set=_optional_int(body["set"], "set"),
                        rep=_optional_int(body["rep"], "rep"),
                        planned_seconds=_optional_seconds(
                            body["planned_seconds"], "planned_seconds"
                        ),
                        actual_seconds=actual,
                        outcome=Outcome(body["outcome"]),
                        ended_at=_aware(body["ended_at"]),
                    ),
                )
            case _Op.PAIN_BEFORE:
                pain = _pain(body["pain"], "pain")
                if pain is None:
                    raise ValueError("pain is missing")
                return SetPainBefore(session, pain)
            case _Op.FINISH:
                return FinishSession(
                    session, SessionStatus(body["status"]), _aware(body["ended_at"])
                )
            case _Op.RATE:
                difficulty = _optional_str(body["difficulty"], "difficulty")
                return RateSession(
                    session,
                    _pain(body["pain_after"], "pain_after"),
                    Difficulty(difficulty) if difficulty is not None else None,
                    _optional_str(body["note"], "note"),
                )
    except KeyError as error:
        raise ValueError(f"{error.args[0]} is missing") from error
    raise AssertionError(f"unhandled op {op}")


# --- the file ---------------------------------------------------------------------


class Journal:
    """The append-only file of owed writes at ``path`` (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def exists(self) -> bool:
        return os.path.lexists(self.path)

    def append(self, writes: Sequence[PendingWrite]) -> None:
        """Add ``writes`` at the end and fsync; on OSError nothing of them is kept.

        A failed write (a full disk) is cut back off, so the next append never
        lands after half a line.
        """
        if not writes:
            return
        data = "".join(to_line(w) + "\n" for w in writes).encode("utf-8")
        created = not self.exists()
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(self.path, flags, FILE_MODE)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise OSError(f"{self.path} is not a regular file")
            if _POSIX and (info.st_mode & 0o777) != FILE_MODE:
                os.fchmod(fd, FILE_MODE)
            start = info.st_size
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            except OSError:
                try:
                    os.ftruncate(fd, start)
                    os.fsync(fd)
                except OSError as cut:
                    log.warning("could not cut a failed journal write back: %s", cut)
                raise
        finally:
            os.close(fd)
        if created:
            _fsync_folder(self.path.parent)

    def read(self) -> list[PendingWrite]:
        """Every write in the file, in order; [] when there is none.

        A last line without its newline (cut off by a crash) is ignored, and so
        is (with a warning) any line that is not a write: what is readable is kept.
        """
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK)
        except FileNotFoundError:
            return []
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise OSError(f"{self.path} is not a regular file")
            if info.st_size > MAX_JOURNAL_BYTES:
                raise OSError(f"{self.path} is larger than {MAX_JOURNAL_BYTES} bytes")
            with os.fdopen(fd, "rb", closefd=False) as stream:
                data = stream.read(MAX_JOURNAL_BYTES + 1)
        finally:
            os.close(fd)
        lines = data.split(b"\n")
        if lines[-1]:
            log.warning("the last line of %s was cut short; it is ignored", self.path)
        writes: list[PendingWrite] = []
        for number, raw in enumerate(lines[:-1], start=1):
            if not raw.strip():
                continue
            try:
                writes.append(from_line(raw.decode("utf-8")))
            except (ValueError, UnicodeDecodeError) as error:
                log.warning("line %d of %s is not a history write (%s)", number, self.path, error)
        return writes

    def remove(self) -> None:
        """Delete the file (everything in it is applied); a missing file is fine."""
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            return
        _fsync_folder(self.path.parent)


def _fsync_folder(folder: Path) -> None:
    """Make a file's creation or removal itself durable (POSIX; elsewhere a no-op)."""
    if not _POSIX:
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
