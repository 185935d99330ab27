"""Where the app's messages go: the terminal, and a small rotating file in the cache folder.

A notice that says "see the log" is only useful if the log exists and the
notice says where it is, so the file is always on (when it can be written) and
:func:`see_the_log` names it.
"""

from __future__ import annotations

import io
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO

from si_timer.config.paths import DIR_MODE, FILE_MODE, AppPaths

LOGGER_NAME = "si_timer"
TERMINAL_FORMAT = "si-timer: %(message)s"
FILE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# A log is for bug reports: a few recent megabytes, never an unbounded file.
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3


def _owner_only_file_handler(log_file: Path) -> logging.Handler:
    """A rotating file whose every generation is created owner-only (it may name health data)."""
    return _OwnerOnlyFileHandler(log_file)


class _FileHandlerMark:
    """Marks the file handler (and its stand-in, :class:`_EarlyRecords`) as ours."""


class _OwnerOnlyFileHandler(logging.FileHandler, _FileHandlerMark):
    """Appends to ``log_file`` and, before a record would take it to :data:`MAX_BYTES`,
    moves it to ``.1`` (and ``.1`` to ``.2``... keeping :data:`BACKUP_COUNT`).

    What ``logging.handlers.RotatingFileHandler`` does, without that module: it
    imports sockets, pickling and queues (~0.8 MiB resident) for one file.
    """

    def __init__(self, log_file: Path) -> None:
        super().__init__(log_file, mode="a", encoding="utf-8")

    def _open(self) -> io.TextIOWrapper:
        def opener(path: str, flags: int) -> int:
            return os.open(path, flags, FILE_MODE)

        stream = open(  # noqa: SIM115 - the handler owns and closes the stream
            self.baseFilename, "a", encoding=self.encoding, errors=self.errors, opener=opener
        )
        if os.name == "posix":
            # A file left by an older version (or copied in) is tightened too.
            os.chmod(self.baseFilename, FILE_MODE)
        return stream

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._is_full(record):
                self._rotate()
        except Exception:
            self.handleError(record)
            return
        super().emit(record)

    def _is_full(self, record: logging.LogRecord) -> bool:
        if not os.path.isfile(self.baseFilename):
            return False  # nothing to rotate (or something that is not ours to move)
        if self.stream is None:
            self.stream = self._open()
        size = self.stream.seek(0, os.SEEK_END)
        line = f"{self.format(record)}{self.terminator}".encode(self.encoding or "utf-8")
        return size > 0 and size + len(line) > MAX_BYTES

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        base = self.baseFilename
        for n in range(BACKUP_COUNT - 1, 0, -1):
            if os.path.exists(f"{base}.{n}"):
                os.replace(f"{base}.{n}", f"{base}.{n + 1}")
        os.replace(base, f"{base}.1")
        self.stream = self._open()


class _EarlyRecords(logging.Handler, _FileHandlerMark):
    """Holds the records logged before the file is opened; an error opens it at once
    (a crash before the first paint still reaches the file)."""

    def __init__(self, open_file: Callable[[], None]) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self._open_file = open_file

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        if record.levelno >= logging.ERROR:
            self._open_file()


class _TerminalHandler(logging.StreamHandler[IO[str]]):
    """Marks the handler as ours, so setting up twice replaces it instead of doubling lines."""


def _terminal_only(logger: logging.Logger, log_file: Path, exc: OSError) -> None:
    logger.warning(
        "The log file %s cannot be written (%s): messages go to the terminal only.",
        log_file,
        exc.strerror or exc,
    )


def setup_logging(paths: AppPaths) -> Path | None:
    """Send the ``si_timer`` logger to stderr (as ``si-timer: message``) and to
    ``paths.log_file`` with timestamps and levels.

    Returns the log file, or ``None`` when it cannot be written (the cache
    folder is read-only, the disk is full...): then the terminal is the only
    log, and the app carries on. Calling it again replaces the earlier handlers.
    """
    log_file, open_file = setup_logging_later(paths)
    open_file()
    return log_file


def setup_logging_later(paths: AppPaths) -> tuple[Path | None, Callable[[], None]]:
    """:func:`setup_logging` with the file opened when the returned function is called
    (after the window has painted); records logged before that are kept and written
    then, in order.  The log file's folder is made and the file checked now, so the
    returned path (or ``None``) is already what notices should name.  Calling the
    function again does nothing."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(logging.INFO)
    for old in list(logger.handlers):
        if isinstance(old, _TerminalHandler | _FileHandlerMark):
            logger.removeHandler(old)
            old.close()

    terminal = _TerminalHandler(sys.stderr)
    terminal.setFormatter(logging.Formatter(TERMINAL_FORMAT))
    logger.addHandler(terminal)

    log_file = paths.log_file
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        if os.name == "posix":
            log_file.parent.chmod(DIR_MODE)
        os.close(os.open(log_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE))
    except OSError as exc:
        _terminal_only(logger, log_file, exc)
        return None, lambda: None

    def open_file() -> None:
        if early not in logger.handlers:
            return  # opened already, or set up again since
        try:
            to_file = _owner_only_file_handler(log_file)
        except OSError as exc:
            logger.removeHandler(early)
            _terminal_only(logger, log_file, exc)
            return
        to_file.setFormatter(logging.Formatter(FILE_FORMAT))
        for record in early.records:
            if record.levelno >= to_file.level:
                to_file.handle(record)
        logger.removeHandler(early)
        logger.addHandler(to_file)

    early = _EarlyRecords(open_file)
    logger.addHandler(early)
    return log_file, open_file


def see_the_log(log_file: Path | None) -> str:
    """The end of a sentence that sends the person to the details: it names the file."""
    if log_file is None:
        return "the details were printed on the terminal (the log file could not be written)"
    return f"see the log: {log_file}"
