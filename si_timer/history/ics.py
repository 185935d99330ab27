"""A minimal iCalendar (RFC 5545) writer: one event per session.

Written by hand (a page of code) rather than adding a runtime dependency; the
tests read the output back with the ``icalendar`` package.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import TextIO

from si_timer.records import record

CRLF = "\r\n"
_MAX_OCTETS = 75


@record(frozen=True)
class Event:
    uid: str
    start: datetime
    end: datetime
    summary: str
    description: str
    categories: tuple[str, ...] = ()


# RFC 5545 3.3.11: TEXT allows no control characters but HTAB; line breaks
# are written as "\n" escapes (below), every other one is dropped.
_CONTROLS = {c: None for c in (*range(0x00, 0x09), *range(0x0B, 0x0D), *range(0x0E, 0x20), 0x7F)}


def escape_text(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11); control characters are dropped."""
    return (
        text.translate(_CONTROLS)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    limit = _MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size = " ", 1  # continuation lines start with one space
            limit = _MAX_OCTETS
        current += char
        size += width
    out.append(current)
    return CRLF.join(out)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def write_calendar(events: Iterable[Event], out: TextIO, *, stamp: datetime, name: str) -> int:
    """Write a VCALENDAR with ``events``; returns how many were written.

    ``out`` must not translate newlines (open files with ``newline=""``):
    the format requires CRLF.
    """
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//si-timer//History export//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    out.write(CRLF.join(fold(line) for line in lines) + CRLF)
    count = 0
    for event in events:
        end = max(event.end, event.start + timedelta(minutes=1))  # DTEND must be later
        body = [
            "BEGIN:VEVENT",
            f"UID:{escape_text(event.uid)}",
            f"DTSTAMP:{_utc(stamp)}",
            f"DTSTART:{_utc(event.start)}",
            f"DTEND:{_utc(end)}",
            f"SUMMARY:{escape_text(event.summary)}",
            f"DESCRIPTION:{escape_text(event.description)}",
        ]
        if event.categories:
            body.append("CATEGORIES:" + ",".join(escape_text(c) for c in event.categories))
        body += ["TRANSP:TRANSPARENT", "END:VEVENT"]
        out.write(CRLF.join(fold(line) for line in body) + CRLF)
        count += 1
    out.write("END:VCALENDAR" + CRLF)
    return count
