"""Turns one YAML file into an Exercise, a Routine or sources, or a list of problems.

Never raises for a bad file: every problem becomes a :class:`LoadError` that
names the file, the line and the field (``morning.yaml:12: exercises[2]:
unknown exercise 'knee-to-chst' (did you mean 'knee-to-chest'?)``).
Cross-file checks (does a routine's exercise exist, is an override inside the
exercise's range) live in :mod:`si_timer.library.catalog`.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from si_timer.config.files import FileProblem, read_limited
from si_timer.library.model import (
    EXERCISE_SIDES,
    Category,
    Cues,
    Dose,
    Exercise,
    LoadError,
    Origin,
    Progression,
    Range,
    Routine,
    RoutineEntry,
    Sides,
    Source,
    TempoPhase,
)
from si_timer.library.yamlread import Node, YamlProblem, decode, is_plain_key, parse

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SECONDS = 3600.0  # an hour-long hold is a typo, not a dose
MAX_COUNT = 1000
MAX_WORK_UNITS = 500  # sets × reps for one side: keeps a typo from planning a month-long session
# Steps in one routine's plan, every tempo phase counted: a plan far beyond any
# real session makes the app slow to start and to record.
MAX_SEGMENTS = 5000
MAX_READ_BYTES = 4 * 1024 * 1024  # past the YAML limit, so that one names the size

T = TypeVar("T")


def suggest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when a close choice exists, else ``""``."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


class _Reader:
    """Collects problems while reading one file's fields."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[LoadError] = []

    def error(self, line: int, field: str, message: str) -> None:
        self.errors.append(LoadError(self.file, line, field, message))

    def mapping(self, node: Node, field: str, allowed: Iterable[str]) -> dict[str, Node] | None:
        if not node.is_mapping:
            self.error(node.line, field, f"must be a mapping of keys, not {_kind(node.value)}")
            return None
        allowed = tuple(allowed)
        items: dict[str, Node] = node.value
        for key, child in items.items():
            if key not in allowed and is_plain_key(key):
                where = f"{field}.{key}" if field else key
                self.error(child.line, where, f"unknown key{suggest(key, allowed)}")
            elif key not in allowed:  # "", "a:b", "a\nb" would garble FILE:LINE: field:
                self.error(child.line, field or "file", f"unknown key {key!r}")
        return items

    def required(
        self, items: dict[str, Node], key: str, parent: Node, prefix: str = ""
    ) -> Node | None:
        node = items.get(key)
        if node is None or node.value is None:
            self.error(parent.line, prefix + key, "is required")
            return None
        return node

    def text(
        self, node: Node | None, field: str, *, required_line: int | None = None
    ) -> str | None:
        if node is None or node.value is None:
            if required_line is not None:
                self.error(required_line, field, "is required")
            return None
        if not isinstance(node.value, str):
            self.error(node.line, field, f"must be text, not {_kind(node.value)}")
            return None
        value = node.value.strip()
        if not value:
            self.error(node.line, field, "must not be empty")
            return None
        return value

    def ident(self, node: Node | None, field: str, parent_line: int) -> str | None:
        value = self.text(node, field, required_line=parent_line)
        if value is not None and not ID_PATTERN.match(value):
            assert node is not None
            self.error(node.line, field, f"'{value}' must be lowercase letters, digits and dashes")
            return None
        return value

    def choice(
        self, node: Node | None, field: str, enum: Callable[[str], T], allowed: Iterable[str]
    ) -> T | None:
        if node is None or node.value is None:
            return None
        allowed = tuple(allowed)
        if not isinstance(node.value, str) or node.value not in allowed:
            shown = node.value if isinstance(node.value, str) else _kind(node.value)
            hint = suggest(node.value, allowed) if isinstance(node.value, str) else ""
            self.error(node.line, field, f"'{shown}' is not one of {', '.join(allowed)}{hint}")
            return None
        return enum(node.value)

    def boolean(self, node: Node | None, field: str) -> bool:
        if node is None or node.value is None:
            return False
        if not isinstance(node.value, bool):
            self.error(node.line, field, f"must be true or false, not {_kind(node.value)}")
            return False
        return node.value

    def number(
        self, node: Node | None, field: str, *, whole: bool = False, maximum: float = MAX_SECONDS
    ) -> float | None:
        if node is None or node.value is None:
            return None
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(node.line, field, f"must be a number, not {_kind(value)}")
            return None
        # Only floats can be fractional or infinite; float() of a huge int overflows.
        if isinstance(value, float) and not math.isfinite(value):
            self.error(node.line, field, "must be a finite number")
            return None
        if whole and isinstance(value, float) and not value.is_integer():
            self.error(node.line, field, f"must be a whole number, not {value}")
            return None
        if value <= 0:
            unit = "" if whole else " seconds"
            self.error(node.line, field, f"must be more than 0{unit}, not {value}")
            return None
        if value > maximum:
            self.error(node.line, field, f"{value} is too large (at most {maximum:g})")
            return None
        return float(value)

    def range(self, node: Node | None, field: str, *, whole: bool = False) -> Range | None:
        if node is None or node.value is None:
            return None
        maximum = MAX_COUNT if whole else MAX_SECONDS
        if node.is_mapping:
            items = self.mapping(node, field, ("min", "max"))
            if items is None:
                return None
            low_node = self.required(items, "min", node, field + ".")
            high_node = self.required(items, "max", node, field + ".")
            low = self.number(low_node, field + ".min", whole=whole, maximum=maximum)
            high = self.number(high_node, field + ".max", whole=whole, maximum=maximum)
            if low is None or high is None:
                return None
            if low > high:
                self.error(node.line, field, f"min ({low:g}) is above max ({high:g})")
                return None
            return Range(low, high)
        value = self.number(node, field, whole=whole, maximum=maximum)
        return None if value is None else Range(value, value)

    def text_list(
        self, node: Node | None, field: str, *, required: bool = False, parent_line: int = 1
    ) -> tuple[str, ...]:
        if node is None or node.value is None:
            if required:
                self.error(parent_line, field, "is required")
            return ()
        if not node.is_list:
            self.error(node.line, field, f"must be a list, not {_kind(node.value)}")
            return ()
        values: list[str] = []
        for i, child in enumerate(node.value):
            value = self.text(child, f"{field}[{i}]")
            if value is not None:
                values.append(value)
        if required and not node.value:
            self.error(node.line, field, "must list at least one item")
        return tuple(values)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return f"text '{value}'" if len(value) <= 30 else "text"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


