"""Share a routine… and Import a routine…: the dialogs' choices decide what is written."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from si_timer.config.paths import AppPaths, resolve_paths
from si_timer.library.share_import import Choice, preview_import
from si_timer.library.sharing import gather, read_share, share_text
from si_timer.session.clock import FakeClock
from si_timer.ui.app import App
from si_timer.ui.share_dialog import (
    ImportPreviewDialog,
    RoutineSharing,
    ShareRoutineDialog,
    contents_text,
)
from tests.helpers.share_files import catalog_of, make_person


@pytest.fixture
def share_file(tmp_path: Path) -> Path:
    catalog = catalog_of(make_person(tmp_path / "me"))
    path = tmp_path / "core.si-routine"
    path.write_text(share_text(gather(catalog.routine("my-core"), catalog)))
    return path


@pytest.fixture
def you(tmp_path: Path) -> AppPaths:
    paths = resolve_paths(tmp_path / "you")
    paths.ensure()
    return paths


def labels(widget: QDialog) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel)]


def preview_dialog(qtbot: QtBot, share_file: Path, paths: AppPaths) -> ImportPreviewDialog:
    shared = read_share(share_file.read_bytes(), str(share_file))
    dialog = ImportPreviewDialog(preview_import(shared, catalog_of(paths), paths))
    qtbot.addWidget(dialog)
    return dialog


def test_the_preview_lists_exercises_doses_and_what_each_file_does(
    qtbot: QtBot, share_file: Path, you: AppPaths
) -> None:
    dialog = preview_dialog(qtbot, share_file, you)
    texts = labels(dialog)
    assert "Import “My core routine”" in texts
    assert "3 EXERCISES" in texts
    assert "Glute bridge" in texts
    assert "hold 30 s, 2 times, each side" in texts
    assert texts.count("in the file") == 2
    assert "with SI Timer" in texts
    assert "Overrides the bundled exercise 'Glute bridge'" in texts
    assert texts.count("New: it will be added") == 2
    # One clash, one choice; keeping both (which writes over nothing) comes first.
    assert dialog.choices() == {"exercise:glute-bridge": Choice.KEEP_BOTH}
    assert dialog.import_button.isEnabled()


def test_a_preview_with_problems_cannot_be_imported(
    qtbot: QtBot, tmp_path: Path, you: AppPaths
) -> None:
    later = tmp_path / "later.si-routine"
    later.write_text(
        "si-timer-routine: 1\nroutine: |\n  id: later\n  name: Later\n  exercises: [flying-lotus]\n"
    )
    dialog = preview_dialog(qtbot, later, you)
    assert not dialog.import_button.isEnabled()
    assert any("unknown exercise 'flying-lotus'" in text for text in labels(dialog))


def answering(
    qtbot: QtBot, answer: Callable[[QDialog], int], seen: list[QDialog]
) -> Callable[[QDialog], int]:
    def run(dialog: QDialog) -> int:
        qtbot.addWidget(dialog)
        seen.append(dialog)
        return answer(dialog)

    return run


def test_choices_in_the_dialog_decide_the_files_written(
    qtbot: QtBot, share_file: Path, you: AppPaths, tmp_path: Path
) -> None:
    def replace_and_import(dialog: QDialog) -> int:
        assert isinstance(dialog, ImportPreviewDialog)
        box = dialog.chooser("exercise:glute-bridge")
        box.setCurrentIndex(box.findData(Choice.REPLACE.value))
        dialog.import_button.click()
        return dialog.result()

    seen: list[QDialog] = []
    flow = RoutineSharing(
        QDialog(),
        you,
        lambda: catalog_of(you),
        exec_dialog=answering(qtbot, replace_and_import, seen),
    )
    with qtbot.waitSignal(flow.imported) as imported:
        flow.import_file(share_file)
    assert imported.args is not None
    assert imported.args[0].routine_id == "my-core"
    assert sorted(p.name for p in you.user_exercises_dir.iterdir()) == [
        "glute-bridge.yaml",
        "my-stretch.yaml",
    ]
    assert catalog_of(you).exercise("glute-bridge").dose.hold.max == 15  # type: ignore[union-attr]


def test_keep_both_from_the_dialog_leaves_the_bundled_exercise_alone(
    qtbot: QtBot, share_file: Path, you: AppPaths
) -> None:
    seen: list[QDialog] = []

    def import_as_is(dialog: QDialog) -> int:
        assert isinstance(dialog, ImportPreviewDialog)
        dialog.import_button.click()
        return dialog.result()

    flow = RoutineSharing(
        QDialog(), you, lambda: catalog_of(you), exec_dialog=answering(qtbot, import_as_is, seen)
    )
    result = flow.import_file(share_file)
    assert result is not None
    assert result.renamed == {"glute-bridge": "glute-bridge-2"}
    assert not (you.user_exercises_dir / "glute-bridge.yaml").exists()


def test_cancel_writes_nothing(qtbot: QtBot, share_file: Path, you: AppPaths) -> None:
    def cancel(dialog: QDialog) -> int:
        assert isinstance(dialog, ImportPreviewDialog)
        dialog.cancel_button.click()
        return dialog.result()

    seen: list[QDialog] = []
    flow = RoutineSharing(
        QDialog(), you, lambda: catalog_of(you), exec_dialog=answering(qtbot, cancel, seen)
    )
    with qtbot.assertNotEmitted(flow.imported):
        assert flow.import_file(share_file) is None
    assert list(you.data_dir.rglob("*.yaml")) == []


def test_a_broken_file_is_one_message_and_no_preview(
    qtbot: QtBot, tmp_path: Path, you: AppPaths
) -> None:
    bad = tmp_path / "bad.si-routine"
    bad.write_text("si-timer-routine: 1\nroutine: 5\n")
    seen: list[QDialog] = []
    flow = RoutineSharing(
        QDialog(), you, lambda: catalog_of(you), exec_dialog=answering(qtbot, lambda d: 0, seen)
    )
    assert flow.import_file(bad) is None
    assert len(seen) == 1
    box = seen[0]
    assert isinstance(box, QMessageBox)
    assert box.text() == f"{bad}:2: routine: must be a file's text, not the number 5"


def test_sharing_saves_the_chosen_routine(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = make_person(tmp_path / "me")
    catalog = catalog_of(paths)
    target = tmp_path / "out" / "mine"
    (tmp_path / "out").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))

    def choose_mine(dialog: QDialog) -> int:
        assert isinstance(dialog, ShareRoutineDialog)
        # The person's own routines come first.
        assert dialog.routines.itemText(0) == "My core routine (yours)"
        assert dialog.contents.text() == contents_text(gather(catalog.routine("my-core"), catalog))
        assert dialog.contents.text().startswith(
            "The file holds the routine and 2 exercises of your own (1 with a figure)."
        )
        dialog.save_button.click()
        return dialog.result()

    seen: list[QDialog] = []
    flow = RoutineSharing(
        QDialog(), paths, lambda: catalog, exec_dialog=answering(qtbot, choose_mine, seen)
    )
    with qtbot.waitSignal(flow.shared) as shared:
        flow.share()
    saved = tmp_path / "out" / "mine.si-routine"
    assert shared.args == [str(saved)]
    assert read_share(saved.read_bytes(), "x").routine == catalog.routine("my-core")


@pytest.fixture
def app(qtbot: QtBot, you: AppPaths) -> Iterator[App]:
    you.settings_file.write_text(json.dumps({"safety_acknowledged": True, "speech_engine": "mock"}))
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    application = App(qapp, you, clock=FakeClock())
    qtbot.addWidget(application.window)
    application.window.show()
    yield application
    application.shut_down()


def test_an_import_from_the_menu_shows_the_routine_on_home_at_once(
    qtbot: QtBot, app: App, share_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(share_file), ""))

    def import_it(dialog: QDialog) -> int:
        assert isinstance(dialog, ImportPreviewDialog)
        dialog.import_button.click()
        return dialog.result()

    monkeypatch.setattr(ImportPreviewDialog, "exec", import_it)
    app.show_browser()  # built before the import: it is built again with the new exercises
    action = next(a for a in app.window.findChildren(QAction) if a.text() == "Import a &routine…")
    action.trigger()
    assert "my-core" in app.catalog.routines
    assert "glute-bridge-2" in app.catalog.exercises
    assert app.window.pages.currentWidget() is app.window.home
    home_texts = [label.text() for label in app.window.home.findChildren(QLabel)]
    assert "My core routine  ·  yours" in home_texts
    assert [n.text for n in app.notices.notices() if n.key == "sharing"] == [
        "“My core routine” is imported: find it under All routines."
    ]


def test_what_a_share_file_holds_is_said_in_plain_words(tmp_path: Path) -> None:
    catalog = catalog_of(make_person(tmp_path / "me"))
    assert contents_text(gather(catalog.routine("my-core"), catalog)) == (
        "The file holds the routine and 2 exercises of your own (1 with a figure). "
        "The other exercise comes with SI Timer, so it is named, not copied."
    )
    assert contents_text(gather(catalog.routine("morning"), catalog)) == (
        "The file holds the routine. Its 5 exercises come with SI Timer, so they are named, "
        "not copied."
    )


def test_an_import_previews_against_the_files_on_disk_not_a_stale_library(
    qtbot: QtBot, share_file: Path, you: AppPaths
) -> None:
    stale = catalog_of(you)  # read before the person added their own stretch
    you.user_exercises_dir.mkdir()
    (you.user_exercises_dir / "my-stretch.yaml").write_text(
        (share_file.parent / "me" / "data" / "exercises" / "my-stretch.yaml")
        .read_text()
        .replace("reps: 2", "reps: 3")
    )
    seen: list[QDialog] = []

    def look(dialog: QDialog) -> int:
        assert isinstance(dialog, ImportPreviewDialog)
        assert set(dialog.choices()) == {"exercise:glute-bridge", "exercise:my-stretch"}
        dialog.import_button.click()
        return dialog.result()

    flow = RoutineSharing(QDialog(), you, lambda: stale, exec_dialog=answering(qtbot, look, seen))
    result = flow.import_file(share_file)
    assert result is not None
    assert result.renamed == {"glute-bridge": "glute-bridge-2", "my-stretch": "my-stretch-2"}
