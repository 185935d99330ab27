"""From what a person typed to a routine: a routine id, or the path of a routine YAML file.

The command line (``si-timer plan``, ``si-timer start``) and the app resolve a
routine here, so both accept the same names and say the same thing, with a
"did you mean", when one does not name a routine.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from si_timer.library.catalog import Catalog, load_catalog
from si_timer.library.model import Routine
from si_timer.records import record

ROUTINE_SUFFIXES = (".yaml", ".yml")


class RoutineNotFound(Exception):
    """The argument names no routine that can run; ``problems`` says why, one line each."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        super().__init__("\n".join(self.problems))


@record(frozen=True)
class ResolvedRoutine:
    """The routine, and the catalog to plan it with (it holds the routine and its exercises)."""

    catalog: Catalog
    routine: Routine


def names_a_file(arg: str) -> bool:
    """Whether ``arg`` is meant as a file: it ends in .yaml/.yml, or such a file exists."""
    return arg.endswith(ROUTINE_SUFFIXES) or Path(arg).is_file()


def resolve_routine(
    arg: str, catalog: Catalog, *, user_exercises: Path, user_routines: Path
) -> ResolvedRoutine:
    """The routine ``arg`` names: an id in ``catalog``, or a routine file.

    An id comes back with ``catalog`` unchanged; a file is read into a fresh
    catalog of the bundled library, the person's own folders and that file.
    Raises :class:`RoutineNotFound` for an unknown id, a missing file, a file
    with problems, or a file that is not a routine.
    """
    if not names_a_file(arg):
        routine = catalog.routines.get(arg)
        if routine is None:
            from si_timer.library.loader import suggest  # PyYAML's module: only here

            known = ", ".join(sorted(catalog.routines))
            raise RoutineNotFound(
                [f"unknown routine '{arg}'{suggest(arg, catalog.routines)}; known: {known}"]
            )
        return ResolvedRoutine(catalog, routine)
    path = Path(arg)
    if not path.exists():
        raise RoutineNotFound([f"{arg}: no such file"])
    loaded = load_catalog(user_exercises, user_routines, [path])
    problems = [str(e) for e in loaded.errors if e.file == str(path)]
    if problems:
        raise RoutineNotFound(problems)
    for routine in loaded.routines.values():
        if routine.origin is not None and routine.origin.path == str(path):
            return ResolvedRoutine(loaded, routine)
    raise RoutineNotFound([f"{arg}: is not a routine (it has no 'exercises' list)"])
