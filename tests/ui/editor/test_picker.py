"""The add-exercise picker: every exercise with its figure, narrowed by each filter."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from si_timer.library.catalog import Catalog, load_catalog
from si_timer.library.model import Category, Origin, Posture
from si_timer.records import replace
from si_timer.ui.editor.picker import MAT_ONLY, YOURS, ExercisePicker, PickerFilter
from si_timer.ui.editor.thumbnails import Thumbnails
from si_timer.ui.theme import LIGHT


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _picker(qtbot: QtBot, catalog: Catalog) -> ExercisePicker:
    exercises = dict(catalog.exercises)
    # One of the person's own, from their physio: the source filter has a "yours" choice.
    mine = replace(
        exercises["glute-bridge"],
        id="my-bridge",
        name="My bridge",
        source="my physiotherapist",
        origin=Origin("my-bridge.yaml", bundled=False),
    )
    exercises[mine.id] = mine
    picker = ExercisePicker(exercises, catalog.source_title, Thumbnails(LIGHT), LIGHT)
    qtbot.addWidget(picker)
    return picker


def _choose(combo_data: object, combo: QComboBox) -> None:
    index = combo.findData(combo_data)
    assert index >= 0, combo_data
    combo.setCurrentIndex(index)


def test_every_exercise_has_its_figure_and_each_filter_narrows(
    qtbot: QtBot, catalog: Catalog
) -> None:
    picker = _picker(qtbot, catalog)
    everything = picker.shown_exercises()
    assert len(everything) == len(catalog.exercises) + 1
    for row in range(picker.list.count()):
        assert not picker.list.item(row).icon().isNull()
    _choose(Posture.STANDING.value, picker.posture)
    standing = {e.id for e in catalog.exercises.values() if e.posture is Posture.STANDING}
    assert set(picker.shown_exercises()) == standing
    picker.posture.setCurrentIndex(0)
    _choose("kettlebell", picker.equipment)
    assert picker.shown_exercises() == ["kettlebell-lateral-swing"]
    picker.equipment.setCurrentIndex(picker.equipment.findText("Nothing but a mat"))
    assert "kettlebell-lateral-swing" not in picker.shown_exercises()
    assert "glute-bridge" in picker.shown_exercises()
    picker.equipment.setCurrentIndex(0)
    _choose(Category.ROTATION.value, picker.category)
    rotation = {e.id for e in catalog.exercises.values() if e.category is Category.ROTATION}
    assert set(picker.shown_exercises()) == rotation
    picker.category.setCurrentIndex(0)
    picker.source.setCurrentIndex(picker.source.findText("Your own exercises"))
    assert picker.shown_exercises() == ["my-bridge"]
    picker.source.setCurrentIndex(0)
    picker.words.setText("BRIDGE")
    assert set(picker.shown_exercises()) == {"glute-bridge", "bridge-pose", "my-bridge"}
    picker.words.setText("nothing is called this")
    assert picker.shown_exercises() == []
    assert picker.empty.isVisibleTo(picker)
    assert not picker.add_button.isEnabled()


def test_the_chosen_come_back_in_the_lists_order(qtbot: QtBot, catalog: Catalog) -> None:
    picker = _picker(qtbot, catalog)
    assert not picker.add_button.isEnabled()
    picker.select(["wall-sit", "cat-cow"])
    assert picker.chosen() == ["cat-cow", "wall-sit"]
    assert picker.add_button.text() == "Add 2"
    # A filtered-out exercise is no longer chosen.
    _choose(Posture.ALL_FOURS.value, picker.posture)
    assert picker.chosen() == ["cat-cow"]


def test_new_exercise_asks_for_the_form_and_closes(qtbot: QtBot, catalog: Catalog) -> None:
    picker = _picker(qtbot, catalog)
    picker.show()
    with qtbot.waitSignal(picker.new_exercise_requested):
        picker.new_exercise.click()
    assert not picker.isVisible()


def test_the_filter_alone() -> None:
    catalog = load_catalog()
    swing = catalog.exercise("kettlebell-lateral-swing")
    assert PickerFilter().admits(swing)
    assert not PickerFilter(equipment=MAT_ONLY).admits(swing)
    assert PickerFilter(source=swing.source).admits(swing)
    assert not PickerFilter(source=YOURS).admits(swing)