# --- exercises ---------------------------------------------------------------

EXERCISE_KEYS = (
    "id",
    "name",
    "category",
    "position",
    "equipment",
    "source",
    "sides",
    "alternate",
    "dose",
    "steps",
    "cues",
    "cautions",
    "side_word",
)
DOSE_KEYS = ("hold", "reps", "sets", "rest", "relax", "tempo", "progression", "suggested")
CUE_KEYS = ("start", "hold")
SIDE_WORDS = ("leg", "side", "arm", "knee", "foot")


def _exercise(r: _Reader, root: Node, origin: Origin) -> Exercise | None:
    items = r.mapping(root, "", EXERCISE_KEYS)
    if items is None:
        return None
    ex_id = r.ident(items.get("id"), "id", root.line)
    name = r.text(items.get("name"), "name", required_line=root.line)
    category = r.choice(
        r.required(items, "category", root), "category", Category, [c.value for c in Category]
    )
    position = r.text(items.get("position"), "position", required_line=root.line)
    source = r.text(items.get("source"), "source", required_line=root.line)
    sides_node = items.get("sides")
    sides = r.choice(sides_node, "sides", Sides, [s.value for s in EXERCISE_SIDES])
    if sides_node is None or sides_node.value is None:  # `sides:` left empty
        sides = Sides.NONE
    alternate = r.boolean(items.get("alternate"), "alternate")
    steps = r.text_list(items.get("steps"), "steps", required=True, parent_line=root.line)
    equipment = r.text_list(items.get("equipment"), "equipment")
    cautions = r.text_list(items.get("cautions"), "cautions")
    side_word = r.choice(items.get("side_word"), "side_word", str, SIDE_WORDS) or "leg"
    cues = Cues()
    if (cue_node := items.get("cues")) is not None and cue_node.value is not None:
        cue_items = r.mapping(cue_node, "cues", CUE_KEYS)
        if cue_items is not None:
            cues = Cues(
                start=r.text(cue_items.get("start"), "cues.start"),
                hold=r.text(cue_items.get("hold"), "cues.hold"),
            )
    dose_node = r.required(items, "dose", root)
    dose = _dose(r, dose_node) if dose_node is not None else None
    if alternate and sides is not None and sides is not Sides.EACH:
        r.error(items["alternate"].line, "alternate", "needs sides: each")

    if (
        ex_id is None
        or name is None
        or category is None
        or position is None
        or source is None
        or sides is None
        or dose is None
        or r.errors
    ):
        return None
    return Exercise(
        id=ex_id,
        name=name,
        category=category,
        position=position,
        source=source,
        sides=sides,
        dose=dose,
        steps=steps,
        equipment=equipment,
        alternate=alternate,
        cues=cues,
        cautions=cautions,
        side_word=side_word,
        origin=origin,
    )


