"""The home screen: one big button for the usual routine, and every routine as a card."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from si_timer.words import minutes_text


@dataclass(frozen=True)
class RoutineCard:
    """What a card shows about one routine."""

    routine_id: str
    name: str
    description: str
    exercises: int
    total_seconds: float
    last_done: str  # "Today", "3 days ago", "Not done yet"
    yours: bool = False


class HomeScreen(QWidget):
    """Signals:
    start_requested(str): start the routine with this id.
    history_requested(): open the calendar.
    settings_requested(): open the settings.
    """

    start_requested = Signal(str)
    history_requested = Signal()
    settings_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hero_id = ""
        root = QVBoxLayout(self)
        root.setContentsMargins(40, 28, 40, 24)
        root.setSpacing(18)

        header = QHBoxLayout()
        titles = QVBoxLayout()
        self.greeting = QLabel("Good to see you")
        self.greeting.setProperty("role", "title")
        self.status = QLabel()
        self.status.setProperty("role", "subtitle")
        self.status.setWordWrap(True)
        titles.addWidget(self.greeting)
        titles.addWidget(self.status)
        header.addLayout(titles, 1)
        self.streak = QLabel()
        self.streak.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.streak.setProperty("role", "subtitle")
        header.addWidget(self.streak)
        self.history_button = QPushButton("Calendar && history")
        self.history_button.setAccessibleName("Open the calendar and history")
        self.history_button.clicked.connect(self.history_requested)
        header.addWidget(self.history_button)
        self.settings_button = QPushButton("Settings")
        self.settings_button.setAccessibleName("Open the settings")
        self.settings_button.clicked.connect(self.settings_requested)
        header.addWidget(self.settings_button)
        root.addLayout(header)

        self.hero = QPushButton()
        self.hero.setProperty("role", "hero")
        self.hero.setMinimumHeight(86)
        self.hero.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.hero.clicked.connect(lambda: self.start_requested.emit(self._hero_id))
        root.addWidget(self.hero)

        section = QLabel("ALL ROUTINES")
        section.setProperty("role", "section")
        root.addWidget(section)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        holder = QWidget()
        self.grid = QGridLayout(holder)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(16)
        scroll.setWidget(holder)
        root.addWidget(scroll, 1)

        hint = QLabel(
            "In a session: Space pauses · ← → step back and ahead · Enter marks reps done"
            " · F full screen · M mute"
        )
        hint.setProperty("role", "muted")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        root.addWidget(hint)

    def set_routines(self, cards: Sequence[RoutineCard], hero_id: str) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        columns = 3
        # The big button's routine first, then the rest by name.
        cards = sorted(cards, key=lambda c: (c.routine_id != hero_id, c.name))
        for i, card in enumerate(cards):
            self.grid.addWidget(self._card(card), i // columns, i % columns)
            if card.routine_id == hero_id:
                self._hero_id = card.routine_id
                self.hero.setText(f"▶   Start {card.name}   ·   {minutes_text(card.total_seconds)}")
                self.hero.setAccessibleName(f"Start {card.name}")
        for col in range(columns):
            self.grid.setColumnStretch(col, 1)

    def set_status(self, greeting: str, status: str, streak: str) -> None:
        self.greeting.setText(greeting)
        self.status.setText(status)
        self.streak.setText(streak)

    def _card(self, card: RoutineCard) -> QFrame:
        frame = QFrame()
        frame.setProperty("role", "card")
        frame.setMinimumHeight(170)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(6)
        name = QLabel(card.name + ("  ·  yours" if card.yours else ""))
        name.setStyleSheet("font-size: 20px; font-weight: 700;")
        plural = "s" * (card.exercises != 1)
        meta = QLabel(f"{card.exercises} exercise{plural}  ·  {minutes_text(card.total_seconds)}")
        meta.setProperty("role", "muted")
        desc = QLabel(card.description)
        desc.setWordWrap(True)
        desc.setProperty("role", "muted")
        desc.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        foot = QHBoxLayout()
        last = QLabel(f"Last done: {card.last_done}")
        last.setProperty("role", "muted")
        start = QPushButton("Start")
        start.setProperty("role", "primary")
        start.setAccessibleName(f"Start {card.name}")
        start.clicked.connect(lambda: self.start_requested.emit(card.routine_id))
        foot.addWidget(last, 1)
        foot.addWidget(start)
        layout.addWidget(name)
        layout.addWidget(meta)
        layout.addWidget(desc, 1)
        layout.addLayout(foot)
        return frame
