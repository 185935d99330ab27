"""The library a person sees: bundled files, their own folders, and what wins."""

from __future__ import annotations

from pathlib import Path

import pytest

from si_timer.library.catalog import Catalog, load_catalog, routine_problems
from si_timer.library.loader import EDITOR_HEADER
from si_timer.library.model import Range, Routine, RoutineEntry

FIGURE_4 = """\
id: figure-4
name: My figure-4
category: stretch
position: Lying on your back
source: my physio
sides: each
steps:
  - Cross one ankle over the other knee.
dose:
  hold: {min: 20, max: 40}
"""

MY_EXERCISE = """\
id: my-stretch
name: My stretch
category: stretch
position: Standing
source: my physio
steps:
  - Reach up.
dose:
  hold: 10
"""


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    exercises = tmp_path / "exercises"
    routines = tmp_path / "routines"
    exercises.mkdir()
    routines.mkdir()
    return exercises, routines


@pytest.fixture(scope="module")
def bundled() -> Catalog:
    return load_catalog()


def test_the_bundled_library_alone_has_no_problems_or_notices(bundled: Catalog) -> None:
    assert bundled.errors == []
    assert bundled.notices == []
    assert len(bundled.exercises) >= 20
    assert len(bundled.routines) >= 5
    assert set(bundled.sources) == {"a", "b"}


def test_missing_user_folders_are_fine(tmp_path: Path, bundled: Catalog) -> None:
    catalog = load_catalog(tmp_path / "no-exercises", tmp_path / "no-routines")
    assert catalog.errors == []
    assert catalog.exercises.keys() == bundled.exercises.keys()


def test_a_user_exercise_with_a_bundled_id_replaces_it(folders: tuple[Path, Path]) -> None:
    exercises, routines = folders
    mine = exercises / "figure-4.yaml"
    mine.write_text(FIGURE_4)
    catalog = load_catalog(exercises, routines)
    assert catalog.errors == []
    assert catalog.notices == [f"{mine}: overrides the bundled exercise 'figure-4'"]
    ex = catalog.exercise("figure-4")
    assert ex.name == "My figure-4"
    assert ex.dose.hold == Range(20, 40)
    assert ex.origin is not None
    assert not ex.origin.bundled
    # The bundled morning routine now uses the person's version.
    assert "morning" in catalog.routines


def test_a_user_routine_with_a_bundled_id_replaces_it(folders: tuple[Path, Path]) -> None:
    exercises, routines = folders
    mine = routines / "morning.yaml"
    mine.write_text("id: morning\nname: My mornings\nexercises: [cat-cow]\n")
    catalog = load_catalog(exercises, routines)
    assert catalog.notices == [f"{mine}: overrides the bundled routine 'morning'"]
    assert catalog.routine("morning").name == "My mornings"


def test_the_bundled_original_is_kept_beside_the_person_s_version(
    folders: tuple[Path, Path], bundled: Catalog
) -> None:
    exercises, routines = folders
    (routines / "morning.yaml").write_text("id: morning\nname: My mornings\nexercises: [cat-cow]\n")
    (routines / "mine.yaml").write_text("id: mine\nname: Mine\nexercises: [cat-cow]\n")
    catalog = load_catalog(exercises, routines)
    assert catalog.bundled_routines == bundled.routines
    assert catalog.bundled_routines["morning"].name == "Morning stretches"
    assert catalog.is_changed_bundled("morning")
    assert not catalog.is_own("morning")
    assert catalog.is_own("mine")
    assert not catalog.is_changed_bundled("mine")
    assert not catalog.is_changed_bundled("evening")
    assert not catalog.is_own("evening")
    assert not catalog.is_own("no-such-routine")
    assert not catalog.is_changed_bundled("no-such-routine")


def test_a_version_the_editor_wrote_replaces_the_bundled_one_without_a_notice(
    folders: tuple[Path, Path],
) -> None:
    exercises, routines = folders
    mine = routines / "morning.yaml"
    mine.write_text(EDITOR_HEADER + "\nid: morning\nname: My mornings\nexercises: [cat-cow]\n")
    catalog = load_catalog(exercises, routines)
    assert catalog.notices == []
    assert catalog.routine("morning").name == "My mornings"
    assert catalog.is_changed_bundled("morning")
    # The header must open the file: the same words further down are only a comment.
    mine.write_text("id: morning\n" + EDITOR_HEADER + "\nname: Mine\nexercises: [cat-cow]\n")
    assert load_catalog(exercises, routines).notices == [
        f"{mine}: overrides the bundled routine 'morning'"
    ]


