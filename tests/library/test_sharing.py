"""The share file: what goes in, and that reading one never trusts it."""

from __future__ import annotations

import re
import tempfile
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from si_timer import assets
from si_timer.config.paths import AppPaths, resolve_paths
from si_timer.library.catalog import Catalog
from si_timer.library.share_import import preview_import
from si_timer.library.sharing import (
    MAX_SHARE_BYTES,
    ShareProblem,
    gather,
    looks_like_share,
    read_share,
    read_share_file,
    share_text,
)
from tests.helpers.share_files import (
    MY_BRIDGE,
    MY_CORE,
    MY_STRETCH,
    bundled_figure,
    catalog_of,
    make_person,
)

FILE = "from-physio.si-routine"
# FILE:LINE: field: message, the file possibly followed by the piece ("FILE: routine").
ONE_LINE = re.compile(r"^[^\n]+:\d+: [^\n:]+: [^\n]+$|^[^\n]+: [^\n]+$")


def exported(tmp_path: Path, routine_id: str = "my-core") -> str:
    catalog = catalog_of(make_person(tmp_path / "me"))
    return share_text(gather(catalog.routine(routine_id), catalog))


def document(text: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def test_a_share_file_holds_the_routine_and_the_persons_own_exercises_as_written(
    tmp_path: Path,
) -> None:
    doc = document(exported(tmp_path))
    assert doc["si-timer-routine"] == 1
    assert doc["routine"] == MY_CORE
    texts = {entry["exercise"]: entry.get("figure") for entry in doc["exercises"]}
    # Bundled exercises are named, not copied; a bundled one the person changed goes in.
    assert set(texts) == {MY_BRIDGE, MY_STRETCH}
    assert texts[MY_STRETCH] == (assets.content_root() / "figures" / "figure-4.yaml").read_text()
    # The bundled glute bridge's figure is in every install: it stays out.
    assert texts[MY_BRIDGE] is None
    assert "# From my physio, March." in doc["exercises"][1]["exercise"]


def test_a_share_file_reads_back_to_the_same_routine_and_exercises(tmp_path: Path) -> None:
    catalog = catalog_of(make_person(tmp_path / "me"))
    shared = read_share(exported(tmp_path / "b").encode(), FILE)
    assert shared.routine == catalog.routine("my-core")
    assert [s.exercise for s in shared.exercises] == [
        catalog.exercise("glute-bridge"),
        catalog.exercise("my-stretch"),
    ]
    assert shared.included("pelvic-tilt") is None


def test_a_bundled_routine_is_shared_from_the_bundled_file(tmp_path: Path) -> None:
    catalog = catalog_of(make_person(tmp_path / "me"))
    text = share_text(gather(catalog.routine("morning"), catalog))
    bundled = (assets.content_root() / "routines" / "morning.yaml").read_text()
    assert document(text)["routine"] == bundled
    assert "exercises" not in document(text)
    assert looks_like_share(text.encode())


def test_a_file_that_changed_on_disk_since_it_was_read_cannot_be_shared(tmp_path: Path) -> None:
    paths = make_person(tmp_path / "me")
    catalog = catalog_of(paths)
    (paths.user_exercises_dir / "my-stretch.yaml").unlink()
    with pytest.raises(ShareProblem, match=r"my-stretch\.yaml"):
        gather(catalog.routine("my-core"), catalog)


def test_a_history_backup_is_not_taken_for_a_share_file() -> None:
    assert not looks_like_share(b'{"format": "si-timer-history", "sessions": []}')
    assert not looks_like_share(b"SQLite format 3\x00")


def test_a_share_file_on_disk_is_read_with_a_size_cap(tmp_path: Path) -> None:
    big = tmp_path / "big.si-routine"
    big.write_bytes(b"#" * (MAX_SHARE_BYTES + 1))
    with pytest.raises(ShareProblem, match="too large"):
        read_share_file(big)
    with pytest.raises(ShareProblem, match="no such file"):
        read_share_file(tmp_path / "missing.si-routine")
    with pytest.raises(ShareProblem, match="not a regular file"):
        read_share_file(tmp_path)


def _share(routine: str = MY_CORE, exercises: Any = None, **extra: Any) -> bytes:
    doc: dict[str, Any] = {"si-timer-routine": 1, "routine": routine}
    if exercises is not None:
        doc["exercises"] = exercises
    doc.update(extra)
    return yaml.safe_dump(doc, sort_keys=False).encode()


HOSTILE = [
    (b"", "is empty"),
    (b"\xff\xfe", "not UTF-8"),
    (b"si-timer-routine: 1\x00", "NUL"),
    (b"- a\n- b\n", "must be a shared routine, not a list"),
    (b"routine: x\n", "si-timer-routine: is missing"),
    (b"si-timer-routine: true\nroutine: x\n", "must be 1"),
    (b"si-timer-routine: 7\nroutine: x\n", "newer SI Timer"),
    (b"si-timer-routine: 1\n", "routine: is missing"),
    (b"si-timer-routine: 1\nroutine: [1, 2]\n", "must be a file's text, not a list"),
    (b"si-timer-routine: !!python/object:os.system 1\n", "yaml"),
    (_share(run="rm -rf /"), "run: is not part of a shared routine"),
    (_share(MY_CORE.replace("id: my-core", "id: ../../evil")), "must be lowercase letters"),
    (_share(MY_CORE.replace("- pelvic-tilt", "- ../x")), "must be lowercase letters"),
    (_share(exercises={"a": 1}), "exercises: must be a list, not a mapping"),
    (_share(exercises=["text"]), "exercises[0]: must be a mapping"),
    (_share(exercises=[{"figure": "view: side"}]), "exercises[0].exercise: is missing"),
    (_share(exercises=[{"exercise": 5}]), "must be a file's text, not the number 5"),
    (_share(exercises=[{"exercise": MY_STRETCH, "script": "x"}]), "script: is not part"),
    (
        _share(exercises=[{"exercise": MY_STRETCH.replace("my-stretch", "../x")}]),
        "exercises[0]:2: id: '../x' must be lowercase letters",
    ),
    (
        _share(exercises=[{"exercise": MY_STRETCH.replace("my-stretch", "other")}]),
        "'other' is not in the routine",
    ),
    (_share(exercises=[{"exercise": MY_STRETCH}] * 2), "'my-stretch' comes twice"),
    (
        _share(exercises=[{"exercise": MY_STRETCH, "figure": "view: upside-down\n"}]),
        "exercises[0].figure:1: view:",
    ),
    (_share(MY_CORE.replace("rest_between: 12", "rest_between: lots")), "routine:4: rest_between"),
    (b"si-timer-routine: 1\nroutine: &a [*a]\n", "nested too deeply"),
    (
        b"si-timer-routine: 1\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a,"
        b" *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c,"
        b" *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
        "too many values",
    ),
]


@pytest.mark.parametrize(("data", "expected"), HOSTILE)
def test_a_malformed_or_hostile_share_file_is_refused_in_one_clear_line(
    data: bytes, expected: str
) -> None:
    with pytest.raises(ShareProblem) as caught:
        read_share(data, FILE)
    message = caught.value.message
    assert "\n" not in message
    assert message.startswith(FILE)
    assert expected in message


def test_several_problems_in_one_piece_are_one_line_that_counts_the_rest() -> None:
    broken = MY_STRETCH.replace("category: stretch", "category: 4")
    broken = broken.replace("sides: each", "sides: 9")
    with pytest.raises(ShareProblem) as caught:
        read_share(_share(exercises=[{"exercise": broken}]), FILE)
    assert caught.value.message.endswith("(and 1 more)")
    assert "\n" not in caught.value.message


@dataclass(frozen=True)
class _Library:
    paths: AppPaths
    catalog: Catalog


def _fresh_library() -> _Library:
    # A folder that is never made: the library reads it as empty.
    paths = resolve_paths(Path(tempfile.gettempdir()) / f"si-timer-share-fuzz-{uuid.uuid4()}")
    return _Library(paths, catalog_of(paths))


_FRESH = _fresh_library()

FUZZ = settings(
    max_examples=150,
    deadline=timedelta(seconds=2),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats()
    | st.text(max_size=40)
    | st.sampled_from([MY_CORE, MY_STRETCH, MY_BRIDGE, "../x", "id: ../x\n"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["routine", "exercises", "exercise", "figure", "si-timer-routine", "x"]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


def _check(data: bytes) -> None:
    try:
        shared = read_share(data, FILE)
    except ShareProblem as problem:
        message = problem.message
    else:
        message = ""
    if message:
        assert "\n" not in message
        assert message.startswith(FILE)
        assert ONE_LINE.match(message), message
        return
    # What is accepted is a routine whose included exercises are all its own, and it
    # previews: every file inside the person's folders, named by a valid id.
    used = {entry.exercise for entry in shared.routine.entries}
    assert {s.exercise.id for s in shared.exercises} <= used
    preview = preview_import(shared, _FRESH.catalog, _FRESH.paths)
    for item in preview.items:
        for file in item.files:
            assert file.target.parent.parent == _FRESH.paths.data_dir
            assert file.target.name.startswith(file.id)


@FUZZ
@given(VALUES)
def test_any_yaml_document_is_read_or_refused_in_one_line(value: Any) -> None:
    _check(yaml.safe_dump(value, allow_unicode=True).encode())


@FUZZ
@given(st.binary(max_size=600))
def test_any_bytes_are_read_or_refused_in_one_line(data: bytes) -> None:
    _check(data)


# As the app writes it: literal blocks, a figure, a bundled exercise changed by the person.
SAMPLE = share_text(
    read_share(
        _share(
            exercises=[
                {"exercise": MY_BRIDGE},
                {"exercise": MY_STRETCH, "figure": bundled_figure("figure-4")},
            ]
        ),
        FILE,
    )
).encode()


@FUZZ
@given(st.data())
def test_a_damaged_share_file_is_read_or_refused_in_one_line(data: st.DataObject) -> None:
    text = bytearray(SAMPLE)
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        if data.draw(st.booleans()) and at < len(text):
            del text[at : at + data.draw(st.integers(1, 8))]
        else:
            text[at:at] = data.draw(st.binary(min_size=1, max_size=6))
    _check(bytes(text))
