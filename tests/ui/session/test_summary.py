"""The end-of-session screen hands on the person's verdict as a Difficulty."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from si_timer.history.model import Difficulty
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
