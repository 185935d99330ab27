"""Importing a shared routine: the preview says what would change, and only what was
agreed is written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from si_timer.config.paths import AppPaths, resolve_paths
from si_timer.config.settings import Settings
from si_timer.library.share_import import (
    Choice,
    FileKind,
    FileStatus,
    ImportPreview,
    apply_import,
    entry_dose,
    preview_import,
)
from si_timer.library.sharing import SharedRoutine, ShareProblem, gather, read_share, share_text
from si_timer.session.options import plan_for
from tests.helpers.share_files import MY_STRETCH, bundled_figure, catalog_of, make_person

FILE = "from-physio.si-routine"


@pytest.fixture
def sender(tmp_path: Path) -> AppPaths:
    return make_person(tmp_path / "sender")


@pytest.fixture
def shared(sender: AppPaths) -> SharedRoutine:
    """my-core as it arrives at someone else: written out and read back."""
    catalog = catalog_of(sender)
    return read_share(share_text(gather(catalog.routine("my-core"), catalog)).encode(), FILE)


def fresh(tmp_path: Path, name: str = "fresh") -> AppPaths:
    paths = resolve_paths(tmp_path / name)
    paths.ensure()
    return paths


def preview_in(shared: SharedRoutine, paths: AppPaths) -> ImportPreview:
    return preview_import(shared, catalog_of(paths), paths)


def files_under(paths: AppPaths) -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(paths.data_dir.rglob("*.yaml")):
        found[str(path.relative_to(paths.data_dir))] = path.read_text(encoding="utf-8")
    return found


def test_the_preview_lists_the_routine_its_doses_and_each_file(
    shared: SharedRoutine, tmp_path: Path
) -> None:
    paths = fresh(tmp_path)
    preview = preview_in(shared, paths)
    assert preview.can_import, preview.problems
    assert (preview.routine_id, preview.routine_name) == ("my-core", "My core routine")
    assert [(e.name, e.dose, e.included) for e in preview.entries] == [
        ("Pelvic tilt", "15-20 paced reps", False),
        ("Glute bridge", "hold 12 s, 3 sets", True),
        ("Physio hip stretch", "hold 30 s, 2 times, each side", True),
    ]
    files = {(f.kind, f.id): f for item in preview.items for f in item.files}
    assert files[FileKind.ROUTINE, "my-core"].status is FileStatus.NEW
    assert files[FileKind.EXERCISE, "my-stretch"].status is FileStatus.NEW
    assert files[FileKind.FIGURE, "my-stretch"].status is FileStatus.NEW
    bridge = files[FileKind.EXERCISE, "glute-bridge"]
    assert bridge.status is FileStatus.REPLACES
    assert bridge.replaces == "overrides the bundled exercise 'Glute bridge'"
    assert [item.key for item in preview.clashes] == ["exercise:glute-bridge"]


def test_a_round_trip_into_a_fresh_data_folder_runs_the_same_plan(
    sender: AppPaths, shared: SharedRoutine, tmp_path: Path
) -> None:
    paths = fresh(tmp_path)
    preview = preview_in(shared, paths)
    result = apply_import(preview, {"exercise:glute-bridge": Choice.REPLACE}, paths)
    assert result.routine_id == "my-core"
    assert sorted(files_under(paths)) == [
        "exercises/glute-bridge.yaml",
        "exercises/my-stretch.yaml",
        "figures/my-stretch.yaml",
        "routines/my-core.yaml",
    ]
    # The files are the sender's, to the byte (comments too), and private.
    assert files_under(paths) == files_under(sender)
    assert all(os.stat(p).st_mode & 0o777 == 0o600 for p in result.written)
    theirs, mine = catalog_of(sender), catalog_of(paths)
    assert not mine.errors
    settings = Settings()
    assert (
        plan_for(mine.routine("my-core"), mine.exercises, settings).to_json()
        == plan_for(theirs.routine("my-core"), theirs.exercises, settings).to_json()
    )
    # Imported again: all the same, nothing to do.
    again = preview_in(shared, paths)
    assert again.nothing_to_do
    assert not again.clashes
    assert apply_import(again, {}, paths).written == ()


def test_a_clash_without_a_choice_writes_nothing(shared: SharedRoutine, tmp_path: Path) -> None:
    paths = fresh(tmp_path)
    with pytest.raises(ShareProblem, match="choose what to do with the exercise 'glute-bridge'"):
        apply_import(preview_in(shared, paths), {}, paths)
    assert files_under(paths) == {}


def _person_with_own_stretch(tmp_path: Path) -> AppPaths:
    paths = fresh(tmp_path, "recipient")
    paths.user_exercises_dir.mkdir(exist_ok=True)
    mine = MY_STRETCH.replace("Physio hip stretch", "My hip stretch").replace("reps: 2", "reps: 3")
    (paths.user_exercises_dir / "hip.yaml").write_text(mine, encoding="utf-8")
    return paths


def test_replacing_the_persons_own_exercise_writes_over_that_file(
    shared: SharedRoutine, tmp_path: Path
) -> None:
    paths = _person_with_own_stretch(tmp_path)
    preview = preview_in(shared, paths)
    stretch = next(item for item in preview.items if item.id == "my-stretch")
    assert stretch.clash
    assert stretch.replaces == "replaces your own exercise 'My hip stretch' (hip.yaml)"
    apply_import(
        preview,
        {"exercise:glute-bridge": Choice.REPLACE, "exercise:my-stretch": Choice.REPLACE},
        paths,
    )
    assert (paths.user_exercises_dir / "hip.yaml").read_text() == MY_STRETCH
    assert not (paths.user_exercises_dir / "my-stretch.yaml").exists()
    catalog = catalog_of(paths)
    assert catalog.exercise("my-stretch").name == "Physio hip stretch"
    assert "my-core" in catalog.routines


def test_keeping_both_imports_under_a_new_id_and_points_the_routine_at_it(
    shared: SharedRoutine, tmp_path: Path
) -> None:
    paths = _person_with_own_stretch(tmp_path)
    before = (paths.user_exercises_dir / "hip.yaml").read_text()
    result = apply_import(
        preview_in(shared, paths),
        {"exercise:glute-bridge": Choice.KEEP_BOTH, "exercise:my-stretch": Choice.KEEP_BOTH},
        paths,
    )
    assert result.renamed == {"glute-bridge": "glute-bridge-2", "my-stretch": "my-stretch-2"}
    assert (paths.user_exercises_dir / "hip.yaml").read_text() == before
    catalog = catalog_of(paths)
    assert not catalog.errors
    assert catalog.exercise("my-stretch").name == "My hip stretch"
    assert catalog.exercise("my-stretch-2").name == "Physio hip stretch (imported)"
    assert catalog.exercise("glute-bridge-2").name == "Glute bridge (imported)"
    assert catalog.exercise("glute-bridge").origin.bundled  # type: ignore[union-attr]
    routine = catalog.routine("my-core")
    assert [e.exercise for e in routine.entries] == [
        "pelvic-tilt",
        "glute-bridge-2",
        "my-stretch-2",
    ]
    assert [e.hold for e in routine.entries] == [None, 12, 30]
    # The figure went along under the new id.
    assert (paths.data_dir / "figures" / "my-stretch-2.yaml").read_text() == bundled_figure(
        "figure-4"
    )
    # The routine's file is the sender's but for the two ids.
    text = (paths.user_routines_dir / "my-core.yaml").read_text()
    assert "{exercise: glute-bridge-2, hold: 12}" in text
    assert "exercise: my-stretch-2\n" in text


def test_a_same_routine_whose_exercise_is_kept_both_becomes_a_copy(
    sender: AppPaths, shared: SharedRoutine
) -> None:
    # The sender edits their stretch, then imports their own old share file.
    own = sender.user_exercises_dir / "my-stretch.yaml"
    own.write_text(own.read_text().replace("reps: 2", "reps: 4"))
    preview = preview_in(shared, sender)
    statuses = {item.id: item.status for item in preview.items}
    assert statuses == {
        "my-core": FileStatus.SAME,
        "glute-bridge": FileStatus.SAME,
        "my-stretch": FileStatus.REPLACES,
    }
    result = apply_import(preview, {"exercise:my-stretch": Choice.KEEP_BOTH}, sender)
    assert result.routine_id == "my-core-2"
    catalog = catalog_of(sender)
    assert catalog.routine("my-core-2").name == "My core routine (imported)"
    assert catalog.routine("my-core").entries[2].exercise == "my-stretch"
    assert catalog.routine("my-core-2").entries[2].exercise == "my-stretch-2"


def test_a_routine_of_the_persons_own_is_replaced_kept_or_skipped(
    shared: SharedRoutine, tmp_path: Path
) -> None:
    for choice in Choice:
        paths = fresh(tmp_path, choice.value)
        paths.user_routines_dir.mkdir(exist_ok=True)
        own = "id: my-core\nname: Mine\nexercises: [pelvic-tilt]\n"
        (paths.user_routines_dir / "my-core.yaml").write_text(own)
        preview = preview_in(shared, paths)
        assert preview.items[0].replaces == "replaces your own routine 'Mine' (my-core.yaml)"
        choices = {"routine:my-core": choice, "exercise:glute-bridge": Choice.REPLACE}
        result = apply_import(preview, choices, paths)
        names = {r.id: r.name for r in catalog_of(paths).routines.values() if "core" in r.id}
        if choice is Choice.REPLACE:
            assert names["my-core"] == "My core routine"
        elif choice is Choice.KEEP_BOTH:
            assert names["my-core"] == "Mine"
            assert names["my-core-2"] == "My core routine (imported)"
            assert result.routine_id == "my-core-2"
        else:
            assert result.routine_id is None
            assert names["my-core"] == "Mine"
            assert (paths.user_exercises_dir / "my-stretch.yaml").exists()


def test_skipping_an_exercise_the_routine_cannot_use_as_the_person_has_it_is_refused(
    shared: SharedRoutine, tmp_path: Path
) -> None:
    # The bundled glute bridge holds 5-10 s; the routine asks 12 s of the sender's own.
    paths = fresh(tmp_path)
    preview = preview_in(shared, paths)
    with pytest.raises(ShareProblem, match=r"would break the routine 'my-core'.*12 s is outside"):
        apply_import(preview, {"exercise:glute-bridge": Choice.SKIP}, paths)
    assert files_under(paths) == {}


def test_replacing_an_exercise_that_would_break_another_routine_of_the_person_is_refused(
    shared: SharedRoutine, tmp_path: Path
) -> None:
    paths = _person_with_own_stretch(tmp_path)
    paths.user_routines_dir.mkdir(exist_ok=True)
    other = "id: evening-hips\nname: Evening hips\nexercises: [{exercise: my-stretch, reps: 3}]\n"
    (paths.user_routines_dir / "evening-hips.yaml").write_text(other)
    assert "evening-hips" in catalog_of(paths).routines
    preview = preview_in(shared, paths)
    choices = {"exercise:glute-bridge": Choice.REPLACE, "exercise:my-stretch": Choice.REPLACE}
    with pytest.raises(ShareProblem, match="would break your routine 'Evening hips'"):
        apply_import(preview, choices, paths)
    choices["exercise:my-stretch"] = Choice.KEEP_BOTH
    apply_import(preview, choices, paths)
    assert {"evening-hips", "my-core"} <= set(catalog_of(paths).routines)


def test_files_that_changed_since_the_preview_are_not_written_over(
    shared: SharedRoutine, tmp_path: Path
) -> None:
    paths = fresh(tmp_path)
    preview = preview_in(shared, paths)
    paths.user_exercises_dir.mkdir(exist_ok=True)
    (paths.user_exercises_dir / "my-stretch.yaml").write_text("id: mine\n")
    with pytest.raises(ShareProblem, match="changed since the preview"):
        apply_import(preview, {"exercise:glute-bridge": Choice.REPLACE}, paths)
    assert (paths.user_exercises_dir / "my-stretch.yaml").read_text() == "id: mine\n"


def test_a_file_of_that_name_holding_something_else_is_left_alone(
    shared: SharedRoutine, tmp_path: Path
) -> None:
    paths = fresh(tmp_path)
    paths.user_exercises_dir.mkdir(exist_ok=True)
    broken = paths.user_exercises_dir / "my-stretch.yaml"
    broken.write_text("id: my-stretch\nname: [half written\n")
    preview = preview_in(shared, paths)
    stretch = next(item for item in preview.items if item.id == "my-stretch")
    assert stretch.files[0].target.name == "my-stretch-shared-2.yaml"
    apply_import(preview, {"exercise:glute-bridge": Choice.REPLACE}, paths)
    assert broken.read_text() == "id: my-stretch\nname: [half written\n"
    assert catalog_of(paths).exercise("my-stretch").name == "Physio hip stretch"


def test_a_figure_of_the_persons_own_is_a_clash_of_its_exercise(
    shared: SharedRoutine, tmp_path: Path
) -> None:
    paths = fresh(tmp_path)
    figures = paths.data_dir / "figures"
    figures.mkdir()
    (figures / "my-stretch.yaml").write_text(bundled_figure("glute-bridge"))
    preview = preview_in(shared, paths)
    stretch = next(item for item in preview.items if item.id == "my-stretch")
    assert [f.status for f in stretch.files] == [FileStatus.NEW, FileStatus.REPLACES]
    assert stretch.clash
    assert stretch.replaces == "replaces your figure for 'my-stretch'"
    choices = {"exercise:glute-bridge": Choice.REPLACE, "exercise:my-stretch": Choice.SKIP}
    with pytest.raises(ShareProblem, match="unknown exercise 'my-stretch'"):
        apply_import(preview, choices, paths)
    choices["exercise:my-stretch"] = Choice.REPLACE
    apply_import(preview, choices, paths)
    assert (figures / "my-stretch.yaml").read_text() == bundled_figure("figure-4")


def test_a_routine_that_needs_an_exercise_this_library_lacks_is_a_problem(
    tmp_path: Path,
) -> None:
    text = (
        b"si-timer-routine: 1\nroutine: |\n  id: later\n  name: Later\n"
        b"  exercises: [pelvic-tilt, flying-lotus]\n"
    )
    paths = fresh(tmp_path)
    preview = preview_in(read_share(text, FILE), paths)
    assert not preview.can_import
    assert preview.problems == (
        f"{FILE}: routine:3: exercises[1]: unknown exercise 'flying-lotus'",
    )
    assert (preview.entries[1].dose, preview.entries[1].found) == ("", False)
    assert preview.entries[0].found
    with pytest.raises(ShareProblem, match="flying-lotus"):
        apply_import(preview, {}, paths)


def test_entry_doses_read_short(sender: AppPaths) -> None:
    catalog = catalog_of(sender)
    doses = {
        e.exercise: entry_dose(e, catalog.exercise(e.exercise))
        for r in catalog.routines.values()
        for e in r.entries
    }
    assert doses["knee-to-chest"] == "hold 20 s, left, right, both"
    assert doses["cat-cow"] == "10 paced reps"


# --- all or nothing -------------------------------------------------------------------


def _everything_under(paths: AppPaths) -> dict[str, tuple[bytes, int]]:
    """Every file in the data folder, hidden ones too, with its bytes and mode."""
    return {
        str(path.relative_to(paths.data_dir)): (path.read_bytes(), path.stat().st_mode)
        for path in sorted(paths.data_dir.rglob("*"))
        if path.is_file()
    }


def _person_replacing_everything(tmp_path: Path) -> tuple[AppPaths, dict[str, Choice]]:
    """Own stretch, own routine and own figure: the import writes four files and
    replaces three of them."""
    paths = _person_with_own_stretch(tmp_path)
    paths.user_routines_dir.mkdir(exist_ok=True)
    (paths.user_routines_dir / "my-core.yaml").write_text(
        "id: my-core\nname: Mine\nexercises: [pelvic-tilt]\n"
    )
    figures = paths.data_dir / "figures"
    figures.mkdir()
    (figures / "my-stretch.yaml").write_text(bundled_figure("glute-bridge"))
    choices = {
        "routine:my-core": Choice.REPLACE,
        "exercise:glute-bridge": Choice.REPLACE,
        "exercise:my-stretch": Choice.REPLACE,
    }
    return paths, choices


class _FailAt:
    """Makes the ``n``-th file-system step of a write fail as a full disk would."""

    STEPS = ("fsync", "link", "replace", "unlink")

    def __init__(self, monkeypatch: pytest.MonkeyPatch, n: int) -> None:
        self.n = n
        self.seen = 0
        self.failed = ""
        for name in self.STEPS:
            monkeypatch.setattr(os, name, self._wrap(name, getattr(os, name)))

    def _wrap(self, name: str, real: object) -> object:
        def step(*args: object, **kwargs: object) -> object:
            self.seen += 1
            if self.seen == self.n:
                self.failed = name
                raise OSError(28, "No space left on device")
            return real(*args, **kwargs)  # type: ignore[operator]

        return step


def _snapshot(paths: AppPaths) -> dict[str, tuple[bytes, int]]:
    return {name: (data, mode & 0o777) for name, (data, mode) in _everything_under(paths).items()}


def test_a_failure_at_any_step_of_the_import_leaves_every_file_as_it_was(
    shared: SharedRoutine, tmp_path: Path
) -> None:
    clean, choices = _person_replacing_everything(tmp_path / "clean")
    before = _snapshot(clean)
    apply_import(preview_in(shared, clean), choices, clean)
    imported = _snapshot(clean)
    assert imported != before
    assert not [name for name in imported if name.endswith(".partial")]
    failed_steps: list[str] = []
    n = 1
    while True:
        paths, _ = _person_replacing_everything(tmp_path / f"fail-at-{n}")
        preview = preview_in(shared, paths)
        with pytest.MonkeyPatch.context() as monkeypatch:
            fault = _FailAt(monkeypatch, n)
            try:
                apply_import(preview, choices, paths)
            except OSError:
                assert _snapshot(paths) == before, f"step {n} ({fault.failed})"
            else:  # a step with a way round it (no hard link: a copy), or none failed
                after = _snapshot(paths)
                if fault.failed == "unlink":  # a temporary file that could not be removed
                    after = {k: v for k, v in after.items() if not k.endswith(".partial")}
                assert after == imported, f"step {n} ({fault.failed})"
        if not fault.failed:
            break
        failed_steps.append(fault.failed)
        n += 1
    # Four files, each flushed and placed, three with the old one kept aside: every
    # kind of step was made to fail somewhere.
    assert failed_steps.count("fsync") >= 4
    assert {"fsync", "link", "replace", "unlink"} <= set(failed_steps)
    assert imported[str(Path("figures", "my-stretch.yaml"))] == (
        bundled_figure("figure-4").encode(),
        0o600,
    )
    after = catalog_of(clean)
    assert after.routine("my-core").name == "My core routine"
    assert after.exercise("my-stretch").name == "Physio hip stretch"


def test_a_name_taken_while_the_import_writes_undoes_it_and_keeps_the_newcomer(
    shared: SharedRoutine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths, choices = _person_replacing_everything(tmp_path)
    preview = preview_in(shared, paths)
    before = _everything_under(paths)
    bridge = next(item for item in preview.items if item.id == "glute-bridge").files[0].target
    assert not bridge.exists()  # it overrides the bundled one: a new file
    real_fsync = os.fsync

    def fsync_then_someone_writes(fd: int) -> None:
        real_fsync(fd)
        if not bridge.exists():
            bridge.write_text("id: glute-bridge\nname: written meanwhile\n")

    monkeypatch.setattr(os, "fsync", fsync_then_someone_writes)
    with pytest.raises(FileExistsError):
        apply_import(preview, choices, paths)
    assert bridge.read_text() == "id: glute-bridge\nname: written meanwhile\n"
    after = _everything_under(paths)
    del after[str(bridge.relative_to(paths.data_dir))]
    assert after == before
