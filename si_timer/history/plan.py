"""Plan snapshots: stored once per distinct plan, and what history reads from
them (the routine's name, its daily goal, how many work segments it has and the
names of its exercises).

The snapshot is whatever the player sent; it is stored whole, and this module
is forgiving about it (a missing name falls back to the id) because an old
snapshot must never stop history from opening.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from si_timer.digest import sha256_hex
from si_timer.history.model import WORK_KINDS
from si_timer.records import record

# Segment kinds whose "name" is the exercise's name rather than a phase's.
_NAMED_KINDS = ("hold", "manual")


@record(frozen=True)
class PlanFacts:
    routine_name: str
    goal_per_day: int  # at least 1
    segments_total: int  # work segments in the plan
    exercise_names: dict[str, str]


def pretty_id(identifier: str) -> str:
    """``"knee-to-chest"`` -> ``"Knee to chest"``: a readable stand-in for a missing name."""
    words = identifier.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else identifier


def plan_facts(routine_id: str, plan: Mapping[str, Any]) -> PlanFacts:
    name = plan.get("name")
    routine_name = name if isinstance(name, str) and name.strip() else pretty_id(routine_id)
    goal = plan.get("times_per_day")
    goal_per_day = goal if isinstance(goal, int) and not isinstance(goal, bool) and goal > 0 else 1
    segments = plan.get("segments")
    seg_list = [s for s in segments if isinstance(s, Mapping)] if isinstance(segments, list) else []
    total = sum(1 for s in seg_list if s.get("kind") in WORK_KINDS)
    names: dict[str, str] = {}
    rank: dict[str, int] = {}
    for seg in seg_list:
        exercise = seg.get("exercise")
        if not isinstance(exercise, str) or not exercise:
            continue
        # An explicit exercise name beats the segment's "name", which beats
        # the id.  The session engine writes the exercise's name as "name"
        # and a tempo phase's as "phase"; a snapshot without "phase" might
        # name a paced rep's phase ("Tighten") there, so only holds and
        # self-paced sets are trusted then.
        explicit, name = seg.get("exercise_name"), seg.get("name")
        trusted = "phase" in seg or seg.get("kind") in _NAMED_KINDS
        if isinstance(explicit, str) and explicit.strip():
            candidate, level = explicit, 3
        elif trusted and isinstance(name, str) and name.strip():
            candidate, level = name, 2
        else:
            candidate, level = pretty_id(exercise), 1
        if level > rank.get(exercise, 0):
            names[exercise], rank[exercise] = candidate, level
    return PlanFacts(routine_name, goal_per_day, total, names)


def canonical_text(plan: Mapping[str, Any]) -> str:
    """The one JSON text of a plan (sorted keys), so equal plans are stored once."""
    return json.dumps(
        plan, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def store_plan(conn: sqlite3.Connection, plan: Mapping[str, Any]) -> int:
    """The ``plans`` row id for ``plan``, adding the plan if it is new."""
    text = canonical_text(plan)
    digest = sha256_hex(text.encode("utf-8"))
    conn.execute(
        "INSERT INTO plans (digest, plan) VALUES (?, ?) ON CONFLICT (digest) DO NOTHING",
        (digest, text),
    )
    (plan_id,) = conn.execute("SELECT id FROM plans WHERE digest = ?", (digest,)).fetchone()
    return int(plan_id)
