"""``si-timer export`` and ``import`` show a percentage only on a terminal."""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path

import pytest

from si_timer.cli import main
from si_timer.config.paths import resolve_paths
from si_timer.history.store import HistoryStore
from tests.helpers.history_factories import fill_history


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def sessions() -> int:
    store, _ = HistoryStore.open(resolve_paths().database_file)
    with store:
        return fill_history(store, date(2025, 1, 1), date(2025, 2, 28), seed=9)


def test_export_and_import_show_progress_on_a_terminal(
    sessions: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    err = Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    out = tmp_path / "backup.json"
    assert main(["export", "--format", "json", "--output", str(out)]) == 0
    text = err.getvalue()
    assert "\rExporting…   0 %" in text
    assert "\rExporting… 100 %" in text
    # The progress line is wiped before the result is printed.
    assert text.endswith(f"\r\x1b[KExported {sessions} sessions to {out}\n")

    err.seek(0)
    err.truncate()
    assert main(["import", str(out)]) == 0
    assert "\rImporting…  50 %" in err.getvalue()
    assert err.getvalue().endswith("\r\x1b[K")


def test_no_progress_when_stderr_is_not_a_terminal(
    sessions: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "all.csv"
    assert main(["export", "--format", "csv", "--output", str(out)]) == 0
    assert capsys.readouterr().err == f"Exported {sessions} sessions to {out}\n"


class Stderr(io.StringIO):
    """A stderr that threads share (the import runs in one, the test watches from another)."""


@pytest.mark.slow  # holds a real lock past the old 5 s limit
def test_import_waits_for_another_writer_and_says_so(
    sessions: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3
    import threading
    import time

    from si_timer.cli_history import WAITING

    backup = tmp_path / "backup.json"
    assert main(["export", "--format", "json", "--output", str(backup)]) == 0
    err = Stderr()
    monkeypatch.setattr(sys, "stderr", err)
    holder = sqlite3.connect(resolve_paths().database_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # the running app, or a second import
    codes: list[int] = []
    importer = threading.Thread(target=lambda: codes.append(main(["import", str(backup)])))
    importer.start()
    try:
        deadline = time.monotonic() + 20
        while WAITING not in err.getvalue():
            assert importer.is_alive(), f"the import did not wait: {err.getvalue()!r}"
            assert time.monotonic() < deadline, "no word that it is waiting"
            time.sleep(0.01)
        # Longer than the 5 s that made it fail before: it is waiting, not failing.
        importer.join(timeout=6)
        assert importer.is_alive(), err.getvalue()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    importer.join(timeout=30)
    assert codes == [0], err.getvalue()
    assert err.getvalue().startswith(f"si-timer: {WAITING}\n")


def test_import_with_no_other_writer_does_not_mention_waiting(
    sessions: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from si_timer.cli_history import WAITING

    backup = tmp_path / "backup.json"
    assert main(["export", "--format", "json", "--output", str(backup)]) == 0
    capsys.readouterr()
    assert main(["import", str(backup)]) == 0
    assert WAITING not in capsys.readouterr().err
