"""The library a person sees: bundled exercises and routines plus their own.

A user file with the same id as a bundled one replaces it (and says so, unless
the app's routine editor wrote it: then it is what the person asked for); a
user file with problems is left out, and its problems are listed, so one typo
never hides the rest of the library.  A bundled routine stays known beside a
person's version of it, so the app can put the original back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from si_timer import assets
from si_timer.library.model import Exercise, LoadError, Routine, RoutineEntry, Sides, Source
from si_timer.records import field, record

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    # The YAML reader loads only when files are read: a catalog from the cache
    # (:mod:`si_timer.library.cache`) needs this module, not PyYAML.
    from si_timer.library.loader import FileResult

_T = TypeVar("_T", Exercise, Routine)


@record
class Catalog:
    exercises: dict[str, Exercise] = field(default_factory=dict)
    routines: dict[str, Routine] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    errors: list[LoadError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    # Every bundled routine as shipped, also where a person's file replaces it.
    bundled_routines: dict[str, Routine] = field(default_factory=dict)

    def exercise(self, exercise_id: str) -> Exercise:
        return self.exercises[exercise_id]

    def routine(self, routine_id: str) -> Routine:
        return self.routines[routine_id]

    def is_own(self, routine_id: str) -> bool:
        """The person made this routine: it is theirs alone, not a version of a bundled one."""
        return routine_id in self.routines and routine_id not in self.bundled_routines

    def is_changed_bundled(self, routine_id: str) -> bool:
        """A file of the person's replaces this bundled routine (the original can come back)."""
        routine = self.routines.get(routine_id)
        return (
            routine is not None
            and routine_id in self.bundled_routines
            and not (routine.origin is not None and routine.origin.bundled)
        )

    def source_title(self, source_id: str) -> str:
        """A citation for an exercise's ``source`` (user files may write free text)."""
        src = self.sources.get(source_id)
        return (
            f"{src.title} ({src.kind}{f', {src.year}' if src.year else ''})" if src else source_id
        )

    def source_titles(self) -> dict[str, str]:
        """Every source's citation, by id."""
        return {sid: self.source_title(sid) for sid in self.sources}

    def add(self, result: FileResult) -> None:
        """Add one file's definitions, replacing same-id ones (last wins)."""
        self.errors.extend(result.errors)
        for src in result.sources:
            self.sources[src.id] = src
        if result.exercise is not None:
            self._replace(self.exercises, result.exercise.id, result.exercise, "exercise")
        if result.routine is not None:
            routine = result.routine
            if routine.origin is not None and routine.origin.bundled:
                self.bundled_routines[routine.id] = routine
            self._replace(self.routines, routine.id, routine, "routine")

    def _replace(self, table: dict[str, _T], key: str, value: _T, what: str) -> None:
        old = table.get(key)
        new_origin = value.origin
        if old is not None:
            old_origin = old.origin
            bundled = old_origin is not None and old_origin.bundled
            intended = bundled and new_origin is not None and new_origin.by_editor
            where = "the bundled" if bundled else f"{old_origin}'s"
            if not intended:
                self.notices.append(f"{new_origin}: overrides {where} {what} '{key}'")
        table[key] = value

    def check_routines(self) -> None:
        """Cross-file checks: every routine's exercises exist and its choices fit them."""
        broken: list[str] = []
        for routine in self.routines.values():
            problems = list(routine_problems(routine, self.exercises))
            if problems:
                self.errors.extend(problems)
                broken.append(routine.id)
        for routine_id in broken:
            # A person's broken version of a bundled routine gives the original back.
            original = self.bundled_routines.get(routine_id)
            if (
                original is not None
                and original is not self.routines[routine_id]
                and not any(routine_problems(original, self.exercises))
            ):
                self.routines[routine_id] = original
            else:
                del self.routines[routine_id]


_SIDE_COUNT = {Sides.NONE: 1, Sides.EACH: 2, Sides.LEFT_RIGHT_BOTH: 3}


def planned_steps(entry: RoutineEntry, exercise: Exercise) -> int:
    """About how many steps one entry puts in a plan (every tempo phase, every
    side, every set): enough to refuse a routine that would plan millions."""
    dose = exercise.dose
    sides = _SIDE_COUNT.get(entry.sides or exercise.sides, 1)
    reps = entry.reps if entry.reps is not None else int(dose.reps.max if dose.reps else 1)
    sets = entry.sets if entry.sets is not None else dose.sets
    return sides * sets * (reps * max(1, len(dose.tempo)) + 1)


def routine_problems(routine: Routine, exercises: dict[str, Exercise]) -> Iterator[LoadError]:
    from si_timer.library.limits import entry_problems
    from si_timer.library.loader import MAX_SEGMENTS, suggest

    file = str(routine.origin) if routine.origin else routine.id
    steps = sum(
        planned_steps(entry, exercises[entry.exercise])
        for entry in routine.entries
        if entry.exercise in exercises
    )
    if steps > MAX_SEGMENTS:
        yield LoadError(
            file,
            routine.origin.line if routine.origin else 1,
            "exercises",
            f"these make about {steps:,} steps; a routine may have at most {MAX_SEGMENTS:,}",
        )
    for i, entry in enumerate(routine.entries):
        field_name = f"exercises[{i}]"
        exercise = exercises.get(entry.exercise)
        if exercise is None:
            yield LoadError(
                file,
                entry.line,
                field_name,
                f"unknown exercise '{entry.exercise}'{suggest(entry.exercise, exercises)}",
            )
            continue
        for key, message in entry_problems(entry, exercise):
            where = f"{field_name}.{key}" if key else field_name
            yield LoadError(file, entry.line, where, message)


def _yaml_files(folder: Traversable) -> list[Traversable]:
    if not folder.is_dir():
        return []
    return sorted(
        (f for f in folder.iterdir() if f.name.endswith((".yaml", ".yml")) and f.is_file()),
        key=lambda f: f.name,
    )


def _bundled_results() -> Iterator[FileResult]:
    from si_timer.library.loader import load_text

    root = assets.content_root()
    sources = root / "sources.yaml"
    yield load_text(sources.read_bytes(), "content/sources.yaml", bundled=True, kind="sources")
    for sub, kind in (("exercises", "exercise"), ("routines", "routine")):
        for f in _yaml_files(root / sub):
            yield load_text(f.read_bytes(), f"content/{sub}/{f.name}", bundled=True, kind=kind)


def _user_results(exercise_dir: Path, routine_dir: Path, skip: set[Path]) -> Iterator[FileResult]:
    from si_timer.library.loader import load_file

    for folder, kind in ((exercise_dir, "exercise"), (routine_dir, "routine")):
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if (
                    path.suffix in (".yaml", ".yml")
                    and path.is_file()
                    and path.resolve() not in skip
                ):
                    yield load_file(path, kind=kind)


def load_catalog(
    user_exercises: Path | None = None,
    user_routines: Path | None = None,
    extra_files: Iterable[Path] = (),
) -> Catalog:
    """The bundled library, then the person's own folders, then ``extra_files``."""
    from si_timer.library.loader import load_file

    catalog = Catalog()
    for result in _bundled_results():
        catalog.add(result)
    extra_files = list(extra_files)
    # A named file that also sits in the person's folders is read once, by the name given.
    named = {path.resolve() for path in extra_files}
    if user_exercises is not None and user_routines is not None:
        for result in _user_results(user_exercises, user_routines, named):
            catalog.add(result)
    for path in extra_files:
        catalog.add(load_file(path))
    catalog.check_routines()
    return catalog
