"""A handout says what a session runs: the plan's doses and sides, the guide's ranges
beside them, the right figures, and the warning signs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from si_timer.library.catalog import Catalog, load_catalog
from si_timer.library.model import Routine, RoutineEntry, Side, Sides
from si_timer.library.safety import load_safety
from si_timer.records import replace
from si_timer.session.handout import (
    SUGGESTED_NOTE,
    Handout,
    Shot,
    build_handout,
    shots_for,
    sides_text,
    times_per_day_text,
)
from si_timer.session.plan import Level, PlanOptions, build_plan
from si_timer.words import dose_text, minutes_text

TODAY = date(2026, 12, 1)
MY_CLAM = """\
id: my-clam
name: Clamshell
category: strength
position: Lying on your side, knees bent
posture: side
source: my physiotherapist
sides: each
steps:
  - Lie on your side with your knees bent.
  - Keep your feet together and lift the top knee.
dose:
  reps: {min: 10, max: 15}
"""


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def handout(routine: Routine, catalog: Catalog, options: PlanOptions | None = None) -> Handout:
    options = options or PlanOptions()
    plan = build_plan(routine, catalog.exercises, options)
    return build_handout(routine, catalog, plan, options, load_safety(), TODAY, "SI Timer")


def test_every_bundled_routine_lists_its_exercises_in_order_with_steps_and_sources(
    catalog: Catalog,
) -> None:
    for routine in catalog.routines.values():
        out = handout(routine, catalog)
        assert [item.exercise.id for item in out.exercises] == [e.exercise for e in routine.entries]
        assert [item.number for item in out.exercises] == list(range(1, len(routine.entries) + 1))
        for item in out.exercises:
            assert item.steps == item.exercise.steps
            assert item.source == catalog.source_title(item.exercise.source)
            assert item.shots, item.exercise.id
            assert item.dose
        assert out.title == routine.name
        assert out.footer == f"SI Timer · {routine.name} · 1 December 2026"
        assert out.warning_signs == load_safety().warning_signs


def test_the_morning_handout_says_what_the_session_does(catalog: Catalog) -> None:
    morning = catalog.routine("morning")
    out = handout(morning, catalog)
    minutes = minutes_text(build_plan(morning, catalog.exercises).total_seconds)
    assert out.facts == f"5 exercises · about {minutes} · twice a day · you need: mat, doorway"
    knee, _, cat_cow, _, doorway = out.exercises
    assert knee.dose == "Hold 20 s · 1 rep"
    assert knee.guide_dose == ""  # the guide gives one value: nothing to add
    assert knee.sides == "Left leg, then right leg, then both legs"
    assert knee.shown == "Left leg shown"
    assert doorway.dose == "Hold 20 s · 1 rep"  # the easy end of the range, as planned
    assert doorway.guide_dose == "Hold 20-60 s · 1 rep"
    assert cat_cow.sides == ""
    assert cat_cow.shown == ""
    assert cat_cow.suggested
    assert out.suggested_note == SUGGESTED_NOTE
    assert cat_cow.dose == dose_text(cat_cow.exercise.dose)


def test_the_persons_levels_and_the_routines_choices_change_the_printed_dose(
    catalog: Catalog,
) -> None:
    morning = catalog.routine("morning")
    options = PlanOptions(levels={"doorway-hamstring": Level(hold=45)})
    assert handout(morning, catalog, options).exercises[4].dose == "Hold 45 s · 1 rep"
    one_side = replace(
        morning, entries=(RoutineEntry("seated-hamstring", hold=25, sides=Sides.RIGHT),)
    )
    (hamstring,) = handout(one_side, catalog).exercises
    assert hamstring.dose == "Hold 25 s · 5 reps"
    assert hamstring.guide_dose == "Hold 15-30 s · 5 reps"
    assert hamstring.sides == "Right leg only"
    assert (hamstring.side, hamstring.shown) == (Side.RIGHT, "Right leg shown")


def test_sets_and_rest_come_from_the_plan(catalog: Catalog) -> None:
    bridge = handout(catalog.routine("core-strength"), catalog).exercises[1]
    assert bridge.exercise.id == "glute-bridge"
    assert bridge.dose == "Hold 5 s · 1 rep · 3 sets, rest 90 s"
    assert bridge.guide_dose == "Hold 5-10 s · 1 rep · 3 sets, rest 60-90 s"


def test_a_progression_is_named_beside_the_guides_dose(catalog: Catalog) -> None:
    targeted = handout(catalog.routine("targeted-stretches"), catalog)
    press_up = next(i for i in targeted.exercises if i.exercise.id == "press-up")
    assert press_up.guide_dose == "Hold 5 s · 5-10 reps, building to 15-30 s"


def test_the_shared_pain_rule_is_printed_once_not_per_exercise(catalog: Catalog) -> None:
    rule = load_safety().pain_rule
    out = handout(catalog.routine("full"), catalog)
    assert any(rule in p for p in out.principles)
    for item in out.exercises:
        assert rule not in item.cautions
        assert set(item.cautions) == set(item.exercise.cautions) - {rule}


def test_paced_reps_show_the_shapes_they_hold_and_holds_show_their_move(
    catalog: Catalog,
) -> None:
    assert shots_for(catalog.exercise("cat-cow")) == (
        Shot("start", "Hold cat", "Hold cat"),
        Shot("Hold cat", "Hold cow", "Hold cow"),
    )
    assert shots_for(catalog.exercise("knee-to-chest")) == (Shot("start", "hold"),)
    pelvic = shots_for(catalog.exercise("pelvic-rotation"))
    assert [s.pose_to for s in pelvic] == ["Foot out, press outside", "Foot in, press inside"]


@pytest.mark.parametrize(
    ("order", "alternate", "text"),
    [
        ((Side.NONE,), False, ""),
        ((Side.LEFT, Side.RIGHT), False, "Left leg, then right leg"),
        ((Side.RIGHT, Side.LEFT), True, "Right leg and left leg in turn"),
        ((Side.LEFT,), False, "Left leg only"),
        ((Side.BOTH,), False, "Both legs"),
    ],
)
def test_sides_text(order: tuple[Side, ...], alternate: bool, text: str) -> None:
    assert sides_text(order, "leg", alternate=alternate) == text


@pytest.mark.parametrize(
    ("times", "text"), [(None, ""), (1, "once a day"), (2, "twice a day"), (3, "3 times a day")]
)
def test_times_per_day_text(times: int | None, text: str) -> None:
    assert times_per_day_text(times) == text


def test_a_persons_own_exercise_prints_with_its_own_source_and_a_neutral_figure(
    tmp_path: Path,
) -> None:
    exercises, routines = tmp_path / "exercises", tmp_path / "routines"
    exercises.mkdir()
    routines.mkdir()
    (exercises / "my-clam.yaml").write_text(MY_CLAM)
    (routines / "mine.yaml").write_text(
        "id: mine\nname: My physio's routine\nexercises:\n  - my-clam\n  - glute-bridge\n"
    )
    catalog = load_catalog(exercises, routines)
    assert not catalog.errors
    clam, bridge = handout(catalog.routine("mine"), catalog).exercises
    assert clam.source == "my physiotherapist"
    assert clam.dose == "At your own pace · 10 reps"
    assert clam.guide_dose == "At your own pace · 10-15 reps"
    assert clam.sides == "Left leg, then right leg"
    assert len(clam.shots) == 1  # the position's neutral figure
    assert bridge.source == catalog.source_title("a")
