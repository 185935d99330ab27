"""A routine expanded into segments: the guides' doses, in order, with times that add up."""

from __future__ import annotations

import pytest

from si_timer.library.catalog import Catalog, load_catalog
from si_timer.library.model import (
    DOORWAY_CHANGE,
    FLOOR_CHANGE,
    UP_DOWN_CHANGE,
    UPRIGHT_CHANGE,
    Category,
    Dose,
    Exercise,
    Posture,
    Progression,
    Range,
    Routine,
    RoutineEntry,
    Side,
    Sides,
    TempoPhase,
    change_seconds,
)
from si_timer.records import replace
from si_timer.session.plan import (
    COUNT_MARGIN,
    RELAX_PHASE,
    Level,
    Plan,
    PlanOptions,
    Segment,
    SegmentKind,
    build_plan,
)

K = SegmentKind
L, R, B, N = Side.LEFT, Side.RIGHT, Side.BOTH, Side.NONE


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def plan_of(catalog: Catalog, routine_id: str, options: PlanOptions | None = None) -> Plan:
    return build_plan(catalog.routine(routine_id), catalog.exercises, options)


def steps(plan: Plan, exercise_id: str | None = None) -> list[tuple[K, str, Side, float | None]]:
    return [
        (s.kind, s.exercise_id, s.side, s.seconds)
        for s in plan.segments
        if exercise_id is None or s.exercise_id == exercise_id
    ]


def one_exercise(ex: Exercise, entry: RoutineEntry | None = None, **options: object) -> Plan:
    routine = Routine("r", "R", (entry or RoutineEntry(ex.id),), lead_in=5, switch=5)
    return build_plan(routine, {ex.id: ex}, PlanOptions(**options))  # type: ignore[arg-type]


def make_exercise(
    dose: Dose, sides: Sides = Sides.NONE, *, alternate: bool = False, ex_id: str = "ex"
) -> Exercise:
    return Exercise(
        id=ex_id,
        name="Ex",
        category=Category.STRETCH,
        position="Lying",
        source="me",
        sides=sides,
        dose=dose,
        steps=("Do it.",),
        alternate=alternate,
    )


def assert_times_add_up(plan: Plan) -> None:
    """Each segment starts where the last one ended; the total is the sum."""
    offset = 0.0
    for i, seg in enumerate(plan.segments):
        assert seg.index == i
        assert seg.start == pytest.approx(offset), seg
        if seg.seconds is not None:
            assert seg.estimate == seg.seconds
            assert seg.seconds > 0
        offset += seg.estimate
    assert plan.total_seconds == pytest.approx(offset)
    assert plan.total_seconds == pytest.approx(sum(s.estimate for s in plan.segments))


# --- the morning routine, against the facts --------------------------------------

# Each of the ten cycles: move 3 s (ours), hold cat 2 s (the guide's), move 3 s, hold cow 2 s.
CAT_COW = [(K.LEAD_IN, "cat-cow", N, 5.0)] + [
    (K.PHASE, "cat-cow", N, seconds) for _ in range(10) for seconds in (3.0, 2.0, 3.0, 2.0)
]

MORNING = [
    (K.LEAD_IN, "knee-to-chest", L, 5.0),
    (K.HOLD, "knee-to-chest", L, 20.0),
    (K.SWITCH, "knee-to-chest", R, 5.0),
    (K.HOLD, "knee-to-chest", R, 20.0),
    (K.SWITCH, "knee-to-chest", B, 5.0),
    (K.HOLD, "knee-to-chest", B, 20.0),
    (K.TRANSITION, "figure-4", N, 10.0),
    (K.LEAD_IN, "figure-4", L, 5.0),
    (K.HOLD, "figure-4", L, 15.0),
    (K.SWITCH, "figure-4", R, 8.0),  # uncross, cross the other way
    (K.HOLD, "figure-4", R, 15.0),
    (K.TRANSITION, "cat-cow", N, 10.0),  # roll over onto hands and knees
    *CAT_COW,
    (K.TRANSITION, "hip-flexor-lunge", N, 20.0),  # get up off the floor
    (K.LEAD_IN, "hip-flexor-lunge", L, 5.0),
    (K.HOLD, "hip-flexor-lunge", L, 20.0),
    (K.SWITCH, "hip-flexor-lunge", R, 8.0),  # step the feet round
    (K.HOLD, "hip-flexor-lunge", R, 20.0),
    (K.TRANSITION, "doorway-hamstring", N, 20.0),  # down onto the mat in the doorway
    (K.LEAD_IN, "doorway-hamstring", L, 5.0),
    (K.HOLD, "doorway-hamstring", L, 20.0),
    (K.SWITCH, "doorway-hamstring", R, 15.0),  # out, to the other side of the frame, in
    (K.HOLD, "doorway-hamstring", R, 20.0),
]


