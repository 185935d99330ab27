"""Routines written back as YAML load back equal; the person's folder keeps every file."""

from __future__ import annotations

import os
import stat
import time
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from si_timer.library.catalog import Catalog, load_catalog, routine_problems
from si_timer.library.limits import entry_limits
from si_timer.library.loader import EDITOR_HEADER, load_text
from si_timer.library.model import Range, Routine, RoutineEntry, Sides
from si_timer.library.routine_file import (
    DELETED_DIR,
    KEEP_DELETED,
    NotOwnRoutine,
    delete_routine,
    duplicate,
    new_routine_id,
    prune_deleted,
    rename,
    reset_routine,
    restore,
    routine_files,
    routine_yaml,
    save_routine,
)
from si_timer.records import replace

BUNDLED = load_catalog()
HAND_WRITTEN = "# my physio's version\nid: morning\nname: My mornings\nexercises: [cat-cow]\n"


def loads_back(routine: Routine) -> Routine:
    result = load_text(routine_yaml(routine).encode(), "mine.yaml", kind="routine")
    assert result.errors == ()
    assert result.routine is not None
    return result.routine


def catalog_of(folder: Path) -> Catalog:
    return load_catalog(folder.parent / "no-exercises", folder)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "routines"  # not there yet: saving makes it


# --- the YAML ----------------------------------------------------------------------


@pytest.mark.parametrize("routine_id", sorted(BUNDLED.routines))
def test_every_bundled_routine_loads_back_equal(routine_id: str) -> None:
    routine = BUNDLED.routine(routine_id)
    back = loads_back(routine)
    assert back == routine
    assert back.origin is not None
    assert back.origin.by_editor


def test_the_yaml_says_only_what_differs_and_reads_like_a_hand_written_file() -> None:
    routine = Routine(
        "hips",
        "Hips",
        (
            RoutineEntry("knee-to-chest"),
            RoutineEntry("figure-4", hold=45.0, reps=3, sides=Sides.RIGHT, prescribed=True),
            RoutineEntry("cat-cow", lead_in=0.0, switch=None),
        ),
        rest_between=12.5,
    )
    assert routine_yaml(routine) == (
        f"{EDITOR_HEADER}\n"
        "id: hips\n"
        "name: Hips\n"
        "rest_between: 12.5\n"
        "exercises:\n"
        "  - knee-to-chest\n"
        "  - exercise: figure-4\n"
        "    sides: right\n"
        "    hold: 45\n"
        "    reps: 3\n"
        "    prescribed: true\n"
        "  - exercise: cat-cow\n"
        "    lead_in: 0\n"
    )
    assert loads_back(routine) == routine


def test_text_that_looks_like_other_yaml_stays_text() -> None:
    routine = Routine(
        "yes",
        "null",
        (RoutineEntry("cat-cow"),),
        description="- not: a list\n# nor a comment",
        before_you_start="'quoted' and \"double\": 10",
        after_you_finish="12",
    )
    assert loads_back(routine) == routine


EXERCISE_IDS = sorted(BUNDLED.exercises)
# Text as a person types it; the loader strips what it reads, so the ends are not blank.
TEXT = (
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff"),
        min_size=1,
        max_size=60,
    )
    .map(str.strip)
    .filter(bool)
)
PAUSE = st.one_of(
    st.just(0.0), st.integers(1, 600).map(float), st.floats(0.1, 600, allow_nan=False)
)


def in_range(limit: Range | None, *, whole: bool = False) -> st.SearchStrategy[float | None]:
    if limit is None:
        return st.none()
    if whole:
        return st.one_of(st.none(), st.integers(int(limit.min), int(limit.max)).map(float))
    return st.one_of(st.none(), st.floats(limit.min, limit.max, allow_nan=False))


