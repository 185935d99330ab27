"""What can go wrong with history that a person can cause or must be told about.

Each message is meant to be shown as is: it names the file and says what to do.
Mistakes in calling the store (finishing a session twice, a naive datetime) are
bugs and raise ``ValueError``/``SessionStateError`` instead.
"""

from __future__ import annotations

from pathlib import Path


class HistoryError(Exception):
    """Base of every history error a person may see."""


class NewerDatabaseError(HistoryError):
    """The database was written by a newer si-timer; it is left untouched."""

    def __init__(self, path: Path, found: int, supported: int) -> None:
        self.path = path
        self.found = found
        self.supported = supported
        super().__init__(
            f"The history file {path} was written by a newer version of si-timer "
            f"(format {found}; this version understands up to {supported}). "
            "It has not been changed. Update si-timer to open it, or start with "
            "--data-dir pointing to another folder."
        )


class HistoryUnavailableError(HistoryError):
    """History cannot be read or saved (folder not writable, disk full, ...).

    The player goes on without saving and tells the person.
    """

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"History cannot be saved in {path}: {reason}")


class ImportFormatError(HistoryError):
    """An import file is not a si-timer backup, or a value in it is wrong."""

    def __init__(self, path: Path | str, where: str, problem: str) -> None:
        self.path = path
        self.where = where
        self.problem = problem
        location = f" at {where}" if where else ""
        super().__init__(f"Cannot import {path}{location}: {problem}. Nothing was imported.")


class SessionStateError(RuntimeError):
    """A write that does not fit the session's state (a bug in the caller)."""
