"""Notices: a board that keeps what the person must see, banners that show it big."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from si_timer.config.settings import Theme
from si_timer.ui.notices import Notice, NoticeBanner, NoticeBoard, NoticeLevel
from si_timer.ui.theme import DARK, HIGH_CONTRAST, LIGHT, Palette, apply_theme, stylesheet

VOICE = Notice(
    "voice",
    "Your voice is off: install speech-dispatcher and espeak-ng.",
    NoticeLevel.WARNING,
)
HISTORY = Notice("history", "History is not being saved.", NoticeLevel.PROBLEM, "Disk full")
EXPORTED = Notice("export", "Exported 12 sessions.", NoticeLevel.INFO)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def board(clock: FakeClock) -> NoticeBoard:
    return NoticeBoard(clock=clock)


def keys(board: NoticeBoard) -> list[str]:
    return [notice.key for notice in board.notices()]


# --- the board ------------------------------------------------------------------------


def test_notices_are_newest_first_and_each_post_says_so(qtbot: QtBot, board: NoticeBoard) -> None:
    with qtbot.waitSignal(board.changed):
        board.post(VOICE)
    with qtbot.waitSignal(board.changed):
        board.post(HISTORY)
    assert board.notices() == (HISTORY, VOICE)


def test_posting_the_same_key_replaces_the_notice_and_brings_it_to_the_top(
    qtbot: QtBot, board: NoticeBoard
) -> None:
    board.post(VOICE)
    board.post(HISTORY)
    better = Notice("voice", "Your voice is back off: espeak-ng crashed.", NoticeLevel.WARNING)
    with qtbot.waitSignal(board.changed):
        board.post(better)
    assert board.notices() == (better, HISTORY)


def test_posting_the_same_notice_again_changes_nothing(qtbot: QtBot, board: NoticeBoard) -> None:
    board.post(VOICE)
    with qtbot.assertNotEmitted(board.changed):
        board.post(VOICE)
    assert board.notices() == (VOICE,)


def test_a_dismissed_warning_does_not_nag_but_a_new_text_shows(
    qtbot: QtBot, board: NoticeBoard
) -> None:
    board.post(VOICE)
    board.post(HISTORY)
    with qtbot.waitSignal(board.changed), qtbot.waitSignal(board.dismissed) as blocker:
        board.dismiss("history")
    assert blocker.args == ["history"]
    assert board.notices() == (VOICE,)

    with qtbot.assertNotEmitted(board.changed):
        board.post(HISTORY)  # the failing write repeats itself
    assert board.notices() == (VOICE,)

    worse = Notice("history", "History is not being saved.", NoticeLevel.PROBLEM, "Read-only")
    board.post(worse)
    assert board.notices() == (worse, VOICE)


def test_clear_means_the_cause_went_away_so_it_may_come_back(
    qtbot: QtBot, board: NoticeBoard
) -> None:
    board.post(HISTORY)
    board.dismiss("history")
    board.clear("history")  # history caught up
    board.post(HISTORY)  # and failed again later: tell the person again
    assert board.notices() == (HISTORY,)
    with qtbot.waitSignal(board.changed):
        board.clear("history")
    assert board.notices() == ()
    with qtbot.assertNotEmitted(board.changed), qtbot.assertNotEmitted(board.dismissed):
        board.clear("history")
        board.dismiss("history")


def test_information_expires_on_the_clock_and_the_rest_persist(
    qtbot: QtBot, board: NoticeBoard, clock: FakeClock
) -> None:
    board.post(VOICE)
    assert board.next_expiry_in() is None
    board.post(EXPORTED)
    assert board.next_expiry_in() == pytest.approx(6.0)

    clock.now += 5.9
    with qtbot.assertNotEmitted(board.changed):
        board.expire_due()  # a timer that woke early finds nothing due
    assert keys(board) == ["export", "voice"]
    assert board.next_expiry_in() == pytest.approx(0.1)

    clock.now += 0.1
    with qtbot.waitSignal(board.changed):
        board.expire_due()
    assert keys(board) == ["voice"]
    assert board.next_expiry_in() is None

    clock.now += 3600
    board.expire_due()
    assert keys(board) == ["voice"]


def test_posting_information_again_restarts_its_time(board: NoticeBoard, clock: FakeClock) -> None:
    board.post(EXPORTED)
    clock.now += 5
    board.post(EXPORTED)
    clock.now += 5
    board.expire_due()
    assert keys(board) == ["export"]
    clock.now += 1
    board.expire_due()
    assert keys(board) == []


def test_a_dismissed_information_notice_can_be_posted_again(board: NoticeBoard) -> None:
    board.post(EXPORTED)
    board.dismiss("export")
    board.post(EXPORTED)  # the next export
    assert keys(board) == ["export"]


def test_the_boards_own_timer_expires_information(qtbot: QtBot, clock: FakeClock) -> None:
    # No sleeping: the time is already up on the fake clock, the timer only wakes the board.
    board = NoticeBoard(clock=clock, info_seconds=0.0)
    board.post(VOICE)
    with qtbot.waitSignal(board.changed, timeout=2000):
        board.post(EXPORTED)
    with qtbot.waitSignal(board.changed, timeout=2000):
        pass
    assert keys(board) == ["voice"]


# --- the banner -----------------------------------------------------------------------


@pytest.fixture
def page(qtbot: QtBot) -> QWidget:
    """A page 1024 px wide, as on a small laptop, themed like the app."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, Theme.LIGHT)
    widget = QWidget()
    QVBoxLayout(widget).addStretch(1)
    widget.resize(1024, 700)
    qtbot.addWidget(widget)
    return widget


