"""One file at a time: every mistake a person can make in an exercise or routine file
becomes exactly one ``FILE:LINE: field: message`` line, and nothing raises."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from si_timer.library.catalog import load_catalog
from si_timer.library.loader import FileResult, load_file, load_text
from si_timer.library.model import (
    Category,
    Dose,
    DosePart,
    LoadError,
    Posture,
    Progression,
    Range,
    RoutineEntry,
    Side,
    SideMeanings,
    Sides,
    TempoPhase,
)

# Eight lines of a valid exercise; the dose's own keys start on line 10.
HEAD = """\
id: my-stretch
name: My stretch
category: stretch
position: Lying on your back
source: my physio
sides: each
steps:
  - Lie down and breathe.
dose:
"""

# A routine's entries start on line 4.
ROUTINE_HEAD = """\
id: my-routine
name: My routine
exercises:
"""


def write(tmp_path: Path, text: str | bytes, name: str = "mine.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def problems(path: Path, **kwargs: str) -> list[str]:
    result = load_file(path, **kwargs)  # type: ignore[arg-type]
    return [str(e) for e in result.errors]


def only_problem(tmp_path: Path, text: str | bytes) -> str:
    """The one problem of a file that has exactly one, as a person sees it."""
    path = write(tmp_path, text)
    result = load_file(path)
    assert result.exercise is None
    assert result.routine is None
    assert len(result.errors) == 1, [str(e) for e in result.errors]
    return str(result.errors[0])


def catalog_problems(tmp_path: Path, text: str) -> list[str]:
    """Problems of a routine that only the whole library can find (other files' ids)."""
    path = write(tmp_path, text)
    catalog = load_catalog(extra_files=[path])
    assert "my-routine" not in catalog.routines
    return [str(e) for e in catalog.errors]


# --- the good case, so the failures below fail for their own reason ----------


def test_a_valid_exercise_loads_with_every_field(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEAD
        + "  hold: {min: 5, max: 10}\n  reps: 2\n  sets: 3\n  rest: 30\n  relax: 4\n"
        + "  progression:\n    hold: {min: 15, max: 30}\n"
        + "equipment: [mat]\nalternate: false\nside_word: side\n"
        + "cues: {start: Lie down., hold: Breathe.}\ncautions: [Go slowly.]\n",
    )
    result = load_file(path)
    assert result.errors == ()
    ex = result.exercise
    assert ex is not None
    assert (ex.id, ex.name, ex.category, ex.sides, ex.source) == (
        "my-stretch",
        "My stretch",
        Category.STRETCH,
        Sides.EACH,
        "my physio",
    )
    assert ex.dose == Dose(
        hold=Range(5, 10),
        reps=Range(2, 2),
        sets=3,
        rest=Range(30, 30),
        relax=4.0,
        progression=Progression(hold=Range(15, 30)),
    )
    assert ex.steps == ("Lie down and breathe.",)
    assert ex.equipment == ("mat",)
    assert ex.cautions == ("Go slowly.",)
    assert ex.side_word == "side"
    assert ex.origin is not None
    assert (ex.origin.path, ex.origin.bundled) == (str(path), False)


def test_a_valid_tempo_exercise_keeps_its_phases_in_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEAD
        + "  reps: {min: 15, max: 20}\n  tempo:\n"
        + "    - {name: Tighten, seconds: 3}\n    - {name: Release, seconds: 2}\n",
    )
    result = load_file(path)
    assert result.errors == ()
    assert result.exercise is not None
    assert result.exercise.dose.tempo == (TempoPhase("Tighten", 3), TempoPhase("Release", 2))


@pytest.mark.parametrize(
    ("line", "attribute", "default"),
    [
        ("sides:", "sides", Sides.NONE),
        ("side_word:", "side_word", "leg"),
        ("alternate:", "alternate", False),
        ("equipment:", "equipment", ()),
        ("cautions:", "cautions", ()),
    ],
)
def test_an_optional_key_left_empty_is_the_same_as_left_out(
    tmp_path: Path, line: str, attribute: str, default: object
) -> None:
    # `sides:` with no value once made the exercise vanish with no problem at all.
    text = HEAD.replace("sides: each\n", "") + "  hold: 5\n" + line + "\n"
    result = load_file(write(tmp_path, text))
    assert result.errors == ()
    assert result.exercise is not None
    assert getattr(result.exercise, attribute) == default


def test_a_valid_routine_loads_entries_and_overrides(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        ROUTINE_HEAD
        + "  - knee-to-chest\n"
        + "  - exercise: glute-bridge\n    hold: 8\n    sets: 2\n    rest: 75\n"
        + "  - exercise: figure-4\n    sides: left\n"
        + "lead_in: 0\nswitch: 3\nrest_between: 0\ntimes_per_day: 2\n",
    )
    result = load_file(path)
    assert result.errors == ()
    routine = result.routine
    assert routine is not None
    assert routine.entries == (
        RoutineEntry("knee-to-chest"),
        RoutineEntry("glute-bridge", hold=8, sets=2, rest=75),
        RoutineEntry("figure-4", sides=Sides.LEFT),
    )
    assert [e.line for e in routine.entries] == [4, 5, 9]
    assert (routine.lead_in, routine.switch, routine.rest_between) == (0, 3, 0)
    assert routine.times_per_day == 2


# --- durations and ranges ----------------------------------------------------


