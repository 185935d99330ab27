"""A routine under edit: every change is checked, undoable, and adds up as the session will."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from si_timer.config.settings import Settings
from si_timer.library.catalog import load_catalog, routine_problems
from si_timer.library.draft import DraftSummary, EntryDose, EntryLimits, RoutineDraft
from si_timer.library.loader import load_text
from si_timer.library.model import Origin, Range, Routine, RoutineEntry, Sides
from si_timer.library.routine_file import routine_yaml
from si_timer.records import replace
from si_timer.session.options import plan_for
from si_timer.session.plan import Level
from si_timer.session.verbosity import Verbosity

CATALOG = load_catalog()
EXERCISES = CATALOG.exercises
MORNING = CATALOG.routine("morning")


def draft_of(*exercise_ids: str, **details: object) -> RoutineDraft:
    entries = tuple(RoutineEntry(e) for e in exercise_ids)
    return RoutineDraft(Routine("mine", "Mine", entries, **details), EXERCISES)  # type: ignore[arg-type]


def ids(draft: RoutineDraft) -> list[str]:
    return [entry.exercise for entry in draft.routine.entries]


# --- the list ----------------------------------------------------------------------


def test_exercises_are_added_removed_and_moved() -> None:
    draft = draft_of("cat-cow")
    assert draft.add("figure-4") == 1
    assert draft.add("knee-to-chest", 0) == 0
    assert ids(draft) == ["knee-to-chest", "cat-cow", "figure-4"]
    draft.move(0, 2)
    assert ids(draft) == ["cat-cow", "figure-4", "knee-to-chest"]
    draft.move(2, 0)
    assert ids(draft) == ["knee-to-chest", "cat-cow", "figure-4"]
    assert draft.remove(1) == RoutineEntry("cat-cow")
    assert ids(draft) == ["knee-to-chest", "figure-4"]


def test_an_unknown_exercise_or_place_changes_nothing() -> None:
    draft = draft_of("cat-cow")
    with pytest.raises(ValueError, match="unknown exercise 'handstand'"):
        draft.add("handstand")
    with pytest.raises(IndexError):
        draft.add("figure-4", 5)
    with pytest.raises(IndexError):
        draft.move(0, 1)
    with pytest.raises(IndexError):
        draft.remove(3)
    with pytest.raises(IndexError):
        draft.set_entry(1, RoutineEntry("cat-cow"))
    assert ids(draft) == ["cat-cow"]
    assert not draft.can_undo


# --- one exercise's choices ----------------------------------------------------------


def test_the_limits_of_an_exercise_done_on_each_side() -> None:
    draft = draft_of("figure-4")
    assert draft.limits(0) == EntryLimits(
        hold=Range(15, 15),
        reps=Range(1, 1),
        rest=None,
        sets=Range(1, 1),
        sides=(Sides.EACH, Sides.LEFT, Sides.RIGHT),
        switch=True,
        prescribed=False,
    )
    wide = draft.limits(0, prescribed=True)
    assert (wide.hold, wide.reps, wide.rest, wide.sets, wide.prescribed) == (
        Range(1, 600),
        Range(1, 1000),
        Range(1, 600),
        Range(1, 1000),
        True,
    )
    assert wide.sides == draft.limits(0).sides
    assert wide.pause == draft.limits(0).pause == Range(0, 600)


def test_the_limits_of_exercises_without_sides_and_with_both() -> None:
    draft = draft_of("glute-bridge", "knee-to-chest", "hip-adductor", "pelvic-tilt")
    bridge = draft.limits(0)
    assert (bridge.hold, bridge.rest, bridge.sets, bridge.sides, bridge.switch) == (
        Range(5, 10),
        Range(60, 90),
        Range(1, 1000),
        (),
        False,
    )
    assert draft.limits(1).sides == (
        Sides.LEFT_RIGHT_BOTH,
        Sides.EACH,
        Sides.LEFT,
        Sides.RIGHT,
        Sides.BOTH,
    )
    assert draft.limits(2).hold == Range(5, 30)  # up to the progression's top
    tilt = draft.limits(3)
    assert (tilt.hold, tilt.reps) == (None, Range(15, 20))
    assert draft.limits(3, prescribed=True).hold is None  # a prescription keeps the kind


def test_the_dose_an_entry_will_do_fills_in_what_it_leaves_open() -> None:
    person = Settings(levels={"glute-bridge": Level(hold=8)})
    routine = Routine("mine", "Mine", (RoutineEntry("glute-bridge"), RoutineEntry("figure-4")))
    draft = RoutineDraft(routine, EXERCISES, settings=person)
    assert draft.dose(0) == EntryDose(hold=8, reps=1, sets=3, rest=90)  # the level, the longer rest
    assert draft.dose(1) == EntryDose(hold=15, reps=1, sets=1, rest=0)
    draft.set_entry(0, RoutineEntry("glute-bridge", hold=6, sets=2, rest=60))
    assert draft.dose(0) == EntryDose(hold=8, reps=1, sets=2, rest=60)  # the level still wins
    draft.set_entry(0, RoutineEntry("glute-bridge", hold=40, prescribed=True))
    assert draft.dose(0) == EntryDose(hold=40, reps=1, sets=3, rest=90)  # as prescribed


def test_choices_inside_the_range_are_taken() -> None:
    draft = draft_of("hip-adductor", "knee-to-chest")
    draft.set_entry(0, RoutineEntry("hip-adductor", hold=30, lead_in=0))
    draft.set_entry(1, RoutineEntry("knee-to-chest", sides=Sides.RIGHT, switch=12))
    assert draft.routine.entries == (
        RoutineEntry("hip-adductor", hold=30, lead_in=0),
        RoutineEntry("knee-to-chest", sides=Sides.RIGHT, switch=12),
    )


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            RoutineEntry("hip-adductor", hold=31),
            "hold: 31 s is outside Hip adductor stretch's range (5-30 s)",
        ),
        (RoutineEntry("hip-adductor", hold=0), "hold: must be more than 0 seconds, not 0"),
        (RoutineEntry("pelvic-tilt", hold=5), "hold: 'pelvic-tilt' has no hold"),
        (
            RoutineEntry("hip-adductor", hold=601, prescribed=True),
            "hold: 601 s is too much even as prescribed (at most 600 s)",
        ),
        (
            RoutineEntry("figure-4", sets=2),
            "sets: 'figure-4' has no rest between sets, so it cannot do more than 1",
        ),
        (
            RoutineEntry("figure-4", sets=2, prescribed=True),
            "rest: 'figure-4' has no rest between sets: give one for 2 sets",
        ),
        (RoutineEntry("figure-4", sides=Sides.BOTH), "sides: 'figure-4' is not done with both"),
        (RoutineEntry("glute-bridge", sides=Sides.LEFT), "sides: 'glute-bridge' is not done per"),
        (RoutineEntry("glute-bridge", switch=5), "switch: 'glute-bridge' is not done per side"),
        (RoutineEntry("figure-4", lead_in=-1), "lead_in: must be 0 or more seconds, not -1"),
        (RoutineEntry("figure-4", switch=601), "switch: 601 is too large (at most 600)"),
        (RoutineEntry("figure-4", reps=0, prescribed=True), "reps: must be a whole number"),
        (RoutineEntry("no-such"), "unknown exercise 'no-such'"),
        (
            RoutineEntry("pelvic-tilt", reps=1000, sets=6, rest=60, prescribed=True),
            "that makes about 12,006 steps; a routine may have at most 5,000",
        ),
    ],
)
def test_a_choice_that_breaks_the_rules_is_refused_and_changes_nothing(
    entry: RoutineEntry, message: str
) -> None:
    draft = draft_of("hip-adductor")
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        draft.set_entry(0, entry)
    assert draft.routine.entries == (RoutineEntry("hip-adductor"),)
    assert not draft.can_undo


def test_a_prescribed_dose_goes_past_the_guide_and_into_the_plan() -> None:
    draft = draft_of("figure-4")
    prescribed = RoutineEntry("figure-4", hold=45, reps=3, sets=2, rest=30, prescribed=True)
    draft.set_entry(0, prescribed)
    assert draft.routine.entries == (prescribed,)
    before = draft_of("figure-4").summary().total_seconds
    # 2 sets x 2 sides x 3 holds of 45 s instead of 2 holds of 15 s, with the 3 s relax
    # between holds, the 30 s rest and the second set's switch of sides (8 s).
    assert draft.summary().total_seconds - before == 12 * 45 + 8 * 3 + 30 + 8 - 2 * 15
    assert draft.summary().prescribed == 1


# --- the routine's own fields ----------------------------------------------------------


def test_details_are_trimmed_and_checked() -> None:
    draft = draft_of("cat-cow")
    draft.set_details(name="  Evenings ", description=" Wind down. ", times_per_day=2)
    draft.set_details(rest_between=0, lead_in=7.5, switch=3, after_you_finish="Sleep.")
    routine = draft.routine
    assert (routine.name, routine.description, routine.times_per_day) == (
        "Evenings",
        "Wind down.",
        2,
    )
    assert (routine.rest_between, routine.lead_in, routine.switch) == (0, 7.5, 3)
    assert routine.after_you_finish == "Sleep."
    draft.set_details(times_per_day=None, description="")
    assert (draft.routine.times_per_day, draft.routine.description) == (None, "")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "   "}, "name: a routine needs a name"),
        ({"name": 5}, "name: must be text"),
        ({"times_per_day": 0}, "times_per_day: must be 1 to 12, not 0"),
        ({"times_per_day": 2.5}, "times_per_day: must be a whole number"),
        ({"rest_between": -1}, "rest_between: must be 0 to 600 seconds, not -1"),
        ({"lead_in": float("nan")}, "lead_in: must be a number of seconds"),
        ({"switch": True}, "switch: must be a number of seconds"),
        ({"lead_in": 5, "switch": 601}, "switch: must be 0 to 600 seconds, not 601"),
    ],
)
def test_bad_details_are_refused_and_change_nothing(
    changes: dict[str, object], message: str
) -> None:
    draft = draft_of("cat-cow")
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        draft.set_details(**changes)
    assert draft.routine == draft_of("cat-cow").routine
    assert not draft.can_undo


def test_an_unknown_detail_is_a_bug() -> None:
    with pytest.raises(TypeError, match="id"):
        draft_of("cat-cow").set_details(id="other")


# --- undo, redo and saving ---------------------------------------------------------------


def test_undo_and_redo_walk_the_changes() -> None:
    draft = RoutineDraft(MORNING, EXERCISES)
    assert not draft.can_undo
    assert not draft.can_redo
    assert not draft.undo()
    assert not draft.redo()
    draft.remove(0)
    draft.set_details(name="Short mornings")
    first = draft.routine
    draft.add("glute-bridge")
    assert draft.undo()
    assert draft.routine == first
    assert draft.undo()
    assert draft.undo()
    assert draft.routine == MORNING
    assert not draft.can_undo
    assert draft.redo()
    assert draft.redo()
    assert draft.routine == first
    draft.move(0, 1)  # a new change: what was undone cannot come back
    assert not draft.can_redo
    assert not draft.redo()


def test_a_change_that_changes_nothing_is_not_a_step() -> None:
    draft = RoutineDraft(MORNING, EXERCISES)
    draft.set_details(name="Morning stretches")
    draft.set_entry(0, RoutineEntry("knee-to-chest"))
    draft.move(2, 2)
    assert not draft.can_undo
    assert not draft.dirty


def test_merged_changes_undo_as_one() -> None:
    """A spin box stepping a hold 5, 6, 7, 8 s is one change; the next field is another."""
    draft = draft_of("hip-adductor", "glute-bridge")
    for hold in (6, 7, 8):
        draft.set_entry(0, RoutineEntry("hip-adductor", hold=hold), merge=True)
    for rest in (10, 11):
        draft.set_details(rest_between=rest, merge=True)
    draft.set_entry(1, RoutineEntry("glute-bridge", hold=6), merge=True)
    draft.set_entry(0, RoutineEntry("hip-adductor", hold=9), merge=True)
    assert draft.undo()
    assert draft.routine.entries[0].hold == 8
    assert draft.undo()
    assert draft.routine.entries[1].hold is None
    assert draft.undo()
    assert draft.routine.rest_between == 10.0  # the routine's default, before the spins
    assert draft.routine.entries[0].hold == 8
    assert draft.undo()
    assert draft.routine == draft_of("hip-adductor", "glute-bridge").routine
    assert not draft.can_undo


def test_an_undo_ends_a_merge() -> None:
    draft = draft_of("hip-adductor")
    draft.set_entry(0, RoutineEntry("hip-adductor", hold=6), merge=True)
    draft.undo()
    draft.redo()
    draft.set_entry(0, RoutineEntry("hip-adductor", hold=7), merge=True)
    assert draft.undo()
    assert draft.routine.entries[0].hold == 6


def test_dirty_is_a_difference_from_what_was_saved() -> None:
    draft = RoutineDraft(MORNING, EXERCISES)
    assert not draft.dirty
    draft.remove(0)
    assert draft.dirty
    draft.undo()
    assert not draft.dirty  # back as saved
    draft.remove(0)
    saved = replace(draft.routine, origin=Origin("routines/morning.yaml", False))
    draft.mark_saved(saved)
    assert not draft.dirty
    assert draft.routine.origin == saved.origin
    draft.undo()
    assert draft.dirty  # the saved file has four exercises; this has five
    with pytest.raises(ValueError, match="not the one being edited"):
        draft.mark_saved(saved)


def test_a_routine_not_yet_in_a_file_is_dirty_from_the_start() -> None:
    draft = RoutineDraft(Routine("new", "New", ()), EXERCISES, saved=False)
    assert draft.dirty
    draft.add("cat-cow")
    draft.mark_saved()
    assert not draft.dirty


# --- what it adds up to ----------------------------------------------------------------


def test_the_summary_is_the_session_the_app_plans() -> None:
    for person in (Settings(), Settings(verbosity=Verbosity.TEACH, rest_between=30)):
        draft = RoutineDraft(MORNING, EXERCISES, settings=person)
        plan = plan_for(MORNING, EXERCISES, person)
        summary = draft.summary()
        assert summary == DraftSummary(
            total_seconds=plan.total_seconds,
            exercises=5,
            equipment=("mat", "doorway"),
            position_changes=sum(s.change for s in plan.segments),
            prescribed=0,
            problems=(),
        )
        assert summary.position_changes == 3  # onto all fours, up to kneel, down by the door
    # The defaults: 396 s as the routine says, with 15 s to get into the first position
    # (not 5) and 20 s after each of the 3 changes of position.
    assert RoutineDraft(MORNING, EXERCISES).summary().total_seconds == 396 + 10 + 3 * 15


def test_the_summary_follows_each_change_and_is_made_once_per_state() -> None:
    draft = draft_of("knee-to-chest", "figure-4")
    first = draft.summary()
    assert draft.summary() is first
    assert first.position_changes == 0
    draft.add("wall-sit")
    after = draft.summary()
    assert after.position_changes == 1
    assert after.total_seconds > first.total_seconds
    assert after.equipment == ("mat", "wall")
    draft.undo()
    assert draft.summary() == first


def test_an_empty_draft_says_what_it_needs() -> None:
    draft = RoutineDraft(Routine("new", "New", ()), EXERCISES, saved=False)
    assert draft.summary() == DraftSummary(0.0, 0, (), 0, 0, ("Add at least one exercise.",))


def test_an_exercise_gone_from_the_library_is_named_and_left_out_of_the_total() -> None:
    routine = Routine("mine", "Mine", (RoutineEntry("cat-cow"), RoutineEntry("my-old-one")))
    summary = RoutineDraft(routine, EXERCISES).summary()
    assert summary.problems == ("Not in the library any more: my-old-one.",)
    assert summary.total_seconds == draft_of("cat-cow").summary().total_seconds


# --- any sequence of edits ---------------------------------------------------------------

EXERCISE_IDS = sorted(EXERCISES)
EDITS = st.lists(
    st.tuples(
        st.sampled_from(["add", "remove", "move", "entry", "details", "undo", "redo"]),
        st.integers(0, 30),
        st.integers(0, 30),
        st.sampled_from(EXERCISE_IDS),
        st.booleans(),
    ),
    max_size=30,
)


def _random_entry(draft: RoutineDraft, index: int, seed: int, prescribed: bool) -> RoutineEntry:
    exercise_id = draft.routine.entries[index].exercise
    limits = draft.limits(index, prescribed=prescribed)

    def pick(limit: Range | None) -> float | None:
        if limit is None or seed % 3 == 0:
            return None
        return limit.min + (limit.max - limit.min) * (seed % 7) / 6

    reps = pick(limits.reps)
    # Few reps keep the plans small, but never fewer than the exercise's least.
    fewest = int(limits.reps.min) if limits.reps is not None else 1
    return RoutineEntry(
        exercise_id,
        hold=pick(limits.hold),
        reps=None if reps is None else min(int(reps), max(12, fewest)),
        sides=limits.sides[seed % len(limits.sides)] if limits.sides else None,
        lead_in=float(seed) if seed % 2 else None,
        prescribed=prescribed,
    )


@settings(
    max_examples=100,
    deadline=timedelta(seconds=2),
    suppress_health_check=[HealthCheck.too_slow],
)
@given(EDITS)
def test_whatever_the_editor_accepts_loads_back_and_undoes(
    edits: list[tuple[str, int, int, str, bool]],
) -> None:
    draft = RoutineDraft(MORNING, EXERCISES)
    for action, a, b, exercise_id, flag in edits:
        size = len(draft.routine.entries)
        if action == "add":
            draft.add(exercise_id, a % (size + 1))
        elif action == "remove" and size > 1:
            draft.remove(a % size)
        elif action == "move" and size:
            draft.move(a % size, b % size)
        elif action == "entry" and size:
            draft.set_entry(a % size, _random_entry(draft, a % size, b, flag), merge=flag)
        elif action == "details":
            draft.set_details(rest_between=float(b), name=f"Mine {a}", merge=flag)
        elif action == "undo":
            draft.undo()
        elif action == "redo":
            draft.redo()
    routine = draft.routine
    assert list(routine_problems(routine, EXERCISES)) == []
    back = load_text(routine_yaml(routine).encode(), "mine.yaml", kind="routine").routine
    assert back == routine
    assert draft.dirty == (routine != MORNING)
    while draft.undo():
        pass
    assert draft.routine == MORNING
