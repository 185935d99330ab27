"""What a person can ask of a running session, from a button, a key or a media key alike."""

from __future__ import annotations

from enum import Enum


class Command(Enum):
    """One intent; the session runner decides what each does to the engine."""

    PAUSE = "pause"  # pause, or resume after a 3-2-1
    NEXT = "next"  # skip to the next step
    PREVIOUS = "previous"  # restart this step, or go back one if it just began
    SKIP_EXERCISE = "skip_exercise"  # on to the next exercise (or its other side)
    PREVIOUS_EXERCISE = "previous_exercise"  # back to this exercise's start, or the one before
    DONE = "done"  # finished the self-paced reps (or the hold); in a lead-in, READY
    READY = "ready"  # in position: start the session, or end a lead-in (or a move) now
    PLAY = "play"  # start, or carry on after a pause; never pauses (a media Play key)
    HALT = "halt"  # pause; never carries on (a media Pause or Stop key)
    EXTEND = "extend"  # ten more seconds
    HURTS = "hurts"  # stop this exercise: it hurts
    END = "end"  # end the session (after asking)
    REPEAT = "repeat"  # say again how to do this exercise