def test_an_editor_file_still_says_when_it_replaces_another_file_of_the_person_s(
    folders: tuple[Path, Path],
) -> None:
    exercises, routines = folders
    (routines / "a.yaml").write_text("id: mine\nname: Mine\nexercises: [cat-cow]\n")
    (routines / "b.yaml").write_text(EDITOR_HEADER + "\nid: mine\nname: B\nexercises: [cat-cow]\n")
    catalog = load_catalog(exercises, routines)
    assert catalog.notices == [
        f"{routines / 'b.yaml'}: overrides {routines / 'a.yaml'}'s routine 'mine'"
    ]


def test_a_broken_version_of_a_bundled_routine_gives_the_original_back(
    folders: tuple[Path, Path], bundled: Catalog
) -> None:
    exercises, routines = folders
    mine = routines / "morning.yaml"
    mine.write_text("id: morning\nname: My mornings\nexercises: [cat-cow, no-such-stretch]\n")
    catalog = load_catalog(exercises, routines)
    assert [str(e) for e in catalog.errors] == [
        f"{mine}:3: exercises[1]: unknown exercise 'no-such-stretch'"
    ]
    assert catalog.routine("morning") == bundled.routine("morning")
    assert list(catalog.routines) == list(bundled.routines)  # in its place
    assert not catalog.is_changed_bundled("morning")


def test_the_second_of_two_user_files_with_one_id_wins_and_says_so(
    folders: tuple[Path, Path],
) -> None:
    exercises, routines = folders
    (exercises / "a.yaml").write_text(MY_EXERCISE)
    (exercises / "b.yaml").write_text(MY_EXERCISE.replace("name: My stretch", "name: Later"))
    catalog = load_catalog(exercises, routines)
    assert catalog.notices == [
        f"{exercises / 'b.yaml'}: overrides {exercises / 'a.yaml'}'s exercise 'my-stretch'"
    ]
    assert catalog.exercise("my-stretch").name == "Later"


def test_a_broken_user_file_is_left_out_and_the_rest_loads(
    folders: tuple[Path, Path], bundled: Catalog
) -> None:
    exercises, routines = folders
    (exercises / "good.yaml").write_text(MY_EXERCISE)
    bad = exercises / "bad.yaml"
    bad.write_text(MY_EXERCISE.replace("my-stretch", "other").replace("hold: 10", "hold: -1"))
    catalog = load_catalog(exercises, routines)
    assert [str(e) for e in catalog.errors] == [
        f"{bad}:9: dose.hold: must be more than 0 seconds, not -1"
    ]
    assert "my-stretch" in catalog.exercises
    assert "other" not in catalog.exercises
    assert bundled.exercises.keys() <= catalog.exercises.keys()


def test_a_broken_user_exercise_does_not_replace_the_bundled_one(
    folders: tuple[Path, Path], bundled: Catalog
) -> None:
    exercises, routines = folders
    (exercises / "figure-4.yaml").write_text(FIGURE_4.replace("max: 40", "max: 10"))
    catalog = load_catalog(exercises, routines)
    assert len(catalog.errors) == 1
    assert catalog.notices == []
    assert catalog.exercise("figure-4") == bundled.exercise("figure-4")


def test_a_routine_whose_exercise_is_broken_is_left_out_too(folders: tuple[Path, Path]) -> None:
    exercises, routines = folders
    (exercises / "mine.yaml").write_text(MY_EXERCISE.replace("hold: 10", "hold: 0"))
    routine = routines / "mine.yaml"
    routine.write_text("id: mine\nname: Mine\nexercises:\n  - my-stretch\n")
    catalog = load_catalog(exercises, routines)
    assert [str(e) for e in catalog.errors] == [
        f"{exercises / 'mine.yaml'}:9: dose.hold: must be more than 0 seconds, not 0",
        f"{routine}:4: exercises[0]: unknown exercise 'my-stretch'",
    ]
    assert "mine" not in catalog.routines


