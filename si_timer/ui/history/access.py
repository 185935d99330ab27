"""The person's history as the app uses it, from one place.

Opened after the first paint (or when a session needs it), its writes
announced as typed changes, its page built the first time it is asked for,
and moved in and out through one operation whose result is told wherever the
person is, whether or not the history page is on screen.  Today's backup,
with its full check of the file, is taken on a worker thread after opening
(:mod:`si_timer.ui.history.daily_backup`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from si_timer.config.logs import see_the_log
from si_timer.config.paths import AppPaths
from si_timer.ui.notices import Notice, NoticeBoard, NoticeLevel

if TYPE_CHECKING:
    from pathlib import Path

    from si_timer.history.glance import Glance
    from si_timer.session.reminders import ReminderSlot
    from si_timer.ui.history.daily_backup import DailyBackup
    from si_timer.ui.history.notifier import HistoryNotifier
    from si_timer.ui.history.view import HistoryView
    from si_timer.ui.session.recording import SessionRecorder


class HistoryAccess(QObject):
    """Opens the history on first use and owns what reads or moves it.

    ``busy()`` is True while a session records into the history (an import
    would hold the database it writes to).  ``reminders()`` gives the reminder
    slots in use (none when reminders are off): the physio's report counts them
    as what was planned.

    Signals:
        opened(): the history was opened, or found unusable (``notifier`` is None then).
        home_requested(): the history page's Home button.
        caught_up(): writes that had to wait (a locked or full disk) are all saved now.
    """

    opened = Signal()
    home_requested = Signal()
    caught_up = Signal()

    def __init__(
        self,
        paths: AppPaths,
        window: QWidget,
        notices: NoticeBoard,
        *,
        busy: Callable[[], bool],
        reminders: Callable[[], Sequence[ReminderSlot]] = tuple,
        log_file: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._paths = paths
        self._window = window
        self._notices = notices
        self._busy = busy
        self._reminders = reminders
        self._log_file = log_file
        self._recorder: SessionRecorder | None = None
        self.notifier: HistoryNotifier | None = None
        self.built_page: HistoryView | None = None
        self.daily_backup: DailyBackup | None = None  # today's, once the history is open
        self._backed_up_day = ""  # the daily backup's file name last started for
        self._glance: Glance | None = None  # a look taken before opening, if any

    # --- opening -------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self._recorder is not None

    def glance(self) -> Glance | None:
        """A look at the history without opening it (:mod:`si_timer.history.glance`):
        for the first countdown of ``si-timer start``; None when only opening can tell."""
        from si_timer.history.glance import Glance, glance

        if self.is_open:
            store = self.recorder.store
            if store is None:
                return Glance(0)
            return Glance(len(store.interrupted_sessions()), store.exercise_counts())
        self._glance = glance(self._paths.database_file)
        return self._glance

    def exercise_counts(self) -> dict[str, int]:
        """How many sessions included each exercise: from the look taken while the
        history is not open yet (the first countdown), else from the store."""
        if not self.is_open and self._glance is not None:
            return dict(self._glance.exercise_counts)
        store = self.recorder.store
        return store.exercise_counts() if store is not None else {}

    @property
    def recorder(self) -> SessionRecorder:
        """The session recorder, opening the history on first use."""
        if self._recorder is None:
            from si_timer.ui.history.notifier import HistoryNotifier
            from si_timer.ui.session.recording import SessionRecorder

            recorder = SessionRecorder.open(self._paths, self)
            self._recorder = recorder
            if recorder.notice:
                level = NoticeLevel.PROBLEM if recorder.store is None else NoticeLevel.WARNING
                self._tell("history", recorder.notice, level)
            recorder.write_failed.connect(self._not_saved)
            recorder.caught_up.connect(self._caught_up)
            if recorder.problem is not None:  # an earlier run's writes still wait
                self._not_saved(recorder.problem)
            if recorder.store is not None:
                self.notifier = HistoryNotifier(recorder.store, self)
                self.notifier.history_changed.connect(self._news)
                self.notifier.history_changed.connect(self._maybe_back_up)
                self._start_daily_backup()
            self.opened.emit()
        return self._recorder

    def _maybe_back_up(self, change: object = None) -> None:
        """A session was recorded: on a new day (the app open since yesterday), today's
        backup is taken now, off the GUI thread like the one at opening."""
        from si_timer.history.backup import daily_name

        today = daily_name(datetime.now(UTC))
        busy = self.daily_backup is not None and self.daily_backup.running
        if getattr(change, "sessions", False) and today != self._backed_up_day and not busy:
            self._start_daily_backup()

    def _start_daily_backup(self) -> None:
        from si_timer.history.backup import daily_name
        from si_timer.ui.history.daily_backup import DailyBackup

        self._backed_up_day = daily_name(datetime.now(UTC))
        self.daily_backup = DailyBackup(
            self._paths.database_file, self._paths.backup_dir, parent=self
        )
        self.daily_backup.finished.connect(self._backed_up)
        self.daily_backup.start()

    def _backed_up(self, _made: object, problem: str, damaged: bool) -> None:
        if damaged and self._recorder is not None and self._recorder.store is not None:
            from si_timer.history.changes import HistoryChange

            # As a damaged read would: moved aside, what can be read kept, a fresh file.
            if self._recorder.store.found_damaged(problem) and self.notifier is not None:
                self.notifier.history_changed.emit(HistoryChange(sessions=True))
            self._news()
        elif problem:
            self._tell(
                "history-backup",
                f"Today's automatic backup of your history failed: {problem}",
                NoticeLevel.WARNING,
            )

    def _tell(self, key: str, text: str, level: NoticeLevel, detail: str | None = None) -> None:
        # The recorder and the store log what they report themselves.
        self._notices.post(Notice(key, text, level, detail))

    def _news(self, _change: object = None) -> None:
        """Damage found while the history is in use: it was moved aside and replaced."""
        for text in self.recorder.new_notices():
            self._tell("history-damage", text, NoticeLevel.WARNING)

    def _not_saved(self, reason: str) -> None:
        self._news()
        self._tell(
            "history-write",
            "History is not being saved right now.",
            NoticeLevel.PROBLEM,
            f"{reason}. The session goes on, and every exercise is kept and saved as soon"
            f" as the history can be written; {see_the_log(self._log_file)}.",
        )

    def _caught_up(self) -> None:
        self._notices.clear("history-write")
        self._tell(
            "history-caught-up", "History caught up: every exercise is saved.", NoticeLevel.INFO
        )
        self.caught_up.emit()

    def close(self) -> None:
        if self.daily_backup is not None:
            self.daily_backup.wait(10)  # a copy half made is only a leftover to clean up
        if self._recorder is not None:
            self._recorder.close()

    # --- the page ------------------------------------------------------------

    def page(self) -> HistoryView | None:
        """The calendar page, built the first time it is needed (it queries the store)."""
        from si_timer.ui.history.view import HistoryView  # QtCharts: off the start-up path

        if self.built_page is None:
            store = self.recorder.store
            if store is None or self.notifier is None:
                self._history_off()
                return None
            self.built_page = HistoryView(store, self.notifier, today=date.today)
            self.built_page.home_requested.connect(self.home_requested)
            self.built_page.report_requested.connect(self.report)
        return self.built_page

    def _history_off(self) -> None:
        QMessageBox.information(
            self._window, "History is off", self.recorder.notice or "History cannot be opened."
        )

    # --- moving it in and out ------------------------------------------------

    def export(self) -> None:
        """Ask for a file and export to it, off the GUI thread."""
        transfer = self._transfer()
        if transfer is not None:
            transfer.export_dialog()
            if transfer.running is None:  # the person cancelled the file dialog
                transfer.deleteLater()

    def import_backup(self) -> None:
        """Ask for a backup and merge it, off the GUI thread; never during a session."""
        if self._busy():
            self._notices.post(
                Notice(
                    "transfer",
                    "Finish the session first, then import the backup.",
                    NoticeLevel.INFO,
                )
            )
            return
        transfer = self._transfer()
        if transfer is not None:
            if self.notifier is not None:
                # The merge wrote through its own connection: announce it for every view.
                transfer.imported.connect(self.notifier.merged)
            transfer.import_dialog()
            if transfer.running is None:
                transfer.deleteLater()

    def report(self) -> None:
        """Ask for the weeks and a file, and save the report for the physio there."""
        from si_timer.ui.history.report import ReportMaker  # Qt's PDF writer: on demand

        store = self.recorder.store
        if store is None:
            self._history_off()
            return
        maker = ReportMaker(
            store, self._window, today=date.today, reminders=self._reminders, parent=self
        )
        maker.saved.connect(
            lambda path: self._notices.post(
                Notice("report", "Report saved", NoticeLevel.INFO, str(path))
            )
        )
        maker.failed.connect(
            lambda text: self._notices.post(Notice("report", text, NoticeLevel.WARNING))
        )
        maker.ask()
        maker.deleteLater()

    def _transfer(self) -> HistoryTransferType | None:
        from si_timer.ui.history.transfer import HistoryTransfer

        store = self.recorder.store
        if store is None:
            self._history_off()
            return None
        # One operation per request; its result is told on every page.
        transfer = HistoryTransfer(store, self._window, today=date.today, parent=self)
        transfer.finished.connect(
            lambda text: self._notices.post(Notice("transfer", text, NoticeLevel.INFO))
        )
        transfer.failed.connect(
            lambda text: self._notices.post(Notice("transfer", text, NoticeLevel.WARNING))
        )
        transfer.ended.connect(transfer.deleteLater)
        return transfer


if TYPE_CHECKING:
    from si_timer.ui.history.transfer import HistoryTransfer as HistoryTransferType
