"""The home screen: one big button for the usual routine, and every routine as a card.

Each card's little figure is drawn once :meth:`HomeScreen.show_figures` is
called, just after the first paint: the figures' geometry is not needed to
show the routines, and the first screen comes up without loading it.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from si_timer.library.model import Exercise, Side
from si_timer.records import record
from si_timer.words import minutes_text

CARD_WIDTH = 330  # the least a card needs: the grid has as many columns as fit
MAX_COLUMNS = 3
FIGURE_SIZE = QSize(96, 64)


class RoutineAction(enum.Enum):
    """What a card's Edit button and menu offer for its routine."""

    EDIT = "Edit…"
    DUPLICATE = "Duplicate"
    RENAME = "Rename…"
    DELETE = "Delete…"
    RESET = "Reset to the original…"


class RoutineKind(enum.Enum):
    """Whose a routine is, which decides what its card's menu offers."""

    BUNDLED = "bundled"  # as it came with the app
    CHANGED = "changed"  # the person's version of a bundled routine
    OWN = "own"  # the person made it

    @property
    def actions(self) -> tuple[RoutineAction, ...]:
        tail = {
            RoutineKind.BUNDLED: (),
            RoutineKind.CHANGED: (RoutineAction.RESET,),
            RoutineKind.OWN: (RoutineAction.RENAME, RoutineAction.DELETE),
        }[self]
        return (RoutineAction.EDIT, RoutineAction.DUPLICATE, *tail)


@record(frozen=True)
class RoutineCard:
    """What a card shows about one routine."""

    routine_id: str
    name: str
    description: str
    exercises: int
    total_seconds: float
    last_done: str  # "Today", "3 days ago", "Not done yet"; "" while not known yet
    kind: RoutineKind = RoutineKind.BUNDLED
    equipment: tuple[str, ...] = ()  # what the routine needs: ("mat", "doorway")
    before_you_start: str = ""
    first_exercise: Exercise | None = None  # whose figure the card shows


