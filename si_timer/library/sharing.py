"""A routine as one file to hand on: the share file, written and read back.

A share file (``NAME.si-routine``) is one YAML document that carries the
routine's own file text and the texts of the person's own exercise files (and
their figure files) that it uses.  Bundled exercises are in every install, so
they are named, not copied; a bundled exercise the person has changed is
theirs and goes in.  Working from the original texts keeps every comment and
needs no YAML writer for routines or exercises.

Reading trusts nothing: the size, the shape and every piece is checked, each
piece through the same loader as the person's own files, so a malformed or
hostile file is one clear line (:class:`ShareProblem`) and never a traceback.
:mod:`si_timer.library.share_import` turns what was read into a preview and
writes what the person agrees to.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import yaml

from si_timer import assets
from si_timer.config.files import FileProblem, open_regular, read_limited
from si_timer.figures.loader import bundled_figure_path, figure_path, load_figure_text
from si_timer.library.catalog import Catalog
from si_timer.library.fields import kind_of
from si_timer.library.loader import MAX_READ_BYTES, load_text
from si_timer.library.model import Exercise, LoadError, Routine
from si_timer.library.yamlread import Node, YamlProblem, parse
from si_timer.records import record

SHARE_SUFFIX = ".si-routine"
FORMAT_KEY = "si-timer-routine"
FORMAT_VERSION = 1
ROUTINE_KEY = "routine"
EXERCISES_KEY = "exercises"
EXERCISE_KEY = "exercise"
FIGURE_KEY = "figure"
SHARE_KEYS = (FORMAT_KEY, ROUTINE_KEY, EXERCISES_KEY)
ENTRY_KEYS = (EXERCISE_KEY, FIGURE_KEY)
# A routine with every one of its exercises and figures is tens of kilobytes.
MAX_SHARE_BYTES = 1024 * 1024
MAX_SHARED_EXERCISES = 100

_HEADER = (
    "# A routine shared from SI Timer, with the exercises of its own that it uses.\n"
    "# Open it in SI Timer (SI Timer > Import routine...) or run: si-timer import FILE\n"
)

__all__ = [
    "SHARE_SUFFIX",
    "ShareProblem",
    "SharedExercise",
    "SharedRoutine",
    "gather",
    "is_share_file",
    "looks_like_share",
    "read_share",
    "read_share_file",
    "share_text",
]


class ShareProblem(Exception):
    """A share file that cannot be used, or a routine that cannot be shared; one line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@record(frozen=True)
class SharedExercise:
    """One of the person's own exercises in a share file, and its own figure if it has one."""

    exercise: Exercise
    text: str
    figure_text: str | None = None


@record(frozen=True)
class SharedRoutine:
    """What a share file holds, every piece read and checked."""

    routine: Routine
    text: str
    exercises: tuple[SharedExercise, ...] = ()

    def included(self, exercise_id: str) -> SharedExercise | None:
        return next((s for s in self.exercises if s.exercise.id == exercise_id), None)


# --- export --------------------------------------------------------------------


def gather(routine: Routine, catalog: Catalog) -> SharedRoutine:
    """The routine's file text and the texts of the person's own exercises (and
    figures) it uses, read from where the catalog found them.

    Raises :class:`ShareProblem` when a file has gone or changed since it was
    read (what would be shared must be what loads)."""
    origin = routine.origin
    if origin is None:
        raise ShareProblem(f"'{routine.id}' has no file to share")
    if origin.bundled:
        text = _bundled_text("routines", origin.path)
    else:
        text = _own_text(Path(origin.path))
    shared: list[SharedExercise] = []
    for exercise_id in dict.fromkeys(entry.exercise for entry in routine.entries):
        exercise = catalog.exercises.get(exercise_id)
        if exercise is None:
            raise ShareProblem(f"'{routine.id}' uses '{exercise_id}', which is not in the library")
        if exercise.origin is None or exercise.origin.bundled:
            continue  # every install has it
        ex_text = _own_text(Path(exercise.origin.path))
        figure = figure_path(exercise)
        figure_text = None
        if figure is not None and figure != bundled_figure_path(exercise.id):
            figure_text = _own_text(figure)
        shared.append(SharedExercise(exercise, ex_text, figure_text))
    return SharedRoutine(routine, text, tuple(shared))


