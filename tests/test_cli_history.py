"""``si-timer export`` and ``import`` show a percentage only on a terminal."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from si_timer.cli import main
from si_timer.cli_history import report_range
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
    # Every phase on one line that only goes forward, at 100 % once, as it ends.
    shown = [int(p) for p in re.findall(r"\rImporting… +(\d+) %", err.getvalue())]
    assert shown[0] == 0
    assert shown == sorted(shown)
    assert shown.count(100) == 1
    assert shown[-1] == 100
    assert len(set(shown)) > 20
    assert err.getvalue().endswith("Importing… 100 %\r\x1b[K")


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


# --- si-timer report ------------------------------------------------------------------
# ``qapp``: the PDF paints in this process, and the suite's one QApplication must come first.


def test_report_writes_the_pdf_and_says_the_summary(
    qapp: object, sessions: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "physio.pdf"
    args = ["report", "--from", "2025-02-03", "--to", "2025-03-02", "-o", str(out)]
    assert main(args) == 0
    summary, saved = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"\d+ of 56 planned sessions in 4 weeks; pain [\d.]+ → [\d.]+\.", summary)
    assert re.fullmatch(rf"Saved the report \([123] pages?\) to {re.escape(str(out))}", saved)
    assert out.read_bytes().startswith(b"%PDF")


def test_report_honours_the_data_dir_and_page_size(
    qapp: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "elsewhere"
    store, _ = HistoryStore.open(resolve_paths(data).database_file)
    with store:
        fill_history(store, date(2025, 5, 1), date(2025, 5, 31), seed=4)
    out = tmp_path / "letter.pdf"
    args = ["--data-dir", str(data), "report", "--from", "2025-05-01", "--to", "2025-05-14"]
    assert main([*args, "-o", str(out), "--page-size", "letter"]) == 0
    assert "planned sessions in 2 weeks" in capsys.readouterr().out
    if shutil.which("pdfinfo"):
        info = subprocess.run(
            ["pdfinfo", str(out)], capture_output=True, text=True, check=True
        ).stdout
        assert "612 x 792" in info
    # The default data folder has no history: nothing in those weeks there.
    assert (
        main(["report", "--from", "2025-05-01", "--to", "2025-05-14", "-o", str(out), "--force"])
        == 0
    )
    assert capsys.readouterr().out.startswith("No sessions in these 2 weeks.")


def test_report_refuses_to_replace_a_file_and_bad_dates(
    qapp: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "mine.pdf"
    out.write_text("keep me")
    assert main(["report", "-o", str(out)]) == 1
    assert "already exists; nothing was written (--force replaces it)" in capsys.readouterr().err
    assert out.read_text() == "keep me"
    assert main(["report", "--from", "March", "-o", str(tmp_path / "x.pdf")]) == 1
    assert "'March' is not a date; write it as YYYY-MM-DD" in capsys.readouterr().err
    assert main(["report", "--from", "2025-03-10", "--to", "2025-03-01", "-o", "x.pdf"]) == 1
    assert "--to 2025-03-01 is before --from 2025-03-10" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_report_range_defaults_to_four_weeks() -> None:
    today = date(2025, 3, 28)
    assert report_range(None, None, today) == (date(2025, 3, 1), today)
    assert report_range(None, "2025-02-28", today) == (date(2025, 2, 1), date(2025, 2, 28))
    assert report_range("2025-03-20", None, today) == (date(2025, 3, 20), today)
    # A range that starts after today still has a last day.
    assert report_range("2025-04-02", None, today) == (date(2025, 4, 2), date(2025, 4, 2))
