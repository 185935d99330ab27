"""Own your data: export history as CSV, ICS or a full JSON backup; import backups.

* CSV - one row per session, for a spreadsheet or a physiotherapist.
* ICS - one event per session, for calendar apps.
* JSON - everything (plans, segment rows, day marks): a full backup that
  :func:`import_history` merges back without duplicates.  Written in format
  version 2 (:mod:`si_timer.history.json_v2`: each plan once, rows as arrays);
  version 1 files (a plan and an object per row) are read as before.

:func:`import_history` also takes one of the automatic daily backups (an
SQLite file), so a person can bring back history after a damaged file was
moved aside.

Every export and import takes an optional ``progress(done, total)`` callback
(see :mod:`si_timer.history.progress`), called about a hundred times however
long the history is; raising from it stops the work and changes nothing.
"""

from __future__ import annotations

import contextlib
import csv
import enum
import gc
import io
import json
import math
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from si_timer import __version__, words
from si_timer.config.files import (
    FileProblem,
    depth_exceeds,
    open_regular,
    parse_json,
    private_temp_beside,
    read_capped,
    read_limited,
)
from si_timer.history import ics, json_backup, json_pieces, json_v2, labels
from si_timer.history.errors import (
    HistoryError,
    HistoryUnavailableError,
    ImportFormatError,
    NewerDatabaseError,
)
from si_timer.history.json_backup import dumps
from si_timer.history.merge import Incoming, MarkRecord, MergeResult
from si_timer.history.model import (
    DayMark,
    Difficulty,
    Outcome,
    SegmentKind,
    SegmentRecord,
    SessionStatus,
    SessionSummary,
    Side,
    StoredSegment,
    StoredSession,
    check_pain,
)
from si_timer.history.pain_journal import (
    PainEntry,
    PainEntryFormatError,
    pain_entries_from_json,
    pain_entry_to_json,
)
from si_timer.history.progress import Phases, Progress, counted
from si_timer.history.store import HistoryStore, utc_now

BACKUP_FORMAT = "si-timer-history"
BACKUP_VERSION = json_v2.VERSION  # written; version 1 is still read
_SQLITE_MAGIC = b"SQLite format 3\x00"

BackupContents = tuple[list[StoredSession] | list[Incoming], list[MarkRecord]]
"""A backup's sessions (checked, as records or as database values) and day marks."""


class ExportFormat(enum.StrEnum):
    CSV = "csv"
    ICS = "ics"
    JSON = "json"


# --- export ---------------------------------------------------------------------


