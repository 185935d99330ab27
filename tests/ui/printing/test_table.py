"""Ruled tables on the PDF flow: a header on every page, rows kept whole."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from si_timer.ui.printing.pdf import PageSize, PdfFlow
from si_timer.ui.printing.table import Column, Table


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_a_long_table_repeats_its_header_and_never_splits_a_row(
    qapp: object, tmp_path: Path
) -> None:
    out = tmp_path / "table.pdf"
    with PdfFlow(out, PageSize.A4, "Table") as flow:
        table = Table(flow, [Column("Name", 0.3), Column("Words", 0.6), Column("N", 0.1, True)])
        for i in range(120):
            rect = table.row([f"Row {i}", "some words that wrap " * (i % 4 + 1), str(i)])
            assert rect.bottom() <= flow.height
        pages = flow.page
    assert pages >= 3
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert text.count("Words") == pages
    assert "Row 119" in text


def test_a_row_must_fill_every_column(qapp: object, tmp_path: Path) -> None:
    with PdfFlow(tmp_path / "t.pdf", PageSize.A4, "Table") as flow:
        table = Table(flow, [Column("A", 0.5), Column("B", 0.5)])
        with pytest.raises(ValueError, match="1 cells for 2 columns"):
            table.row(["only one"])
