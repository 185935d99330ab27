"""Turns one YAML file into an Exercise, a Routine or sources, or a list of problems.

Never raises for a bad file: every problem becomes a :class:`LoadError` that
names the file, the line and the field (``morning.yaml:12: exercises[2]:
unknown exercise 'knee-to-chst' (did you mean 'knee-to-chest'?)``).
Cross-file checks (does a routine's exercise exist, is an override inside the
exercise's range) live in :mod:`si_timer.library.catalog`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from si_timer import assets
from si_timer.config.files import FileProblem, read_limited
from si_timer.library.fields import (
    MAX_COUNT,
    FieldReader,
    kind_of,
    suggest,
)
from si_timer.library.limits import MAX_PAUSE
from si_timer.library.model import (
    EXERCISE_SIDES,
    MAX_SHORT_NAME,
    Category,
    Cues,
    Dose,
    DosePart,
    Exercise,
    LoadError,
    Origin,
    Posture,
    Progression,
    Routine,
    RoutineEntry,
    Side,
    SideMeanings,
    Sides,
    Source,
    TempoPhase,
)
from si_timer.library.yamlread import Node, YamlProblem, decode, parse
from si_timer.records import record, replace

MAX_WORK_UNITS = 500  # sets × reps for one side: keeps a typo from planning a month-long session
# Steps in one routine's plan, every tempo phase counted: a plan far beyond any
# real session makes the app slow to start and to record.
MAX_SEGMENTS = 5000
MAX_READ_BYTES = 4 * 1024 * 1024  # past the YAML limit, so that one names the size
# The first line of a routine file the app's editor wrote: its override of a
# bundled routine is the person's intent, not a surprise to point out.
EDITOR_HEADER = "# Made with si-timer's routine editor; you may edit it by hand too."

__all__ = [
    "DOSE_KEYS",
    "EDITOR_HEADER",
    "ENTRY_KEYS",
    "EXERCISE_KEYS",
    "ROUTINE_KEYS",
    "FileResult",
    "bundled_figures",
    "load_file",
    "load_text",
    "suggest",
]

# --- exercises ---------------------------------------------------------------

EXERCISE_KEYS = (
    "id",
    "name",
    "short_name",
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
    "posture",
    "first_side",
    "left",
    "right",
    "both",
    "lead_in",
    "switch",
    "figure",
)
DOSE_KEYS = (
    "hold",
    "reps",
    "sets",
    "rest",
    "relax",
    "tempo",
    "progression",
    "move_in",
    "pace",
    "suggested",
)
PHASE_KEYS = ("name", "seconds", "move")
MAX_MOVE_SECONDS = 600.0  # time to get into position: minutes at most
CUE_KEYS = ("start", "hold")
SIDE_WORDS = ("leg", "side", "arm", "knee", "foot")


def _exercise(r: FieldReader, root: Node, origin: Origin) -> Exercise | None:
    items = r.mapping(root, "", EXERCISE_KEYS)
    if items is None:
        return None
    ex_id = r.ident(items.get("id"), "id", root.line)
    name = r.text(items.get("name"), "name", required_line=root.line)
    short_name = r.text(items.get("short_name"), "short_name")
    if short_name is not None and len(short_name) > MAX_SHORT_NAME:
        r.error(
            items["short_name"].line,
            "short_name",
            f"'{short_name}' is {len(short_name)} characters; keep it to {MAX_SHORT_NAME}",
        )
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
    posture = r.choice(items.get("posture"), "posture", Posture, [p.value for p in Posture])
    first_side, meanings = _sides_meant(r, items, sides)
    lead_in = r.number(items.get("lead_in"), "lead_in", maximum=MAX_MOVE_SECONDS)
    switch = r.number(items.get("switch"), "switch", maximum=MAX_MOVE_SECONDS)
    if switch is not None and sides is Sides.NONE:
        r.error(items["switch"].line, "switch", "needs sides: each or left-right-both")
    figure = _figure(r, items.get("figure"), root.line)
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
        posture=posture,
        first_side=first_side,
        side_meanings=meanings,
        lead_in=lead_in,
        switch=switch,
        short_name=short_name,
        figure=figure,
        origin=origin,
    )


@lru_cache(maxsize=1)
def bundled_figures() -> frozenset[str]:
    """The ids of the bundled exercises that have a figure (``figures/<id>.yaml``): what
    ``figure:`` may name. Read once; the bundled library does not change while running."""
    folder = assets.content_root() / "figures"
    return frozenset(
        f.name.removesuffix(".yaml")
        for f in folder.iterdir()
        if f.name.endswith(".yaml") and f.is_file()
    )


def _figure(r: FieldReader, node: Node | None, parent_line: int) -> str | None:
    """``figure:``, the bundled exercise whose figure to draw."""
    if node is None or node.value is None:
        return None
    figure = r.ident(node, "figure", parent_line)
    if figure is None:
        return None
    known = bundled_figures()
    if figure not in known:
        r.error(
            node.line,
            "figure",
            f"'{figure}' is not a bundled exercise with a figure{suggest(figure, sorted(known))}",
        )
        return None
    return figure


def _sides_meant(
    r: FieldReader, items: dict[str, Node], sides: Sides | None
) -> tuple[Side, SideMeanings]:
    """``first_side`` and what ``left``/``right``/``both`` mean, checked against ``sides``."""
    first = r.choice(items.get("first_side"), "first_side", Side, ("left", "right"))
    texts = {key: r.text(items.get(key), key) for key in ("left", "right", "both")}
    if sides is None:  # `sides` itself is wrong: that is the one problem to report
        return Side.LEFT, SideMeanings()
    if first is not None and sides is Sides.NONE:
        r.error(items["first_side"].line, "first_side", "needs sides: each or left-right-both")
    for key, text in texts.items():
        if text is None:
            continue
        if sides is Sides.NONE:
            r.error(items[key].line, key, "needs sides: each or left-right-both")
        elif key == "both" and sides is not Sides.LEFT_RIGHT_BOTH:
            r.error(items[key].line, key, "needs sides: left-right-both")
    for key, other in (("left", "right"), ("right", "left")):
        given = items.get(other) is not None and items[other].value is not None
        if texts[key] is not None and not given and sides is not Sides.NONE:
            r.error(items[key].line, other, f"is required with {key} (say what each side means)")
    meanings = SideMeanings(texts["left"], texts["right"], texts["both"])
    return first or Side.LEFT, meanings


def _dose(r: FieldReader, node: Node) -> Dose | None:
    items = r.mapping(node, "dose", DOSE_KEYS)
    if items is None:
        return None
    errors_before = len(r.errors)
    hold = r.range(items.get("hold"), "dose.hold")
    reps = r.range(items.get("reps"), "dose.reps", whole=True)
    sets = r.number(items.get("sets"), "dose.sets", whole=True, maximum=MAX_COUNT)
    rest = r.range(items.get("rest"), "dose.rest")
    relax = r.number(items.get("relax"), "dose.relax")
    tempo: list[TempoPhase] = []
    if (tempo_node := items.get("tempo")) is not None and tempo_node.value is not None:
        if not tempo_node.is_list or not tempo_node.value:
            r.error(tempo_node.line, "dose.tempo", "must be a list of phases ({name, seconds})")
        else:
            for i, phase_node in enumerate(tempo_node.value):
                phase = _phase(r, phase_node, f"dose.tempo[{i}]", PHASE_KEYS)
                if phase is not None:
                    tempo.append(phase)
            if tempo and all(phase.move for phase in tempo):
                r.error(tempo_node.line, "dose.tempo", "needs a phase that is not a move")
    move_in = None
    if (move_node := items.get("move_in")) is not None and move_node.value is not None:
        move_in = _phase(r, move_node, "dose.move_in", ("name", "seconds"))
        if move_in is not None:
            move_in = TempoPhase(move_in.name, move_in.seconds, move=True)
    pace: list[TempoPhase] = []
    if (pace_node := items.get("pace")) is not None and pace_node.value is not None:
        if not pace_node.is_list or not pace_node.value:
            r.error(pace_node.line, "dose.pace", "must be a list of phases ({name, seconds})")
        else:
            for i, phase_node in enumerate(pace_node.value):
                phase = _phase(r, phase_node, f"dose.pace[{i}]", ("name", "seconds"))
                if phase is not None:
                    pace.append(phase)
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
    if move_in is not None and hold is None:
        r.error(
            items["move_in"].line,
            "dose.move_in",
            "needs a dose.hold (a tempo lists its moves as phases with move: true)",
        )
    if pace and (hold is not None or tempo):
        r.error(
            items["pace"].line,
            "dose.pace",
            "is only for self-paced reps (a dose with reps but no hold or tempo)",
        )
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
    dose = Dose(
        hold=hold,
        reps=reps,
        sets=sets_int,
        rest=rest,
        relax=relax,
        tempo=tuple(tempo),
        progression=progression,
        move_in=move_in,
        pace=tuple(pace),
    )
    suggested = _suggested(r, items.get("suggested"), dose)
    if suggested is None:
        return None
    return replace(dose, suggested_parts=suggested)


def _phase(r: FieldReader, node: Node, field: str, keys: tuple[str, ...]) -> TempoPhase | None:
    """One ``{name, seconds}`` phase (and ``move`` where ``keys`` allow it)."""
    items = r.mapping(node, field, keys)
    if items is None:
        return None
    name = r.text(items.get("name"), field + ".name", required_line=node.line)
    seconds = r.number(r.required(items, "seconds", node, field + "."), field + ".seconds")
    move = r.boolean(items.get("move"), field + ".move")
    if name is None or seconds is None:
        return None
    return TempoPhase(name, seconds, move=move)


def _suggested(r: FieldReader, node: Node | None, dose: Dose) -> frozenset[DosePart] | None:
    """``suggested``: true (the whole dose is ours), false, or the list of parts that are."""
    if node is None or node.value is None or node.value is False:
        return frozenset()
    if node.value is True:
        return dose.parts()
    if not node.is_list or not node.value:
        r.error(
            node.line,
            "dose.suggested",
            f"must be true, false or a list of parts of the dose, not {kind_of(node.value)}",
        )
        return None
    allowed = [p.value for p in DosePart]
    errors_before = len(r.errors)
    parts: set[DosePart] = set()
    for i, child in enumerate(node.value):
        part = r.choice(child, f"dose.suggested[{i}]", DosePart, allowed)
        if part is not None and part not in dose.parts():
            r.error(child.line, f"dose.suggested[{i}]", f"this dose has no {part.value}")
        elif part is not None:
            parts.add(part)
    return frozenset(parts) if len(r.errors) == errors_before else None


# --- routines ----------------------------------------------------------------

ROUTINE_KEYS = (
    "id",
    "name",
    "description",
    "times_per_day",
    "lead_in",
    "switch",
    "rest_between",
    "before_you_start",
    "after_you_finish",
    "exercises",
)
ENTRY_KEYS = (
    "exercise",
    "hold",
    "reps",
    "sets",
    "rest",
    "sides",
    "lead_in",
    "switch",
    "prescribed",
)


def _pause(r: FieldReader, node: Node | None, field: str) -> float | None:
    """Pauses between segments may be 0 (skip them); doses may not. None: not given
    (or wrong, with the problem recorded)."""
    if node is None or node.value is None:
        return None
    if node.value == 0 and not isinstance(node.value, bool):
        return 0.0
    if isinstance(node.value, int | float) and not isinstance(node.value, bool) and node.value < 0:
        r.error(node.line, field, f"must be 0 or more seconds, not {node.value}")
        return None
    return r.number(node, field, maximum=MAX_PAUSE)


def _zero_ok(r: FieldReader, node: Node | None, field: str, default: float) -> float:
    value = _pause(r, node, field)
    return default if value is None else value


def _routine(r: FieldReader, root: Node, origin: Origin) -> Routine | None:
    items = r.mapping(root, "", ROUTINE_KEYS)
    if items is None:
        return None
    rt_id = r.ident(items.get("id"), "id", root.line)
    name = r.text(items.get("name"), "name", required_line=root.line)
    short_name = r.text(items.get("short_name"), "short_name")
    if short_name is not None and len(short_name) > MAX_SHORT_NAME:
        r.error(
            items["short_name"].line,
            "short_name",
            f"'{short_name}' is {len(short_name)} characters; keep it to {MAX_SHORT_NAME}",
        )
    description = r.text(items.get("description"), "description") or ""
    before = r.text(items.get("before_you_start"), "before_you_start") or ""
    after = r.text(items.get("after_you_finish"), "after_you_finish") or ""
    tpd = r.number(items.get("times_per_day"), "times_per_day", whole=True, maximum=12)
    lead_in = _zero_ok(r, items.get("lead_in"), "lead_in", 5.0)
    switch = _zero_ok(r, items.get("switch"), "switch", 5.0)
    rest_between = _zero_ok(r, items.get("rest_between"), "rest_between", 10.0)
    entries: list[RoutineEntry] = []
    list_node = r.required(items, "exercises", root)
    if list_node is not None:
        if not list_node.is_list:
            r.error(list_node.line, "exercises", f"must be a list, not {kind_of(list_node.value)}")
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
        before_you_start=before,
        after_you_finish=after,
        origin=origin,
    )


def _entry(r: FieldReader, node: Node, field: str) -> RoutineEntry | None:
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
    lead_in = _pause(r, items.get("lead_in"), field + ".lead_in")
    switch = _pause(r, items.get("switch"), field + ".switch")
    prescribed = r.boolean(items.get("prescribed"), field + ".prescribed")
    if ex_id is None:
        return None
    return RoutineEntry(
        exercise=ex_id,
        hold=hold,
        reps=int(reps) if reps else None,
        sets=int(sets) if sets else None,
        rest=rest,
        sides=sides,
        lead_in=lead_in,
        switch=switch,
        prescribed=prescribed,
        line=node.line,
    )


# --- sources -----------------------------------------------------------------


def _sources(r: FieldReader, root: Node) -> list[Source]:
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


@record(frozen=True)
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
    reader = FieldReader(file)
    try:
        text = decode(data)
        root = parse(text)
    except YamlProblem as problem:
        return FileResult(errors=(LoadError(file, problem.line, problem.field, problem.message),))
    if root is None:
        return FileResult(errors=(LoadError(file, 1, "file", "is empty"),))
    if not root.is_mapping:
        reader.error(root.line, "file", f"must be a mapping of keys, not {kind_of(root.value)}")
        return FileResult(errors=tuple(reader.errors))
    if kind is None:
        keys = root.value.keys()
        kind = "routine" if "exercises" in keys else "sources" if "sources" in keys else "exercise"
    by_editor = text.startswith(EDITOR_HEADER + "\n")
    origin = Origin(file, bundled, root.line, by_editor=by_editor)
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