def test_morning_plan_is_the_guides_doses_in_order(catalog: Catalog) -> None:
    plan = plan_of(catalog, "morning")
    assert steps(plan) == MORNING
    assert (plan.routine_id, plan.routine_name, plan.times_per_day) == (
        "morning",
        "Morning stretches",
        2,
    )


def test_morning_plan_times_add_up_to_six_and_a_half_minutes(catalog: Catalog) -> None:
    plan = plan_of(catalog, "morning")
    assert_times_add_up(plan)
    # Work 3x20 + 2x15 + 10x(2+2) + 2x20 + 2x20; cat-cow's moves 10x(3+3); five 5 s
    # lead-ins; switches 5+5 (knee-to-chest), 8 (figure-4), 8 (lunge), 15 (doorway);
    # pauses 10, 10 (rolling over), 20 and 20 (getting up, getting down).
    work, moves, lead_ins, switches, pauses = 210, 60, 25, 41, 60
    assert plan.total_seconds == work + moves + lead_ins + switches + pauses == 396
    assert [s.start for s in plan.segments[:8]] == [0, 5, 25, 30, 50, 55, 75, 85]


def test_cat_cow_is_ten_reps_of_two_named_two_second_phases(catalog: Catalog) -> None:
    phases = [s for s in plan_of(catalog, "morning").segments if s.kind is K.PHASE]
    assert [(s.rep, s.phase, s.seconds, s.move) for s in phases] == [
        (rep, name, seconds, move)
        for rep in range(1, 11)
        for name, seconds, move in (
            ("Round up into cat", 3.0, True),
            ("Hold cat", 2.0, False),
            ("Dip down into cow", 3.0, True),
            ("Hold cow", 2.0, False),
        )
    ]
    assert {s.reps for s in phases} == {10}
    # Only the held counts are work; the moves between them are not.
    assert [s.seconds for s in phases if s.is_work] == [2.0] * 20


def test_morning_exercise_order(catalog: Catalog) -> None:
    assert plan_of(catalog, "morning").exercise_ids == (
        "knee-to-chest",
        "figure-4",
        "cat-cow",
        "hip-flexor-lunge",
        "doorway-hamstring",
    )


BUNDLED_ROUTINES = [
    "morning",
    "evening",
    "flare-up",
    "core-strength",
    "core-strength-kettlebell",
    "targeted-stretches",
    "pelvic-rotation",
    "full",
]


@pytest.mark.parametrize("routine_id", BUNDLED_ROUTINES)
def test_every_bundled_routine_plans_with_times_that_add_up(
    catalog: Catalog, routine_id: str
) -> None:
    plan = plan_of(catalog, routine_id)
    assert plan.segments
    assert_times_add_up(plan)
    # One lead-in per exercise, one pause between each two.
    count = len(catalog.routine(routine_id).entries)
    kinds = [s.kind for s in plan.segments]
    assert kinds.count(K.LEAD_IN) == count
    assert kinds.count(K.TRANSITION) == count - 1
    assert plan.segments[0].kind is K.LEAD_IN


def test_the_pause_between_exercises_belongs_to_the_next_one(catalog: Catalog) -> None:
    segments = plan_of(catalog, "morning").segments
    for i, seg in enumerate(segments):
        if seg.kind is K.TRANSITION:
            assert segments[i + 1].kind is K.LEAD_IN
            assert segments[i + 1].exercise_id == seg.exercise_id
            assert segments[i - 1].exercise_id != seg.exercise_id


# --- doses that expand -------------------------------------------------------------


