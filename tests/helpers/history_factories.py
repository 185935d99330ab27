"""Realistic history for tests, the benchmark and the demo: plans shaped like the
session engine's snapshots, and sessions recorded the way the player records them."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from si_timer.history.model import (
    Difficulty,
    Outcome,
    SegmentKind,
    SegmentRecord,
    SessionStatus,
    StoredSegment,
    StoredSession,
)
from si_timer.history.store import HistoryStore


@dataclass(frozen=True)
class _Step:
    kind: str
    exercise: str | None
    name: str
    side: str | None
    seconds: float | None
    set: int | None = None
    rep: int | None = None
    phase: str | None = None


def _hold_each_side(
    exercise: str, name: str, seconds: float, sides: tuple[str, ...]
) -> list[_Step]:
    steps = [_Step("lead_in", exercise, name, None, 5)]
    for i, side in enumerate(sides):
        if i:
            steps.append(_Step("switch", exercise, name, side, 5))
        steps.append(_Step("hold", exercise, name, side, seconds, 1, 1))
    return steps


def morning_steps() -> list[_Step]:
    """The "morning five" from the bundled library, as the engine would cut them."""
    steps: list[_Step] = []
    steps += _hold_each_side(
        "knee-to-chest", "Knee-to-chest stretch", 20, ("left", "right", "both")
    )
    steps.append(_Step("transition", None, "Next: Figure-4", None, 10))
    steps += _hold_each_side("figure-4", "Figure-4 stretch", 15, ("left", "right"))
    steps.append(_Step("transition", None, "Next: Cat-cow", None, 10))
    steps.append(_Step("lead_in", "cat-cow", "Cat-cow", None, 5))
    steps.append(_Step("manual", "cat-cow", "Cat-cow", "none", None, 1, 10))
    steps.append(_Step("transition", None, "Next: Hip-flexor stretch", None, 10))
    steps += _hold_each_side(
        "hip-flexor-lunge", "Standing hip-flexor stretch", 20, ("left", "right")
    )
    steps.append(_Step("transition", None, "Next: Doorway hamstring", None, 10))
    steps += _hold_each_side(
        "doorway-hamstring", "Doorway hamstring stretch", 30, ("left", "right")
    )
    return steps


def strength_steps() -> list[_Step]:
    steps: list[_Step] = [_Step("lead_in", "glute-bridge", "Glute bridge", None, 5)]
    for s in (1, 2, 3):
        if s > 1:
            steps.append(_Step("rest", "glute-bridge", "Glute bridge", None, 60))
        steps.append(_Step("hold", "glute-bridge", "Glute bridge", "none", 8, s, 1))
    steps.append(_Step("transition", None, "Next: Pelvic tilt", None, 10))
    steps.append(_Step("lead_in", "pelvic-tilt", "Pelvic tilt", None, 5))
    for rep in range(1, 5):
        steps.append(_Step("phase", "pelvic-tilt", "Pelvic tilt", "none", 3, 1, rep, "Tighten"))
        steps.append(_Step("phase", "pelvic-tilt", "Pelvic tilt", "none", 2, 1, rep, "Release"))
    steps.append(_Step("transition", None, "Next: Wall sit", None, 10))
    steps.append(_Step("lead_in", "wall-sit", "Wall sit", None, 5))
    steps.append(_Step("hold", "wall-sit", "Wall sit", "none", 30, 1, 1))
    return steps


ROUTINES: dict[str, tuple[str, int | None, list[_Step]]] = {
    "morning": ("Morning stretches", 2, morning_steps()),
    "strength": ("Strength", None, strength_steps()),
}


def make_plan(routine: str = "morning") -> dict[str, Any]:
    """A plan snapshot in the session engine's shape (``Plan.to_json``)."""
    name, per_day, steps = ROUTINES[routine]
    segments = []
    start = 0.0
    for index, step in enumerate(steps):
        segments.append(
            {
                "index": index,
                "kind": step.kind,
                "exercise": step.exercise,
                "name": step.name,
                "side": step.side,
                "set": step.set,
                "rep": step.rep,
                "phase": step.phase,
                "seconds": step.seconds,
                "start": start,
            }
        )
        start += step.seconds or 30.0
    return {
        "routine": routine,
        "name": name,
        "times_per_day": per_day,
        "total_seconds": start,
        "segments": segments,
    }


