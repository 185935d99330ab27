"""When a bug escapes: log it with its traceback, keep the person's work safe, say so calmly.

An exception in a Qt slot does not stop the app: PySide6 hands it to
``sys.excepthook`` and the event loop goes on, in a state nobody planned. The
hook installed here makes that visible (the log file, one calm message per
distinct error) and gives the app a moment to put the current session's
history somewhere safe. Exceptions in worker threads take the same path; the
app's callbacks still run on the thread that installed the hook (the GUI).
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Signal

from si_timer.records import record

log = logging.getLogger("si_timer")

CRASH_TITLE = "Something went wrong"


def crash_message(log_file: Path | None, *, saved: bool = True) -> str:
    """The calm words for a bug: what happened, what is safe, where the details are."""
    where = (
        f"Details are in the log: {log_file}."
        if log_file is not None
        else "The details were printed on the terminal."
    )
    safe = (
        "What you have done is saved."
        if saved
        else "Some of what you have just done may not have been saved."
    )
    return (
        f"Something went wrong inside SI Timer. {safe} {where}"
        " You can carry on, or restart the app if something looks wrong."
    )


@record(frozen=True)
class _Where:
    """What makes two errors the same one: a repeating slot tells the person once."""

    exc_type: str
    file: str
    line: int


def _where(exc_type: type[BaseException], tb: TracebackType | None) -> _Where:
    frames = traceback.extract_tb(tb) if tb is not None else []
    last = frames[-1] if frames else None
    name = f"{exc_type.__module__}.{exc_type.__qualname__}"
    return _Where(name, last.filename if last else "", (last.lineno or 0) if last else 0)


class _Relay(QObject):
    """Carries an error caught on a worker thread to the thread that installed the hook.

    Signals:
        caught(object): a ``_Where`` to respond to, delivered on the relay's thread.
    """

    caught = Signal(object)


class _CrashHook:
    def __init__(
        self,
        log_file: Path | None,
        keep_safe: Callable[[], None],
        tell: Callable[[str, str], None],
    ) -> None:
        self._log_file = log_file
        self._keep_safe = keep_safe
        self._tell = tell
        self._told: set[_Where] = set()
        self._responding = False
        self._active = True
        self._home_thread = threading.get_ident()
        self._relay = _Relay()
        self._relay.caught.connect(self._respond_queued)
        self.previous_hook = sys.excepthook
        self.previous_thread_hook = threading.excepthook

    def on_exception(
        self,
        exc_type: type[BaseException],
        value: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if not self._active or issubclass(exc_type, KeyboardInterrupt | SystemExit):
            # Ctrl+C and exit() keep their usual meaning.
            self.previous_hook(exc_type, value, tb)
            return
        self._caught(exc_type, value, tb, None)

    def on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        exc_type = args.exc_type
        if not self._active or issubclass(exc_type, KeyboardInterrupt | SystemExit):
            self.previous_thread_hook(args)
            return
        value = args.exc_value if args.exc_value is not None else exc_type()
        name = args.thread.name if args.thread is not None else "a thread"
        self._caught(exc_type, value, args.exc_traceback, name)

    def _caught(
        self,
        exc_type: type[BaseException],
        value: BaseException,
        tb: TracebackType | None,
        thread: str | None,
    ) -> None:
        # A bug: the traceback goes to the log file whatever happens next.
        log.error(
            "A bug: an unexpected error%s",
            f" in {thread}" if thread else "",
            exc_info=(exc_type, value, tb),
        )
        where = _where(exc_type, tb)
        if threading.get_ident() == self._home_thread:
            self._respond(where)
        else:
            self._relay.caught.emit(where)  # queued: runs on the home thread

    def _respond_queued(self, where: object) -> None:
        if self._active and isinstance(where, _Where):
            self._respond(where)

    def _respond(self, where: _Where) -> None:
        if self._responding:
            # An error while saving or telling (or in a dialog's event loop):
            # it is logged above; responding again could go round for ever.
            return
        self._responding = True
        try:
            saved = self._run_guarded(self._keep_safe, "keeping your work safe")
            if where not in self._told:
                self._told.add(where)
                message = crash_message(self._log_file, saved=saved)
                self._run_guarded(lambda: self._tell(CRASH_TITLE, message), "telling you")
        finally:
            self._responding = False

    @staticmethod
    def _run_guarded(action: Callable[[], None], doing: str) -> bool:
        try:
            action()
        except Exception:
            log.exception("A bug: another error while %s after an error", doing)
            return False
        return True

    def uninstall(self) -> None:
        self._active = False
        if sys.excepthook == self.on_exception:
            sys.excepthook = self.previous_hook
        if threading.excepthook == self.on_thread_exception:
            threading.excepthook = self.previous_thread_hook


def install_excepthook(
    *,
    log_file: Path | None,
    keep_safe: Callable[[], None],
    tell: Callable[[str, str], None],
) -> Callable[[], None]:
    """Replace ``sys.excepthook`` and ``threading.excepthook``; returns the uninstall.

    On an unexpected exception (not Ctrl+C, not ``exit()``, which go to the
    hooks there were before): log it at ERROR with its traceback on the
    ``si_timer`` logger, call ``keep_safe()`` every time, and
    ``tell(title, text)`` once per distinct error (type and place) with a calm
    message naming ``log_file``. Both are called on the installing thread, and
    an exception inside them is logged, never fed back into the hook. Install
    it from the GUI thread, after the QApplication exists.
    """
    hook = _CrashHook(log_file, keep_safe, tell)
    sys.excepthook = hook.on_exception
    threading.excepthook = hook.on_thread_exception
    return hook.uninstall
