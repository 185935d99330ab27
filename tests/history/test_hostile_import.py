"""Hostile backups: every one is refused with one clear line and nothing written."""

from __future__ import annotations

import copy
import json
import os
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from si_timer.cli import main
from si_timer.config.paths import resolve_paths
from si_timer.history.errors import ImportFormatError
from si_timer.history.exchange import export_text, import_history
from si_timer.history.json_v2 import SEGMENT_COLUMNS, SESSION_COLUMNS
from si_timer.history.store import HistoryStore
from tests.helpers.history_factories import make_plan, play_segments

START = datetime(2025, 3, 14, 6, 0, tzinfo=UTC)


def backup_document(version: int = 1) -> dict[str, Any]:
    """A valid backup with one session in progress and one day mark."""
    import random
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        store, _ = HistoryStore.open(Path(folder) / "h.sqlite3")
        with store:
            plan = make_plan("morning")
            sid = store.begin_session("morning", plan, started_at=START, utc_offset_minutes=60)
            for record in play_segments(plan, START, random.Random(1))[:6]:
                store.record_segment(sid, record)
            store.set_day_mark(START.date(), None)
            document: dict[str, Any] = json.loads(export_text(store, "json", version=version))
    document["day_marks"] = [
        {"day": "2025-03-10", "mark": "rest", "set_at": "2025-03-10T08:00:00+00:00"}
    ]
    return document


VALID = backup_document()
VALID_V2 = backup_document(2)


