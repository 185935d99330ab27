"""Saving a handout: ``si-timer handout`` and the app's questions (routine, file, paper)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget
from pytestqt.qtbot import QtBot

from si_timer.cli import main
from si_timer.config.settings import Settings
from si_timer.library.catalog import load_catalog
from si_timer.session.plan import Level
from si_timer.ui.printing.pdf import PageSize
from si_timer.ui.printing.save import (
    PAPER_FILTERS,
    HandoutFailed,
    HandoutPrinter,
    default_page_size,
    pdf_target,
    save_handout,
)

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def pdf_text(path: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(out.stdout.split())


def page_width(path: Path) -> str:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return next(line for line in info.splitlines() if line.startswith("Page size"))


@pytest.fixture
def us_locale() -> Iterator[None]:
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(before)


def test_the_paper_follows_the_locale(qapp: object, us_locale: None) -> None:
    assert default_page_size() is PageSize.LETTER
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    assert default_page_size() is PageSize.A4


def test_save_uses_the_persons_levels_and_the_day(qapp: object, tmp_path: Path) -> None:
    catalog = load_catalog()
    settings = Settings(levels={"doorway-hamstring": Level(hold=40)})
    out = tmp_path / "morning.pdf"
    pages = save_handout(
        catalog.routine("morning"), catalog, settings, out, "a4", today=date(2026, 3, 4)
    )
    assert pages == 1
    text = pdf_text(out)
    assert "Hold 40 s · 1 rep" in text
    assert "SI Timer · Morning stretches · 4 March 2026" in text
    assert "595 x 842" in page_width(out)


def test_a_file_that_cannot_be_written_is_one_sentence(qapp: object, tmp_path: Path) -> None:
    catalog = load_catalog()
    folder = tmp_path / "taken.pdf"
    folder.mkdir()  # a folder where the file should go
    with pytest.raises(HandoutFailed, match=r"cannot write .*taken\.pdf"):
        save_handout(catalog.routine("morning"), catalog, Settings(), folder, "a4")


def test_pdf_target_adds_the_suffix() -> None:
    assert pdf_target("/x/handout") == Path("/x/handout.pdf")
    assert pdf_target("/x/handout.PDF") == Path("/x/handout.PDF")
    assert pdf_target("/x/a.b") == Path("/x/a.b.pdf")


# --- the command line ---------------------------------------------------------------


def test_cli_writes_the_handout(
    qapp: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "full.pdf"
    assert main(["handout", "full", "-o", str(out), "--page-size", "letter"]) == 0
    assert capsys.readouterr().out == f"{out} (2 pages)\n"
    assert "612 x 792" in page_width(out)
    assert "14. Seated hamstring stretch" in pdf_text(out)


def test_cli_names_the_file_after_the_routine(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["handout", "flare-up"]) == 0
    assert "Gentle, for a bad day" in pdf_text(tmp_path / "flare-up-handout.pdf")


def test_cli_prints_a_routine_file(qapp: object, tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text("id: mine\nname: My two\nexercises:\n  - figure-4\n  - cat-cow\n")
    out = tmp_path / "mine.pdf"
    assert main(["handout", str(mine), "-o", str(out)]) == 0
    text = pdf_text(out)
    assert "My two" in text
    assert "2. Cat-cow" in text


def test_cli_reports_a_file_it_cannot_write(
    qapp: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "taken.pdf").mkdir()
    assert main(["handout", "morning", "-o", str(tmp_path / "taken.pdf")]) == 1
    assert capsys.readouterr().err.startswith("si-timer: cannot write ")


# --- the app's questions ------------------------------------------------------------


@pytest.fixture
def printer(qtbot: QtBot) -> HandoutPrinter:
    window = QWidget()
    qtbot.addWidget(window)
    catalog = load_catalog()
    return HandoutPrinter(
        window, catalog=lambda: catalog, settings=Settings, favourite=lambda: "evening"
    )


def test_the_app_saves_on_the_chosen_paper_and_says_where(
    qtbot: QtBot, printer: HandoutPrinter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def save_dialog(parent: QWidget, title: str, start: str, filters: str, chosen: str) -> object:
        asked.append(start)
        return str(tmp_path / "for-my-physio"), PAPER_FILTERS[PageSize.LETTER]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    with qtbot.waitSignal(printer.saved) as saved:
        printer.print_handout("morning")
    target = tmp_path / "for-my-physio.pdf"
    assert saved.args == [str(target)]
    assert asked[0].endswith("morning-handout.pdf")
    assert "612 x 792" in page_width(target)


def test_without_a_routine_the_app_asks_which_one_favourite_first(
    qtbot: QtBot, printer: HandoutPrinter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    offered: list[list[str]] = []

    def pick(parent: QWidget, title: str, label: str, items: list[str], *args: object) -> object:
        offered.append(items)
        return "Full session", True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        lambda *args: (str(tmp_path / "full.pdf"), PAPER_FILTERS[PageSize.A4]),
    )
    with qtbot.waitSignal(printer.saved):
        assert printer.print_handout() == tmp_path / "full.pdf"
    assert offered[0][0] == "Evening stretches"
    assert "Full session" in pdf_text(tmp_path / "full.pdf")


def test_cancelling_writes_nothing_and_says_nothing(
    qtbot: QtBot, printer: HandoutPrinter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: ("", ""))
    with qtbot.assertNotEmitted(printer.saved), qtbot.assertNotEmitted(printer.failed):
        assert printer.print_handout("morning") is None
    monkeypatch.setattr(QInputDialog, "getItem", lambda *args: ("", False))
    assert printer.print_handout() is None
    assert list(tmp_path.iterdir()) == []


def test_a_failed_save_is_reported(
    qtbot: QtBot, printer: HandoutPrinter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "taken.pdf").mkdir()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *args: (str(tmp_path / "taken.pdf"), "")
    )
    with qtbot.waitSignal(printer.failed) as failed:
        assert printer.print_handout("morning") is None
    assert str(failed.args[0]).startswith("cannot write ")
