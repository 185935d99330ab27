"""The home page at the sizes people use: every Start button reachable, never sideways."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QRect
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from si_timer.config.settings import Settings
from si_timer.library.catalog import Catalog, load_catalog
from si_timer.ui.home import HomeScreen, RoutineAction
from si_timer.ui.home_presenter import HomePresenter
from si_timer.ui.main_window import default_geometry


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _home(qtbot: QtBot, catalog: Catalog, width: int, height: int) -> HomeScreen:
    home = HomeScreen()
    qtbot.addWidget(home)
    home.resize(width, height)
    home.show()
    HomePresenter(home, catalog=lambda: catalog, settings=Settings, history=lambda: None).refresh()
    for _ in range(3):
        QApplication.processEvents()
    # Cards of an earlier build are deleted later; a running event loop would have.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    return home


@pytest.mark.parametrize(("width", "height"), [(1024, 600), (1280, 720), (1920, 1080)])
def test_every_start_button_is_reached_by_scrolling_down_only(
    qtbot: QtBot, catalog: Catalog, width: int, height: int
) -> None:
    home = _home(qtbot, catalog, width, height)
    scroll = home.routine_scroll
    assert not scroll.horizontalScrollBar().isVisible()
    holder = scroll.widget()
    assert holder.width() <= scroll.viewport().width()
    buttons = home.start_buttons()
    assert len(buttons) == len(catalog.routines)
    for button in buttons:
        place = QRect(button.mapTo(holder, button.rect().topLeft()), button.size())
        # Inside the scrolled page across, and inside its card (not cut off by a short card).
        assert place.left() >= 0, place
        assert place.right() <= scroll.viewport().width(), place
        card = button.parentWidget()
        assert card is not None
        assert card.rect().contains(QRect(button.pos(), button.size())), button.accessibleName()
        assert button.isVisibleTo(home)
    # Nothing on a card is squeezed below what its text needs.
    for label in holder.findChildren(QLabel):
        if label.isVisibleTo(home) and label.wordWrap() and label.text():
            assert label.heightForWidth(label.width()) <= label.height() + 1, label.text()


def test_cards_show_equipment_and_what_to_do_first(qtbot: QtBot, catalog: Catalog) -> None:
    home = _home(qtbot, catalog, 1280, 720)
    texts = [label.text() for label in home.routine_scroll.widget().findChildren(QLabel)]
    for routine in catalog.routines.values():
        needs = routine.equipment(catalog.exercises)
        if needs:
            assert "You need: " + ", ".join(needs) in texts, routine.id
        if routine.before_you_start:
            assert "Before you start: " + routine.before_you_start in texts, routine.id


def test_the_browser_button_asks_for_the_browser(qtbot: QtBot, catalog: Catalog) -> None:
    home = _home(qtbot, catalog, 1280, 720)
    with qtbot.waitSignal(home.browser_requested, timeout=500):
        home.browser_button.click()


def test_each_cards_menu_offers_its_handout(qtbot: QtBot, catalog: Catalog) -> None:
    home = _home(qtbot, catalog, 1024, 600)
    assert home.hero_routine_id == "morning"
    holder = home.routine_scroll.widget()
    menus = [b for b in holder.findChildren(QPushButton) if b.property("role") == "more"]
    assert len(menus) == len(catalog.routines)
    for button in menus:
        card = button.parentWidget()
        assert card is not None
        assert card.rect().contains(QRect(button.pos(), button.size())), button.accessibleName()
    (full,) = [b for b in menus if b.accessibleName() == "More for Full session"]
    menu = full.menu()
    assert menu is not None
    (item,) = [a for a in menu.actions() if a.text() == "Print a handout…"]
    with qtbot.waitSignal(home.handout_requested, timeout=500) as asked:
        item.trigger()
    assert asked.args == ["full"]


@pytest.mark.parametrize(
    ("free", "expected"),
    [
        (QRect(0, 0, 1280, 720), QRect(0, 0, 1280, 720)),
        (QRect(0, 27, 1366, 741), QRect(0, 27, 1366, 741)),
        (QRect(0, 0, 1920, 1080), QRect(192, 108, 1536, 864)),
        (QRect(0, 0, 3840, 2160), QRect(960, 480, 1920, 1200)),
    ],
)
def test_the_first_window_takes_a_sensible_share_of_the_screen(
    free: QRect, expected: QRect
) -> None:
    assert default_geometry(free) == expected


def test_each_card_offers_what_fits_whose_routine_it_is(qtbot: QtBot, tmp_path: Path) -> None:
    routines = tmp_path / "routines"
    routines.mkdir()
    # The person's version of a bundled routine, and one of their own.
    (routines / "evening.yaml").write_text(
        "id: evening\nname: My evening\nexercises: [knee-to-chest]\n"
    )
    (routines / "mine.yaml").write_text("id: mine\nname: Mine\nexercises: [cat-cow]\n")
    catalog = load_catalog(tmp_path / "exercises", routines)
    home = _home(qtbot, catalog, 1280, 720)

    def offered(routine_id: str) -> list[str]:
        return [action.text() for action in home.card_menu(routine_id).actions()]

    handout = ["", "Print a handout…"]  # after a separator, on every card
    assert offered("morning") == ["Duplicate", *handout]
    assert offered("evening") == ["Duplicate", "Reset to the original…", *handout]
    assert offered("mine") == ["Duplicate", "Rename…", "Delete…", *handout]
    texts = [label.text() for label in home.findChildren(QLabel)]
    assert "My evening  ·  your version" in texts
    assert "Mine  ·  yours" in texts
    with qtbot.waitSignal(home.routine_action_requested) as sent:
        home.card_menu("mine").actions()[2].trigger()
    assert sent.args == [RoutineAction.DELETE, "mine"]
    (edit,) = [b for b in home.findChildren(QPushButton) if b.accessibleName() == "Edit Mine"]
    with qtbot.waitSignal(home.routine_action_requested) as sent:
        edit.click()
    assert sent.args == [RoutineAction.EDIT, "mine"]
    with qtbot.waitSignal(home.new_routine_requested):
        home.new_routine_button.click()
