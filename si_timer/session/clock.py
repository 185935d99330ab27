"""Time as a parameter: the engine asks a Clock, tests hand it a FakeClock.

``monotonic()`` drives every countdown. ``asleep_aware()`` is a second clock
that keeps counting while the computer is suspended (Linux CLOCK_BOOTTIME); the
engine compares the two to notice a suspend, because CLOCK_MONOTONIC simply
stops during sleep and a countdown would otherwise carry on as if nothing
happened.  Neither reads the wall clock, so changing the system time never
moves a countdown.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds on a clock that never jumps; stops during suspend on Linux."""
        ...

    def asleep_aware(self) -> float:
        """Seconds on a clock that also counts time spent suspended."""
        ...


def _boottime() -> float:
    return time.clock_gettime(time.CLOCK_BOOTTIME)


class SystemClock:
    """The real clocks. Where CLOCK_BOOTTIME is missing (macOS, Windows), the
    monotonic clock stands in for both and suspend shows as a long gap instead."""

    def __init__(self) -> None:
        self._asleep = _boottime if hasattr(time, "CLOCK_BOOTTIME") else time.monotonic

    def monotonic(self) -> float:
        return time.monotonic()

    def asleep_aware(self) -> float:
        return self._asleep()


class ScaledClock:
    """Runs ``factor`` times faster than ``base`` (demos, automated checks)."""

    def __init__(self, base: Clock, factor: float) -> None:
        if factor <= 0:
            raise ValueError("time scale must be more than 0")
        self._base = base
        self._factor = factor
        self._origin = base.monotonic()
        self._asleep_origin = base.asleep_aware()

    @property
    def factor(self) -> float:
        return self._factor

    def monotonic(self) -> float:
        return (self._base.monotonic() - self._origin) * self._factor

    def asleep_aware(self) -> float:
        return (self._base.asleep_aware() - self._asleep_origin) * self._factor


class FakeClock:
    """A clock tests move by hand; ``suspend`` advances only the sleep-aware clock."""

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start
        self._asleep = start

    def monotonic(self) -> float:
        return self._now

    def asleep_aware(self) -> float:
        return self._asleep

    def advance(self, seconds: float) -> None:
        self._now += seconds
        self._asleep += seconds

    def suspend(self, seconds: float) -> None:
        self._asleep += seconds
