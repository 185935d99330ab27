"""Progression: holds move one step inside the range, never past it."""

from __future__ import annotations

import pytest

from si_timer.history.model import Difficulty
from si_timer.library.catalog import Catalog, load_catalog
from si_timer.session.plan import Level, PlanOptions, SegmentKind, build_plan
from si_timer.session.progression import adjust_levels


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_too_easy_lengthens_ranged_holds_only(catalog: Catalog) -> None:
    ids = ["knee-to-chest", "glute-bridge", "wall-sit", "pelvic-tilt"]
    levels, changes = adjust_levels({}, ids, catalog.exercises, Difficulty.TOO_EASY)
    # Knee-to-chest is a fixed 20 s and pelvic tilt is paced: only the ranges move.
    assert levels == {"glute-bridge": 7.0, "wall-sit": 38.0}
    assert changes == ["Glute bridge: 7 s holds (longer)", "Wall sit: 38 s holds (longer)"]


def test_steps_stop_at_the_top_and_the_bottom(catalog: Catalog) -> None:
    levels: dict[str, float] = {}
    for _ in range(10):
        levels, _ = adjust_levels(levels, ["glute-bridge"], catalog.exercises, Difficulty.TOO_EASY)
    assert levels["glute-bridge"] == 10.0
    levels, changes = adjust_levels(
        levels, ["glute-bridge"], catalog.exercises, Difficulty.TOO_EASY
    )
    assert changes == []
    for _ in range(10):
        levels, _ = adjust_levels(levels, ["glute-bridge"], catalog.exercises, Difficulty.TOO_HARD)
    assert levels["glute-bridge"] == 5.0


def test_a_progression_target_is_reachable(catalog: Catalog) -> None:
    """Hip adductor starts at 5-10 s and builds up to 15-30 s."""
    levels: dict[str, float] = {}
    for _ in range(20):
        levels, _ = adjust_levels(levels, ["hip-adductor"], catalog.exercises, Difficulty.TOO_EASY)
    assert levels["hip-adductor"] == 30.0


def test_about_right_changes_nothing(catalog: Catalog) -> None:
    assert adjust_levels(
        {"wall-sit": 40.0}, ["wall-sit"], catalog.exercises, Difficulty.ABOUT_RIGHT
    ) == (
        {"wall-sit": 40.0},
        [],
    )


def test_levels_reach_the_plan(catalog: Catalog) -> None:
    options = PlanOptions(levels={"glute-bridge": Level(hold=8.0)})
    plan = build_plan(catalog.routine("core-strength"), catalog.exercises, options)
    holds = {
        s.seconds
        for s in plan.segments
        if s.exercise_id == "glute-bridge" and s.kind is SegmentKind.HOLD
    }
    assert holds == {8.0}
