"""Choosing the figure of a person's own exercise: the position's neutral figure, or the
figure of a bundled exercise done in the same position, with a large preview.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEasingCurve, QSize, Qt, QVariantAnimation, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from si_timer.figures.pose import HOLD, START
from si_timer.library.model import Exercise, Posture, Side
from si_timer.ui.figure import FigureView
from si_timer.ui.theme import Palette

COLUMNS = 3
THUMB = QSize(118, 78)
PREVIEW_HEIGHT = 230
MOVE_MS = 1400  # the preview's one move from the start into the hold
NEUTRAL = ""  # the figure id of "no figure of another exercise": the posture's own


def _show_held(view: FigureView, exercise: Exercise | None, side: Side, posture: Posture) -> None:
    """The figure in its hold (or its start, when it has no hold): the shape that tells
    one exercise from another."""
    view.show_exercise(exercise, side, posture)
    view.set_motion(START, HOLD if HOLD in view.figure.poses else START, 1.0)


class FigureThumb(QPushButton):
    """One figure to choose: a small picture with a caption, a checkable button."""

    def __init__(self, figure_id: str, caption: str, picture: FigureView, palette: Palette) -> None:
        super().__init__()
        self.figure_id = figure_id
        self.setCheckable(True)
        self.setProperty("role", "thumb")
        self.setAccessibleName(caption)
        self.setToolTip(caption)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(2)
        picture.set_palette(palette)
        picture.setFixedSize(THUMB)
        picture.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        label = QLabel(caption)
        label.setProperty("role", "thumb-caption")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout.addWidget(picture, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(label)
        self.picture = picture
        self.setFixedSize(THUMB.width() + 16, THUMB.height() + 40)


class FigurePicker(QWidget):
    """A preview of the chosen figure above the figures to choose from.

    Signals:
        figure_chosen(str): the bundled exercise id now chosen, or "" for the neutral figure.
    """

    figure_chosen = Signal(str)

    def __init__(self, palette: Palette) -> None:
        super().__init__()
        self._palette = palette
        self._posture = Posture.BACK
        self._side = Side.LEFT
        self._exercises: dict[str, Exercise] = {}
        self._thumbs: list[FigureThumb] = []
        self._target = START  # the pose the preview shows (moves into)
        self._group = QButtonGroup(self)
        self._group.buttonClicked.connect(self._clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        frame = QFrame()
        frame.setProperty("role", "figure-stage")
        stage = QVBoxLayout(frame)
        stage.setContentsMargins(10, 10, 10, 8)
        stage.setSpacing(4)
        self.preview = FigureView()
        self.preview.set_palette(palette)
        self.preview.setFixedHeight(PREVIEW_HEIGHT)
        self.preview.setAccessibleName("Preview of the figure")
        stage.addWidget(self.preview, 1)
        # Each new choice moves once from the start into its hold, then keeps still: the
        # movement is seen without a timer running while the form stays open.
        self._move = QVariantAnimation(self)
        self._move.setStartValue(0.0)
        self._move.setEndValue(1.0)
        self._move.setDuration(MOVE_MS)
        self._move.setEasingCurve(QEasingCurve.Type.Linear)  # the view eases the motion itself
        self._move.valueChanged.connect(self._moved)
        self.caption = QLabel()
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setProperty("role", "muted")
        stage.addWidget(self.caption)
        layout.addWidget(frame)
        hint = QLabel("Choose the picture closest to your exercise:")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()
        self._grid = QGridLayout(holder)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(8)
        self._grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll.setWidget(holder)
        layout.addWidget(scroll, 1)

    def thumbs(self) -> list[FigureThumb]:
        return list(self._thumbs)

    def chosen(self) -> str | None:
        """The bundled exercise whose figure is chosen; None: the posture's neutral figure."""
        button = self._group.checkedButton()
        if isinstance(button, FigureThumb) and button.figure_id != NEUTRAL:
            return button.figure_id
        return None

    def set_options(self, posture: Posture, exercises: Sequence[Exercise]) -> None:
        """Offer ``posture``'s neutral figure and those of ``exercises``; the choice stays
        where it is still offered, else it falls back to the neutral figure."""
        before = self.chosen()
        self._posture = posture
        self._exercises = {ex.id: ex for ex in exercises}
        for thumb in self._thumbs:
            self._group.removeButton(thumb)
            self._grid.removeWidget(thumb)
            thumb.deleteLater()
        self._thumbs = []
        options: list[tuple[str, str, Exercise | None]] = [(NEUTRAL, "Just the position", None)]
        options += [(ex.id, ex.display_name, ex) for ex in exercises]
        for i, (figure_id, caption, exercise) in enumerate(options):
            picture = FigureView()
            _show_held(picture, exercise, Side.LEFT, posture)
            thumb = FigureThumb(figure_id, caption, picture, self._palette)
            self._group.addButton(thumb)
            self._grid.addWidget(thumb, i // COLUMNS, i % COLUMNS)
            self._thumbs.append(thumb)
        self.choose(before if before in self._exercises else None)

    def choose(self, figure_id: str | None) -> None:
        wanted = figure_id or NEUTRAL
        for thumb in self._thumbs:
            if thumb.figure_id == wanted:
                thumb.setChecked(True)
        self._show_preview()

    def set_side(self, side: Side) -> None:
        """Show the preview for the side the exercise starts on."""
        if side is not self._side:
            self._side = side
            self._show_preview()

    def _moved(self, value: object) -> None:
        if isinstance(value, float):
            self.preview.set_motion(START, self._target, value)

    def _clicked(self, button: object) -> None:
        self._show_preview()
        self.figure_chosen.emit(self.chosen() or NEUTRAL)

    @property
    def moving(self) -> bool:
        """Whether the preview is moving into its hold just now."""
        return self._move.state() is QVariantAnimation.State.Running

    def _show_preview(self) -> None:
        chosen = self.chosen()
        exercise = self._exercises.get(chosen) if chosen else None
        _show_held(self.preview, exercise, self._side, self._posture)
        self._target = HOLD if HOLD in self.preview.figure.poses else START
        self._move.stop()
        if self._target != START and self.isVisible():
            self.preview.set_motion(START, self._target, 0.0)
            self._move.start()
        self.caption.setText(
            f"Drawn like: {exercise.name}" if exercise else "The position, without a movement"
        )
