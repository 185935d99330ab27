"""The cue script: which side, which rep, and what comes next, in words."""

from __future__ import annotations

from dataclasses import replace

import pytest

from si_timer.library.catalog import Catalog, load_catalog
from si_timer.library.model import Side
from si_timer.session.cues import (
    CARRY_ON_SPEECH,
    FINISH_CUE,
    Cue,
    Sound,
    Verbosity,
    count_word,
    finish_cue,
    script,
    seconds_words,
    self_paced_cues,
    side_name,
    side_words,
)
from si_timer.session.plan import (
    CARRY_ON_GRACE,
    CARRY_ON_MARGIN,
    COUNT_MARGIN,
    SELF_PACED_REP_ESTIMATE,
    Segment,
    SegmentKind,
    build_plan,
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def spoken(catalog: Catalog, routine: str, verbosity: Verbosity) -> list[tuple[SegmentKind, str]]:
    plan = build_plan(catalog.routine(routine), catalog.exercises)
    lines = []
    for seg, cues in zip(plan.segments, script(plan, catalog.exercises, verbosity), strict=True):
        lines.extend((seg.kind, c.speech) for c in cues if c.speech)
    return lines


def test_key_cues_for_the_morning_stretches(catalog: Catalog) -> None:
    lines = [text for _, text in spoken(catalog, "morning", Verbosity.KEY)]
    assert lines[:6] == [
        f"Knee-to-chest stretch. {catalog.exercise('knee-to-chest').cues.start} "
        "Left leg first: left knee to your chest.",
        "Left leg. Hold for 20 seconds.",
        "Switch to your right leg: right knee to your chest.",
        "Right leg. Hold for 20 seconds.",
        "Now both together: both knees to your chest.",
        "Both legs. Hold for 20 seconds.",
    ]
    # Figure-4 stays on the back: a rest. Cat-cow needs a roll onto all fours: said up front.
    assert "Rest, 10 seconds. Next: Figure-4 (piriformis) stretch." in lines
    assert "Next: Cat-cow. Come onto your hands and knees." in lines
    assert "Next: Doorway hamstring stretch. Lie on your back in the doorway." in lines
    assert "Switch to your right leg: right ankle over the left knee." in lines
    assert "10 seconds left." not in lines  # full counting only


def test_paced_reps_are_counted_in_full_mode_only(catalog: Catalog) -> None:
    full = [
        t for k, t in spoken(catalog, "core-strength", Verbosity.FULL) if k is SegmentKind.PHASE
    ]
    key = [t for k, t in spoken(catalog, "core-strength", Verbosity.KEY) if k is SegmentKind.PHASE]
    assert full[0] == "15 reps. Tighten."
    assert "7. Tighten." in full
    assert key[0] == "15 reps. Tighten 3 seconds, Release 2 seconds."
    # The glute bridge's lift is said before each set's count (its chime starts the hold).
    assert key[1:] == ["Last one.", "Lift your hips.", "Lift your hips.", "Lift your hips."]


def test_self_paced_reps_say_how_many_and_what_to_press(catalog: Catalog) -> None:
    lines = [
        t for k, t in spoken(catalog, "core-strength", Verbosity.KEY) if k is SegmentKind.MANUAL
    ]
    # The side-lying raise has a natural pace: the voice counts each side's 15 reps.
    right = lines[: lines.index("Left leg. 15 reps, with my count.")]
    assert right == ["Right leg. 15 reps, with my count."] + [
        f"{count_word(n)}." for n in range(1, 16)
    ]
    assert right[-1] == "Fifteen."


def test_self_paced_reps_are_counted_at_the_exercise_pace(catalog: Catalog) -> None:
    plan = build_plan(catalog.routine("core-strength"), catalog.exercises)
    manual = next(s for s in plan.segments if s.kind is SegmentKind.MANUAL)
    assert manual.pace == 5.0  # up 2 s, down 3 s
    assert manual.estimate == 15 * 5.0 + COUNT_MARGIN
    counts = [c for c in self_paced_cues(plan, manual.index, Verbosity.KEY)]
    # Each number as its rep ends (at is the time left before the set moves on).
    assert [manual.estimate - c.at for c in counts if c.at is not None] == [
        pytest.approx(5.0 * n) for n in range(1, 16)
    ]
    silent = self_paced_cues(plan, manual.index, Verbosity.OFF)
    assert {(c.speech, c.sound) for c in silent} == {(None, Sound.TICK)}


def test_reps_the_person_paces_say_carry_on_before_moving_on(catalog: Catalog) -> None:
    raise_ = catalog.exercise("side-lying-leg-raise")
    unpaced = replace(raise_, dose=replace(raise_.dose, pace=()))
    exercises = {**catalog.exercises, raise_.id: unpaced}
    plan = build_plan(catalog.routine("core-strength"), exercises)
    manual = next(s for s in plan.segments if s.kind is SegmentKind.MANUAL)
    assert manual.pace is None
    assert manual.estimate == 15 * SELF_PACED_REP_ESTIMATE + CARRY_ON_MARGIN + CARRY_ON_GRACE
    cues = script(plan, exercises, Verbosity.KEY)[manual.index]
    assert cues[0].speech == "Right leg. Do 15 reps at your own pace. Press Done when you finish."
    assert Cue(CARRY_ON_GRACE, CARRY_ON_SPEECH, Sound.CHIME) in cues


def test_the_kettlebell_starts_by_the_right_foot(catalog: Catalog) -> None:
    lines = [t for _, t in spoken(catalog, "core-strength-kettlebell", Verbosity.KEY)]
    assert (
        "Kettlebell lateral swing. Stand tall, kettlebell beside your foot. Right side first: "
        "kettlebell by your right foot, left hand takes it." in lines
    )
    assert "Right side. 10 reps, with my count." in lines


def plan_cues(catalog: Catalog, routine: str) -> list[tuple[Segment, list[Cue]]]:
    plan = build_plan(catalog.routine(routine), catalog.exercises)
    return list(zip(plan.segments, script(plan, catalog.exercises, Verbosity.KEY), strict=True))


def test_a_rest_that_leads_into_a_hold_counts_down_3_2_1(catalog: Catalog) -> None:
    rests = [
        (seg.exercise_id, seg.phase, [c.at for c in cues if c.sound is Sound.TICK])
        for seg, cues in plan_cues(catalog, "targeted-stretches") + plan_cues(catalog, "full")
        if seg.kind is SegmentKind.REST
    ]
    assert rests
    # The 3 s relax has room for 2 and 1; every longer rest gets all three.
    assert {tuple(ticks) for _, phase, ticks in rests if phase == "Relax"} == {(2.0, 1.0)}
    assert {tuple(ticks) for _, phase, ticks in rests if phase != "Relax"} == {(3.0, 2.0, 1.0)}


def test_a_move_into_a_hold_sounds_apart_from_the_hold_s_chime(catalog: Catalog) -> None:
    bridge = [
        (s, c) for s, c in plan_cues(catalog, "core-strength") if s.exercise_id == "glute-bridge"
    ]
    lift = [cues for seg, cues in bridge if seg.move]
    holds = [cues for seg, cues in bridge if seg.kind is SegmentKind.HOLD]
    assert len(lift) == len(holds) == 3
    assert all(cues[0] == Cue(None, "Lift your hips.", Sound.START) for cues in lift)
    assert all(cues[0] == Cue(None, "Hold for 5 seconds.", Sound.CHIME) for cues in holds)


def test_a_change_of_position_sounds_like_getting_ready(catalog: Catalog) -> None:
    changes = [cues for seg, cues in plan_cues(catalog, "full") if seg.change]
    assert changes
    assert {cues[0].sound for cues in changes} == {Sound.START}


def test_the_finish_adds_the_routine_s_tip_for_afterwards(catalog: Catalog) -> None:
    evening = build_plan(catalog.routine("evening"), catalog.exercises)
    cue = finish_cue(evening)
    assert cue.speech == f"{FINISH_CUE.speech} {catalog.routine('evening').after_you_finish}"
    assert "pillow" in (cue.speech or "")
    morning = build_plan(catalog.routine("morning"), catalog.exercises)
    assert finish_cue(morning) == FINISH_CUE


@pytest.mark.parametrize(
    ("side", "note", "text"),
    [
        (Side.LEFT, "Left ankle over the right knee", "Left leg: left ankle over the right knee"),
        (Side.RIGHT, None, "Right leg"),
        (Side.NONE, "ignored", ""),
    ],
)
def test_side_words(side: Side, note: str | None, text: str) -> None:
    assert side_words(side, "leg", note) == text


def test_rest_between_sets_says_which_set_is_next(catalog: Catalog) -> None:
    lines = [t for k, t in spoken(catalog, "core-strength", Verbosity.KEY) if k is SegmentKind.REST]
    assert lines[:2] == ["Rest, 1 minute. Next: set 2 of 3.", "Rest, 1 minute. Next: set 3 of 3."]


def test_off_keeps_the_sounds(catalog: Catalog) -> None:
    plan = build_plan(catalog.routine("morning"), catalog.exercises)
    cues = [c for seg in script(plan, catalog.exercises, Verbosity.OFF) for c in seg]
    assert all(c.speech is None for c in cues)
    sounds = {c.sound for c in cues}
    assert {Sound.START, Sound.CHIME, Sound.SWITCH, Sound.REST, Sound.TICK} <= sounds


def test_ticks_on_the_last_three_seconds_of_a_hold(catalog: Catalog) -> None:
    plan = build_plan(catalog.routine("morning"), catalog.exercises)
    cues = script(plan, catalog.exercises, Verbosity.KEY)[1]
    assert [c.at for c in cues if c.sound is Sound.TICK] == [3.0, 2.0, 1.0]


@pytest.mark.parametrize(
    ("side", "word", "text"),
    [
        (Side.LEFT, "leg", "Left leg"),
        (Side.BOTH, "leg", "Both legs"),
        (Side.RIGHT, "side", "Right side"),
        (Side.NONE, "leg", ""),
    ],
)
def test_side_names(side: Side, word: str, text: str) -> None:
    assert side_name(side, word) == text


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(1, "1 second"), (20, "20 seconds"), (60, "1 minute"), (90, "90 seconds"), (120, "2 minutes")],
)
def test_seconds_words(seconds: float, words: str) -> None:
    assert seconds_words(seconds) == words