@st.composite
def entries(draw: st.DrawFn) -> RoutineEntry:
    exercise = BUNDLED.exercise(draw(st.sampled_from(EXERCISE_IDS)))
    prescribed = draw(st.booleans())
    limits = entry_limits(exercise, prescribed=prescribed)
    reps = draw(in_range(limits.reps, whole=True))
    sets_range = Range(limits.sets.min, min(limits.sets.max, 4))
    sets = draw(in_range(sets_range, whole=True))
    rest = draw(in_range(limits.rest))
    if prescribed and sets is not None and sets > 1 and exercise.dose.rest is None:
        rest = rest or 30.0
    entry = RoutineEntry(
        exercise.id,
        hold=draw(in_range(limits.hold)),
        reps=None if reps is None else int(min(reps, 20)),
        sets=None if sets is None else int(sets),
        rest=rest,
        sides=draw(st.one_of(st.none(), st.sampled_from(limits.sides or (Sides.NONE,)))),
        lead_in=draw(st.one_of(st.none(), PAUSE)),
        switch=draw(st.one_of(st.none(), PAUSE)) if limits.switch else None,
        prescribed=prescribed,
    )
    assert list(routine_problems(Routine("r", "R", (entry,)), BUNDLED.exercises)) == []
    return entry


@st.composite
def routines(draw: st.DrawFn) -> Routine:
    return Routine(
        id=new_routine_id(draw(TEXT), ()),
        name=draw(TEXT),
        entries=tuple(draw(st.lists(entries(), min_size=1, max_size=8))),
        description=draw(st.one_of(st.just(""), TEXT)),
        times_per_day=draw(st.one_of(st.none(), st.integers(1, 12))),
        lead_in=draw(PAUSE),
        switch=draw(PAUSE),
        rest_between=draw(PAUSE),
        before_you_start=draw(st.one_of(st.just(""), TEXT)),
        after_you_finish=draw(st.one_of(st.just(""), TEXT)),
    )


@settings(
    max_examples=150,
    deadline=timedelta(seconds=2),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(routines())
def test_any_routine_of_bundled_exercises_loads_back_equal(routine: Routine) -> None:
    back = loads_back(routine)
    assert back == routine
    assert list(routine_problems(back, BUNDLED.exercises)) == []


# --- ids ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "taken", "expected"),
    [
        ("Morning stretches", (), "morning-stretches"),
        ("Hips & back, 2x", (), "hips-back-2x"),
        ("  Crème brûlée  ", (), "creme-brulee"),
        ("Morning", ("morning",), "morning-2"),
        ("Morning", ("morning", "morning-2"), "morning-3"),
        ("!!!", (), "routine"),
        ("日本語", ("routine",), "routine-2"),
        ("a" * 60, (), "a" * 40),
        ("word " * 20, (), ("word-" * 8).rstrip("-")),
    ],
)
def test_new_routine_ids_are_slugs_no_one_has(
    name: str, taken: tuple[str, ...], expected: str
) -> None:
    assert new_routine_id(name, taken) == expected


# --- the folder ----------------------------------------------------------------------


def test_saving_a_changed_bundled_routine_makes_an_intended_override(folder: Path) -> None:
    morning = BUNDLED.routine("morning")
    changed = replace(morning, entries=morning.entries[:2], rest_between=20.0)
    path = save_routine(changed, folder)
    assert path == folder / "morning.yaml"
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    catalog = catalog_of(folder)
    assert catalog.errors == []
    assert catalog.notices == []
    assert catalog.routine("morning") == changed
    assert catalog.is_changed_bundled("morning")
    assert catalog.bundled_routines["morning"] == morning
    # Saved again, it is the same file, written over.
    again = replace(changed, name="Mornings")
    assert save_routine(catalog.routine("morning"), folder) == path
    assert save_routine(again, folder) == path
    assert catalog_of(folder).routine("morning").name == "Mornings"
    assert not (folder / DELETED_DIR).exists()


def test_a_hand_written_file_is_kept_aside_before_the_editor_writes_over_it(
    folder: Path,
) -> None:
    folder.mkdir()
    mine = folder / "my-mornings.yml"
    mine.write_text(HAND_WRITTEN)
    routine = catalog_of(folder).routine("morning")
    path = save_routine(replace(routine, name="Better mornings"), folder)
    assert path == mine  # the file it came from, not a second one with the same id
    assert (folder / DELETED_DIR / "my-mornings.yml").read_text() == HAND_WRITTEN
    assert catalog_of(folder).routine("morning").name == "Better mornings"
    assert routine_files("morning", folder) == [mine]