def _dose(r: _Reader, node: Node) -> Dose | None:
    items = r.mapping(node, "dose", DOSE_KEYS)
    if items is None:
        return None
    errors_before = len(r.errors)
    hold = r.range(items.get("hold"), "dose.hold")
    reps = r.range(items.get("reps"), "dose.reps", whole=True)
    sets = r.number(items.get("sets"), "dose.sets", whole=True, maximum=MAX_COUNT)
    rest = r.range(items.get("rest"), "dose.rest")
    relax = r.number(items.get("relax"), "dose.relax")
    suggested = r.boolean(items.get("suggested"), "dose.suggested")
    tempo: list[TempoPhase] = []
    if (tempo_node := items.get("tempo")) is not None and tempo_node.value is not None:
        if not tempo_node.is_list or not tempo_node.value:
            r.error(tempo_node.line, "dose.tempo", "must be a list of phases ({name, seconds})")
        else:
            for i, phase_node in enumerate(tempo_node.value):
                field = f"dose.tempo[{i}]"
                phase_items = r.mapping(phase_node, field, ("name", "seconds"))
                if phase_items is None:
                    continue
                phase_name = r.text(
                    phase_items.get("name"), field + ".name", required_line=phase_node.line
                )
                seconds_node = r.required(phase_items, "seconds", phase_node, field + ".")
                seconds = r.number(seconds_node, field + ".seconds")
                if phase_name is not None and seconds is not None:
                    tempo.append(TempoPhase(phase_name, seconds))
    progression = None
    if (prog_node := items.get("progression")) is not None and prog_node.value is not None:
        prog_items = r.mapping(prog_node, "dose.progression", ("hold", "reps"))
        if prog_items is not None:
            progression = Progression(
                hold=r.range(prog_items.get("hold"), "dose.progression.hold"),
                reps=r.range(prog_items.get("reps"), "dose.progression.reps", whole=True),
            )
            if progression.hold is None and progression.reps is None:
                r.error(prog_node.line, "dose.progression", "give a hold or reps to build up to")
            if (
                progression.hold is not None
                and hold is not None
                and progression.hold.max < hold.min
            ):
                r.error(
                    prog_node.line,
                    "dose.progression.hold",
                    "builds up to less than the starting hold",
                )
    if len(r.errors) > errors_before:
        return None

    if hold is not None and tempo:
        r.error(items["tempo"].line, "dose.tempo", "a dose has either a hold or a tempo, not both")
    if hold is None and not tempo and reps is None:
        r.error(node.line, "dose", "give a hold, a tempo or a number of reps")
    if tempo and reps is None:
        r.error(items["tempo"].line, "dose.reps", "is required with a tempo")
    if progression is not None and progression.hold is not None and hold is None:
        r.error(items["progression"].line, "dose.progression.hold", "needs a dose.hold to build on")
    sets_int = int(sets) if sets is not None else 1
    if sets_int > 1 and rest is None:
        r.error(items["sets"].line, "dose.rest", "is required when sets is more than 1")
    units = sets_int * int(reps.max if reps is not None else 1)
    if units > MAX_WORK_UNITS:
        r.error(
            node.line,
            "dose",
            f"{units:,} holds or reps in all is too many (at most {MAX_WORK_UNITS})",
        )
    steps = units * max(1, len(tempo))
    if tempo and steps > MAX_SEGMENTS:
        r.error(
            items["tempo"].line,
            "dose.tempo",
            f"{units:,} reps of {len(tempo):,} phases make {steps:,} steps; "
            f"at most {MAX_SEGMENTS:,}",
        )
    if len(r.errors) > errors_before:
        return None
    return Dose(
        hold=hold,
        reps=reps,
        sets=sets_int,
        rest=rest,
        relax=relax if relax is not None else 3.0,
        tempo=tuple(tempo),
        progression=progression,
        suggested=suggested,
    )


