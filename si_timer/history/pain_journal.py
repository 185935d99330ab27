"""The pain journal: pain logged on its own ("my back hurts this evening"), with a note,
and the journal's list that puts those beside the sessions' pain ratings and notes.

A pain entry has its own UUID (imports merge by it) and remembers when it was
last edited, so the newer copy wins when two histories are merged.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from si_timer.history.days import local_day
from si_timer.history.model import check_pain, fixed_zone, require_aware
from si_timer.records import record


@record(frozen=True)
class PainEntry:
    """Pain logged without a session."""

    id: str
    at: datetime  # aware
    utc_offset_minutes: int
    pain: int
    note: str | None
    edited_at: datetime  # aware; the newer copy wins a merge

    def __post_init__(self) -> None:
        require_aware(self.at, "at")
        require_aware(self.edited_at, "edited_at")
        check_pain(self.pain, "pain")
        if not -1440 <= self.utc_offset_minutes <= 1440:
            raise ValueError(f"utc_offset_minutes out of range: {self.utc_offset_minutes}")

    @property
    def local_day(self) -> date:
        return local_day(self.at, self.utc_offset_minutes)

    @property
    def local_at(self) -> datetime:
        return self.at.astimezone(fixed_zone(self.utc_offset_minutes))


@record(frozen=True)
class JournalEntry:
    """One line of the journal, newest first: a session's pain and note, or a pain entry.

    ``session_id`` or ``pain_entry_id`` says which, so the note can be edited in place.
    """

    local_at: datetime  # on the wall clock where it happened
    title: str  # the routine's name, or "Pain logged"
    pain_before: int | None
    pain_after: int | None  # for a pain entry: its pain
    note: str | None
    session_id: str | None = None
    pain_entry_id: str | None = None

    @property
    def pain_text(self) -> str:
        before, after = self.pain_before, self.pain_after
        if self.pain_entry_id is not None:
            return f"Pain {after}"
        if before is not None and after is not None:
            return f"Pain {before} → {after}"
        if before is not None:
            return f"Pain before {before}"
        if after is not None:
            return f"Pain after {after}"
        return ""


def pain_entry_to_json(entry: PainEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at.isoformat(timespec="microseconds"),
        "utc_offset_minutes": entry.utc_offset_minutes,
        "pain": entry.pain,
        "note": entry.note,
        "edited_at": entry.edited_at.isoformat(timespec="microseconds"),
    }


class PainEntryFormatError(ValueError):
    """A pain entry in a backup is not valid; ``where`` is the place in the document."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


def pain_entries_from_json(items: Any, where: str = "pain_entries") -> list[PainEntry]:
    """The pain entries of a backup (absent in backups from before them: none)."""
    if items is None:
        return []
    if not isinstance(items, list):
        raise PainEntryFormatError(where, "expected a list")
    return [_entry(item, f"{where}[{i}]") for i, item in enumerate(items)]


def _entry(item: Any, where: str) -> PainEntry:
    if not isinstance(item, dict):
        raise PainEntryFormatError(where, "expected an object")

    def text(key: str, *, optional: bool = False) -> str | None:
        value = item.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise PainEntryFormatError(f"{where}.{key}", "expected text")
        return value

    def moment(key: str) -> datetime:
        raw = text(key)
        assert raw is not None
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            raise PainEntryFormatError(f"{where}.{key}", f"not a date and time: {raw!r}") from None
        if value.tzinfo is None:
            raise PainEntryFormatError(f"{where}.{key}", f"no time zone in {raw!r}")
        return value

    def integer(key: str) -> int:
        value = item.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise PainEntryFormatError(f"{where}.{key}", "expected a whole number")
        return value

    entry_id = text("id")
    assert entry_id is not None
    try:
        return PainEntry(
            id=entry_id,
            at=moment("at"),
            utc_offset_minutes=integer("utc_offset_minutes"),
            pain=integer("pain"),
            note=text("note", optional=True),
            edited_at=moment("edited_at"),
        )
    except ValueError as error:
        if isinstance(error, PainEntryFormatError):
            raise
        raise PainEntryFormatError(where, str(error)) from None
