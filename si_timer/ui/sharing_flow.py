"""Share a routine… and Import a routine… from the menu: the dialogs
(:mod:`si_timer.ui.share_dialog`) are imported and made when first used."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from si_timer.ui.notices import NoticeLevel, Tell

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from si_timer.config.paths import AppPaths
    from si_timer.library.catalog import Catalog
    from si_timer.ui.share_dialog import RoutineSharing


class SharingFlow(QObject):
    """Runs the sharing flows, never over a session (``busy()``: one or its summary is on).

    Signals:
        imported(): routines and exercises were written: the library must be reloaded.
    """

    imported = Signal()

    def __init__(
        self,
        window: QWidget,
        paths: AppPaths,
        catalog: Callable[[], Catalog],
        *,
        tell: Tell,
        busy: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._window = window
        self._paths = paths
        self._catalog = catalog
        self._tell = tell
        self._busy = busy
        self.built: RoutineSharing | None = None

    def share(self) -> None:
        if not self._busy():
            self._sharing().share()

    def import_routine(self) -> None:
        if not self._busy():
            self._sharing().import_routine()

    def _sharing(self) -> RoutineSharing:
        if self.built is None:
            from si_timer.ui.share_dialog import RoutineSharing

            sharing = RoutineSharing(self._window, self._paths, self._catalog, parent=self)
            sharing.imported.connect(self.imported)
            sharing.told.connect(self._told)
            self.built = sharing
        return self.built

    def _told(self, text: str) -> None:
        self._tell("sharing", text, NoticeLevel.INFO)
