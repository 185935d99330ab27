"""The form for a person's own exercise, and the one call that opens it.

Imported only when the form is first opened: start-up does not pay for it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from si_timer.config.paths import AppPaths
from si_timer.library.catalog import Catalog
from si_timer.library.model import Exercise
from si_timer.ui.exercise_form.form import ExerciseForm
from si_timer.ui.theme import Palette

__all__ = ["ExerciseForm", "open_exercise_form"]


def open_exercise_form(
    parent: QWidget | None,
    catalog: Catalog,
    paths: AppPaths,
    palette: Palette,
    exercise: Exercise | None = None,
) -> ExerciseForm:
    """Open the form (window-modal, without blocking) for a new exercise, or to edit
    ``exercise``, one of the person's own; connect to its ``exercise_saved(str)``.
    The form deletes itself when closed."""
    form = ExerciseForm(catalog, paths.user_exercises_dir, palette, exercise, parent)
    form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    form.open()
    return form
