"""The exercise browser: every exercise with its figure, dose, source, steps and cautions.

Built the first time it is opened (start-up does not pay for it); a posture filter
narrows it to what can be done from where the person is. From here a person adds an
exercise of their own, and edits the ones they made.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from si_timer.library.model import Exercise, Posture, Side
from si_timer.ui.figure import FigureView
from si_timer.ui.theme import Palette
from si_timer.words import dose_text


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class ExerciseBrowser(QWidget):
    """All exercises, one card each, filtered by posture.

    Signals:
        home_requested(): the person wants the home page back.
        new_exercise_requested(): the person wants to add an exercise of their own.
        edit_requested(str): the person wants to edit their own exercise with this id.
    """

    home_requested = Signal()
    new_exercise_requested = Signal()
    edit_requested = Signal(str)

    def __init__(
        self,
        exercises: Mapping[str, Exercise],
        sources: Mapping[str, str],
        palette: Palette,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._palette = palette
        self._cards: list[tuple[Exercise, QFrame]] = []
        self.edit_buttons: dict[str, QPushButton] = {}
        root = QVBoxLayout(self)
        root.setContentsMargins(40, 24, 40, 20)
        root.setSpacing(14)
        header = QHBoxLayout()
        title = QLabel("Exercises")
        title.setProperty("role", "title")
        header.addWidget(title, 1)
        self.posture_filter = QComboBox()
        self.posture_filter.setAccessibleName("Show exercises done in this position")
        self.posture_filter.currentIndexChanged.connect(self._filter)
        header.addWidget(self.posture_filter)
        self.new_button = QPushButton("New exercise…")
        self.new_button.setAccessibleName("Add an exercise of your own")
        self.new_button.clicked.connect(self.new_exercise_requested)
        header.addWidget(self.new_button)
        home = QPushButton("Home")
        home.setAccessibleName("Back to the home page")
        home.clicked.connect(self.home_requested)
        header.addWidget(home)
        root.addLayout(header)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()
        self._list = QVBoxLayout(holder)
        self._list.setContentsMargins(0, 0, 0, 0)
        self._list.setSpacing(12)
        self._list.addStretch(1)
        scroll.setWidget(holder)
        self._scroll = scroll
        root.addWidget(scroll, 1)
        self.set_library(exercises, sources)

    def set_library(self, exercises: Mapping[str, Exercise], sources: Mapping[str, str]) -> None:
        """Show these exercises (after the library was read again), keeping the filter."""
        wanted = self.posture_filter.currentData()
        for _ex, card in self._cards:
            self._list.removeWidget(card)
            card.deleteLater()
        self._cards = []
        self.edit_buttons = {}
        for i, ex in enumerate(sorted(exercises.values(), key=lambda e: e.name)):
            card = self._card(ex, sources, self._palette)
            self._cards.append((ex, card))
            self._list.insertWidget(i, card)
        self.posture_filter.blockSignals(True)
        self.posture_filter.clear()
        self.posture_filter.addItem("Every position", None)
        present = {ex.posture for ex in exercises.values() if ex.posture is not None}
        for posture in Posture:
            if posture in present:
                self.posture_filter.addItem(posture.instruction, posture.value)
        self.posture_filter.setCurrentIndex(max(0, self.posture_filter.findData(wanted)))
        self.posture_filter.blockSignals(False)
        self._filter()

    def reveal(self, exercise_id: str) -> None:
        """Scroll to an exercise's card (showing every position if the filter hides it)."""
        for ex, card in self._cards:
            if ex.id == exercise_id:
                if card.isHidden():
                    self.show_posture(None)
                self._list.activate()
                self._scroll.ensureWidgetVisible(card, 0, 40)

    def shown_exercises(self) -> list[str]:
        """The ids of the exercises the filter lets through, in the page's order."""
        return [ex.id for ex, card in self._cards if not card.isHidden()]

    def show_posture(self, posture: Posture | None) -> None:
        index = self.posture_filter.findData(posture.value) if posture is not None else 0
        self.posture_filter.setCurrentIndex(max(0, index))

    def _filter(self) -> None:
        # Qt hands the item's data back as a plain string: the posture's value.
        data = self.posture_filter.currentData()
        wanted = Posture(data) if data else None
        for ex, card in self._cards:
            card.setHidden(wanted is not None and ex.posture is not wanted)

    def _card(self, ex: Exercise, sources: Mapping[str, str], palette: Palette) -> QFrame:
        frame = QFrame()
        frame.setProperty("role", "card")
        row = QHBoxLayout(frame)
        row.setContentsMargins(18, 14, 18, 14)
        row.setSpacing(18)
        figure = FigureView()
        figure.set_palette(palette)
        figure.setFixedSize(QSize(200, 140))
        figure.show_exercise(ex, Side.LEFT, ex.posture)
        row.addWidget(figure, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(6)
        name = QLabel(ex.name)
        name.setWordWrap(True)
        name.setStyleSheet("font-size: 20px; font-weight: 700;")
        title = QHBoxLayout()
        title.addWidget(name, 1)
        if ex.origin is not None and not ex.origin.bundled:
            mine = QLabel("Your own")
            mine.setProperty("role", "muted")
            title.addWidget(mine, 0, Qt.AlignmentFlag.AlignTop)
            edit = QPushButton("Edit")
            edit.setAccessibleName(f"Edit {ex.name}")
            edit.clicked.connect(lambda _=False, ex_id=ex.id: self.edit_requested.emit(ex_id))
            title.addWidget(edit, 0, Qt.AlignmentFlag.AlignTop)
            self.edit_buttons[ex.id] = edit
        meta = QLabel(f"{ex.position} · {ex.category.value} · {dose_text(ex.dose)}")
        meta.setWordWrap(True)
        meta.setProperty("role", "muted")
        steps = QLabel(
            "".join(
                f"<p style='margin:0 0 4px 0'><b>{i}.</b>&nbsp; {_escape(step)}</p>"
                for i, step in enumerate(ex.steps, 1)
            )
        )
        steps.setTextFormat(Qt.TextFormat.RichText)
        steps.setWordWrap(True)
        text.addLayout(title)
        text.addWidget(meta)
        text.addWidget(steps)
        if ex.cautions:
            cautions = QLabel(
                "".join(
                    f"<p style='margin:0 0 4px 0'>⚠&nbsp; {_escape(c)}</p>" for c in ex.cautions
                )
            )
            cautions.setTextFormat(Qt.TextFormat.RichText)
            cautions.setWordWrap(True)
            text.addWidget(cautions)
        note = ex.dose.suggestion_note
        source = QLabel(
            f"Source: {sources.get(ex.source, ex.source)}" + (f". {note}" if note else "")
        )
        source.setWordWrap(True)
        source.setProperty("role", "muted")
        text.addWidget(source)
        row.addLayout(text, 1)
        return frame
