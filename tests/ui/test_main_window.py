"""The window's own state file: any content opens a window; saving is private."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from si_timer.config.settings import Settings
from si_timer.library.catalog import load_catalog
from si_timer.ui.home_presenter import HomePresenter
from si_timer.ui.main_window import MainWindow
from si_timer.ui.notices import Notice, NoticeBoard, NoticeLevel
from si_timer.ui.theme import LIGHT


def window(qtbot: QtBot, state: Path) -> MainWindow:
    made = MainWindow(LIGHT, state, NoticeBoard())
    qtbot.addWidget(made)
    return made


@pytest.mark.parametrize(
    "content",
    [
        '{"geometry": ' + "[" * 5000 + "]" * 5000 + "}",
        '{"geometry": "AA==", "fullscreen": ' + "1" * 5000 + "}",
        '{"geometry": NaN}',
        '{"geometry": "not base64 !!"}',
        "[1, 2]",
        '"text"',
    ],
)
def test_a_broken_state_file_gives_the_default_size(
    qtbot: QtBot, tmp_path: Path, content: str
) -> None:
    state = tmp_path / "window.json"
    state.write_text(content)
    made = window(qtbot, state)
    assert made.width() > 0
    assert not made.wants_fullscreen


@pytest.mark.skipif(os.name != "posix", reason="POSIX special files")
@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_special_file_as_state_opens_at_once(qtbot: QtBot, tmp_path: Path, kind: str) -> None:
    state = tmp_path / "window.json"
    if kind == "fifo":
        os.mkfifo(state)
    else:
        state.symlink_to("/dev/zero")
    assert not window(qtbot, state).wants_fullscreen  # returned: no read of a pipe or device


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_the_state_is_saved_owner_only_and_read_back(qtbot: QtBot, tmp_path: Path) -> None:
    state = tmp_path / "config" / "window.json"
    window(qtbot, state).save_state()
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    assert stat.S_IMODE(state.parent.stat().st_mode) == 0o700
    assert set(json.loads(state.read_text())) == {"geometry", "fullscreen"}
    assert sorted(p.name for p in state.parent.iterdir()) == ["window.json"]


def _shown_home(qtbot: QtBot, tmp_path: Path, board: NoticeBoard) -> MainWindow:
    made = MainWindow(LIGHT, tmp_path / "window.json", board)
    qtbot.addWidget(made)
    home = made.home
    HomePresenter(home, catalog=load_catalog, settings=Settings, history=lambda: None).refresh()
    made.show_page(home)
    made.show()
    made.activateWindow()
    qtbot.waitActive(made)
    return made


def test_home_opens_with_the_big_start_button_in_focus_and_enter_presses_it(
    qtbot: QtBot, tmp_path: Path
) -> None:
    made = _shown_home(qtbot, tmp_path, NoticeBoard())
    home = made.home
    qtbot.waitUntil(lambda: QApplication.focusWidget() is home.hero)
    with qtbot.waitSignal(home.start_requested) as started:
        QTest.keyClick(home.hero, Qt.Key.Key_Return)
    assert started.args == [home.hero_routine_id]
    assert home.hero_routine_id


def test_a_notice_dismissed_from_the_keyboard_gives_the_focus_back_to_the_start_button(
    qtbot: QtBot, tmp_path: Path
) -> None:
    board = NoticeBoard()
    board.post(Notice("menu", "Not in your applications menu yet.", NoticeLevel.WARNING))
    made = _shown_home(qtbot, tmp_path, board)
    (row,) = made.banner.rows()
    row.dismiss_button.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is row.dismiss_button)
    QTest.keyClick(row.dismiss_button, Qt.Key.Key_Space)
    assert not made.banner.rows()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is made.home.hero)
