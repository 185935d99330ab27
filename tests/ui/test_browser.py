"""The exercise browser: every exercise, with dose, source, steps and every caution."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from si_timer.library.catalog import load_catalog
from si_timer.library.model import Posture
from si_timer.ui.browser import ExerciseBrowser
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
