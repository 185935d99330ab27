"""The form for a person's own exercise: what it is called, where the body is, the dose,
steps, cautions, where it comes from and the figure to draw.

Nothing here decides what a valid exercise is: the form builds an :class:`Exercise`,
writes it with :func:`exercise_yaml` and reads that back through the library's loader,
and shows the loader's own messages beside the fields they name. What it saves is
therefore exactly a file the loader accepts.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from si_timer.library.catalog import Catalog
from si_timer.library.exercise_file import exercise_yaml, new_exercise_id, save_exercise
from si_timer.library.loader import SIDE_WORDS, bundled_figures, load_text
from si_timer.library.model import (
    MAX_SHORT_NAME,
    Category,
    Cues,
    Exercise,
    LoadError,
    Posture,
    Side,
    SideMeanings,
    Sides,
)
from si_timer.records import replace
from si_timer.ui.exercise_form.dose import DoseEditor
from si_timer.ui.exercise_form.fields import (
    LineListEditor,
    error_label,
    form_rows,
    row_label,
    show_error,
)
from si_timer.ui.exercise_form.figures import FigurePicker
from si_timer.ui.exercise_form.words import (
    CATEGORY_WORDS,
    EQUIPMENT,
    PAIN_LINE,
    PHYSIO,
    POSITION_LINES,
    POSITION_NEEDS,
    SIDES_WORDS,
    placed,
)
from si_timer.ui.theme import Palette

FIGURE_COLUMN = 3 * 134 + 30  # three figures a row, and a scroll bar


class ExerciseForm(QDialog):
    """A new exercise (``exercise`` None) or one of the person's own, to edit and save
    in ``folder`` (the person's exercises folder).

    Signals:
        exercise_saved(str): the id of the exercise just saved (its file is in ``folder``).
    """

    exercise_saved = Signal(str)

    def __init__(
        self,
        catalog: Catalog,
        folder: Path,
        palette: Palette,
        exercise: Exercise | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._folder = folder
        self._original = exercise
        self._tried = False  # after a first save attempt, problems are re-checked live
        self._shown_problems = False  # scroll to the first problem only when it appears
        self.setWindowTitle(("Edit exercise" if exercise else "New exercise") + " — SI Timer")
        self._errors: dict[str, QLabel] = {}

        root = QVBoxLayout(self)
        root.setContentsMargins(28, 20, 28, 18)
        root.setSpacing(12)
        title = QLabel(f"Edit “{exercise.name}”" if exercise else "Your own exercise")
        title.setProperty("role", "title")
        root.addWidget(title)
        body = QHBoxLayout()
        body.setSpacing(24)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        fields = QWidget()
        self._column = QVBoxLayout(fields)
        self._column.setContentsMargins(0, 0, 14, 0)
        self._column.setSpacing(8)
        self._build_about()
        self._build_position()
        self._build_sides()
        self._build_dose()
        self._build_lists()
        self._build_source()
        self._column.addStretch(1)
        scroll.setWidget(fields)
        self._scroll = scroll
        # The fields never squeeze below their own width: the figures give way instead.
        scroll.setMinimumWidth(fields.minimumSizeHint().width() + 16)
        body.addWidget(scroll, 1)
        right = QVBoxLayout()
        right.setSpacing(6)
        right.addWidget(self._section("Figure"))
        self.figures = FigurePicker(palette)
        self.figures.setFixedWidth(FIGURE_COLUMN)
        right.addWidget(self.figures, 1)
        self._errors["figure"] = error_label()
        right.addWidget(self._errors["figure"])
        body.addLayout(right, 0)
        root.addLayout(body, 1)

        bar = QHBoxLayout()
        bar.setSpacing(10)
        self.problem = error_label()
        bar.addWidget(self.problem, 1)
        bar.addStretch(1)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.reject)
        self.save_button = QPushButton("Save exercise")
        self.save_button.setProperty("role", "primary")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.save_button)
        root.addLayout(bar)

        self._fill(exercise)
        self._wire()
        self._fit_to_screen()
        self._start = self.exercise()  # what "nothing changed" means, for Cancel

    # --- building --------------------------------------------------------------

    def _section(self, text: str) -> QLabel:
        label = QLabel(text.upper())
        label.setProperty("role", "section")
        return label

    def _form(self, heading: str) -> QFormLayout:
        self._column.addSpacing(6)
        self._column.addWidget(self._section(heading))
        form = form_rows()
        self._column.addLayout(form)
        return form

    def _with_error(self, key: str, widget: QWidget | QHBoxLayout) -> QWidget:
        """``widget`` with the place for the loader's message about ``key`` below it."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        if isinstance(widget, QWidget):
            layout.addWidget(widget)
        else:
            layout.addLayout(widget)
        self._errors[key] = error_label()
        layout.addWidget(self._errors[key])
        return box

    def _build_about(self) -> None:
        form = self._form("The exercise")
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Hip stretch against the wall")
        self.name.setMaxLength(80)
        self.name.setAccessibleName("Name")
        form.addRow(row_label("Name"), self._with_error("name", self.name))
        short = QHBoxLayout()
        self.short_name = QLineEdit()
        self.short_name.setMaxLength(MAX_SHORT_NAME)
        self.short_name.setPlaceholderText("Shown big during a session")
        self.short_name.setAccessibleName("Short name")
        self.short_count = QLabel()
        self.short_count.setProperty("role", "muted")
        self.short_count.setMinimumWidth(48)
        short.addWidget(self.short_name, 1)
        short.addWidget(self.short_count)
        form.addRow(row_label("Short name"), self._with_error("short_name", short))
        self.category = QComboBox()
        self.category.setAccessibleName("Kind of exercise")
        for category, word in CATEGORY_WORDS.items():
            self.category.addItem(word, category.value)
        form.addRow(row_label("Kind"), self._with_error("category", self.category))

    def _build_position(self) -> None:
        form = self._form("Position")
        self.posture = QComboBox()
        self.posture.setAccessibleName("Where the body is")
        for posture, line in POSITION_LINES.items():
            self.posture.addItem(line, posture.value)
        form.addRow(row_label("Where"), self._with_error("posture", self.posture))
        self.position = QLineEdit()
        self.position.setMaxLength(80)
        self.position.setPlaceholderText("e.g. Lying on your back, knees bent")
        self.position.setAccessibleName("Position, in a few words")
        form.addRow(row_label("In words"), self._with_error("position", self.position))
        boxes = QHBoxLayout()
        boxes.setSpacing(14)
        self.equipment: dict[str, QCheckBox] = {}
        self._kit_touched = False  # once a box is ticked by hand, the position leaves them be
        for item in EQUIPMENT:
            box = QCheckBox(item)
            box.clicked.connect(self._kit_ticked)
            self.equipment[item] = box
            boxes.addWidget(box)
        boxes.addStretch(1)
        self.other_equipment = QLineEdit()
        self.other_equipment.setPlaceholderText("Anything else, with commas: towel, step")
        self.other_equipment.setAccessibleName("Other equipment")
        kit = QVBoxLayout()
        kit.addLayout(boxes)
        kit.addWidget(self.other_equipment)
        holder = QWidget()
        holder.setLayout(kit)
        kit.setContentsMargins(0, 0, 0, 0)
        form.addRow(row_label("You need"), self._with_error("equipment", holder))

    def _build_sides(self) -> None:
        form = self._form("Sides")
        self.sides = QComboBox()
        self.sides.setAccessibleName("Sides")
        for sides, words in SIDES_WORDS.items():
            self.sides.addItem(words, sides.value)
        form.addRow(row_label("Sides"), self._with_error("sides", self.sides))
        first = QHBoxLayout()
        self.first_left = QRadioButton("Left first")
        self.first_right = QRadioButton("Right first")
        self._first = QButtonGroup(self)
        self._first.addButton(self.first_left)
        self._first.addButton(self.first_right)
        self.side_word = QComboBox()
        self.side_word.setAccessibleName("A side is called")
        for word in SIDE_WORDS:
            self.side_word.addItem(f"Left {word}, right {word}", word)
        first.addWidget(self.first_left)
        first.addWidget(self.first_right)
        first.addSpacing(16)
        first.addWidget(self.side_word)
        first.addStretch(1)
        self._first_row = QWidget()
        self._first_row.setLayout(first)
        first.setContentsMargins(0, 0, 0, 0)
        form.addRow(row_label("Order"), self._first_row)
        self._sides_form = form

    def _build_dose(self) -> None:
        self._column.addSpacing(6)
        self._column.addWidget(self._section("Dose"))
        self.dose = DoseEditor()  # its own rows line up with the others (row_label)
        self._column.addWidget(self._with_error("dose", self.dose))

    def _build_lists(self) -> None:
        form = self._form("Steps and cautions")
        self.steps = LineListEditor("step")
        form.addRow(row_label("Steps"), self._with_error("steps", self.steps))
        self.cautions = LineListEditor("caution", max_lines=5)
        form.addRow(row_label("Cautions"), self._with_error("cautions", self.cautions))

    def _build_source(self) -> None:
        form = self._form("Source")
        row = QHBoxLayout()
        self.source_physio = QRadioButton(PHYSIO)
        self.source_other = QRadioButton("Other:")
        self._source = QButtonGroup(self)
        self._source.addButton(self.source_physio)
        self._source.addButton(self.source_other)
        self.source_text = QLineEdit()
        self.source_text.setMaxLength(120)
        self.source_text.setPlaceholderText("A book, a website, a class…")
        self.source_text.setAccessibleName("Where the exercise comes from")
        row.addWidget(self.source_physio)
        row.addSpacing(10)
        row.addWidget(self.source_other)
        row.addWidget(self.source_text, 1)
        form.addRow(row_label("From"), self._with_error("source", row))

    # --- filling and reading -----------------------------------------------------

    def _fill(self, ex: Exercise | None) -> None:
        posture = (ex.posture if ex else None) or Posture.BACK
        self.posture.setCurrentIndex(self.posture.findData(posture.value))
        self._posture_options(posture)
        if ex is None:
            self.position.setText(POSITION_LINES[posture])
            self._tick_needs(posture)
            self.first_left.setChecked(True)
            self.steps.set_lines([""])
            self.cautions.set_lines([PAIN_LINE])
            self.source_physio.setChecked(True)
            self._update()
            return
        self._kit_touched = True  # an exercise's own list is kept as it is
        self.name.setText(ex.name)
        self.short_name.setText(ex.short_name or "")
        self.category.setCurrentIndex(self.category.findData(ex.category.value))
        self.position.setText(ex.position)
        others: list[str] = []  # what has no box, and a second chair
        for item in ex.equipment:
            box = self.equipment.get(item)
            if box is not None and not box.isChecked():
                box.setChecked(True)
            else:
                others.append(item)
        self.other_equipment.setText(", ".join(others))
        self.sides.setCurrentIndex(self.sides.findData(ex.sides.value))
        (self.first_right if ex.first_side is Side.RIGHT else self.first_left).setChecked(True)
        self.side_word.setCurrentIndex(max(0, self.side_word.findData(ex.side_word)))
        self.dose.set_dose(ex.dose)
        self.steps.set_lines(ex.steps)
        self.cautions.set_lines(ex.cautions)
        (self.source_physio if ex.source == PHYSIO else self.source_other).setChecked(True)
        if ex.source != PHYSIO:
            self.source_text.setText(ex.source)
        self.figures.choose(ex.figure)
        self._update()

    def exercise(self) -> Exercise:
        """The exercise as the form has it now, checked or not (see :meth:`problems`)."""
        original = self._original
        chosen_posture = Posture(self.posture.currentData())
        sides = Sides(self.sides.currentData())
        name = self.name.text().strip()
        ex_id = original.id if original else new_exercise_id(name, self._taken_ids())
        equipment = [item for item, box in self.equipment.items() if box.isChecked()]
        equipment += [part.strip() for part in self.other_equipment.text().split(",")]
        source = PHYSIO if self.source_physio.isChecked() else self.source_text.text().strip()
        meanings, switch, alternate = SideMeanings(), None, False
        if original is not None and sides is not Sides.NONE:  # what only sides mean
            meanings, switch = original.side_meanings, original.switch
            alternate = original.alternate and sides is Sides.EACH
            if sides is not Sides.LEFT_RIGHT_BOTH:
                meanings = replace(meanings, both=None)
        return Exercise(
            id=ex_id,
            name=name,
            short_name=self.short_name.text().strip() or None,
            category=Category(self.category.currentData()),
            position=self.position.text().strip(),
            posture=chosen_posture,
            equipment=tuple(item for item in equipment if item),
            source=source,
            sides=sides,
            first_side=Side.RIGHT
            if sides is not Sides.NONE and self.first_right.isChecked()
            else Side.LEFT,
            side_word=str(self.side_word.currentData()),
            dose=self.dose.dose(original.dose if original else None),
            steps=self.steps.lines(),
            cautions=self.cautions.lines(),
            figure=self.figures.chosen(),
            # Kept as they were: what the form does not show.
            cues=original.cues if original else Cues(),
            lead_in=original.lead_in if original else None,
            side_meanings=meanings,
            switch=switch,
            alternate=alternate,
        )

    def problems(self) -> tuple[LoadError, ...]:
        """What the library's loader says about the exercise as the form has it."""
        draft = self.exercise()
        text = exercise_yaml(draft)
        result = load_text(text.encode("utf-8"), f"{draft.id}.yaml", kind="exercise")
        return result.errors

    def changed(self) -> bool:
        """Whether anything was typed or chosen since the form opened."""
        return self.exercise() != self._start

    def reject(self) -> None:
        """Cancel or Escape: a form with changes asks before they are thrown away."""
        if self.changed() and not self.confirm_discard():
            return
        super().reject()

    def confirm_discard(self) -> bool:
        """Ask whether to leave without saving; True: leave."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Leave without saving?")
        box.setText("Leave without saving? What you entered here will be lost.")
        leave = box.addButton("Leave without saving", QMessageBox.ButtonRole.DestructiveRole)
        stay = box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)
        box.exec()
        return box.clickedButton() is leave

    def save(self) -> bool:
        """Check, then save and close; False (and the problems shown) if it cannot."""
        self._tried = True
        if not self._show_problems():
            return False
        draft = self.exercise()
        try:
            origin = self._original.origin if self._original else None
            replacing = Path(origin.path) if origin is not None and not origin.bundled else None
            save_exercise(draft, self._folder, replacing=replacing)
        except OSError as exc:
            show_error(self.problem, f"It could not be saved: {exc.strerror or exc}.")
            return False
        self.exercise_saved.emit(draft.id)
        self.accept()
        return True

    def error_text(self, key: str) -> str:
        """The message shown beside a field ("name", "dose", "steps"...), "" if none."""
        label = self._errors.get(key)
        return label.text() if label is not None and label.isVisible() else ""

    # --- keeping things in step --------------------------------------------------

    def _wire(self) -> None:
        self.short_name.textChanged.connect(self._update)
        self.posture.currentIndexChanged.connect(self._posture_changed)
        self.sides.currentIndexChanged.connect(self._update)
        self.first_left.toggled.connect(self._update)
        self.source_other.toggled.connect(self._update)
        for edit in (self.name, self.position, self.source_text, self.other_equipment):
            edit.textChanged.connect(self._recheck)
        self.dose.changed.connect(self._recheck)
        self.steps.changed.connect(self._recheck)
        self.cautions.changed.connect(self._recheck)

    def _update(self) -> None:
        self.short_count.setText(f"{len(self.short_name.text())} / {MAX_SHORT_NAME}")
        has_sides = Sides(self.sides.currentData()) is not Sides.NONE
        self._sides_form.setRowVisible(self._first_row, has_sides)
        self.source_text.setEnabled(self.source_other.isChecked())
        first = Side.RIGHT if has_sides and self.first_right.isChecked() else Side.LEFT
        self.figures.set_side(first if has_sides else Side.NONE)
        self._recheck()

    def _posture_changed(self) -> None:
        posture = Posture(self.posture.currentData())
        if self.position.text().strip() in ("", *POSITION_LINES.values()):
            self.position.setText(POSITION_LINES[posture])  # still the form's own words
        if not self._kit_touched:
            self._tick_needs(posture)
        self._posture_options(posture)
        self._recheck()

    def _kit_ticked(self) -> None:
        self._kit_touched = True

    def _tick_needs(self, posture: Posture) -> None:
        needs = POSITION_NEEDS.get(posture, ("mat",))
        for item, box in self.equipment.items():
            box.setChecked(item in needs)

    def _posture_options(self, posture: Posture) -> None:
        figures = bundled_figures()
        similar = sorted(
            (
                ex
                for ex in self._catalog.exercises.values()
                if ex.posture is posture
                and ex.id in figures
                and ex.origin is not None
                and ex.origin.bundled
            ),
            key=lambda ex: ex.display_name,
        )
        self.figures.set_options(posture, similar)

    def _recheck(self) -> None:
        if self._tried:
            self._show_problems()

    def _show_problems(self) -> bool:
        found: dict[str, list[str]] = {}
        for error in self.problems():
            key, text = placed(error)
            found.setdefault(key if key in self._errors else "", []).append(text)
        for key, label in self._errors.items():
            show_error(label, "\n".join(found.get(key, [])))
        general = found.get("", [])
        if found and not general:
            general = ["Please look at the fields marked in red."]
        show_error(self.problem, "\n".join(general))
        if found and not self._shown_problems:
            first = next((self._errors[k] for k in self._errors if k in found), None)
            if first is not None and first is not self._errors["figure"]:
                self._scroll.ensureWidgetVisible(first.parentWidget() or first, 0, 60)
        self._shown_problems = bool(found)
        return not found

    def _taken_ids(self) -> set[str]:
        taken = set(self._catalog.exercises)
        if self._folder.is_dir():
            taken |= {p.stem for p in self._folder.iterdir() if p.suffix in (".yaml", ".yml")}
        return taken

    def _fit_to_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        width, height = 1220, 740
        if screen is not None:
            room = screen.availableGeometry()
            width, height = min(width, room.width() - 40), min(height, room.height() - 40)
        self.resize(width, height)
