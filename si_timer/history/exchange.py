"""Own your data: export history as CSV, ICS or a full JSON backup; import backups.

* CSV - one row per session, for a spreadsheet or a physiotherapist.
* ICS - one event per session, for calendar apps.
* JSON - everything (plans, segment rows, day marks): a full backup that
  :func:`import_history` merges back without duplicates.

:func:`import_history` also takes one of the automatic daily backups (an
SQLite file), so a person can bring back history after a damaged file was
moved aside.

Every export and import takes an optional ``progress(done, total)`` callback
(see :mod:`si_timer.history.progress`), called about a hundred times however
long the history is; raising from it stops the work and changes nothing.
"""

from __future__ import annotations

import csv
import enum
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from si_timer import __version__, words
from si_timer.history import ics, json_pieces, labels
from si_timer.history.errors import HistoryError, ImportFormatError, NewerDatabaseError
from si_timer.history.files import open_private_text
from si_timer.history.merge import MarkRecord, MergeResult
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
from si_timer.history.progress import Progress, counted, stage
from si_timer.history.store import HistoryStore, utc_now

BACKUP_FORMAT = "si-timer-history"
BACKUP_VERSION = 1
_SQLITE_MAGIC = b"SQLite format 3\x00"


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


def export_to_path(
    store: HistoryStore,
    fmt: ExportFormat | str,
    path: Path,
    *,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> int:
    """Export to ``path``, readable by the owner only; the file appears whole or not at all
    (also when ``progress`` raises to cancel)."""
    path = Path(path)
    temp = path.with_name(f".{path.name}.partial")
    try:
        with os.fdopen(open_private_text(temp), "w", encoding="utf-8", newline="") as out:
            count = export_history(store, fmt, out, now=now, progress=progress)
        os.replace(temp, path)
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
                s.id,
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
    store: HistoryStore, out: TextIO, now: datetime, *, progress: Progress | None = None
) -> int:
    """The full backup, one session per line; returns the number of sessions.

    Written piece by piece with the C encoder: ``json.dump(..., indent=...)``
    falls back to the pure-Python encoder, ~10 s for ten years of history.
    """

    def dumps(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)

    head = {
        "format": BACKUP_FORMAT,
        "format_version": BACKUP_VERSION,
        "app_version": __version__,
        "exported_at": _time(now),
    }
    out.write("{\n" + "".join(f"{dumps(k)}: {dumps(v)},\n" for k, v in head.items()))
    out.write('"sessions": [')
    count = 0
    sessions = store.iter_stored_sessions()
    for session in counted(sessions, store.session_count() if progress else 0, progress):
        out.write(("\n" if count == 0 else ",\n") + dumps(session_to_json(session)))
        count += 1
    out.write('\n],\n"day_marks": [')
    marks = [
        {"day": m.day.isoformat(), "mark": m.mark.value, "set_at": _time(m.set_at)}
        for m in store.mark_records()
    ]
    out.write(",".join("\n" + dumps(m) for m in marks))
    out.write('\n],\n"pain_entries": [')
    out.write(",".join("\n" + dumps(pain_entry_to_json(e)) for e in store.pain_entries()))
    out.write("\n]\n}\n")
    return count


# --- import ---------------------------------------------------------------------


def import_history(
    store: HistoryStore, path: Path, *, progress: Progress | None = None
) -> MergeResult:
    """Merge a JSON backup or a daily SQLite backup into ``store``.

    Raises :class:`ImportFormatError` (nothing imported) when the file is not
    a backup or a value in it is wrong.  ``progress`` counts each session
    twice, once read and once merged; the merge is one transaction, so
    raising from ``progress`` leaves history as it was.
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_SQLITE_MAGIC))
    except OSError as error:
        raise ImportFormatError(path, "", f"the file cannot be read ({error.strerror})") from error
    reading = stage(progress, 0, 2)
    pains: list[PainEntry] = []
    if head == _SQLITE_MAGIC:
        sessions, marks = read_sqlite_backup(path, progress=reading, pain_entries=pains)
    else:
        sessions, marks = read_json_backup(path, progress=reading, pain_entries=pains)
    return store.merge(counted(sessions, len(sessions), stage(progress, 1, 2)), marks, pains)


def read_sqlite_backup(
    path: Path,
    *,
    progress: Progress | None = None,
    pain_entries: list[PainEntry] | None = None,
) -> tuple[list[StoredSession], list[MarkRecord]]:
    """Everything in an SQLite history file, read from a private copy (the
    original is never opened for writing, and an old format is upgraded in
    the copy only); its pain entries are added to ``pain_entries``."""
    with tempfile.TemporaryDirectory(prefix="si-timer-import-") as tmp:
        copy = Path(tmp) / "history.sqlite3"
        shutil.copyfile(path, copy)
        try:
            other, report = HistoryStore.open(copy)
        except NewerDatabaseError as error:
            raise ImportFormatError(
                path, "", f"it was written by a newer si-timer (format {error.found})"
            ) from error
        except HistoryError as error:
            raise ImportFormatError(path, "", str(error)) from error
        with other:
            if report.moved_aside is not None:
                raise ImportFormatError(path, "", f"it is not readable ({report.problem})")
            total = other.session_count() if progress else 0
            sessions = list(counted(other.iter_stored_sessions(), total, progress))
            if pain_entries is not None:
                pain_entries.extend(other.pain_entries())
            return sessions, other.mark_records()


def read_json_backup(
    path: Path,
    *,
    progress: Progress | None = None,
    pain_entries: list[PainEntry] | None = None,
) -> tuple[list[StoredSession], list[MarkRecord]]:
    """A JSON backup's sessions and day marks; its pain entries go to ``pain_entries``."""
    try:
        with path.open(encoding="utf-8") as handle:
            document = json_pieces.loads(handle.read())
    except (OSError, UnicodeDecodeError) as error:
        raise ImportFormatError(path, "", f"the file cannot be read ({error})") from error
    except json.JSONDecodeError as error:
        raise ImportFormatError(
            path, f"line {error.lineno}, column {error.colno}", f"not valid JSON ({error.msg})"
        ) from error
    parsed = parse_backup(document, path, progress=progress)
    if pain_entries is not None:
        try:
            pain_entries.extend(pain_entries_from_json(document.get("pain_entries")))
        except PainEntryFormatError as error:
            raise ImportFormatError(path, error.where, error.problem) from error
    return parsed


