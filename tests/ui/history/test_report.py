"""The physio's report from the app: the dialog's dates and preview, and saving the PDF."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import QDialog, QFileDialog
from pytestqt.qtbot import QtBot

from si_timer.history.report import clinician_report
from si_timer.history.store import HistoryStore
from si_timer.ui.history.report import (
    ReportDialog,
    ReportMaker,
    default_page_size,
    pdf_target,
)
from si_timer.ui.printing.pdf import PageSize
from tests.helpers.history_factories import fill_history

TODAY = date(2025, 3, 14)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    opened, _ = HistoryStore.open(
        tmp_path / "history.sqlite3", now=lambda: datetime(2025, 3, 14, 18, tzinfo=UTC)
    )
    with opened:
        fill_history(opened, date(2025, 1, 10), TODAY, seed=5)
        yield opened


@pytest.fixture
def maker(qtbot: QtBot, store: HistoryStore) -> ReportMaker:
    return ReportMaker(store, None, today=lambda: TODAY)


def test_the_dialog_starts_on_the_last_four_weeks_and_previews_the_summary(
    qtbot: QtBot, maker: ReportMaker, store: HistoryStore
) -> None:
    dialog = ReportDialog(TODAY, maker.preview, page_size=PageSize.LETTER)
    qtbot.addWidget(dialog)
    assert (dialog.first, dialog.last) == (date(2025, 2, 15), TODAY)
    assert dialog.page_size is PageSize.LETTER
    expected = clinician_report(store, date(2025, 2, 15), TODAY, TODAY).summary
    assert dialog.summary.text() == expected
    assert "planned sessions in 4 weeks" in expected

    dialog.first_edit.setDate(QDate(2025, 3, 1))
    assert dialog.summary.text().endswith(".")
    assert "in 2 weeks" in dialog.summary.text()
    # The last day follows a first day moved past it; neither goes past today.
    dialog.first_edit.setDate(QDate(2025, 3, 20))
    assert dialog.first == TODAY
    dialog.last_edit.setDate(QDate(2025, 3, 10))
    assert dialog.last == TODAY
    assert "in 1 day" in dialog.summary.text()


def test_paper_follows_the_locale_and_files_end_in_pdf() -> None:
    assert default_page_size(QLocale("en_US")) is PageSize.LETTER
    assert default_page_size(QLocale("de_DE")) is PageSize.A4
    assert default_page_size(QLocale("en_GB")) is PageSize.A4
    assert pdf_target("/x/for-my-physio") == Path("/x/for-my-physio.pdf")
    assert pdf_target("/x/report.PDF") == Path("/x/report.PDF")


def test_asking_saves_the_pdf_where_the_person_chose(
    qtbot: QtBot, maker: ReportMaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen: list[tuple[date, date]] = []

    def accept(dialog: ReportDialog) -> int:
        dialog.first_edit.setDate(QDate(2025, 3, 3))
        chosen.append((dialog.first, dialog.last))
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(ReportDialog, "exec", accept)
    target = tmp_path / "for-my-physio"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(maker.saved) as saved:
        maker.ask()
    assert chosen == [(date(2025, 3, 3), TODAY)]
    assert saved.args == [target.with_name("for-my-physio.pdf")]
    assert saved.args[0].read_bytes().startswith(b"%PDF")


def test_cancelling_either_dialog_saves_nothing(
    qtbot: QtBot, maker: ReportMaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ReportDialog, "exec", lambda self: int(QDialog.DialogCode.Rejected))
    asked: list[object] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: asked.append(a) or ("", ""))
    with qtbot.assertNotEmitted(maker.saved), qtbot.assertNotEmitted(maker.failed):
        maker.ask()
        assert asked == []
        monkeypatch.setattr(ReportDialog, "exec", lambda self: int(QDialog.DialogCode.Accepted))
        maker.ask()
    assert len(asked) == 1
    assert list(tmp_path.glob("*.pdf")) == []


def test_a_folder_that_cannot_be_written_is_one_line(
    qtbot: QtBot, maker: ReportMaker, tmp_path: Path
) -> None:
    target = tmp_path / "gone" / "report.pdf"
    with qtbot.waitSignal(maker.failed) as failed:
        assert not maker.save(TODAY - timedelta(days=6), TODAY, target, PageSize.A4)
    assert failed.args[0].startswith(f"Could not save {target}: ")
    assert "\n" not in failed.args[0]