def test_glute_bridge_is_three_holds_with_the_easier_rest_between_sets(catalog: Catalog) -> None:
    plan = plan_of(catalog, "core-strength")
    bridge = [s for s in plan.segments if s.exercise_id == "glute-bridge"]
    # Each set lifts first, so the guide's 5 s count starts with the hips up.
    assert [(s.kind, s.seconds, s.set, s.sets, s.phase) for s in bridge] == [
        (K.TRANSITION, 15.0, None, 1, None),
        (K.LEAD_IN, 5.0, None, 3, None),
        (K.PHASE, 3.0, 1, 3, "Lift your hips"),
        (K.HOLD, 5.0, 1, 3, None),
        (K.REST, 90.0, 1, 3, None),  # 60-90 s: the easier end until "too easy"
        (K.PHASE, 3.0, 2, 3, "Lift your hips"),
        (K.HOLD, 5.0, 2, 3, None),
        (K.REST, 90.0, 2, 3, None),
        (K.PHASE, 3.0, 3, 3, "Lift your hips"),
        (K.HOLD, 5.0, 3, 3, None),
    ]
    assert [s.move for s in bridge if s.kind is K.PHASE] == [True] * 3
    assert not [s for s in bridge if s.kind is K.PHASE and s.is_work]


def test_seated_hamstring_alternates_legs_five_times(catalog: Catalog) -> None:
    plan = plan_of(catalog, "targeted-stretches")
    work = [
        (s.kind, s.side, s.rep, s.seconds)
        for s in plan.segments
        if s.exercise_id == "seated-hamstring" and s.kind in (K.HOLD, K.SWITCH)
    ]
    expected: list[tuple[K, Side, int | None, float]] = []
    for rep in range(1, 6):
        for side in (L, R):
            if expected:  # the exercise's own 10 s: the leg moves to the other chair
                expected.append((K.SWITCH, side, None, 10.0))
            expected.append((K.HOLD, side, rep, 15.0))
    assert work == expected
    # Alternating means no "relax" pause: every change of leg is a switch.
    assert not [
        s for s in plan.segments if s.exercise_id == "seated-hamstring" and s.kind is K.REST
    ]


def test_repeated_holds_on_one_side_relax_between(catalog: Catalog) -> None:
    plan = plan_of(catalog, "targeted-stretches")
    left = [
        (s.kind, s.seconds, s.rep, s.phase)
        for s in plan.segments
        if s.exercise_id == "knee-to-chest-isometric" and s.side is L and s.kind is not K.LEAD_IN
    ]
    expected: list[tuple[K, float, int, str | None]] = []
    for rep in range(1, 6):
        if expected:
            expected.append((K.REST, 3.0, rep - 1, "Relax"))
        expected.append((K.HOLD, 5.0, rep, None))
    assert left == expected
    # The relax is told apart from a rest between sets by the stored phase word.
    rests = [s for s in plan.segments if s.kind is K.REST]
    assert {s.phase for s in rests if s.is_relax} == {RELAX_PHASE} == {"Relax"}
    between_sets = Segment(0, K.REST, "x", "X", N, 30.0, 0.0, set=1, sets=2)
    assert not between_sets.is_relax


def test_pelvic_tilt_is_fifteen_paced_reps_of_three_and_two(catalog: Catalog) -> None:
    plan = plan_of(catalog, "core-strength")
    phases = [
        (s.phase, s.seconds)
        for s in plan.segments
        if s.exercise_id == "pelvic-tilt" and s.kind is K.PHASE
    ]
    assert phases == [("Tighten", 3.0), ("Release", 2.0)] * 15


def test_self_paced_reps_are_manual_segments_with_no_seconds(catalog: Catalog) -> None:
    plan = plan_of(catalog, "core-strength-kettlebell")
    manual = [s for s in plan.segments if s.kind is K.MANUAL]
    # Both start on the right, as the guide does: lying on the left side, lifting the
    # right leg; the kettlebell by the right foot.
    assert [(s.exercise_id, s.side, s.reps) for s in manual] == [
        ("side-lying-leg-raise", R, 15),
        ("side-lying-leg-raise", L, 15),
        ("kettlebell-lateral-swing", R, 10),
        ("kettlebell-lateral-swing", L, 10),
    ]
    for seg in manual:
        assert seg.seconds is None
        assert not seg.timed
        # Counted aloud at the exercise's pace, then the set moves on by itself.
        assert seg.pace is not None
        assert seg.estimate == seg.reps * seg.pace + COUNT_MARGIN  # type: ignore[operator]
        assert seg.to_json()["seconds"] is None


# --- levels, overrides and options ------------------------------------------------

