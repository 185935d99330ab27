"""The end-of-session screen: what was done, pain after, and how hard it felt."""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from si_timer.history.labels import DIFFICULTY
from si_timer.history.model import Difficulty
from si_timer.history.tally import ExerciseResult
from si_timer.library.model import Side
from si_timer.ui.figure import FigureView
from si_timer.ui.session.outcome import ExerciseRow, Ratings, SaveState, SummaryFacts
from si_timer.words import session_time_text

# Pain this much above the "before" rating earns a calm note to ease off.
PAIN_RISE_NOTE = 2


RESULT_WORDS = {
    ExerciseResult.DONE: "✓  done",
    ExerciseResult.PARTLY: "◐  partly done",
    ExerciseResult.SKIPPED: "–  skipped",
    ExerciseResult.PAIN: "✕  stopped: it hurt",
    ExerciseResult.NOT_REACHED: "·  not reached",
}


DIFFICULTIES = tuple(Difficulty)  # the buttons, easiest first
SHORT_DIFFICULTY = {
    Difficulty.TOO_EASY: "Easy",
    Difficulty.ABOUT_RIGHT: "Right",
    Difficulty.TOO_HARD: "Hard",
}


class SummaryScreen(QWidget):
    """Signals:
    finished(Ratings): the person is done with this screen.
    difficulty_chosen(Difficulty): a difficulty button for the whole session was picked.
    exercise_rated(str, Difficulty): one exercise was rated (its id, the rating).
    safety_requested(): show the warning signs.
    """

    finished = Signal(Ratings)
    safety_requested = Signal()
    difficulty_chosen = Signal(Difficulty)
    exercise_rated = Signal(str, Difficulty)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._facts: SummaryFacts | None = None
        self._saved = SaveState.OFF
        self.exercise_feel: dict[str, QButtonGroup] = {}  # exercise id -> its three buttons
        # Everything but the finish button scrolls: with notices above the page, a
        # small screen or the full session's fourteen exercises, nothing is squeezed.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.page_scroll = QScrollArea()
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.page_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        content = QWidget()
        self.page_scroll.setWidget(content)
        outer.addWidget(self.page_scroll, 1)
        root = QVBoxLayout(content)
        root.setContentsMargins(60, 36, 60, 12)
        root.setSpacing(16)
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.title.setStyleSheet("font-size: 40px; font-weight: 800;")
        self.stats = QLabel()
        self.stats.setProperty("role", "subtitle")
        self.stats.setStyleSheet("font-size: 22px;")
        self.stats.setWordWrap(True)
        root.addWidget(self.title)
        root.addWidget(self.stats)
        self.exercise_grid = QGridLayout()
        self.exercise_grid.setHorizontalSpacing(28)
        self.exercise_grid.setVerticalSpacing(4)
        root.addLayout(self.exercise_grid)

        panel = QFrame()
        panel.setProperty("role", "panel")
        inner = QVBoxLayout(panel)
        inner.setContentsMargins(28, 22, 28, 22)
        inner.setSpacing(14)
        pain_label = QLabel("How is your pain now?  (0 = none, 10 = worst)")
        pain_label.setStyleSheet("font-size: 20px; font-weight: 600;")
        inner.addWidget(pain_label)
        pain_row = QHBoxLayout()
        self.pain = QButtonGroup(self)
        for value in range(11):
            btn = QPushButton(str(value))
            btn.setCheckable(True)
            btn.setProperty("role", "pain")
            btn.setMinimumHeight(48)
            btn.setAccessibleName(f"Pain after: {value} of 10")
            self.pain.addButton(btn, value)
            pain_row.addWidget(btn)
        self.pain.idClicked.connect(self._update_note)
        inner.addLayout(pain_row)

        feel_label = QLabel("How did it feel?")
        feel_label.setStyleSheet("font-size: 20px; font-weight: 600;")
        inner.addWidget(feel_label)
        feel_row = QHBoxLayout()
        self.feel = QButtonGroup(self)
        self._feel_ids: dict[int, Difficulty] = {}
        for i, key in enumerate(DIFFICULTIES):
            btn = QPushButton(DIFFICULTY[key])
            btn.setCheckable(True)
            btn.setProperty("role", "choice")
            btn.setMinimumHeight(48)
            self.feel.addButton(btn, i)
            self._feel_ids[i] = key
            feel_row.addWidget(btn)
        inner.addLayout(feel_row)
        self.feel.idClicked.connect(self._feel_all)
        self.next_time = QLabel()
        self.next_time.setWordWrap(True)
        self.next_time.setProperty("role", "muted")
        self.next_time.hide()
        inner.addWidget(self.next_time)
        self.note = QLineEdit()
        self.note.setPlaceholderText("A note for your journal (optional)")
        self.note.setAccessibleName("Journal note")
        inner.addWidget(self.note)
        root.addWidget(panel)

        self.ease_off = QFrame()
        self.ease_off.setProperty("role", "caution")
        ease_layout = QHBoxLayout(self.ease_off)
        self.ease_text = QLabel(
            "Your pain is higher than when you started. Take it gently next time: "
            "shorter holds, fewer reps, or a rest day. If it stays high, see a professional."
        )
        self.ease_text.setWordWrap(True)
        signs = QPushButton("Warning signs")
        signs.clicked.connect(self.safety_requested)
        ease_layout.addWidget(self.ease_text, 1)
        ease_layout.addWidget(signs)
        self.ease_off.hide()
        root.addWidget(self.ease_off)

        self.saved_label = QLabel()
        self.saved_label.setProperty("role", "muted")
        root.addWidget(self.saved_label)
        root.addStretch(1)
        self.finish_button = QPushButton("Save and finish")
        self.finish_button.setProperty("role", "hero")
        self.finish_button.setAccessibleName("Save and finish")
        self.finish_button.clicked.connect(self._finish)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(60, 12, 60, 30)
        bottom.addStretch(1)
        bottom.addWidget(self.finish_button)
        outer.addLayout(bottom)

    def show_facts(self, facts: SummaryFacts) -> None:
        self._facts = facts
        self.title.setText("Well done." if facts.completed else "Part of it done.")
        time_text = session_time_text(facts.active_seconds)
        if facts.tally is not None:
            count = facts.tally.counts_text()
        else:
            count = f"{facts.done} of {facts.total} steps done"
        self.stats.setText(f"{facts.routine_name}: {count}  ·  {time_text}")
        while self.exercise_grid.count():
            item = self.exercise_grid.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        for group in self.exercise_feel.values():
            group.deleteLater()
        self.exercise_feel = {}
        # One column up to six exercises, two beyond (the full session has fourteen).
        rows = (
            len(facts.exercises) if len(facts.exercises) <= 6 else (len(facts.exercises) + 1) // 2
        )
        for i, row in enumerate(facts.exercises):
            r, c = i % max(1, rows), 2 * (i // max(1, rows))
            cell = QWidget()
            line = QHBoxLayout(cell)
            line.setContentsMargins(0, 0, 0, 0)
            figure = FigureView()
            figure.setFixedSize(QSize(54, 36))
            ex = facts.figures.get(row.exercise_id)
            figure.show_exercise(ex, Side.LEFT, ex.posture if ex else None)
            label = QLabel(
                f"<b>{html.escape(row.name)}</b>&nbsp;&nbsp;<span>{RESULT_WORDS[row.result]}</span>"
            )
            label.setStyleSheet("font-size: 17px;")
            label.setWordWrap(True)
            line.addWidget(figure)
            line.addWidget(label, 1)
            self.exercise_grid.addWidget(cell, r, c)
            if row.adjustable:
                self.exercise_grid.addWidget(self._exercise_buttons(row), r, c + 1)
        self._saved = facts.saved
        self.saved_label.setText(facts.saved.words)
        for group in (self.pain, self.feel):
            group.setExclusive(False)
            for button in group.buttons():
                button.setChecked(False)
            group.setExclusive(True)
        self.note.clear()
        self.ease_off.hide()
        self.show_next_time([])
        self.finish_button.setFocus()

    def history_caught_up(self) -> None:
        """Every owed history write is in: a "Saving…" line becomes "Saved"."""
        if self._saved is SaveState.SAVING:
            self._saved = SaveState.SAVED
            self.saved_label.setText(self._saved.words)

    def _exercise_buttons(self, row: ExerciseRow) -> QWidget:
        """Too easy / about right / too hard for one exercise."""
        box = QWidget()
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        group = QButtonGroup(self)
        for i, key in enumerate(DIFFICULTIES):
            btn = QPushButton(SHORT_DIFFICULTY[key])
            btn.setCheckable(True)
            btn.setProperty("role", "choice")
            btn.setAccessibleName(f"{row.name}: {DIFFICULTY[key]}")
            group.addButton(btn, i)
            layout.addWidget(btn)
        group.idClicked.connect(
            lambda i, ex=row.exercise_id: self.exercise_rated.emit(ex, self._feel_ids[i])
        )
        self.exercise_feel[row.exercise_id] = group
        return box

    def _feel_all(self, i: int) -> None:
        """The session-wide choice: a shortcut that rates every exercise the same."""
        for group in self.exercise_feel.values():
            button = group.button(i)
            if button is not None:
                button.setChecked(True)
        self.difficulty_chosen.emit(self._feel_ids[i])

    def show_next_time(self, changes: list[str]) -> None:
        """What the rating will change next time (holds a little longer or shorter)."""
        self.next_time.setText("Next time: " + "; ".join(changes) if changes else "")
        self.next_time.setVisible(bool(changes))

    def _update_note(self, pain_after: int) -> None:
        before = self._facts.pain_before if self._facts else None
        self.ease_off.setVisible(before is not None and pain_after >= before + PAIN_RISE_NOTE)

    def ratings(self) -> Ratings:
        pain = self.pain.checkedId()
        feel = self.feel.checkedId()
        per_exercise = tuple(
            (ex, self._feel_ids[group.checkedId()])
            for ex, group in self.exercise_feel.items()
            if group.checkedId() >= 0
        )
        return Ratings(
            pain_after=pain if pain >= 0 else None,
            difficulty=self._feel_ids.get(feel),
            note=self.note.text().strip(),
            per_exercise=per_exercise,
        )

    def _finish(self) -> None:
        self.finished.emit(self.ratings())