@pytest.mark.parametrize(
    ("dose", "expected"),
    [
        ("  hold: -5\n", "10: dose.hold: must be more than 0 seconds, not -5"),
        ("  hold: 0\n", "10: dose.hold: must be more than 0 seconds, not 0"),
        ("  hold: -0.5\n", "10: dose.hold: must be more than 0 seconds, not -0.5"),
        (
            "  hold: {min: 0, max: 10}\n",
            "10: dose.hold.min: must be more than 0 seconds, not 0",
        ),
        ("  reps: 0\n", "10: dose.reps: must be more than 0, not 0"),
        ("  hold: 5\n  relax: -1\n", "11: dose.relax: must be more than 0 seconds, not -1"),
        ("  hold: 5000\n", "10: dose.hold: 5000 is too large (at most 3600)"),
        ("  hold: .inf\n", "10: dose.hold: must be a finite number"),
        ("  hold: .nan\n", "10: dose.hold: must be a finite number"),
    ],
)
def test_bad_duration(tmp_path: Path, dose: str, expected: str) -> None:
    path = write(tmp_path, HEAD + dose)
    assert problems(path) == [f"{path}:{expected}"]


def test_min_above_max(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "  hold: {min: 30, max: 10}\n")
    assert problems(path) == [f"{path}:10: dose.hold: min (30) is above max (10)"]


def test_range_needs_both_ends(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "  hold: {min: 5}\n")
    assert problems(path) == [f"{path}:10: dose.hold.max: is required"]


def test_range_with_a_misspelt_end(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "  hold: {mn: 5, max: 10}\n")
    assert problems(path) == [
        f"{path}:10: dose.hold.mn: unknown key (did you mean 'min'?)",
        f"{path}:10: dose.hold.min: is required",
    ]


def test_a_huge_whole_number_is_too_large_not_an_overflow(tmp_path: Path) -> None:
    huge = "1" + "0" * 400
    path = write(tmp_path, HEAD + f"  hold: 5\n  sets: {huge}\n")
    assert problems(path) == [f"{path}:11: dose.sets: {huge} is too large (at most 1000)"]


def test_a_fraction_where_a_count_goes(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "  hold: 5\n  sets: 2.5\n  rest: 30\n")
    assert problems(path) == [f"{path}:11: dose.sets: must be a whole number, not 2.5"]


# --- unknown keys ------------------------------------------------------------


def test_unknown_dose_key_suggests_the_close_one(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "  hold: 5\n  rep: 3\n")
    assert problems(path) == [f"{path}:11: dose.rep: unknown key (did you mean 'reps'?)"]


def test_unknown_top_level_key_suggests_the_close_one(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD.replace("sides: each", "sieds: each") + "  hold: 5\n")
    assert problems(path) == [f"{path}:6: sieds: unknown key (did you mean 'sides'?)"]


def test_unknown_key_with_nothing_close(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "  hold: 5\ncolour: red\n")
    assert problems(path) == [f"{path}:11: colour: unknown key"]


def test_unknown_routine_entry_key_suggests_the_close_one(tmp_path: Path) -> None:
    path = write(tmp_path, ROUTINE_HEAD + "  - exercise: figure-4\n    hodl: 15\n")
    assert problems(path) == [f"{path}:5: exercises[0].hodl: unknown key (did you mean 'hold'?)"]


@pytest.mark.parametrize(
    ("key", "shown"), [('"a:b"', "'a:b'"), ('""', "''"), ('"a\\nb"', "'a\\nb'")]
)
def test_an_odd_unknown_key_keeps_the_line_format(tmp_path: Path, key: str, shown: str) -> None:
    path = write(tmp_path, HEAD + f"  hold: 5\n{key}: 1\n")
    assert problems(path) == [f"{path}:11: file: unknown key {shown}"]


# --- wrong types -------------------------------------------------------------


@pytest.mark.parametrize(
    ("dose", "expected"),
    [
        ("  hold: twenty\n", "10: dose.hold: must be a number, not text 'twenty'"),
        ('  hold: "20"\n', "10: dose.hold: must be a number, not text '20'"),
        ("  hold: true\n", "10: dose.hold: must be a number, not true/false"),
        # YAML 1.1 reads yes/no/on/off as true/false.
        ("  hold: yes\n", "10: dose.hold: must be a number, not true/false"),
        ("  hold: [5, 10]\n", "10: dose.hold: must be a number, not a list"),
        (
            "  hold: 5\n  suggested: maybe\n",
            "11: dose.suggested: must be true, false or a list of parts of the dose, "
            "not text 'maybe'",
        ),
        (
            "  hold: 5\n  suggested: 1\n",
            "11: dose.suggested: must be true, false or a list of parts of the dose, "
            "not the number 1",
        ),
        (
            "  tempo: {name: Up, seconds: 2}\n  reps: 2\n",
            "10: dose.tempo: must be a list of phases ({name, seconds})",
        ),
    ],
)
def test_wrong_type_in_the_dose(tmp_path: Path, dose: str, expected: str) -> None:
    path = write(tmp_path, HEAD + dose)
    assert problems(path) == [f"{path}:{expected}"]


def test_a_list_where_a_mapping_goes(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD.replace("dose:\n", "dose: [1, 2]\n"))
    assert problems(path) == [f"{path}:9: dose: must be a mapping of keys, not a list"]


