"""The history page at the sizes people use: nothing cut, nothing sideways, nothing on top
of anything else."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import QEvent, QRect, QRectF
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from si_timer import words
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


def _page(
    qtbot: QtBot, store: HistoryStore, width: int, height: int, today: date = TODAY
) -> HistoryView:
    notifier = HistoryNotifier(store)
    page = HistoryView(store, notifier, lambda: today, now=lambda: NOW)
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


SECTIONS = ["Calendar", "Year and weeks", "Pain journal", "Exercises"]


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    QApplication.processEvents()


def _sideways(page: QWidget) -> list[str]:
    """Every visible scrolling part (lists and tables too) that scrolls sideways."""
    found = []
    for area in page.findChildren(QAbstractScrollArea):
        if area.isVisibleTo(page) and area.horizontalScrollBar().isVisible():
            found.append(f"{_name(area)} {area.accessibleName()!r}")
    return found


def _items_past_the_edge(page: QWidget) -> list[str]:
    """List entries laid out wider than the list shows (wrapped for a width they do
    not get: cut short with "…", or scrolled sideways)."""
    found = []
    for view in page.findChildren(QListWidget):
        if not view.isVisibleTo(page):
            continue
        for row in range(view.count()):
            shown = view.visualRect(view.model().index(row, 0))
            if shown.right() >= view.viewport().width():
                found.append(f"{view.item(row).text()!r}: {shown.getRect()}")
    return found


def _outside(page: HistoryView, tab: QWidget) -> list[str]:
    """Visible parts of ``tab`` that reach past the page's edges (cut off there); what
    scrolls inside a list or scroll area may run on past them."""
    viewports = [area.viewport() for area in tab.findChildren(QAbstractScrollArea)]
    found = []
    for widget in tab.findChildren(QWidget):
        if any(port.isAncestorOf(widget) for port in viewports):
            continue
        visible = widget.isVisibleTo(page) and not widget.isWindow()
        if visible and not page.rect().contains(_place(widget, page)):
            found.append(f"{_name(widget)} at {_place(widget, page).getRect()}")
    return found


# A tenth smaller than the smallest, for the sections other than the calendar (which
# needs its six week rows of 40 points: 1024×600 is as small as it goes).
SECTION_SIZES = [
    pytest.param(section, width, height, id=f"{SECTIONS[section]}-{width}x{height}")
    for section in range(len(SECTIONS))
    for width, height in [*SIZES, (1366, 768), *([(922, 540)] if section else [])]
]


@pytest.mark.parametrize(("section", "width", "height"), SECTION_SIZES)
def test_every_section_fits(
    qtbot: QtBot,
    themed: QApplication,
    store: HistoryStore,
    width: int,
    height: int,
    section: int,
) -> None:
    """Each section shown in turn, at each size (and a tenth smaller than the
    smallest): nothing past the page's edges, nothing sideways, no text cut, no part
    on top of another."""
    page = _page(qtbot, store, width, height)
    page.show_section(section)
    _settle()
    tab = page.pages.currentWidget()
    assert tab is page.pages.widget(section)
    assert _sideways(page) == []
    assert _cut(page) == []
    assert _items_past_the_edge(page) == []
    assert _outside(page, tab) == []
    for parent in [tab, *tab.findChildren(QWidget)]:
        if parent.isVisibleTo(page):
            assert _overlapping(parent) == [], _name(parent)
    if section == 1:
        # The heatmap's month names and the bars' words are painted: each inside.
        labels = page.heatmap.month_labels()
        assert labels, "months are named"
        for text, rect in labels:
            assert QRectF(page.heatmap.rect()).contains(rect), (text, rect)
        assert page.weekly.labels_fit(), page.weekly.width()
    if section == 2:
        # The chart's week labels and its scale's title, each whole in its room.
        chart = page.pain.chart
        plot = chart.chart.plotArea()
        labels = chart.x_axis.categoriesLabels()
        assert len(labels) >= 2
        span = chart.x_axis.max() - chart.x_axis.min()
        steps = [b - a for a, b in itertools.pairwise(chart.x_axis.endValue(x) for x in labels)]
        room = plot.width() * min(steps) / span if steps else plot.width()
        metrics = QFontMetricsF(chart.x_axis.labelsFont())
        assert max(metrics.horizontalAdvance(x) for x in labels) < room, (labels, room)
        title = QFontMetricsF(chart.y_axis.titleFont())
        assert title.horizontalAdvance(chart.y_axis.titleText()) < plot.height(), plot.height()
    if section == 3:
        # Every exercise's name whole in its column (not "Doorway hamstring …").
        table = page.exercises.table
        assert table.rowCount() > 0
        assert table.columnWidth(0) >= page.exercises.name_room(), table.columnWidth(0)


@pytest.mark.parametrize(("width", "height"), [*SIZES, (922, 540)])
def test_a_month_begun_this_week_is_named_inside_the_heatmap(
    qtbot: QtBot, themed: QApplication, store: HistoryStore, width: int, height: int
) -> None:
    """On 1 October the heatmap's last column starts October: its name would run past
    the right edge where the grid fills the width."""
    page = _page(qtbot, store, width, height, today=date(2025, 10, 1))
    page.show_section(1)
    _settle()
    labels = page.heatmap.month_labels()
    assert labels[-1][0] == words.month_text(date(2025, 10, 1))
    for text, rect in labels:
        assert QRectF(page.heatmap.rect()).contains(rect), (text, rect, page.heatmap.width())
    for (_, before), (_, after) in itertools.pairwise(labels):
        assert before.right() < after.left(), (before, after)
