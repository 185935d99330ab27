"""The cue script: which side, which rep, and what comes next, in words."""

from __future__ import annotations

import pytest

from si_timer.library.catalog import Catalog, load_catalog
from si_timer.library.model import Side
from si_timer.session.cues import Sound, Verbosity, script, seconds_words, side_name
from si_timer.session.plan import SegmentKind, build_plan


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
        f"Knee-to-chest stretch. {catalog.exercise('knee-to-chest').cues.start} Left leg first.",
        "Left leg. Hold for 20 seconds.",
        "Switch to your right leg.",
        "Right leg. Hold for 20 seconds.",
        "Now both together.",
        "Both legs. Hold for 20 seconds.",
    ]
    assert "Rest, 10 seconds. Next: Figure-4 (piriformis) stretch." in lines
    assert "10 seconds left." not in lines  # full counting only


def test_paced_reps_are_counted_in_full_mode_only(catalog: Catalog) -> None:
    full = [
        t for k, t in spoken(catalog, "core-strength", Verbosity.FULL) if k is SegmentKind.PHASE
    ]
    key = [t for k, t in spoken(catalog, "core-strength", Verbosity.KEY) if k is SegmentKind.PHASE]
    assert full[0] == "15 reps. Tighten."
    assert "7. Tighten." in full
    assert key[0] == "15 reps. Tighten 3 seconds, Release 2 seconds."
    assert key[-1] == "Last one."
    assert len(key) == 2


def test_self_paced_reps_say_how_many_and_what_to_press(catalog: Catalog) -> None:
    lines = [
        t for k, t in spoken(catalog, "core-strength", Verbosity.KEY) if k is SegmentKind.MANUAL
    ]
    assert lines[0] == "Left leg. Do 15 reps at your own pace. Press Done when you finish."
    assert "Left side. Do 10 reps" in lines[-2]


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
