"""The end-of-session screen hands on the person's verdict as a Difficulty."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from si_timer.history.model import Difficulty
from si_timer.history.tally import ExerciseResult
from si_timer.ui.session.outcome import ExerciseRow
from si_timer.ui.session.summary import Ratings, SaveState, SummaryFacts, SummaryScreen


def test_the_difficulty_buttons_speak_the_history_vocabulary(qtbot: QtBot) -> None:
    screen = SummaryScreen()
    qtbot.addWidget(screen)
    screen.show_facts(
        SummaryFacts("Morning", True, 4, 0, 4, 300.0, pain_before=3, saved=SaveState.SAVED)
    )
    texts = [b.text() for b in screen.feel.buttons()]
    assert texts == ["Too easy", "About right", "Too hard"]
    chosen: list[object] = []
    screen.difficulty_chosen.connect(chosen.append)
    screen.feel.button(2).click()
    assert chosen == [Difficulty.TOO_HARD]
    assert type(chosen[0]) is Difficulty
    screen.pain.button(2).click()
    with qtbot.waitSignal(screen.finished) as finished:
        screen.finish_button.click()
    assert finished.args == [Ratings(pain_after=2, difficulty=Difficulty.TOO_HARD, note="")]
    assert screen.ratings().difficulty is Difficulty.TOO_HARD


@pytest.mark.parametrize("size", [(1366, 420), (1280, 720), (1024, 600)])
def test_a_long_summary_on_a_short_page_scrolls_instead_of_squeezing(
    qtbot: QtBot, size: tuple[int, int]
) -> None:
    # The full session's fourteen exercises, each with its own three buttons, under
    # two notices on a laptop: every widget keeps the height its text needs and
    # the finish button stays in view.
    screen = SummaryScreen()
    qtbot.addWidget(screen)
    screen.resize(*size)
    rows = tuple(
        ExerciseRow(f"ex-{i}", f"Exercise number {i}", ExerciseResult.DONE, adjustable=True)
        for i in range(14)
    )
    screen.show_facts(
        SummaryFacts("Full session", True, 40, 0, 40, 1600.0, 3, SaveState.SAVED, rows)
    )
    screen.show()
    qtbot.waitExposed(screen)
    for widget in screen.findChildren(QWidget):
        if isinstance(widget, (QPushButton, QLabel, QLineEdit)) and widget.isVisibleTo(screen):
            assert widget.height() >= widget.minimumSizeHint().height(), widget.text()
    page = screen.rect()
    finish = screen.finish_button
    assert page.contains(QRect(finish.mapTo(screen, QPoint(0, 0)), finish.size()))
    scroll = screen.page_scroll
    assert not scroll.horizontalScrollBar().isVisible()
    if size[1] < 600:
        assert scroll.verticalScrollBar().maximum() > 0
