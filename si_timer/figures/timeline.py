"""Which poses a figure shows at a moment of a session segment.

:func:`pose_at` is pure: the player asks it on each repaint with the time into the
segment, so the figure follows the session's own clock (paused, skipped or resumed).
"""

from __future__ import annotations

from si_timer.figures.pose import HOLD, START
from si_timer.library.model import DoseMode, Exercise
from si_timer.session.plan import Segment, SegmentKind

COUNTED_MOVE = 1.5  # seconds to reach a counted phase's shape ("Tighten"), then hold it
RELAX_MOVE = 2.0  # seconds to let go after a hold
SELF_PACED_CYCLE = 4.0  # one self-paced rep, out and back: a slow, controlled tempo
# Seconds per breath in a hold: slow and calm (ten a minute).  Six, so that the player's
# once-a-second repaint finds the chest a step fuller or emptier each second.
BREATH_PERIOD = 6.0


def _progress(elapsed: float, seconds: float) -> float:
    if seconds <= 0:
        return 1.0
    return min(max(elapsed / seconds, 0.0), 1.0)


def hold_pose(exercise: Exercise) -> str:
    """The pose a lead-in eases into: the hold, or the first phase of a paced rep."""
    if exercise.dose.mode is DoseMode.TEMPO:
        return START
    return HOLD


def breath_at(elapsed: float) -> float:
    """How full the figure's chest is, 0..1, ``elapsed`` seconds into a hold.

    From the segment's clock, as the pose: the figure breathes in the frame the
    countdown paints anyway, and keeps still while the session is paused.  In and out
    evenly (a triangle, not a sine): the figure shows the breath in a few steps, one
    repaint a second, and even steps keep every second's sample clear of a step's edge
    (0, 1/3, 2/3, 1, 2/3, 1/3), so a wake a little early or late shows the same."""
    phase = (max(elapsed, 0.0) / BREATH_PERIOD) % 1.0
    return 1.0 - abs(2.0 * phase - 1.0)


def pose_at(
    segment: Segment, exercise: Exercise, elapsed: float, length: float | None
) -> tuple[str, str, float]:
    """(pose from, pose to, progress 0..1, linear: the view eases) for ``segment``,
    ``elapsed`` seconds in, of ``length`` seconds (None: self-paced).

    Pose names are ``start``, ``hold`` and the tempo phases' names (a figure has a pose
    for each). Mirroring for the right side is the view's, from the segment's side."""
    span = length if length is not None else (segment.seconds or segment.estimate)
    kind = segment.kind
    if kind is SegmentKind.LEAD_IN:
        return START, hold_pose(exercise), _progress(elapsed, span)
    if kind is SegmentKind.HOLD:
        return START, HOLD, 1.0
    if kind is SegmentKind.PHASE:
        tempo = exercise.dose.tempo
        names = [p.name for p in tempo]
        if segment.phase not in names:  # a move into a hold ("Lift your hips")
            return START, HOLD, _progress(elapsed, span)
        index = names.index(segment.phase)
        before = names[index - 1] if index > 0 else names[-1] if (segment.rep or 1) > 1 else START
        moving = tempo[index].move
        return before, names[index], _progress(elapsed, span if moving else min(span, COUNTED_MOVE))
    if kind is SegmentKind.MANUAL:
        cycle = (elapsed % SELF_PACED_CYCLE) / (SELF_PACED_CYCLE / 2)
        if cycle <= 1.0:
            return START, HOLD, cycle
        return HOLD, START, cycle - 1.0
    if kind is SegmentKind.REST and segment.is_relax:
        if exercise.dose.mode is DoseMode.HOLD:
            return HOLD, START, _progress(elapsed, min(span, RELAX_MOVE))
        return START, START, 1.0
    return START, START, 1.0
