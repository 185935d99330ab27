"""What the session says and plays, and when: the cue script for each segment.

Pure functions of the plan, the exercises and the chosen verbosity, so every
spoken line can be checked in a test.  Each cue fires either as its segment
starts (``at is None``) or when the segment's remaining time falls to ``at``.

A line is built from parts, each with a :class:`Priority`; once the whole
script is drafted, :func:`script` fits every line into the time before the
next line or the end of its segment (by the estimate of :func:`spoken_seconds`),
dropping the least important parts first, and never letting a less important
line cut off a more important one.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Collection, Mapping, Sequence
from enum import IntEnum, StrEnum

from si_timer.library.model import Exercise, Side
from si_timer.records import field, record
from si_timer.session.plan import CARRY_ON_GRACE, Plan, Segment, SegmentKind
from si_timer.session.verbosity import Verbosity


class Sound(StrEnum):
    TICK = "tick"  # each of the last 3 seconds
    CHIME = "chime"  # a hold begins, or the first phase of a paced rep
    CHIME_BACK = "chime-back"  # the other phase of a paced rep (release, cow, in)
    SWITCH = "switch"  # change sides
    REST = "rest"  # a rest begins
    START = "start"  # get into position for a new exercise
    FINISH = "finish"  # the session is done


class Priority(IntEnum):
    """How much a line matters; a fuller line loses its least important parts first."""

    DETAIL = 0  # teaching: steps, hold tips, tempo
    COUNT = 1  # phase words, counts, halfway, "10 seconds left"
    INFO = 2  # exercise name, position, hold length, rest length
    KEY = 3  # side, side switch, "Next: ...": never cut by a lesser line


@record(frozen=True)
class Cue:
    at: float | None  # None: as the segment starts; else when this much time is left
    speech: str | None = None
    sound: Sound | None = None
    priority: Priority = Priority.INFO
    interrupt: bool = False  # cut off what is being said (only lines that must cut in)


TICK_SECONDS = (3.0, 2.0, 1.0)
LONG_HOLD = 30.0  # "Halfway" and "10 seconds left" only on holds long enough for them to help
TIMES_TO_TEACH = 3  # an exercise is taught this many times, then coached

# Speaking-time estimate, measured once with espeak-ng's default voice and rate
# (`espeak-ng -w` on the lines of the bundled routines, length read from the WAV):
# about 5 syllables a second, plus a pause at each full stop and comma.  Within
# 12 % of the measured lengths; MARGIN covers the rest.
SYLLABLES_PER_SECOND = 5.0
STOP_PAUSE = 0.4
COMMA_PAUSE = 0.14
MARGIN = 1.15


@functools.lru_cache(maxsize=2048)  # a script asks again for the same lines as it fits them
def spoken_seconds(text: str, rate: float = 0.0) -> float:
    """About how long ``text`` takes to say at the Speaker's ``rate`` (-1 to 1; 0 normal).

    A rate of 1 is taken as twice as fast and -1 as half as fast (speech-dispatcher
    maps its rate range onto roughly that span of words per minute).
    """
    syllables = sum(
        len(word) if word.isdigit() else _syllables(word)
        for word in re.findall(r"[A-Za-z']+|\d+", text)
    )
    stops = len(re.findall(r"[.:;!?]", text))
    commas = len(re.findall(r"[,()]", text))
    seconds = syllables / SYLLABLES_PER_SECOND + stops * STOP_PAUSE + commas * COMMA_PAUSE
    speed: float = 2.0 ** max(-1.0, min(1.0, rate))
    return MARGIN * seconds / speed


@functools.lru_cache(maxsize=4096)  # the same few hundred words, planned on every edit
def _syllables(word: str) -> int:
    word = word.lower()
    count = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith("le") and count > 1:
        count -= 1  # a silent e
    return max(1, count)


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


def phase_word(name: str) -> str:
    """The word said at each phase of a paced rep: "Cat" for "Round up into cat",
    "Out" for "Foot out, press outside", "Hold" for "Hold cow", "Tighten" as it is."""
    clause = name.split(",", maxsplit=1)[0].strip()
    words = clause.split()
    if not words:
        return name
    if words[0].lower() == "hold":
        return "Hold"
    return words[-1].capitalize()


def _with_note(text: str, note: str | None) -> str:
    return f"{text}: {note[0].lower()}{note[1:]}" if note else text


def _sentence(*parts: str | None) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def _dot(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


@record
class _Draft:
    """A cue being built: its sound and the parts of its line, in speaking order."""

    at: float | None
    sound: Sound | None
    parts: list[tuple[str, Priority]] = field(default_factory=list)

    def say(self, text: str | None, priority: Priority) -> None:
        if text and text.strip():
            self.parts.append((_dot(text), priority))

    @property
    def text(self) -> str:
        return _sentence(*(text for text, _ in self.parts))

    @property
    def priority(self) -> Priority:
        return max((p for _, p in self.parts), default=Priority.DETAIL)

    def cue(self) -> Cue:
        return Cue(self.at, self.text or None, self.sound, self.priority)


class _Segment:
    """Drafts the cues of one segment at one verbosity."""

    def __init__(
        self,
        plan: Plan,
        index: int,
        exercises: Mapping[str, Exercise],
        verbosity: Verbosity,
        *,
        time_left: bool,
        rate: float,
    ) -> None:
        self.plan = plan
        self.exercises = exercises
        self.rate = rate
        self.index = index
        self.seg = plan.segments[index]
        self.ex = exercises.get(self.seg.exercise_id)
        self.word = self.ex.side_word if self.ex else "leg"
        self.verbosity = verbosity
        self.time_left = time_left
        self.drafts: list[_Draft] = []
        segs = plan.segments
        self.next = segs[index + 1] if index + 1 < len(segs) else None

    @property
    def talk(self) -> bool:
        return self.verbosity is not Verbosity.OFF

    @property
    def coach(self) -> bool:
        return self.verbosity in (Verbosity.COACH, Verbosity.TEACH)

    @property
    def teach(self) -> bool:
        return self.verbosity is Verbosity.TEACH

    def start(self, sound: Sound | None) -> _Draft:
        draft = _Draft(None, sound)
        self.drafts.append(draft)
        return draft

    def later(self, at: float, text: str, priority: Priority) -> None:
        draft = _Draft(at, None)
        draft.say(text, priority)
        self.drafts.append(draft)

    def build(self) -> list[_Draft]:
        seg = self.seg
        match seg.kind:
            case SegmentKind.LEAD_IN:
                self.lead_in()
            case SegmentKind.HOLD:
                self.hold()
            case SegmentKind.PHASE if seg.move and self.next and self.next.kind is SegmentKind.HOLD:
                # Moving into a hold (the glute bridge's lift): the count starts after it.
                self.start(Sound.START).say(seg.phase, Priority.COUNT)
            case SegmentKind.PHASE:
                self.phase()
            case SegmentKind.MANUAL:
                self.manual()
            case SegmentKind.SWITCH:
                text = (
                    "Now both together"
                    if seg.side is Side.BOTH
                    else f"Switch to your {side_name(seg.side, self.word).lower()}"
                )
                self.start(Sound.SWITCH).say(_with_note(text, seg.side_note), Priority.KEY)
            case SegmentKind.REST if seg.is_relax:
                self.start(Sound.REST).say("Relax", Priority.COUNT)
            case SegmentKind.REST:
                draft = self.start(Sound.REST)
                if self.coach:
                    draft.say(f"Rest, {seconds_words(seg.seconds or 0)}", Priority.INFO)
                else:
                    draft.say("Rest", Priority.COUNT)
                if seg.set:
                    draft.say(f"Next: set {seg.set + 1} of {seg.sets}", Priority.KEY)
            case SegmentKind.TRANSITION:
                self.transition()
        self.ticks()
        if not self.talk:
            for draft in self.drafts:
                draft.parts.clear()
        return self.drafts

    # --- one method per kind of segment --------------------------------------

    def lead_in(self) -> None:
        seg, ex = self.seg, self.ex
        draft = self.start(Sound.START)
        rest = self.index - 1
        # The steps the rest before had no room for are taught here.
        taught = _steps_taught_in_rest(self.plan, rest, self.exercises, self.rate)
        steps = ex.steps[taught:] if self.teach and ex is not None else ()
        if self.coach:
            draft.say(seg.exercise_name, Priority.INFO)
            # A change of position was said as the transition began; the steps say it too.
            previous = self.plan.segments[rest] if rest >= 0 else None
            if not (previous and previous.change) and not (steps and taught == 0):
                draft.say(ex.cues.start if ex else None, Priority.INFO)
        for step in steps:
            draft.say(step, Priority.DETAIL)
        if self.teach:
            draft.say(_tempo_words(self.plan, self.index + 1), Priority.DETAIL)
        if seg.side is not Side.NONE:
            words = side_words(seg.side, self.word, seg.side_note)
            draft.say(_first(words), Priority.KEY)

    def hold(self) -> None:
        seg, ex = self.seg, self.ex
        seconds = seg.seconds or 0
        several = bool(seg.reps and seg.reps > 1)
        draft = self.start(Sound.CHIME)
        first_of_side = not several or seg.rep == 1
        if seg.side is not Side.NONE and (self.coach or first_of_side):
            draft.say(side_name(seg.side, self.word), Priority.KEY)
        if several and seg.rep == seg.reps:
            draft.say("Last one", Priority.COUNT)
        if self.coach:
            count = f"Hold {seg.rep} of {seg.reps}," if several else "Hold for"
            draft.say(f"{count} {seconds_words(seconds)}", Priority.INFO)
        else:
            draft.say(f"{seg.rep} of {seg.reps}" if several else "Hold", Priority.COUNT)
        if self.teach and ex and ex.cues.hold and first_of_side:
            draft.say(_hold_tip(self.plan, ex.cues.hold), Priority.DETAIL)
        if self.coach and self.time_left and seconds >= LONG_HOLD:
            self.later(seconds / 2, "Halfway", Priority.COUNT)
            self.later(10.0, "10 seconds left", Priority.COUNT)

    def phase(self) -> None:
        seg = self.seg
        word = phase_word(seg.phase or "")
        previous = self.plan.segments[self.index - 1]
        if not _is_first_phase(self.plan, self.index) and phase_word(previous.phase or "") == word:
            word = "Hold"  # "Foot in, press inside" after "Turn the foot in": already in
        draft = self.start(_phase_sound(self.plan, self.index))
        if not _is_first_phase(self.plan, self.index):
            draft.say(word, Priority.COUNT)
            return
        if seg.rep == 1:
            if seg.side is not Side.NONE:
                draft.say(side_name(seg.side, self.word), Priority.KEY)
            if self.coach and seg.reps:
                draft.say(f"{seg.reps} reps", Priority.INFO)
            draft.say(word, Priority.COUNT)
        elif seg.reps and seg.rep == seg.reps:
            draft.say(f"Last one. {word}", Priority.COUNT)
        else:
            draft.say(f"{seg.rep}. {word}", Priority.COUNT)

    def manual(self) -> None:
        """A self-paced set never waits silently: its reps are counted aloud at the
        exercise's pace ("One" as the first rep ends, ...), or, where the person sets
        the pace, "carry on, or press Done" comes a grace period before the session
        moves on by itself."""
        seg = self.seg
        draft = self.start(Sound.CHIME)
        if seg.side is not Side.NONE:
            draft.say(side_name(seg.side, self.word), Priority.KEY)
        if seg.pace is not None and seg.estimate > 0:
            draft.say(f"{seg.reps or 1} reps, with my count", Priority.INFO)
            for n in range(1, (seg.reps or 1) + 1):
                count = _Draft(max(0.0, seg.estimate - n * seg.pace), Sound.TICK)
                count.say(count_word(n), Priority.COUNT)
                self.drafts.append(count)
            return
        draft.say(
            f"Do {seg.reps} reps at your own pace" if seg.reps else "Go at your own pace",
            Priority.INFO,
        )
        draft.say("Press Done when you finish", Priority.INFO)
        if seg.estimate > 0:
            carry_on = _Draft(min(CARRY_ON_GRACE, seg.estimate), Sound.CHIME)
            carry_on.say(CARRY_ON_SPEECH, Priority.KEY)
            self.drafts.append(carry_on)

    def transition(self) -> None:
        seg, ex = self.seg, self.ex
        if seg.change and seg.posture is not None:
            # The body changes position: say where to, so the time goes on moving there.
            draft = self.start(Sound.START)
            draft.say(f"Next: {seg.exercise_name}", Priority.KEY)
            draft.say(seg.posture.instruction, Priority.KEY)
        else:
            draft = self.start(Sound.REST)
            if self.coach:
                draft.say(f"Rest, {seconds_words(seg.seconds or 0)}", Priority.INFO)
            draft.say(f"Next: {seg.exercise_name}", Priority.KEY)
        if self.teach and ex is not None:
            # Taught during the rest as far as it has room; the lead-in says the rest.
            for step in ex.steps[: self.steps_that_fit(draft, ex)]:
                draft.say(step, Priority.DETAIL)

    def steps_that_fit(self, draft: _Draft, ex: Exercise) -> int:
        """How many of the steps of ``ex`` fit after ``draft``'s line in this segment."""
        room = self.seg.seconds or 0.0
        text, count = draft.text, 0
        for step in ex.steps:
            text = _sentence(text, _dot(step))
            if spoken_seconds(text, self.rate) > room:
                break
            count += 1
        return count

    def ticks(self) -> None:
        seg, nxt = self.seg, self.next
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
            self.drafts.extend(_Draft(t, Sound.TICK) for t in TICK_SECONDS if t < seconds)