def test_a_user_routine_can_use_a_user_exercise(folders: tuple[Path, Path]) -> None:
    exercises, routines = folders
    (exercises / "mine.yaml").write_text(MY_EXERCISE)
    (routines / "mine.yml").write_text("id: mine\nname: Mine\nexercises: [my-stretch, cat-cow]\n")
    catalog = load_catalog(exercises, routines)
    assert catalog.errors == []
    assert [e.exercise for e in catalog.routine("mine").entries] == ["my-stretch", "cat-cow"]


def test_files_without_a_yaml_suffix_are_ignored(folders: tuple[Path, Path]) -> None:
    exercises, routines = folders
    (exercises / "notes.txt").write_text("not yaml: [")
    (exercises / "mine.yaml~").write_text("not yaml: [")
    (routines / "sub.yaml").mkdir()
    catalog = load_catalog(exercises, routines)
    assert catalog.errors == []


def test_a_file_in_the_exercise_folder_is_read_as_an_exercise(folders: tuple[Path, Path]) -> None:
    exercises, routines = folders
    misplaced = exercises / "routine.yaml"
    misplaced.write_text("id: mine\nname: Mine\nexercises: [cat-cow]\n")
    catalog = load_catalog(exercises, routines)
    assert "mine" not in catalog.routines
    assert f"{misplaced}:3: exercises: unknown key" in [str(e) for e in catalog.errors]


def test_extra_files_come_last_and_guess_their_kind(tmp_path: Path) -> None:
    ex = tmp_path / "ex.yaml"
    ex.write_text(MY_EXERCISE)
    rt = tmp_path / "rt.yaml"
    rt.write_text("id: mine\nname: Mine\nexercises: [my-stretch]\n")
    catalog = load_catalog(extra_files=[rt, ex])
    assert catalog.errors == []
    assert "mine" in catalog.routines
    assert "my-stretch" in catalog.exercises


def test_source_title_cites_bundled_sources_and_passes_free_text(bundled: Catalog) -> None:
    assert bundled.source_title("a") == (
        "11 Sacroiliac Joint Pain Exercises for Relief and Strengthening "
        "(wellness blog article, 2025)"
    )
    assert bundled.source_title("b").startswith("Stretches for sacroiliac joint pain (")
    assert bundled.source_title("my physio") == "my physio"


def test_routine_problems_without_an_origin_names_the_routine(bundled: Catalog) -> None:
    routine = Routine("r", "R", (RoutineEntry("nope", line=7),))
    assert [str(e) for e in routine_problems(routine, bundled.exercises)] == [
        "r:7: exercises[0]: unknown exercise 'nope'"
    ]


def test_check_routines_keeps_good_routines_and_drops_only_broken_ones(bundled: Catalog) -> None:
    catalog = Catalog(exercises=dict(bundled.exercises), routines=dict(bundled.routines))
    catalog.routines["broken"] = Routine("broken", "Broken", (RoutineEntry("nope"),))
    catalog.check_routines()
    assert "broken" not in catalog.routines
    assert catalog.routines.keys() == bundled.routines.keys()
    assert len(catalog.errors) == 1


def test_a_routine_of_too_many_steps_is_left_out_with_its_line(
    folders: tuple[Path, Path],
) -> None:
    exercises, routines = folders
    phases = "".join(f"    - {{name: p{i}, seconds: 0.5}}\n" for i in range(10))
    (exercises / "busy.yaml").write_text(
        "id: busy\nname: Busy\ncategory: strength\nposition: Lying\nsource: me\n"
        "sides: each\nsteps:\n  - Move.\ndose:\n  reps: 500\n  tempo:\n" + phases
    )
    mine = routines / "long.yaml"
    mine.write_text("id: long\nname: Long\nexercises:\n  - busy\n")
    catalog = load_catalog(exercises, routines)
    assert "busy" in catalog.exercises  # 5,000 steps a side: at the limit, allowed
    assert [str(e) for e in catalog.errors] == [
        f"{mine}:1: exercises: these make about 10,002 steps; a routine may have at most 5,000"
    ]
    assert "long" not in catalog.routines
