"""Home's routine actions (new, edit, duplicate, rename, delete, reset) as the app
offers them: :class:`~si_timer.ui.editor.editing.RoutineEditing` and its page's
imports are made the first time one is asked for.

Beside the :mod:`si_timer.ui.editor` package, not in it: start-up makes this flow,
and nothing of the editor package is imported before it is first used."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from si_timer.config.settings import Settings
    from si_timer.library.catalog import Catalog
    from si_timer.ui.editor.editing import RoutineEditing
    from si_timer.ui.home import RoutineAction
    from si_timer.ui.notices import NoticeBoard
    from si_timer.ui.theme import Palette


class RoutineFlow(QObject):
    """Answers home's routine actions, building the routine editing on first use.

    ``busy()`` is True while a session or its summary is on: actions wait for it.
    ``palette()`` is the theme's palette now; the rest is passed on to
    :class:`~si_timer.ui.editor.editing.RoutineEditing`.

    Signals:
        library_changed(): a routine file was written, renamed, deleted or restored:
            the library must be reloaded.
        home_requested(): the editor was closed.
        new_exercise_requested(): "New exercise…" in the editor's picker; the exercise,
            once saved, comes back through :meth:`add_to_routine`.
    """

    library_changed = Signal()
    home_requested = Signal()
    new_exercise_requested = Signal()

    def __init__(
        self,
        window: QWidget,
        *,
        folder: Path,
        catalog: Callable[[], Catalog],
        settings: Callable[[], Settings],
        palette: Callable[[], Palette],
        notices: NoticeBoard,
        show_page: Callable[[QWidget], None],
        busy: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._window = window
        self._folder = folder
        self._catalog = catalog
        self._settings = settings
        self._palette = palette
        self._notices = notices
        self._show_page = show_page
        self._busy = busy
        self.built: RoutineEditing | None = None

    @property
    def editing(self) -> RoutineEditing:
        """The editor's side of the app, made when first needed."""
        if self.built is None:
            from si_timer.ui.editor.editing import RoutineEditing

            editing = RoutineEditing(
                self._window,
                folder=self._folder,
                catalog=self._catalog,
                settings=self._settings,
                palette=self._palette(),
                notices=self._notices,
                show_page=self._show_page,
                parent=self,
            )
            editing.library_changed.connect(self.library_changed)
            editing.home_requested.connect(self.home_requested)
            editing.new_exercise_requested.connect(self.new_exercise_requested)
            editing.offer_new_exercise()  # the app's exercise form answers it
            self.built = editing
        return self.built

    def act(self, action: RoutineAction | None, routine_id: str) -> None:
        """A card's Edit button or menu (None: "New routine")."""
        if self._busy():
            return
        if action is None:
            self.editing.new_routine()
        else:
            self.editing.act(action, routine_id)

    def new_routine(self) -> None:
        self.act(None, "")

    def may_leave(self) -> bool:
        """False while the editor is on screen with changes the person wants to keep."""
        return self.built is None or self.built.may_leave()

    def add_to_routine(self, exercise_id: str) -> None:
        """An exercise made from the picker joins the routine being edited."""
        if self.built is not None:
            self.built.add_to_routine(exercise_id)

    def set_palette(self, palette: Palette) -> None:
        if self.built is not None:
            self.built.set_palette(palette)