def _first(words: str) -> str:
    """ "Left leg first: left knee to your chest" from "Left leg: left knee to your chest"."""
    name, colon, note = words.partition(":")
    return f"{name} first{colon}{note}"


def _hold_tip(plan: Plan, tip: str) -> str:
    """The exercise's hold tip, without a closing "Relax." when the rest after says it."""
    if not any(seg.is_relax for seg in plan.segments):
        return tip
    sentences = [s for s in re.split(r"(?<=\.)\s+", tip.strip()) if s.lower() != "relax."]
    return " ".join(sentences)


def _is_first_phase(plan: Plan, index: int) -> bool:
    seg = plan.segments[index]
    prev = plan.segments[index - 1] if index > 0 else None
    return not (
        prev and prev.kind is SegmentKind.PHASE and prev.rep == seg.rep and prev.side == seg.side
    )


def _rep_phases(plan: Plan, index: int) -> list[Segment]:
    """The phases of the paced rep that ``index`` belongs to, in order."""
    start = index
    while not _is_first_phase(plan, start):
        start -= 1
    phases: list[Segment] = []
    for seg in plan.segments[start:]:
        if phases and _is_first_phase(plan, seg.index):
            break
        if seg.kind is not SegmentKind.PHASE:
            break
        phases.append(seg)
    return phases


