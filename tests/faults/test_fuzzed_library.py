"""Fuzzed routine and exercise files: ``si-timer validate`` and the app's loader answer calmly.

Three kinds of file: YAML built from the format's own keys with random values,
bundled files with random damage, and random bytes.  Whatever the file, the
answer is exit code 0 or 1, every line is ``FILE:LINE: field: message`` (or
``FILE: ok``), there is no traceback, a broken file hides nothing else, and
nothing is written to the data folder.
"""

from __future__ import annotations

import copy
import re
import subprocess
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from si_timer import assets
from si_timer.cli import main
from si_timer.config.paths import resolve_paths
from si_timer.library.catalog import load_catalog
from si_timer.library.loader import DOSE_KEYS, ENTRY_KEYS, EXERCISE_KEYS, ROUTINE_KEYS
from tests.helpers.realapp import listing, offscreen_env, si_timer_command

pytestmark = pytest.mark.slow  # real processes: kept out of the inner loop

FUZZ = settings(
    max_examples=200,
    deadline=timedelta(seconds=2),
    derandomize=True,  # the same examples on every run: a red CI run is reproducible
    database=None,  # no .hypothesis folder in the checkout
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the folders are rewritten per example
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
PROBLEM = r"(?P<line>\d+): (?P<field>[^:\s][^:]*): (?P<message>.+)"
BUNDLED = load_catalog()


def _bundled_texts() -> list[str]:
    root = assets.content_root()
    return [
        f.read_text("utf-8")
        for sub in ("exercises", "routines")
        for f in sorted((root / sub).iterdir(), key=lambda f: f.name)
        if f.name.endswith(".yaml")
    ]


BUNDLED_TEXTS = _bundled_texts()

# --- what a person's file might hold ------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
)
anything = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=8,
)
ids = st.sampled_from(
    [*BUNDLED.exercises, *BUNDLED.routines, "mine", "Mine", "two words", ""]
) | st.text(max_size=10)
amounts = st.one_of(
    st.integers(-5, 400),
    st.floats(-5, 400),
    st.fixed_dictionaries({"min": st.integers(-5, 120), "max": st.integers(-5, 120)}),
    anything,
)
sides = st.sampled_from(["none", "each", "left-right-both", "left", "right", "both"]) | anything
extras = st.dictionaries(st.text(max_size=6), anything, max_size=2)


def _document(keys: Sequence[str], specific: dict[str, st.SearchStrategy[Any]]) -> Any:
    optional = {key: specific.get(key, anything) for key in keys}
    return st.builds(
        lambda known, unknown: {**unknown, **known},
        st.fixed_dictionaries({}, optional=optional),
        extras | st.just({}),
    )


doses = _document(
    DOSE_KEYS,
    {
        "tempo": st.lists(
            st.fixed_dictionaries({"name": st.text(max_size=6), "seconds": amounts}), max_size=3
        )
        | anything,
        "progression": st.fixed_dictionaries({}, optional={"hold": amounts, "reps": amounts}),
        **{key: amounts for key in ("hold", "reps", "sets", "rest", "relax")},
    },
)
exercise_docs = _document(
    EXERCISE_KEYS,
    {
        "id": ids,
        "dose": doses | anything,
        "sides": sides,
        "steps": st.lists(st.text(max_size=30), max_size=6) | anything,
        "category": st.sampled_from(["stretch", "strength", "rotation", "yoga"]) | anything,
    },
)
entries = ids | _document(
    ENTRY_KEYS,
    {"exercise": ids, "sides": sides} | dict.fromkeys(("hold", "reps", "sets", "rest"), amounts),
)
routine_docs = _document(
    ROUTINE_KEYS,
    {"id": ids, "exercises": st.lists(entries, max_size=4) | anything}
    | dict.fromkeys(("lead_in", "switch", "rest_between", "times_per_day"), amounts),
)


def _dump(document: Any) -> bytes:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode()


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """A bundled file with a few lines dropped, doubled, cut, re-indented or overwritten."""
    lines = draw(st.sampled_from(BUNDLED_TEXTS)).splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        match draw(st.sampled_from(["drop", "double", "cut", "indent", "write"])):
            case "drop":
                del lines[at : at + 1]
            case "double":
                lines[at:at] = lines[at : at + 1]
            case "cut":
                lines[at:] = [lines[at][: draw(st.integers(0, 10))]] if lines else []
            case "indent":
                lines[at : at + 1] = ["   " + line for line in lines[at : at + 1]]
            case _:
                lines[at:at] = [draw(st.text(max_size=20)) + "\n"]
    return "".join(lines).encode("utf-8", "surrogatepass")


BUNDLED_DOCS = [yaml.safe_load(text) for text in BUNDLED_TEXTS]


@st.composite
def perturbed(draw: st.DrawFn) -> bytes:
    """A bundled document with up to two values changed or removed: near-valid files."""
    document = copy.deepcopy(draw(st.sampled_from(BUNDLED_DOCS)))
    for _ in range(draw(st.integers(0, 2))):
        target, keys = document, EXERCISE_KEYS if "dose" in document else ROUTINE_KEYS
        if isinstance(document.get("dose"), dict) and draw(st.booleans()):
            target, keys = document["dose"], DOSE_KEYS
        key = draw(st.sampled_from(keys))
        if draw(st.booleans()):
            target.pop(key, None)
        elif key == "exercises":
            target[key] = draw(st.lists(entries, max_size=4))
        else:
            target[key] = draw(st.one_of(amounts, sides, ids))
    if draw(st.booleans()):
        document["id"] = draw(ids)  # a file of one's own, or one replacing a bundled one
    return _dump(document)


