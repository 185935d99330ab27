"""The exercise browser: every exercise with its figure, dose, source, steps and cautions.

Built the first time it is opened (start-up does not pay for it); a posture filter
narrows it to what can be done from where the person is.
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
    """

    home_requested = Signal()

    def __init__(
        self,
        exercises: Mapping[str, Exercise],
        sources: Mapping[str, str],
        palette: Palette,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._cards: list[tuple[Exercise, QFrame]] = []
        root = QVBoxLayout(self)
        root.setContentsMargins(40, 24, 40, 20)
        root.setSpacing(14)
        header = QHBoxLayout()
        title = QLabel("Exercises")
        title.setProperty("role", "title")
        header.addWidget(title, 1)
        self.posture_filter = QComboBox()
        self.posture_filter.setAccessibleName("Show exercises done in this position")
        self.posture_filter.addItem("Every position", None)
        present = {ex.posture for ex in exercises.values() if ex.posture is not None}
        for posture in Posture:
            if posture in present:
                self.posture_filter.addItem(posture.instruction, posture.value)
        self.posture_filter.currentIndexChanged.connect(self._filter)
        header.addWidget(self.posture_filter)
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
        for ex in sorted(exercises.values(), key=lambda e: e.name):
            card = self._card(ex, sources, palette)
            self._cards.append((ex, card))
            self._list.addWidget(card)
        self._list.addStretch(1)
        scroll.setWidget(holder)
        root.addWidget(scroll, 1)

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
        text.addWidget(name)
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