def _phase_sound(plan: Plan, index: int) -> Sound:
    """CHIME for the first movement of a rep (and its hold), CHIME_BACK for the way back."""
    words: list[str] = []
    for seg in _rep_phases(plan, index):
        word = phase_word(seg.phase or "")
        if word != "Hold" and word not in words:
            words.append(word)
        if seg.index == index:
            return Sound.CHIME if len(words) <= 1 else Sound.CHIME_BACK
    return Sound.CHIME


def _tempo_words(plan: Plan, index: int) -> str:
    """ "Tighten 3 seconds, Release 2 seconds." from the phases of the rep at ``index``."""
    if index >= len(plan.segments) or plan.segments[index].kind is not SegmentKind.PHASE:
        return ""
    if plan.segments[index].move and len(_rep_phases(plan, index)) == 1:
        return ""  # a move into a hold, not a paced rep
    phases = [f"{seg.phase} {seconds_words(seg.seconds or 0)}" for seg in _rep_phases(plan, index)]
    return (", ".join(phases) + ".") if phases else ""


def _steps_taught_in_rest(
    plan: Plan, index: int, exercises: Mapping[str, Exercise], rate: float
) -> int:
    """How many steps of the next exercise the rest at ``index`` has room to teach."""
    if index < 0 or plan.segments[index].kind is not SegmentKind.TRANSITION:
        return 0
    ex = exercises.get(plan.segments[index].exercise_id)
    if ex is None:
        return 0
    # The teach line without its steps is the coach line.
    draft = _Segment(plan, index, exercises, Verbosity.COACH, time_left=False, rate=rate)
    draft.transition()
    return draft.steps_that_fit(draft.drafts[0], ex)


