"""Saving a routine's handout: the one path the command line and the app both take, and
the app's questions around it (which routine, which file, which paper).

The handout is small (a page or two) and takes a fraction of a second, so it is
written on the GUI thread; what goes wrong is one sentence for the person.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

from PySide6.QtCore import QLocale, QObject, QStandardPaths, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

from si_timer import APP_DISPLAY_NAME
from si_timer.config.settings import Settings
from si_timer.library.catalog import Catalog
from si_timer.library.model import Routine
from si_timer.library.safety import load_safety
from si_timer.session.handout import build_handout
from si_timer.session.options import plan_for, plan_options
from si_timer.ui.printing.handout import write_handout
from si_timer.ui.printing.pdf import PageSize, ensure_gui

PAPER_FILTERS = {
    PageSize.A4: "PDF on A4 paper (*.pdf)",
    PageSize.LETTER: "PDF on US Letter paper (*.pdf)",
}


class HandoutFailed(Exception):
    """The handout could not be written; the message says why, in one line."""


def default_page_size() -> PageSize:
    """Letter where the locale measures in US units, A4 everywhere else."""
    ensure_gui()
    us = QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    return PageSize.LETTER if us else PageSize.A4


def save_handout(
    routine: Routine,
    catalog: Catalog,
    settings: Settings,
    path: Path,
    page_size: PageSize | str | None = None,
    *,
    today: date | None = None,
) -> int:
    """Write ``routine``'s handout, as this person runs it, to ``path``; returns its pages.
    Raises :class:`HandoutFailed` when the file cannot be written."""
    ensure_gui()
    size = PageSize(page_size) if page_size else default_page_size()
    handout = build_handout(
        routine,
        catalog,
        plan_for(routine, catalog.exercises, settings),
        plan_options(settings),
        load_safety(),
        today or date.today(),
        APP_DISPLAY_NAME,
    )
    try:
        return write_handout(handout, path, size)
    except OSError as exc:
        raise HandoutFailed(f"cannot write {path}: {exc.strerror or exc}") from exc


def pdf_target(name: str) -> Path:
    """The chosen file name, with ``.pdf`` added when it has no such suffix."""
    path = Path(name)
    return path if path.suffix.lower() == ".pdf" else path.with_name(f"{path.name}.pdf")


class HandoutPrinter(QObject):
    """The app's "Print handout…": asks which routine (when none is given), where to save
    it and on which paper, then writes it.

    Signals:
        saved(str): the handout was written to this path.
        failed(str): it could not be written; one line saying why.
    """

    saved = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        window: QWidget,
        *,
        catalog: Callable[[], Catalog],
        settings: Callable[[], Settings],
        favourite: Callable[[], str],  # the routine offered first
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._window = window
        self._catalog = catalog
        self._settings = settings
        self._favourite = favourite

    def print_handout(self, routine_id: str = "") -> Path | None:
        """Ask and save; returns the file written, or None (cancelled, or failed)."""
        catalog = self._catalog()
        routine = catalog.routines.get(routine_id) or self._choose_routine(catalog.routines)
        if routine is None:
            return None
        chosen = self._choose_file(routine)
        if chosen is None:
            return None
        path, size = chosen
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # a long one: half a second
        try:
            save_handout(routine, catalog, self._settings(), path, size)
        except HandoutFailed as exc:
            self.failed.emit(str(exc))
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.saved.emit(str(path))
        return path

    def _choose_routine(self, routines: Mapping[str, Routine]) -> Routine | None:
        if not routines:
            return None
        ordered = sorted(routines.values(), key=lambda r: (r.id != self._favourite(), r.name))
        names = [r.name for r in ordered]
        name, ok = QInputDialog.getItem(
            self._window, "Print a handout", "Which routine?", names, 0, False
        )
        return ordered[names.index(name)] if ok and name in names else None

    def _choose_file(self, routine: Routine) -> tuple[Path, PageSize] | None:
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        folder = documents if documents and Path(documents).is_dir() else str(Path.home())
        size = default_page_size()
        name, chosen_filter = QFileDialog.getSaveFileName(
            self._window,
            f"Save the handout of {routine.name}",
            str(Path(folder) / f"{routine.id}-handout.pdf"),
            ";;".join(PAPER_FILTERS.values()),
            PAPER_FILTERS[size],
        )
        if not name:
            return None
        by_filter = {text: paper for paper, text in PAPER_FILTERS.items()}
        return pdf_target(name), by_filter.get(chosen_filter, size)