def test_a_mapping_where_a_list_goes(tmp_path: Path) -> None:
    text = HEAD.replace("steps:\n  - Lie down and breathe.\n", "steps: {one: Lie down.}\n")
    path = write(tmp_path, text + "  hold: 5\n")
    assert problems(path) == [f"{path}:7: steps: must be a list, not a mapping"]


def test_a_number_where_text_goes(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD.replace("name: My stretch", "name: 42") + "  hold: 5\n")
    assert problems(path) == [f"{path}:2: name: must be text, not the number 42"]


def test_a_short_name_is_read_and_the_name_stands_in_without_one(tmp_path: Path) -> None:
    path = write(
        tmp_path, HEAD.replace("name: My stretch\n", "name: My stretch\nshort_name: Mine\n")
    )
    ex = load_file(write(tmp_path, path.read_text() + "  hold: 5\n")).exercise
    assert ex is not None
    assert (ex.short_name, ex.display_name) == ("Mine", "Mine")
    plain = load_file(write(tmp_path, HEAD + "  hold: 5\n", "plain.yaml")).exercise
    assert plain is not None
    assert (plain.short_name, plain.display_name) == (None, "My stretch")


def test_a_short_name_too_long_for_big_type(tmp_path: Path) -> None:
    text = HEAD.replace(
        "name: My stretch\n", "name: My stretch\nshort_name: My very long stretch\n"
    )
    path = write(tmp_path, text + "  hold: 5\n")
    assert problems(path) == [
        f"{path}:3: short_name: 'My very long stretch' is 20 characters; keep it to 14"
    ]


def test_a_category_outside_the_list_suggests_the_close_one(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD.replace("category: stretch", "category: strech") + "  hold: 5\n")
    assert problems(path) == [
        f"{path}:3: category: 'strech' is not one of stretch, strength, rotation, yoga "
        "(did you mean 'stretch'?)"
    ]


def test_routine_only_sides_are_not_for_an_exercise(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD.replace("sides: each", "sides: left") + "  hold: 5\n")
    assert problems(path) == [f"{path}:6: sides: 'left' is not one of none, each, left-right-both"]


def test_a_text_with_a_newline_stays_on_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD.replace("category: stretch", 'category: "a\\nb"') + "  hold: 5\n")
    assert problems(path) == [
        f"{path}:3: category: 'a\\nb' is not one of stretch, strength, rotation, yoga"
    ]


# --- the dose's rules ---------------------------------------------------------


def test_hold_and_tempo_together(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "  hold: 5\n  reps: 2\n  tempo:\n    - {name: Up, seconds: 2}\n")
    # A block value's line is its first item's (13), not its key's (12).
    assert problems(path) == [
        f"{path}:13: dose.tempo: a dose has either a hold or a tempo, not both"
    ]


def test_tempo_without_reps(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "  tempo:\n    - {name: Up, seconds: 2}\n")
    assert problems(path) == [f"{path}:11: dose.reps: is required with a tempo"]


def test_tempo_phase_without_seconds(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "  reps: 2\n  tempo:\n    - {name: Up}\n")
    assert problems(path) == [f"{path}:12: dose.tempo[0].seconds: is required"]


def test_sets_above_one_without_rest(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "  hold: 5\n  sets: 3\n")
    assert problems(path) == [f"{path}:11: dose.rest: is required when sets is more than 1"]


def test_a_dose_with_nothing_to_do(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "  sets: 1\n")
    assert problems(path) == [f"{path}:10: dose: give a hold, a tempo or a number of reps"]


def test_progression_below_the_start(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "  hold: 20\n  progression:\n    hold: 10\n")
    assert problems(path) == [
        f"{path}:12: dose.progression.hold: builds up to less than the starting hold"
    ]


def test_progression_of_a_hold_needs_a_hold(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "  reps: 5\n  progression:\n    hold: 10\n")
    assert problems(path) == [f"{path}:12: dose.progression.hold: needs a dose.hold to build on"]


def test_alternate_needs_sides_each(tmp_path: Path) -> None:
    text = HEAD.replace("sides: each", "sides: none") + "  hold: 5\nalternate: true\n"
    path = write(tmp_path, text)
    assert problems(path) == [f"{path}:11: alternate: needs sides: each"]


def test_more_than_five_steps_are_allowed_by_the_loader(tmp_path: Path) -> None:
    # The 1-5 steps rule is house style for the bundled library (checked there),
    # not a reason to refuse a person's own file.
    steps = "".join(f"  - Step {i}.\n" for i in range(7))
    text = HEAD.replace("  - Lie down and breathe.\n", steps) + "  hold: 5\n"
    assert load_file(write(tmp_path, text)).errors == ()


def test_steps_must_not_be_empty(tmp_path: Path) -> None:
    text = HEAD.replace("steps:\n  - Lie down and breathe.\n", "steps: []\n") + "  hold: 5\n"
    path = write(tmp_path, text)
    assert problems(path) == [f"{path}:7: steps: must list at least one item"]


def test_missing_fields_are_each_named(tmp_path: Path) -> None:
    path = write(tmp_path, "id: my-stretch\nname: My stretch\n")
    assert problems(path) == [
        f"{path}:1: category: is required",
        f"{path}:1: position: is required",
        f"{path}:1: source: is required",
        f"{path}:1: steps: is required",
        f"{path}:1: dose: is required",
    ]


