"""Print a handout… from the menu and from home's cards: the printer, and Qt's PDF
writer with it, are made the first time a handout is asked for."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from si_timer.ui.notices import NoticeLevel, Tell

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from si_timer.config.settings import Settings
    from si_timer.library.catalog import Catalog
    from si_timer.ui.printing.save import HandoutPrinter


class HandoutFlow(QObject):
    """Saves a routine's handout and tells how it went.

    ``busy()`` is True while a session or its summary is on: no dialog over it.
    ``favourite()`` is the routine offered first when none is given.
    """

    def __init__(
        self,
        window: QWidget,
        *,
        catalog: Callable[[], Catalog],
        settings: Callable[[], Settings],
        favourite: Callable[[], str],
        tell: Tell,
        busy: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._window = window
        self._catalog = catalog
        self._settings = settings
        self._favourite = favourite
        self._tell = tell
        self._busy = busy
        self._printer: HandoutPrinter | None = None

    def print_handout(self, routine_id: str = "") -> None:
        """Save a printable handout of a routine (asked for when none is given)."""
        if not self._busy():
            self.printer.print_handout(routine_id)

    @property
    def printer(self) -> HandoutPrinter:
        if self._printer is None:
            from si_timer.ui.printing.save import HandoutPrinter

            printer = HandoutPrinter(
                self._window,
                catalog=self._catalog,
                settings=self._settings,
                favourite=self._favourite,
                parent=self,
            )
            printer.saved.connect(self._saved)
            printer.failed.connect(self._failed)
            self._printer = printer
        return self._printer

    def _saved(self, path: str) -> None:
        self._tell("handout", "Handout saved", NoticeLevel.INFO, detail=path)

    def _failed(self, why: str) -> None:
        self._tell("handout", f"The handout was not saved: {why}", NoticeLevel.WARNING)
