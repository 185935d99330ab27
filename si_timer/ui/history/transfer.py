"""Export and import history off the GUI thread, with progress, as one operation.

The menu and the history page both go through :class:`HistoryTransfer`: it asks
for the file, runs the work in Qt's thread pool, shows a progress dialog when
the work takes longer than :data:`SHOW_PROGRESS_AFTER_MS`, and reports the result
through its signals (where the person is told is up to whoever connects them).

A sqlite3 connection belongs to the thread that made it, so the worker opens
its own connection to the same database file and wraps it in a plain
:class:`HistoryStore` (not :meth:`HistoryStore.open`: the app has already
checked and migrated the file; opening it again would repeat the full check
and could move aside a file the app is using).  WAL mode lets one connection
read while another writes:

* an export reads through a read-only connection inside one read transaction:
  the file is one consistent snapshot even if a segment is recorded
  meanwhile, and an export can never change history;
* an import merges in one write transaction: cancel (or any error) rolls it
  back and history is unchanged.  The worker's store has no subscribers, so
  nothing is announced by the app's store; :attr:`HistoryTransfer.imported`
  says history changed and views must re-query.  While the merge holds the
  write lock (seconds at ten years), the app's own writes wait for it, up to
  the 5 s busy timeout; so the app refuses an import while a session is being
  recorded, which also means no session being recorded can be replaced by
  the merge (the worker's store cannot know which ones the app records).

The worker's reports reach the GUI thread through a private relay object
that lives there, so every public signal is emitted on the GUI thread and
any slot, lambdas included, may touch widgets.
"""

from __future__ import annotations

import enum
import logging
import sqlite3
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from si_timer.history.errors import HistoryError
from si_timer.history.exchange import ExportFormat, export_to_path, import_history
from si_timer.history.merge import MergeResult
from si_timer.history.opening import BUSY_TIMEOUT_SECONDS, reason_for
from si_timer.history.progress import Cancelled, Progress
from si_timer.history.store import HistoryStore, utc_now
from si_timer.records import record

log = logging.getLogger(__name__)

EXPORT_FILTERS = {
    "Spreadsheet, one row per session (*.csv)": ExportFormat.CSV,
    "Calendar, one event per session (*.ics)": ExportFormat.ICS,
    "Full backup (*.json)": ExportFormat.JSON,
}
IMPORT_FILTER = "si-timer backups (*.json *.sqlite3);;All files (*)"

SHOW_PROGRESS_AFTER_MS = 400
"""Shorter work finishes without a progress dialog flashing up."""


class Direction(enum.Enum):
    EXPORT = "export"
    IMPORT = "import"


def export_target(name: str, chosen_filter: str) -> tuple[Path, ExportFormat]:
    """The file and format for what the save dialog returned.

    A known suffix decides the format; otherwise the chosen filter does (CSV
    when neither says), and its suffix is added.
    """
    path = Path(name)
    by_suffix = {f".{f.value}": f for f in ExportFormat}.get(path.suffix.lower())
    fmt = by_suffix or EXPORT_FILTERS.get(chosen_filter) or ExportFormat.CSV
    if path.suffix.lower() != f".{fmt.value}":
        path = path.with_name(f"{path.name}.{fmt.value}")
    return path, fmt


def sessions_text(count: int) -> str:
    return f"{count:,} session{'s' if count != 1 else ''}"


def one_line(text: str) -> str:
    return " ".join(text.split())


@record(frozen=True)
class _Exported:
    path: Path
    count: int


def _connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    """A connection of the calling thread to the existing history file (never creates it)."""
    mode = "ro" if read_only else "rw"
    conn = sqlite3.connect(
        f"{path.resolve().as_uri()}?mode={mode}",
        uri=True,
        isolation_level=None,
        timeout=BUSY_TIMEOUT_SECONDS,
    )
    if not read_only:
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _export(database: Path, target: Path, fmt: ExportFormat, progress: Progress) -> _Exported:
    conn = _connect(database, read_only=True)
    with HistoryStore(conn, database, None, utc_now) as store:
        conn.execute("BEGIN")  # one snapshot for the whole file
        try:
            return _Exported(target, export_to_path(store, fmt, target, progress=progress))
        finally:
            conn.execute("ROLLBACK")


def _import(database: Path, source: Path, progress: Progress) -> MergeResult:
    with HistoryStore(_connect(database, read_only=False), database, None, utc_now) as store:
        return import_history(store, source, progress=progress)