# --- ids -----------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["My_Stretch", "my stretch", "-my", "my--stretch", "mý"])
def test_bad_exercise_id(tmp_path: Path, bad: str) -> None:
    path = write(tmp_path, HEAD.replace("id: my-stretch", f"id: {bad}") + "  hold: 5\n")
    assert problems(path) == [f"{path}:1: id: '{bad}' must be lowercase letters, digits and dashes"]


def test_bad_routine_id(tmp_path: Path) -> None:
    path = write(tmp_path, ROUTINE_HEAD.replace("my-routine", "My Routine") + "  - figure-4\n")
    assert problems(path) == [
        f"{path}:1: id: 'My Routine' must be lowercase letters, digits and dashes"
    ]


def test_bad_id_in_a_routine_entry(tmp_path: Path) -> None:
    path = write(tmp_path, ROUTINE_HEAD + "  - figure-4\n  - Knee_To_Chest\n")
    assert problems(path) == [
        f"{path}:5: exercises[1]: 'Knee_To_Chest' must be lowercase letters, digits and dashes"
    ]


# --- routines --------------------------------------------------------------------


def test_empty_routine(tmp_path: Path) -> None:
    path = write(tmp_path, "id: my-routine\nname: My routine\nexercises: []\n")
    assert problems(path) == [
        f"{path}:3: exercises: the routine is empty: list at least one exercise"
    ]


def test_routine_exercises_must_be_a_list(tmp_path: Path) -> None:
    path = write(tmp_path, "id: my-routine\nname: My routine\nexercises: {a: 1}\n")
    assert problems(path) == [f"{path}:3: exercises: must be a list, not a mapping"]


def test_routine_entry_must_be_an_id_or_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, ROUTINE_HEAD + "  - 5\n")
    assert problems(path) == [
        f"{path}:4: exercises[0]: must be a mapping of keys, not the number 5"
    ]


def test_routine_pause_may_be_zero_but_not_negative(tmp_path: Path) -> None:
    path = write(tmp_path, ROUTINE_HEAD + "  - figure-4\nlead_in: -1\nswitch: 0\n")
    assert problems(path) == [f"{path}:5: lead_in: must be 0 or more seconds, not -1"]


def test_routine_entry_override_of_zero_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, ROUTINE_HEAD + "  - exercise: figure-4\n    hold: 0\n")
    assert problems(path) == [f"{path}:5: exercises[0].hold: must be more than 0 seconds, not 0"]


def test_routine_entry_sides_outside_the_list(tmp_path: Path) -> None:
    path = write(tmp_path, ROUTINE_HEAD + "  - exercise: figure-4\n    sides: lefft\n")
    assert problems(path) == [
        f"{path}:5: exercises[0].sides: 'lefft' is not one of none, each, left-right-both, "
        "left, right, both (did you mean 'left'?)"
    ]


def test_unknown_exercise_in_a_routine_suggests_the_close_one(tmp_path: Path) -> None:
    text = ROUTINE_HEAD + "  - knee-to-chest\n  - figure-4\n  - knee-to-chst\n"
    path = tmp_path / "mine.yaml"
    assert catalog_problems(tmp_path, text) == [
        f"{path}:6: exercises[2]: unknown exercise 'knee-to-chst' (did you mean 'knee-to-chest'?)"
    ]


def test_unknown_exercise_with_nothing_close(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    assert catalog_problems(tmp_path, ROUTINE_HEAD + "  - handstand\n") == [
        f"{path}:4: exercises[0]: unknown exercise 'handstand'"
    ]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            "  - exercise: glute-bridge\n    hold: 30\n",
            "4: exercises[0].hold: 30 s is outside Glute bridge's range (5-10 s)",
        ),
        (
            "  - exercise: glute-bridge\n    rest: 10\n",
            "4: exercises[0].rest: 10 s is outside Glute bridge's range (60-90 s)",
        ),
        (
            "  - exercise: pelvic-tilt\n    reps: 40\n",
            "4: exercises[0].reps: 40 is outside Pelvic tilt's range (15-20)",
        ),
        (
            # The progression widens what a routine may choose: 5 s, building to 30 s.
            "  - exercise: hip-adductor\n    hold: 31\n",
            "4: exercises[0].hold: 31 s is outside Hip adductor stretch's range (5-30 s)",
        ),
        (
            "  - exercise: pelvic-tilt\n    hold: 5\n",
            "4: exercises[0].hold: 'pelvic-tilt' has no hold",
        ),
        (
            "  - exercise: figure-4\n    rest: 30\n",
            "4: exercises[0].rest: 'figure-4' has no rest between sets",
        ),
        (
            "  - exercise: figure-4\n    sets: 2\n",
            "4: exercises[0].sets: 'figure-4' has no rest between sets, "
            "so it cannot do more than 1",
        ),
    ],
)
def test_routine_override_outside_the_exercise(tmp_path: Path, entry: str, expected: str) -> None:
    path = tmp_path / "mine.yaml"
    assert catalog_problems(tmp_path, ROUTINE_HEAD + entry) == [f"{path}:{expected}"]