def parse_backup(
    document: Any, path: Path | str = "<backup>", *, progress: Progress | None = None
) -> tuple[list[StoredSession], list[MarkRecord]]:
    """Check and convert a backup document; every problem names where it is."""
    reader = _Reader(path)
    if not isinstance(document, dict) or document.get("format") != BACKUP_FORMAT:
        raise ImportFormatError(path, "", f'not a si-timer backup (no "format": "{BACKUP_FORMAT}")')
    version = document.get("format_version")
    if not isinstance(version, int) or version > BACKUP_VERSION:
        raise ImportFormatError(
            path, "format_version", f"unsupported backup version {version!r} (a newer si-timer?)"
        )
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


class _Reader:
    """Typed access to a parsed JSON backup, raising with the exact place."""

    def __init__(self, path: Path | str) -> None:
        self.path = path

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

    def session(self, item: Any, where: str) -> StoredSession:
        obj = self.obj(item, where)
        started = self.time(obj, "started_at", where)
        assert started is not None
        offset = self.get(obj, "utc_offset_minutes", where, (int,))
        if not -1440 <= offset <= 1440:
            raise self.fail(f"{where}.utc_offset_minutes", f"out of range: {offset}")
        segments: list[StoredSegment] = []
        seen: set[int] = set()
        for i, raw in enumerate(self.array(obj, "segments", where)):
            seg = self.segment(raw, f"{where}.segments[{i}]")
            if seg.seq in seen:
                raise self.fail(f"{where}.segments[{i}].seq", f"{seg.seq} appears twice")
            seen.add(seg.seq)
            segments.append(seg)
        note = self.get(obj, "note", where, (str,), optional=True)
        session_id = self.get(obj, "id", where, (str,))
        if not session_id.strip():
            raise self.fail(f"{where}.id", "empty")
        return StoredSession(
            id=session_id,
            routine=self.get(obj, "routine", where, (str,)),
            plan=self.obj(obj.get("plan"), f"{where}.plan"),
            started_at=started,
            utc_offset_minutes=offset,
            ended_at=self.time(obj, "ended_at", where, optional=True),
            status=self.enum(obj, "status", where, SessionStatus),
            pain_before=self.pain(obj, "pain_before", where),
            pain_after=self.pain(obj, "pain_after", where),
            difficulty=self.enum(obj, "difficulty", where, Difficulty, optional=True),
            note=note,
            segments=tuple(sorted(segments, key=lambda s: s.seq)),
        )

    def segment(self, item: Any, where: str) -> StoredSegment:
        obj = self.obj(item, where)
        ended = self.time(obj, "ended_at", where)
        assert ended is not None
        try:
            record = SegmentRecord(
                index=self.get(obj, "index", where, (int,)),
                kind=self.enum(obj, "kind", where, SegmentKind),
                exercise=self.get(obj, "exercise", where, (str,), optional=True),
                side=self.enum(obj, "side", where, Side, optional=True),
                set=self.get(obj, "set", where, (int,), optional=True),
                rep=self.get(obj, "rep", where, (int,), optional=True),
                planned_seconds=self.get(
                    obj, "planned_seconds", where, (int, float), optional=True
                ),
                actual_seconds=self.get(obj, "actual_seconds", where, (int, float)),
                outcome=self.enum(obj, "outcome", where, Outcome),
                ended_at=ended,
            )
        except ValueError as error:
            raise self.fail(where, str(error)) from error
        return StoredSegment(seq=self.get(obj, "seq", where, (int,)), record=record)

    def mark(self, item: Any, where: str) -> MarkRecord:
        obj = self.obj(item, where)
        text = self.get(obj, "day", where, (str,))
        try:
            day = date.fromisoformat(text)
        except ValueError as error:
            raise self.fail(f"{where}.day", f"not a date: {text!r}") from error
        set_at = self.time(obj, "set_at", where)
        assert set_at is not None
        return MarkRecord(day, self.enum(obj, "mark", where, DayMark), set_at)


def export_text(store: HistoryStore, fmt: ExportFormat | str) -> str:
    """The export as one string (small histories, tests)."""
    buffer = io.StringIO(newline="")
    export_history(store, fmt, buffer)
    return buffer.getvalue()
