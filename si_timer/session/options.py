"""From the person's settings to a plan: the one place settings change a routine's timing.

The command line and the app both build plans through :func:`plan_for`, so a
routine shows the same lead-in and total wherever it is looked at.
"""

from __future__ import annotations

from collections.abc import Mapping

from si_timer.config.settings import Settings
from si_timer.library.model import Exercise, Routine
from si_timer.session.plan import Level, Plan, PlanOptions, build_plan


def plan_options(settings: Settings) -> PlanOptions:
    """The timing choices in ``settings`` (None: each routine's own) and the chosen holds."""
    levels = {ex_id: Level(hold=hold) for ex_id, hold in settings.levels.items()}
    return PlanOptions(
        lead_in=settings.lead_in,
        switch=settings.switch,
        rest_between=settings.rest_between,
        levels=levels,
        first_lead_in=settings.first_lead_in,
        change_lead_in=settings.change_lead_in,
    )


def plan_for(routine: Routine, exercises: Mapping[str, Exercise], settings: Settings) -> Plan:
    """The plan of ``routine`` as this person will run it."""
    return build_plan(routine, exercises, plan_options(settings))
