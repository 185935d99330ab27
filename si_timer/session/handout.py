"""What a printed handout of a routine says: each exercise as this person runs it, the
warning signs, and where each exercise comes from.

The handout is for the mat and for a physiotherapist, so its doses and sides are
the plan's (the routine's choices and the person's levels, through the same
:func:`~si_timer.session.plan.build_plan` a session runs), and the guide's range is
given beside them when they differ.  Words come from the shared helpers
(:func:`~si_timer.words.dose_text`, :func:`~si_timer.session.cues.side_name`), so
the paper and the screen say the same thing.  No Qt: the PDF is drawn elsewhere.
"""

from __future__ import annotations

from datetime import date

from si_timer.figures.loader import figure_for
from si_timer.figures.pose import HOLD, START
from si_timer.library.catalog import Catalog
from si_timer.library.model import Dose, DoseMode, Exercise, Range, Routine, RoutineEntry, Side
from si_timer.library.safety import SafetyGuide
from si_timer.records import record, replace
from si_timer.session.cues import side_name
from si_timer.session.plan import Plan, PlanOptions, Segment, SegmentKind, build_plan
from si_timer.words import dose_text, long_date_text, minutes_text

MAX_SHOTS = 2  # figures per exercise: a handout row stays one figure tall
SUGGESTED_MARK = "*"
SUGGESTED_NOTE = (
    f"{SUGGESTED_MARK} Part of this dose is si-timer's own suggestion where the guide "
    "gives none (the app's exercise list says which part)."
)


@record(frozen=True)
class Shot:
    """One figure to draw: the pose ``pose_to``, with arrows for the way from ``pose_from``;
    ``label`` names it when an exercise shows more than one ("Hold cat")."""

    pose_from: str
    pose_to: str
    label: str = ""


@record(frozen=True)
class HandoutExercise:
    """One exercise of the routine, as it is printed."""

    number: int
    exercise: Exercise
    where: str  # "Lying on your back · mat"
    dose: str  # what this person does: "Hold 20 s · 1 rep"
    guide_dose: str  # the guide's range when it differs ("Hold 20-60 s · 1 rep"), else ""
    suggested: bool  # part of the dose is si-timer's, not the guide's
    sides: str  # "Left leg, then right leg"; "" for an exercise without sides
    side: Side  # the side the figure shows
    shown: str  # which side the figure shows: "Left leg shown"; "" without sides
    shots: tuple[Shot, ...]
    steps: tuple[str, ...]
    cautions: tuple[str, ...]  # the exercise's own; the shared pain rule is printed once
    source: str  # the full citation

    @property
    def name(self) -> str:
        return self.exercise.name


@record(frozen=True)
class Handout:
    """Everything one handout prints, top to bottom."""

    title: str
    facts: str  # "5 exercises · about 6 min · twice a day · you need: mat, doorway"
    description: str
    before_you_start: str
    principles: tuple[str, ...]  # how to go about it; they include the pain rule
    exercises: tuple[HandoutExercise, ...]
    warning_intro: str
    warning_signs: tuple[str, ...]
    disclaimer: str
    footer: str  # "SI Timer · Morning stretches · 1 December 2026"

    @property
    def suggested_note(self) -> str:
        """The footnote for the doses marked as si-timer's, when any is."""
        return SUGGESTED_NOTE if any(ex.suggested for ex in self.exercises) else ""


def times_per_day_text(times: int | None) -> str:
    """ "once a day", "twice a day", "3 times a day"; "" when the routine does not say."""
    if not times:
        return ""
    return {1: "once a day", 2: "twice a day"}.get(times, f"{times} times a day")


def sides_text(order: tuple[Side, ...], word: str, *, alternate: bool) -> str:
    """ "Left leg, then right leg, then both legs", "Left leg and right leg in turn",
    "Right leg only"; "" for no sides."""
    names = [side_name(side, word) for side in order if side is not Side.NONE]
    if not names:
        return ""
    if len(names) == 1:
        return f"{names[0]} only" if order[0] is not Side.BOTH else names[0]
    rest = [n[0].lower() + n[1:] for n in names[1:]]
    if alternate:
        return f"{names[0]} and {' and '.join(rest)} in turn"
    return ", then ".join([names[0], *rest])


