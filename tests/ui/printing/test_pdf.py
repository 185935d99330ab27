"""The PDF flow writes real, paginated, text-bearing PDFs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from si_timer.ui.printing.pdf import PageSize, PdfFlow, font

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def _text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@needs_poppler
@pytest.mark.parametrize(("size", "width_pt"), [(PageSize.A4, 595), (PageSize.LETTER, 612)])
def test_flow_breaks_pages_and_keeps_its_text(
    qapp: object, tmp_path: Path, size: PageSize, width_pt: int
) -> None:
    out = tmp_path / "flow.pdf"
    with PdfFlow(out, size, "Test", footer="SI Timer test") as flow:
        flow.heading("A heading")
        for i in range(150):
            flow.paragraph(f"Paragraph number {i} with enough words to wrap " * 2, font(10))
        pages = flow.page
    assert pages >= 3
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert f"Pages:           {pages}" in info
    assert f"{width_pt} x" in info
    text = _text(out)
    assert "A heading" in text
    assert "Paragraph number 149" in text
    assert text.count("SI Timer test") == pages


@needs_poppler
def test_a_block_never_straddles_a_page(qapp: object, tmp_path: Path) -> None:
    out = tmp_path / "blocks.pdf"
    tops: list[float] = []
    with PdfFlow(out, PageSize.A4, "Blocks") as flow:
        for _ in range(7):
            rect = flow.block(150, lambda painter, r: painter.drawRect(r))
            tops.append(rect.top())
            assert rect.bottom() <= flow.height
    assert tops[0] == 0
    assert 0 in tops[1:], "a block that does not fit starts a new page"


def test_metrics_are_in_points_on_the_page(qapp: object, tmp_path: Path) -> None:
    with PdfFlow(tmp_path / "m.pdf", PageSize.A4, "Metrics") as flow:
        line = flow.metrics(font(10)).height()
    assert 10 <= line <= 13  # a 10 pt line, whatever the screen's dpi


def test_text_is_measured_in_the_pages_points(qapp: object, tmp_path: Path) -> None:
    """A 10 pt line is about 12 points tall on the page, not the screen's 16 pixels: a
    paragraph takes the room its text needs and wraps where the page does."""
    with PdfFlow(tmp_path / "m.pdf", PageSize.A4, "Metrics") as flow:
        line = flow.text_height("One short line", font(10))
        assert 10 <= line <= 13
        words = "word " * 400
        lines = flow.text_height(words, font(10)) / line
        # 400 words of about 30 points each on a 510-point line: about 24 lines.
        assert 18 <= lines <= 30
