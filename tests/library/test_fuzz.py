"""Whatever bytes a person's file holds, the loader answers with a result, never a crash.

Three sources of input: YAML documents built from random values, the bundled
files with random damage, and plain random bytes.  For each, ``load_text``
returns a FileResult whose every problem is one ``FILE:LINE: field: message``
line pointing into the file, and what it does accept plans without surprises.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from si_timer import assets
from si_timer.library.catalog import load_catalog, routine_problems
from si_timer.library.loader import (
    DOSE_KEYS,
    ENTRY_KEYS,
    EXERCISE_KEYS,
    ROUTINE_KEYS,
    FileResult,
    load_text,
)
from si_timer.library.model import Exercise, LoadError, Routine, RoutineEntry
from si_timer.session.plan import build_plan

FILE = "fuzz.yaml"
LINE_FORMAT = re.compile(r"^.+:\d+: [^:]+: .+$")
KINDS = ("exercise", "routine", "sources", None)

FUZZ = settings(
    max_examples=200,
    deadline=timedelta(seconds=2),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

BUNDLED_EXERCISES = load_catalog().exercises


def _bundled_files() -> list[tuple[str, str, str]]:
    root = assets.content_root()
    files = [("sources.yaml", (root / "sources.yaml").read_text("utf-8"), "sources")]
    for sub, kind in (("exercises", "exercise"), ("routines", "routine")):
        for f in sorted((root / sub).iterdir(), key=lambda f: f.name):
            if f.name.endswith(".yaml"):
                files.append((f.name, f.read_text("utf-8"), kind))
    return files


BUNDLED = _bundled_files()


def check(data: bytes, kind: str | None) -> FileResult:
    """The property every input must keep; returns the result for further checks."""
    result = load_text(data, FILE, kind=kind)
    assert isinstance(result, FileResult)
    assert result.exercise is None or isinstance(result.exercise, Exercise)
    assert result.routine is None or isinstance(result.routine, Routine)
    assert result.exercise is None or result.routine is None
    assert isinstance(result.errors, tuple)
    # YAML breaks lines at NEL and the Unicode separators too, not only at newlines.
    text_in = data.decode("utf-8", errors="replace")
    breaks = len(re.findall("\r\n|[\n\r\x85\u2028\u2029]", text_in))
    last_line = breaks + 2  # a problem at the very end of the file
    for error in result.errors:
        assert isinstance(error, LoadError)
        text = str(error)
        assert LINE_FORMAT.match(text), repr(text)
        assert error.file == FILE
        assert 1 <= error.line <= last_line, (text, last_line)
    if kind in ("exercise", "routine"):
        # A definition comes back exactly when the file has no problems.
        model = result.exercise if kind == "exercise" else result.routine
        assert (model is not None) == (result.errors == ()), [str(e) for e in result.errors]
    if result.exercise is not None:
        _plans(result.exercise)
    if result.routine is not None:
        _plans_routine(result.routine)
    return result


def _plans(ex: Exercise) -> None:
    """An exercise the loader accepts plans, and its times add up."""
    if ex.dose.sets * (ex.dose.reps.max if ex.dose.reps else 1) > 500:
        return  # accepted but huge (see the report); not what this property is about
    plan = build_plan(Routine("r", "R", (RoutineEntry(ex.id),)), {ex.id: ex})
    offset = 0.0
    for seg in plan.segments:
        assert seg.start == offset
        assert seg.seconds is None or seg.seconds > 0
        offset += seg.estimate
    assert plan.total_seconds == offset


def _plans_routine(routine: Routine) -> None:
    """A routine that passes the cross-file checks plans against the bundled exercises."""
    if list(routine_problems(routine, BUNDLED_EXERCISES)):
        return
    plan = build_plan(routine, BUNDLED_EXERCISES)
    assert plan.segments


# --- random YAML documents -----------------------------------------------------

KNOWN_KEYS = sorted(set(EXERCISE_KEYS + DOSE_KEYS + ROUTINE_KEYS + ENTRY_KEYS + ("min", "max")))

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["none", "each", "left-right-both", "left", "stretch", "knee-to-chest", "a"]),
)
keys = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=12))
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(keys, children, max_size=6),
    ),
    max_leaves=25,
)
documents = st.one_of(st.dictionaries(keys, values, max_size=12), values)


@FUZZ
@given(document=documents, kind=st.sampled_from(KINDS), flow=st.booleans())
def test_random_yaml_documents(document: Any, kind: str | None, flow: bool) -> None:
    text = yaml.safe_dump(document, default_flow_style=flow, allow_unicode=True)
    check(text.encode("utf-8"), kind)


# --- the bundled files, damaged --------------------------------------------------

NASTY = st.sampled_from([*":-[]{},&*!|>'\"#%@`?\t\n \\", "\x00", "\x01", "\ufeff", "é", "🦵"])
any_char = st.one_of(NASTY, st.characters())


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, str]:
    _name, text, kind = draw(st.sampled_from(BUNDLED))
    for _ in range(draw(st.integers(1, 4))):
        how = draw(
            st.sampled_from(
                [
                    "delete char",
                    "duplicate char",
                    "replace char",
                    "insert char",
                    "delete line",
                    "duplicate line",
                    "swap lines",
                    "replace line",
                ]
            )
        )
        if how.endswith("char"):
            if not text:
                continue
            i = draw(st.integers(0, len(text) - 1))
            if how == "delete char":
                text = text[:i] + text[i + 1 :]
            elif how == "duplicate char":
                text = text[:i] + text[i] + text[i:]
            elif how == "replace char":
                text = text[:i] + draw(any_char) + text[i + 1 :]
            else:
                text = text[:i] + draw(any_char) + text[i:]
            continue
        lines = text.split("\n")
        i = draw(st.integers(0, len(lines) - 1))
        if how == "delete line":
            del lines[i]
        elif how == "duplicate line":
            lines.insert(i, lines[i])
        elif how == "swap lines":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines[i] = draw(st.text(max_size=30))
        text = "\n".join(lines)
    return text, kind


@FUZZ
@given(case=damaged())
def test_damaged_bundled_files(case: tuple[str, str]) -> None:
    text, kind = case
    check(text.encode("utf-8", "surrogatepass"), kind)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a parsed document a value sits."""
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, child in node.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for i, child in enumerate(node):
            found += _paths(child, (*prefix, i))
    return found


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        node = node[step]
    return node


