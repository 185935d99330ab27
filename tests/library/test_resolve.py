"""One resolver for what a person typed: a routine id or a routine file."""

from __future__ import annotations

from pathlib import Path

import pytest

from si_timer import assets
from si_timer.library.catalog import Catalog, load_catalog
from si_timer.library.resolve import ResolvedRoutine, RoutineNotFound, resolve_routine

MINE = "id: my-routine\nname: My routine\nexercises:\n  - figure-4\n  - cat-cow\n"
BAD = "id: bad\nname: Bad\nexercises:\n  - knee-to-chest\n  - knee-to-chst\n"
KNOWN = ", ".join(sorted(load_catalog().routines))


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "exercises", tmp_path / "routines"


@pytest.fixture
def catalog(folders: tuple[Path, Path]) -> Catalog:
    return load_catalog(*folders)


def resolve(arg: str, catalog: Catalog, folders: tuple[Path, Path]) -> ResolvedRoutine:
    return resolve_routine(arg, catalog, user_exercises=folders[0], user_routines=folders[1])


def problems(arg: str, catalog: Catalog, folders: tuple[Path, Path]) -> tuple[str, ...]:
    with pytest.raises(RoutineNotFound) as caught:
        resolve(arg, catalog, folders)
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


def test_an_id_comes_back_with_the_same_catalog(
    catalog: Catalog, folders: tuple[Path, Path]
) -> None:
    found = resolve("morning", catalog, folders)
    assert found.catalog is catalog
    assert found.routine is catalog.routines["morning"]


def test_an_unknown_id_suggests_the_close_one(catalog: Catalog, folders: tuple[Path, Path]) -> None:
    assert problems("mornin", catalog, folders) == (
        f"unknown routine 'mornin' (did you mean 'morning'?); known: {KNOWN}",
    )
    assert problems("handstands", catalog, folders) == (
        f"unknown routine 'handstands'; known: {KNOWN}",
    )


def test_a_routine_file_is_read_with_the_library(
    tmp_path: Path, catalog: Catalog, folders: tuple[Path, Path]
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(MINE)
    found = resolve(str(path), catalog, folders)
    assert found.routine.id == "my-routine"
    assert found.catalog is not catalog
    assert "my-routine" in found.catalog.routines
    assert "my-routine" not in catalog.routines  # the given catalog is left alone
    assert {"figure-4", "cat-cow"} <= set(found.catalog.exercises)


def test_a_file_that_replaces_a_bundled_routine_is_the_one_resolved(
    tmp_path: Path, catalog: Catalog, folders: tuple[Path, Path]
) -> None:
    path = tmp_path / "morning.yaml"
    path.write_text(MINE.replace("my-routine", "morning"))
    found = resolve(str(path), catalog, folders)
    assert (found.routine.id, found.routine.name) == ("morning", "My routine")


def test_a_missing_file(tmp_path: Path, catalog: Catalog, folders: tuple[Path, Path]) -> None:
    path = tmp_path / "gone.yml"
    assert problems(str(path), catalog, folders) == (f"{path}: no such file",)


def test_a_file_with_problems_lists_them(
    tmp_path: Path, catalog: Catalog, folders: tuple[Path, Path]
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD)
    assert problems(str(path), catalog, folders) == (
        f"{path}:5: exercises[1]: unknown exercise 'knee-to-chst' (did you mean 'knee-to-chest'?)",
    )


def test_an_exercise_file_is_not_a_routine(catalog: Catalog, folders: tuple[Path, Path]) -> None:
    path = str(assets.content_root() / "exercises" / "figure-4.yaml")
    assert problems(path, catalog, folders) == (
        f"{path}: is not a routine (it has no 'exercises' list)",
    )


def test_an_existing_file_without_a_yaml_suffix_is_still_a_file(
    tmp_path: Path, catalog: Catalog, folders: tuple[Path, Path]
) -> None:
    path = tmp_path / "mine.txt"
    path.write_text(MINE)
    assert resolve(str(path), catalog, folders).routine.id == "my-routine"