def test_sides_override_on_an_exercise_without_sides(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    text = ROUTINE_HEAD + "  - cat-cow\n  - exercise: glute-bridge\n    sides: left\n"
    assert catalog_problems(tmp_path, text) == [
        f"{path}:5: exercises[1].sides: 'glute-bridge' is not done per side"
    ]


def test_overrides_inside_the_range_are_accepted(tmp_path: Path) -> None:
    text = (
        ROUTINE_HEAD
        + "  - exercise: glute-bridge\n    hold: 10\n    rest: 90\n    sets: 2\n"
        + "  - exercise: hip-adductor\n    hold: 30\n"
        + "  - exercise: knee-to-chest\n    sides: both\n"
    )
    catalog = load_catalog(extra_files=[write(tmp_path, text)])
    assert catalog.errors == []
    assert "my-routine" in catalog.routines


# --- files that are not YAML, or not this kind of YAML ---------------------------


def test_yaml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "  hold: 5\n   reps: 2\n")
    assert problems(path) == [f"{path}:11: yaml: mapping values are not allowed here (column 8)"]


def test_not_utf8_names_the_byte_and_its_line(tmp_path: Path) -> None:
    data = HEAD.replace("My stretch", "Caf\xe9 stretch").encode("latin-1") + b"  hold: 5\n"
    assert only_problem(tmp_path, data) == (
        f"{tmp_path / 'mine.yaml'}:2: file: not UTF-8 text (byte 0xe9 at offset 24); "
        "save the file as UTF-8"
    )


def test_a_byte_order_mark_is_fine(tmp_path: Path) -> None:
    path = write(tmp_path, ("\ufeff" + HEAD + "  hold: 5\n").encode())
    assert load_file(path).errors == ()


def test_a_file_over_the_text_limit(tmp_path: Path) -> None:
    data = (HEAD + "  hold: 5\n").encode()
    data += b"#" * (300_000 - len(data))
    assert only_problem(tmp_path, data) == (
        f"{tmp_path / 'mine.yaml'}:1: file: too large (300,000 bytes); the limit is 256 KiB"
    )


def test_a_runaway_file_is_not_read_into_memory(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    with path.open("wb") as f:
        f.truncate(5 * 1024 * 1024)  # sparse: costs no disk
    assert problems(path) == [
        f"{path}:1: file: too large (5,242,880 bytes; the limit is 4,194,304)"
    ]


def test_duplicate_keys(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "  hold: 5\n  hold: 6\n")
    assert problems(path) == [f"{path}:11: hold: appears twice (first on line 10)"]


def test_an_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    started = time.perf_counter()
    message = only_problem(tmp_path, "\n".join(lines) + "\n")
    elapsed = time.perf_counter() - started
    # The line is where the repeated anchor was first written.
    assert message == (
        f"{tmp_path / 'mine.yaml'}:1: file: too many values (over 20,000); is an alias repeating?"
    )
    assert elapsed < 1.0, f"took {elapsed:.2f} s to refuse"


@pytest.mark.parametrize("text", ["", "\n", "# nothing yet\n"])
def test_an_empty_file(tmp_path: Path, text: str) -> None:
    assert only_problem(tmp_path, text) == f"{tmp_path / 'mine.yaml'}:1: file: is empty"


@pytest.mark.parametrize(
    ("text", "what"),
    [("- a\n- b\n", "a list"), ("just words\n", "text 'just words'"), ("42\n", "the number 42")],
)
def test_a_file_that_is_not_a_mapping(tmp_path: Path, text: str, what: str) -> None:
    assert only_problem(tmp_path, text) == (
        f"{tmp_path / 'mine.yaml'}:1: file: must be a mapping of keys, not {what}"
    )


def test_a_folder_cannot_be_read(tmp_path: Path) -> None:
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    assert problems(folder) == [f"{folder}:1: file: cannot be read (a folder, not a regular file)"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX special files")
@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_special_file_is_refused_without_reading_it(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "mine.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    assert problems(path) == [
        f"{path}:1: file: cannot be read (a special file, not a regular file)"
    ]


def test_a_tempo_of_many_phases_is_refused_by_its_step_count(tmp_path: Path) -> None:
    phases = "".join(f"    - {{name: p{i}, seconds: 0.0001}}\n" for i in range(2000))
    path = write(tmp_path, HEAD + "  reps: 500\n  tempo:\n" + phases)
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:")
    assert ": dose.tempo: 500 reps of 2,000 phases make 1,000,000 steps; at most 5,000" in problem


def test_a_missing_file_cannot_be_read(tmp_path: Path) -> None:
    path = tmp_path / "gone.yaml"
    assert problems(path) == [f"{path}:1: file: cannot be read (No such file or directory)"]


def test_a_control_character(tmp_path: Path) -> None:
    text = HEAD.replace("My stretch", "My\x1bstretch") + "  hold: 5\n"
    assert only_problem(tmp_path, text) == (
        f"{tmp_path / 'mine.yaml'}:2: file: contains a control character (U+001B) "
        "that YAML does not allow"
    )


def test_deep_nesting(tmp_path: Path) -> None:
    assert only_problem(tmp_path, "dose: " + "[" * 1200) == (
        f"{tmp_path / 'mine.yaml'}:1: file: nested too deeply"
    )


# --- only the safe loader ----------------------------------------------------------

CONSTRUCTED: list[object] = []


def _record(*args: object) -> str:
    """What an unsafe loader would call for the tag in the test below."""
    CONSTRUCTED.append(args)
    return "my-stretch"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            f"!!python/object/apply:{__name__}._record [x]",
            f"the tag '!!python/object/apply:{__name__}._record' is not allowed here",
        ),
        (
            "!!python/object:builtins.dict {a: 1}",
            "the tag '!!python/object:builtins.dict' is not allowed here",
        ),
        (
            f"!!python/name:{__name__}._record",
            "could not determine a constructor for the tag "
            f"'tag:yaml.org,2002:python/name:{__name__}._record'",
        ),
    ],
)
def test_a_python_tag_is_an_error_not_an_object(tmp_path: Path, value: str, message: str) -> None:
    text = HEAD.replace("id: my-stretch", f"id: {value}") + "  hold: 5\n"
    assert only_problem(tmp_path, text) == f"{tmp_path / 'mine.yaml'}:1: yaml: {message}"
    assert CONSTRUCTED == []


