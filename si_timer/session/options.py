"""From the person's settings to a plan: the one place settings change a routine's timing.

The command line and the app both build plans through :func:`plan_for`, so a
routine shows the same lead-in and total wherever it is looked at.
"""

from __future__ import annotations

from collections.abc import Mapping

from si_timer.config.settings import Settings
from si_timer.library.model import Exercise, Routine
from si_timer.records import replace
from si_timer.session.cues import teaching_lead_ins
from si_timer.session.plan import Plan, PlanOptions, build_plan
from si_timer.session.verbosity import Verbosity


def plan_options(settings: Settings) -> PlanOptions:
    """The timing choices in ``settings`` (None: each routine's own) and the chosen holds."""
    return PlanOptions(
        lead_in=settings.lead_in,
        switch=settings.switch,
        rest_between=settings.rest_between,
        levels=dict(settings.levels),
        first_lead_in=settings.first_lead_in,
        change_lead_in=settings.change_lead_in,
    )


def plan_for(
    routine: Routine,
    exercises: Mapping[str, Exercise],
    settings: Settings,
    *,
    rate: float = 0.0,
) -> Plan:
    """The plan of ``routine`` as this person will run it.

    At the teach level, a lead-in with no rest before it long enough to teach
    in grows to fit the steps (``rate`` is the voice's, for the estimate).
    Exercises taught because they are new to the person (at the coach level)
    keep the routine's timing, so a plan does not depend on the history, and
    are taught in the time there is.
    """
    options = plan_options(settings)
    plan = build_plan(routine, exercises, options)
    verbosity = settings.verbosity if settings.voice else Verbosity.OFF
    lead_ins = teaching_lead_ins(plan, exercises, verbosity, rate=rate)
    if not lead_ins:
        return plan
    return build_plan(routine, exercises, replace(options, lead_ins=lead_ins))