def teaching_lead_ins(
    plan: Plan,
    exercises: Mapping[str, Exercise],
    verbosity: Verbosity,
    *,
    new: Collection[str] = (),
    rate: float = 0.0,
) -> dict[str, float]:
    """Lead-in seconds that teaching needs, for the taught exercises with no room before.

    An exercise is taught during the rest before it when that rest is long
    enough; otherwise (the first exercise, a short rest) its lead-in must hold
    the steps, and this says how long that lead-in should be.
    """
    needed: dict[str, float] = {}
    for seg in plan.segments:
        if seg.kind is not SegmentKind.LEAD_IN or seg.seconds is None:
            continue
        taught = verbosity is Verbosity.TEACH or (
            verbosity is Verbosity.COACH and seg.exercise_id in new
        )
        if not taught or seg.exercise_id not in exercises:
            continue
        draft = _Segment(plan, seg.index, exercises, Verbosity.TEACH, time_left=False, rate=rate)
        draft.lead_in()
        # One second to spare: the 3-2-1 ticks begin as the line ends.
        seconds = float(math.ceil(spoken_seconds(draft.drafts[0].text, rate) + 1.0))
        if seconds > seg.seconds:
            needed[seg.exercise_id] = max(seconds, needed.get(seg.exercise_id, 0.0))
    return needed


