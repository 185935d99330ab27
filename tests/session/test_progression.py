"""Progression: one small step at a time per exercise, inside the guide's ranges."""

from __future__ import annotations

import pytest

from si_timer.history.model import Difficulty
from si_timer.library.catalog import Catalog, load_catalog
from si_timer.session.plan import Level, PlanOptions, SegmentKind, build_plan
from si_timer.session.progression import (
    adjust_exercise_levels,
    adjust_levels,
    adjustable,
    progress_text,
    step_level,
)

EASY, RIGHT, HARD = Difficulty.TOO_EASY, Difficulty.ABOUT_RIGHT, Difficulty.TOO_HARD


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def climb(catalog: Catalog, exercise: str, difficulty: Difficulty, times: int) -> list[Level]:
    levels: dict[str, Level] = {}
    seen = []
    for _ in range(times):
        levels, _ = adjust_exercise_levels(levels, {exercise: difficulty}, catalog.exercises)
        seen.append(levels.get(exercise, Level()))
    return seen


def test_too_easy_moves_ranged_doses_only(catalog: Catalog) -> None:
    ids = ["knee-to-chest", "glute-bridge", "wall-sit", "pelvic-tilt", "figure-4"]
    levels, changes = adjust_levels({}, ids, catalog.exercises, EASY)
    # Knee-to-chest (20 s) and figure-4 (15 s) are fixed: only the ranges move.
    assert levels == {
        "glute-bridge": Level(hold=6.0),
        "wall-sit": Level(hold=36.0),
        "pelvic-tilt": Level(reps=17),
    }
    assert changes == [
        "Glute bridge: 6 s holds (were 5 s)",
        "Wall sit: 36 s holds (were 30 s)",
        "Pelvic tilt: 17 reps (were 15)",
    ]
    assert not adjustable(catalog.exercises["knee-to-chest"])
    assert adjustable(catalog.exercises["pelvic-tilt"])


def test_holds_then_rests_one_small_step_at_a_time(catalog: Catalog) -> None:
    """Glute bridge: 5-10 s holds, then the rest between sets from 90 s down to 60 s."""
    steps = climb(catalog, "glute-bridge", EASY, 8)
    assert [(s.hold, s.rest) for s in steps] == [
        (6.0, None),
        (8.0, None),
        (10.0, None),
        (10.0, 75.0),
        (10.0, 60.0),
        (10.0, 60.0),  # the top: nowhere further to go
        (10.0, 60.0),
        (10.0, 60.0),
    ]
    level = steps[-1]
    assert step_level(catalog.exercises["glute-bridge"], level, EASY) is None
    # "Too hard" walks back: the rest first, then the holds, and stops at the start.
    back = []
    stepped = step_level(catalog.exercises["glute-bridge"], level, HARD)
    while stepped is not None:
        back.append((stepped.hold, stepped.rest))
        stepped = step_level(catalog.exercises["glute-bridge"], stepped, HARD)
    assert back == [(10.0, 75.0), (10.0, 90.0), (8.0, 90.0), (6.0, 90.0), (5.0, 90.0)]
    assert step_level(catalog.exercises["glute-bridge"], Level(hold=5.0, rest=90.0), HARD) is None


def test_reps_climb_from_15_to_20(catalog: Catalog) -> None:
    assert [s.reps for s in climb(catalog, "pelvic-tilt", EASY, 4)] == [17, 19, 20, 20]


def test_press_up_grows_in_small_steps_to_its_target(catalog: Catalog) -> None:
    """5 s, building to 15-30 s: never 5 -> 12 in one go."""
    steps = climb(catalog, "press-up", EASY, 14)
    holds = [s.hold for s in steps]
    assert holds[:4] == [6.0, 8.0, 10.0, 12.0]
    assert max(holds) == 30.0
    assert all(b - a <= max(1.0, 0.2 * a) + 1 for a, b in zip([5.0, *holds], holds, strict=False))
    # Then its reps (5-10) start to climb.
    assert steps[-1].reps is not None


def test_about_right_changes_nothing(catalog: Catalog) -> None:
    before = {"wall-sit": Level(hold=40.0)}
    assert adjust_levels(before, ["wall-sit"], catalog.exercises, RIGHT) == (before, [])


def test_each_exercise_moves_by_its_own_rating(catalog: Catalog) -> None:
    levels, changes = adjust_exercise_levels(
        {"wall-sit": Level(hold=40.0)},
        {"wall-sit": HARD, "glute-bridge": EASY, "pelvic-tilt": RIGHT},
        catalog.exercises,
    )
    assert levels == {"wall-sit": Level(hold=33.0), "glute-bridge": Level(hold=6.0)}
    assert len(changes) == 2


def test_levels_reach_the_plan(catalog: Catalog) -> None:
    options = PlanOptions(
        levels={"glute-bridge": Level(hold=8.0, rest=75.0), "pelvic-tilt": Level(reps=19)}
    )
    plan = build_plan(catalog.routine("core-strength"), catalog.exercises, options)
    bridge = [s for s in plan.segments if s.exercise_id == "glute-bridge"]
    assert {s.seconds for s in bridge if s.kind is SegmentKind.HOLD} == {8.0}
    assert {s.seconds for s in bridge if s.kind is SegmentKind.REST} == {75.0}
    assert {s.reps for s in plan.segments if s.exercise_id == "pelvic-tilt"} - {None} == {19}


def test_progress_text_says_where_a_dose_is_going(catalog: Catalog) -> None:
    ex = catalog.exercises
    assert progress_text(ex["press-up"], None) == "today 5 s · building to 15-30 s · " + (
        "today 5 reps · building to 10"
    )
    assert progress_text(ex["hip-adductor"], Level(hold=8.0)) == "today 8 s · building to 15-30 s"
    assert progress_text(ex["pelvic-tilt"], None) == "today 15 reps · building to 20"
    assert progress_text(ex["glute-bridge"], Level(hold=10.0)) is None  # at the top
    assert progress_text(ex["knee-to-chest"], None) is None  # a fixed dose
