"""The chosen day: each session with its details and notes, and the day's mark."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import date

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from si_timer import words
from si_timer.history import labels
from si_timer.history.days import DayActivity
from si_timer.history.model import DayMark, SessionStatus, SessionSummary
from si_timer.ui.history.calendar import day_tooltip
from si_timer.ui.history.style import HistoryColours, history_colours, set_text_size


def session_colour(status: SessionStatus, colours: HistoryColours) -> QColor:
    if status is SessionStatus.COMPLETED:
        return colours.done
    return colours.partial


def session_lines(session: SessionSummary, skipped_pain: int = 0) -> list[str]:
    """The card's text below its title, also used as its accessible description."""
    lines = [f"{session.counts_text()} · {words.active_time_text(session.active_seconds)} active"]
    ratings = []
    before, after = session.pain_before, session.pain_after
    if before is not None and after is not None:
        ratings.append(f"Pain {before} → {after}")
    elif before is not None:
        ratings.append(f"Pain before {before}")
    elif after is not None:
        ratings.append(f"Pain after {after}")
    if session.difficulty is not None:
        ratings.append(f"Felt {labels.DIFFICULTY[session.difficulty].lower()}")
    if skipped_pain:
        ratings.append(f"{skipped_pain} skipped for pain")
    if ratings:
        lines.append(" · ".join(ratings))
    return lines


