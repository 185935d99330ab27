"""The form for a person's own exercise, filled in through its widgets as a person would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from si_timer.figures.loader import figure_for
from si_timer.library.catalog import Catalog, load_catalog
from si_timer.library.exercise_file import save_exercise
from si_timer.library.loader import load_file
from si_timer.library.model import (
    MAX_SHORT_NAME,
    Category,
    Cues,
    DoseMode,
    Posture,
    Range,
    Side,
    Sides,
    TempoPhase,
)
from si_timer.ui.exercise_form import ExerciseForm
from si_timer.ui.exercise_form.fields import RangeEdit
from si_timer.ui.exercise_form.words import PAIN_LINE, PHYSIO
from si_timer.ui.theme import LIGHT


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "data" / "exercises"


def make_form(qtbot: QtBot, catalog: Catalog, folder: Path, **kwargs: object) -> ExerciseForm:
    form = ExerciseForm(catalog, folder, LIGHT, **kwargs)  # type: ignore[arg-type]
    # pytest-qt closes the form after the test; a form with changes would ask first.
    form.confirm_discard = lambda: True  # type: ignore[method-assign]
    qtbot.addWidget(form)
    form.show()
    return form


def choose(combo: object, value: str) -> None:
    index = combo.findData(value)  # type: ignore[attr-defined]
    assert index >= 0, value
    combo.setCurrentIndex(index)  # type: ignore[attr-defined]


def thumb(form: ExerciseForm, figure_id: str) -> object:
    found = [t for t in form.figures.thumbs() if t.figure_id == figure_id]
    assert found, [t.figure_id for t in form.figures.thumbs()]
    return found[0]


def test_a_new_form_starts_ready_for_a_floor_exercise(
    qtbot: QtBot, catalog: Catalog, folder: Path
) -> None:
    form = make_form(qtbot, catalog, folder)
    assert form.posture.currentData() == Posture.BACK.value
    assert form.position.text() == "Lying on your back"
    assert form.equipment["mat"].isChecked()
    assert form.cautions.lines() == (PAIN_LINE,)
    assert form.source_physio.isChecked()
    assert form.figures.chosen() is None
    assert form.dose.mode() is DoseMode.HOLD


def test_a_filled_form_saves_a_file_the_library_loads(
    qtbot: QtBot, catalog: Catalog, folder: Path
) -> None:
    form = make_form(qtbot, catalog, folder)
    QTest.keyClicks(form.name, "Cat stretch from my physio")
    QTest.keyClicks(form.short_name, "Cat stretch")
    choose(form.category, Category.STRETCH.value)
    choose(form.posture, Posture.ALL_FOURS.value)
    assert form.position.text() == "On your hands and knees"  # the form's words follow
    form.equipment["chair"].setChecked(True)
    form.other_equipment.setText("towel, block")
    choose(form.sides, Sides.EACH.value)
    form.first_right.click()
    form.dose.mode_buttons[DoseMode.TEMPO].click()
    form.dose.reps.high.setValue(8)
    form.dose.reps.low.setValue(6)
    form.dose.tempo.set_phases([TempoPhase("Round up", 3, move=True), TempoPhase("Hold", 2)])
    form.dose.sets.setValue(2)
    form.dose.rest.set_value(Range(20, 40))
    form.steps.edits()[0].setText("Kneel on all fours.")
    form.steps.add_button.click()
    form.steps.edits()[1].setText("Round your back up.")
    form.steps.add_line("Let it sink.")
    form.steps.move_line(2, -1)  # reorder: the last line up one
    form.steps.add_line("A line to remove")
    form.steps.remove(3)
    form.source_other.click()
    form.source_text.setText("Back class, week 3")
    thumb(form, "cat-cow").click()  # type: ignore[attr-defined]
    assert form.figures.preview.figure == figure_for(catalog.exercises["cat-cow"])

    with qtbot.waitSignal(form.exercise_saved) as saved:
        form.save_button.click()
    assert saved.args == ["cat-stretch-from-my-physio"]
    result = load_file(folder / "cat-stretch-from-my-physio.yaml")
    assert result.errors == ()
    ex = result.exercise
    assert ex is not None
    assert (ex.name, ex.short_name, ex.posture) == (
        "Cat stretch from my physio",
        "Cat stretch",
        Posture.ALL_FOURS,
    )
    assert ex.equipment == ("mat", "chair", "towel", "block")
    assert (ex.sides, ex.first_side, ex.source) == (Sides.EACH, Side.RIGHT, "Back class, week 3")
    assert ex.steps == ("Kneel on all fours.", "Let it sink.", "Round your back up.")
    assert ex.dose.tempo == (TempoPhase("Round up", 3, move=True), TempoPhase("Hold", 2))
    assert (ex.dose.reps, ex.dose.sets, ex.dose.rest) == (Range(6, 8), 2, Range(20, 40))
    assert ex.figure == "cat-cow"
    assert figure_for(ex) == figure_for(catalog.exercises["cat-cow"])
    assert ex.cautions == (PAIN_LINE,)
    assert form.result() == ExerciseForm.DialogCode.Accepted


def test_problems_show_beside_their_fields_and_nothing_is_saved(
    qtbot: QtBot, catalog: Catalog, folder: Path
) -> None:
    form = make_form(qtbot, catalog, folder)
    form.position.clear()
    form.source_other.click()
    with qtbot.assertNotEmitted(form.exercise_saved):
        form.save_button.click()
    assert form.error_text("name") == "Must not be empty"
    assert form.error_text("position") == "Must not be empty"
    assert form.error_text("source") == "Must not be empty"
    assert form.error_text("steps") == "Must list at least one item"
    assert form.error_text("short_name") == ""
    assert form.problem.text() == "Please look at the fields marked in red."
    assert not folder.exists() or not list(folder.iterdir())
    assert form.isVisible()
    # Once a save was tried, each fix clears its message as it is typed.
    QTest.keyClicks(form.name, "My stretch")
    assert form.error_text("name") == ""
    assert form.error_text("steps") != ""


def test_a_phase_without_a_name_is_named_by_its_number(
    qtbot: QtBot, catalog: Catalog, folder: Path
) -> None:
    form = make_form(qtbot, catalog, folder)
    form.name.setText("Squeeze")
    form.steps.edits()[0].setText("Squeeze.")
    form.dose.mode_buttons[DoseMode.TEMPO].click()
    form.dose.tempo.add_button.click()  # a third phase, its name still empty
    assert not form.save()
    assert form.error_text("dose") == "Phase 3's name: must not be empty"


def test_too_many_reps_in_all_are_refused_by_the_loaders_limit(
    qtbot: QtBot, catalog: Catalog, folder: Path
) -> None:
    form = make_form(qtbot, catalog, folder)
    form.name.setText("Many")
    form.steps.edits()[0].setText("Again and again.")
    form.dose.mode_buttons[DoseMode.SELF_PACED].click()
    form.dose.reps.high.setValue(100)
    form.dose.sets.setValue(10)
    assert not form.save()
    assert form.error_text("dose") == "1,000 holds or reps in all is too many (at most 500)"


def test_the_short_name_counts_and_stops_at_its_limit(
    qtbot: QtBot, catalog: Catalog, folder: Path
) -> None:
    form = make_form(qtbot, catalog, folder)
    QTest.keyClicks(form.short_name, "Hip")
    assert form.short_count.text() == f"3 / {MAX_SHORT_NAME}"
    QTest.keyClicks(form.short_name, " stretch at the wall")
    assert len(form.short_name.text()) == MAX_SHORT_NAME
    assert form.short_count.text() == f"{MAX_SHORT_NAME} / {MAX_SHORT_NAME}"


def test_a_range_keeps_its_low_end_at_or_below_its_high_end(qtbot: QtBot) -> None:
    edit = RangeEdit("seconds")
    qtbot.addWidget(edit)
    edit.set_value(Range(10, 20))
    edit.low.setValue(30)
    assert edit.value() == Range(30, 30)
    edit.high.setValue(5)
    assert edit.value() == Range(5, 5)
    edit.low.setFocus()
    QTest.keyClick(edit.high, Qt.Key.Key_Up)
    assert edit.value() == Range(5, 6)


def test_the_figures_offered_follow_the_position(
    qtbot: QtBot, catalog: Catalog, folder: Path
) -> None:
    form = make_form(qtbot, catalog, folder)
    thumb(form, "glute-bridge").click()  # type: ignore[attr-defined]
    assert form.figures.chosen() == "glute-bridge"
    choose(form.posture, Posture.STANDING.value)
    standing = {ex.id for ex in catalog.exercises.values() if ex.posture is Posture.STANDING}
    offered = {t.figure_id for t in form.figures.thumbs()}
    assert offered == standing | {""}
    assert form.figures.chosen() is None  # the bridge is not done standing
    assert form.figures.preview.figure == figure_for(None, Posture.STANDING)
    assert form.exercise().figure is None


def test_an_own_exercise_opens_filled_in_and_saves_under_its_own_id(
    qtbot: QtBot, catalog: Catalog, folder: Path
) -> None:
    base = catalog.exercises["figure-4"]
    mine = base.__class__(
        **{
            **base.__dict__,
            "id": "my-figure-4",
            "source": PHYSIO,
            "figure": "figure-4",
            "cues": Cues(start="Lie down, knees bent."),
        }
    )
    save_exercise(mine, folder)
    loaded = load_file(folder / "my-figure-4.yaml").exercise
    assert loaded is not None
    form = make_form(qtbot, catalog, folder, exercise=loaded)
    assert form.name.text() == base.name
    assert form.short_name.text() == "Figure-4"
    assert form.sides.currentData() == Sides.EACH.value
    assert form.source_physio.isChecked()
    assert form.figures.chosen() == "figure-4"
    assert form.steps.lines() == base.steps
    assert form.exercise() == loaded  # opening and saving unchanged changes nothing
    form.dose.hold.high.setValue(30)
    form.name.setText("Figure-4, my way")
    with qtbot.waitSignal(form.exercise_saved) as saved:
        form.save_button.click()
    assert saved.args == ["my-figure-4"]
    again = load_file(folder / "my-figure-4.yaml").exercise
    assert again is not None
    assert (again.name, again.dose.hold) == ("Figure-4, my way", Range(15, 30))
    assert again.cues == Cues(start="Lie down, knees bent.")  # not on the form, still kept
    assert again.side_meanings == base.side_meanings
    assert sorted(p.name for p in folder.iterdir()) == ["my-figure-4.yaml"]


def test_a_new_id_does_not_take_a_bundled_one(qtbot: QtBot, catalog: Catalog, folder: Path) -> None:
    form = make_form(qtbot, catalog, folder)
    form.name.setText("Glute bridge")
    assert form.exercise().id == "glute-bridge-2"


@pytest.mark.parametrize("exercise_id", sorted(load_catalog().exercises))
def test_any_exercise_opened_in_the_form_comes_out_unchanged(
    qtbot: QtBot, catalog: Catalog, folder: Path, exercise_id: str
) -> None:
    """What the form does not show is kept, and what it shows reads back as it was."""
    exercise = catalog.exercises[exercise_id]
    form = make_form(qtbot, catalog, folder, exercise=exercise)
    assert form.exercise() == exercise


def test_the_count_follows_the_kind_of_dose_until_changed_by_hand(
    qtbot: QtBot, catalog: Catalog, folder: Path
) -> None:
    form = make_form(qtbot, catalog, folder)
    assert form.dose.reps.value() == Range(1, 1)  # one hold per side
    form.dose.mode_buttons[DoseMode.SELF_PACED].click()
    assert form.dose.reps.value() == Range(10, 10)
    form.dose.reps.high.setValue(12)
    form.dose.mode_buttons[DoseMode.HOLD].click()
    assert form.dose.reps.value() == Range(10, 12)


def test_a_new_exercise_needs_what_its_position_needs_until_ticked_by_hand(
    qtbot: QtBot, catalog: Catalog, folder: Path
) -> None:
    form = make_form(qtbot, catalog, folder)
    choose(form.posture, Posture.WALL.value)
    assert [item for item, box in form.equipment.items() if box.isChecked()] == ["wall"]
    form.equipment["strap"].click()
    choose(form.posture, Posture.BACK.value)
    assert [item for item, box in form.equipment.items() if box.isChecked()] == ["wall", "strap"]


def test_the_preview_moves_into_the_chosen_hold_once(
    qtbot: QtBot, catalog: Catalog, folder: Path
) -> None:
    form = make_form(qtbot, catalog, folder)
    assert not form.figures.moving
    thumb(form, "glute-bridge").click()  # type: ignore[attr-defined]
    assert form.figures.moving
    thumb(form, "").click()  # type: ignore[attr-defined]
    assert not form.figures.moving  # the neutral figure has no hold to move into


def test_alt_arrows_move_the_line_being_typed(qtbot: QtBot, catalog: Catalog, folder: Path) -> None:
    form = make_form(qtbot, catalog, folder)
    form.steps.set_lines(["One", "Two", "Three"])
    third = form.steps.edits()[2]
    third.setFocus()
    QTest.keyClick(third, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert form.steps.lines() == ("One", "Three", "Two")
    assert form.focusWidget() is form.steps.edits()[1]  # the focus goes with the line
    QTest.keyClick(form.steps.edits()[1], Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert form.steps.lines() == ("One", "Two", "Three")


def test_cancel_asks_only_when_something_was_entered(
    qtbot: QtBot, catalog: Catalog, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[bool] = []
    form = make_form(qtbot, catalog, folder)
    monkeypatch.setattr(form, "confirm_discard", lambda: asked.append(True) or False)
    form.name.setText("Half typed")
    form.cancel_button.click()
    assert asked == [True]
    assert form.isVisible()  # the person said to stay
    form.name.clear()
    form.cancel_button.click()
    assert asked == [True]
    assert not form.isVisible()
