"""Importing a shared routine: a preview of what it holds and would change, then only
what the person agreed to.

:func:`preview_import` compares each piece of a :class:`SharedRoutine` with the
library: a file is NEW, the SAME as what is there (nothing to do), or REPLACES
the person's own file of that id (or overrides a bundled one).  Each routine or
exercise that would replace something is a clash, and :func:`apply_import`
writes nothing for a clash without a :class:`Choice` for it: replace, keep both
(import it under a new id, and point the routine at that id) or skip.  Before
anything is written the library is read again and the result checked as a
whole, so an import never leaves a routine that does not load, or breaks one
of the person's other routines.  The files are then written all or none
(:func:`si_timer.config.files.write_private_all`): a failure partway leaves
the person's folders exactly as they were.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from enum import StrEnum
from pathlib import Path

from si_timer.config.files import write_private_all
from si_timer.config.paths import AppPaths
from si_timer.figures.loader import FIGURES_DIR, load_figure_file, load_figure_text
from si_timer.library.catalog import Catalog, load_catalog, routine_problems
from si_timer.library.fields import ID_PATTERN
from si_timer.library.loader import load_text
from si_timer.library.model import Exercise, Routine, RoutineEntry, Sides
from si_timer.library.renaming import pointed_at, renamed_text
from si_timer.library.sharing import SharedExercise, SharedRoutine, ShareProblem
from si_timer.records import record

__all__ = [
    "Choice",
    "FileKind",
    "FileStatus",
    "ImportPreview",
    "ImportResult",
    "PreviewEntry",
    "PreviewFile",
    "PreviewItem",
    "apply_import",
    "entry_dose",
    "preview_import",
]


class FileStatus(StrEnum):
    NEW = "new"
    SAME = "same"  # identical to what is there: nothing to do
    REPLACES = "replaces"  # the person's own file of that id, or overrides a bundled one


class FileKind(StrEnum):
    ROUTINE = "routine"
    EXERCISE = "exercise"
    FIGURE = "figure"


class Choice(StrEnum):
    """What to do with a routine or exercise that would replace one the person has."""

    REPLACE = "replace"
    KEEP_BOTH = "keep-both"  # import under a new id, beside the person's own
    SKIP = "skip"


@record(frozen=True)
class PreviewFile:
    """One file the import would write, and what it would do to what is there.

    ``replaces`` says what, for a person ("your own 'Glute bridge'", "the bundled
    'Glute bridge'"); ``target`` is where it would go."""

    kind: FileKind
    id: str
    status: FileStatus
    target: Path
    text: str
    replaces: str = ""


@record(frozen=True)
class PreviewItem:
    """A routine, or an exercise with its figure: what one choice applies to."""

    kind: FileKind
    id: str
    name: str
    files: tuple[PreviewFile, ...]

    @property
    def key(self) -> str:
        """The key of this item's choice ("exercise:glute-bridge")."""
        return f"{self.kind.value}:{self.id}"

    @property
    def status(self) -> FileStatus:
        statuses = {f.status for f in self.files}
        for status in (FileStatus.REPLACES, FileStatus.NEW):
            if status in statuses:
                return status
        return FileStatus.SAME

    @property
    def clash(self) -> bool:
        return self.status is FileStatus.REPLACES

    @property
    def replaces(self) -> str:
        return next((f.replaces for f in self.files if f.replaces), "")


@record(frozen=True)
class PreviewEntry:
    """One exercise of the routine as the preview lists it."""

    exercise_id: str
    name: str
    dose: str
    included: bool  # the share file brings it (else: the library has it, if ``found``)
    found: bool = True  # False: neither the share file nor the library has it


@record(frozen=True)
class ImportPreview:
    """What a share file holds and what importing it would change; ``problems``
    (one line each) keep it from being imported at all."""

    shared: SharedRoutine
    routine_id: str
    routine_name: str
    description: str
    entries: tuple[PreviewEntry, ...]
    items: tuple[PreviewItem, ...]  # the routine first, then its included exercises
    problems: tuple[str, ...] = ()

    @property
    def clashes(self) -> tuple[PreviewItem, ...]:
        return tuple(item for item in self.items if item.clash)

    @property
    def can_import(self) -> bool:
        return not self.problems

    @property
    def nothing_to_do(self) -> bool:
        return all(item.status is FileStatus.SAME for item in self.items)


@record(frozen=True)
class ImportResult:
    """What an import wrote; ``routine_id``: the routine as it is now in the library
    (None when it was skipped)."""

    written: tuple[Path, ...]
    routine_id: str | None
    renamed: Mapping[str, str]  # id in the share file -> the id it was imported as


def figures_dir(paths: AppPaths) -> Path:
    """Where the person's own figures live (beside their exercises, as the figure loader
    looks for them)."""
    return paths.user_exercises_dir.parent / FIGURES_DIR


# --- preview -------------------------------------------------------------------


def preview_import(shared: SharedRoutine, catalog: Catalog, paths: AppPaths) -> ImportPreview:
    """What importing ``shared`` into the library (``catalog``, from ``paths``) would do."""
    routine = shared.routine
    items = [_routine_item(routine, shared.text, catalog, paths)]
    items += [_exercise_item(piece, catalog, paths) for piece in shared.exercises]
    exercises = dict(catalog.exercises)
    exercises.update({piece.exercise.id: piece.exercise for piece in shared.exercises})
    problems = [str(error) for error in routine_problems(routine, exercises)]
    entries = tuple(
        PreviewEntry(
            entry.exercise,
            exercises[entry.exercise].name,
            entry_dose(entry, exercises[entry.exercise]),
            shared.included(entry.exercise) is not None,
        )
        if entry.exercise in exercises
        else PreviewEntry(entry.exercise, entry.exercise, "", included=False, found=False)
        for entry in routine.entries
    )
    return ImportPreview(
        shared=shared,
        routine_id=routine.id,
        routine_name=routine.name,
        description=routine.description,
        entries=entries,
        items=tuple(items),
        problems=tuple(problems),
    )


def _routine_item(routine: Routine, text: str, catalog: Catalog, paths: AppPaths) -> PreviewItem:
    current = catalog.routines.get(routine.id)
    file = _file_for(
        FileKind.ROUTINE,
        routine.id,
        text,
        current,
        same=current == routine,
        folder=paths.user_routines_dir,
        what="routine",
        name=current.name if current else "",
    )
    return PreviewItem(FileKind.ROUTINE, routine.id, routine.name, (file,))


def _exercise_item(piece: SharedExercise, catalog: Catalog, paths: AppPaths) -> PreviewItem:
    exercise = piece.exercise
    current = catalog.exercises.get(exercise.id)
    files = [
        _file_for(
            FileKind.EXERCISE,
            exercise.id,
            piece.text,
            current,
            same=current == exercise,
            folder=paths.user_exercises_dir,
            what="exercise",
            name=current.name if current else "",
        )
    ]
    if piece.figure_text is not None:
        files.append(_figure_file(exercise.id, piece.figure_text, paths))
    return PreviewItem(FileKind.EXERCISE, exercise.id, exercise.name, tuple(files))


def _file_for(
    kind: FileKind,
    item_id: str,
    text: str,
    current: Exercise | Routine | None,
    *,
    same: bool,
    folder: Path,
    what: str,
    name: str,
) -> PreviewFile:
    if current is None:
        return PreviewFile(kind, item_id, FileStatus.NEW, _free_target(folder, item_id), text)
    if same:
        target = Path(current.origin.path) if current.origin else folder / f"{item_id}.yaml"
        return PreviewFile(kind, item_id, FileStatus.SAME, target, text)
    origin = current.origin
    if origin is None or origin.bundled:
        return PreviewFile(
            kind,
            item_id,
            FileStatus.REPLACES,
            _free_target(folder, item_id),
            text,
            replaces=f"overrides the bundled {what} '{name}'",
        )
    return PreviewFile(
        kind,
        item_id,
        FileStatus.REPLACES,
        Path(origin.path),
        text,
        replaces=f"replaces your own {what} '{name}' ({Path(origin.path).name})",
    )


def _figure_file(exercise_id: str, text: str, paths: AppPaths) -> PreviewFile:
    target = figures_dir(paths) / f"{exercise_id}.yaml"
    if not target.exists():
        return PreviewFile(FileKind.FIGURE, exercise_id, FileStatus.NEW, target, text)
    mine = load_figure_file(target).figure
    theirs = load_figure_text(text, str(target), exercise_id).figure
    status = FileStatus.SAME if mine is not None and mine == theirs else FileStatus.REPLACES
    replaces = "" if status is FileStatus.SAME else f"replaces your figure for '{exercise_id}'"
    return PreviewFile(FileKind.FIGURE, exercise_id, status, target, text, replaces)


def _free_target(folder: Path, item_id: str) -> Path:
    """``folder/ID.yaml``, or a name beside it when a file of that name holds something
    else (a file is never written over unless it is the one being replaced)."""
    _check_id(item_id)
    target = folder / f"{item_id}.yaml"
    n = 2
    while target.exists() or target.is_symlink():
        target = folder / f"{item_id}-shared-{n}.yaml"
        n += 1
    return target


def _check_id(item_id: str) -> None:
    # The loader checked it; a path is made of it, so check again here.
    if not ID_PATTERN.match(item_id):
        raise ShareProblem(f"'{item_id}' is not a valid id")


# --- what a routine entry does, in words ------------------------------------------

_SIDE_WORDS = {
    Sides.NONE: "",
    Sides.EACH: "each side",
    Sides.LEFT_RIGHT_BOTH: "left, right, both",
    Sides.LEFT: "left only",
    Sides.RIGHT: "right only",
    Sides.BOTH: "both together",
}


def entry_dose(entry: RoutineEntry, exercise: Exercise) -> str:
    """A routine entry's dose, short: "hold 20 s, 3 times, each side"."""
    dose = exercise.dose
    parts: list[str] = []
    if dose.hold is not None:
        hold = f"{entry.hold:g}" if entry.hold is not None else str(dose.hold)
        parts.append(f"hold {hold} s")
    reps = entry.reps if entry.reps is not None else (dose.reps and str(dose.reps))
    if dose.tempo:
        parts.append(f"{reps} paced reps")
    elif dose.hold is None:
        parts.append(f"{reps} reps")
    elif reps and str(reps) != "1":
        parts.append(f"{reps} times")
    sets = entry.sets if entry.sets is not None else dose.sets
    if sets > 1:
        parts.append(f"{sets} sets")
    if side := _SIDE_WORDS[entry.sides or exercise.sides]:
        parts.append(side)
    return ", ".join(parts)


# --- apply ---------------------------------------------------------------------


def apply_import(
    preview: ImportPreview, choices: Mapping[str, Choice], paths: AppPaths
) -> ImportResult:
    """Write what ``preview`` would import, as ``choices`` (by :attr:`PreviewItem.key`)
    say for each clash.  Raises :class:`ShareProblem` (nothing written) when a clash
    has no choice, the preview has problems, the library changed since the preview,
    or the result would leave a routine that does not load."""
    if preview.problems:
        raise ShareProblem(preview.problems[0])
    for item in preview.clashes:
        if item.key not in choices:
            raise ShareProblem(f"choose what to do with the {item.kind.value} '{item.id}'")
    catalog = load_catalog(paths.user_exercises_dir, paths.user_routines_dir)
    again = preview_import(preview.shared, catalog, paths)
    if again.items != preview.items:
        raise ShareProblem("your files changed since the preview was made; look again")
    taken = _taken_ids(catalog, paths, preview)
    writes: list[tuple[Path, str]] = []
    replacing: set[Path] = set()  # the files the person chose to have written over
    renamed: dict[str, str] = {}
    new_exercises: dict[str, Exercise] = {}
    for item in preview.items[1:]:
        choice = choices.get(item.key) if item.clash else Choice.REPLACE
        if item.status is FileStatus.SAME or choice is Choice.SKIP:
            continue
        piece = preview.shared.included(item.id)
        assert piece is not None  # the items were made from the pieces
        if choice is Choice.KEEP_BOTH:
            new_id = _fresh_id(item.id, taken)
            renamed[item.id] = new_id
            text = renamed_text(piece.text, "exercise", item.id, new_id, item.name)
            writes.append((paths.user_exercises_dir / f"{new_id}.yaml", text))
            if piece.figure_text is not None:
                writes.append((figures_dir(paths) / f"{new_id}.yaml", piece.figure_text))
            new_exercises[new_id] = _load_exercise(text, new_id)
        else:
            writes += [(f.target, f.text) for f in item.files if f.status is not FileStatus.SAME]
            replacing |= {f.target for f in item.files if _writes_over(f)}
            new_exercises[item.id] = piece.exercise
    routine_item = preview.items[0]
    routine_text: str | None = pointed_at(preview.shared.text, preview.shared.routine, renamed)
    routine_id: str | None = routine_item.id
    choice = choices.get(routine_item.key) if routine_item.clash else Choice.REPLACE
    if routine_item.status is FileStatus.SAME and renamed:
        choice = Choice.KEEP_BOTH  # the person's routine stays as it is, with their exercises
    if choice is Choice.SKIP:
        routine_text = routine_id = None
    elif choice is Choice.KEEP_BOTH:
        routine_id = _fresh_id(routine_item.id, taken)
        assert routine_text is not None
        routine_text = renamed_text(
            routine_text, "routine", routine_item.id, routine_id, routine_item.name
        )
        writes.append((paths.user_routines_dir / f"{routine_id}.yaml", routine_text))
    elif routine_item.status is not FileStatus.SAME:
        assert routine_text is not None
        writes.append((routine_item.files[0].target, routine_text))
        if _writes_over(routine_item.files[0]):
            replacing.add(routine_item.files[0].target)
    _check_result(catalog, new_exercises, routine_text, routine_id)
    # All or nothing: a full disk or a name taken meanwhile leaves the folders as they were.
    write_private_all(_in_order(writes, paths), replacing)
    return ImportResult(tuple(path for path, _ in writes), routine_id, renamed)


def _writes_over(file: PreviewFile) -> bool:
    """Whether ``file`` goes over one of the person's (an override of a bundled file
    is a new file, and must still be new when it is written)."""
    return file.status is FileStatus.REPLACES and os.path.lexists(file.target)


def _taken_ids(catalog: Catalog, paths: AppPaths, preview: ImportPreview) -> set[str]:
    taken = set(catalog.exercises) | set(catalog.routines)
    taken |= {item.id for item in preview.items}
    for folder in (paths.user_exercises_dir, paths.user_routines_dir, figures_dir(paths)):
        if folder.is_dir():
            taken |= {path.stem for path in folder.iterdir()}
    return taken


def _fresh_id(base: str, taken: set[str]) -> str:
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    new_id = f"{base}-{n}"
    taken.add(new_id)
    return new_id


def _in_order(writes: Iterable[tuple[Path, str]], paths: AppPaths) -> list[tuple[Path, str]]:
    """Figures and exercises before the routine, so a routine is never on disk before
    what it uses."""
    routines = paths.user_routines_dir
    return sorted(writes, key=lambda w: w[0].parent == routines)


def _load_exercise(text: str, exercise_id: str) -> Exercise:
    exercise = load_text(text.encode("utf-8"), f"{exercise_id}.yaml", kind="exercise").exercise
    if exercise is None:
        raise ShareProblem(f"'{exercise_id}' cannot be imported under a new id")
    return exercise


def _check_result(
    catalog: Catalog,
    new_exercises: Mapping[str, Exercise],
    routine_text: str | None,
    routine_id: str | None,
) -> None:
    """The library after the import: the routine loads and fits its exercises, and every
    routine of the person's that loaded before still does."""
    exercises = {**catalog.exercises, **new_exercises}
    routines = dict(catalog.routines)
    if routine_text is not None and routine_id is not None:
        result = load_text(routine_text.encode("utf-8"), f"{routine_id}.yaml", kind="routine")
        if result.routine is None:
            raise ShareProblem(f"the routine '{routine_id}' cannot be imported as chosen")
        routines[routine_id] = result.routine
    for routine in routines.values():
        problems = list(routine_problems(routine, exercises))
        if problems:
            mine = routine.id != routine_id
            what = f"your routine '{routine.name}'" if mine else f"the routine '{routine_id}'"
            raise ShareProblem(f"this would break {what}: {problems[0].message}")