def test_a_python_tag_on_the_dose_does_not_load_quietly(tmp_path: Path) -> None:
    text = HEAD.replace("dose:\n", "dose: !!python/object:builtins.dict\n") + "  hold: 5\n"
    assert only_problem(tmp_path, text) == (
        f"{tmp_path / 'mine.yaml'}:9: yaml: the tag '!!python/object:builtins.dict' "
        "is not allowed here"
    )


# --- load_text: the kind, and the shape of what it returns ---------------------------


def test_kind_is_guessed_from_the_content() -> None:
    routine = load_text(b"id: r\nname: R\nexercises: [figure-4]\n", "r.yaml")
    assert routine.routine is not None
    assert routine.exercise is None
    sources = load_text(b"sources:\n  - {id: a, title: T, kind: book}\n", "s.yaml")
    assert [s.id for s in sources.sources] == ["a"]


def test_a_routine_read_as_an_exercise_says_what_is_missing() -> None:
    result = load_text(b"id: r\nname: R\nexercises: [figure-4]\n", "r.yaml", kind="exercise")
    assert result.exercise is None
    assert "r.yaml:3: exercises: unknown key" in [str(e) for e in result.errors]


def test_errors_are_load_errors_with_the_given_file_name() -> None:
    result = load_text(b"id: [\n", "some/where.yaml")
    assert isinstance(result, FileResult)
    assert all(isinstance(e, LoadError) for e in result.errors)
    assert {e.file for e in result.errors} == {"some/where.yaml"}


def test_a_bundled_origin_is_marked() -> None:
    result = load_text((HEAD + "  hold: 5\n").encode(), "content/x.yaml", bundled=True)
    assert result.exercise is not None
    assert result.exercise.origin is not None
    assert result.exercise.origin.bundled


# --- positions, sides, movement time and suggestions -----------------------------------

HOLD = "  hold: 5\n"  # line 10; top-level keys after it start on line 11


def test_the_new_exercise_fields_load(tmp_path: Path) -> None:
    text = (
        HEAD
        + HOLD
        + "  move_in: {name: Lift, seconds: 2}\n  suggested: [moves]\n"
        + "posture: doorway\nfirst_side: right\nleft: Left leg up\nright: Right leg up\n"
        + "lead_in: 12\nswitch: 15\n"
    )
    result = load_file(write(tmp_path, text))
    assert result.errors == ()
    ex = result.exercise
    assert ex is not None
    assert (ex.posture, ex.first_side, ex.lead_in, ex.switch) == (
        Posture.DOORWAY,
        Side.RIGHT,
        12.0,
        15.0,
    )
    assert ex.side_meanings == SideMeanings("Left leg up", "Right leg up")
    assert ex.side_order() == (Side.RIGHT, Side.LEFT)
    assert ex.dose.move_in == TempoPhase("Lift", 2, move=True)
    assert ex.dose.suggested_parts == frozenset({DosePart.MOVES})


def test_a_figure_names_a_bundled_exercise_to_draw_it_like(tmp_path: Path) -> None:
    ex = load_file(write(tmp_path, HEAD + HOLD + "figure: cat-cow\n")).exercise
    assert ex is not None
    assert ex.figure == "cat-cow"


def test_the_new_fields_default_when_left_out(tmp_path: Path) -> None:
    result = load_file(write(tmp_path, HEAD + HOLD))
    ex = result.exercise
    assert ex is not None
    assert (ex.posture, ex.first_side, ex.lead_in, ex.switch) == (None, Side.LEFT, None, None)
    assert ex.figure is None
    assert ex.side_meanings == SideMeanings()
    assert (ex.dose.move_in, ex.dose.suggested_parts) == (None, frozenset())


def test_suggested_true_is_every_part_of_the_dose(tmp_path: Path) -> None:
    result = load_file(write(tmp_path, HEAD + HOLD + "  suggested: true\n"))
    assert result.exercise is not None
    assert result.exercise.dose.suggested_parts == frozenset(
        {DosePart.HOLD, DosePart.REPS, DosePart.RELAX}
    )


