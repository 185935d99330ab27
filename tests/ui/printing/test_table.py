"""Ruled tables on the PDF flow: a header on every page, rows kept whole."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from si_timer.ui.printing.pdf import BlockKind, PageSize, PdfFlow, Placed, font
from si_timer.ui.printing.table import Column, Row, Table


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


def table_parts(placed: list[Placed]) -> dict[int, list[list[BlockKind]]]:
    """Each table's blocks, page by page: ``{table: [[header, row, row], [header, row]]}``."""
    parts: dict[int, dict[int, list[BlockKind]]] = {}
    for block in placed:
        if block.table:
            parts.setdefault(block.table, {}).setdefault(block.page, []).append(block.kind)
    return {table: list(pages.values()) for table, pages in parts.items()}


def assert_kept_together(placed: list[Placed]) -> None:
    """Every page's part of every table: its header first, then at least two rows (or
    the whole table, if it has fewer)."""
    for table, parts in table_parts(placed).items():
        rows = sum(part.count(BlockKind.TABLE_ROW) for part in parts)
        for page, part in enumerate(parts, 1):
            assert part[0] is BlockKind.TABLE_HEADER, (table, page, part)
            assert part[1:] == [BlockKind.TABLE_ROW] * (len(part) - 1), (table, page, part)
            assert len(part) - 1 >= min(2, rows), f"table {table}, part {page}: {part}"


@pytest.mark.parametrize("n_rows", [2, 3, 4, 7])
def test_a_table_that_breaks_keeps_two_rows_on_each_side(
    qapp: object, tmp_path: Path, n_rows: int
) -> None:
    # The table starts lower and lower on the page, so the break falls after every one
    # of its rows in turn (the last alone overleaf, the first alone under its header).
    broke_after: set[int] = set()
    with PdfFlow(tmp_path / "keep.pdf", PageSize.A4, "Keep") as flow:
        step = 4.0
        for start in range(int(flow.height // step)):
            flow.new_page()
            flow.space(start * step)
            table = Table(flow, [Column("Name", 0.7), Column("N", 0.3, True)])
            rows = [Row((f"Row {i}", str(i))) for i in range(n_rows - 1)]
            rows.append(Row(("All", str(n_rows)), bold=True))
            began_on = flow.page
            rects = table.rows(rows)
            assert len(rects) == n_rows
            assert all(r.bottom() <= flow.height for r in rects)
            parts = table_parts(flow.placed)[table.number]
            first_page = next(b.page for b in flow.placed if b.table == table.number)
            if first_page != began_on:
                broke_after.add(0)  # moved whole to the next page
            elif len(parts) > 1:
                broke_after.add(parts[0].count(BlockKind.TABLE_ROW))
        assert_kept_together(flow.placed)
    # Two-row tables move whole; longer ones broke somewhere inside.
    assert broke_after == ({0} if n_rows == 2 else set(range(2, n_rows - 1)) | {0})


@pytest.mark.parametrize("n_rows", [1, 3, 4, 7])
def test_a_caption_under_a_table_keeps_with_its_last_rows(
    qapp: object, tmp_path: Path, n_rows: int
) -> None:
    """Heading, table, caption, started lower and lower on the page: the caption is
    never overleaf alone, nor the heading alone at the foot, and the table's parts
    keep two rows each (the caption takes the last two over with it)."""
    caption = "A note about the table above, in a small grey font. " * 3
    captions_under_rows = 0
    with PdfFlow(tmp_path / "caption.pdf", PageSize.A4, "Caption") as flow:
        step = 4.0
        for start in range(int(flow.height // step)):
            flow.new_page()
            flow.space(start * step)
            table = Table(flow, [Column("Name", 0.7), Column("N", 0.3, True)])
            rows = [Row((f"Row {i}", str(i))) for i in range(n_rows)]
            tail = flow.text_height(caption, font(7.5))
            flow.heading("A table", 12, keep_with=table.lead_height(rows, tail))
            table.rows(rows, tail=tail)
            flow.paragraph(caption, font(7.5), kind=BlockKind.CAPTION)
        assert_kept_together(flow.placed)
        blocks = flow.placed
        for i, block in enumerate(blocks):
            if block.kind is BlockKind.CAPTION:
                assert blocks[i - 1].kind is BlockKind.TABLE_ROW
                assert blocks[i - 1].page == block.page, (i, blocks[i - 4 : i + 1])
                assert block.bottom <= flow.height
                captions_under_rows += 1
            if block.kind is BlockKind.HEADING:
                assert blocks[i + 1].page == block.page, (i, blocks[i : i + 3])
    assert captions_under_rows == int(flow.height // step)


def test_a_page_that_holds_one_row_still_takes_the_rows(qapp: object, tmp_path: Path) -> None:
    with PdfFlow(tmp_path / "tall.pdf", PageSize.A4, "Tall") as flow:
        table = Table(flow, [Column("Words", 1.0)])
        tall = "a line of words\n" * int(flow.height / 14)  # over half a page each
        rects = table.rows([Row((tall,)), Row((tall,)), Row((tall,))])
        assert [flow.placed[i].page for i in range(len(flow.placed))][-1] == 3
    assert len(rects) == 3
