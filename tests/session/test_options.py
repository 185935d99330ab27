"""The person's settings shape the plan the same way for every caller."""

from __future__ import annotations

import pytest

from si_timer.config.settings import Settings
from si_timer.library.catalog import Catalog, load_catalog
from si_timer.session.options import plan_for, plan_options
from si_timer.session.plan import Level, PlanOptions, SegmentKind, build_plan


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_default_settings_keep_each_routine_s_own_timing(catalog: Catalog) -> None:
    # ... except time to get there: the first lead-in, and after a change of position.
    assert plan_options(Settings()) == PlanOptions(first_lead_in=15, change_lead_in=20)
    routine = catalog.routine("morning")
    assert plan_for(routine, catalog.exercises, Settings(first_lead_in=0, change_lead_in=0)) == (
        build_plan(routine, catalog.exercises)
    )


def test_settings_become_plan_options() -> None:
    settings = Settings(
        lead_in=20, switch=3, rest_between=40, levels={"figure-4": Level(hold=45.0)}
    )
    assert plan_options(settings) == PlanOptions(
        lead_in=20,
        switch=3,
        rest_between=40,
        levels={"figure-4": Level(hold=45.0)},
        first_lead_in=15,
        change_lead_in=20,
    )


def test_plan_for_uses_the_settings(catalog: Catalog) -> None:
    routine = catalog.routine("morning")
    plan = plan_for(routine, catalog.exercises, Settings(lead_in=20))
    lead_ins = {s.seconds for s in plan.segments if s.kind is SegmentKind.LEAD_IN}
    assert lead_ins == {20}
    assert plan.total_seconds == build_plan(routine, catalog.exercises).total_seconds + 5 * 15
