"""Between the running session and the history store: records as things happen.

Each finished segment is committed the moment it ends.  When the history
cannot take a write right now (another si-timer holds the lock, the disk is
full), the write waits in order with every later one, in memory and in the
journal beside the database, and is retried with a growing pause until it is
in; what is still owed when the app closes is replayed at the next start.  A
write waits only milliseconds for a lock, so the countdown never freezes.
The person is told when history falls behind and when it has caught up.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from si_timer.config.paths import AppPaths
from si_timer.history.errors import HistoryError
from si_timer.history.files import journal_path
from si_timer.history.ids import new_id
from si_timer.history.journal import (
    BeginSession,
    FinishSession,
    Journal,
    PendingWrite,
    RateSession,
    RecordSegment,
    SetPainBefore,
)
from si_timer.history.model import Outcome as StoredOutcome
from si_timer.history.model import SegmentKind as StoredKind
from si_timer.history.model import SegmentRecord, SessionStatus
from si_timer.history.model import Side as StoredSide
from si_timer.history.pending import RETRY_BACKOFF, Backoff, PendingWrites
from si_timer.history.store import HistoryStore
from si_timer.session.engine import EndStatus, SegmentFinished, SessionEnded
from si_timer.session.plan import Plan
from si_timer.ui.session.outcome import Ratings, SaveState
from si_timer.words import weekday_time_text

log = logging.getLogger("si_timer")

STATUS = {
    EndStatus.COMPLETED: SessionStatus.COMPLETED,
    EndStatus.PARTIAL: SessionStatus.PARTIAL,
    EndStatus.ABANDONED: SessionStatus.ABANDONED,
}

# How long one write on the GUI thread may wait for another process's lock
# before it is left to a retry: about a frame, never seconds.
GUI_BUSY_TIMEOUT_SECONDS = 0.005
# A backlog is caught up one write per turn of the event loop (each is one
# fsynced commit, a few milliseconds, as every segment's own write), so
# catching up never holds the countdown either.
CATCH_UP_SLICE = 1


def local_offset_minutes(moment: datetime) -> int:
    offset = moment.astimezone().utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


class SessionRecorder(QObject):
    """Records the current session into the store, if there is one.

    Signals:
        write_failed(str): history has fallen behind (the reason, in words); the
            writes wait and are retried.  Once per stretch of failures.
        caught_up(): every write that waited is now in the history.
    """

    write_failed = Signal(str)
    caught_up = Signal()

    def __init__(
        self,
        store: HistoryStore | None,
        notice: str | None,
        parent: QObject | None = None,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        journal: Journal | None = None,
        backoff: Backoff = RETRY_BACKOFF,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.notice = notice
        self._now = now
        self._session_id: str | None = None
        self._writes = (
            PendingWrites(store.apply, journal, backoff=backoff) if store is not None else None
        )
        self._behind = False  # write_failed was emitted and caught_up not yet
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.retry)

    @classmethod
    def open(cls, paths: AppPaths, parent: QObject | None = None) -> SessionRecorder:
        """Open the history and replay what an earlier run still owed it; on
        trouble, a recorder that saves nothing, with a notice."""
        try:
            # Today's backup (and so the day's full check) follows off the GUI thread.
            store, report = HistoryStore.open(
                paths.database_file, backup_dir=paths.backup_dir, daily_backup=False
            )
        except (HistoryError, OSError, sqlite3.Error) as exc:
            log.warning("history unavailable: %s", exc)
            return cls(
                None, f"Your history cannot be opened, so sessions will not be saved: {exc}", parent
            )
        store.set_busy_timeout(GUI_BUSY_TIMEOUT_SECONDS)
        messages = report.messages()
        recorder = cls(
            store,
            " ".join(messages) if messages else None,
            parent,
            journal=Journal(journal_path(paths.database_file)),
        )
        recorder.replay()
        return recorder

    # --- what is owed ----------------------------------------------------------

    @property
    def pending(self) -> int:
        """Writes waiting to reach the history."""
        return self._writes.pending if self._writes is not None else 0

    @property
    def problem(self) -> str | None:
        """Why writes are waiting, while they are; None when history is up to date."""
        if self._writes is None or not self._writes.pending:
            return None
        return self._writes.last_error or "history is not written yet"

    @property
    def retry_in(self) -> float | None:
        """Seconds until the next retry, while one is scheduled (for tests)."""
        return self._timer.remainingTime() / 1000 if self._timer.isActive() else None

    def replay(self) -> int:
        """Apply what the journal holds from an earlier run; returns how many writes it held."""
        if self._writes is None:
            return 0
        found = self._writes.load()
        if found:
            # All at once, before the app offers to resume what they belong to.
            log.info("replaying %d history writes an earlier run still owed", found)
            self._writes.retry()
            self._settle()
        return found

    def retry(self) -> bool:
        """Try the waiting writes again now (a slice of a long backlog); True when
        none is left."""
        if self._writes is None:
            return True
        self._writes.retry(CATCH_UP_SLICE)
        self._settle()
        return not self._writes.pending

    def _submit(self, write: PendingWrite) -> None:
        assert self._writes is not None
        self._writes.submit(write)
        self._settle()

    def _settle(self) -> None:
        """Schedule the next retry, or tell that history has caught up."""
        writes = self._writes
        assert writes is not None
        if writes.pending:
            if not self._timer.isActive():
                self._timer.start(max(1, round(writes.delay * 1000)))
            if not self._behind:
                self._behind = True
                self.write_failed.emit(self.problem or "")
            return
        self._timer.stop()
        if self._behind:
            self._behind = False
            log.info("history caught up")
            self.caught_up.emit()

    def new_notices(self) -> list[str]:
        """What the person should hear about history since the last call: a file
        found damaged while in use, moved aside and replaced."""
        return self.store.damage_messages() if self.store is not None else []

    # --- the session being recorded ------------------------------------------

    def begin(self, plan: Plan, *, resume_id: str | None = None) -> None:
        self._session_id = None
        if self.store is None:
            return
        if resume_id is not None:
            try:
                self.store.resume_session(resume_id)
            except (HistoryError, sqlite3.Error, OSError) as exc:
                log.warning("the session to resume cannot be taken up: %s", exc)
                self.write_failed.emit(str(exc))
                return
            self._session_id = resume_id
            return
        started = self._now()
        session_id = new_id()
        self.store.claim(session_id)
        self._session_id = session_id
        self._submit(
            BeginSession(
                session_id,
                plan.routine_id,
                plan.to_json(),
                started_at=started,
                utc_offset_minutes=local_offset_minutes(started),
            )
        )

    def record(self, finished: SegmentFinished) -> None:
        if self.store is None or self._session_id is None:
            return
        seg = finished.segment
        record = SegmentRecord(
            index=finished.index,
            kind=StoredKind(seg.kind.value),
            exercise=seg.exercise_id,
            side=StoredSide(seg.side.value),
            set=seg.set,
            rep=seg.rep,
            planned_seconds=seg.seconds,
            actual_seconds=finished.actual_seconds,
            outcome=StoredOutcome(finished.outcome.value),
            ended_at=self._now(),
        )
        self._submit(RecordSegment(self._session_id, record))

    def set_pain_before(self, value: int) -> None:
        if self.store is not None and self._session_id is not None:
            self._submit(SetPainBefore(self._session_id, value))

    def end(self, ended: SessionEnded) -> SaveState:
        """Close the session; says whether everything is saved or still on its way."""
        if self.store is None or self._session_id is None:
            return SaveState.OFF
        self._submit(FinishSession(self._session_id, STATUS[ended.status], self._now()))
        return SaveState.SAVING if self.pending else SaveState.SAVED

    def rate(self, ratings: Ratings) -> None:
        if self.store is None or self._session_id is None:
            return
        if ratings.pain_after is not None or ratings.difficulty is not None or ratings.note:
            self._submit(
                RateSession(
                    self._session_id, ratings.pain_after, ratings.difficulty, ratings.note or None
                )
            )
        self._session_id = None

    # --- after a crash -------------------------------------------------------

    def offer_resume(self, parent: QWidget, carry_on: Callable[[Plan, int, str], None]) -> None:
        """Ask about each session an earlier run left unfinished; ``carry_on(plan, index, id)``."""
        if self.store is None:
            return

        for session in self.store.interrupted_sessions():
            when = weekday_time_text(session.started_at.astimezone())
            box = QMessageBox(parent)
            box.setWindowTitle("Carry on where you stopped?")
            box.setText(
                f"<b>{session.routine_name}</b> from {when} was cut off after "
                f"{session.exercises_done} of {session.exercises_total} exercises done."
            )
            box.setInformativeText(
                "Resume where it stopped, or keep it in your history as partial."
            )
            resume = box.addButton("Resume", QMessageBox.ButtonRole.AcceptRole)
            box.addButton("Keep as partial", QMessageBox.ButtonRole.RejectRole)
            box.setDefaultButton(resume)
            box.exec()
            plan = None
            try:
                plan = Plan.from_json(session.plan)
            except (KeyError, ValueError, TypeError) as exc:
                log.warning("stored plan of %s cannot be resumed: %s", session.id, exc)
            if (
                box.clickedButton() is resume
                and plan is not None
                and session.next_index < len(plan.segments)
            ):
                carry_on(plan, session.next_index, session.id)
                return
            # Through the queue: a lock held right now must not lose the answer.
            self._submit(FinishSession(session.id, SessionStatus.PARTIAL, session.last_activity_at))

    # --- what the home screen shows ------------------------------------------

    def close(self) -> None:
        """One last try; what is still owed stays in the journal for the next start."""
        self._timer.stop()
        if self._writes is not None and self._writes.pending:
            self._writes.retry()
            if self._writes.pending:
                lost = self._writes.unjournaled
                log.warning(
                    "%d history writes are owed at exit; they are replayed at the next start%s",
                    self._writes.pending,
                    f" (except {lost} that could not be kept on disk)" if lost else "",
                )
        if self.store is not None:
            self.store.close()
