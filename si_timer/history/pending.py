"""The history writes not yet in the database, in order, retried until they are.

Writes are applied strictly in the order they happened: while one waits, every
later one waits behind it (a segment never lands before its session).  A write
that fails is kept in memory and in the :class:`~si_timer.history.journal.Journal`
so it survives the program too; :meth:`PendingWrites.retry` tries again, and
:attr:`PendingWrites.delay` says how long to wait before that, growing from a
quarter second to two (a failed try costs only milliseconds, and history catches
up soon after the lock or the full disk is gone).  Who calls ``retry`` and when
(a timer) is the caller's.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import deque
from collections.abc import Callable, Iterable

from si_timer.history.errors import HistoryUnavailableError
from si_timer.history.journal import Journal, PendingWrite
from si_timer.records import record

log = logging.getLogger(__name__)

# What a write can meet that may go away by itself: a lock, a full disk, an
# unreachable folder.  Anything else is a bug and is raised.
TRANSIENT = (HistoryUnavailableError, sqlite3.Error, OSError)


@record(frozen=True)
class Backoff:
    """Seconds between retries: ``first``, doubling each failure, at most ``most``."""

    first: float = 0.25
    factor: float = 2.0
    most: float = 2.0

    def after(self, failures: int) -> float:
        """The wait after ``failures`` failed attempts in a row (0: none)."""
        if failures <= 0:
            return 0.0
        return float(min(self.most, self.first * self.factor ** (failures - 1)))


RETRY_BACKOFF = Backoff()


class PendingWrites:
    """An ordered queue of history writes in front of ``apply`` (the store's).

    ``apply(write)`` must be idempotent: after a crash between a commit and the
    journal's removal, the journal is replayed over what is already there.
    """

    def __init__(
        self,
        apply: Callable[[PendingWrite], object],
        journal: Journal | None,
        *,
        backoff: Backoff = RETRY_BACKOFF,
    ) -> None:
        self._apply = apply
        self._journal = journal
        self._backoff = backoff
        self._queue: deque[PendingWrite] = deque()
        self._unjournaled = 0  # the newest writes in the queue not yet in the journal
        self._failures = 0
        self._journal_may_exist = False
        self.last_error: str | None = None

    @property
    def pending(self) -> int:
        """Writes waiting to reach the database."""
        return len(self._queue)

    @property
    def delay(self) -> float:
        """Seconds to wait before the next :meth:`retry` (0 when nothing waits)."""
        return self._backoff.after(self._failures) if self._queue else 0.0

    @property
    def unjournaled(self) -> int:
        """Waiting writes that are only in memory (the journal could not be written)."""
        return self._unjournaled

    def load(self) -> int:
        """Queue what an earlier run left in the journal; returns how many writes."""
        if self._journal is None:
            return 0
        self._journal_may_exist = self._journal.exists()
        try:
            found = self._journal.read()
        except OSError as error:
            log.warning("the history journal cannot be read: %s", error)
            self.last_error = f"the history journal cannot be read ({error})"
            return 0
        self._queue.extend(found)
        return len(found)

    def submit(self, write: PendingWrite) -> bool:
        """Write now if nothing waits, else queue behind the others; True when all is written."""
        self._queue.append(write)
        self._unjournaled += 1
        if len(self._queue) > 1:
            self._keep()
            return False
        return self.retry()

    def retry(self, limit: int | None = None) -> bool:
        """Apply waiting writes in order until one fails (or ``limit`` of them are
        in: a long backlog is caught up in slices); True when none is left."""
        applied = 0
        while self._queue:
            if limit is not None and applied >= limit:
                return False  # more to do at once: :attr:`delay` is 0
            write = self._queue[0]
            try:
                self._apply(write)
            except TRANSIENT as error:
                if isinstance(error.__cause__ or error, sqlite3.IntegrityError):
                    # It can never fit (a damaged journal line): waiting would block
                    # every later write for good.
                    log.warning("history write dropped, it does not fit: %s (%s)", write, error)
                    self._queue.popleft()
                    self._unjournaled = min(self._unjournaled, len(self._queue))
                    continue
                self._failures += 1
                self.last_error = str(error)
                # The first failure of a stretch is news; the retries are not.
                log.log(
                    logging.WARNING if self._failures == 1 else logging.DEBUG,
                    "history write failed (%d waiting, retry in %.2f s): %s",
                    len(self._queue),
                    self.delay,
                    error,
                )
                self._keep()
                return False
            self._queue.popleft()
            self._unjournaled = min(self._unjournaled, len(self._queue))
            self._failures = 0
            applied += 1
        self._failures = 0
        self.last_error = None
        self._forget()
        return True

    def _keep(self) -> None:
        """Append the writes that are only in memory to the journal (they stay queued)."""
        if self._journal is None or not self._unjournaled:
            return
        fresh = list(self._queue)[-self._unjournaled :]
        try:
            self._journal.append(fresh)
        except OSError as error:
            log.warning("history journal cannot be written (%d in memory): %s", len(fresh), error)
            return
        self._unjournaled = 0
        self._journal_may_exist = True

    def _forget(self) -> None:
        if self._journal is None or not self._journal_may_exist:
            return
        try:
            self._journal.remove()
        except OSError as error:  # replaying it again later adds nothing
            log.warning("history journal cannot be removed: %s", error)
            return
        self._journal_may_exist = False

    def waiting(self) -> Iterable[PendingWrite]:
        """The waiting writes, oldest first (for tests and the log)."""
        return tuple(self._queue)