# --- routines ----------------------------------------------------------------

ROUTINE_KEYS = (
    "id",
    "name",
    "description",
    "times_per_day",
    "lead_in",
    "switch",
    "rest_between",
    "exercises",
)
ENTRY_KEYS = ("exercise", "hold", "reps", "sets", "rest", "sides")


def _zero_ok(r: _Reader, node: Node | None, field: str, default: float) -> float:
    """Pauses between segments may be 0 (skip them); doses may not."""
    if node is None or node.value is None:
        return default
    if node.value == 0 and not isinstance(node.value, bool):
        return 0.0
    if isinstance(node.value, int | float) and not isinstance(node.value, bool) and node.value < 0:
        r.error(node.line, field, f"must be 0 or more seconds, not {node.value}")
        return default
    value = r.number(node, field, maximum=600)
    return default if value is None else value


def _routine(r: _Reader, root: Node, origin: Origin) -> Routine | None:
    items = r.mapping(root, "", ROUTINE_KEYS)
    if items is None:
        return None
    rt_id = r.ident(items.get("id"), "id", root.line)
    name = r.text(items.get("name"), "name", required_line=root.line)
    description = r.text(items.get("description"), "description") or ""
    tpd = r.number(items.get("times_per_day"), "times_per_day", whole=True, maximum=12)
    lead_in = _zero_ok(r, items.get("lead_in"), "lead_in", 5.0)
    switch = _zero_ok(r, items.get("switch"), "switch", 5.0)
    rest_between = _zero_ok(r, items.get("rest_between"), "rest_between", 10.0)
    entries: list[RoutineEntry] = []
    list_node = r.required(items, "exercises", root)
    if list_node is not None:
        if not list_node.is_list:
            r.error(list_node.line, "exercises", f"must be a list, not {_kind(list_node.value)}")
        elif not list_node.value:
            r.error(list_node.line, "exercises", "the routine is empty: list at least one exercise")
        else:
            for i, entry_node in enumerate(list_node.value):
                entry = _entry(r, entry_node, f"exercises[{i}]")
                if entry is not None:
                    entries.append(entry)
    if rt_id is None or name is None or r.errors:
        return None
    return Routine(
        id=rt_id,
        name=name,
        entries=tuple(entries),
        description=description,
        times_per_day=int(tpd) if tpd is not None else None,
        lead_in=lead_in,
        switch=switch,
        rest_between=rest_between,
        origin=origin,
    )


