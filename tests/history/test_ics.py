"""The hand-written iCalendar pieces: escaping and folding by octets."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from si_timer.history.ics import Event, escape_text, fold, write_calendar


def test_escape_text() -> None:
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_fold_never_splits_a_character_and_keeps_75_octets() -> None:
    line = "DESCRIPTION:" + "✓é" * 60
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line
    assert fold("SHORT:x") == "SHORT:x"


def test_a_zero_length_event_gets_a_later_end() -> None:
    start = datetime(2025, 3, 14, 6, tzinfo=UTC)
    out = io.StringIO(newline="")
    count = write_calendar([Event("u1", start, start, "s", "d")], out, stamp=start, name="n")
    assert count == 1
    text = out.getvalue()
    assert "DTSTART:20250314T060000Z\r\n" in text
    assert f"DTEND:{(start + timedelta(minutes=1)):%Y%m%dT%H%M%SZ}\r\n" in text
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert text.endswith("END:VCALENDAR\r\n")


def test_control_characters_are_dropped_line_breaks_escaped() -> None:
    assert escape_text("a\x00b\x07c\x1bd\x7fe\tf\ng") == "abcde\tf\\ng"
    start = datetime(2025, 3, 14, 6, tzinfo=UTC)
    out = io.StringIO(newline="")
    write_calendar(
        [Event("u\x01", start, start, "s\x0b", "d\x1f\x0c")], out, stamp=start, name="n\x00"
    )
    text = out.getvalue()
    assert not any(ord(c) < 32 and c not in "\r\n" for c in text)