def play_segments(
    plan: dict[str, Any],
    started_at: datetime,
    rng: random.Random,
    *,
    stop_after: int | None = None,
    pain_skips: float = 0.03,
) -> list[SegmentRecord]:
    """What the player would record for ``plan``: holds a little over or under,
    self-paced sets at their own pace, now and then a skip for pain."""
    records = []
    clock = started_at
    for seg in plan["segments"][:stop_after]:
        planned = seg["seconds"]
        outcome = Outcome.DONE
        if seg["kind"] in ("hold", "phase", "manual") and rng.random() < pain_skips:
            outcome = Outcome.SKIPPED_PAIN
        if outcome is Outcome.DONE:
            actual = planned * rng.uniform(0.97, 1.08) if planned else rng.uniform(25, 50)
        else:
            actual = (planned or 30) * rng.uniform(0.1, 0.5)
        clock += timedelta(seconds=actual)
        records.append(
            SegmentRecord(
                index=seg["index"],
                kind=SegmentKind(seg["kind"]),
                exercise=seg["exercise"],
                side=seg["side"],
                set=seg["set"],
                rep=seg["rep"],
                planned_seconds=planned,
                actual_seconds=round(actual, 2),
                outcome=outcome,
                ended_at=clock,
            )
        )
    return records


NOTES = (
    "Felt loose afterwards.",
    "Left side tight today.",
    "Did it after a long drive, SI joint grumpy.",
    "Slept badly; went gently.",
    "Hamstring stretch easier than last week!",
    "Sore after gardening, skipped the lunge.",
)


def session_for(
    routine: str,
    started_at: datetime,
    offset_minutes: int,
    rng: random.Random,
    *,
    session_id: str | None = None,
    status: SessionStatus | None = None,
    pain_level: float = 4.0,
) -> StoredSession:
    """One whole session, ready for :meth:`HistoryStore.merge`."""
    plan = make_plan(routine)
    if status is None:
        roll = rng.random()
        status = (
            SessionStatus.COMPLETED
            if roll < 0.9
            else SessionStatus.PARTIAL
            if roll < 0.97
            else SessionStatus.ABANDONED
        )
    total = len(plan["segments"])
    stop = None if status is SessionStatus.COMPLETED else rng.randint(2, total - 2)
    records = play_segments(plan, started_at, rng, stop_after=stop)
    before = max(0, min(10, round(rng.gauss(pain_level, 1.2))))
    after = max(0, min(10, before - rng.choice((0, 1, 1, 2))))
    rated = rng.random() < 0.8
    return StoredSession(
        id=session_id or f"{rng.getrandbits(128):032x}",
        routine=routine,
        plan=plan,
        started_at=started_at,
        utc_offset_minutes=offset_minutes,
        ended_at=records[-1].ended_at if records else started_at,
        status=status,
        pain_before=before if rated else None,
        pain_after=after if rated and status is SessionStatus.COMPLETED else None,
        difficulty=rng.choice(list(Difficulty)) if rated and rng.random() < 0.6 else None,
        note=rng.choice(NOTES) if rng.random() < 0.12 else None,
        segments=tuple(StoredSegment(i + 1, r) for i, r in enumerate(records)),
    )


def generate_sessions(
    first: date,
    last: date,
    *,
    zone: str = "Europe/Berlin",
    seed: int = 7,
    per_day: int = 3,
    skip_days: float = 0.0,
) -> Iterator[StoredSession]:
    """Sessions from ``first`` to ``last``: morning stretches twice and strength
    once a day (``per_day`` = 3), with local times in ``zone`` (DST included);
    pain drifts down over the months as it would with regular exercise."""
    rng = random.Random(seed)
    tz = ZoneInfo(zone)
    slots = [("morning", time(7, 10)), ("strength", time(12, 30)), ("morning", time(19, 45))]
    span = max(1, (last - first).days)
    day = first
    while day <= last:
        if rng.random() >= skip_days:
            progress = (day - first).days / span
            for routine, at in slots[:per_day]:
                jitter = timedelta(minutes=rng.randint(-40, 40))
                local = datetime.combine(day, at, tz) + jitter
                offset = local.utcoffset()
                assert offset is not None
                yield session_for(
                    routine,
                    local.astimezone(UTC),
                    round(offset.total_seconds() / 60),
                    rng,
                    pain_level=5.5 - 3.0 * progress,
                )
        day += timedelta(days=1)


def fill_history(store: HistoryStore, first: date, last: date, **kwargs: Any) -> int:
    """Put generated sessions into ``store`` in one transaction; returns how many."""
    sessions = list(generate_sessions(first, last, **kwargs))
    store.merge(sessions, [])
    return len(sessions)