class HomeScreen(QWidget):
    """Signals:
    start_requested(str): start the routine with this id.
    history_requested(): open the calendar.
    settings_requested(): open the settings.
    browser_requested(): open the exercise browser.
    handout_requested(str): print a handout of the routine with this id.
    new_routine_requested(): make a new routine.
    routine_action_requested(object, str): a :class:`RoutineAction` for the routine with
        this id (a card's Edit button or its menu).
    """

    start_requested = Signal(str)
    history_requested = Signal()
    settings_requested = Signal()
    browser_requested = Signal()
    handout_requested = Signal(str)
    new_routine_requested = Signal()
    routine_action_requested = Signal(object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hero_id = ""
        self._cards: list[QFrame] = []
        self._columns = 0
        self._figures_on = False
        self._figure_slots: list[tuple[QWidget, Exercise | None]] = []
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
        self.browser_button = QPushButton("Exercises")
        self.browser_button.setAccessibleName("Browse all exercises")
        self.browser_button.clicked.connect(self.browser_requested)
        header.addWidget(self.browser_button)
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
        self.hero.setAutoDefault(True)  # Enter presses it too, not only Space
        self.hero.clicked.connect(lambda: self.start_requested.emit(self._hero_id))
        root.addWidget(self.hero)

        sections = QHBoxLayout()
        section = QLabel("ALL ROUTINES")
        section.setProperty("role", "section")
        sections.addWidget(section, 1, Qt.AlignmentFlag.AlignBottom)
        self.new_routine_button = QPushButton("New routine")
        self.new_routine_button.setProperty("size", "small")
        self.new_routine_button.setAccessibleName("Make a new routine of your own")
        self.new_routine_button.clicked.connect(self.new_routine_requested)
        sections.addWidget(self.new_routine_button)
        root.addLayout(sections)
        scroll = QScrollArea()
        self.routine_scroll = scroll
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Cards reflow into fewer columns instead: the page scrolls down, never sideways.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()
        self.grid = QGridLayout(holder)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(16)
        # A viewport of our own, so Python never asks Qt for the one it made: wrapping
        # that unknown widget has PySide load every scroll-area class and their enums
        # (about 10 ms, before the first paint). It is set up as QScrollArea sets its own,
        # and before the widget, which lives inside it.
        self._viewport = QWidget()
        self._viewport.setBackgroundRole(QPalette.ColorRole.NoRole)
        self._viewport.setAutoFillBackground(True)
        scroll.setViewport(self._viewport)
        self._viewport.installEventFilter(self)
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
        for frame in self._cards:
            self.grid.removeWidget(frame)
            frame.hide()  # not painted over the new cards while it waits to be deleted
            frame.deleteLater()
        self._cards = []
        self._figure_slots = []
        # The big button's routine first, then the rest by name.
        cards = sorted(cards, key=lambda c: (c.routine_id != hero_id, c.name))
        for card in cards:
            self._cards.append(self._card(card))
            if card.routine_id == hero_id:
                self._hero_id = card.routine_id
                self.hero.setText(f"▶   Start {card.name}   ·   {minutes_text(card.total_seconds)}")
                self.hero.setAccessibleName(f"Start {card.name}")
        self._columns = 0
        self._reflow()

    @property
    def hero_routine_id(self) -> str:
        """The routine the big button starts ("" before the routines are set)."""
        return self._hero_id

    def _reflow(self) -> None:
        """As many columns as cards of a readable width fit across the page."""
        columns = max(1, min(MAX_COLUMNS, self._viewport.width() // CARD_WIDTH))
        if columns == self._columns:
            return
        self._columns = columns
        for frame in self._cards:
            self.grid.removeWidget(frame)
        for i, frame in enumerate(self._cards):
            self.grid.addWidget(frame, i // columns, i % columns)
        for col in range(MAX_COLUMNS):
            self.grid.setColumnStretch(col, 1 if col < columns else 0)

    def showEvent(self, event: QShowEvent) -> None:
        # The usual routine is one key away (Enter or Space) whenever home appears.
        super().showEvent(event)
        self.hero.setFocus(Qt.FocusReason.OtherFocusReason)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._reflow()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The scroll area's viewport gets its width after the page does (its layout
        # runs later): a page built just before the window shows reflows then.
        if event.type() == QEvent.Type.Resize:
            self._reflow()
        return False

    def show_figures(self) -> None:
        """Draw each card's figure, now and on every card made from here on."""
        self._figures_on = True
        for slot, exercise in self._figure_slots:
            self._draw_figure(slot, exercise)
        self._figure_slots = []

    def _draw_figure(self, slot: QWidget, exercise: Exercise | None) -> None:
        from si_timer.ui.figure import FigureView

        figure = FigureView(slot)
        figure.setFixedSize(FIGURE_SIZE)
        figure.show_exercise(exercise, Side.LEFT, exercise.posture if exercise else None)
        figure.show()

    def set_status(self, greeting: str, status: str, streak: str) -> None:
        self.greeting.setText(greeting)
        self.status.setText(status)
        self.streak.setText(streak)

    def _card(self, card: RoutineCard) -> QFrame:
        frame = QFrame()
        frame.setProperty("role", "card")
        frame.setProperty("routine", card.routine_id)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(6)
        head = QHBoxLayout()
        titles = QVBoxLayout()
        whose = {
            RoutineKind.BUNDLED: "",
            RoutineKind.CHANGED: "  ·  your version",
            RoutineKind.OWN: "  ·  yours",
        }[card.kind]
        name = QLabel(card.name + whose)
        name.setWordWrap(True)
        name.setProperty("role", "card-title")  # from the app's sheet: no sheet of its own
        plural = "s" * (card.exercises != 1)
        meta = QLabel(f"{card.exercises} exercise{plural}  ·  {minutes_text(card.total_seconds)}")
        meta.setWordWrap(True)
        meta.setProperty("role", "muted")
        titles.addWidget(name)
        titles.addWidget(meta)
        head.addLayout(titles, 1)
        slot = QWidget()  # the figure's place, drawn in by show_figures
        slot.setFixedSize(FIGURE_SIZE)
        if self._figures_on:
            self._draw_figure(slot, card.first_exercise)
        else:
            self._figure_slots.append((slot, card.first_exercise))
        head.addWidget(slot, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(head)
        desc = QLabel(card.description)
        desc.setWordWrap(True)
        desc.setProperty("role", "muted")
        desc.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(desc, 1)
        if card.equipment:
            needs = QLabel("You need: " + ", ".join(card.equipment))
            needs.setWordWrap(True)
            layout.addWidget(needs)
        if card.before_you_start:
            before = QLabel("Before you start: " + card.before_you_start)
            before.setWordWrap(True)
            before.setProperty("role", "muted")
            layout.addWidget(before)
        foot = QHBoxLayout()
        last = QLabel(f"Last done: {card.last_done}" if card.last_done else "")
        last.setWordWrap(True)
        last.setProperty("role", "muted")
        start = QPushButton("Start")
        start.setProperty("role", "primary")
        start.setAccessibleName(f"Start {card.name}")
        start.clicked.connect(lambda: self.start_requested.emit(card.routine_id))
        edit = QPushButton("Edit")
        edit.setAccessibleName(f"Edit {card.name}")
        emit = partial(self.routine_action_requested.emit, RoutineAction.EDIT, card.routine_id)
        edit.clicked.connect(emit)
        more = QPushButton("⋯")
        more.setProperty("role", "more")
        more.setAccessibleName(f"More for {card.name}")
        more.setToolTip("Print a handout, duplicate, rename, delete or reset")
        menu = QMenu(more)
        for action in card.kind.actions[1:]:
            item = menu.addAction(action.value)
            item.triggered.connect(
                partial(self.routine_action_requested.emit, action, card.routine_id)
            )
        menu.addSeparator()
        handout = menu.addAction("Print a handout…")
        handout.triggered.connect(partial(self.handout_requested.emit, card.routine_id))
        more.setMenu(menu)
        foot.addWidget(last, 1)
        foot.addWidget(more)
        foot.addWidget(edit)
        foot.addWidget(start)
        layout.addLayout(foot)
        return frame

    def card_menu(self, routine_id: str) -> QMenu:
        """The "⋯" menu of the card for ``routine_id``."""
        for frame in self._cards:
            if frame.property("routine") == routine_id:
                for button in frame.findChildren(QPushButton):
                    menu = button.menu()
                    if menu is not None:
                        return menu
        raise KeyError(routine_id)

    def start_buttons(self) -> list[QPushButton]:
        """Each card's Start button, in the cards' order."""
        return [
            button
            for frame in self._cards
            for button in frame.findChildren(QPushButton)
            if button.text() == "Start"
        ]
