"""The clinician's report as a PDF: its text, its length, its file."""

from __future__ import annotations

import shutil
import stat
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from si_timer.history.report import ClinicianReport, clinician_report
from si_timer.history.store import HistoryStore
from si_timer.ui.printing.pdf import BlockKind, PageSize
from si_timer.ui.printing.report import (
    lay_out_report,
    report_flow,
    save_report_pdf,
    write_report_pdf,
)
from tests.helpers.history_factories import fill_history
from tests.history.test_report import FIRST, LAST, two_weeks
from tests.ui.printing.test_table import assert_kept_together

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    line = next(x for x in info.stdout.splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    opened, _ = HistoryStore.open(tmp_path / "history.sqlite3")
    with opened:
        yield opened


@pytest.fixture
def report(store: HistoryStore) -> ClinicianReport:
    store.merge(two_weeks(), [])
    store.log_pain(
        7,
        "Flared up after lifting a box.",
        at=datetime(2025, 3, 8, 18, tzinfo=UTC),
        utc_offset_minutes=0,
    )
    return clinician_report(store, FIRST, LAST, today=LAST)


@pytest.mark.parametrize("size", list(PageSize))
def test_the_pdf_says_the_summary_exercises_and_notes(
    qapp: object, tmp_path: Path, report: ClinicianReport, size: PageSize
) -> None:
    out = tmp_path / "report.pdf"
    pages = write_report_pdf(report, out, size)
    assert pages == pdf_pages(out)
    assert 1 <= pages <= 3
    text = pdf_text(out)
    flat = " ".join(text.split())
    assert "21 of 28 planned sessions in 2 weeks; pain 6 → 4." in flat
    for name in ("Knee-to-chest stretch", "Figure-4 stretch", "Doorway hamstring stretch"):
        assert name in text
    assert "Left side tight today." in text
    assert "Flared up after lifting a box." in text
    assert "3 sets of 8 s hold" in text
    assert "Too hard" in text
    assert "Before a session" in text
    assert "After a session" in text
    # The summary comes first, before any table.
    assert flat.index("21 of 28 planned") < flat.index("Sessions per week")


def test_the_pdf_is_vector_not_a_picture(
    qapp: object, tmp_path: Path, report: ClinicianReport
) -> None:
    out = tmp_path / "report.pdf"
    write_report_pdf(report, out)
    images = subprocess.run(
        ["pdfimages", "-list", str(out)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert len(images) == 2, images  # the two header lines: no image at all


def test_a_long_busy_stretch_still_fits_in_three_pages(qapp: object, tmp_path: Path) -> None:
    opened, _ = HistoryStore.open(tmp_path / "busy.sqlite3")
    with opened as store:
        fill_history(store, date(2025, 1, 1), date(2025, 6, 30), seed=3)
        report = clinician_report(
            store, date(2025, 1, 1), date(2025, 6, 30), today=date(2025, 7, 1)
        )
    assert len(report.notes) > 30  # more than are shown
    out = tmp_path / "busy.pdf"
    pages = write_report_pdf(report, out)
    assert pages <= 3
    assert "earlier notes left out" in " ".join(pdf_text(out).split())


def test_an_empty_range_is_one_plain_page(
    qapp: object, tmp_path: Path, store: HistoryStore
) -> None:
    report = clinician_report(store, FIRST, LAST, today=LAST)
    out = tmp_path / "empty.pdf"
    assert write_report_pdf(report, out) == 1
    text = " ".join(pdf_text(out).split())
    assert "No sessions in these 2 weeks." in text
    assert "Nothing was recorded from 3 Mar 2025 to 16 Mar 2025." in text


def test_saving_is_private_and_replaces_only_when_asked(
    qapp: object, tmp_path: Path, report: ClinicianReport
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "report.pdf"
    save_report_pdf(report, out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    out.write_bytes(b"mine")
    with pytest.raises(FileExistsError):
        save_report_pdf(report, out, overwrite=False)
    assert out.read_bytes() == b"mine"
    save_report_pdf(report, out, overwrite=True)
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in folder.iterdir()] == ["report.pdf"]  # no temporary left


def test_no_table_row_of_the_report_stands_alone_on_a_page(qapp: object, tmp_path: Path) -> None:
    opened, _ = HistoryStore.open(tmp_path / "many.sqlite3")
    with opened as store:
        fill_history(store, date(2025, 1, 1), date(2025, 6, 30), seed=5, skip_days=0.1)
        breaks = captions = 0
        # Longer and longer spans move every page break to another row.
        for weeks in range(2, 27):
            last = date(2025, 1, 1) + timedelta(weeks=weeks) - timedelta(days=1)
            report = clinician_report(store, date(2025, 1, 1), last, today=last)
            with report_flow(report, tmp_path / f"{weeks}.pdf") as flow:
                lay_out_report(flow, report)
            assert_kept_together(flow.placed)
            blocks = flow.placed
            for i, block in enumerate(blocks):
                if block.kind is BlockKind.TABLE_HEADER and blocks[i - 1].table != block.table:
                    # What stands above a table (its heading) is on the table's page.
                    assert blocks[i - 1].page == block.page, (weeks, i)
                if block.kind is BlockKind.HEADING:
                    # A section's title is on the page of what it heads.
                    assert blocks[i + 1].page == block.page, (weeks, i, blocks[i : i + 2])
                if block.kind is BlockKind.CAPTION:
                    # A caption is on the page of the table or chart it is about.
                    assert blocks[i - 1].kind is not BlockKind.HEADING, (weeks, i)
                    assert blocks[i - 1].page == block.page, (weeks, i, blocks[i - 1 : i + 1])
                    captions += 1
            tables = {b.table for b in blocks if b.table}
            breaks += sum(len({b.page for b in blocks if b.table == t}) > 1 for t in tables)
    assert breaks >= 5  # tables did break across pages, and each break kept its rows
    assert captions >= 3 * 25  # under the weeks, the pain chart and the exercises
