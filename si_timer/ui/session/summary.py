"""The end-of-session screen: what was done, pain after, and how hard it felt."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from si_timer.history.labels import DIFFICULTY
from si_timer.history.model import Difficulty
from si_timer.library.model import Exercise, Side
from si_timer.session.engine import Outcome
from si_timer.session.plan import Plan
from si_timer.ui.figure_slot import FigureView
from si_timer.words import session_time_text


class SaveState(enum.Enum):
    """Where the session's history stands when the summary shows."""

    SAVED = "saved"  # every write is in the history
    SAVING = "saving"  # writes wait (a lock, a full disk); they are retried and journaled
    OFF = "off"  # no history this run (it could not be opened)

    @property
    def words(self) -> str:
        return {
            SaveState.SAVED: "Saved to your history.",
            SaveState.SAVING: "Saving… (will retry)",
            SaveState.OFF: "History could not be saved this time.",
        }[self]


# Pain this much above the "before" rating earns a calm note to ease off.
PAIN_RISE_NOTE = 2


@dataclass(frozen=True)
class SummaryFacts:
    routine_name: str
    completed: bool
    done: int
    skipped: int
    total: int
    active_seconds: float
    pain_before: int | None
    saved: SaveState
    exercises: tuple[
        tuple[str, str], ...
    ] = ()  # (name, "done" | "partly" | "skipped" | "pain" | "not reached")
    figures: Mapping[str, Exercise] = field(default_factory=dict)  # the library, for figures


def exercise_results(plan: Plan, outcomes: Mapping[int, Outcome]) -> list[tuple[str, str]]:
    """Per exercise, in plan order: how it went, from the outcomes of its work segments."""
    work: dict[str, list[Outcome | None]] = {}
    names: dict[str, str] = {}
    for seg in plan.segments:
        if seg.kind.is_work:
            work.setdefault(seg.exercise_id, []).append(outcomes.get(seg.index))
            names[seg.exercise_id] = seg.exercise_name
    results = []
    for exercise_id, marks in work.items():
        if Outcome.SKIPPED_PAIN in marks:
            word = "pain"
        elif all(m is Outcome.DONE for m in marks):
            word = "done"
        elif any(m is Outcome.DONE for m in marks):
            word = "partly"
        elif all(m is None for m in marks):
            word = "not reached"
        else:
            word = "skipped"
        results.append((names[exercise_id], word))
    return results


RESULT_WORDS = {
    "done": "✓  done",
    "partly": "◐  partly done",
    "skipped": "–  skipped",
    "pain": "✕  stopped: it hurt",
    "not reached": "·  not reached",
}


@dataclass(frozen=True)
class Ratings:
    pain_after: int | None
    difficulty: Difficulty | None
    note: str


DIFFICULTIES = tuple(Difficulty)  # the buttons, easiest first


class SummaryScreen(QWidget):
    """Signals:
    finished(Ratings): the person is done with this screen.
    difficulty_chosen(Difficulty): a difficulty button was picked.
    safety_requested(): show the warning signs.
    """

    finished = Signal(Ratings)
    safety_requested = Signal()
    difficulty_chosen = Signal(Difficulty)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._facts: SummaryFacts | None = None
        self._saved = SaveState.OFF
        root = QVBoxLayout(self)
        root.setContentsMargins(60, 36, 60, 30)
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
        self.feel.idClicked.connect(lambda i: self.difficulty_chosen.emit(self._feel_ids[i]))
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
        root.addWidget(self.finish_button, 0, Qt.AlignmentFlag.AlignRight)

    def show_facts(self, facts: SummaryFacts) -> None:
        self._facts = facts
        self.title.setText("Well done." if facts.completed else "Session ended early.")
        time_text = session_time_text(facts.active_seconds)
        if facts.exercises:
            finished = sum(1 for _, word in facts.exercises if word in ("done", "partly"))
            count = f"{finished} of {len(facts.exercises)} exercises done"
        else:
            count = f"{facts.done} of {facts.total} steps done"
        self.stats.setText(f"{facts.routine_name}: {count}  ·  {time_text}")
        while self.exercise_grid.count():
            item = self.exercise_grid.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        rows = max(1, (len(facts.exercises) + 2) // 3)
        by_name = {ex.name: ex for ex in facts.figures.values()}
        for i, (name, word) in enumerate(facts.exercises):
            cell = QWidget()
            row = QHBoxLayout(cell)
            row.setContentsMargins(0, 0, 0, 0)
            figure = FigureView()
            figure.setFixedSize(QSize(54, 36))
            ex = by_name.get(name)
            figure.show_exercise(ex, Side.LEFT, ex.posture if ex else None)
            label = QLabel(f"<b>{name}</b>&nbsp;&nbsp;<span>{RESULT_WORDS.get(word, word)}</span>")
            label.setStyleSheet("font-size: 17px;")
            label.setWordWrap(True)
            row.addWidget(figure)
            row.addWidget(label, 1)
            self.exercise_grid.addWidget(cell, i % rows, i // rows)
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
        return Ratings(
            pain_after=pain if pain >= 0 else None,
            difficulty=self._feel_ids.get(feel),
            note=self.note.text().strip(),
        )

    def _finish(self) -> None:
        self.finished.emit(self.ratings())
