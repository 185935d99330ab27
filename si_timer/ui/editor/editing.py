"""What the home page's routine actions and the editor's Save do: every write to the
person's routines folder goes through here, then the library is reloaded once.

New, edit and duplicate open the editor page (built the first time); rename, delete
and reset ask, write and report through the notice banner (a deletion can be undone
from its notice).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from si_timer.library import routine_file
from si_timer.library.catalog import Catalog
from si_timer.library.draft import RoutineDraft
from si_timer.library.model import Routine
from si_timer.ui.editor.page import RoutineEditorPage
from si_timer.ui.home import RoutineAction
from si_timer.ui.notices import Notice, NoticeBoard, NoticeLevel
from si_timer.ui.theme import Palette

log = logging.getLogger("si_timer")

NEW_NAME = "My routine"
DELETED_KEY = "routine-deleted"


class RoutineEditing(QObject):
    """The routine editor's side of the app.

    ``catalog()`` is the library as loaded now; ``show_page(page)`` puts a page on
    screen; ``folder`` is the person's routines folder.

    Signals:
        library_changed(): a routine file was written, renamed, deleted or restored:
            the library must be reloaded.
        home_requested(): the editor was closed.
        new_exercise_requested(): "New exercise…" in the editor's picker.
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
        palette: Palette,
        notices: NoticeBoard,
        show_page: Callable[[QWidget], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._window = window
        self._folder = folder
        self._catalog = catalog
        self._palette = palette
        self._notices = notices
        self._show_page = show_page
        self._page: RoutineEditorPage | None = None
        self._deleted: tuple[str, str] | None = None  # the last deleted routine: id, name
        notices.acted.connect(self._notice_acted)

    # --- the page --------------------------------------------------------------

    @property
    def page(self) -> RoutineEditorPage:
        """The editor page, built the first time it is needed."""
        if self._page is None:
            page = RoutineEditorPage(self._palette, lambda sid: self._catalog().source_title(sid))
            page.save_requested.connect(self.save)
            page.close_requested.connect(self.home_requested)
            page.new_exercise_requested.connect(self.new_exercise_requested)
            self._page = page
        return self._page

    @property
    def is_built(self) -> bool:
        return self._page is not None

    def may_leave(self) -> bool:
        """Asked before the editor page is left or the window closes: True unless it is
        on screen with unsaved changes the person wants to keep editing."""
        return self._page is None or not self._page.isVisible() or self._page.may_leave()

    def _open(self, routine: Routine, *, title: str, note: str) -> None:
        catalog = self._catalog()
        page = self.page
        page.open(
            RoutineDraft(routine, catalog.exercises), catalog.exercises, title=title, note=note
        )
        self._show_page(page)

    # --- home's actions ----------------------------------------------------------

    def act(self, action: RoutineAction, routine_id: str) -> None:
        catalog = self._catalog()
        routine = catalog.routines.get(routine_id)
        if routine is None:
            return
        if action is RoutineAction.EDIT:
            self.edit(routine_id)
        elif action is RoutineAction.DUPLICATE:
            self._write(lambda: self._duplicate(routine), "copy")
        elif action is RoutineAction.RENAME:
            self.rename(routine)
        elif action is RoutineAction.DELETE:
            self.delete(routine)
        elif action is RoutineAction.RESET:
            self.reset(routine)

    def new_routine(self) -> None:
        taken = set(self._catalog().routines)
        routine = Routine(
            id=routine_file.new_routine_id(NEW_NAME, taken), name=NEW_NAME, entries=()
        )
        self._open(
            routine,
            title="New routine",
            note="Saved among your own routines, on the home page, when you press Save.",
        )

    def edit(self, routine_id: str) -> None:
        catalog = self._catalog()
        routine = catalog.routines[routine_id]
        if routine_id in catalog.bundled_routines:
            note = (
                "This routine came with SI Timer. Saving keeps your version in its place; "
                "“Reset to the original” on its card brings the original back."
            )
        else:
            note = ""
        self._open(routine, title="Edit routine", note=note)

    def _duplicate(self, routine: Routine) -> None:
        copy = routine_file.duplicate(routine, set(self._catalog().routines), self._folder)
        self.library_changed.emit()
        self._tell("routine-copied", f"Made a copy: “{copy.name}”. It is yours to change.")
        if copy.id in self._catalog().routines:
            self.edit(copy.id)

    def rename(self, routine: Routine) -> None:
        name, ok = QInputDialog.getText(
            self._window, "Rename routine", "New name:", QLineEdit.EchoMode.Normal, routine.name
        )
        name = name.strip()
        if ok and name and name != routine.name:
            self._write(lambda: routine_file.rename(routine, name, self._folder), "rename")

    def delete(self, routine: Routine) -> None:
        if not self.confirm(
            "Delete routine?",
            f"Delete “{routine.name}”? You can undo this from the notice that follows.",
            "Delete",
        ):
            return

        def delete() -> None:
            routine_file.delete_routine(routine.id, self._folder)
            self._deleted = (routine.id, routine.name)
            self.library_changed.emit()
            self._notices.post(
                Notice(DELETED_KEY, f"Deleted “{routine.name}”.", NoticeLevel.INFO, action="Undo")
            )

        self._write(delete, "delete")

    def reset(self, routine: Routine) -> None:
        if not self.confirm(
            "Reset to the original?",
            f"Put back “{routine.name}” as it came with SI Timer? Your changes to it are lost.",
            "Reset",
        ):
            return

        def reset() -> None:
            routine_file.reset_routine(routine.id, self._folder)
            self.library_changed.emit()
            self._tell("routine-reset", f"“{routine.name}” is back to the original.")

        self._write(reset, "reset")

    def undo_delete(self) -> None:
        if self._deleted is None:
            return
        routine_id, name = self._deleted
        self._deleted = None

        def restore() -> None:
            routine_file.restore_routine(routine_id, self._folder)
            self.library_changed.emit()
            self._tell("routine-restored", f"“{name}” is back.")

        self._write(restore, "restore")

    def _notice_acted(self, key: str) -> None:
        if key == DELETED_KEY:
            self.undo_delete()

    def confirm(self, title: str, text: str, yes: str) -> bool:
        """Ask before a change that loses something (tests replace this)."""
        box = QMessageBox(self._window)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(title)
        box.setText(text)
        ok = box.addButton(yes, QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is ok

    # --- saving --------------------------------------------------------------------

    def save(self, routine: Routine) -> None:
        """Write the edited routine; the page hears back only if it was written."""

        def save() -> None:
            routine_file.save_routine(routine, self._folder)
            self.page.saved()
            self.library_changed.emit()
            self._tell("routine-saved", f"Saved “{routine.name}”.")

        self._write(save, "save")

    def _write(self, change: Callable[[], None], what: str) -> None:
        """Run one change of the routines folder; a failed write is told, never raised."""
        try:
            change()
        except OSError as exc:
            log.warning("routine %s failed: %s", what, exc)
            reason = exc.strerror or str(exc)
            self._notices.post(
                Notice(
                    "routine-write",
                    f"That could not be saved ({reason}).",
                    NoticeLevel.WARNING,
                    detail=str(self._folder),
                )
            )

    def _tell(self, key: str, text: str) -> None:
        log.info("%s", text)
        self._notices.post(Notice(key, text, NoticeLevel.INFO))