ADDUCTOR = make_exercise(
    Dose(hold=Range(5, 10), reps=Range(1, 1), progression=Progression(hold=Range(15, 30)))
)
PRESS_UP = make_exercise(
    Dose(hold=Range(5, 5), reps=Range(5, 10), progression=Progression(hold=Range(15, 30)))
)


def holds(plan: Plan) -> list[float | None]:
    return [s.seconds for s in plan.segments if s.kind is K.HOLD]


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        (None, 5.0),  # the low end until the person raises it
        (1.0, 5.0),  # never below the range
        (8.0, 8.0),
        (20.0, 20.0),  # above the range, inside the progression
        (30.0, 30.0),
        (99.0, 30.0),  # never above the progression's top
    ],
)
def test_level_hold_clamps_to_the_range_and_progression(
    chosen: float | None, expected: float
) -> None:
    plan = one_exercise(ADDUCTOR, levels={"ex": Level(hold=chosen)})
    assert holds(plan) == [expected]


def test_level_hold_without_a_progression_stops_at_the_top(catalog: Catalog) -> None:
    levels = {"doorway-hamstring": Level(hold=45), "figure-4": Level(hold=99)}
    plan = plan_of(catalog, "morning", PlanOptions(levels=levels))
    assert {
        s.seconds
        for s in plan.segments
        if s.kind is K.HOLD and s.exercise_id == "doorway-hamstring"
    } == {45}
    assert {
        s.seconds for s in plan.segments if s.kind is K.HOLD and s.exercise_id == "figure-4"
    } == {15}


@pytest.mark.parametrize(("chosen", "expected"), [(None, 5), (3, 5), (8, 8), (50, 10)])
def test_level_reps_clamp_to_the_range(chosen: int | None, expected: int) -> None:
    plan = one_exercise(PRESS_UP, levels={"ex": Level(reps=chosen)})
    assert len(holds(plan)) == expected
    assert {s.reps for s in plan.segments if s.kind is K.HOLD} == {expected}


def test_a_level_for_another_exercise_changes_nothing() -> None:
    plan = one_exercise(ADDUCTOR, levels={"other": Level(hold=30)})
    assert holds(plan) == [5.0]


def test_routine_overrides_are_used(catalog: Catalog) -> None:
    routine = Routine(
        "r",
        "R",
        (
            RoutineEntry("glute-bridge", hold=8, sets=2, rest=75),
            RoutineEntry("figure-4", sides=Sides.LEFT),
            RoutineEntry("pelvic-tilt", reps=18),
        ),
    )
    plan = build_plan(routine, catalog.exercises)
    assert_times_add_up(plan)
    bridge = [(s.kind, s.seconds) for s in plan.segments if s.exercise_id == "glute-bridge"]
    assert bridge == [
        (K.LEAD_IN, 5),
        (K.PHASE, 3),
        (K.HOLD, 8),
        (K.REST, 75),
        (K.PHASE, 3),
        (K.HOLD, 8),
    ]
    figure_4 = [(s.kind, s.side) for s in plan.segments if s.exercise_id == "figure-4"]
    assert figure_4 == [(K.TRANSITION, N), (K.LEAD_IN, L), (K.HOLD, L)]
    reps = {s.rep for s in plan.segments if s.exercise_id == "pelvic-tilt" and s.kind is K.PHASE}
    assert reps == set(range(1, 19))


def test_a_person_s_level_beats_the_routine_s_choice(catalog: Catalog) -> None:
    routine = Routine("r", "R", (RoutineEntry("glute-bridge", hold=8),))
    plan = build_plan(
        routine, catalog.exercises, PlanOptions(levels={"glute-bridge": Level(hold=10)})
    )
    assert set(holds(plan)) == {10}


def test_sides_override_both_does_one_side_only(catalog: Catalog) -> None:
    routine = Routine("r", "R", (RoutineEntry("knee-to-chest", sides=Sides.BOTH),))
    plan = build_plan(routine, catalog.exercises)
    assert steps(plan) == [(K.LEAD_IN, "knee-to-chest", B, 5), (K.HOLD, "knee-to-chest", B, 20)]


