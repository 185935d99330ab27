"""A routine written back as YAML, and the person's routines folder kept by the app.

:func:`routine_yaml` writes only what differs from the defaults, an entry with no
choices as its bare exercise id, so the file reads like one written by hand, and
it loads back through the normal loader to an equal routine.  The folder
operations (save, duplicate, rename, delete, reset) take the folder as a
parameter (``AppPaths.user_routines_dir``), write through
:func:`si_timer.config.files.write_private` (whole or absent, owner-only) and
never throw a person's file away: a deleted file, or a hand-written one the
editor replaces, is moved aside into ``.deleted/`` so it can come back.  What
has lain there for :data:`KEEP_DELETED` is removed when the folder is next
written (:func:`prune_deleted`), never at start-up.
"""

from __future__ import annotations

import logging
import os
import stat
import time
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any

import yaml

from si_timer.config.files import FileProblem, read_limited, write_private
from si_timer.config.paths import ensure_dir
from si_timer.library.fields import new_id
from si_timer.library.loader import EDITOR_HEADER, MAX_READ_BYTES, load_file
from si_timer.library.model import Origin, Routine, RoutineEntry
from si_timer.records import fields, record, replace

DELETED_DIR = ".deleted"  # inside the routines folder; the catalog reads no sub-folders
KEEP_DELETED = 30 * 24 * 3600.0  # seconds a file set aside stays before it is removed
COPY_SUFFIX = " (copy)"
_SUFFIXES = (".yaml", ".yml")

_ROUTINE_DEFAULTS = {f.name: f.default for f in fields(Routine)}
# The order keys are written in: what it is, how it is timed, what it says, what it holds.
_ROUTINE_KEYS = (
    "id",
    "name",
    "description",
    "times_per_day",
    "lead_in",
    "switch",
    "rest_between",
    "before_you_start",
    "after_you_finish",
)
_ENTRY_KEYS = ("sides", "hold", "reps", "sets", "rest", "lead_in", "switch", "prescribed")


class NotOwnRoutine(LookupError):
    """No file in the person's folder holds this routine (a bundled one is never deleted)."""


# --- writing -------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Indents a list under its key, as the bundled files and content/README.md do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else float(value)


def _value(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):  # a StrEnum (sides) is written as its plain word
        return str(value)
    if isinstance(value, int | float):
        return _number(value)
    return value


def _entry(entry: RoutineEntry) -> str | dict[str, Any]:
    if not entry.has_choices:
        return entry.exercise
    data: dict[str, Any] = {"exercise": entry.exercise}
    for key in _ENTRY_KEYS:
        value = getattr(entry, key)
        if value is not None and value is not False:
            data[key] = _value(value)
    return data


def routine_yaml(routine: Routine) -> str:
    """``routine`` as a YAML file that loads back to an equal routine.

    The first line marks the file as the editor's (see
    :data:`~si_timer.library.loader.EDITOR_HEADER`); keys at their defaults are
    left out.
    """
    data: dict[str, Any] = {}
    for key in _ROUTINE_KEYS:
        value = getattr(routine, key)
        if key in ("id", "name") or value != _ROUTINE_DEFAULTS[key]:
            data[key] = _value(value)
    data["exercises"] = [_entry(entry) for entry in routine.entries]
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=88,
    )
    return f"{EDITOR_HEADER}\n{body}"


# --- ids -----------------------------------------------------------------------


def new_routine_id(name: str, taken: Collection[str]) -> str:
    """A new routine's id from its name, not one in ``taken``."""
    return new_id(name, taken, "routine")


# --- the folder ------------------------------------------------------------------


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in _SUFFIXES and p.is_file())


def _holds(path: Path) -> str | None:
    """The id of the routine in ``path``, None for a file that is not a good routine."""
    result = load_file(path, kind="routine")
    return result.routine.id if result.routine is not None else None


def routine_files(routine_id: str, folder: Path) -> list[Path]:
    """The person's files in ``folder`` that hold ``routine_id``, in the catalog's order
    (the last one is the one the app uses)."""
    return [path for path in _yaml_files(folder) if _holds(path) == routine_id]


def _written_by_editor(path: Path) -> bool:
    try:
        head = read_limited(path, MAX_READ_BYTES)[: len(EDITOR_HEADER) + 1]
    except (FileProblem, OSError):
        return False
    return head == (EDITOR_HEADER + "\n").encode()


def _target(routine: Routine, folder: Path) -> Path:
    """Where ``routine`` is saved: the file of the person's it came from, else
    ``<id>.yaml`` (or ``<id>-2.yaml``... where that name holds something else)."""
    origin = routine.origin
    if origin is not None and not origin.bundled:
        came_from = Path(origin.path)
        if came_from.parent.resolve() == folder.resolve() and _holds(came_from) == routine.id:
            return came_from
    for name in _names(routine.id):
        path = folder / name
        if not path.exists() or (path.is_file() and _holds(path) == routine.id):
            return path
    raise AssertionError("unreachable: names never run out")


def _names(stem: str, suffix: str = ".yaml") -> Iterator[str]:
    yield stem + suffix
    n = 2
    while True:
        yield f"{stem}-{n}{suffix}"
        n += 1


log = logging.getLogger(__name__)


