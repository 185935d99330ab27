"""A wall clock tests move by hand, for code that asks for ``now()`` (the history store).

Session timing has its own: :class:`si_timer.session.clock.FakeClock`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass
class Clock:
    """``now()`` for the store; tests move it with :meth:`advance`."""

    moment: datetime

    def now(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> datetime:
        self.moment += timedelta(**delta)
        return self.moment