def test_plan_options_override_the_routine_s_timing(catalog: Catalog) -> None:
    options = PlanOptions(lead_in=8, switch=2, rest_between=30)
    plan = plan_of(catalog, "morning", options)
    assert_times_add_up(plan)
    assert {s.seconds for s in plan.segments if s.kind is K.LEAD_IN} == {8}
    # A shorter switch applies where the exercise sets none of its own; figure-4, the
    # lunge and the doorway keep theirs, because the body needs that long.
    switches = {(s.exercise_id, s.seconds) for s in plan.segments if s.kind is K.SWITCH}
    assert switches == {
        ("knee-to-chest", 2),
        ("figure-4", 8),
        ("hip-flexor-lunge", 8),
        ("doorway-hamstring", 15),
    }
    assert {s.seconds for s in plan.segments if s.kind is K.TRANSITION} == {30}
    # Same work, different pauses: 5 lead-ins +3 s, 2 switches -3 s, pauses 10+10+20+20 → 4x30.
    assert plan.total_seconds == 396 + 5 * 3 - 2 * 3 + (4 * 30 - 60)


def test_rest_between_zero_keeps_only_the_time_to_change_position(catalog: Catalog) -> None:
    plan = plan_of(catalog, "morning", PlanOptions(rest_between=0))
    assert_times_add_up(plan)
    moves = [(s.exercise_id, s.seconds, s.change) for s in plan.segments if s.kind is K.TRANSITION]
    # Figure-4 follows knee-to-chest on the back: no pause at all.
    assert moves == [
        ("cat-cow", 10, True),
        ("hip-flexor-lunge", 20, True),
        ("doorway-hamstring", 20, True),
    ]
    assert plan.total_seconds == 396 - 10


def test_zero_lead_in_and_switch_leave_out_all_but_the_exercises_own(catalog: Catalog) -> None:
    plan = plan_of(catalog, "morning", PlanOptions(lead_in=0, switch=0))
    assert_times_add_up(plan)
    assert K.LEAD_IN not in {s.kind for s in plan.segments}
    switches = [(s.exercise_id, s.seconds) for s in plan.segments if s.kind is K.SWITCH]
    assert switches == [("figure-4", 8), ("hip-flexor-lunge", 8), ("doorway-hamstring", 15)]
    assert plan.total_seconds == 396 - 5 * 5 - 2 * 5


def test_the_routine_s_own_zero_pause_is_kept(catalog: Catalog) -> None:
    entries = (RoutineEntry("figure-4"), RoutineEntry("knee-to-chest"))
    plan = build_plan(Routine("r", "R", entries, rest_between=0), catalog.exercises)
    assert K.TRANSITION not in {s.kind for s in plan.segments}


def test_a_tempo_exercise_with_sides_switches_between_them() -> None:
    ex = make_exercise(
        Dose(reps=Range(2, 2), tempo=(TempoPhase("Out", 5), TempoPhase("In", 5))), Sides.EACH
    )
    plan = one_exercise(ex)
    assert [(s.kind, s.side, s.rep, s.phase) for s in plan.segments] == [
        (K.LEAD_IN, L, None, None),
        (K.PHASE, L, 1, "Out"),
        (K.PHASE, L, 1, "In"),
        (K.PHASE, L, 2, "Out"),
        (K.PHASE, L, 2, "In"),
        (K.SWITCH, R, None, None),
        (K.PHASE, R, 1, "Out"),
        (K.PHASE, R, 1, "In"),
        (K.PHASE, R, 2, "Out"),
        (K.PHASE, R, 2, "In"),
    ]


# --- the plan's own API ------------------------------------------------------------


def test_work_segments_are_holds_phases_and_manual_ones() -> None:
    assert {k for k in SegmentKind if k.is_work} == {K.HOLD, K.PHASE, K.MANUAL}


def test_an_empty_plan_lasts_nothing() -> None:
    assert Plan("r", "R", ()).total_seconds == 0
    assert Plan("r", "R", ()).exercise_ids == ()


def test_segment_json_has_every_field_with_whole_numbers_as_ints(catalog: Catalog) -> None:
    seg = plan_of(catalog, "morning").segments[1]
    assert seg.to_json() == {
        "index": 1,
        "kind": "hold",
        "exercise": "knee-to-chest",
        "name": "Knee-to-chest stretch",
        "side": "left",
        "set": 1,
        "sets": 1,
        "rep": 1,
        "reps": 1,
        "phase": None,
        "seconds": 20,
        "estimate": 20,
        "start": 5,
        "posture": "back",
        "side_note": "Left knee to your chest",
        "move": False,
        "change": False,
        "pace": None,
        "prescribed": False,
    }
    assert isinstance(seg.to_json()["seconds"], int)


