"""Between the running session and the history store: records as things happen.

Each finished segment is committed the moment it ends.  When history cannot
be written (a read-only disk, a database from a newer version), the session
still runs and the person is told once that it will not be saved.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from si_timer.config.paths import AppPaths
from si_timer.history.errors import HistoryError
from si_timer.history.model import Outcome as StoredOutcome
from si_timer.history.model import SegmentKind as StoredKind
from si_timer.history.model import SegmentRecord, SessionStatus
from si_timer.history.model import Side as StoredSide
from si_timer.history.store import HistoryStore
from si_timer.session.engine import EndStatus, SegmentFinished, SessionEnded
from si_timer.session.plan import Plan
from si_timer.ui.session.summary import Ratings
from si_timer.words import weekday_time_text

log = logging.getLogger("si_timer")

STATUS = {
    EndStatus.COMPLETED: SessionStatus.COMPLETED,
    EndStatus.PARTIAL: SessionStatus.PARTIAL,
    EndStatus.ABANDONED: SessionStatus.ABANDONED,
}


def local_offset_minutes(moment: datetime) -> int:
    offset = moment.astimezone().utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


class SessionRecorder(QObject):
    """Records the current session into the store, if there is one.

    Signals:
        write_failed(str): a write did not reach the history (the reason, in words).
    """

    write_failed = Signal(str)

    def __init__(
        self,
        store: HistoryStore | None,
        notice: str | None,
        parent: QObject | None = None,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.notice = notice
        self._now = now
        self._session_id: str | None = None
        self._failed = False

    @classmethod
    def open(cls, paths: AppPaths, parent: QObject | None = None) -> SessionRecorder:
        """Open the history; on trouble, a recorder that saves nothing, with a notice."""
        try:
            store, report = HistoryStore.open(paths.database_file, backup_dir=paths.backup_dir)
        except (HistoryError, OSError, sqlite3.Error) as exc:
            log.warning("history unavailable: %s", exc)
            return cls(
                None, f"Your history cannot be opened, so sessions will not be saved: {exc}", parent
            )
        messages = report.messages()
        return cls(store, " ".join(messages) if messages else None, parent)

    # --- the session being recorded ------------------------------------------

    def begin(self, plan: Plan, *, resume_id: str | None = None) -> None:
        self._session_id = None
        self._failed = False
        if self.store is None:
            return
        try:
            if resume_id is not None:
                self.store.resume_session(resume_id)
                self._session_id = resume_id
                return
            started = self._now()
            self._session_id = self.store.begin_session(
                plan.routine_id,
                plan.to_json(),
                started_at=started,
                utc_offset_minutes=local_offset_minutes(started),
            )
        except (HistoryError, sqlite3.Error, OSError) as exc:
            self._fail(exc)

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
        try:
            self.store.record_segment(self._session_id, record)
        except (HistoryError, sqlite3.Error, OSError) as exc:
            self._fail(exc)

    def set_pain_before(self, value: int) -> None:
        if self.store is not None and self._session_id is not None:
            try:
                self.store.set_pain_before(self._session_id, value)
            except (HistoryError, sqlite3.Error, OSError) as exc:
                self._fail(exc)

    def end(self, ended: SessionEnded) -> bool:
        """Close the session; True when everything was saved."""
        if self.store is None or self._session_id is None:
            return False
        try:
            self.store.finish_session(self._session_id, STATUS[ended.status], ended_at=self._now())
        except (HistoryError, sqlite3.Error, OSError) as exc:
            self._fail(exc)
        return not self._failed

    def rate(self, ratings: Ratings) -> None:
        if self.store is None or self._session_id is None:
            return
        try:
            if ratings.pain_after is not None:
                self.store.set_pain_after(self._session_id, ratings.pain_after)
            if ratings.difficulty is not None:
                self.store.set_difficulty(self._session_id, ratings.difficulty)
            if ratings.note:
                self.store.set_note(self._session_id, ratings.note)
        except (HistoryError, sqlite3.Error, OSError) as exc:
            self._fail(exc)
        self._session_id = None

    def _fail(self, exc: Exception) -> None:
        log.warning("history write failed: %s", exc)
        self._failed = True
        self.write_failed.emit(str(exc))

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
            self.store.keep_as_partial(session.id)

    # --- what the home screen shows ------------------------------------------

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
