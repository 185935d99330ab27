"""Sharing a routine from the app: choose one and save it as a file; open a file, see
what it holds and what it would replace, choose for each clash, then import.

The work is :mod:`si_timer.library.sharing` and :mod:`si_timer.library.share_import`;
here are the two dialogs and the small flow between them and the file dialogs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from si_timer.config.files import write_private
from si_timer.config.paths import AppPaths
from si_timer.library.catalog import Catalog, load_catalog
from si_timer.library.model import Routine
from si_timer.library.share_import import (
    Choice,
    FileKind,
    FileStatus,
    ImportPreview,
    ImportResult,
    PreviewEntry,
    PreviewItem,
    apply_import,
    preview_import,
)
from si_timer.library.sharing import (
    SHARE_SUFFIX,
    SharedRoutine,
    ShareProblem,
    gather,
    read_share_file,
    share_text,
)

FILE_FILTER = f"Shared routines (*{SHARE_SUFFIX});;All files (*)"
CHOICE_WORDS = {
    Choice.KEEP_BOTH: "Keep both",
    Choice.REPLACE: "Replace",
    Choice.SKIP: "Skip",
}
CHOICE_HINT = (
    "Keep both adds the one in the file beside yours, under a new name. Replace puts it "
    "in place of yours. Skip leaves yours as it is."
)
# Safe first: keeping both writes over nothing.
CHOICE_ORDER = (Choice.KEEP_BOTH, Choice.REPLACE, Choice.SKIP)
STATUS_WORDS = {
    FileStatus.NEW: "New: it will be added",
    FileStatus.SAME: "You have it already: nothing to do",
}


def contents_text(shared: SharedRoutine) -> str:
    """What a share file of this routine carries, in a sentence or two."""
    own = len(shared.exercises)
    figures = sum(1 for s in shared.exercises if s.figure_text is not None)
    bundled = len(dict.fromkeys(e.exercise for e in shared.routine.entries)) - own
    text = "The file holds the routine"
    if own:
        text += f" and {_count(own, 'exercise')} of your own"
        if figures == own:
            text += ", with its figure" if own == 1 else ", with their figures"
        elif figures:
            text += f" ({figures} with a figure)"
    text += "."
    if bundled:
        what = ("The other " if own else "Its ") + (
            "exercise comes" if bundled == 1 else f"{bundled} exercises come"
        )
        text += f" {what} with SI Timer, so {'it is' if bundled == 1 else 'they are'} named,"
        text += " not copied."
    return text


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


class ShareRoutineDialog(QDialog):
    """Choose a routine to share; says what the file will hold."""

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Share a routine — SI Timer")
        self.setMinimumWidth(560)
        self._catalog = catalog
        self.shared: SharedRoutine | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(12)
        title = QLabel("Share a routine")
        title.setProperty("role", "title")
        hint = QLabel(
            "Save a routine as one file to give to someone, or to keep. "
            "They open it with SI Timer → Import a routine."
        )
        hint.setWordWrap(True)
        hint.setProperty("role", "muted")
        self.routines = QComboBox()
        self.routines.setAccessibleName("Routine to share")
        own_first = sorted(
            catalog.routines.values(), key=lambda r: (bool(r.origin and r.origin.bundled), r.name)
        )
        for routine in own_first:
            self.routines.addItem(_routine_label(routine), routine.id)
        self.contents = QLabel()
        self.contents.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Save as…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setProperty("role", "primary")
        self.save_button.setDefault(True)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addWidget(self.routines)
        layout.addWidget(self.contents)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.routines.currentIndexChanged.connect(self._chosen)
        self._chosen()

    def routine_id(self) -> str:
        return str(self.routines.currentData())

    def _chosen(self) -> None:
        routine = self._catalog.routines.get(self.routine_id())
        self.shared = None
        if routine is None:
            self.contents.setText("There is no routine to share.")
        else:
            try:
                self.shared = gather(routine, self._catalog)
                self.contents.setText(contents_text(self.shared))
            except ShareProblem as problem:
                self.contents.setText(f"This routine cannot be shared: {problem.message}")
        self.save_button.setEnabled(self.shared is not None)


def _routine_label(routine: Routine) -> str:
    own = routine.origin is not None and not routine.origin.bundled
    return f"{routine.name} (yours)" if own else routine.name


class ImportPreviewDialog(QDialog):
    """What a shared routine holds, what it would change, and a choice for each clash."""

    def __init__(self, preview: ImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle("Import a routine — SI Timer")
        self._choosers: dict[str, QComboBox] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 24, 28, 20)
        outer.setSpacing(12)
        title = QLabel(f"Import “{preview.routine_name}”")
        title.setProperty("role", "title")
        title.setWordWrap(True)
        outer.addWidget(title)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 8, 0)
        column.setSpacing(10)
        if preview.description:
            about = QLabel(preview.description)
            about.setWordWrap(True)
            about.setProperty("role", "muted")
            column.addWidget(about)
        if preview.nothing_to_do:
            have = QLabel("You have all of this already: there is nothing to import.")
            have.setStyleSheet("font-weight: 700;")
            column.addWidget(have)
        column.addWidget(_section(f"{len(preview.entries)} EXERCISES"))
        column.addWidget(self._entries())
        column.addWidget(_section("WHAT IMPORTING DOES"))
        column.addWidget(self._changes())
        if preview.problems:
            column.addWidget(self._problems())
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(scroll, 1)
        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setProperty("role", "primary")
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        if preview.nothing_to_do or not preview.can_import:
            self.import_button.setEnabled(False)
            self.import_button.setVisible(False)  # nothing to import: Close only
            self.cancel_button.setText("Close")
        else:
            self.import_button.setDefault(True)
        outer.addWidget(buttons)
        # As tall as what it shows, up to most of a laptop's screen; the rest scrolls.
        wanted = body.sizeHint().height() + title.sizeHint().height() + 140
        self.resize(820, max(360, min(wanted, 660)))

    def choices(self) -> dict[str, Choice]:
        """The choice made for each clash, by item key."""
        return {key: Choice(box.currentData()) for key, box in self._choosers.items()}

    def chooser(self, item_key: str) -> QComboBox:
        return self._choosers[item_key]

    def _entries(self) -> QWidget:
        box = QFrame()
        box.setProperty("role", "panel")
        grid = QGridLayout(box)
        grid.setContentsMargins(16, 12, 16, 12)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        for row, entry in enumerate(self.preview.entries):
            number = QLabel(f"{row + 1}.")
            name = QLabel(entry.name)
            name.setWordWrap(True)
            dose = QLabel(entry.dose)
            dose.setWordWrap(True)
            where = QLabel(_where(entry))
            where.setProperty("role", "muted")
            grid.addWidget(number, row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(name, row, 1)
            grid.addWidget(dose, row, 2)
            grid.addWidget(where, row, 3, Qt.AlignmentFlag.AlignRight)
        grid.setHorizontalSpacing(12)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 3)
        return box

    def _changes(self) -> QWidget:
        box = QFrame()
        box.setProperty("role", "panel")
        grid = QGridLayout(box)
        grid.setContentsMargins(16, 12, 16, 12)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(12)
        for row, item in enumerate(self.preview.items):
            what = QVBoxLayout()
            what.setSpacing(2)
            head = QHBoxLayout()
            head.setSpacing(10)
            name = QLabel(item.name)
            name.setStyleSheet("font-weight: 700;")
            name.setWordWrap(True)
            kind = QLabel(_kind_words(item))
            kind.setProperty("role", "muted")
            head.addWidget(name)
            head.addWidget(kind)
            head.addStretch(1)
            status = QLabel(_clash_words(item) if item.clash else STATUS_WORDS[item.status])
            status.setWordWrap(True)
            status.setProperty("role", "muted")
            what.addLayout(head)
            what.addWidget(status)
            grid.addLayout(what, row, 0)
            if item.clash:
                chooser = QComboBox()
                chooser.setAccessibleName(f"What to do with {item.name}")
                for choice in CHOICE_ORDER:
                    chooser.addItem(CHOICE_WORDS[choice], choice.value)
                chooser.setMinimumWidth(150)
                self._choosers[item.key] = chooser
                grid.addWidget(chooser, row, 1, Qt.AlignmentFlag.AlignVCenter)
        grid.setColumnStretch(0, 1)
        if self._choosers:
            hint = QLabel(CHOICE_HINT)
            hint.setWordWrap(True)
            hint.setProperty("role", "muted")
            grid.addWidget(hint, len(self.preview.items), 0, 1, 2)
        return box

    def _problems(self) -> QWidget:
        box = QFrame()
        box.setProperty("role", "caution")
        column = QVBoxLayout(box)
        head = QLabel("<b>This routine cannot be imported:</b>")
        column.addWidget(head)
        for problem in self.preview.problems:
            line = QLabel(problem)
            line.setWordWrap(True)
            line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            column.addWidget(line)
        return box


def _where(entry: PreviewEntry) -> str:
    if not entry.found:
        return "missing"
    return "in the file" if entry.included else "with SI Timer"


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "section")
    return label


def _kind_words(item: PreviewItem) -> str:
    if item.kind is FileKind.ROUTINE:
        return "routine"
    return "exercise, with its figure" if len(item.files) > 1 else "exercise"


def _clash_words(item: PreviewItem) -> str:
    text = item.replaces
    return text[0].upper() + text[1:] if text else "Replaces one of yours"


class RoutineSharing(QObject):
    """The menu items' flow: Share a routine… and Import a routine….

    ``catalog`` is the library the app shows (the routines to share); an import reads
    the person's files again.  ``exec_dialog`` runs each dialog and message box (tests
    answer them).

    Signals:
        shared(str): a routine was saved to this file.
        imported(object): an :class:`ImportResult`, after files were written.
        told(str): what was done, for the person (a notice).
    """

    shared = Signal(str)
    imported = Signal(object)
    told = Signal(str)

    def __init__(
        self,
        window: QWidget,
        paths: AppPaths,
        catalog: Callable[[], Catalog],
        *,
        exec_dialog: Callable[[QDialog], int] = lambda dialog: dialog.exec(),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._window = window
        self._paths = paths
        self._catalog = catalog
        self._exec = exec_dialog

    def share(self) -> None:
        dialog = ShareRoutineDialog(self._catalog(), self._window)
        if not self._exec(dialog) or dialog.shared is None:
            return
        routine = dialog.shared.routine
        name, _ = QFileDialog.getSaveFileName(
            self._window,
            "Save the routine as",
            str(Path.home() / f"{routine.id}{SHARE_SUFFIX}"),
            FILE_FILTER,
        )
        if not name:
            return
        path = Path(name)
        if not path.suffix:
            path = path.with_name(path.name + SHARE_SUFFIX)
        try:
            write_private(path, share_text(dialog.shared))
        except OSError as exc:
            self._warn("The routine was not saved", f"{path}: {exc.strerror or exc}")
            return
        self.shared.emit(str(path))
        self.told.emit(f"“{routine.name}” is saved to {path}.")

    def import_routine(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self._window, "Import a routine", str(Path.home()), FILE_FILTER
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> ImportResult | None:
        """Preview ``path``, ask, and write what was agreed; None when nothing was."""
        try:
            shared = read_share_file(path)
        except ShareProblem as problem:
            self._warn("This file cannot be imported", problem.message)
            return None
        # Read from disk now, not the app's copy: the files may have changed since it
        # was read, and the import checks against what is on disk.
        paths = self._paths
        library = load_catalog(paths.user_exercises_dir, paths.user_routines_dir)
        preview = preview_import(shared, library, paths)
        dialog = ImportPreviewDialog(preview, self._window)
        if not self._exec(dialog):
            return None
        try:
            result = apply_import(preview, dialog.choices(), self._paths)
        except ShareProblem as problem:
            self._warn("Nothing was imported", problem.message)
            return None
        except OSError as exc:
            self._warn("The import did not finish", f"{exc.strerror or exc}")
            return None
        self.imported.emit(result)
        self.told.emit(
            f"“{preview.routine_name}” is imported: find it under All routines."
            if result.routine_id is not None
            else "The exercises are imported."
        )
        return result

    def _warn(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self._window)
        box.setWindowTitle(f"{title} — SI Timer")
        self._exec(box)


__all__ = [
    "ImportPreviewDialog",
    "RoutineSharing",
    "ShareRoutineDialog",
    "contents_text",
]