def test_plan_json(catalog: Catalog) -> None:
    plan = plan_of(catalog, "morning")
    data = plan.to_json()
    assert data["routine"] == "morning"
    assert data["total_seconds"] == 396
    assert len(data["segments"]) == len(plan.segments)
    assert data["before_you_start"] == catalog.routine("morning").before_you_start != ""


@pytest.mark.parametrize("routine_id", BUNDLED_ROUTINES)
def test_every_bundled_plan_round_trips_through_json(catalog: Catalog, routine_id: str) -> None:
    plan = plan_of(catalog, routine_id)
    assert Plan.from_json(plan.to_json()) == plan


def test_a_plan_stored_by_an_older_version_loads_with_defaults(catalog: Catalog) -> None:
    """Snapshots from before postures, side notes, moves and notes: missing keys → defaults."""
    new_keys = ("posture", "side_note", "move", "change", "prescribed")
    data = plan_of(catalog, "evening").to_json()
    old = {k: v for k, v in data.items() if k not in ("before_you_start", "after_you_finish")}
    old["segments"] = [
        {k: v for k, v in seg.items() if k not in new_keys} for seg in old["segments"]
    ]
    plan = Plan.from_json(old)
    assert (plan.before_you_start, plan.after_you_finish) == ("", "")
    assert len(plan.segments) == len(data["segments"])
    for seg in plan.segments:
        assert (seg.posture, seg.side_note, seg.move, seg.change) == (None, None, False, False)
    # Moves in an old snapshot are still phases; without the flag they count as work.
    assert [s.is_work for s in plan.segments] == [s.kind.is_work for s in plan.segments]


def test_segment_end_is_start_plus_estimate() -> None:
    seg = Segment(0, K.MANUAL, "ex", "Ex", N, None, start=7, estimate=30)
    assert seg.end == 37


# --- positions, sides and movement time ---------------------------------------------


def test_a_change_of_position_gets_its_own_longer_transition(catalog: Catalog) -> None:
    plan = plan_of(catalog, "full")
    moves = {
        s.exercise_id: (s.seconds, s.posture)
        for s in plan.segments
        if s.kind is K.TRANSITION and s.change
    }
    assert moves == {
        "doorway-hamstring": (15, Posture.DOORWAY),  # scoot into the doorway
        "side-lying-leg-raise": (15, Posture.SIDE),  # rest_between 15 is longer than 10
        "press-up": (15, Posture.FRONT),
        "cat-cow": (15, Posture.ALL_FOURS),
        "hip-adductor": (15, Posture.SITTING),
        "wall-sit": (20, Posture.WALL),  # up off the floor
        "hip-flexor-lunge": (15, Posture.STANDING),
        "seated-hamstring": (15, Posture.CHAIR),
    }
    stays = [s.exercise_id for s in plan.segments if s.kind is K.TRANSITION and not s.change]
    assert stays == [
        "figure-4",
        "knee-to-chest-isometric",
        "pelvic-tilt",
        "glute-bridge",
        "standing-quad",
    ]


@pytest.mark.parametrize(
    ("before", "after", "seconds"),
    [
        (Posture.BACK, Posture.BACK, 0),
        (Posture.BACK, Posture.SIDE, FLOOR_CHANGE),
        (Posture.BACK, Posture.DOORWAY, DOORWAY_CHANGE),
        (Posture.SITTING, Posture.WALL, UP_DOWN_CHANGE),
        (Posture.STANDING, Posture.DOORWAY, UP_DOWN_CHANGE),
        (Posture.STANDING, Posture.CHAIR, UPRIGHT_CHANGE),
        (None, Posture.BACK, 0),  # a file that doesn't say: no guess
    ],
)
def test_change_seconds(before: Posture | None, after: Posture | None, seconds: float) -> None:
    assert change_seconds(before, after) == change_seconds(after, before) == seconds


def test_the_guides_values_for_moving() -> None:
    assert DOORWAY_CHANGE >= 15
    assert UP_DOWN_CHANGE >= 20
    assert FLOOR_CHANGE >= 8