def _entry(r: _Reader, node: Node, field: str) -> RoutineEntry | None:
    if isinstance(node.value, str):
        ex_id = r.ident(node, field, node.line)
        return RoutineEntry(ex_id, line=node.line) if ex_id else None
    items = r.mapping(node, field, ENTRY_KEYS)
    if items is None:
        return None
    ex_id = r.ident(items.get("exercise"), field + ".exercise", node.line)
    hold = r.number(items.get("hold"), field + ".hold")
    reps = r.number(items.get("reps"), field + ".reps", whole=True, maximum=MAX_COUNT)
    sets = r.number(items.get("sets"), field + ".sets", whole=True, maximum=MAX_COUNT)
    rest = r.number(items.get("rest"), field + ".rest")
    sides = r.choice(items.get("sides"), field + ".sides", Sides, [s.value for s in Sides])
    if ex_id is None:
        return None
    return RoutineEntry(
        exercise=ex_id,
        hold=hold,
        reps=int(reps) if reps else None,
        sets=int(sets) if sets else None,
        rest=rest,
        sides=sides,
        line=node.line,
    )


# --- sources -----------------------------------------------------------------


def _sources(r: _Reader, root: Node) -> list[Source]:
    items = r.mapping(root, "", ("sources",))
    if items is None:
        return []
    list_node = r.required(items, "sources", root)
    if list_node is None or not list_node.is_list:
        if list_node is not None:
            r.error(list_node.line, "sources", "must be a list")
        return []
    sources: list[Source] = []
    for i, node in enumerate(list_node.value):
        field = f"sources[{i}]"
        src = r.mapping(node, field, ("id", "title", "kind", "year"))
        if src is None:
            continue
        sid = r.ident(src.get("id"), field + ".id", node.line)
        title = r.text(src.get("title"), field + ".title", required_line=node.line)
        kind = r.text(src.get("kind"), field + ".kind", required_line=node.line)
        year = r.number(src.get("year"), field + ".year", whole=True, maximum=9999)
        if sid and title and kind:
            sources.append(Source(sid, title, kind, int(year) if year else None))
    return sources


# --- files -------------------------------------------------------------------


@dataclass(frozen=True)
class FileResult:
    """What one file held: at most one of exercise/routine, or sources, plus problems."""

    exercise: Exercise | None = None
    routine: Routine | None = None
    sources: tuple[Source, ...] = ()
    errors: tuple[LoadError, ...] = ()


def load_text(
    data: bytes, file: str, *, bundled: bool = False, kind: str | None = None
) -> FileResult:
    """Read one file's bytes. ``kind`` is "exercise", "routine" or "sources";
    None guesses from the content (a routine lists ``exercises``)."""
    reader = _Reader(file)
    try:
        root = parse(decode(data))
    except YamlProblem as problem:
        return FileResult(errors=(LoadError(file, problem.line, problem.field, problem.message),))
    if root is None:
        return FileResult(errors=(LoadError(file, 1, "file", "is empty"),))
    if not root.is_mapping:
        reader.error(root.line, "file", f"must be a mapping of keys, not {_kind(root.value)}")
        return FileResult(errors=tuple(reader.errors))
    if kind is None:
        keys = root.value.keys()
        kind = "routine" if "exercises" in keys else "sources" if "sources" in keys else "exercise"
    origin = Origin(file, bundled, root.line)
    if kind == "routine":
        routine = _routine(reader, root, origin)
        return FileResult(routine=routine, errors=tuple(reader.errors))
    if kind == "sources":
        sources = _sources(reader, root)
        return FileResult(sources=tuple(sources), errors=tuple(reader.errors))
    exercise = _exercise(reader, root, origin)
    return FileResult(exercise=exercise, errors=tuple(reader.errors))


def load_file(path: Path, *, bundled: bool = False, kind: str | None = None) -> FileResult:
    """Read one file from disk; an unreadable file is one problem, not an exception.

    Only a regular file is read (a FIFO would hang, ``/dev/zero`` never ends),
    and a runaway one is not even read into memory.
    """
    name = str(path)
    try:
        data = read_limited(path, MAX_READ_BYTES)
    except FileProblem as problem:
        return FileResult(errors=(LoadError(name, 1, "file", problem.reason),))
    except OSError as exc:
        return FileResult(errors=(LoadError(name, 1, "file", f"cannot be read ({exc.strerror})"),))
    return load_text(data, name, bundled=bundled, kind=kind)