def _set(node: Any, path: tuple[Any, ...], value: Any) -> None:
    _get(node, path[:-1])[path[-1]] = value


@st.composite
def swapped(draw: st.DrawFn) -> tuple[str, str]:
    """A bundled file with values swapped between places, or replaced by random ones."""
    _name, text, kind = draw(st.sampled_from(BUNDLED))
    document = yaml.safe_load(text)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(document)
        a = draw(st.sampled_from(paths))
        if draw(st.booleans()):
            b = draw(st.sampled_from(paths))
            # Swapping a value with one inside it would make a cycle.
            if a[: len(b)] == b or b[: len(a)] == a:
                continue
            value_a, value_b = _get(document, a), _get(document, b)
            _set(document, a, value_b)
            _set(document, b, value_a)
        else:
            _set(document, a, draw(values))
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False), kind


@FUZZ
@given(case=swapped())
def test_bundled_files_with_values_swapped(case: tuple[str, str]) -> None:
    text, kind = case
    check(text.encode("utf-8"), kind)


# --- random bytes -----------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=600), kind=st.sampled_from(KINDS))
def test_random_bytes(data: bytes, kind: str | None) -> None:
    check(data, kind)


@FUZZ
@given(text=st.text(max_size=300), kind=st.sampled_from(KINDS))
def test_random_text(text: str, kind: str | None) -> None:
    check(text.encode("utf-8", "surrogatepass"), kind)


# --- the property itself can fail ------------------------------------------------


def test_the_bundled_files_pass_the_property_undamaged() -> None:
    for name, text, kind in BUNDLED:
        result = check(text.encode("utf-8"), kind)
        assert result.errors == (), name