def test_saving_never_writes_over_a_file_that_holds_another_routine(folder: Path) -> None:
    folder.mkdir()
    other = folder / "morning.yaml"
    other.write_text("id: my-own\nname: Mine\nexercises: [cat-cow]\n")
    broken = folder / "morning-2.yaml"
    broken.write_text("id: morning\nname: [Broken\n")  # one the person is still writing
    path = save_routine(BUNDLED.routine("morning"), folder)
    assert path == folder / "morning-3.yaml"
    assert other.read_text().startswith("id: my-own")
    assert broken.read_text().endswith("[Broken\n")


def test_a_version_with_an_unknown_exercise_is_replaced_and_kept_aside(folder: Path) -> None:
    """The app shows the original in its place; the editor's version replaces it."""
    folder.mkdir()
    old = folder / "morning.yaml"
    old.write_text("id: morning\nname: Old\nexercises: [no-such]\n")
    assert catalog_of(folder).routine("morning") == BUNDLED.routine("morning")
    assert save_routine(BUNDLED.routine("morning"), folder) == old
    assert (folder / DELETED_DIR / "morning.yaml").read_text().endswith("[no-such]\n")
    assert catalog_of(folder).errors == []


def test_a_duplicate_is_the_person_s_own_under_a_new_id(folder: Path) -> None:
    morning = BUNDLED.routine("morning")
    copy = duplicate(morning, BUNDLED.routines, folder)
    assert (copy.id, copy.name) == ("morning-stretches-copy", "Morning stretches (copy)")
    assert copy.entries == morning.entries
    assert copy.origin is not None
    assert not copy.origin.bundled
    catalog = catalog_of(folder)
    assert catalog.is_own(copy.id)
    assert catalog.routine(copy.id) == copy
    assert catalog.routine("morning") == morning  # the original is untouched
    second = duplicate(morning, catalog.routines, folder)
    assert second.id == "morning-stretches-copy-2"
    assert len(routine_files(second.id, folder)) == 1


def test_renaming_keeps_the_id_the_history_refers_to(folder: Path) -> None:
    mine = duplicate(BUNDLED.routine("evening"), BUNDLED.routines, folder)
    renamed = rename(mine, "  Bedtime  ", folder)
    assert (renamed.id, renamed.name) == (mine.id, "Bedtime")
    assert catalog_of(folder).routine(mine.id).name == "Bedtime"
    assert routine_files(mine.id, folder) == [folder / f"{mine.id}.yaml"]
    with pytest.raises(ValueError, match="needs a name"):
        rename(mine, "   ", folder)


def test_deleting_moves_the_file_aside_and_restore_undoes_it(folder: Path) -> None:
    mine = duplicate(BUNDLED.routine("evening"), BUNDLED.routines, folder)
    path = folder / f"{mine.id}.yaml"
    text = path.read_text()
    moved = delete_routine(mine.id, folder)
    assert not path.exists()
    assert moved.moves == ((path, folder / DELETED_DIR / path.name),)
    assert mine.id not in catalog_of(folder).routines
    restore(moved)
    assert path.read_text() == text
    assert catalog_of(folder).routine(mine.id) == mine
    # Deleted twice, the first copy aside is not written over.
    delete_routine(mine.id, folder)
    save_routine(mine, folder)
    second = delete_routine(mine.id, folder)
    assert second.moves[0][1] == folder / DELETED_DIR / f"{mine.id}-2.yaml"
    assert len(list((folder / DELETED_DIR).iterdir())) == 2


def test_a_routine_in_two_files_is_deleted_from_both(folder: Path) -> None:
    folder.mkdir()
    (folder / "a.yaml").write_text("id: mine\nname: A\nexercises: [cat-cow]\n")
    (folder / "b.yaml").write_text("id: mine\nname: B\nexercises: [cat-cow]\n")
    moved = delete_routine("mine", folder)
    assert [before.name for before, _ in moved.moves] == ["a.yaml", "b.yaml"]
    assert "mine" not in catalog_of(folder).routines


def test_a_bundled_routine_cannot_be_deleted(folder: Path) -> None:
    with pytest.raises(NotOwnRoutine, match="'morning'"):
        delete_routine("morning", folder)
    with pytest.raises(NotOwnRoutine):
        reset_routine("morning", folder)


def test_reset_brings_the_bundled_original_back_and_can_be_undone(folder: Path) -> None:
    morning = BUNDLED.routine("morning")
    changed = replace(morning, name="My mornings")
    save_routine(changed, folder)
    moved = reset_routine("morning", folder)
    catalog = catalog_of(folder)
    assert catalog.routine("morning") == morning
    assert not catalog.is_changed_bundled("morning")
    restore(moved)
    assert catalog_of(folder).routine("morning") == changed