def banner_on(page: QWidget, board: NoticeBoard, font_px: int = 18) -> NoticeBanner:
    banner = NoticeBanner(board, font_px=font_px)
    layout = page.layout()
    assert isinstance(layout, QVBoxLayout)
    layout.insertWidget(0, banner)
    return banner


def test_the_banner_shows_while_there_are_notices(
    qtbot: QtBot, page: QWidget, board: NoticeBoard
) -> None:
    banner = banner_on(page, board)
    page.show()
    qtbot.waitExposed(page)
    assert not banner.isVisible()

    board.post(VOICE)
    board.post(HISTORY)
    assert banner.isVisible()
    rows = banner.rows()
    assert [row.text_label.text() for row in rows] == [HISTORY.text, VOICE.text]
    assert [row.level_label.text() for row in rows] == ["Problem", "Warning"]
    assert [row.property("level") for row in rows] == ["problem", "warning"]
    assert rows[0].detail_label.text() == "Disk full"
    assert not rows[0].detail_label.isHidden()
    assert rows[1].detail_label.isHidden()
    assert rows[0].accessibleName() == "Problem: History is not being saved."

    board.clear("history")
    board.clear("voice")
    assert not banner.isVisible()
    assert banner.rows() == ()


def test_a_banner_built_before_its_page_shows_the_notices_already_posted(
    qtbot: QtBot, page: QWidget, board: NoticeBoard
) -> None:
    board.post(VOICE)
    banner = NoticeBanner(board)
    assert banner.isHidden()  # never a window of its own
    layout = page.layout()
    assert isinstance(layout, QVBoxLayout)
    layout.insertWidget(0, banner)
    page.show()
    qtbot.waitExposed(page)
    assert banner.isVisible()
    assert [row.key for row in banner.rows()] == ["voice"]


def test_at_most_three_with_how_many_more(page: QWidget, board: NoticeBoard) -> None:
    banner = banner_on(page, board)
    for n in range(5):
        board.post(Notice(f"file-{n}", f"File {n} has a problem.", NoticeLevel.WARNING))
    assert [row.key for row in banner.rows()] == ["file-4", "file-3", "file-2"]
    assert banner.more_label.text() == "and 2 more"
    assert not banner.more_label.isHidden()

    banner.rows()[0].dismiss_button.click()
    assert [row.key for row in banner.rows()] == ["file-3", "file-2", "file-1"]
    assert banner.more_label.text() == "and 1 more"
    board.dismiss("file-3")
    assert banner.more_label.isHidden()


def test_the_dismiss_button_dismisses_that_notice(
    qtbot: QtBot, page: QWidget, board: NoticeBoard
) -> None:
    banner = banner_on(page, board)
    board.post(VOICE)
    board.post(HISTORY)
    button = banner.rows()[1].dismiss_button
    assert button.accessibleName() == "Dismiss"
    assert button.text() == "×"
    with qtbot.waitSignal(board.dismissed) as blocker:
        button.click()
    assert blocker.args == ["voice"]
    assert board.notices() == (HISTORY,)


def test_an_action_button_takes_the_notice_down_and_says_so(
    qtbot: QtBot, page: QWidget, board: NoticeBoard
) -> None:
    banner = banner_on(page, board)
    board.post(Notice("plain", "Nothing to do here.", NoticeLevel.INFO))
    assert not banner.rows()[0].action_button.isVisibleTo(page)
    board.post(Notice("deleted", "Deleted “Mine”.", NoticeLevel.INFO, action="Undo"))
    (row, _plain) = banner.rows()
    assert row.action_button.isVisibleTo(page)
    assert row.action_button.text() == "Undo"
    with qtbot.waitSignal(board.acted) as acted:
        row.action_button.click()
    assert acted.args == ["deleted"]
    assert keys(board) == ["plain"]
    board.act("plain")  # a notice without an action has nothing to do
    assert keys(board) == ["plain"]


