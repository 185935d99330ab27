"""The handout PDF: a page for five exercises, two for the full routine, every word a
person needs in real text, drawn as vectors in greys only."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from si_timer.library.catalog import Catalog, load_catalog
from si_timer.library.safety import load_safety
from si_timer.session.handout import Handout, build_handout
from si_timer.session.plan import PlanOptions, build_plan
from si_timer.ui.printing.handout import page_goal, source_keys, write_handout
from si_timer.ui.printing.pdf import PageSize

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")

CATALOG = load_catalog()
WIDTHS = {PageSize.A4: 595, PageSize.LETTER: 612}


def make(routine_id: str, catalog: Catalog = CATALOG) -> Handout:
    routine = catalog.routine(routine_id)
    plan = build_plan(routine, catalog.exercises)
    return build_handout(
        routine, catalog, plan, PlanOptions(), load_safety(), date(2026, 12, 1), "SI Timer"
    )


def poppler(*argv: str) -> str:
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout


def words(path: Path) -> str:
    """The PDF's text in drawing order, with every run of white space one space."""
    return " ".join(poppler("pdftotext", "-raw", str(path), "-").split())


@pytest.mark.parametrize("size", list(PageSize))
@pytest.mark.parametrize("routine_id", sorted(CATALOG.routines))
def test_every_bundled_routine_fits_its_pages(
    qapp: object, tmp_path: Path, routine_id: str, size: PageSize
) -> None:
    out = tmp_path / "handout.pdf"
    handout = make(routine_id)
    pages = write_handout(handout, out, size)
    info = poppler("pdfinfo", str(out))
    assert re.search(rf"^Pages:\s+{pages}$", info, re.MULTILINE), info
    assert f"{WIDTHS[size]} x" in info
    count = len(handout.exercises)
    assert pages <= page_goal(count) <= 2
    if routine_id == "full":
        assert count == 14
        assert pages == 2


def test_the_text_a_person_needs_is_real_text(qapp: object, tmp_path: Path) -> None:
    out = tmp_path / "full.pdf"
    handout = make("full")
    write_handout(handout, out, PageSize.A4)
    text = words(out)
    assert handout.title in text
    assert handout.facts in text
    for item in handout.exercises:
        assert f"{item.number}. {item.name}" in text
        assert item.dose in text
        if item.guide_dose:
            assert f"Guide: {item.guide_dose}" in text
        if item.sides:
            assert item.sides[1:] in text  # "Sides: left leg, …"
        for step in item.steps:
            assert step in text, step
        for caution in item.cautions:
            assert caution in text, caution
    for sign in handout.warning_signs:
        assert sign in text
    assert "Stop and see a professional" in text
    assert "Notes from your physiotherapist" in text
    for title, key in source_keys(handout).items():
        assert f"{key}: {title}." in text
    assert handout.disclaimer in text
    assert "ﬁ" not in text
    assert "ﬂ" not in text


def test_the_pages_are_vectors_in_greys_only(qapp: object, tmp_path: Path) -> None:
    out = tmp_path / "morning.pdf"
    write_handout(make("morning"), out, PageSize.A4)
    images = poppler("pdfimages", "-list", str(out)).splitlines()
    assert len(images) == 2, images  # the header lines only: no picture is a bitmap
    subprocess.run(
        ["pdftoppm", "-r", "40", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")],
        check=True,
    )
    (ppm,) = tmp_path.glob("page*.ppm")
    data = ppm.read_bytes()
    # P6, width, height, maxval, then RGB bytes: a grey has three equal channels.
    header = data.split(maxsplit=4)
    pixels = header[4]
    assert header[0] == b"P6"
    red, green, blue = pixels[0::3], pixels[1::3], pixels[2::3]
    assert red == green == blue, "something is printed in colour"
    assert min(pixels) < 40, "the figures and text are dark ink"


def test_writing_replaces_a_file_whole(qapp: object, tmp_path: Path) -> None:
    out = tmp_path / "handout.pdf"
    out.write_text("an older handout")
    write_handout(make("flare-up"), out, PageSize.LETTER)
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["handout.pdf"]