def test_a_tempo_phase_may_be_a_move(tmp_path: Path) -> None:
    text = HEAD + (
        "  reps: 2\n  tempo:\n    - {name: Move, seconds: 3, move: true}\n"
        "    - {name: Hold, seconds: 2}\n  relax: 4\n"
    )
    result = load_file(write(tmp_path, text))
    assert result.errors == ()
    assert result.exercise is not None
    dose = result.exercise.dose
    assert dose.tempo == (TempoPhase("Move", 3, move=True), TempoPhase("Hold", 2))
    assert dose.relax_seconds == 4


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        (
            "posture: 42\n",
            "11: posture: 'the number 42' is not one of back, side, front, "
            "all-fours, kneeling, sitting, chair, standing, doorway, wall",
        ),
        (
            "posture: dooorway\n",
            "11: posture: 'dooorway' is not one of back, side, front, all-fours, "
            "kneeling, sitting, chair, standing, doorway, wall (did you mean 'doorway'?)",
        ),
        ("first_side: both\n", "11: first_side: 'both' is not one of left, right"),
        ("first_side: [left]\n", "11: first_side: 'a list' is not one of left, right"),
        ("left: Left knee\n", "11: right: is required with left (say what each side means)"),
        ("right: Right knee\n", "11: left: is required with right (say what each side means)"),
        ("left: 5\nright: R\n", "11: left: must be text, not the number 5"),
        ("left: L\nright: R\nboth: B\n", "13: both: needs sides: left-right-both"),
        ("switch: 0\n", "11: switch: must be more than 0 seconds, not 0"),
        ("switch: 601\n", "11: switch: 601 is too large (at most 600)"),
        ("lead_in: fast\n", "11: lead_in: must be a number, not text 'fast'"),
        (
            "figure: glute-bridg\n",
            "11: figure: 'glute-bridg' is not a bundled exercise with a figure "
            "(did you mean 'glute-bridge'?)",
        ),
        ("figure: my-own\n", "11: figure: 'my-own' is not a bundled exercise with a figure"),
        (
            "figure: Glute Bridge\n",
            "11: figure: 'Glute Bridge' must be lowercase letters, digits and dashes",
        ),
        ("figure: [cat-cow]\n", "11: figure: must be text, not a list"),
    ],
)
def test_bad_position_and_side_fields(tmp_path: Path, tail: str, expected: str) -> None:
    path = write(tmp_path, HEAD + HOLD + tail)
    assert problems(path) == [f"{path}:{expected}"]


@pytest.mark.parametrize(
    ("key", "line"),
    [("first_side: left", 11), ("left: L\nright: R", 11), ("switch: 10", 11)],
)
def test_side_fields_need_an_exercise_with_sides(tmp_path: Path, key: str, line: int) -> None:
    text = HEAD.replace("sides: each\n", "sides: none\n") + HOLD + key + "\n"
    path = write(tmp_path, text)
    found = problems(path)
    assert found
    assert {p.split(": ", 2)[-1] for p in found} == {"needs sides: each or left-right-both"}
    assert found[0].startswith(f"{path}:{line}: ")


@pytest.mark.parametrize(
    ("dose", "expected"),
    [
        ("  hold: 5\n  suggested: [rest]\n", "11: dose.suggested[0]: this dose has no rest"),
        (
            "  hold: 5\n  suggested: [cycles]\n",
            "11: dose.suggested[0]: 'cycles' is not one of hold, reps, sets, rest, relax, "
            "tempo, moves, pace",
        ),
        (
            "  hold: 5\n  suggested: []\n",
            "11: dose.suggested: must be true, false or a list of parts of the dose, not a list",
        ),
        (
            "  reps: 2\n  move_in: {name: Lift, seconds: 2}\n",
            "11: dose.move_in: needs a dose.hold (a tempo lists its moves as phases with "
            "move: true)",
        ),
        ("  hold: 5\n  move_in: {name: Lift}\n", "11: dose.move_in.seconds: is required"),
        (
            "  hold: 5\n  move_in: {name: Lift, seconds: 2, move: true}\n",
            "11: dose.move_in.move: unknown key",
        ),
        (
            "  reps: 2\n  tempo:\n    - {name: Move, seconds: 3, move: yes please}\n",
            "12: dose.tempo[0].move: must be true or false, not text 'yes please'",
        ),
        (
            "  reps: 2\n  tempo:\n    - {name: Move, seconds: 3, move: true}\n",
            "12: dose.tempo: needs a phase that is not a move",
        ),
    ],
)
def test_bad_move_and_suggestion_fields(tmp_path: Path, dose: str, expected: str) -> None:
    path = write(tmp_path, HEAD + dose)
    assert problems(path) == [f"{path}:{expected}"]


def test_the_routine_notes_load(tmp_path: Path) -> None:
    text = ROUTINE_HEAD + "  - figure-4\nbefore_you_start: Mat in a doorway.\n"
    text += "after_you_finish: Sleep well.\n"
    result = load_file(write(tmp_path, text))
    assert result.errors == ()
    assert result.routine is not None
    assert (result.routine.before_you_start, result.routine.after_you_finish) == (
        "Mat in a doorway.",
        "Sleep well.",
    )


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        ("before_you_start: 5\n", "5: before_you_start: must be text, not the number 5"),
        ('after_you_finish: "  "\n', "5: after_you_finish: must not be empty"),
        (
            "before_you_strat: x\n",
            "5: before_you_strat: unknown key (did you mean 'before_you_start'?)",
        ),
    ],
)
def test_bad_routine_notes(tmp_path: Path, tail: str, expected: str) -> None:
    path = write(tmp_path, ROUTINE_HEAD + "  - figure-4\n" + tail)
    assert problems(path) == [f"{path}:{expected}"]