def prune_deleted(folder: Path, now: float, keep: float = KEEP_DELETED) -> list[Path]:
    """Remove the files in ``folder/.deleted`` set aside more than ``keep`` seconds
    before ``now`` (wall-clock seconds, as file times are), and return them.

    A file's time there is the later of its modification time, which
    :func:`_move_aside` sets when it moves the file in, and its status-change
    time, which the move itself sets: a file set aside by an older version,
    which kept its old modification time, still counts from its move.  Only
    regular files and links are removed, never a folder; a file that cannot be
    removed is logged and left for next time.
    """
    deleted = folder / DELETED_DIR
    try:
        entries = list(os.scandir(deleted))
    except FileNotFoundError:
        return []
    except OSError as error:
        log.warning("cannot look in %s: %s", deleted, error)
        return []
    removed: list[Path] = []
    for entry in entries:
        try:
            info = entry.stat(follow_symlinks=False)
            if not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
                continue
            if now - max(info.st_mtime, info.st_ctime) > keep:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except FileNotFoundError:
            continue
        except OSError as error:
            log.warning("cannot remove %s: %s", entry.path, error)
    return removed


def _aside(path: Path, folder: Path) -> Path:
    """A free name in ``folder/.deleted`` for ``path``."""
    deleted = folder / DELETED_DIR
    ensure_dir(deleted)
    suffix = path.suffix or ".yaml"
    for name in _names(path.stem, suffix):
        if not (deleted / name).exists():
            return deleted / name
    raise AssertionError("unreachable: names never run out")


def _as_saved(routine: Routine, path: Path) -> Routine:
    return replace(routine, origin=Origin(str(path), bundled=False, by_editor=True))


def save_routine(routine: Routine, folder: Path, *, clock: Callable[[], float] = time.time) -> Path:
    """Write ``routine`` into the person's ``folder`` and return its file.

    A file of theirs that the editor did not write (one made by hand, with its
    comments) is first copied into ``.deleted/``; what lay there too long goes
    (:func:`prune_deleted`, at ``clock()``).  Raises OSError when the folder
    cannot be written.
    """
    prune_deleted(folder, clock())
    path = _target(routine, folder)
    text = routine_yaml(routine)
    if path.exists() and not _written_by_editor(path):
        write_private(_aside(path, folder), read_limited(path, MAX_READ_BYTES))
    write_private(path, text)
    return path


def duplicate(routine: Routine, taken: Collection[str], folder: Path) -> Routine:
    """A copy of ``routine`` under a new id, saved as the person's own: "Morning
    stretches (copy)", id ``morning-stretches-copy``.  A bundled routine becomes a
    routine of the person's that they may change freely."""
    name = routine.name + COPY_SUFFIX
    copy = replace(routine, id=new_routine_id(name, taken), name=name, origin=None)
    return _as_saved(copy, save_routine(copy, folder))


def rename(routine: Routine, name: str, folder: Path) -> Routine:
    """``routine`` under a new name, saved.  The id stays: the history refers to it.
    Raises ValueError for an empty name."""
    name = name.strip()
    if not name:
        raise ValueError("a routine needs a name")
    renamed = replace(routine, name=name)
    return _as_saved(renamed, save_routine(renamed, folder))


@record(frozen=True)
class MovedAside:
    """Files moved out of the routines folder, each with where it went: enough to undo."""

    routine_id: str
    moves: tuple[tuple[Path, Path], ...]  # (where it was, where it is now)


def _move_aside(routine_id: str, folder: Path, clock: Callable[[], float]) -> MovedAside:
    files = routine_files(routine_id, folder)
    if not files:
        raise NotOwnRoutine(f"no routine file of yours holds '{routine_id}'")
    now = clock()
    prune_deleted(folder, now)
    moves: list[tuple[Path, Path]] = []
    for path in files:
        aside = _aside(path, folder)
        os.replace(path, aside)  # a rename: the file is in one place or the other
        moves.append((path, aside))
        # A rename keeps the file's own time; pruning counts from the day it was set aside.
        os.utime(aside, (now, now), follow_symlinks=False)
    return MovedAside(routine_id, tuple(moves))


def delete_routine(
    routine_id: str, folder: Path, *, clock: Callable[[], float] = time.time
) -> MovedAside:
    """Take the person's routine out of ``folder``: its file moves to ``.deleted/``
    (:func:`restore` undoes it) and what lay there too long goes (:func:`prune_deleted`).
    Raises :class:`NotOwnRoutine` when no file of theirs holds it (a bundled routine
    cannot be deleted), OSError when the folder cannot be written."""
    return _move_aside(routine_id, folder, clock)


def reset_routine(
    routine_id: str, folder: Path, *, clock: Callable[[], float] = time.time
) -> MovedAside:
    """Put a bundled routine back as it was shipped: the person's version moves to
    ``.deleted/`` (:func:`restore` undoes it).  Raises as :func:`delete_routine`."""
    return _move_aside(routine_id, folder, clock)


def restore(moved: MovedAside) -> None:
    """Undo :func:`delete_routine` or :func:`reset_routine`: the files go back where they
    were.  Raises FileExistsError, leaving that file aside, where another file has
    taken its place since."""
    for original, aside in moved.moves:
        if original.exists():
            raise FileExistsError(f"{original} exists; the deleted copy stays in {aside}")
        os.replace(aside, original)
