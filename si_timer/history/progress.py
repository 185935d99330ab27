"""Progress of a long export or import, reported a bounded number of times.

A caller passes ``progress(done, total)``; :func:`counted` calls it about
:data:`STEPS` times however long the history is, so reporting costs nothing.
A callback may raise (the GUI raises :class:`Cancelled` when the person
cancels) to stop the work: an export then leaves no file, and an import
rolls back its one transaction.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

Progress = Callable[[int, int], None]
"""``progress(done, total)``: units of work done so far and in all."""

STEPS = 100
"""How many times :func:`counted` reports at most, besides the start: once per 1 %."""

T = TypeVar("T")


class Cancelled(Exception):
    """Raised by a progress callback to stop the work it reports on."""


def counted(items: Iterable[T], total: int, progress: Progress | None) -> Iterator[T]:
    """Yield ``items`` (about ``total`` of them), reporting after each 1 % is done.

    The first report (0) comes before the first item, the last once the last
    item has been dealt with (when the consumer asks for more).
    """
    if progress is None:
        yield from items
        return
    done = reported = 0
    progress(0, total)
    for item in items:
        yield item
        done += 1
        if done < total and done * STEPS // total > reported:
            reported = done * STEPS // total
            progress(done, total)
    progress(done, max(total, done))


def part(progress: Progress | None, low: int, high: int, whole: int = 100) -> Progress | None:
    """Report a pass as the stretch from ``low`` to ``high`` of ``progress``'s ``whole``
    (a step of a phase: the checks of a backup's columns, then its sessions)."""
    if progress is None:
        return None
    report = progress

    def within(done: int, total: int) -> None:
        share = min(done, total) / total if total > 0 else 1.0
        report(low + round((high - low) * share), whole)

    return within


def stage(progress: Progress | None, index: int, stages: int) -> Progress | None:
    """Report one of ``stages`` equal passes over the same items as part of the whole
    (an import reads every session, then merges every one)."""
    if progress is None:
        return None
    report = progress

    def within(done: int, total: int) -> None:
        report(index * total + done, stages * total)

    return within


class Phases:
    """Consecutive phases of one piece of work, reported as one whole.

    Each phase gets a share (``weights``, in the order the phases run) of
    :data:`WHOLE`; :meth:`phase` gives the callback a phase reports its own
    ``(done, total)`` to.  The whole only ever goes forward, and reaches
    :data:`WHOLE` only through :meth:`finish`, once everything is done: the last
    phase should be a small one reported by :meth:`finish` alone (an import's
    commit), so a bar never sits full while work goes on.
    """

    WHOLE = 1000

    def __init__(self, progress: Progress | None, weights: dict[str, int]) -> None:
        self._progress = progress
        self._starts: dict[str, tuple[int, int]] = {}
        total = sum(weights.values())
        start = 0
        for name, weight in weights.items():
            low = start * self.WHOLE // total
            start += weight
            self._starts[name] = (low, start * self.WHOLE // total)
        self._reported = -1

    def _report(self, value: int, *, again: bool = False) -> None:
        """Report ``value`` if it is further than the last report (or as far, ``again``:
        a phase that begins where the last one ended still gets its point to cancel)."""
        if self._progress is not None and (
            value > self._reported or (again and value == self._reported)
        ):
            self._reported = value
            self._progress(value, self.WHOLE)

    def phase(self, name: str) -> Progress | None:
        """The callback of phase ``name`` (None when nobody listens)."""
        if self._progress is None:
            return None
        low, high = self._starts[name]

        def within(done: int, total: int) -> None:
            share = min(done, total) / total if total > 0 else 1.0
            self._report(min(low + round((high - low) * share), self.WHOLE - 1))

        return within

    def reached(self, name: str) -> None:
        """Phase ``name`` has begun (a report, and a point to cancel at)."""
        if self._progress is not None:
            self._report(max(self._starts[name][0], self._reported), again=True)

    def finish(self) -> None:
        """Everything is done: the whole, reported once (it cannot cancel any more:
        a :class:`Cancelled` raised now is too late and is ignored)."""
        with contextlib.suppress(Cancelled):
            self._report(self.WHOLE)