def export_history(
    store: HistoryStore,
    fmt: ExportFormat | str,
    out: TextIO,
    *,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> int:
    """Write all history to ``out`` in ``fmt``; returns the number of sessions.

    Open files with ``newline=""`` and UTF-8: CSV and ICS write their own
    CRLF line ends.  ``progress`` counts sessions written.
    """
    fmt = ExportFormat(fmt)
    moment = now or utc_now()
    if fmt is ExportFormat.JSON:
        return write_json_backup(store, out, moment, progress=progress)
    summaries = store.session_summaries()
    written = counted(summaries, len(summaries), progress)
    if fmt is ExportFormat.CSV:
        return _write_csv(written, store.skipped_pain_by_session(), out)
    return ics.write_calendar(
        (_event(s) for s in written), out, stamp=moment, name="SI Timer sessions"
    )


class ExportTargetExistsError(HistoryError):
    """The export file exists and replacing it was not asked for."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} already exists; nothing was exported (--force replaces it)")


def export_to_path(
    store: HistoryStore,
    fmt: ExportFormat | str,
    path: Path,
    *,
    now: datetime | None = None,
    progress: Progress | None = None,
    overwrite: bool = True,
) -> int:
    """Export to ``path``, readable by the owner only; the file appears whole or not at all
    (also when ``progress`` raises to cancel).

    The export is written to a temporary file created exclusively (a fresh
    random name, never a planted link) in the same folder, then renamed into
    place.  With ``overwrite`` False an existing ``path`` is never replaced
    (:class:`ExportTargetExistsError`), not even one that appears meanwhile.
    """
    path = Path(path)
    if not overwrite and (path.exists() or path.is_symlink()):
        raise ExportTargetExistsError(path)
    fd, temp = private_temp_beside(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            count = export_history(store, fmt, out, now=now, progress=progress)
            out.flush()
            os.fsync(out.fileno())
        if overwrite:
            os.replace(temp, path)
        else:
            try:
                os.link(temp, path)  # fails if anything appeared at ``path``
            except FileExistsError:
                raise ExportTargetExistsError(path) from None
            temp.unlink()
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return count


CSV_COLUMNS = (
    "date",
    "start",
    "end",
    "utc_offset",
    "active_minutes",
    "routine",
    "routine_name",
    "status",
    "segments_done",
    "segments_total",
    "skipped_for_pain",
    "pain_before",
    "pain_after",
    "difficulty",
    "note",
    "id",
)


def _cell(text: str | None) -> str:
    """Text a spreadsheet will not run as a formula (OWASP CSV injection)."""
    if not text:
        return ""
    return "'" + text if text[0] in "=+-@\t\r" else text


def _offset_text(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _write_csv(sessions: Iterable[SessionSummary], skipped: dict[str, int], out: TextIO) -> int:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for s in sessions:
        end = s.local_end
        writer.writerow(
            (
                s.local_day.isoformat(),
                s.local_start.strftime("%H:%M"),
                end.strftime("%H:%M") if end else "",
                _offset_text(s.utc_offset_minutes),
                f"{s.active_seconds / 60:.1f}",
                _cell(s.routine),
                _cell(s.routine_name),
                s.status.value,
                s.segments_done,
                s.segments_total,
                skipped.get(s.id, 0),
                "" if s.pain_before is None else s.pain_before,
                "" if s.pain_after is None else s.pain_after,
                s.difficulty.value if s.difficulty else "",
                _cell(s.note),
                _cell(s.id),
            )
        )
        count += 1
    return count


def _event(s: SessionSummary) -> ics.Event:
    status = labels.SESSION_STATUS[s.status].lower()
    lines = [
        f"{s.routine_name}: {status}",
        s.counts_text(),
        f"Active time: {words.active_time_text(s.active_seconds)}",
    ]
    if s.pain_before is not None or s.pain_after is not None:
        lines.append(f"Pain before → after: {labels.pain_text(s.pain_before, s.pain_after)}")
    if s.difficulty is not None:
        lines.append(f"Felt: {labels.DIFFICULTY[s.difficulty].lower()}")
    if s.note:
        lines.append(f"Note: {s.note}")
    end = s.ended_at or s.started_at + timedelta(seconds=s.active_seconds)
    return ics.Event(
        uid=f"{s.id}@si-timer",
        start=s.started_at,
        end=end,
        summary=f"{s.routine_name} ({status})",
        description="\n".join(lines),
        categories=("si-timer", "exercise"),
    )


def _time(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def session_to_json(s: StoredSession) -> dict[str, Any]:
    return {
        "id": s.id,
        "routine": s.routine,
        "plan": s.plan,
        "started_at": _time(s.started_at),
        "utc_offset_minutes": s.utc_offset_minutes,
        "ended_at": _time(s.ended_at),
        "status": s.status.value,
        "pain_before": s.pain_before,
        "pain_after": s.pain_after,
        "difficulty": s.difficulty.value if s.difficulty else None,
        "note": s.note,
        "segments": [
            {
                "seq": seg.seq,
                "index": seg.record.index,
                "kind": seg.record.kind.value,
                "exercise": seg.record.exercise,
                "side": seg.record.side.value if seg.record.side else None,
                "set": seg.record.set,
                "rep": seg.record.rep,
                "planned_seconds": seg.record.planned_seconds,
                "actual_seconds": seg.record.actual_seconds,
                "outcome": seg.record.outcome.value,
                "ended_at": _time(seg.record.ended_at),
            }
            for seg in s.segments
        ],
    }


def write_json_backup(
    store: HistoryStore,
    out: TextIO,
    now: datetime,
    *,
    progress: Progress | None = None,
    version: int = BACKUP_VERSION,
) -> int:
    """The full backup (format :data:`BACKUP_VERSION`, see :mod:`json_v2`); returns
    the number of sessions.  ``version=1`` writes what si-timer wrote before.

    Written piece by piece with the C encoder: ``json.dump(..., indent=...)``
    falls back to the pure-Python encoder, ~10 s for ten years of history.
    The sessions come straight from the rows, all read in one transaction, so
    a session written meanwhile is in whole or not.
    """
    head = {
        "format": BACKUP_FORMAT,
        "format_version": version,
        "app_version": __version__,
        "exported_at": _time(now),
    }
    with store.reading() as conn:
        total = store.session_count() if progress else 0
        marks = [
            {"day": m.day.isoformat(), "mark": m.mark.value, "set_at": _time(m.set_at)}
            for m in store.mark_records()
        ]
        pains = [pain_entry_to_json(e) for e in store.pain_entries()]
        if version == json_v2.VERSION:
            tail = {"day_marks": marks, "pain_entries": pains}
            return json_v2.write_document(conn, out, head, tail, progress=progress, total=total)
        if version != 1:
            raise ValueError(f"no backup format version {version}")
        out.write("{\n" + "".join(f"{dumps(k)}: {dumps(v)},\n" for k, v in head.items()))
        out.write('"sessions": [')
        count = json_backup.write_sessions(conn, out, progress=progress, total=total)
    out.write('\n],\n"day_marks": [')
    out.write(",".join("\n" + dumps(m) for m in marks))
    out.write('\n],\n"pain_entries": [')
    out.write(",".join("\n" + dumps(e) for e in pains))
    out.write("\n]\n}\n")
    return count


# --- import ---------------------------------------------------------------------


# Ten years of history is ~20 MB of JSON; far beyond that is not a backup of ours.
MAX_JSON_BACKUP_BYTES = 256 * 1024 * 1024
MAX_SQLITE_BACKUP_BYTES = 2 * 1024 * 1024 * 1024
# A plan is an object of lists of objects; a little room for what a later
# version adds, far from what breaks a parser or an encoder.
MAX_PLAN_DEPTH = 12


def import_history(
    store: HistoryStore, path: Path, *, progress: Progress | None = None
) -> MergeResult:
    """Merge a JSON backup or a daily SQLite backup into ``store``.

    Raises :class:`ImportFormatError` (nothing imported) when the file is not
    a backup or a value in it is wrong: every value is checked before the
    first one is written.  ``progress`` is told of every phase (reading,
    checking, merging, writing the rows, the derived data) as parts of
    :data:`Phases.WHOLE`, which it reaches only once the import is committed;
    the merge is one transaction, so raising from ``progress`` before then
    leaves history as it was.
    """
    with _no_cycle_collection():
        return _import(store, Path(path), progress)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Without Python's cycle collector for a while: a large backup is millions of
    small lists, strings and numbers (none in a cycle), and the collector walked
    them all again and again, a tenth of a ten-year import.  Whatever cycles form
    meanwhile are collected afterwards.  Left as it was found (another import on
    another thread may have turned it off)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


# The phases of an import and their shares of its progress, about as long as
# each takes for ten years of history.  The commit's share is reported only
# once it is done: the bar is full when the import is.
IMPORT_PHASES = {"read": 20, "check": 25, "merge": 12, "write": 30, "derive": 12, "commit": 1}


def _import(store: HistoryStore, path: Path, progress: Progress | None) -> MergeResult:
    phases = Phases(progress, IMPORT_PHASES)
    phases.reached("read")
    pains: list[PainEntry] = []
    reading, checking = phases.phase("read"), phases.phase("check")
    try:
        with open_regular(path, MAX_SQLITE_BACKUP_BYTES) as handle:
            head = handle.read(len(_SQLITE_MAGIC))
            if head == _SQLITE_MAGIC:
                sessions, marks = _read_sqlite(
                    handle, head, path, progress=checking, pain_entries=pains, parsing=reading
                )
            else:
                data = head + read_capped(handle, MAX_JSON_BACKUP_BYTES - len(head))
                sessions, marks = _parse_json_backup(
                    data, path, progress=checking, pain_entries=pains, parsing=reading
                )
    except FileNotFoundError as error:
        raise ImportFormatError(path, "", "the file cannot be read (it does not exist)") from error
    except FileProblem as problem:
        raise ImportFormatError(path, "", f"the file {problem.reason}") from problem
    except OSError as error:
        raise ImportFormatError(
            path, "", f"the file cannot be read ({error.strerror or error})"
        ) from error
    phases.reached("merge")
    result = store.merge(
        counted(sessions, len(sessions), phases.phase("merge")),
        marks,
        pains,
        writing=phases.phase("write"),
        deriving=phases.phase("derive"),
    )
    phases.finish()
    return result


def read_sqlite_backup(
    path: Path,
    *,
    progress: Progress | None = None,
    pain_entries: list[PainEntry] | None = None,
) -> BackupContents:
    """Everything in an SQLite history file, read from a private copy (the
    original is never opened for writing, and an old format is upgraded in
    the copy only); its pain entries are added to ``pain_entries``."""
    path = Path(path)
    try:
        with open_regular(path, MAX_SQLITE_BACKUP_BYTES) as handle:
            return _read_sqlite(handle, b"", path, progress=progress, pain_entries=pain_entries)
    except (FileNotFoundError, FileProblem) as problem:
        reason = getattr(problem, "reason", "cannot be read (it does not exist)")
        raise ImportFormatError(path, "", f"the file {reason}") from problem


def _read_sqlite(
    handle: BinaryIO,
    head: bytes,
    path: Path,
    *,
    progress: Progress | None = None,
    pain_entries: list[PainEntry] | None = None,
    parsing: Progress | None = None,
) -> BackupContents:
    with tempfile.TemporaryDirectory(prefix="si-timer-import-") as tmp:
        copy = Path(tmp) / "history.sqlite3"
        with copy.open("wb") as out:
            out.write(head)
            shutil.copyfileobj(handle, out)
        # Problems are the person's file's: never name the private copy, and
        # never say it was "moved" (only the copy was).
        try:
            other, report = HistoryStore.open(copy)
        except NewerDatabaseError as error:
            raise ImportFormatError(
                path, "", f"it was written by a newer si-timer (format {error.found})"
            ) from error
        except HistoryUnavailableError as error:
            raise ImportFormatError(path, "", f"it cannot be read ({error.reason})") from error
        except HistoryError as error:
            raise ImportFormatError(path, "", "it cannot be read as a si-timer history") from error
        with other:
            if report.moved_aside is not None:
                raise ImportFormatError(path, "", f"it is not readable ({report.problem})")
            # Written out as a backup and read back: a history file of any age
            # passes the same checks as a JSON backup, the fast way.
            text = io.StringIO(newline="")
            try:
                write_json_backup(other, text, utc_now())
            except (sqlite3.Error, ValueError) as error:
                raise ImportFormatError(path, "", f"it is damaged ({error})") from error
            if other.damage_messages():  # damage met while reading: part of it is missing
                raise ImportFormatError(path, "", "it is damaged (some pages cannot be read)")
        return _parse_json_backup(
            text.getvalue(), path, progress=progress, pain_entries=pain_entries, parsing=parsing
        )


def read_json_backup(
    path: Path,
    *,
    progress: Progress | None = None,
    pain_entries: list[PainEntry] | None = None,
) -> BackupContents:
    """A JSON backup's sessions and day marks; its pain entries go to ``pain_entries``."""
    path = Path(path)
    try:
        data = read_limited(path, MAX_JSON_BACKUP_BYTES)
    except FileNotFoundError as error:
        raise ImportFormatError(path, "", "the file cannot be read (it does not exist)") from error
    except FileProblem as problem:
        raise ImportFormatError(path, "", f"the file {problem.reason}") from problem
    return _parse_json_backup(data, path, progress=progress, pain_entries=pain_entries)


def _parse_json_backup(
    data: bytes | str,
    path: Path,
    *,
    progress: Progress | None = None,
    pain_entries: list[PainEntry] | None = None,
    parsing: Progress | None = None,
) -> BackupContents:
    """``progress`` reports the checks, ``parsing`` the decoding before them."""
    try:
        # The reader checks each part's shape; plans, the one free-form part,
        # get their own depth check (a walk of the whole document costs ~1 s).
        # Decoded a piece at a time: one call over ten years of history would
        # hold the interpreter (and the window) for a second.
        document = parse_json(data, max_depth=None, loads=json_pieces.reporting(parsing))
    except FileProblem as problem:
        where = f"line {problem.line}, column {problem.column}" if problem.line else ""
        raise ImportFormatError(path, where, problem.reason) from problem
    parsed = parse_backup(document, path, progress=progress)
    if pain_entries is not None:
        try:
            pain_entries.extend(pain_entries_from_json(document.get("pain_entries")))
        except PainEntryFormatError as error:
            raise ImportFormatError(path, error.where, error.problem) from error
    return parsed


def parse_backup(
    document: Any, path: Path | str = "<backup>", *, progress: Progress | None = None
) -> BackupContents:
    """Check and convert a backup document; every problem names where it is."""
    reader = _Reader(path)
    if not isinstance(document, dict) or document.get("format") != BACKUP_FORMAT:
        raise ImportFormatError(path, "", f'not a si-timer backup (no "format": "{BACKUP_FORMAT}")')
    version = document.get("format_version")
    if not isinstance(version, int) or version > BACKUP_VERSION:
        raise ImportFormatError(
            path, "format_version", f"unsupported backup version {version!r} (a newer si-timer?)"
        )
    sessions: list[StoredSession] | list[Incoming]
    if version == json_v2.VERSION:
        sessions = _read_v2(reader, document, progress)
    else:
        items = reader.array(document, "sessions", "")
        sessions = [
            reader.session(item, f"sessions[{i}]")
            for i, item in enumerate(counted(items, len(items), progress))
        ]
    marks = [
        reader.mark(item, f"day_marks[{i}]")
        for i, item in enumerate(reader.array(document, "day_marks", ""))
    ]
    return sessions, marks


def _read_v2(
    reader: _Reader, document: dict[str, Any], progress: Progress | None
) -> list[Incoming]:
    try:
        return json_v2.read_sessions(
            document, _LIMITS, reader.plan_snapshot, reader.session, progress=progress
        )
    except json_v2.Problem as problem:
        raise reader.fail(problem.where, problem.problem) from problem


# What a backup may hold: far beyond any real session, far inside what breaks
# a date, a float or SQLite's integers.
MIN_YEAR = 1970
MAX_YEAR = 9000
MAX_SECONDS = 7 * 24 * 3600
MAX_COUNT = 10_000_000
MAX_SEGMENT_ROWS = 100_000
MAX_NAME_CHARS = 500
_TEXT_LIMITS = {"note": 20_000}
_LIMITS = json_v2.Limits(
    min_year=MIN_YEAR,
    max_year=MAX_YEAR,
    max_seconds=MAX_SECONDS,
    max_count=MAX_COUNT,
    max_rows=MAX_SEGMENT_ROWS,
    max_name=MAX_NAME_CHARS,
    max_note=_TEXT_LIMITS["note"],
)
_CONTROL = re.compile("[\x00-\x1f\x7f]")


def resumable_problem(plan: dict[str, Any]) -> str | None:
    """Why the player could not safely resume from a plan snapshot, or None.

    The player rebuilds a session in progress from its snapshot; a snapshot it
    cannot rebuild at all is offered "keep as partial" instead, but a value of
    the wrong type that the rebuild lets through (a set number that is text)
    would fail on every later start, so it is refused at import.
    """
    top: tuple[tuple[str, type], ...] = (("routine", str), ("name", str), ("times_per_day", int))
    for key, kind in top:
        if plan.get(key) is not None and not _fits(plan[key], kind):
            return f"{key}: not a valid value"
    segments = plan.get("segments")
    if segments is None:
        return None
    if not isinstance(segments, list):
        return "segments: expected a list"
    if len(segments) > MAX_SEGMENT_ROWS:
        return f"segments: more than {MAX_SEGMENT_ROWS:,}"
    for i, seg in enumerate(segments):
        if not isinstance(seg, dict):
            return f"segments[{i}]: expected an object"
        for field, field_kind in _SEGMENT_FIELDS:
            value = seg.get(field)
            if value is not None and not _fits(value, field_kind):
                return f"segments[{i}].{field}: not a valid value ({str(value)[:30]!r})"
    return None


_SEGMENT_FIELDS: tuple[tuple[str, type], ...] = (
    ("index", int),
    ("kind", str),
    ("exercise", str),
    ("name", str),
    ("side", str),
    ("seconds", float),
    ("start", float),
    ("estimate", float),
    ("set", int),
    ("sets", int),
    ("rep", int),
    ("reps", int),
    ("phase", str),
)


def _fits(value: Any, kind: type) -> bool:
    if isinstance(value, bool):
        return False
    if kind is str:
        return isinstance(value, str) and len(value) <= MAX_NAME_CHARS
    if kind is int:
        return isinstance(value, int) and 0 <= value <= MAX_COUNT
    return isinstance(value, int | float) and math.isfinite(value) and 0 <= value <= MAX_COUNT


def _plan_too_deep(plan: dict[str, Any]) -> bool:
    """Whether a plan nests deeper than :data:`MAX_PLAN_DEPTH`.

    Fast for the usual shape (an object whose "segments" list holds flat
    objects); anything else nested is walked in full.
    """
    for key, value in plan.items():
        if key == "segments" and isinstance(value, list):
            for seg in value:
                if isinstance(seg, dict):
                    nested = [v for v in seg.values() if isinstance(v, dict | list)]
                    if nested and depth_exceeds(nested, MAX_PLAN_DEPTH - 2):
                        return True
                elif isinstance(seg, list) and depth_exceeds(seg, MAX_PLAN_DEPTH - 2):
                    return True
        elif isinstance(value, dict | list) and depth_exceeds(value, MAX_PLAN_DEPTH - 1):
            return True
    return False


_KINDS = {k.value: k for k in SegmentKind}
_SIDES = {k.value: k for k in Side}
_OUTCOMES = {k.value: k for k in Outcome}


def _count(value: Any, *, optional: bool = False) -> bool:
    if value is None:
        return optional
    return type(value) is int and 0 <= value <= MAX_COUNT


def _seconds(value: Any, *, optional: bool = False) -> bool:
    if value is None:
        return optional
    # NaN fails the comparison, so it takes the long way too.
    return type(value) in (int, float) and 0 <= value <= MAX_SECONDS


def _quick_segment(item: Any) -> StoredSegment | None:
    """A segment row that passes every check of :meth:`_Reader.segment`, or None."""
    if type(item) is not dict:
        return None
    get = item.get
    kind_text, outcome_text, side_text = get("kind"), get("outcome"), get("side")
    exercise, ended_text = get("exercise"), get("ended_at")
    if not (type(kind_text) is str and type(outcome_text) is str):
        return None
    if side_text is not None and type(side_text) is not str:
        return None
    kind, outcome = _KINDS.get(kind_text), _OUTCOMES.get(outcome_text)
    side = None if side_text is None else _SIDES.get(side_text)
    if (
        kind is None
        or outcome is None
        or (side_text is not None and side is None)
        or not (_count(get("index")) and _count(get("seq")))
        or not (_count(get("set"), optional=True) and _count(get("rep"), optional=True))
        or not (_seconds(get("actual_seconds")) and _seconds(get("planned_seconds"), optional=True))
        or not (
            exercise is None
            or (
                type(exercise) is str
                and len(exercise) <= MAX_NAME_CHARS
                and not _CONTROL.search(exercise)
            )
        )
        or type(ended_text) is not str
    ):
        return None
    try:
        ended = datetime.fromisoformat(ended_text)
    except ValueError:
        return None
    # Strictly inside the years allowed: no offset can carry it out of them.
    if ended.tzinfo is None or not MIN_YEAR < ended.year < MAX_YEAR:
        return None
    # Every check of SegmentRecord's own is made above.
    record = SegmentRecord.checked(
        item["index"],
        kind,
        exercise,
        side,
        get("set"),
        get("rep"),
        get("planned_seconds"),
        item["actual_seconds"],
        outcome,
        ended,
    )
    return StoredSegment(item["seq"], record)


class _Reader:
    """Typed access to a parsed JSON backup, raising with the exact place."""

    def __init__(self, path: Path | str) -> None:
        self.path = path
        # Sessions of one routine carry the same plan: each distinct one is checked
        # once, and its sessions share one dict (the merge stores it once too).
        self._plans: dict[str, dict[str, Any]] = {}

    def fail(self, where: str, problem: str) -> ImportFormatError:
        return ImportFormatError(self.path, where, problem)

    def get(
        self,
        obj: dict[str, Any],
        key: str,
        where: str,
        kinds: tuple[type, ...],
        *,
        optional: bool = False,
    ) -> Any:
        place = f"{where}.{key}" if where else key
        if key not in obj or obj[key] is None:
            if optional:
                return None
            raise self.fail(place, "missing")
        value = obj[key]
        if isinstance(value, bool) and bool not in kinds:
            raise self.fail(place, f"expected {' or '.join(k.__name__ for k in kinds)}")
        if not isinstance(value, kinds):
            raise self.fail(place, f"expected {' or '.join(k.__name__ for k in kinds)}")
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(place, f"not a finite number: {value!r}")
        if isinstance(value, str) and len(value) > _TEXT_LIMITS.get(key, MAX_NAME_CHARS):
            raise self.fail(
                place, f"longer than {_TEXT_LIMITS.get(key, MAX_NAME_CHARS):,} characters"
            )
        return value

    def number(
        self,
        obj: dict[str, Any],
        key: str,
        where: str,
        low: float,
        high: float,
        *,
        whole: bool = True,
        optional: bool = False,
    ) -> Any:
        """An int (or, unless ``whole``, any finite number) within [low, high]."""
        kinds: tuple[type, ...] = (int,) if whole else (int, float)
        value = self.get(obj, key, where, kinds, optional=optional)
        if value is not None and not low <= value <= high:
            raise self.fail(f"{where}.{key}", f"out of range: {value!r} (from {low:g} to {high:g})")
        return value

    def text(
        self, obj: dict[str, Any], key: str, where: str, *, optional: bool = False
    ) -> str | None:
        """Text without control characters (it goes into CSV, ICS and labels)."""
        value: str | None = self.get(obj, key, where, (str,), optional=optional)
        if value is not None and key != "note" and _CONTROL.search(value):
            raise self.fail(f"{where}.{key}", "holds control characters")
        return value

    def array(self, obj: dict[str, Any], key: str, where: str) -> list[Any]:
        value: list[Any] = self.get(obj, key, where, (list,))
        return value

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "expected an object")
        return value

    def time(
        self, obj: dict[str, Any], key: str, where: str, *, optional: bool = False
    ) -> datetime | None:
        text = self.get(obj, key, where, (str,), optional=optional)
        if text is None:
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError as error:
            raise self.fail(f"{where}.{key}", f"not a date and time: {text!r}") from error
        if moment.tzinfo is None:
            raise self.fail(f"{where}.{key}", f"no time zone in {text!r}")
        try:
            year = moment.astimezone(UTC).year
        except (OverflowError, ValueError):
            year = 0
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise self.fail(
                f"{where}.{key}", f"out of range: {text!r} (years {MIN_YEAR} to {MAX_YEAR})"
            )
        return moment

    def enum(
        self,
        obj: dict[str, Any],
        key: str,
        where: str,
        kind: type[enum.StrEnum],
        *,
        optional: bool = False,
    ) -> Any:
        text = self.get(obj, key, where, (str,), optional=optional)
        if text is None:
            return None
        try:
            return kind(text)
        except ValueError as error:
            allowed = ", ".join(m.value for m in kind)
            raise self.fail(f"{where}.{key}", f"{text!r} is not one of {allowed}") from error

    def pain(self, obj: dict[str, Any], key: str, where: str) -> int | None:
        value = self.get(obj, key, where, (int,), optional=True)
        try:
            return check_pain(value, key)
        except ValueError as error:
            raise self.fail(f"{where}.{key}", str(error)) from error

    def plan_snapshot(self, value: Any, where: str, resumable: bool) -> dict[str, Any]:
        """One plan of a version-2 backup's list, checked as :meth:`plan` checks a
        session's (``resumable``: a session in progress runs it)."""
        plan = self.obj(value, where)
        if _plan_too_deep(plan):
            raise self.fail(where, f"nested too deeply (the limit is {MAX_PLAN_DEPTH} levels)")
        if resumable:
            problem = resumable_problem(plan)
            if problem is not None:
                raise self.fail(where, f"cannot be resumed: {problem}")
        return plan

    def plan(self, obj: dict[str, Any], where: str, status: SessionStatus) -> dict[str, Any]:
        """The plan snapshot: any object for a finished session (history reads it
        forgivingly); one that can be resumed for a session in progress."""
        plan = self.obj(obj.get("plan"), f"{where}.plan")
        try:
            text: str | None = json.dumps(plan, ensure_ascii=False)
        except (ValueError, TypeError, RecursionError):
            text = None  # the checks below say what is wrong with it
        known = self._plans.get(text) if text is not None else None
        if known is not None:
            plan = known
        elif _plan_too_deep(plan):
            raise self.fail(
                f"{where}.plan", f"nested too deeply (the limit is {MAX_PLAN_DEPTH} levels)"
            )
        elif text is not None:
            self._plans[text] = plan
        if status is SessionStatus.IN_PROGRESS:
            problem = resumable_problem(plan)
            if problem is not None:
                raise self.fail(f"{where}.plan", f"cannot be resumed: {problem}")
        return plan

    def session(self, item: Any, where: str) -> StoredSession:
        obj = self.obj(item, where)
        started = self.time(obj, "started_at", where)
        assert started is not None
        offset = self.number(obj, "utc_offset_minutes", where, -1440, 1440)
        segments: list[StoredSegment] = []
        seen: set[int] = set()
        rows = self.array(obj, "segments", where)
        if len(rows) > MAX_SEGMENT_ROWS:
            raise self.fail(f"{where}.segments", f"more than {MAX_SEGMENT_ROWS:,} rows")
        for i, raw in enumerate(rows):
            seg = self.segment(raw, f"{where}.segments[{i}]")
            if seg.seq in seen:
                raise self.fail(f"{where}.segments[{i}].seq", f"{seg.seq} appears twice")
            seen.add(seg.seq)
            segments.append(seg)
        note = self.text(obj, "note", where, optional=True)
        session_id = self.text(obj, "id", where)
        assert session_id is not None
        if not session_id.strip():
            raise self.fail(f"{where}.id", "empty")
        status = self.enum(obj, "status", where, SessionStatus)
        return StoredSession(
            id=session_id,
            routine=self.text(obj, "routine", where) or "",
            plan=self.plan(obj, where, status),
            started_at=started,
            utc_offset_minutes=offset,
            ended_at=self.time(obj, "ended_at", where, optional=True),
            status=status,
            pain_before=self.pain(obj, "pain_before", where),
            pain_after=self.pain(obj, "pain_after", where),
            difficulty=self.enum(obj, "difficulty", where, Difficulty, optional=True),
            note=note,
            segments=tuple(sorted(segments, key=lambda s: s.seq)),
        )

    def segment(self, item: Any, where: str) -> StoredSegment:
        # Most rows of a large backup are segments: the usual, valid one is
        # checked in one pass; anything else goes the long way for its message.
        quick = _quick_segment(item)
        return quick if quick is not None else self._segment(item, where)

    def _segment(self, item: Any, where: str) -> StoredSegment:
        obj = self.obj(item, where)
        ended = self.time(obj, "ended_at", where)
        assert ended is not None
        try:
            actual = self.get(obj, "actual_seconds", where, (int, float))
            if actual < 0:  # the record's own message names the field
                raise ValueError(f"actual_seconds must be >= 0, got {actual}")
            record = SegmentRecord(
                index=self.number(obj, "index", where, 0, MAX_COUNT),
                kind=self.enum(obj, "kind", where, SegmentKind),
                exercise=self.text(obj, "exercise", where, optional=True),
                side=self.enum(obj, "side", where, Side, optional=True),
                set=self.number(obj, "set", where, 0, MAX_COUNT, optional=True),
                rep=self.number(obj, "rep", where, 0, MAX_COUNT, optional=True),
                planned_seconds=self.number(
                    obj, "planned_seconds", where, 0, MAX_SECONDS, whole=False, optional=True
                ),
                actual_seconds=self.number(
                    obj, "actual_seconds", where, 0, MAX_SECONDS, whole=False
                ),
                outcome=self.enum(obj, "outcome", where, Outcome),
                ended_at=ended,
            )
        except ValueError as error:
            raise self.fail(where, str(error)) from error
        return StoredSegment(seq=self.number(obj, "seq", where, 0, MAX_COUNT), record=record)

    def mark(self, item: Any, where: str) -> MarkRecord:
        obj = self.obj(item, where)
        text = self.get(obj, "day", where, (str,))
        try:
            day = date.fromisoformat(text)
        except ValueError as error:
            raise self.fail(f"{where}.day", f"not a date: {text!r}") from error
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            raise self.fail(f"{where}.day", f"out of range: {text!r}")
        set_at = self.time(obj, "set_at", where)
        assert set_at is not None
        return MarkRecord(day, self.enum(obj, "mark", where, DayMark), set_at)


def export_text(
    store: HistoryStore, fmt: ExportFormat | str, *, version: int = BACKUP_VERSION
) -> str:
    """The export as one string (small histories, tests); a JSON backup in format
    ``version``."""
    buffer = io.StringIO(newline="")
    if ExportFormat(fmt) is ExportFormat.JSON:
        write_json_backup(store, buffer, utc_now(), version=version)
    else:
        export_history(store, fmt, buffer)
    return buffer.getvalue()