def shots_for(exercise: Exercise) -> tuple[Shot, ...]:
    """The figures that explain an exercise: for paced reps, the shapes it is held in
    (cat, then cow); otherwise its hold (or first shape), with the arrow of the move."""
    figure = figure_for(exercise)
    dose = exercise.dose
    if dose.mode is DoseMode.TEMPO:
        shots: list[Shot] = []
        previous = START
        seen = []
        for phase in dose.tempo:
            if phase.move or phase.name not in figure.poses:
                continue
            pose = figure.pose(phase.name)
            if pose not in seen:
                seen.append(pose)
                shots.append(Shot(previous, phase.name, phase.name))
            previous = phase.name
        if len(shots) > 1:
            return tuple(shots[:MAX_SHOTS])
    if HOLD in figure.poses:
        return (Shot(START, HOLD),)
    later = [name for name in figure.poses if name != START]
    return (Shot(START, later[0] if later else START),)


def _work_sides(segments: tuple[Segment, ...]) -> tuple[Side, ...]:
    return tuple(dict.fromkeys(seg.side for seg in segments if seg.is_work))


def chosen_dose(exercise: Exercise, segments: tuple[Segment, ...]) -> Dose:
    """The dose one entry's segments run, as single values (what the person does)."""
    dose = exercise.dose
    work = [seg for seg in segments if seg.is_work]
    holds = [seg.seconds for seg in work if seg.kind is SegmentKind.HOLD and seg.seconds]
    rests = [
        seg.seconds
        for seg in segments
        if seg.kind is SegmentKind.REST and not seg.is_relax and seg.seconds
    ]
    reps = work[0].reps if work and work[0].reps else 1
    sets = work[0].sets if work else dose.sets

    def single(value: float | None) -> Range | None:
        return Range(value, value) if value is not None else None

    return replace(
        dose,
        hold=single(holds[0]) if holds else None,
        reps=single(reps) if dose.reps is not None or reps > 1 else None,
        sets=sets,
        rest=single(rests[0]) if rests else None,
        progression=None,
    )


def guide_dose_text(dose: Dose) -> str:
    """The guide's dose with its ranges, and where it builds up to."""
    text = dose_text(dose)
    if dose.progression is not None and dose.progression.hold is not None:
        text += f", building to {dose.progression.hold} s"
    return text


def handout_exercise(
    number: int,
    exercise: Exercise,
    segments: tuple[Segment, ...],
    catalog: Catalog,
    pain_rule: str,
) -> HandoutExercise:
    order = _work_sides(segments) or exercise.side_order()
    side = order[0]
    dose = dose_text(chosen_dose(exercise, segments))
    guide = guide_dose_text(exercise.dose)
    where = " · ".join([exercise.position, *dict.fromkeys(exercise.equipment)])
    shown = f"{side_name(side, exercise.side_word)} shown" if side is not Side.NONE else ""
    return HandoutExercise(
        number=number,
        exercise=exercise,
        where=where,
        dose=dose,
        guide_dose="" if guide == dose else guide,
        suggested=exercise.dose.suggested,
        sides=sides_text(order, exercise.side_word, alternate=exercise.alternate),
        side=side,
        shown=shown,
        shots=shots_for(exercise),
        steps=exercise.steps,
        cautions=tuple(c for c in exercise.cautions if c != pain_rule),
        source=catalog.source_title(exercise.source),
    )


def entry_segments(
    routine: Routine, entry: RoutineEntry, catalog: Catalog, options: PlanOptions
) -> tuple[Segment, ...]:
    """The segments one entry runs, planned alone with the person's options."""
    alone = replace(routine, entries=(entry,))
    return build_plan(alone, catalog.exercises, options).segments


def build_handout(
    routine: Routine,
    catalog: Catalog,
    plan: Plan,
    options: PlanOptions,
    safety: SafetyGuide,
    today: date,
    app_name: str,
) -> Handout:
    """The handout of ``routine``; ``plan`` is the whole routine's (for its length),
    ``options`` the person's (for each exercise's dose)."""
    items = tuple(
        handout_exercise(
            number,
            catalog.exercises[entry.exercise],
            entry_segments(routine, entry, catalog, options),
            catalog,
            safety.pain_rule,
        )
        for number, entry in enumerate(routine.entries, 1)
    )
    count = len(items)
    facts = [f"{count} exercise{'s' * (count != 1)}", f"about {minutes_text(plan.total_seconds)}"]
    if times := times_per_day_text(routine.times_per_day):
        facts.append(times)
    if needs := routine.equipment(catalog.exercises):
        facts.append("you need: " + ", ".join(needs))
    return Handout(
        title=routine.name,
        facts=" · ".join(facts),
        description=routine.description,
        before_you_start=routine.before_you_start,
        principles=safety.principles,
        exercises=items,
        warning_intro=safety.see_intro,
        warning_signs=safety.warning_signs,
        disclaimer=safety.disclaimer,
        footer=f"{app_name} · {routine.name} · {long_date_text(today)}",
    )