def test_segments_carry_the_side_s_meaning_and_the_guide_s_first_side(catalog: Catalog) -> None:
    plan = plan_of(catalog, "core-strength")
    raise_ = [s for s in plan.segments if s.exercise_id == "side-lying-leg-raise"]
    assert [(s.kind, s.side, s.side_note) for s in raise_ if s.kind is not K.TRANSITION] == [
        (K.LEAD_IN, R, "Lie on your left side, lift your right leg"),
        (K.MANUAL, R, "Lie on your left side, lift your right leg"),
        (K.SWITCH, L, "Lie on your right side, lift your left leg"),
        (K.MANUAL, L, "Lie on your right side, lift your left leg"),
    ]
    assert {s.posture for s in raise_} == {Posture.SIDE}


def test_a_routine_s_one_sided_override_keeps_its_meaning(catalog: Catalog) -> None:
    routine = Routine("r", "R", (RoutineEntry("figure-4", sides=Sides.RIGHT),))
    plan = build_plan(routine, catalog.exercises)
    assert [(s.side, s.side_note) for s in plan.segments] == [
        (R, "Right ankle over the left knee"),
        (R, "Right ankle over the left knee"),
    ]


def test_an_exercise_s_own_lead_in_and_switch_are_minimums() -> None:
    ex = replace(make_exercise(Dose(hold=Range(10, 10)), Sides.EACH), lead_in=12.0, switch=9.0)
    short = one_exercise(ex)  # the routine says 5 and 5
    assert [(s.kind, s.seconds) for s in short.segments if s.kind in (K.LEAD_IN, K.SWITCH)] == [
        (K.LEAD_IN, 12),
        (K.SWITCH, 9),
    ]
    longer = one_exercise(ex, lead_in=20, switch=30)  # a person who wants more gets more
    assert [(s.kind, s.seconds) for s in longer.segments if s.kind in (K.LEAD_IN, K.SWITCH)] == [
        (K.LEAD_IN, 20),
        (K.SWITCH, 30),
    ]


def test_paced_reps_relax_between_reps_only_when_the_dose_says() -> None:
    phases = (TempoPhase("Out", 5), TempoPhase("Turn", 3, move=True), TempoPhase("In", 5))
    ex = make_exercise(Dose(reps=Range(2, 2), tempo=phases, relax=4))
    assert [(s.kind, s.phase, s.seconds, s.move) for s in one_exercise(ex).segments] == [
        (K.LEAD_IN, None, 5, False),
        (K.PHASE, "Out", 5, False),
        (K.PHASE, "Turn", 3, True),
        (K.PHASE, "In", 5, False),
        (K.REST, "Relax", 4, False),
        (K.PHASE, "Out", 5, False),
        (K.PHASE, "Turn", 3, True),
        (K.PHASE, "In", 5, False),
    ]
    no_relax = make_exercise(Dose(reps=Range(2, 2), tempo=phases))
    assert K.REST not in {s.kind for s in one_exercise(no_relax).segments}


def test_pelvic_rotation_changes_between_pushes_and_rests_between_reps(catalog: Catalog) -> None:
    plan = plan_of(catalog, "pelvic-rotation")
    left = [
        (s.kind, s.seconds)
        for s in plan.segments
        if s.exercise_id == "pelvic-rotation" and s.side is L and s.kind is not K.LEAD_IN
    ]
    one_rep = [(K.PHASE, 5.0), (K.PHASE, 3.0), (K.PHASE, 5.0)]
    assert left == [*one_rep, (K.REST, 5.0), *one_rep, (K.REST, 5.0), *one_rep]


def test_time_to_get_there_first_and_after_a_change_of_position(catalog: Catalog) -> None:
    routine = catalog.routine("morning")
    options = PlanOptions(first_lead_in=15, change_lead_in=20)
    plan = build_plan(routine, catalog.exercises, options)
    plain = build_plan(routine, catalog.exercises)
    segs = plan.segments
    lead_ins = [s for s in segs if s.kind is K.LEAD_IN]
    assert lead_ins[0].seconds == 15
    changed = [s for s in segs if s.kind is K.TRANSITION and s.change]
    assert changed, "the morning routine changes position"
    for lead_in in lead_ins[1:]:
        before = segs[lead_in.index - 1]
        assert before.kind is K.TRANSITION
        ex = catalog.exercise(lead_in.exercise_id)
        own = max(routine.lead_in, ex.lead_in or 0.0)
        assert lead_in.seconds == (max(own, 20) if before.change else own)
    # Only the lead-ins grew.
    assert len(segs) == len(plain.segments)
    grown = sum(
        (a.seconds or 0) - (b.seconds or 0) for a, b in zip(segs, plain.segments, strict=True)
    )
    assert plan.total_seconds == pytest.approx(plain.total_seconds + grown)
    assert all(
        a.seconds == b.seconds
        for a, b in zip(segs, plain.segments, strict=True)
        if a.kind is not K.LEAD_IN
    )


