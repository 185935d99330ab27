"""The figure follows the session's clock: which poses, how far between them."""

from __future__ import annotations

import pytest

from si_timer.figures.loader import figure_for
from si_timer.figures.pose import HOLD, START
from si_timer.figures.timeline import (
    BREATH_PERIOD,
    COUNTED_MOVE,
    SELF_PACED_CYCLE,
    breath_at,
    pose_at,
)
from si_timer.library.catalog import load_catalog
from si_timer.library.model import DoseMode, Side
from si_timer.session.plan import RELAX_PHASE, Segment, SegmentKind

EXERCISES = load_catalog(None, None).exercises
MODE_KIND = {
    DoseMode.HOLD: SegmentKind.HOLD,
    DoseMode.TEMPO: SegmentKind.LEAD_IN,
    DoseMode.SELF_PACED: SegmentKind.MANUAL,
}


def seg(kind: SegmentKind, ex_id: str, seconds: float | None, **kw: object) -> Segment:
    return Segment(
        index=0,
        kind=kind,
        exercise_id=ex_id,
        exercise_name=ex_id,
        side=Side.LEFT,
        seconds=seconds,
        start=0.0,
        estimate=seconds or 20.0,
        **kw,  # type: ignore[arg-type]
    )


def test_the_lead_in_eases_from_the_start_into_the_hold() -> None:
    ex = EXERCISES["knee-to-chest"]
    lead = seg(SegmentKind.LEAD_IN, ex.id, 10.0)
    assert pose_at(lead, ex, 0.0, 10.0) == (START, HOLD, 0.0)
    assert pose_at(lead, ex, 5.0, 10.0) == (START, HOLD, 0.5)
    assert pose_at(lead, ex, 12.0, 10.0) == (START, HOLD, 1.0)


def test_a_hold_stays_in_the_hold_pose() -> None:
    ex = EXERCISES["figure-4"]
    hold = seg(SegmentKind.HOLD, ex.id, 15.0)
    for t in (0.0, 7.0, 15.0):
        assert pose_at(hold, ex, t, 15.0) == (START, HOLD, 1.0)


def test_a_counted_phase_reaches_its_shape_early_and_keeps_it_to_the_end() -> None:
    ex = EXERCISES["pelvic-tilt"]
    first = seg(SegmentKind.PHASE, ex.id, 3.0, phase="Tighten", rep=1)
    later = seg(SegmentKind.PHASE, ex.id, 3.0, phase="Tighten", rep=2)
    release = seg(SegmentKind.PHASE, ex.id, 2.0, phase="Release", rep=1)
    assert pose_at(first, ex, 0.0, 3.0) == (START, "Tighten", 0.0)
    assert pose_at(first, ex, COUNTED_MOVE, 3.0) == (START, "Tighten", 1.0)
    assert pose_at(first, ex, 3.0, 3.0) == (START, "Tighten", 1.0)  # tightened at its end
    assert pose_at(later, ex, 0.75, 3.0) == ("Release", "Tighten", 0.5)
    assert pose_at(release, ex, 2.0, 2.0) == ("Tighten", "Release", 1.0)


def test_a_move_phase_moves_over_its_whole_length() -> None:
    ex = EXERCISES["cat-cow"]
    into_cat = seg(SegmentKind.PHASE, ex.id, 3.0, phase="Round up into cat", rep=2)
    assert pose_at(into_cat, ex, 1.5, 3.0) == ("Hold cow", "Round up into cat", 0.5)
    into_cow = seg(SegmentKind.PHASE, ex.id, 3.0, phase="Dip down into cow", rep=1)
    assert pose_at(into_cow, ex, 3.0, 3.0) == ("Hold cat", "Dip down into cow", 1.0)
    figure = figure_for(ex)
    # The cat's held shape is the shape the move ended in.
    assert figure.pose("Hold cat") == figure.pose("Round up into cat")


def test_a_move_into_a_hold_lifts_over_its_length() -> None:
    ex = EXERCISES["glute-bridge"]
    assert ex.dose.move_in is not None
    lift = seg(SegmentKind.PHASE, ex.id, 3.0, phase=ex.dose.move_in.name, move=True)
    assert pose_at(lift, ex, 1.5, 3.0) == (START, HOLD, 0.5)


def test_self_paced_reps_loop_out_and_back() -> None:
    ex = EXERCISES["side-lying-leg-raise"]
    reps = seg(SegmentKind.MANUAL, ex.id, None)
    half = SELF_PACED_CYCLE / 2
    assert pose_at(reps, ex, 0.0, None) == (START, HOLD, 0.0)
    assert pose_at(reps, ex, half / 2, None) == (START, HOLD, 0.5)
    assert pose_at(reps, ex, half * 1.5, None) == (HOLD, START, 0.5)
    assert pose_at(reps, ex, SELF_PACED_CYCLE * 7 + half / 2, None) == (START, HOLD, 0.5)


def test_the_relax_between_holds_lets_go() -> None:
    ex = EXERCISES["knee-to-chest-isometric"]
    relax = seg(SegmentKind.REST, ex.id, 3.0, phase=RELAX_PHASE)
    assert pose_at(relax, ex, 1.0, 3.0) == (HOLD, START, pytest.approx(0.5))


@pytest.mark.parametrize("kind", [SegmentKind.SWITCH, SegmentKind.TRANSITION, SegmentKind.REST])
def test_between_exercises_and_sides_the_start_pose_shows(kind: SegmentKind) -> None:
    ex = EXERCISES["figure-4"]
    assert pose_at(seg(kind, ex.id, 10.0), ex, 4.0, 10.0) == (START, START, 1.0)


def test_a_breath_fills_and_empties_over_its_period() -> None:
    assert breath_at(0.0) == pytest.approx(0.0)
    assert breath_at(BREATH_PERIOD / 2) == pytest.approx(1.0)
    assert breath_at(BREATH_PERIOD) == pytest.approx(0.0, abs=1e-9)
    assert breath_at(-1.0) == breath_at(0.0)


def test_every_pose_a_bundled_session_asks_for_exists() -> None:
    for ex in EXERCISES.values():
        figure = figure_for(ex)
        names = {START, HOLD} | {p.name for p in ex.dose.tempo}
        kinds = [SegmentKind.LEAD_IN, MODE_KIND[ex.dose.mode]]
        asked = {n for k in kinds for n in pose_at(seg(k, ex.id, 10.0), ex, 1.0, 10.0)[:2]}
        for phase in ex.dose.tempo:
            s = seg(SegmentKind.PHASE, ex.id, phase.seconds, phase=phase.name, rep=2)
            asked |= set(pose_at(s, ex, 0.5, phase.seconds)[:2])
        assert asked <= names, f"{ex.id} asks for {asked - names}"
        missing = asked - set(figure.poses)
        assert not missing, f"{ex.id} has no pose {missing}"
