"""The history page at the sizes people use: nothing cut, nothing sideways, nothing on top
of anything else."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import QEvent, QRect
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from si_timer.config.paths import resolve_paths
from si_timer.config.settings import Theme
from si_timer.history.model import DayMark
from si_timer.history.store import HistoryStore
from si_timer.ui.history.notifier import HistoryNotifier
from si_timer.ui.history.view import HistoryView
from si_timer.ui.theme import apply_theme
from tests.helpers.history_factories import fill_history

# A Wednesday in September: the longest day heading and month title there are.
TODAY = date(2025, 9, 17)
NOW = datetime(2025, 9, 17, 20, 0, tzinfo=UTC)
# The main window's menu bar takes this much of the window's height.
MENU_BAR = 24
SIZES = [(1024, 600), (1280, 720), (1920, 1080)]


@pytest.fixture
def themed() -> Iterator[QApplication]:
    """The app's own stylesheet: its font sizes and paddings are what must fit."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    palette = app.palette()
    apply_theme(app, Theme.LIGHT)
    yield app
    app.setStyleSheet("")
    app.setPalette(palette)


@pytest.fixture
def store() -> Iterator[HistoryStore]:
    opened, _ = HistoryStore.open(resolve_paths().database_file, now=lambda: NOW)
    with opened:
        # Seven weeks up to today, with a day off now and then and one marked rest day.
        fill_history(opened, TODAY - timedelta(weeks=7), TODAY, seed=11, skip_days=0.15)
        opened.set_day_mark(date(2025, 9, 7), DayMark.REST)
        yield opened


_windows: list[QWidget] = []


@pytest.fixture(autouse=True)
def _forget_windows() -> Iterator[None]:
    yield
    _windows.clear()


def _page(qtbot: QtBot, store: HistoryStore, width: int, height: int) -> HistoryView:
    notifier = HistoryNotifier(store)
    page = HistoryView(store, notifier, lambda: TODAY, now=lambda: NOW)
    notifier.setParent(page)
    # Like the main window, whose own minimum size overrides what its pages ask for:
    # a page that asks for more is squeezed, not given more.
    window = QWidget()
    window.setMinimumSize(800, 500)
    layout = QVBoxLayout(window)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(page)
    qtbot.addWidget(window)
    _windows.append(window)  # kept alive for the test; qtbot closes it
    window.resize(width, height - MENU_BAR)
    window.show()
    qtbot.waitExposed(window)
    for _ in range(3):
        QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    QApplication.processEvents()
    assert page.size().toTuple() == (width, height - MENU_BAR)
    return page


def _place(widget: QWidget, page: QWidget) -> QRect:
    return QRect(widget.mapTo(page, widget.rect().topLeft()), widget.size())


def _cut(page: QWidget) -> list[str]:
    """Every visible label and button squeezed below what its text needs."""
    cut: list[str] = []
    widgets: list[QLabel | QPushButton] = [
        *page.findChildren(QLabel),
        *page.findChildren(QPushButton),
    ]
    for widget in widgets:
        if not widget.isVisibleTo(page) or not widget.text():
            continue
        need = widget.minimumSizeHint()
        if isinstance(widget, QLabel) and widget.wordWrap():
            fits = widget.heightForWidth(widget.width()) <= widget.height() + 1
        else:
            fits = widget.width() >= need.width() and widget.height() >= need.height()
        if not fits:
            cut.append(f"{widget.text()!r}: {widget.size().toTuple()} < {need.toTuple()}")
    return cut


def _name(widget: QWidget) -> str:
    text = getattr(widget, "text", None)
    return (
        f"{widget.metaObject().className()} {text()!r}"
        if callable(text)
        else (widget.metaObject().className())
    )


def _overlapping(parent: QWidget) -> list[str]:
    """Visible sibling widgets laid out on top of one another."""
    children = [
        c for c in parent.findChildren(QWidget) if c.parentWidget() is parent and c.isVisible()
    ]
    found = []
    for i, a in enumerate(children):
        for b in children[i + 1 :]:
            if a.geometry().intersects(b.geometry()):
                found.append(
                    f"{_name(a)} {a.geometry().getRect()} and {_name(b)} {b.geometry().getRect()}"
                )
    return found


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_nothing_is_cut_or_sideways(
    qtbot: QtBot, themed: QApplication, store: HistoryStore, width: int, height: int
) -> None:
    page = _page(qtbot, store, width, height)
    assert page.day_panel.cards, "today's sessions are listed"
    for day in (TODAY, TODAY - timedelta(days=1), date(2025, 9, 7)):
        page.select_day(day)
        QApplication.processEvents()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        QApplication.processEvents()
        for scroll in page.findChildren(QScrollArea):
            if scroll.isVisibleTo(page):
                assert not scroll.horizontalScrollBar().isVisible(), day
                inner = scroll.widget()
                assert inner is not None
                assert inner.width() <= scroll.viewport().width(), day
        assert _cut(page) == [], day


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_calendar_and_header_do_not_run_into_each_other(
    qtbot: QtBot, themed: QApplication, store: HistoryStore, width: int, height: int
) -> None:
    page = _page(qtbot, store, width, height)
    calendar, legend = page.calendar, page.legend
    assert not _place(calendar, page).intersects(_place(legend, page))
    assert calendar.height() >= calendar.minimumHeight()
    # The grid's last week row ends inside the calendar, above the legend.
    last = calendar.summary.weeks[-1][-1].day if calendar.summary else None
    assert last is not None
    rect = calendar.cell_rect(last)
    assert rect is not None
    assert rect.bottom() <= calendar.height()
    # The page title, the streak cards, the buttons; the day panel's parts.
    for parent in (page, page.day_panel, calendar.parentWidget()):
        assert parent is not None
        assert _overlapping(parent) == [], parent.metaObject().className()
    # And everything inside the page.
    for widget in page.findChildren(QWidget):
        if widget.isVisibleTo(page) and widget.parentWidget() is page:
            assert page.rect().contains(widget.geometry()), widget.metaObject().className()
