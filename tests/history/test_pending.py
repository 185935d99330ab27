"""The queue of owed writes: strictly in order, journaled while they wait, retried."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from si_timer.history.errors import HistoryUnavailableError
from si_timer.history.journal import Journal, PendingWrite
from si_timer.history.pending import Backoff, PendingWrites
from si_timer.history.store import HistoryStore
from tests.history.test_journal import a_session, seg, stored


class Flaky:
    """An ``apply`` that fails while ``down`` is set, recording what got through."""

    def __init__(self) -> None:
        self.down: Exception | None = None
        self.applied: list[PendingWrite] = []

    def __call__(self, write: PendingWrite) -> None:
        if self.down is not None:
            raise self.down
        self.applied.append(write)


LOCKED = HistoryUnavailableError(Path("history.sqlite3"), "another si-timer is using it")


def test_backoff_doubles_from_a_quarter_second_to_two() -> None:
    backoff = Backoff()
    assert [backoff.after(n) for n in range(7)] == [0.0, 0.25, 0.5, 1.0, 2.0, 2.0, 2.0]


def test_writes_go_straight_through_when_nothing_waits(tmp_path: Path) -> None:
    apply = Flaky()
    journal = Journal(tmp_path / "history.journal")
    queue = PendingWrites(apply, journal)
    for write in a_session():
        assert queue.submit(write) is True
    assert apply.applied == a_session()
    assert not journal.exists()  # no journal while nothing is owed


def test_a_failed_write_waits_with_every_later_one_in_order(tmp_path: Path) -> None:
    apply = Flaky()
    journal = Journal(tmp_path / "history.journal")
    queue = PendingWrites(apply, journal)
    writes = a_session()
    queue.submit(writes[0])
    apply.down = LOCKED
    assert queue.submit(writes[1]) is False
    assert queue.delay == 0.25
    assert "another si-timer" in (queue.last_error or "")
    apply.down = None  # later writes queue behind, untried, even though the lock is gone
    for write in writes[2:]:
        assert queue.submit(write) is False
    assert apply.applied == writes[:1]
    assert journal.read() == writes[1:]
    assert queue.retry() is True
    assert apply.applied == writes
    assert (queue.pending, queue.delay, queue.last_error) == (0, 0.0, None)
    assert not journal.exists()


def test_each_failed_retry_waits_longer_and_success_starts_over(tmp_path: Path) -> None:
    apply = Flaky()
    queue = PendingWrites(apply, Journal(tmp_path / "history.journal"))
    apply.down = sqlite3.OperationalError("database is locked")
    queue.submit(seg(0))
    delays = [queue.delay]
    for _ in range(6):
        queue.retry()
        delays.append(queue.delay)
    assert delays == [0.25, 0.5, 1.0, 2.0, 2.0, 2.0, 2.0]
    apply.down = None
    assert queue.retry()
    apply.down = OSError(28, "No space left on device")
    queue.submit(seg(1))
    assert queue.delay == 0.25


def test_a_bug_is_raised_not_retried(tmp_path: Path) -> None:
    apply = Flaky()
    queue = PendingWrites(apply, None)
    apply.down = ValueError("a naive datetime")
    with pytest.raises(ValueError, match="naive"):
        queue.submit(seg(0))


def test_writes_the_journal_cannot_take_stay_in_memory_and_reach_it_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    apply = Flaky()
    journal = Journal(tmp_path / "history.journal")
    queue = PendingWrites(apply, journal)
    apply.down = OSError(28, "No space left on device")
    real_append = Journal.append

    def full(self: Journal, writes: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Journal, "append", full)
    queue.submit(seg(0))
    queue.submit(seg(1))
    assert (queue.pending, queue.unjournaled) == (2, 2)
    assert not journal.exists()
    monkeypatch.setattr(Journal, "append", real_append)
    queue.submit(seg(2))  # the disk has room again for the journal, not yet for the database
    assert queue.unjournaled == 0
    assert journal.read() == [seg(0), seg(1), seg(2)]
    apply.down = None
    assert queue.retry()
    assert apply.applied == [seg(0), seg(1), seg(2)]


def test_what_an_earlier_run_owed_is_loaded_and_replayed_into_the_store(tmp_path: Path) -> None:
    writes = a_session()
    journal = Journal(tmp_path / "history.journal")
    journal.append(writes)
    with HistoryStore.open(tmp_path / "history.sqlite3")[0] as store:
        for write in writes[:3]:  # reached the database before the crash
            store.apply(write)
        queue = PendingWrites(store.apply, journal)
        assert queue.load() == len(writes)
        assert queue.retry() is True
        assert not journal.exists()
        (summary,) = store.session_summaries()
        assert summary.segments_done == 3
        assert stored(store)[1:7][-1] == 3


def test_a_locked_database_is_waited_out_then_everything_lands(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    journal = Journal(tmp_path / "history.journal")
    with HistoryStore.open(db)[0] as store:
        store.set_busy_timeout(0.005)
        queue = PendingWrites(store.apply, journal)
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # `si-timer import` of a big backup
        writes = a_session(5)
        for write in writes:
            queue.submit(write)
        assert queue.pending == len(writes)
        assert journal.read() == writes
        assert store.session_summaries() == []
        assert queue.retry() is False
        other.execute("ROLLBACK")
        other.close()
        assert queue.retry() is True
        (summary,) = store.session_summaries()
        assert (summary.segments_done, summary.note) == (5, "Felt looser")
        assert not journal.exists()


def test_a_long_backlog_is_caught_up_in_slices(tmp_path: Path) -> None:
    apply = Flaky()
    queue = PendingWrites(apply, Journal(tmp_path / "history.journal"))
    apply.down = LOCKED
    for index in range(10):
        queue.submit(seg(index))
    apply.down = None
    assert queue.retry(limit=4) is False
    assert (len(apply.applied), queue.pending, queue.delay) == (4, 6, 0.0)
    assert queue.retry(limit=4) is False
    assert queue.retry(limit=4) is True
    assert apply.applied == [seg(i) for i in range(10)]
    assert not (tmp_path / "history.journal").exists()


def test_a_write_that_can_never_fit_is_dropped_not_retried_for_ever(tmp_path: Path) -> None:
    apply = Flaky()
    queue = PendingWrites(apply, Journal(tmp_path / "history.journal"))
    wrapped = HistoryUnavailableError(Path("history.sqlite3"), "CHECK constraint failed")
    wrapped.__cause__ = sqlite3.IntegrityError("CHECK constraint failed")
    apply.down = wrapped
    assert queue.submit(seg(0)) is True
    assert queue.pending == 0
    apply.down = None
    assert queue.submit(seg(1)) is True
    assert apply.applied == [seg(1)]
