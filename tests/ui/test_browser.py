"""The exercise browser: every exercise, with dose, source, steps and every caution."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from si_timer.library.catalog import load_catalog
from si_timer.library.model import Dose, Posture, Range, TempoPhase
from si_timer.ui.browser import ExerciseBrowser, dose_text
from si_timer.ui.theme import LIGHT


def test_every_exercise_is_listed_and_the_posture_filter_narrows_it(qtbot: QtBot) -> None:
    catalog = load_catalog()
    sources = {sid: catalog.source_title(sid) for sid in catalog.sources}
    browser = ExerciseBrowser(catalog.exercises, sources, LIGHT)
    qtbot.addWidget(browser)
    assert sorted(browser.shown_exercises()) == sorted(catalog.exercises)
    texts = "\n".join(label.text() for label in browser.findChildren(QLabel))
    for ex in catalog.exercises.values():
        for caution in ex.cautions:
            assert caution.replace("&", "&amp;") in texts, ex.id
    browser.show_posture(Posture.STANDING)
    standing = {ex.id for ex in catalog.exercises.values() if ex.posture is Posture.STANDING}
    assert set(browser.shown_exercises()) == standing
    assert 0 < len(standing) < len(catalog.exercises)
    browser.show_posture(None)
    assert len(browser.shown_exercises()) == len(catalog.exercises)


def test_dose_text() -> None:
    assert dose_text(Dose(hold=Range(15, 30), reps=Range(2, 2), sets=3, rest=Range(60, 60))) == (
        "Hold 15-30 s · 2 reps · 3 sets, rest 60 s"
    )
    tempo = Dose(reps=Range(10, 10), tempo=(TempoPhase("Tighten", 3), TempoPhase("Release", 2)))
    assert dose_text(tempo) == "Tighten 3 s then Release 2 s · 10 reps"
    assert dose_text(Dose(reps=Range(8, 12))) == "At your own pace · 8-12 reps"
