"""The person's settings applied to a routine: the one rule the CLI and the app share."""

from __future__ import annotations

from collections.abc import Mapping

from si_timer.config.settings import Settings
from si_timer.library.model import Exercise, Routine
from si_timer.session.plan import Level, Plan, PlanOptions, build_plan


def plan_options(settings: Settings) -> PlanOptions:
    levels = {ex_id: Level(hold=hold) for ex_id, hold in settings.levels.items()}
    return PlanOptions(
        lead_in=settings.lead_in,
        switch=settings.switch,
        rest_between=settings.rest_between,
        levels=levels,
    )


def plan_for(routine: Routine, exercises: Mapping[str, Exercise], settings: Settings) -> Plan:
    return build_plan(routine, exercises, plan_options(settings))