class _Relay(QObject):
    """Carries the worker's reports to the GUI thread (queued: it lives there)."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class HistoryTransfer(QObject):
    """Moves history out of and into the app's store, one export or import at a time.

    ``window`` parents the file and progress dialogs.  Every start ends with
    exactly one of ``finished``, ``failed`` or ``cancelled``, then ``ended``;
    all are emitted on the GUI thread.

    Signals:
        progressed(int, int): work done and in all (an export counts sessions; an
            import its phases, reading to derived data, as parts of
            ``Phases.WHOLE``, full only once it has committed).
        finished(str): it worked; one sentence for the person
            ("Exported 1,234 sessions to …").
        failed(str): it could not be done; one line saying why (an import
            that fails has changed nothing).
        cancelled(): the person cancelled; no file was written, history is unchanged.
        imported(object): an import changed history (a ``MergeResult``); the
            app's store did not see the write, so views must re-query.
        ended(): the operation is over; another may start.
    """

    progressed = Signal(int, int)
    finished = Signal(str)
    failed = Signal(str)
    cancelled = Signal()
    imported = Signal(object)
    ended = Signal()

    def __init__(
        self,
        store: HistoryStore,
        window: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent if parent is not None else window)
        self._database = store.path
        self._window = window
        self._today = today
        self._direction: Direction | None = None
        self._cancel = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._dialog: QProgressDialog | None = None
        self._relay = _Relay(self)
        self._relay.progressed.connect(self._progressed)
        self._relay.succeeded.connect(self._succeeded)
        self._relay.failed.connect(self._failed)
        self._relay.cancelled.connect(self._cancelled)
        # Deleted while the worker runs (the window closed): stop it and wait,
        # so it never reports to a relay that is gone.
        cancel, idle = self._cancel, self._idle

        def stop_and_wait() -> None:
            cancel.set()
            idle.wait()

        self.destroyed.connect(stop_and_wait)

    @property
    def running(self) -> Direction | None:
        """What is under way, or None."""
        return self._direction

    # --- asking for the file --------------------------------------------------------

    def export_dialog(self) -> None:
        """Ask where to save, then export there; nothing when the person cancels."""
        default = Path.home() / f"si-timer-history-{self._today().isoformat()}.csv"
        name, chosen = QFileDialog.getSaveFileName(
            self._window, "Export history", str(default), ";;".join(EXPORT_FILTERS)
        )
        if name:
            self.start_export(*export_target(name, chosen))

    def import_dialog(self) -> None:
        """Ask for a backup, then merge it; nothing when the person cancels."""
        name, _ = QFileDialog.getOpenFileName(
            self._window, "Import a backup", str(Path.home()), IMPORT_FILTER
        )
        if name:
            self.start_import(Path(name))

    # --- running ----------------------------------------------------------------

    def start_export(self, path: Path, fmt: ExportFormat) -> bool:
        """Export to ``path`` in the background; False (and ``failed``) when busy."""
        database = self._database

        def work(progress: Progress) -> object:
            return _export(database, path, fmt, progress)

        return self._start(Direction.EXPORT, work, "Exporting your history…", path)

    def start_import(self, path: Path) -> bool:
        """Merge the backup at ``path`` in the background; False (and ``failed``) when busy."""
        database = self._database

        def work(progress: Progress) -> object:
            return _import(database, path, progress)

        return self._start(Direction.IMPORT, work, f"Importing {path.name}…", path)

    def cancel(self) -> None:
        """Stop at the next progress point (an import has one between any two of its
        phases and within each); an import that has begun to commit completes."""
        if self._direction is not None:
            self._cancel.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the worker is done (shutting down); False on timeout."""
        return self._idle.wait(timeout)

    def _start(
        self,
        direction: Direction,
        work: Callable[[Progress], object],
        label: str,
        path: Path,
    ) -> bool:
        if self._direction is not None:
            self.failed.emit(
                f"An {self._direction.value} is still running; try again when it has finished."
            )
            return False
        self._direction = direction
        self._cancel.clear()
        self._idle.clear()
        self._show_dialog(label)
        relay, cancel, idle = self._relay, self._cancel, self._idle

        def progress(done: int, total: int) -> None:
            if cancel.is_set():
                raise Cancelled
            relay.progressed.emit(done, total)

        def run() -> None:
            try:
                relay.succeeded.emit(work(progress))
            except Cancelled:
                relay.cancelled.emit()
            except (HistoryError, OSError, sqlite3.Error) as error:
                relay.failed.emit(_problem(direction, path, error))
            except Exception as error:  # a bug: the traceback goes to the log
                log.exception("history %s of %s failed", direction.value, path)
                relay.failed.emit(
                    f"The {direction.value} failed because of a bug in si-timer "
                    f"({type(error).__name__}: {error}); details are in the log."
                )
            finally:
                idle.set()

        QThreadPool.globalInstance().start(run)
        return True

    def _show_dialog(self, label: str) -> None:
        dialog = QProgressDialog(label, "Cancel", 0, 0, self._window)
        dialog.setWindowTitle("History")
        dialog.setWindowModality(Qt.WindowModality.NonModal)  # the app stays usable
        dialog.setMinimumDuration(SHOW_PROGRESS_AFTER_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        dialog.setValue(0)
        self._dialog = dialog

    # --- results (GUI thread) ------------------------------------------------------

    @Slot(int, int)
    def _progressed(self, done: int, total: int) -> None:
        if self._dialog is not None and total > 0:
            self._dialog.setMaximum(total)
            self._dialog.setValue(min(done, total))
        self.progressed.emit(done, total)

    @Slot(object)
    def _succeeded(self, result: object) -> None:
        self._finish()
        if isinstance(result, MergeResult):
            if result.changed:
                self.imported.emit(result)
            self.finished.emit(result.describe())
        else:
            assert isinstance(result, _Exported)
            self.finished.emit(f"Exported {sessions_text(result.count)} to {result.path}.")
        self.ended.emit()

    @Slot(str)
    def _failed(self, text: str) -> None:
        self._finish()
        self.failed.emit(one_line(text))
        self.ended.emit()

    @Slot()
    def _cancelled(self) -> None:
        self._finish()
        self.cancelled.emit()
        self.ended.emit()

    def _finish(self) -> None:
        self._direction = None
        if self._dialog is not None:
            self._dialog.canceled.disconnect(self.cancel)
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None


def _problem(direction: Direction, path: Path, error: Exception) -> str:
    """One line for an error a person can cause (a full disk, a bad backup)."""
    if isinstance(error, HistoryError):
        return str(error)
    if isinstance(error, sqlite3.Error):
        return f"Could not {direction.value} your history: {reason_for(error)}."
    reason = error.strerror if isinstance(error, OSError) and error.strerror else error
    where = "export to" if direction is Direction.EXPORT else "import"
    return f"Could not {where} {path}: {reason}."
