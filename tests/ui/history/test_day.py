"""The day panel: session cards with their details, and the rest/sick buttons."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from si_timer.history.days import DayActivity, RoutineDay
from si_timer.history.model import DayMark, Difficulty, SessionStatus, SessionSummary
from si_timer.records import replace
from si_timer.ui.history.day import DayPanel, session_lines

DAY = date(2025, 3, 12)


def summary(note: str | None = "<b>not bold</b>") -> SessionSummary:
    return SessionSummary(
        id="s1",
        routine="morning",
        routine_name="Morning stretches",
        started_at=datetime(2025, 3, 12, 6, 5, tzinfo=UTC),
        utc_offset_minutes=60,
        ended_at=datetime(2025, 3, 12, 6, 14, tzinfo=UTC),
        status=SessionStatus.PARTIAL,
        pain_before=5,
        pain_after=None,
        difficulty=Difficulty.TOO_HARD,
        note=note,
        segments_done=7,
        segments_total=10,
        active_seconds=420,
        local_day=DAY,
        exercises_done=3,
        exercises_total=5,
        reps_done=12,
        reps_total=19,
    )


def test_a_card_says_everything_about_its_session(qtbot: QtBot) -> None:
    panel = DayPanel()
    qtbot.addWidget(panel)
    act = DayActivity(DAY, (RoutineDay("morning", 2, 0, 1, 0),), 420)
    panel.show_day(act, [summary()], today=date(2025, 3, 14), skipped_pain={"s1": 2})
    assert panel.title.text() == "Wednesday 12 March 2025"
    (card,) = panel.cards
    assert "07:05–07:14" in card.title.text()
    assert card.status.text() == "Partial"
    assert [d.text() for d in card.details] == [
        "3 of 5 exercises done · 12 of 19 reps · 7 min active",
        "Pain before 5 · Felt too hard · 2 skipped for pain",
    ]
    assert card.note is not None
    assert card.note.text() == "“<b>not bold</b>”"
    assert card.note.textFormat() == Qt.TextFormat.PlainText
    assert panel.empty.isHidden()


def test_an_empty_day_suggests_marking_it(qtbot: QtBot) -> None:
    panel = DayPanel()
    qtbot.addWidget(panel)
    panel.show_day(DayActivity(DAY), [], today=DAY)
    assert panel.title.text() == "Today, Wednesday 12 March"
    assert "mark it below" in panel.empty.text()
    assert not panel.clear_button.isEnabled()
    assert session_lines(summary(), 0)[-1] == "Pain before 5 · Felt too hard"


def test_mark_buttons_ask_for_marks_and_toggle_off(qtbot: QtBot) -> None:
    panel = DayPanel()
    qtbot.addWidget(panel)
    asked: list[tuple[date, DayMark | None]] = []
    panel.mark_requested.connect(lambda day, mark: asked.append((day, mark)))
    panel.show_day(DayActivity(DAY), [], today=DAY)
    qtbot.mouseClick(panel.rest_button, Qt.MouseButton.LeftButton)
    panel.show_day(DayActivity(DAY, mark=DayMark.REST), [], today=DAY)
    assert panel.rest_button.isChecked()
    qtbot.mouseClick(panel.rest_button, Qt.MouseButton.LeftButton)  # again: off
    qtbot.mouseClick(panel.sick_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    assert asked == [(DAY, DayMark.REST), (DAY, None), (DAY, DayMark.SICK), (DAY, None)]


def test_a_crashed_session_reads_interrupted_a_running_one_in_progress(qtbot: QtBot) -> None:
    panel = DayPanel()
    qtbot.addWidget(panel)
    running = replace(summary(), status=SessionStatus.IN_PROGRESS, ended_at=None)
    act = DayActivity(DAY, (RoutineDay("morning", 2, 0, 1, 0),), 420)
    panel.show_day(act, [running], today=DAY)
    assert panel.cards[0].status.text() == "Interrupted"
    assert panel.cards[0].title.text().startswith("<b>07:05</b>&nbsp;")  # no end yet
    panel.show_day(act, [running], today=DAY, recording=frozenset({"s1"}))
    assert panel.cards[0].status.text() == "In progress"
