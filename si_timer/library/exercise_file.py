"""Writes an exercise as the YAML a person would write by hand, and saves it in their folder.

What is written always loads back through :mod:`si_timer.library.loader` to an equal
:class:`Exercise` (a test holds every bundled exercise and random ones to that), so the
app's exercise form and a text editor make the same files. Only keys that differ from
their defaults are written, in the order the library's own files use.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import yaml

from si_timer.config.files import write_private
from si_timer.config.paths import ensure_dir
from si_timer.library.fields import new_id
from si_timer.library.model import (
    Dose,
    DosePart,
    Exercise,
    Range,
    Side,
    TempoPhase,
)

__all__ = ["exercise_yaml", "new_exercise_id", "save_exercise"]

HEADER = (
    "# An exercise of your own, saved by si-timer. Change it in the app (Exercises, Edit)\n"
    "# or here; `si-timer validate FILE` checks it.\n"
)
_WIDTH = 1_000_000  # never fold a line: a step stays one line in the file


def exercise_yaml(exercise: Exercise) -> str:
    """The exercise as readable YAML: required keys, then only what is not a default."""
    ex = exercise
    lines = [
        HEADER,
        f"id: {_scalar(ex.id)}\n",
        f"name: {_scalar(ex.name)}\n",
    ]
    if ex.short_name is not None:
        lines.append(f"short_name: {_scalar(ex.short_name)}\n")
    lines.append(f"category: {ex.category.value}\n")
    lines.append(f"position: {_scalar(ex.position)}\n")
    if ex.posture is not None:
        lines.append(f"posture: {ex.posture.value}\n")
    if ex.equipment:
        lines.append(f"equipment: {_flow_list(ex.equipment)}\n")
    lines.append(f"source: {_scalar(ex.source)}\n")
    lines.append(f"sides: {ex.sides.value}\n")
    if ex.alternate:
        lines.append("alternate: true\n")
    if ex.side_word != "leg":
        lines.append(f"side_word: {_scalar(ex.side_word)}\n")
    if ex.first_side is not Side.LEFT:
        lines.append(f"first_side: {ex.first_side.value}\n")
    for key, meaning in (
        ("left", ex.side_meanings.left),
        ("right", ex.side_meanings.right),
        ("both", ex.side_meanings.both),
    ):
        if meaning is not None:
            lines.append(f"{key}: {_scalar(meaning)}\n")
    if ex.lead_in is not None:
        lines.append(f"lead_in: {_number(ex.lead_in)}\n")
    if ex.switch is not None:
        lines.append(f"switch: {_number(ex.switch)}\n")
    if ex.figure is not None:
        lines.append(f"figure: {_scalar(ex.figure)}\n")
    lines.append("dose:\n")
    lines.extend(f"  {line}\n" for line in _dose_lines(ex.dose))
    lines.append(_block_list("steps", ex.steps))
    if ex.cues.start is not None or ex.cues.hold is not None:
        lines.append("cues:\n")
        if ex.cues.start is not None:
            lines.append(f"  start: {_scalar(ex.cues.start)}\n")
        if ex.cues.hold is not None:
            lines.append(f"  hold: {_scalar(ex.cues.hold)}\n")
    if ex.cautions:
        lines.append(_block_list("cautions", ex.cautions))
    return "".join(lines)


def save_exercise(exercise: Exercise, folder: Path, *, replacing: Path | None = None) -> Path:
    """Write ``exercise`` to ``folder/<id>.yaml`` atomically (a crash leaves the old file
    or the new one, never half of one) and return the path. ``folder`` is the person's
    exercises folder (:attr:`AppPaths.user_exercises_dir`); it is made if missing.

    ``replacing``: the file an edited exercise was read from; when it lies in ``folder``
    it is written in place, so a hand-named ``hip.yml`` does not gain a twin."""
    ensure_dir(folder)
    path = folder / f"{exercise.id}.yaml"
    if replacing is not None and replacing.parent.resolve() == folder.resolve():
        path = replacing
    write_private(path, exercise_yaml(exercise))
    return path


def new_exercise_id(name: str, taken: Collection[str]) -> str:
    """An id for a new exercise from its name ("My hip stretch" → ``my-hip-stretch``),
    never one in ``taken`` (which should hold the bundled ids too: a person's file with
    a bundled id would replace that exercise)."""
    return new_id(name, taken, "my-exercise")


# --- the dose ----------------------------------------------------------------


def _dose_lines(dose: Dose) -> list[str]:
    lines: list[str] = []
    if dose.hold is not None:
        lines.append(f"hold: {_range(dose.hold)}")
    if dose.reps is not None:
        lines.append(f"reps: {_range(dose.reps)}")
    if dose.sets != 1:
        lines.append(f"sets: {dose.sets}")
    if dose.rest is not None:
        lines.append(f"rest: {_range(dose.rest)}")
    if dose.relax is not None:
        lines.append(f"relax: {_number(dose.relax)}")
    if dose.tempo:
        lines.append("tempo:")
        lines.extend(f"  - {_phase(phase, with_move=True)}" for phase in dose.tempo)
    if dose.move_in is not None:
        lines.append(f"move_in: {_phase(dose.move_in, with_move=False)}")
    if dose.pace:
        lines.append("pace:")
        lines.extend(f"  - {_phase(phase, with_move=False)}" for phase in dose.pace)
    if dose.progression is not None:
        lines.append("progression:")
        if dose.progression.hold is not None:
            lines.append(f"  hold: {_range(dose.progression.hold)}")
        if dose.progression.reps is not None:
            lines.append(f"  reps: {_range(dose.progression.reps)}")
    if dose.suggested_parts:
        parts = [part.value for part in DosePart if part in dose.suggested_parts]
        lines.append(f"suggested: [{', '.join(parts)}]")
    return lines


def _phase(phase: TempoPhase, *, with_move: bool) -> str:
    move = ", move: true" if with_move and phase.move else ""
    return f"{{name: {_in_flow(phase.name)}, seconds: {_number(phase.seconds)}{move}}}"


def _range(value: Range) -> str:
    if value.is_single:
        return _number(value.min)
    return f"{{min: {_number(value.min)}, max: {_number(value.max)}}}"


# --- scalars -----------------------------------------------------------------


def _number(value: float) -> str:
    """20, not 20.0; 2.5 as 2.5 (Python's shortest repr reads back exactly)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _scalar(text: str) -> str:
    """A text value in block context, plain where YAML allows it, quoted where it must be
    ("Cat: tuck your chin" needs quotes, "yes" must not turn into true)."""
    if not text.isprintable():  # a newline or a control character: escaped, on one line
        return _dump(text, style='"')
    return _dump(text).removesuffix("\n...")


def _in_flow(text: str) -> str:
    """A text value inside ``[...]`` or ``{...}``, where a comma also needs quotes."""
    if not text.isprintable():
        return _dump(text, style='"')
    return _dump([text], flow=True)[1:-1]


def _flow_list(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(_in_flow(item) for item in items) + "]"


def _block_list(key: str, items: tuple[str, ...]) -> str:
    if not items:
        return f"{key}: []\n"
    return f"{key}:\n" + "".join(f"  - {_scalar(item)}\n" for item in items)


def _dump(value: object, *, style: str | None = None, flow: bool = False) -> str:
    text = yaml.safe_dump(
        value,
        default_style=style,
        default_flow_style=flow,
        allow_unicode=True,
        width=_WIDTH,
        sort_keys=False,
    )
    return text.rstrip("\n")