def teaching(plan: Plan, index: int, exercises: Mapping[str, Exercise]) -> str:
    """The how-to for the segment at ``index``: said again on request ("repeat")."""
    seg = plan.segments[index]
    ex = exercises.get(seg.exercise_id)
    if ex is None:
        return seg.exercise_name
    side = side_words(seg.side, ex.side_word, seg.side_note)
    lines = [_dot(seg.exercise_name), *(_dot(step) for step in ex.steps)]
    if seg.kind is SegmentKind.TRANSITION and seg.change and seg.posture is not None:
        lines.insert(1, _dot(seg.posture.instruction))
    if side and seg.kind is not SegmentKind.TRANSITION:
        lines.append(_dot(side))
    return _sentence(*lines)


def script(
    plan: Plan,
    exercises: Mapping[str, Exercise],
    verbosity: Verbosity,
    *,
    new: Collection[str] = (),
    rate: float = 0.0,
    time_left: bool = True,
) -> list[list[Cue]]:
    """The cues of every segment, in plan order, each line fitted to its time.

    ``new`` holds the ids of exercises the person has done fewer than
    :data:`TIMES_TO_TEACH` times: at the coach level they are taught.  ``rate``
    is the Speaker's rate, for the length estimate; ``time_left`` allows
    "Halfway" and "10 seconds left".

    To add lines (e.g. counting self-paced reps), extend :class:`_Segment`'s
    method for that kind of segment: each draft is a cue with an ``at`` and
    parts of a line with their :class:`Priority`; :func:`_fit` then trims all
    lines together, so an added line is fitted like any other.
    """
    drafts: list[list[_Draft]] = []
    for i, seg in enumerate(plan.segments):
        level = verbosity
        if level is Verbosity.COACH and seg.exercise_id in new:
            level = Verbosity.TEACH
        drafts.append(_Segment(plan, i, exercises, level, time_left=time_left, rate=rate).build())
    _fit(plan, drafts, rate)
    return [[draft.cue() for draft in segment] for segment in drafts]


