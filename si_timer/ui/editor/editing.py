"""What the home page's routine actions and the editor's Save do: every write to the
person's routines folder goes through here, then the library is reloaded once.

New, edit and duplicate open the editor page (built the first time); rename, delete
and reset ask, write and report through the notice banner (a deletion can be undone
from its notice).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from si_timer.config.settings import Settings
from si_timer.library import routine_file
from si_timer.library.catalog import Catalog
from si_timer.library.draft import RoutineDraft
from si_timer.library.model import Exercise, Routine
from si_timer.ui.editor.page import RoutineEditorPage
from si_timer.ui.home import RoutineAction
from si_timer.ui.notices import Notice, NoticeBoard, NoticeLevel
from si_timer.ui.theme import Palette

log = logging.getLogger("si_timer")

NEW_NAME = "My routine"
MOVED_KEY = "routine-moved-aside"


class LiveExercises(Mapping[str, Exercise]):
    """The library's exercises as they are now: after a reload (a new exercise of the
    person's was saved) the open draft and the picker see it without starting over."""

    def __init__(self, catalog: Callable[[], Catalog]) -> None:
        self._catalog = catalog

    def __getitem__(self, key: str) -> Exercise:
        return self._catalog().exercises[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._catalog().exercises)

    def __len__(self) -> int:
        return len(self._catalog().exercises)


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
        settings: Callable[[], Settings],
        palette: Palette,
        notices: NoticeBoard,
        show_page: Callable[[QWidget], None],
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
        self._page: RoutineEditorPage | None = None
        self._exercises = LiveExercises(catalog)
        self._new_exercise_offered = False
        # The last routine deleted or reset, and its name: its notice's Undo puts it back.
        self._moved: tuple[routine_file.MovedAside, str] | None = None
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
            page.set_new_exercise_available(self._new_exercise_offered)
            self._page = page
        return self._page

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        if self._page is not None:
            self._page.set_palette(palette)

    def offer_new_exercise(self, offered: bool = True) -> None:
        """Show "New exercise…" in the picker: once something answers
        ``new_exercise_requested`` (the exercise form)."""
        self._new_exercise_offered = offered
        if self._page is not None:
            self._page.set_new_exercise_available(offered)

    def add_to_routine(self, exercise_id: str) -> None:
        """Add an exercise (one just made) to the routine being edited, if one is."""
        if self._page is not None and self._page.draft is not None:
            self._page.add_exercises([exercise_id])

    @property
    def is_built(self) -> bool:
        return self._page is not None

    def may_leave(self) -> bool:
        """Asked before the editor page is left or the window closes: True unless it is
        on screen with unsaved changes the person wants to keep editing."""
        return self._page is None or not self._page.isVisible() or self._page.may_leave()

    def _open(self, routine: Routine, *, title: str, note: str, saved: bool = True) -> None:
        exercises = self._exercises
        draft = RoutineDraft(routine, exercises, settings=self._settings(), saved=saved)
        page = self.page
        page.open(draft, exercises, title=title, note=note)
        self._show_page(page)
        page.focus_first()

    # --- home's actions ----------------------------------------------------------

    def act(self, action: RoutineAction, routine_id: str) -> None:
        routine = self._catalog().routines.get(routine_id)
        if routine is None:
            return
        if action is RoutineAction.EDIT:
            self.edit(routine_id)
        elif action is RoutineAction.DUPLICATE:
            self.duplicate(routine)
        elif action is RoutineAction.RENAME:
            self.rename(routine)
        elif action is RoutineAction.DELETE:
            self.delete(routine)
        elif action is RoutineAction.RESET:
            self.reset(routine)

    def new_routine(self) -> None:
        taken = set(self._catalog().routines)
        new_id = routine_file.new_routine_id(NEW_NAME, taken)
        self._open(
            Routine(id=new_id, name=NEW_NAME, entries=()),
            title="New routine",
            note="It joins your own routines on the home page when you save it.",
            saved=False,
        )

    def edit(self, routine_id: str) -> None:
        catalog = self._catalog()
        note = ""
        if routine_id in catalog.bundled_routines:
            note = (
                "This routine came with SI Timer. Saving keeps your version in its place; "
                "“Reset to the original” in its card's ⋯ menu brings the original back."
            )
        self._open(catalog.routines[routine_id], title="Edit routine", note=note)

    def duplicate(self, routine: Routine) -> None:
        """A copy of the person's own, opened in the editor."""
        made: list[Routine] = []
        taken = set(self._catalog().routines)
        if self._write(lambda: made.append(routine_file.duplicate(routine, taken, self._folder))):
            copy = made[0]
            self._tell("routine-copied", f"Made a copy: “{copy.name}”. It is yours to change.")
            if copy.id in self._catalog().routines:
                self.edit(copy.id)

    def rename(self, routine: Routine) -> None:
        name, ok = QInputDialog.getText(
            self._window, "Rename routine", "New name:", QLineEdit.EchoMode.Normal, routine.name
        )
        name = name.strip()
        changed = ok and name and name != routine.name
        if changed and self._write(lambda: routine_file.rename(routine, name, self._folder)):
            self._tell("routine-renamed", f"Renamed to “{name}”.")

    def delete(self, routine: Routine) -> None:
        if not self.confirm(
            "Delete routine?",
            f"Delete “{routine.name}”? You can undo this from the notice that follows.",
            "Delete",
        ):
            return
        self._move_aside(routine, routine_file.delete_routine, f"Deleted “{routine.name}”.")

    def reset(self, routine: Routine) -> None:
        if not self.confirm(
            "Reset to the original?",
            f"Put “{routine.name}” back as it came with SI Timer? Your changes to it are set "
            "aside; you can undo this from the notice that follows.",
            "Reset",
        ):
            return
        original = self._catalog().bundled_routines.get(routine.id, routine)
        self._move_aside(
            routine, routine_file.reset_routine, f"“{original.name}” is back to the original."
        )

    def _move_aside(
        self,
        routine: Routine,
        move: Callable[[str, Path], routine_file.MovedAside],
        text: str,
    ) -> None:
        moved: list[routine_file.MovedAside] = []
        if self._write(lambda: moved.append(move(routine.id, self._folder))):
            self._moved = (moved[0], routine.name)
            self._notices.post(Notice(MOVED_KEY, text, NoticeLevel.INFO, action="Undo"))

    def undo_move(self) -> None:
        """Put back the routine file the last delete or reset moved aside."""
        if self._moved is None:
            return
        moved, name = self._moved
        self._moved = None
        if self._write(lambda: routine_file.restore(moved)):
            self._tell("routine-restored", f"“{name}” is back.")

    def _notice_acted(self, key: str) -> None:
        if key == MOVED_KEY:
            self.undo_move()

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
        if self._write(lambda: routine_file.save_routine(routine, self._folder)):
            self.page.saved()
            self._tell("routine-saved", f"Saved “{routine.name}”.")

    def _write(self, change: Callable[[], object]) -> bool:
        """Make one change in the routines folder, then have the library reloaded; a
        failed write is told, never raised.  True if it was made."""
        try:
            change()
        except routine_file.NotOwnRoutine:
            # The file went away behind the app's back: show the library as it is now.
            self.library_changed.emit()
            return False
        except OSError as exc:
            log.warning("a routine could not be written: %s", exc)
            reason = exc.strerror or str(exc)
            self._notices.post(
                Notice(
                    "routine-write",
                    f"That could not be saved ({reason}).",
                    NoticeLevel.WARNING,
                    detail=str(self._folder),
                )
            )
            return False
        self._notices.clear("routine-write")
        self.library_changed.emit()
        return True

    def _tell(self, key: str, text: str) -> None:
        log.info("%s", text)
        self._notices.post(Notice(key, text, NoticeLevel.INFO))
