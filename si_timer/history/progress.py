"""Progress of a long export or import, reported a bounded number of times.

A caller passes ``progress(done, total)``; :func:`counted` calls it about
:data:`STEPS` times however long the history is, so reporting costs nothing.
A callback may raise (the GUI raises :class:`Cancelled` when the person
cancels) to stop the work: an export then leaves no file, and an import
rolls back its one transaction.
"""

from __future__ import annotations

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


def stage(progress: Progress | None, index: int, stages: int) -> Progress | None:
    """Report one of ``stages`` equal passes over the same items as part of the whole
    (an import reads every session, then merges every one)."""
    if progress is None:
        return None
    report = progress

    def within(done: int, total: int) -> None:
        report(index * total + done, stages * total)

    return within
