"""The cue script: which side, which rep, and what comes next, in words."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import content
from si_timer.config.settings import Settings
from si_timer.library.catalog import Catalog, load_catalog
from si_timer.library.model import Side
from si_timer.records import replace
from si_timer.session.cues import (
    CARRY_ON_SPEECH,
    FINISH_CUE,
    Cue,
    Priority,
    Sound,
    Verbosity,
    count_word,
    finish_cue,
    phase_word,
    script,
    seconds_words,
    side_name,
    side_words,
    speech_timeline,
    spoken_seconds,
    teaching,
)
from si_timer.session.options import plan_for, plan_options
from si_timer.session.plan import (
    CARRY_ON_GRACE,
    CARRY_ON_MARGIN,
    COUNT_MARGIN,
    SELF_PACED_REP_ESTIMATE,
    Level,
    PlanOptions,
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


def test_coach_cues_for_the_morning_stretches(catalog: Catalog) -> None:
    lines = [text for _, text in spoken(catalog, "morning", Verbosity.COACH)]
    # The 5 s lead-in has no room for the position line as well: the side is kept.
    assert lines[:6] == [
        "Knee-to-chest stretch. Left leg first: left knee to your chest.",
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
    assert "10 seconds left." not in lines  # no hold here is long enough for it


def test_every_phase_of_a_paced_rep_has_its_word_at_the_coach_level(catalog: Catalog) -> None:
    phases = [
        t for k, t in spoken(catalog, "core-strength", Verbosity.COACH) if k is SegmentKind.PHASE
    ]
    assert phases[:4] == ["15 reps. Tighten.", "Release.", "2. Tighten.", "Release."]
    assert "Last one. Tighten." in phases
    cat_cow = [t for k, t in spoken(catalog, "morning", Verbosity.COACH) if k is SegmentKind.PHASE]
    assert cat_cow[:5] == ["10 reps. Cat.", "Hold.", "Cow.", "Hold.", "2. Cat."]
    rotation = [
        t for k, t in spoken(catalog, "pelvic-rotation", Verbosity.COACH) if k is SegmentKind.PHASE
    ]
    assert rotation[:3] == ["Left leg. 3 reps. Out.", "In.", "Hold."]


def test_minimal_says_side_phase_and_counts_only(catalog: Catalog) -> None:
    lines = [t for _, t in spoken(catalog, "morning", Verbosity.MINIMAL)]
    assert lines[:2] == ["Left leg first: left knee to your chest.", "Left leg. Hold."]
    assert not any("seconds" in line or "Knee-to-chest" in line for line in lines)
    assert "Cat." in lines
    assert "2. Cat." in lines


def test_teach_says_the_steps_during_a_rest_with_room_else_in_a_longer_lead_in(
    catalog: Catalog,
) -> None:
    routine = catalog.routine("full")
    plan = plan_for(routine, catalog.exercises, Settings(verbosity=Verbosity.TEACH))
    short = build_plan(routine, catalog.exercises)
    cues = script(plan, catalog.exercises, Verbosity.TEACH)
    said = {
        (seg.kind, seg.exercise_id): c.speech or ""
        for seg, seg_cues in zip(plan.segments, cues, strict=True)
        for c in seg_cues
        if c.at is None
    }
    # The first exercise has no rest before it: its lead-in grows to hold the steps.
    first = plan.segments[0]
    assert first.seconds is not None
    assert short.segments[0].seconds is not None
    assert first.seconds > short.segments[0].seconds
    steps = catalog.exercise(first.exercise_id).steps
    assert all(step in said[SegmentKind.LEAD_IN, first.exercise_id] for step in steps)
    # In the morning stretches the lunge comes after a 20 s change of position: taught there.
    morning = plan_for(
        catalog.routine("morning"), catalog.exercises, Settings(verbosity=Verbosity.TEACH)
    )
    lines = {
        (seg.kind, seg.exercise_id): c.speech or ""
        for seg, seg_cues in zip(
            morning.segments, script(morning, catalog.exercises, Verbosity.TEACH), strict=True
        )
        for c in seg_cues
        if c.at is None
    }
    lunge = catalog.exercise("hip-flexor-lunge").steps
    assert all(step in lines[SegmentKind.TRANSITION, "hip-flexor-lunge"] for step in lunge)
    assert not any(step in lines[SegmentKind.LEAD_IN, "hip-flexor-lunge"] for step in lunge)
    # The hold tip is taught once per side, not on every rep.
    tip = catalog.exercise("knee-to-chest").cues.hold or ""
    text = [c.speech or "" for seg_cues in cues for c in seg_cues]
    assert sum(tip in line for line in text) == 3  # left, right, both
    # Without teaching, nothing grows beyond what the settings give.
    assert plan_for(routine, catalog.exercises, Settings()) == build_plan(
        routine, catalog.exercises, plan_options(Settings())
    )


def test_new_exercises_are_taught_at_the_coach_level(catalog: Catalog) -> None:
    routine = catalog.routine("morning")
    plan = build_plan(routine, catalog.exercises)
    cues = script(plan, catalog.exercises, Verbosity.COACH, new={"figure-4"})
    text = " ".join(c.speech or "" for seg in cues for c in seg)
    assert catalog.exercise("figure-4").steps[0] in text
    assert catalog.exercise("cat-cow").steps[0] not in text
    # ...but never below it: minimal stays minimal for a new exercise.
    quiet = script(plan, catalog.exercises, Verbosity.MINIMAL, new={"figure-4"})
    assert catalog.exercise("figure-4").steps[0] not in str(quiet)


def test_the_press_up_s_hold_tip_does_not_end_on_the_rest_s_relax(catalog: Catalog) -> None:
    exercises = catalog.exercises
    routine = next(
        r for r in catalog.routines.values() if any(e.exercise == "press-up" for e in r.entries)
    )
    plan = build_plan(routine, exercises)
    cues = script(plan, exercises, Verbosity.TEACH)
    holds = [
        c.speech
        for seg, seg_cues in zip(plan.segments, cues, strict=True)
        if seg.exercise_id == "press-up" and seg.kind is SegmentKind.HOLD
        for c in seg_cues
        if c.speech
    ]
    relax = [
        c.speech
        for seg, seg_cues in zip(plan.segments, cues, strict=True)
        if seg.exercise_id == "press-up" and seg.is_relax
        for c in seg_cues
        if c.speech
    ]
    assert "Up on your elbows" in (holds[0] or "")
    assert not any((h or "").endswith("Relax.") for h in holds)
    assert set(relax) == {"Relax."}


def test_long_holds_say_halfway_and_ten_seconds_left(catalog: Catalog) -> None:
    routine = next(
        r for r in catalog.routines.values() if any(e.exercise == "wall-sit" for e in r.entries)
    )
    plan = build_plan(routine, catalog.exercises, PlanOptions(levels={"wall-sit": Level(40)}))
    index = next(
        s.index for s in plan.segments if s.exercise_id == "wall-sit" and s.kind is SegmentKind.HOLD
    )
    hold = script(plan, catalog.exercises, Verbosity.COACH)[index]
    assert [(c.at, c.speech) for c in hold if c.at is not None and c.speech] == [
        (20.0, "Halfway."),
        (10.0, "10 seconds left."),
    ]
    quiet = script(plan, catalog.exercises, Verbosity.COACH, time_left=False)[index]
    assert [c.speech for c in quiet if c.speech] == ["Hold for 40 seconds."]


def test_self_paced_reps_say_how_many_and_what_to_press(catalog: Catalog) -> None:
    lines = [
        t for k, t in spoken(catalog, "core-strength", Verbosity.COACH) if k is SegmentKind.MANUAL
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
    counts = [c for c in script(plan, catalog.exercises, Verbosity.COACH)[manual.index] if c.at]
    # Each number as its rep ends (at is the time left before the set moves on).
    assert [manual.estimate - c.at for c in counts if c.at is not None] == [
        pytest.approx(5.0 * n) for n in range(1, 16)
    ]
    assert [c.speech for c in counts] == [f"{count_word(n)}." for n in range(1, 16)]
    silent = [c for c in script(plan, catalog.exercises, Verbosity.OFF)[manual.index] if c.at]
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
    assert Cue(CARRY_ON_GRACE, CARRY_ON_SPEECH, Sound.CHIME, Priority.KEY) in cues


def test_the_kettlebell_starts_by_the_right_foot(catalog: Catalog) -> None:
    lines = [t for _, t in spoken(catalog, "core-strength-kettlebell", Verbosity.COACH)]
    assert any(
        line.endswith("Right side first: kettlebell by your right foot, left hand takes it.")
        for line in lines
    )
    assert "Right side. 10 reps, with my count." in lines


def plan_cues(catalog: Catalog, routine: str) -> list[tuple[Segment, list[Cue]]]:
    plan = build_plan(catalog.routine(routine), catalog.exercises)
    return list(zip(plan.segments, script(plan, catalog.exercises, Verbosity.COACH), strict=True))


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
    assert all(
        cues[0] == Cue(None, "Lift your hips.", Sound.START, Priority.COUNT) for cues in lift
    )
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
    lines = [
        t for k, t in spoken(catalog, "core-strength", Verbosity.COACH) if k is SegmentKind.REST
    ]
    # The glute bridge rests 60-90 s: the easier end first.
    assert lines[:2] == [
        "Rest, 90 seconds. Next: set 2 of 3.",
        "Rest, 90 seconds. Next: set 3 of 3.",
    ]


def test_off_keeps_the_sounds(catalog: Catalog) -> None:
    plan = build_plan(catalog.routine("morning"), catalog.exercises)
    cues = [c for seg in script(plan, catalog.exercises, Verbosity.OFF) for c in seg]
    assert all(c.speech is None for c in cues)
    sounds = {c.sound for c in cues}
    assert {Sound.START, Sound.CHIME, Sound.SWITCH, Sound.REST, Sound.TICK} <= sounds


def test_ticks_on_the_last_three_seconds_of_a_hold(catalog: Catalog) -> None:
    plan = build_plan(catalog.routine("morning"), catalog.exercises)
    cues = script(plan, catalog.exercises, Verbosity.COACH)[1]
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


ROUTINES = [
    path.stem for path in sorted((Path(content.__file__).parent / "routines").glob("*.yaml"))
]


@pytest.mark.parametrize("routine", ROUTINES)
@pytest.mark.parametrize("verbosity", list(Verbosity))
@pytest.mark.parametrize("taught", [False, True], ids=["known", "new"])
def test_no_line_overruns_its_segment_or_the_next_line(
    catalog: Catalog, routine: str, verbosity: Verbosity, taught: bool
) -> None:
    ids = {entry.exercise for entry in catalog.routine(routine).entries}
    new = ids if taught else set()
    settings = Settings(verbosity=verbosity, voice=verbosity is not Verbosity.OFF)
    plan = plan_for(catalog.routine(routine), catalog.exercises, settings)
    cues = script(plan, catalog.exercises, verbosity, new=new)
    timeline = speech_timeline(plan, cues)
    if verbosity is Verbosity.OFF:
        assert timeline == []
        return
    assert timeline
    for (start, end, line), following in zip(timeline, [*timeline[1:], None], strict=True):
        limit = min(end, following[0] if following else math.inf)
        assert start + spoken_seconds(line) <= limit, (
            f"{line!r} at {start:g} s takes {spoken_seconds(line):.1f} s of {limit - start:g} s"
        )
    if verbosity is Verbosity.COACH:
        for seg, seg_cues in zip(plan.segments, cues, strict=True):
            if seg.kind is SegmentKind.PHASE:
                assert any(c.speech for c in seg_cues if c.at is None), seg


def test_a_slower_voice_says_less() -> None:
    line = "Rest, 10 seconds. Next: Figure-4 (piriformis) stretch."
    assert spoken_seconds(line, -1.0) == pytest.approx(2 * spoken_seconds(line))
    assert spoken_seconds(line, 1.0) == pytest.approx(spoken_seconds(line) / 2)
    # Measured with espeak-ng at its default rate: 4.5 s.
    assert 4.5 <= spoken_seconds(line) <= 4.5 * 1.3


def test_a_slow_voice_keeps_the_side_and_drops_the_name(catalog: Catalog) -> None:
    plan = build_plan(catalog.routine("morning"), catalog.exercises)
    fast = script(plan, catalog.exercises, Verbosity.COACH)[0][0]
    slow = script(plan, catalog.exercises, Verbosity.COACH, rate=-0.5)[0][0]
    assert fast.speech == "Knee-to-chest stretch. Left leg first: left knee to your chest."
    assert slow.speech == "Left leg first: left knee to your chest."
    assert slow.priority is Priority.KEY


def test_the_two_phases_of_a_paced_rep_sound_different(catalog: Catalog) -> None:
    sounds = {
        seg.phase: cues[0].sound
        for seg, cues in plan_cues(catalog, "core-strength") + plan_cues(catalog, "morning")
        if seg.kind is SegmentKind.PHASE and not seg.move
    }
    assert sounds["Tighten"] is Sound.CHIME
    assert sounds["Release"] is Sound.CHIME_BACK
    assert sounds["Hold cat"] is Sound.CHIME
    assert sounds["Hold cow"] is Sound.CHIME_BACK


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("Round up into cat", "Cat"),
        ("Hold cow", "Hold"),
        ("Foot out, press outside", "Out"),
        ("Tighten", "Tighten"),
    ],
)
def test_phase_words(name: str, word: str) -> None:
    assert phase_word(name) == word


def test_teaching_repeats_the_steps_of_the_current_exercise(catalog: Catalog) -> None:
    plan = build_plan(catalog.routine("morning"), catalog.exercises)
    hold = plan.segments[1]
    text = teaching(plan, hold.index, catalog.exercises)
    ex = catalog.exercise(hold.exercise_id)
    assert text.startswith(f"{ex.name}. {ex.steps[0]}")
    assert text.endswith("Left leg: left knee to your chest.")
