"""Doses read back from plan snapshots: the engine's, the tests' and odd ones."""

from __future__ import annotations

import pytest

from si_timer.history.doses import dose_text, plan_doses
from si_timer.library.catalog import load_catalog
from si_timer.session.plan import Level, PlanOptions, build_plan
from tests.helpers.history_factories import make_plan

CATALOG = load_catalog()


def engine_doses(routine: str, options: PlanOptions | None = None) -> dict[str, str]:
    plan = build_plan(CATALOG.routine(routine), CATALOG.exercises, options).to_json()
    return {d.exercise: d.dose for d in plan_doses(plan)}


def test_the_engines_plans_read_as_a_physio_writes_a_dose() -> None:
    doses = engine_doses("full")
    assert doses["glute-bridge"] == "3 sets of 5 s hold, rest 1 min 30 s"
    assert doses["knee-to-chest"] == "20 s hold, left, right, both together"
    assert doses["figure-4"] == "15 s hold, each side"
    assert doses["pelvic-tilt"] == "15 reps of 5 s"
    assert doses["side-lying-leg-raise"] == "15 reps at your own pace, each side"
    assert doses["press-up"] == "5 × 5 s hold"


def test_the_dose_done_is_the_persons_level_not_the_librarys() -> None:
    options = PlanOptions(levels={"glute-bridge": Level(hold=8, rest=60)})
    assert engine_doses("core-strength", options)["glute-bridge"] == (
        "3 sets of 8 s hold, rest 1 min"
    )


def test_names_come_from_the_snapshot_and_every_exercise_once() -> None:
    doses = plan_doses(make_plan("morning"))
    assert [d.name for d in doses] == [
        "Knee-to-chest stretch",
        "Figure-4 stretch",
        "Cat-cow",
        "Standing hip-flexor stretch",
        "Doorway hamstring stretch",
    ]


@pytest.mark.parametrize(
    "plan", [{}, {"segments": "no"}, {"segments": [None, 3, {"kind": "hold"}]}]
)
def test_an_odd_snapshot_gives_no_doses_not_an_error(plan: dict[str, object]) -> None:
    assert plan_doses(plan) == ()


def test_a_segment_without_numbers_still_reads() -> None:
    assert dose_text([{"kind": "hold", "exercise": "x"}]) == "hold"
    assert dose_text([{"kind": "rest", "exercise": "x", "seconds": 5}]) == ""