def _bundled_text(folder: str, origin_path: str) -> str:
    node = assets.content_root() / folder / Path(origin_path).name
    return node.read_bytes().decode("utf-8")


def _own_text(path: Path) -> str:
    try:
        return read_limited(path, MAX_READ_BYTES).decode("utf-8")
    except FileProblem as problem:
        raise ShareProblem(f"{path}: {problem.reason}") from None
    except UnicodeDecodeError:
        raise ShareProblem(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ShareProblem(f"{path}: cannot be read ({exc.strerror or exc})") from None


class _ShareDumper(yaml.SafeDumper):
    """Writes texts with several lines as literal blocks, readable in any editor."""


def _text_block(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ShareDumper.add_representer(str, _text_block)


def share_text(shared: SharedRoutine) -> str:
    """The share file's text: a format version, the routine, the exercises it brings."""
    document: dict[str, Any] = {FORMAT_KEY: FORMAT_VERSION, ROUTINE_KEY: shared.text}
    if shared.exercises:
        document[EXERCISES_KEY] = [
            {EXERCISE_KEY: s.text, **({FIGURE_KEY: s.figure_text} if s.figure_text else {})}
            for s in shared.exercises
        ]
    body = yaml.dump(document, Dumper=_ShareDumper, sort_keys=False, allow_unicode=True, width=100)
    return _HEADER + body


# --- import --------------------------------------------------------------------


def looks_like_share(data: bytes) -> bool:
    """Whether the start of a file says it is a share file (its format key on a line
    of its own), so ``si-timer import`` can tell one from a history backup."""
    head = data[:4096].decode("utf-8", errors="replace")
    return any(line.startswith(FORMAT_KEY + ":") for line in head.splitlines())


def is_share_file(path: Path) -> bool:
    """A file named ``*.si-routine``, or one that starts like a share file (only a
    regular file is looked into)."""
    if path.name.endswith(SHARE_SUFFIX):
        return True
    try:
        with open_regular(path, MAX_SHARE_BYTES) as handle:
            return looks_like_share(handle.read(4096))
    except (FileProblem, OSError):
        return False


def read_share_file(path: Path) -> SharedRoutine:
    """Read and check a share file from disk (see :func:`read_share`)."""
    try:
        data = read_limited(path, MAX_SHARE_BYTES)
    except FileNotFoundError:
        raise ShareProblem(f"{path}: no such file") from None
    except FileProblem as problem:
        raise ShareProblem(f"{path}: {problem.reason}") from None
    except OSError as exc:
        raise ShareProblem(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return read_share(data, str(path))


def read_share(data: bytes, file: str) -> SharedRoutine:
    """The routine and exercises a share file holds, each read through the loader.

    Raises :class:`ShareProblem`, one line naming the file, the piece, the line
    and the field, for anything that is not a whole, valid share file."""
    root = _parse(data, file)
    items = _fields(root, file)
    routine, routine_text = _routine_piece(items, file)
    shared = list(_exercise_pieces(items, file))
    used = {entry.exercise for entry in routine.entries}
    seen: set[str] = set()
    for i, piece in enumerate(shared):
        ex_id = piece.exercise.id
        if ex_id in seen:
            _refuse(file, f"{EXERCISES_KEY}[{i}]", 1, "id", f"'{ex_id}' comes twice")
        if ex_id not in used:
            _refuse(file, f"{EXERCISES_KEY}[{i}]", 1, "id", f"'{ex_id}' is not in the routine")
        seen.add(ex_id)
    return SharedRoutine(routine, routine_text, tuple(shared))


def _parse(data: bytes, file: str) -> Node:
    if len(data) > MAX_SHARE_BYTES:
        raise ShareProblem(
            f"{file}: too large ({len(data):,} bytes; the limit is {MAX_SHARE_BYTES:,})"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ShareProblem(f"{file}: not UTF-8 text (byte {exc.start})") from None
    if "\x00" in text:
        raise ShareProblem(f"{file}: contains a NUL byte")
    try:
        root = parse(text.removeprefix("\ufeff"))
    except YamlProblem as problem:
        error = LoadError(file, problem.line, problem.field, problem.message)
        raise ShareProblem(str(error)) from None
    if root is None:
        raise ShareProblem(f"{file}: is empty")
    return root


def _fields(root: Node, file: str) -> dict[str, Node]:
    if not root.is_mapping:
        _refuse(file, "", root.line, "file", f"must be a shared routine, not {kind_of(root.value)}")
    items: dict[str, Node] = root.value
    version = items.get(FORMAT_KEY)
    if version is None:
        _refuse(file, "", root.line, FORMAT_KEY, "is missing: this is not a shared routine")
    if not isinstance(version.value, int) or isinstance(version.value, bool) or version.value < 1:
        _refuse(file, "", version.line, FORMAT_KEY, f"must be {FORMAT_VERSION}")
    if version.value > FORMAT_VERSION:
        _refuse(
            file,
            "",
            version.line,
            FORMAT_KEY,
            f"format {version.value} is from a newer SI Timer; update it to import this",
        )
    for key, node in items.items():
        if key not in SHARE_KEYS:
            _refuse(file, "", node.line, key, f"is not part of a shared routine ({_known()})")
    return items


def _known() -> str:
    return "known: " + ", ".join(SHARE_KEYS)


def _routine_piece(items: dict[str, Node], file: str) -> tuple[Routine, str]:
    node = items.get(ROUTINE_KEY)
    if node is None:
        _refuse(file, "", 1, ROUTINE_KEY, "is missing")
    text = _text(node, file, "", ROUTINE_KEY)
    result = load_text(text.encode("utf-8"), f"{file}: {ROUTINE_KEY}", kind="routine")
    _refuse_errors(result.errors)
    if result.routine is None:  # the loader gives a routine or its problems
        _refuse(file, ROUTINE_KEY, 1, "file", "holds no routine")
    return result.routine, text


def _exercise_pieces(items: dict[str, Node], file: str) -> Iterator[SharedExercise]:
    node = items.get(EXERCISES_KEY)
    if node is None or node.value is None:
        return
    if not node.is_list:
        _refuse(file, "", node.line, EXERCISES_KEY, f"must be a list, not {kind_of(node.value)}")
    if len(node.value) > MAX_SHARED_EXERCISES:
        _refuse(file, "", node.line, EXERCISES_KEY, f"more than {MAX_SHARED_EXERCISES} exercises")
    for i, child in enumerate(node.value):
        where = f"{EXERCISES_KEY}[{i}]"
        if not child.is_mapping:
            _refuse(file, "", child.line, where, f"must be a mapping, not {kind_of(child.value)}")
        for key, value in child.value.items():
            if key not in ENTRY_KEYS:
                _refuse(file, "", value.line, f"{where}.{key}", "is not part of a shared exercise")
        ex_node = child.value.get(EXERCISE_KEY)
        if ex_node is None:
            _refuse(file, "", child.line, f"{where}.{EXERCISE_KEY}", "is missing")
        text = _text(ex_node, file, "", f"{where}.{EXERCISE_KEY}")
        result = load_text(text.encode("utf-8"), f"{file}: {where}", kind="exercise")
        _refuse_errors(result.errors)
        if result.exercise is None:
            _refuse(file, where, 1, "file", "holds no exercise")
        exercise = result.exercise
        figure_text = None
        fig_node = child.value.get(FIGURE_KEY)
        if fig_node is not None and fig_node.value is not None:
            figure_text = _text(fig_node, file, "", f"{where}.{FIGURE_KEY}")
            figure = load_figure_text(figure_text, f"{file}: {where}.{FIGURE_KEY}", exercise.id)
            _refuse_errors(figure.errors)
        yield SharedExercise(exercise, text, figure_text)


def _text(node: Node, file: str, where: str, field: str) -> str:
    if not isinstance(node.value, str) or not node.value.strip():
        _refuse(file, where, node.line, field, f"must be a file's text, not {kind_of(node.value)}")
    text: str = node.value
    return text


def _refuse(file: str, where: str, line: int, field: str, message: str) -> NoReturn:
    place = f"{file}: {where}" if where else file
    raise ShareProblem(str(LoadError(place, line, field, message)))


def _refuse_errors(errors: tuple[LoadError, ...]) -> None:
    if not errors:
        return
    more = len(errors) - 1
    raise ShareProblem(str(errors[0]) + (f" (and {more} more)" if more else ""))