def speech_timeline(plan: Plan, cues: Sequence[Sequence[Cue]]) -> list[tuple[float, float, str]]:
    """(start, end of its segment, line) of every spoken line, by planned session time.

    A self-paced segment's end is open (infinity): it lasts until the person is done.
    """
    lines: list[tuple[float, float, str]] = []
    for seg, seg_cues in zip(plan.segments, cues, strict=True):
        for cue in seg_cues:
            if cue.speech:
                lines.append((_start(seg, cue.at), _end(seg), cue.speech))
    lines.sort(key=lambda line: line[0])
    return lines


def _length(seg: Segment) -> float | None:
    """How long a segment runs: its seconds, or a self-paced set's expected time (after
    which the session moves on by itself); None when nothing ends it."""
    if seg.seconds is not None:
        return seg.seconds
    if seg.kind is SegmentKind.MANUAL and seg.estimate > 0:
        return seg.estimate
    return None


def _start(seg: Segment, at: float | None) -> float:
    length = _length(seg)
    if at is None or length is None:
        return seg.start
    return seg.start + length - at


def _end(seg: Segment) -> float:
    length = _length(seg)
    return seg.start + length if length is not None else math.inf


def _fit(plan: Plan, drafts: list[list[_Draft]], rate: float) -> None:
    """Trim lines so none runs past its segment or into the next line (by the estimate).

    A line first loses its parts that matter less than its most important one,
    least important first; when that is not enough and the next line matters
    less, the next line gives way (its sound stays); at last the line keeps only
    its most important parts that fit.
    """
    timeline = sorted(
        (
            (_start(seg, draft.at), _end(seg), draft)
            for seg, seg_drafts in zip(plan.segments, drafts, strict=True)
            for draft in seg_drafts
            if draft.parts
        ),
        key=lambda line: line[0],
    )
    for i, (start, end, draft) in enumerate(timeline):
        if not draft.parts:
            continue

        def room(i: int = i, start: float = start, end: float = end) -> float:
            following = (s for s, _, d in timeline[i + 1 :] if d.parts)
            return min(next(following, math.inf), end) - start

        def fits(draft: _Draft = draft) -> bool:
            return spoken_seconds(draft.text, rate) <= room()

        top = draft.priority
        while not fits() and _drop_lowest(draft, below=top):
            pass
        while not fits():
            later = next(((s, d) for s, _, d in timeline[i + 1 :] if d.parts), None)
            if later is None or later[0] >= end or later[1].priority >= top:
                break  # the segment's end is the limit, or the next line matters as much
            later[1].parts.clear()
        while not fits() and len(draft.parts) > 1:
            _drop_lowest(draft, below=Priority.KEY + 1)


def _drop_lowest(draft: _Draft, *, below: int) -> bool:
    """Drop the last of the least important parts under ``below``; False if there is none."""
    candidates = [i for i, (_, p) in enumerate(draft.parts) if p < below]
    if not candidates:
        return False
    lowest = min(draft.parts[i][1] for i in candidates)
    last = max(i for i in candidates if draft.parts[i][1] == lowest)
    del draft.parts[last]
    return True


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
    return [Cue(float(n), str(n), Sound.TICK, Priority.COUNT) for n in range(seconds, 0, -1)]