def session(d: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = d["sessions"][0]
    return result


def segment(d: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = session(d)["segments"][1]
    return result


def plan_segment(d: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = session(d)["plan"]["segments"][2]
    return result


def nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


# (what is changed, the place named, words of the reason); the JSON text is
# written by hand where json.dumps would refuse or change the value.
Change = Callable[[dict[str, Any]], None]
CASES: list[tuple[str, Change, str, str]] = [
    ("nan-seconds", lambda d: segment(d).update(actual_seconds=float("nan")), "line", "NaN"),
    ("inf-seconds", lambda d: segment(d).update(actual_seconds=float("inf")), "line", "Infinity"),
    ("nan-in-plan", lambda d: plan_segment(d).update(seconds=float("nan")), "line", "NaN"),
    ("huge-offset", lambda d: session(d).update(utc_offset_minutes=2**63), "line", "too large"),
    ("big-index", lambda d: segment(d).update(index=2**64 + 1), "line", "too large"),
    ("digits", lambda d: segment(d).update(rep=int("9" * 4000)), "line", "too large"),
    ("deep", lambda d: session(d)["plan"].update(x=nested(900)), "", "nested too deeply"),
    ("deep-plan", lambda d: session(d)["plan"].update(x=nested(30)), "", "nested too deeply"),
    (
        "year-1",
        lambda d: session(d).update(started_at="0001-01-01T00:30:00+05:00"),
        "sessions[0].started_at",
        "out of range",
    ),
    (
        "year-9999",
        lambda d: segment(d).update(ended_at="9999-12-31T23:30:00-05:00"),
        "sessions[0].segments[1].ended_at",
        "out of range",
    ),
    (
        "mark-year",
        lambda d: d["day_marks"][0].update(day="0001-01-01"),
        "day_marks[0].day",
        "out of range",
    ),
    (
        "seconds-range",
        lambda d: segment(d).update(actual_seconds=1e300),
        "sessions[0].segments[1].actual_seconds",
        "out of range",
    ),
    (
        "id-control",
        lambda d: session(d).update(id="abc\x1b[31m"),
        "sessions[0].id",
        "control characters",
    ),
    (
        "id-long",
        lambda d: session(d).update(id="x" * 100_000),
        "sessions[0].id",
        "longer than",
    ),
    (
        "plan-type",
        lambda d: plan_segment(d).update(set="first"),
        "sessions[0].plan",
        "cannot be resumed: segments[2].set",
    ),
    (
        "plan-not-list",
        lambda d: session(d)["plan"].update(segments={"a": 1}),
        "sessions[0].plan",
        "cannot be resumed",
    ),
]


def write_hostile(path: Path, change: Change) -> None:
    document = copy.deepcopy(VALID)
    change(document)
    # allow_nan: write NaN/Infinity as a hostile file would hold them.
    path.write_text(json.dumps(document, allow_nan=True), encoding="utf-8")


@pytest.mark.parametrize(("name", "change", "where", "reason"), CASES, ids=[c[0] for c in CASES])
def test_a_hostile_backup_is_refused_before_anything_is_written(
    store: HistoryStore, tmp_path: Path, name: str, change: Change, where: str, reason: str
) -> None:
    path = tmp_path / f"{name}.json"
    write_hostile(path, change)
    before = export_text(store, "json")
    with pytest.raises(ImportFormatError) as info:
        import_history(store, path)
    assert info.value.where.startswith(where)
    assert reason in info.value.problem
    assert "\n" not in str(info.value)
    assert export_text(store, "json").split("\n", 6)[6:] == before.split("\n", 6)[6:]
    assert store.session_count() == 0
    # The history is still sound and complete afterwards.
    assert import_history(store, _valid(tmp_path)).sessions_added == 1


def row_v2(d: dict[str, Any], i: int = 1) -> list[Any]:
    result: list[Any] = d["sessions"][0][11][i]
    return result


def at(row: list[Any], column: str, value: Any, columns: tuple[str, ...] = SEGMENT_COLUMNS) -> None:
    row[columns.index(column)] = value


CASES_V2: list[tuple[str, Change, str, str]] = [
    ("nan-seconds", lambda d: at(row_v2(d), "actual_seconds", float("nan")), "line", "NaN"),
    ("big-rep", lambda d: at(row_v2(d), "rep", 2**64 + 1), "line", "too large"),
    (
        "year-9999",
        lambda d: at(row_v2(d), "ended_at", "9999-12-31T23:30:00-05:00"),
        "sessions[0].segments[1].ended_at",
        "out of range",
    ),
    (
        "id-control",
        lambda d: at(d["sessions"][0], "id", "abc\x1b[31m", SESSION_COLUMNS),
        "sessions[0].id",
        "control characters",
    ),
    (
        "plan-type",
        lambda d: d["plans"][0]["segments"][2].update(set="first"),
        "plans[0]",
        "cannot be resumed: segments[2].set",
    ),
    ("deep-plan", lambda d: d["plans"][0].update(x=nested(30)), "plans[0]", "nested too deeply"),
    (
        "seq-twice",
        lambda d: at(row_v2(d), "seq", row_v2(d, 0)[0]),
        "sessions[0].segments[1].seq",
        "appears twice",
    ),
    (
        "row-short",
        lambda d: d["sessions"][0][11].__setitem__(1, row_v2(d)[:5]),
        "sessions[0].segments[1]",
        "expected a list of 11 values",
    ),
    (
        "plan-position",
        lambda d: at(d["sessions"][0], "plan", 7, SESSION_COLUMNS),
        "sessions[0].plan",
        "not the position",
    ),
    ("no-plans", lambda d: d.update(plans={}), "plans", "expected a list"),
]


@pytest.mark.parametrize(
    ("name", "change", "where", "reason"), CASES_V2, ids=[c[0] for c in CASES_V2]
)
def test_a_hostile_version_2_backup_is_refused_before_anything_is_written(
    store: HistoryStore, tmp_path: Path, name: str, change: Change, where: str, reason: str
) -> None:
    document = copy.deepcopy(VALID_V2)
    change(document)
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(document, allow_nan=True), encoding="utf-8")
    with pytest.raises(ImportFormatError) as info:
        import_history(store, path)
    assert info.value.where.startswith(where)
    assert reason in info.value.problem
    assert "\n" not in str(info.value)
    assert store.session_count() == 0
    path.write_text(json.dumps(VALID_V2), encoding="utf-8")
    assert import_history(store, path).sessions_added == 1


def _valid(tmp_path: Path) -> Path:
    path = tmp_path / "valid.json"
    path.write_text(json.dumps(VALID), encoding="utf-8")
    return path


def test_nesting_beyond_the_parsers_own_limit_is_one_line(
    store: HistoryStore, tmp_path: Path
) -> None:
    path = tmp_path / "deep.json"
    text = json.dumps(VALID)
    path.write_text(text[:-1] + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(ImportFormatError, match="nested too deeply"):
        import_history(store, path)


@pytest.mark.skipif(os.name != "posix", reason="POSIX special files")
@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
def test_a_special_file_is_refused_at_once(store: HistoryStore, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "backup.json"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    with pytest.raises(ImportFormatError, match="not a regular file"):
        import_history(store, path)


def test_a_damaged_sqlite_backup_names_the_persons_file_only(
    store: HistoryStore, tmp_path: Path
) -> None:
    source = tmp_path / "history-2025-03-14.sqlite3"
    other, _ = HistoryStore.open(source)
    other.close()
    conn = sqlite3.connect(source)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    data = bytearray(source.read_bytes())
    data[4096:] = b"\xee" * (len(data) - 4096)
    source.write_bytes(bytes(data))
    with pytest.raises(ImportFormatError) as info:
        import_history(store, source)
    message = str(info.value)
    assert str(source) in message
    assert "si-timer-import-" not in message  # no private copy's path
    assert "moved" not in message
    assert "History cannot be saved" not in message  # not the person's own history
    assert sorted(p.name for p in tmp_path.iterdir()) == [source.name, "si-timer-data"]


# --- property: whatever the backup holds, the command says one line ------------------------

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(
        ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2025-02-30", "", "\x00"]
    )
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
# Where a change lands, and the keys it may replace there.
PLACES: list[tuple[tuple[str | int, ...], list[str]]] = [
    ((), ["format", "format_version", "sessions", "day_marks"]),
    (("sessions", 0), sorted(session(VALID))),
    (("sessions", 0, "segments", 1), sorted(segment(VALID))),
    (("sessions", 0, "plan"), ["routine", "name", "times_per_day", "segments"]),
    (("sessions", 0, "plan", "segments", 2), sorted(plan_segment(VALID))),
    (("day_marks", 0), ["day", "mark", "set_at"]),
]
TEXT_DAMAGE = ["", "[" * 3000, "1e999", "9" * 5000, "NaN", '"\\ud800"']


def _reach(document: Any, place: tuple[str | int, ...]) -> Any:
    for step in place:
        try:
            document = document[step]
        except (KeyError, IndexError, TypeError):
            return None
    return document


@st.composite
def hostile_backups(draw: st.DrawFn) -> bytes:
    document = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        place, keys = draw(st.sampled_from(PLACES))
        target = _reach(document, place)
        if isinstance(target, dict):
            target[draw(st.sampled_from(keys))] = draw(JSON_VALUES)
    text = json.dumps(document, allow_nan=True)
    if draw(st.booleans()):  # damage the text itself now and then
        cut = draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:cut] + draw(st.sampled_from(TEXT_DAMAGE))
    return text.encode("utf-8")


# Version 2: the same damage, to the rows' positions and the declared columns too.
PLACES_V2: list[tuple[tuple[str | int, ...], list[str | int]]] = [
    ((), ["format_version", "plans", "session_columns", "segment_columns", "sessions"]),
    (("plans",), [0, 1]),
    (("plans", 0), ["routine", "name", "times_per_day", "segments"]),
    (("plans", 0, "segments", 2), sorted(plan_segment(VALID))),
    (("session_columns",), list(range(12))),
    (("segment_columns",), list(range(11))),
    (("sessions",), [0, 1]),
    (("sessions", 0), list(range(13))),
    (("sessions", 0, 11), [0, 1, 5, 6]),
    (("sessions", 0, 11, 1), list(range(12))),
    (("sessions", 0, 11, 4), list(range(11))),
    (("day_marks", 0), ["day", "mark", "set_at"]),
]


@st.composite
def hostile_v2_backups(draw: st.DrawFn) -> bytes:
    document = copy.deepcopy(VALID_V2)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        place, keys = draw(st.sampled_from(PLACES_V2))
        target = _reach(document, place)
        key = draw(st.sampled_from(keys))
        value = draw(JSON_VALUES)
        if isinstance(target, dict) and isinstance(key, str):
            target[key] = value
        elif isinstance(target, list) and isinstance(key, int):
            if key < len(target):
                target[key] = value
            else:
                target.append(value)  # a row one value too long
    text = json.dumps(document, allow_nan=True)
    if draw(st.booleans()):
        cut = draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:cut] + draw(st.sampled_from(TEXT_DAMAGE))
    return text.encode("utf-8")


@given(data=hostile_v2_backups())
@settings(
    max_examples=120,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_any_version_2_backup_is_imported_whole_or_refused_with_one_line(
    data: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    check_import_of(data, tmp_path, capsys)


@given(data=hostile_backups())
@settings(
    max_examples=120,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_any_backup_is_imported_whole_or_refused_with_one_line(
    data: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    check_import_of(data, tmp_path, capsys)


def check_import_of(data: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = resolve_paths()
    path = tmp_path / "hostile.json"
    path.write_bytes(data)
    assert main(["history", "--json"]) == 0
    before = capsys.readouterr().out
    code = main(["import", str(path)])
    captured = capsys.readouterr()
    assert code in (0, 1)
    assert "Traceback" not in captured.err
    if code == 1:
        (line,) = captured.err.splitlines()
        assert line.startswith("si-timer: Cannot import ")
        assert main(["history", "--json"]) == 0
        assert capsys.readouterr().out == before  # history unchanged
    # Whatever went in can be written out again as a strict backup.
    assert main(["export", "--format", "json"]) == 0
    json.loads(capsys.readouterr().out)
    assert paths.database_file.exists()