files = st.one_of(
    exercise_docs.map(_dump),
    routine_docs.map(_dump),
    perturbed(),
    damaged(),
    st.binary(max_size=120),
    st.text(max_size=120).map(lambda t: t.encode("utf-8", "surrogatepass")),
)

# --- the properties ------------------------------------------------------------


def check_validate_output(code: int, out: str, err: str, names: Sequence[str]) -> None:
    assert code in (0, 1), (code, out, err)
    assert "Traceback" not in out + err, err
    lines = out.splitlines()
    assert lines, "validate said nothing"
    ok_lines = [f"{name}: ok" for name in names]
    if code == 0:
        assert lines == ok_lines, out
        return
    for line in lines:
        assert any(re.fullmatch(re.escape(name) + ":" + PROBLEM, line) for name in names), (
            f"not FILE:LINE: field: message: {line!r}"
        )


def _write(folder: Path, contents: Sequence[bytes], prefix: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    paths = []
    for n, content in enumerate(contents):
        path = folder / f"{prefix}-{n}.yaml"
        path.write_bytes(content)
        paths.append(path)
    return paths


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data folder as a person has it: settings, a history, their own folders."""
    root = tmp_path / "data-dir"
    paths = resolve_paths(root)
    for folder in (paths.config_dir, paths.user_routines_dir, paths.user_exercises_dir):
        folder.mkdir(parents=True)
    paths.settings_file.write_text('{"safety_acknowledged": true}\n', encoding="utf-8")
    paths.database_file.write_bytes(b"")
    return root


@FUZZ
@given(contents=st.lists(files, min_size=1, max_size=3))
def test_validate_answers_every_fuzzed_file_calmly(
    contents: list[bytes], data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = _write(tmp_path / "mine", contents, "fuzzed")
    names = [str(p) for p in paths]
    before = listing(data_dir)
    capsys.readouterr()
    code = main(["--data-dir", str(data_dir), "validate", *names])
    out, err = capsys.readouterr()
    check_validate_output(code, out, err, names)
    assert listing(data_dir) == before, "validate wrote to the data folder"


@FUZZ
@given(exercises=st.lists(files, max_size=3), routines=st.lists(files, max_size=3))
def test_the_app_loader_keeps_the_rest_of_the_library(
    exercises: list[bytes], routines: list[bytes], data_dir: Path
) -> None:
    paths = resolve_paths(data_dir)
    _write(paths.user_exercises_dir, exercises, "exercise")
    _write(paths.user_routines_dir, routines, "routine")
    before = listing(data_dir)
    catalog = load_catalog(paths.user_exercises_dir, paths.user_routines_dir)
    assert listing(data_dir) == before, "loading the library wrote to the data folder"
    for error in catalog.errors:
        assert re.fullmatch(re.escape(error.file) + ":" + PROBLEM, str(error)), str(error)
    # A broken file hides nothing else: every bundled routine is still there
    # unless a file of the person's replaced it or one of its exercises.
    replaced = {
        item_id
        for item_id, origin in [
            *((e.id, e.origin) for e in catalog.exercises.values()),
            *((r.id, r.origin) for r in catalog.routines.values()),
        ]
        if origin is None or not origin.bundled
    }
    for routine in BUNDLED.routines.values():
        if routine.id not in replaced and not replaced & {e.exercise for e in routine.entries}:
            assert routine.id in catalog.routines, [str(e) for e in catalog.errors]


@settings(FUZZ, max_examples=4)
@given(contents=st.lists(files, min_size=2, max_size=3))
def test_the_real_validate_command_answers_calmly(
    contents: list[bytes], data_dir: Path, tmp_path: Path
) -> None:
    paths = _write(tmp_path / "mine", contents, "fuzzed")
    names = [str(p) for p in paths]
    before = listing(data_dir)
    result = subprocess.run(
        [*si_timer_command(), "--data-dir", str(data_dir), "validate", *names],
        env=offscreen_env(),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    check_validate_output(result.returncode, result.stdout, result.stderr, names)
    assert result.stderr == "", result.stderr
    assert listing(data_dir) == before, "validate wrote to the data folder"


def test_validating_a_file_in_the_data_folder_reports_each_problem_once(
    data_dir: Path,
) -> None:
    """Found by this suite: a file in the person's routines folder is loaded twice by
    ``si-timer validate`` (as one of theirs and as the file named), so each of its
    problems is printed twice (si_timer/cli.py, cmd_validate)."""
    mine = resolve_paths(data_dir).user_routines_dir / "mine.yaml"
    mine.write_text("id: mine\nname: Mine\nlead_in: banana\nexercises: [knee-to-chest]\n")
    result = subprocess.run(
        [*si_timer_command(), "--data-dir", str(data_dir), "validate", str(mine)],
        env=offscreen_env(),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{mine}:3: lead_in: must be a number, not text 'banana'"]