def test_two_banners_watch_one_board(qtbot: QtBot, page: QWidget, board: NoticeBoard) -> None:
    home = banner_on(page, board)
    other = QWidget()
    QVBoxLayout(other)
    qtbot.addWidget(other)
    player = NoticeBanner(board, other, font_px=40)
    layout = other.layout()
    assert isinstance(layout, QVBoxLayout)
    layout.addWidget(player)
    page.show()
    other.show()

    board.post(VOICE)
    board.post(HISTORY)
    shown = [[row.key for row in banner.rows()] for banner in (home, player)]
    assert shown == [["history", "voice"], ["history", "voice"]]

    player.rows()[0].dismiss_button.click()  # dismissed from the mat
    shown = [[row.key for row in banner.rows()] for banner in (home, player)]
    assert shown == [["voice"], ["voice"]]

    home.rows()[0].dismiss_button.click()
    assert not home.isVisible()
    assert not player.isVisible()


def test_the_host_sets_the_size(page: QWidget, board: NoticeBoard) -> None:
    banner = banner_on(page, board, font_px=18)
    board.post(VOICE)
    page.show()
    row = banner.rows()[0]
    row.text_label.ensurePolished()
    assert row.text_label.font().pixelSize() == 18

    banner.set_font_px(40)
    assert banner.font_px == 40
    for widget in (row.text_label, row.dismiss_button):
        widget.ensurePolished()
    assert row.text_label.font().pixelSize() == 40
    assert row.dismiss_button.font().pixelSize() == 52
    assert row.dismiss_button.minimumWidth() >= 88  # a large target, seen from the mat


@pytest.mark.parametrize("font_px", [18, 40])
def test_long_text_wraps_and_is_never_cut_at_1024_px(
    qtbot: QtBot, page: QWidget, board: NoticeBoard, font_px: int
) -> None:
    banner = banner_on(page, board, font_px=font_px)
    long = Notice(
        "settings",
        "Some of your settings could not be read and are back to their defaults (the file "
        "is kept aside when settings are next saved; see the log: "
        "/home/someone/.cache/si-timer/si-timer.log).",
        NoticeLevel.WARNING,
        "settings.json line 7: 'volume' must be a number between 0 and 100",
    )
    board.post(long)
    page.show()
    qtbot.waitExposed(page)
    row = banner.rows()[0]
    qtbot.waitUntil(lambda: row.text_label.height() > row.text_label.fontMetrics().height())

    for label in (row.text_label, row.detail_label):
        assert label.wordWrap()
        # Every line of the wrapped text fits in the label, and the label in the page.
        assert label.height() >= label.heightForWidth(label.width())
        corner = label.mapTo(page, QPoint(label.width(), label.height()))
        assert page.rect().contains(corner)
    assert row.text_label.text() == long.text
    assert banner.width() <= 1024
    button = row.dismiss_button.mapTo(page, QPoint(row.dismiss_button.width(), 0))
    assert page.rect().contains(button)


# --- the theme ------------------------------------------------------------------------


def contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        qcolour = QColor(colour)
        channels = (qcolour.redF(), qcolour.greenF(), qcolour.blueF())
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return float(0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2])

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("palette", [LIGHT, DARK, HIGH_CONTRAST], ids=lambda p: p.name)
def test_every_level_word_is_readable_in_every_theme(palette: Palette) -> None:
    for colour in (palette.accent, palette.warning, palette.danger):
        assert contrast(colour, palette.surface) >= 4.5, colour
    sheet = stylesheet(palette)
    assert 'QFrame[role="notice-row"][level="warning"]' in sheet
    assert palette.warning in sheet
    rules = re.sub(r"/\*.*?\*/", "", sheet, flags=re.DOTALL)
    assert not re.search(r"\{[a-z_]+\}", rules), "a palette entry is missing"


def test_every_role_the_banner_uses_is_styled(page: QWidget, board: NoticeBoard) -> None:
    banner = banner_on(page, board)
    board.post(Notice("file", "Not saved", NoticeLevel.WARNING, "a detail", action="Undo"))
    roles = {str(w.property("role")) for w in banner.findChildren(QWidget) if w.property("role")}
    assert roles == {
        "notice-row",
        "notice-level",
        "notice-text",
        "notice-detail",
        "notice-dismiss",
        "notice-action",
        "notice-more",
    }
    sheet = stylesheet(LIGHT)
    for role in roles:
        assert f'[role="{role}"]' in sheet, role


def test_the_banner_makes_its_rows_only_when_notices_need_them(
    page: QWidget, board: NoticeBoard
) -> None:
    banner = banner_on(page, board)
    assert banner.built_rows() == 0  # an empty banner costs no rows before the first paint
    board.post(Notice("voice", "The voice is off", NoticeLevel.WARNING))
    assert banner.built_rows() == 1
    assert [row.key for row in banner.rows()] == ["voice"]
    for n in range(5):
        board.post(Notice(f"file-{n}", f"File {n}", NoticeLevel.WARNING))
    assert banner.built_rows() == 3  # never more than it shows
    assert banner.more_label.text() == "and 3 more"
