"""Today's backup of the history, taken on a worker thread once the app is up.

The first start of a day copies the whole database and checks every page of
the copy: about 0.4 s with ten years of history, too long to stand between a
person and the first screen or the first cue.  So the history opens without
it (:meth:`HistoryStore.open` with ``daily_backup=False``) and this takes it
through a connection of its own; SQLite's WAL lets the session write
meanwhile.  What it finds comes back to the GUI thread as a signal: a copy
that failed because the file itself is damaged replaces the file, as a
damaged read would.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from si_timer.history import backup

log = logging.getLogger("si_timer")


class DailyBackup(QObject):
    """Takes today's backup of ``database`` into ``backup_dir`` off the GUI thread.

    Signals:
        finished(object, str, bool): the new backup's path (None when today's existed
            or it failed), the problem in words ("" when none), and whether the
            history file itself was found damaged.
    """

    finished = Signal(object, str, bool)

    def __init__(
        self,
        database: Path,
        backup_dir: Path,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._database = database
        self._backup_dir = backup_dir
        self._now = now
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start it (once); ``finished`` follows on the GUI thread."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="daily-backup", daemon=True)
            self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> None:
        """For tests and shutdown: until the copy is done (or ``timeout`` seconds)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        try:
            made = backup.daily_backup_of(self._database, self._backup_dir, self._now())
        except backup.BackupError as error:
            log.warning("daily history backup failed: %s", error)
            self.finished.emit(None, str(error), error.damaged)
            return
        except Exception as error:
            log.exception("daily history backup failed")
            self.finished.emit(None, str(error), False)
            return
        if made is not None:
            log.info("history backed up to %s", made)
        self.finished.emit(made, "", False)