class SessionCard(QFrame):
    """One session: time and routine, its status as a word and a coloured edge,
    what was done, the ratings and the note."""

    def __init__(
        self,
        session: SessionSummary,
        skipped_pain: int = 0,
        parent: QWidget | None = None,
        *,
        recording: bool = False,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 10, 12, 10)
        layout.setSpacing(3)
        top = QHBoxLayout()
        end = session.local_end
        span = words.time_span_text(session.local_start, end)
        self.title = QLabel(f"<b>{span}</b>&nbsp;&nbsp;{html.escape(session.routine_name)}")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        set_text_size(self.title, 1.08)
        # A narrow panel wraps the routine's name rather than scroll sideways.
        self.title.setWordWrap(True)
        top.addWidget(self.title, 1)
        word = labels.SESSION_STATUS[session.status]
        if session.status is SessionStatus.IN_PROGRESS and not recording:
            word = "Interrupted"  # cut off by a crash; the app offers to resume it
        self.status = QLabel(word)
        set_text_size(self.status, bold=True)
        top.addWidget(self.status, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.details = [QLabel(line) for line in session_lines(session, skipped_pain)]
        for label in self.details:
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setProperty("role", "muted")
            label.setWordWrap(True)
            layout.addWidget(label)
        self.note: QLabel | None = None
        if session.note:
            self.note = QLabel(f"“{session.note}”")
            self.note.setTextFormat(Qt.TextFormat.PlainText)  # the person's own words
            self.note.setWordWrap(True)
            set_text_size(self.note, italic=True)
            self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(self.note)
        self.setAccessibleName(
            f"{words.time_text(session.local_start)} {session.routine_name}, {word}"
        )
        self.setAccessibleDescription(
            ". ".join([*session_lines(session, skipped_pain), session.note or ""]).strip(". ")
        )
        self._recolour()

    def _recolour(self) -> None:
        colours = history_colours(self.palette())
        colour = session_colour(self.session.status, colours)
        self.status.setStyleSheet(f"color: {colour.name()};")

    def paintEvent(self, event: QPaintEvent) -> None:
        colours = history_colours(self.palette())
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        p.setPen(colours.line)
        p.setBrush(colours.surface)
        p.drawRoundedRect(rect, 10, 10)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(session_colour(self.session.status, colours))
        p.drawRoundedRect(QRectF(rect.left() + 4, rect.top() + 8, 5, rect.height() - 16), 2.5, 2.5)
        p.end()


class DayPanel(QWidget):
    """The day chosen on the calendar.

    Signals:
        mark_requested(object, object): (``datetime.date``, ``DayMark`` or None)
            the person marked the day as a rest or sick day, or cleared it.
    """

    mark_requested = Signal(object, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._day: date | None = None
        self._mark: DayMark | None = None
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(8)
        self.title = QLabel()
        set_text_size(self.title, 1.4, bold=True)
        self.title.setWordWrap(True)
        root.addWidget(self.title)
        self.summary = QLabel()
        self.summary.setProperty("role", "muted")
        self.summary.setWordWrap(True)
        root.addWidget(self.summary)

        self.list_widget = QWidget()
        self.list_layout = QVBoxLayout(self.list_widget)
        self.list_layout.setContentsMargins(0, 2, 6, 2)
        self.list_layout.setSpacing(8)
        self.list_layout.addStretch(1)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        # The cards wrap their words to the panel's width: the list only scrolls down.
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setWidget(self.list_widget)
        root.addWidget(self.scroller, 1)
        self.empty = QLabel()
        self.empty.setProperty("role", "muted")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.list_layout.insertWidget(0, self.empty)

        marks = QHBoxLayout()
        marks.setSpacing(8)
        self.rest_button = QPushButton("Rest day")
        self.sick_button = QPushButton("Sick day")
        self.clear_button = QPushButton("Clear mark")
        for button, mark in ((self.rest_button, DayMark.REST), (self.sick_button, DayMark.SICK)):
            button.setCheckable(True)
            button.setProperty("role", "choice")
            button.setToolTip(
                f"Mark this day as a {labels.DAY_MARK[mark].lower()}: it will not break your streak"
            )
            button.clicked.connect(lambda _=False, m=mark: self._mark_clicked(m))
            marks.addWidget(button)
        self.clear_button.setToolTip("Remove the rest or sick mark from this day")
        self.clear_button.clicked.connect(lambda: self._request(None))
        marks.addWidget(self.clear_button)
        marks.addStretch(1)
        root.addLayout(marks)
        self.cards: list[SessionCard] = []

    @property
    def day(self) -> date | None:
        return self._day

    def show_day(
        self,
        activity: DayActivity,
        sessions: Sequence[SessionSummary],
        *,
        today: date,
        skipped_pain: Mapping[str, int] | None = None,
        recording: frozenset[str] = frozenset(),
    ) -> None:
        day = activity.day
        self._day = day
        self._mark = activity.mark
        when = words.relative_day_text(day, today) if day <= today else None
        heading = words.weekday_day_text(day)
        self.title.setText(f"{when}, {heading}" if when else f"{heading} {day.year}")
        facts = day_tooltip(activity).split("\n")[1:]
        self.summary.setText(" · ".join(facts) if facts else "")
        for card in self.cards:
            self.list_layout.removeWidget(card)
            card.deleteLater()
        self.cards = [
            SessionCard(s, (skipped_pain or {}).get(s.id, 0), recording=s.id in recording)
            for s in sessions
        ]
        for i, card in enumerate(self.cards):
            self.list_layout.insertWidget(i, card)
        future = day > today
        if sessions:
            self.empty.hide()
        else:
            self.empty.setText(
                "This day is still ahead."
                if future
                else "No sessions on this day."
                + (
                    ""
                    if activity.mark
                    else " If you rested on purpose or were unwell, "
                    "mark it below and it will not break your streak."
                )
            )
            self.empty.show()
        self.rest_button.setChecked(activity.mark is DayMark.REST)
        self.sick_button.setChecked(activity.mark is DayMark.SICK)
        self.clear_button.setEnabled(activity.mark is not None)
        self.setAccessibleName(self.title.text())

    def _mark_clicked(self, mark: DayMark) -> None:
        # Clicking the mark the day already has takes it off again.
        self._request(None if self._mark is mark else mark)

    def _request(self, mark: DayMark | None) -> None:
        if self._day is not None:
            self.mark_requested.emit(self._day, mark)