@pytest.mark.parametrize(
    ("dose", "expected"),
    [
        ("  reps: 2\n  pace: 5\n", "11: dose.pace: must be a list of phases ({name, seconds})"),
        ("  reps: 2\n  pace: []\n", "11: dose.pace: must be a list of phases ({name, seconds})"),
        (
            "  reps: 2\n  pace:\n    - {name: Up, seconds: 0}\n",
            "12: dose.pace[0].seconds: must be more than 0 seconds, not 0",
        ),
        ("  reps: 2\n  pace:\n    - {name: Up}\n", "12: dose.pace[0].seconds: is required"),
        (
            "  reps: 2\n  pace:\n    - {name: Up, seconds: 2, move: true}\n",
            "12: dose.pace[0].move: unknown key",
        ),
        (
            "  hold: 5\n  pace:\n    - {name: Up, seconds: 2}\n",
            "12: dose.pace: is only for self-paced reps (a dose with reps but no hold or tempo)",
        ),
    ],
)
def test_bad_pace_fields(tmp_path: Path, dose: str, expected: str) -> None:
    path = write(tmp_path, HEAD + dose)
    assert problems(path) == [f"{path}:{expected}"]


def test_a_pace_is_the_tempo_of_one_counted_rep(tmp_path: Path) -> None:
    dose = "  reps: 12\n  pace:\n    - {name: Up, seconds: 2}\n    - {name: Down, seconds: 3}\n"
    path = write(tmp_path, HEAD + dose + "  suggested: [pace]\n")
    result = load_file(path)
    assert result.errors == ()
    assert result.exercise is not None
    got = result.exercise.dose
    assert got.pace == (TempoPhase("Up", 2.0), TempoPhase("Down", 3.0))
    assert got.pace_seconds == 5.0
    assert got.suggested_parts == {DosePart.PACE}
    assert "The pace of the count is si-timer's suggestion" in got.suggestion_note


# --- an entry's own pauses, and prescribed doses ------------------------------


def test_an_entry_s_own_pauses_and_prescription_load(tmp_path: Path) -> None:
    text = (
        ROUTINE_HEAD
        + "  - exercise: figure-4\n    lead_in: 0\n    switch: 12.5\n    prescribed: true\n"
        + "  - knee-to-chest\n"
    )
    result = load_file(write(tmp_path, text))
    assert result.errors == ()
    assert result.routine is not None
    assert result.routine.entries == (
        RoutineEntry("figure-4", lead_in=0.0, switch=12.5, prescribed=True),
        RoutineEntry("knee-to-chest"),
    )


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("    lead_in: -1\n", "5: exercises[0].lead_in: must be 0 or more seconds, not -1"),
        ("    switch: 601\n", "5: exercises[0].switch: 601 is too large (at most 600)"),
        ("    switch: soon\n", "5: exercises[0].switch: must be a number, not text 'soon'"),
        (
            "    prescribed: yes please\n",
            "5: exercises[0].prescribed: must be true or false, not text 'yes please'",
        ),
        (
            "    prescribd: true\n",
            "5: exercises[0].prescribd: unknown key (did you mean 'prescribed'?)",
        ),
    ],
)
def test_bad_entry_pauses_and_prescriptions(tmp_path: Path, entry: str, expected: str) -> None:
    path = write(tmp_path, ROUTINE_HEAD + "  - exercise: figure-4\n" + entry)
    assert problems(path) == [f"{path}:{expected}"]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            "  - exercise: figure-4\n    prescribed: true\n    hold: 601\n",
            "4: exercises[0].hold: 601 s is too much even as prescribed (at most 600 s)",
        ),
        (
            "  - exercise: pelvic-tilt\n    prescribed: true\n    hold: 5\n",
            "4: exercises[0].hold: 'pelvic-tilt' has no hold",
        ),
        (
            "  - exercise: figure-4\n    prescribed: true\n    sets: 2\n",
            "4: exercises[0].rest: 'figure-4' has no rest between sets: give one for 2 sets",
        ),
        (
            "  - exercise: figure-4\n    prescribed: true\n    rest: 601\n    sets: 2\n",
            "4: exercises[0].rest: 601 s is too much even as prescribed (at most 600 s)",
        ),
        (
            "  - exercise: glute-bridge\n    switch: 5\n",
            "4: exercises[0].switch: 'glute-bridge' is not done per side",
        ),
        (
            "  - exercise: figure-4\n    sides: both\n",
            "4: exercises[0].sides: 'figure-4' is not done with both sides at once",
        ),
        (
            "  - exercise: figure-4\n    hold: 45\n",
            "4: exercises[0].hold: 45 s is outside Figure-4 (piriformis) stretch's range (15 s)",
        ),
    ],
)
def test_prescriptions_and_pauses_checked_against_the_exercise(
    tmp_path: Path, entry: str, expected: str
) -> None:
    path = tmp_path / "mine.yaml"
    assert catalog_problems(tmp_path, ROUTINE_HEAD + entry) == [f"{path}:{expected}"]


def test_a_prescribed_dose_may_leave_the_guide_s_range(tmp_path: Path) -> None:
    """A physio's "hold 45 s, three times, two sets with 30 s between" for a 15 s stretch."""
    text = ROUTINE_HEAD + (
        "  - exercise: figure-4\n    prescribed: true\n"
        "    hold: 45\n    reps: 3\n    sets: 2\n    rest: 30\n"
        "  - exercise: glute-bridge\n    prescribed: true\n    sets: 5\n"
        "  - exercise: knee-to-chest\n    lead_in: 0\n    switch: 0\n"
    )
    path = write(tmp_path, text)
    catalog = load_catalog(extra_files=[path])
    assert catalog.errors == []
    entry = catalog.routine("my-routine").entries[0]
    assert (entry.hold, entry.reps, entry.sets, entry.rest, entry.prescribed) == (
        45,
        3,
        2,
        30,
        True,
    )
