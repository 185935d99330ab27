"""The person's own exercises as the app offers them: the exercise browser (its New
exercise… and Edit) and the routine editor's "New exercise…" open the one form
(:mod:`si_timer.ui.exercise_form`).  Browser and form are imported when first used."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from si_timer.config.paths import AppPaths
    from si_timer.library.catalog import Catalog
    from si_timer.ui.browser import ExerciseBrowser
    from si_timer.ui.exercise_form import ExerciseForm
    from si_timer.ui.theme import Palette


class ExerciseFlow(QObject):
    """Builds the browser on first use and opens the exercise form.

    ``catalog()`` and ``palette()`` are the library and the theme as they are now.

    Signals:
        exercise_saved(str): an exercise of the person's was written (its id): the
            library must be reloaded (then :meth:`library_reloaded`).
        saved_for_routine(str): after ``exercise_saved``, when the form was opened by
            :meth:`new_for_routine`: the exercise joins the routine being edited.
        home_requested(): the browser's Home button.
    """

    exercise_saved = Signal(str)
    saved_for_routine = Signal(str)
    home_requested = Signal()

    def __init__(
        self,
        window: QWidget,
        paths: AppPaths,
        *,
        catalog: Callable[[], Catalog],
        palette: Callable[[], Palette],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._window = window
        self._paths = paths
        self._catalog = catalog
        self._palette = palette
        self.built_browser: ExerciseBrowser | None = None

    @property
    def browser(self) -> ExerciseBrowser:
        """The exercise browser page, built the first time it is opened."""
        if self.built_browser is None:
            from si_timer.ui.browser import ExerciseBrowser

            catalog = self._catalog()
            browser = ExerciseBrowser(catalog.exercises, catalog.source_titles(), self._palette())
            browser.home_requested.connect(self.home_requested)
            browser.new_exercise_requested.connect(self.edit)
            browser.edit_requested.connect(self.edit)
            self.built_browser = browser
        return self.built_browser

    def edit(self, exercise_id: str = "") -> ExerciseForm:
        """The form for a new exercise (no id) or one of the person's own."""
        from si_timer.ui.exercise_form import open_exercise_form

        catalog = self._catalog()
        exercise = catalog.exercises.get(exercise_id) if exercise_id else None
        form = open_exercise_form(self._window, catalog, self._paths, self._palette(), exercise)
        form.exercise_saved.connect(self._saved)
        return form

    def new_for_routine(self) -> None:
        """ "New exercise…" in the routine editor's picker: once saved, it joins the routine."""
        form = self.edit()
        form.exercise_saved.connect(self.saved_for_routine)

    def library_reloaded(self) -> None:
        """The library was read again: a browser already built shows it as it is now."""
        if self.built_browser is not None:
            catalog = self._catalog()
            self.built_browser.set_library(catalog.exercises, catalog.source_titles())

    def _saved(self, exercise_id: str) -> None:
        self.exercise_saved.emit(exercise_id)  # the library is reloaded first, so that
        if self.built_browser is not None:  # the browser has the new exercise to show
            self.built_browser.reveal(exercise_id)
