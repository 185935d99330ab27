"""The pain journal page: the list beside the chart, "Log pain now", notes edited."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from si_timer.config.paths import resolve_paths
from si_timer.history.model import SessionStatus
from si_timer.history.queries import PAIN_LOGGED
from si_timer.history.store import HistoryStore
from si_timer.ui.history.notifier import HistoryNotifier
from si_timer.ui.history.pain_list import entry_text
from si_timer.ui.history.view import HistoryView
from tests.helpers.history_factories import make_plan

TODAY = date(2025, 3, 14)
NOW = datetime(2025, 3, 14, 18, 30, tzinfo=UTC)


@pytest.fixture
def store() -> Iterator[HistoryStore]:
    opened, _ = HistoryStore.open(resolve_paths().database_file, now=lambda: NOW)
    with opened:
        yield opened


@pytest.fixture
def view(qtbot: QtBot, store: HistoryStore) -> HistoryView:
    notifier = HistoryNotifier(store)
    page = HistoryView(store, notifier, lambda: TODAY, now=lambda: NOW)
    notifier.setParent(page)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    qtbot.waitExposed(page)
    page.show_section(2)
    return page


def a_session_with_a_note(store: HistoryStore) -> str:
    start = NOW - timedelta(hours=10)
    sid = store.begin_session(
        "morning", make_plan("morning"), started_at=start, utc_offset_minutes=60, pain_before=5
    )
    store.finish_session(
        sid, SessionStatus.PARTIAL, ended_at=start + timedelta(minutes=9), note="Stiff"
    )
    return sid


def test_pain_logged_now_appears_in_the_list(view: HistoryView, store: HistoryStore) -> None:
    journal = view.journal
    assert journal.entries == ()
    assert journal.empty.isVisibleTo(journal)
    assert not journal.log_button.isEnabled()
    journal.pain.button(6).click()
    journal.new_note.setText("After gardening")
    journal.log_button.click()
    (logged,) = store.pain_entries()
    assert (logged.pain, logged.note, logged.at) == (6, "After gardening", NOW)
    (entry,) = journal.entries  # the store announced it; the list followed
    assert entry.title == PAIN_LOGGED
    assert journal.list.item(0).text() == entry_text(entry)
    assert "Pain 6 — After gardening" in journal.list.item(0).text()
    assert journal.new_note.text() == ""
    assert not journal.log_button.isEnabled()


def test_a_note_is_edited_in_place(view: HistoryView, store: HistoryStore) -> None:
    sid = a_session_with_a_note(store)
    store.log_pain(3, None, at=NOW, utc_offset_minutes=60)
    journal = view.journal
    assert [e.session_id is not None for e in journal.entries] == [False, True]
    journal.list.setCurrentRow(1)
    assert journal.note.text() == "Stiff"
    journal.note.setText("Stiff, better after cat-cow")
    journal.save_button.click()
    stored = store.stored_session(sid)
    assert stored is not None
    assert stored.note == "Stiff, better after cat-cow"
    # Still chosen after the refresh, showing the new note.
    assert journal.current() is not None
    assert journal.note.text() == "Stiff, better after cat-cow"
    journal.list.setCurrentRow(0)
    journal.note.setText("Twinge")
    journal.save_button.click()
    assert store.pain_entries()[0].note == "Twinge"
