"""Reading plan snapshots, forgivingly."""

from __future__ import annotations

import sqlite3

from si_timer.history.migrations import migrate
from si_timer.history.plan import canonical_text, plan_facts, pretty_id, store_plan
from tests.helpers.history_factories import make_plan


def test_facts_of_a_real_plan() -> None:
    facts = plan_facts("morning", make_plan("morning"))
    assert facts.routine_name == "Morning stretches"
    assert facts.goal_per_day == 2
    # 3 knee-to-chest + 2 figure-4 + 1 cat-cow + 2 lunge + 2 hamstring holds/sets
    assert facts.segments_total == 10
    assert facts.exercise_names["knee-to-chest"] == "Knee-to-chest stretch"


def test_a_phase_name_is_not_the_exercise_name() -> None:
    facts = plan_facts("strength", make_plan("strength"))
    assert facts.exercise_names["pelvic-tilt"] == "Pelvic tilt"  # not "Tighten"
    assert facts.goal_per_day == 1  # times_per_day: null
    # Without a "phase" key, a paced rep's "name" may be the phase's: not trusted.
    plan = {"segments": [{"kind": "phase", "exercise": "pelvic-tilt", "name": "Tighten"}]}
    assert plan_facts("x", plan).exercise_names == {"pelvic-tilt": "Pelvic tilt"}
    # The engine's own shape: "name" is the exercise, "phase" the phase.
    engine = {"segments": [{"kind": "phase", "exercise": "pt", "name": "Tilt", "phase": "Tighten"}]}
    assert plan_facts("x", engine).exercise_names == {"pt": "Tilt"}
    explicit = {"segments": [{"kind": "phase", "exercise": "p", "exercise_name": "Pelvic tilt"}]}
    assert plan_facts("x", explicit).exercise_names == {"p": "Pelvic tilt"}


def test_a_broken_snapshot_still_gives_facts() -> None:
    facts = plan_facts("evening-walk", {"name": "", "times_per_day": "2", "segments": "x"})
    assert (facts.routine_name, facts.goal_per_day, facts.segments_total) == ("Evening walk", 1, 0)
    assert plan_facts("r", {"times_per_day": True}).goal_per_day == 1
    assert pretty_id("knee_to-chest") == "Knee to chest"


def test_equal_plans_are_stored_once() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    migrate(conn)
    a = make_plan("morning")
    b = dict(reversed(list(make_plan("morning").items())))  # same plan, other key order
    assert canonical_text(a) == canonical_text(b)
    assert store_plan(conn, a) == store_plan(conn, b)
    assert store_plan(conn, make_plan("strength")) != store_plan(conn, a)
    assert conn.execute("SELECT COUNT(*) FROM plans").fetchone() == (2,)
