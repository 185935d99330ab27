"""What the session says and plays, and when: the cue script for each segment.

Pure functions of the plan, the exercises and the chosen verbosity, so every
spoken line can be checked in a test.  Each cue fires either as its segment
starts (``at is None``) or when the segment's remaining time falls to ``at``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from si_timer.library.model import Exercise, Side
from si_timer.session.plan import CARRY_ON_GRACE, Plan, SegmentKind


class Verbosity(StrEnum):
    OFF = "off"  # sounds only
    KEY = "key"  # exercise, side, hold length, switches, rests
    FULL = "full"  # also rep counting, phase names and "10 seconds left"


class Sound(StrEnum):
    TICK = "tick"  # each of the last 3 seconds
    CHIME = "chime"  # a hold or rep phase begins
    SWITCH = "switch"  # change sides
    REST = "rest"  # a rest begins
    START = "start"  # get into position for a new exercise
    FINISH = "finish"  # the session is done


@dataclass(frozen=True)
class Cue:
    at: float | None  # None: as the segment starts; else when this much time is left
    speech: str | None = None
    sound: Sound | None = None


TICK_SECONDS = (3.0, 2.0, 1.0)
TEN_LEFT_MIN_HOLD = 20.0  # "10 seconds left" only on holds long enough for it to help


def side_name(side: Side, word: str) -> str:
    """ "Left leg", "Both legs", "Right side"; empty for no side."""
    if side is Side.NONE:
        return ""
    if side is Side.BOTH:
        return f"Both {word}s"
    return f"{side.value.capitalize()} {word}"


def seconds_words(seconds: float) -> str:
    whole = round(seconds)
    if whole % 60 == 0 and whole >= 60:
        minutes = whole // 60
        return f"{minutes} minute{'s' * (minutes != 1)}"
    return f"{whole} second{'s' * (whole != 1)}"


def side_words(side: Side, word: str, note: str | None) -> str:
    """ "Left leg: left ankle over the right knee", or just "Left leg" with no note."""
    name = side_name(side, word)
    return _with_note(name, note) if name else ""


def _with_note(text: str, note: str | None) -> str:
    return f"{text}: {note[0].lower()}{note[1:]}" if note else text


def _sentence(*parts: str | None) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def segment_cues(
    plan: Plan, index: int, exercises: Mapping[str, Exercise], verbosity: Verbosity
) -> list[Cue]:
    seg = plan.segments[index]
    ex = exercises.get(seg.exercise_id)
    word = ex.side_word if ex else "leg"
    talk = verbosity is not Verbosity.OFF
    full = verbosity is Verbosity.FULL
    cues: list[Cue] = []

    def start(sound: Sound | None, speech: str | None) -> None:
        cues.append(Cue(None, speech if talk and speech else None, sound))

    side = side_name(seg.side, word)
    nxt = plan.segments[index + 1] if index + 1 < len(plan.segments) else None
    speech: str | None
    match seg.kind:
        case SegmentKind.LEAD_IN:
            first = f"{_first(side_words(seg.side, word, seg.side_note))}." if side else None
            start(
                Sound.START,
                _sentence(f"{seg.exercise_name}.", ex.cues.start if ex else None, first),
            )
        case SegmentKind.HOLD:
            count = f"Hold {seg.rep} of {seg.reps}," if seg.reps and seg.reps > 1 else "Hold for"
            speech = _sentence(
                f"{side}." if side else None, f"{count} {seconds_words(seg.seconds or 0)}."
            )
            if full and ex and ex.cues.hold:
                speech = _sentence(speech, ex.cues.hold)
            start(Sound.CHIME, speech)
            if full and (seg.seconds or 0) >= TEN_LEFT_MIN_HOLD:
                cues.append(Cue(10.0, "10 seconds left."))
        case SegmentKind.PHASE if seg.move and nxt is not None and nxt.kind is SegmentKind.HOLD:
            # Moving into a hold (the glute bridge's lift): the count starts after it.
            start(Sound.START, f"{seg.phase}." if seg.rep == 1 or full else None)
        case SegmentKind.PHASE:
            first_phase = _is_first_phase(plan, index)
            if first_phase and seg.rep == 1:
                speech = _sentence(
                    f"{side}." if side else None,
                    f"{seg.reps} reps." if seg.reps else None,
                    f"{seg.phase}." if full else _tempo_words(plan, index),
                )
            elif full:
                speech = f"{seg.rep}. {seg.phase}." if first_phase else f"{seg.phase}."
            elif first_phase and seg.reps and seg.rep == seg.reps:
                speech = "Last one."
            else:
                speech = None
            start(Sound.START if seg.move else Sound.CHIME, speech)
        case SegmentKind.MANUAL:
            reps = f"Do {seg.reps} reps at your own pace." if seg.reps else "Go at your own pace."
            done = "Press Done when you finish."
            if seg.pace is not None:  # counted aloud: see self_paced_cues
                reps, done = (f"{seg.reps or 1} reps, with my count.", "")
            start(Sound.CHIME, _sentence(f"{side}." if side else None, reps, done))
        case SegmentKind.SWITCH:
            speech = (
                "Now both together" if seg.side is Side.BOTH else f"Switch to your {side.lower()}"
            )
            start(Sound.SWITCH, f"{_with_note(speech, seg.side_note)}.")
        case SegmentKind.REST:
            if seg.is_relax:
                start(Sound.REST, "Relax." if full else None)
            else:
                then = f"Next: set {seg.set + 1} of {seg.sets}." if seg.set else None
                start(Sound.REST, _sentence(f"Rest, {seconds_words(seg.seconds or 0)}.", then))
        case SegmentKind.TRANSITION if seg.change and seg.posture is not None:
            # The body changes position: say where to, so the time goes on moving there.
            start(
                Sound.START,
                _sentence(f"Next: {seg.exercise_name}.", f"{seg.posture.instruction}."),
            )
        case SegmentKind.TRANSITION:
            start(
                Sound.REST,
                _sentence(
                    f"Rest, {seconds_words(seg.seconds or 0)}.", f"Next: {seg.exercise_name}."
                ),
            )
    into_hold = (
        seg.kind is SegmentKind.REST
        and nxt is not None
        and nxt.kind in (SegmentKind.HOLD, SegmentKind.PHASE)
    )
    if into_hold or seg.kind in (
        SegmentKind.HOLD,
        SegmentKind.LEAD_IN,
        SegmentKind.TRANSITION,
        SegmentKind.SWITCH,
    ):
        seconds = seg.seconds or 0
        cues.extend(Cue(t, None, Sound.TICK) for t in TICK_SECONDS if t < seconds)
    return cues


def _first(words: str) -> str:
    """ "Left leg first: left knee to your chest" from "Left leg: left knee to your chest"."""
    name, colon, note = words.partition(":")
    return f"{name} first{colon}{note}"


def _is_first_phase(plan: Plan, index: int) -> bool:
    seg = plan.segments[index]
    prev = plan.segments[index - 1] if index > 0 else None
    return not (
        prev and prev.kind is SegmentKind.PHASE and prev.rep == seg.rep and prev.side == seg.side
    )


def _tempo_words(plan: Plan, index: int) -> str:
    """ "Tighten 3 seconds, release 2 seconds." from the phases of the first rep."""
    seg = plan.segments[index]
    phases: list[str] = []
    for other in plan.segments[index:]:
        if other.kind is not SegmentKind.PHASE or other.rep != seg.rep or other.side != seg.side:
            break
        phases.append(f"{other.phase} {seconds_words(other.seconds or 0)}")
    return (", ".join(phases) + ".") if phases else ""


def script(plan: Plan, exercises: Mapping[str, Exercise], verbosity: Verbosity) -> list[list[Cue]]:
    """The cues of every segment, in plan order."""
    return [
        segment_cues(plan, i, exercises, verbosity) + self_paced_cues(plan, i, verbosity)
        for i in range(len(plan.segments))
    ]


_COUNT_WORDS = (
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
    "Twenty",
)
CARRY_ON_SPEECH = "Carry on, or press Done when you finish."


def count_word(n: int) -> str:
    """ "One", "Two", ... "Twenty", then digits."""
    return _COUNT_WORDS[n - 1] if 1 <= n <= len(_COUNT_WORDS) else str(n)


def self_paced_cues(plan: Plan, index: int, verbosity: Verbosity) -> list[Cue]:
    """A self-paced set never waits silently: its reps are counted aloud at the exercise's
    pace ("One" as the first rep ends, ...), or, where the person sets the pace, "carry on,
    or press Done" comes a grace period before the session moves on by itself."""
    seg = plan.segments[index]
    if seg.kind is not SegmentKind.MANUAL or seg.estimate <= 0:
        return []
    talk = verbosity is not Verbosity.OFF
    if seg.pace is None:
        at = min(CARRY_ON_GRACE, seg.estimate)
        return [Cue(at, CARRY_ON_SPEECH if talk else None, Sound.CHIME)]
    return [
        Cue(
            max(0.0, seg.estimate - n * seg.pace),
            f"{count_word(n)}." if talk else None,
            None if talk else Sound.TICK,
        )
        for n in range(1, (seg.reps or 1) + 1)
    ]


FINISH_CUE = Cue(None, "Well done. That's the session complete.", Sound.FINISH)


def finish_cue(plan: Plan) -> Cue:
    """:data:`FINISH_CUE`, followed by the routine's tip for afterwards when it has one."""
    if not plan.after_you_finish:
        return FINISH_CUE
    return Cue(None, _sentence(FINISH_CUE.speech, plan.after_you_finish), Sound.FINISH)


PAUSE_SPEECH = "Paused."
SLEPT_SPEECH = "Paused while your computer slept."


def resume_cues(seconds: int) -> Sequence[Cue]:
    """The 3-2-1 before a session carries on after a pause."""
    return [Cue(float(n), str(n), Sound.TICK) for n in range(seconds, 0, -1)]