def test_an_entry_s_own_lead_in_and_switch_replace_the_routine_s_and_the_exercise_s() -> None:
    ex = replace(make_exercise(Dose(hold=Range(10, 10)), Sides.EACH), lead_in=12.0, switch=9.0)
    pauses = (K.LEAD_IN, K.SWITCH)
    own = one_exercise(ex, RoutineEntry(ex.id, lead_in=3, switch=2), lead_in=20, switch=30)
    assert [(s.kind, s.seconds) for s in own.segments if s.kind in pauses] == [
        (K.LEAD_IN, 3),
        (K.SWITCH, 2),
    ]
    none = one_exercise(ex, RoutineEntry(ex.id, lead_in=0, switch=0))
    assert [s.kind for s in none.segments] == [K.HOLD, K.HOLD]
    assert_times_add_up(none)
    # The person's own floors for the first position still hold.
    floor = one_exercise(ex, RoutineEntry(ex.id, lead_in=3), first_lead_in=15)
    assert floor.segments[0].kind is K.LEAD_IN
    assert floor.segments[0].seconds == 15


def test_an_entry_s_lead_in_after_a_change_of_position_keeps_the_person_s_floor(
    catalog: Catalog,
) -> None:
    routine = Routine(
        "r",
        "R",
        (RoutineEntry("figure-4"), RoutineEntry("cat-cow", lead_in=0)),
    )
    plain = build_plan(routine, catalog.exercises)
    assert [s.kind for s in plain.segments if s.exercise_id == "cat-cow"][:2] == [
        K.TRANSITION,
        K.PHASE,
    ]
    floored = build_plan(routine, catalog.exercises, PlanOptions(change_lead_in=20))
    lead_in = [s for s in floored.segments if s.exercise_id == "cat-cow"][1]
    assert (lead_in.kind, lead_in.seconds) == (K.LEAD_IN, 20)


def test_a_prescribed_dose_is_done_as_prescribed_and_says_so(catalog: Catalog) -> None:
    """45 s three times on each side, for a stretch the guide holds 15 s once; the
    person's "too easy" level moves neither."""
    routine = Routine(
        "r",
        "R",
        (
            RoutineEntry("figure-4", hold=45, reps=3, prescribed=True),
            RoutineEntry("knee-to-chest"),
        ),
    )
    levels = {"figure-4": Level(hold=15, reps=1)}
    plan = build_plan(routine, catalog.exercises, PlanOptions(levels=levels))
    holds = [s for s in plan.segments if s.kind is K.HOLD and s.exercise_id == "figure-4"]
    assert [(s.side, s.rep, s.reps, s.seconds) for s in holds] == [
        (L, 1, 3, 45),
        (L, 2, 3, 45),
        (L, 3, 3, 45),
        (R, 1, 3, 45),
        (R, 2, 3, 45),
        (R, 3, 3, 45),
    ]
    assert {s.prescribed for s in plan.segments if s.exercise_id == "figure-4"} == {True}
    assert {s.prescribed for s in plan.segments if s.exercise_id == "knee-to-chest"} == {False}
    assert plan.prescribed_ids == {"figure-4"}
    assert Plan.from_json(plan.to_json()) == plan
    assert_times_add_up(plan)


def test_a_prescribed_entry_without_values_takes_the_usual_dose(catalog: Catalog) -> None:
    routine = Routine("r", "R", (RoutineEntry("glute-bridge", prescribed=True),))
    usual = Routine("r", "R", (RoutineEntry("glute-bridge"),))
    levels = {"glute-bridge": Level(hold=8)}
    options = PlanOptions(levels=levels)
    prescribed = build_plan(routine, catalog.exercises, options).segments
    assert [replace(s, prescribed=False) for s in prescribed] == list(
        build_plan(usual, catalog.exercises, options).segments
    )