def test_restore_never_writes_over_a_file_made_since(folder: Path) -> None:
    mine = duplicate(BUNDLED.routine("evening"), BUNDLED.routines, folder)
    moved = delete_routine(mine.id, folder)
    save_routine(replace(mine, name="Newer"), folder)
    with pytest.raises(FileExistsError):
        restore(moved)
    assert catalog_of(folder).routine(mine.id).name == "Newer"
    assert moved.moves[0][1].exists()


# --- .deleted/ is emptied of what lay there too long ----------------------------------

DAY = 24 * 3600.0
# A wall-clock moment 100 days ahead: the files made now have a status-change time
# 100 days before it, so the modification times the tests set are what counts.
NOW = float(int(time.time())) + 100 * DAY


def _aside_at(folder: Path, name: str, days_ago: float) -> Path:
    path = folder / DELETED_DIR / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("id: old\nname: Old\nexercises: [cat-cow]\n")
    os.utime(path, (NOW - days_ago * DAY, NOW - days_ago * DAY))
    return path


def test_a_file_an_older_version_set_aside_counts_from_its_move(folder: Path) -> None:
    # Older versions moved a file aside with its old modification time: the move
    # (its status-change time, now) is what counts, so a long-unedited routine
    # deleted yesterday is not removed today.
    path = folder / DELETED_DIR / "unedited.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    source = folder / "unedited.yaml"
    source.write_text("id: unedited\nname: Unedited\nexercises: [cat-cow]\n")
    now = time.time()
    os.utime(source, (now - 300 * DAY, now - 300 * DAY))
    source.rename(path)
    assert prune_deleted(folder, now + DAY) == []
    assert path.exists()
    assert prune_deleted(folder, now + 31 * DAY) == [path]


def test_files_set_aside_over_thirty_days_ago_are_removed(folder: Path) -> None:
    assert KEEP_DELETED == 30 * DAY
    old = _aside_at(folder, "old.yaml", 31)
    young = _aside_at(folder, "young.yaml", 29)
    edge = _aside_at(folder, "edge.yaml", 30)
    (folder / DELETED_DIR / "a-folder").mkdir()
    os.utime(folder / DELETED_DIR / "a-folder", (NOW - 90 * DAY, NOW - 90 * DAY))
    assert prune_deleted(folder, NOW) == [old]
    assert sorted(p.name for p in (folder / DELETED_DIR).iterdir()) == [
        "a-folder",
        "edge.yaml",
        "young.yaml",
    ]
    assert young.exists()
    assert edge.exists()
    assert prune_deleted(folder / "nowhere", NOW) == []


def test_pruning_counts_from_the_deletion_not_the_files_own_age(folder: Path) -> None:
    mine = duplicate(BUNDLED.routine("evening"), BUNDLED.routines, folder)
    other = duplicate(BUNDLED.routine("morning"), BUNDLED.routines, folder)
    path = folder / f"{mine.id}.yaml"
    os.utime(path, (NOW - 200 * DAY, NOW - 200 * DAY))  # unchanged for months, then deleted
    moved = delete_routine(mine.id, folder, clock=lambda: NOW)
    aside = moved.moves[0][1]
    assert aside.stat().st_mtime == NOW
    save_routine(other, folder, clock=lambda: NOW + 29 * DAY)  # the library written again
    assert aside.exists()
    restore(moved)  # and undo still works
    assert path.exists()
    delete_routine(mine.id, folder, clock=lambda: NOW)
    save_routine(other, folder, clock=lambda: NOW + 31 * DAY)
    assert not aside.exists()
    assert catalog_of(folder).routine(other.id) == other


def test_reading_the_library_prunes_nothing(folder: Path) -> None:
    # Pruning waits for a write: start-up only reads the folder.
    old = _aside_at(folder, "old.yaml", 400)
    catalog_of(folder)
    assert old.exists()
    reset_target = _aside_at(folder, "older.yaml", 500)
    (folder / "morning.yaml").write_text(HAND_WRITTEN)
    reset_routine("morning", folder, clock=lambda: NOW)
    assert not old.exists()
    assert not reset_target.exists()
