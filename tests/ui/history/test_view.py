"""The history page as a person uses it: click, mark, export, import; live updates."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from si_timer.config.paths import resolve_paths
from si_timer.history.changes import HistoryChange
from si_timer.history.days import DayStatus
from si_timer.history.exchange import ExportFormat
from si_timer.history.model import DayMark, Outcome, SegmentKind, SegmentRecord, SessionStatus
from si_timer.history.store import HistoryStore
from si_timer.ui.history.notifier import HistoryNotifier
from si_timer.ui.history.view import HistoryView, PagePart, parts_showing
from tests.helpers.history_factories import fill_history, make_plan

TODAY = date(2025, 3, 14)  # a Friday
NOW = datetime(2025, 3, 14, 18, 0, tzinfo=UTC)


@pytest.fixture
def store() -> Iterator[HistoryStore]:
    opened, _ = HistoryStore.open(resolve_paths().database_file, now=lambda: NOW)
    with opened:
        # Two months up to yesterday: morning twice a day, strength once.
        fill_history(opened, date(2025, 1, 10), TODAY - timedelta(days=1), seed=3)
        yield opened


@pytest.fixture
def view(qtbot: QtBot, store: HistoryStore) -> HistoryView:
    notifier = HistoryNotifier(store)
    page = HistoryView(store, notifier, lambda: TODAY)
    notifier.setParent(page)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    qtbot.waitExposed(page)
    return page


def record_today(store: HistoryStore) -> str:
    """What the player does for one short session, as it happens."""
    plan = make_plan("strength")
    start = datetime(2025, 3, 14, 17, 0, tzinfo=UTC)
    sid = store.begin_session("strength", plan, started_at=start, utc_offset_minutes=60)
    for seg in plan["segments"]:
        store.record_segment(
            sid,
            SegmentRecord(
                seg["index"],
                SegmentKind(seg["kind"]),
                seg["exercise"],
                seg["side"],
                seg["set"],
                seg["rep"],
                seg["seconds"],
                seg["seconds"] or 30.0,
                Outcome.DONE,
                start + timedelta(seconds=seg["start"] + 30),
            ),
        )
    store.finish_session(sid, SessionStatus.COMPLETED, ended_at=start + timedelta(minutes=9))
    return sid


def test_opens_on_this_month_with_today_selected(view: HistoryView, store: HistoryStore) -> None:
    assert view.shown_month == (2025, 3)
    assert view.month_label.text() == "March 2025"
    assert view.calendar.selected == TODAY
    assert view.day_panel.title.text() == "Today, Friday 14 March"
    streaks = store.streaks(TODAY)
    assert view.current_card.value.text() == str(streaks.current) != "0"
    assert view.best_card.value.text() == str(streaks.best)
    assert "this week" in view.week_card.caption.text()


def test_clicking_a_day_lists_its_sessions(
    qtbot: QtBot, view: HistoryView, store: HistoryStore
) -> None:
    day = date(2025, 3, 12)
    rect = view.calendar.cell_rect(day)
    assert rect is not None
    qtbot.mouseClick(view.calendar, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert view.selected_day == day
    sessions = store.sessions_on(day)
    assert [c.session.id for c in view.day_panel.cards] == [s.id for s in sessions]
    first = view.day_panel.cards[0]
    assert sessions[0].routine_name in first.title.text()
    assert first.status.text() in ("Completed", "Partial", "Stopped early")
    assert view.day_panel.title.text() == "Wednesday 12 March 2025"


def test_notes_and_ratings_show_on_the_card(view: HistoryView, store: HistoryStore) -> None:
    noted = next(s for s in store.session_summaries() if s.note and s.pain_after is not None)
    view.select_day(noted.local_day)
    card = next(c for c in view.day_panel.cards if c.session.id == noted.id)
    assert card.note is not None
    assert noted.note in card.note.text()
    assert f"Pain {noted.pain_before} → {noted.pain_after}" in card.details[-1].text()


def test_month_buttons_and_today(qtbot: QtBot, view: HistoryView) -> None:
    qtbot.mouseClick(view.prev_button, Qt.MouseButton.LeftButton)
    assert view.month_label.text() == "February 2025"
    summary = view.calendar.summary
    assert summary is not None
    assert (summary.year, summary.month) == (2025, 2)
    cells = summary.cells_in_month()
    assert all(
        c.activity.status in (DayStatus.FULL, DayStatus.HALF, DayStatus.PARTIAL) for c in cells
    )
    view.step_month(-13)
    assert view.shown_month == (2024, 1)
    qtbot.mouseClick(view.today_button, Qt.MouseButton.LeftButton)
    assert view.shown_month == (2025, 3)
    assert view.selected_day == TODAY


def test_selecting_a_day_of_another_month_turns_the_page(view: HistoryView) -> None:
    view.select_day(date(2025, 1, 31))
    assert view.shown_month == (2025, 1)
    assert view.calendar.selected == date(2025, 1, 31)


def test_marking_a_day_updates_the_calendar_live(
    qtbot: QtBot, view: HistoryView, store: HistoryStore
) -> None:
    day = date(2025, 3, 20)  # ahead: planned rest
    view.select_day(day)
    with qtbot.waitSignal(view.day_panel.mark_requested):
        qtbot.mouseClick(view.day_panel.sick_button, Qt.MouseButton.LeftButton)
    assert store.day_marks() == {day: DayMark.SICK}
    cell = view.calendar.cell_at(day)
    assert cell is not None
    assert cell.activity.status is DayStatus.SICK
    assert view.day_panel.sick_button.isChecked()
    assert view.day_panel.clear_button.isEnabled()
    qtbot.mouseClick(view.day_panel.clear_button, Qt.MouseButton.LeftButton)
    assert store.day_marks() == {}
    cell = view.calendar.cell_at(day)
    assert cell is not None
    assert cell.activity.status is DayStatus.NONE
    assert not view.day_panel.clear_button.isEnabled()


def test_marking_a_day_while_another_si_timer_writes_says_so(
    qtbot: QtBot, view: HistoryView, store: HistoryStore
) -> None:
    import sqlite3

    store.set_busy_timeout(0.005)  # as the running app's store
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # `si-timer import` in a terminal
    try:
        with qtbot.waitSignal(view.message_shown) as shown:
            view.mark_day(date(2025, 3, 20), DayMark.REST)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert shown.args is not None
    assert shown.args[0].startswith("The day could not be marked: another si-timer is using it")
    assert store.day_marks() == {}


def test_a_finished_session_shows_without_reopening(
    qtbot: QtBot, view: HistoryView, store: HistoryStore
) -> None:
    before = int(view.week_card.value.text())
    cell = view.calendar.cell_at(TODAY)
    assert cell is not None
    assert cell.activity.status is DayStatus.NONE
    record_today(store)
    cell = view.calendar.cell_at(TODAY)
    assert cell is not None
    assert cell.activity.status is DayStatus.FULL
    assert int(view.week_card.value.text()) == before + 1
    assert len(view.day_panel.cards) == 1


def test_a_hidden_view_catches_up_when_shown(
    qtbot: QtBot, view: HistoryView, store: HistoryStore
) -> None:
    view.hide()
    record_today(store)
    cell = view.calendar.cell_at(TODAY)
    assert cell is not None
    assert cell.activity.status is DayStatus.NONE  # not re-queried while hidden
    view.show()
    qtbot.waitExposed(view)
    cell = view.calendar.cell_at(TODAY)
    assert cell is not None
    assert cell.activity.status is DayStatus.FULL


def test_sections_fill_when_opened(qtbot: QtBot, view: HistoryView, store: HistoryStore) -> None:
    assert view.heatmap.heatmap is None  # not built until looked at
    view.section_buttons[1].click()
    assert view.section == 1
    heat = view.heatmap.heatmap
    assert heat is not None
    assert heat.last == TODAY
    assert heat.active_days == len(
        {s.local_day for s in store.session_summaries(since=heat.first) if s.segments_done}
    )
    assert len(view.weekly.weeks) == 12
    view.section_buttons[2].click()
    assert len(view.pain.chart.weeks) > 4
    assert view.pain.chart.before.count() == sum(
        1 for w in view.pain.chart.weeks if w.before is not None
    )
    assert "on average" in view.pain.summary.text()
    view.section_buttons[3].click()
    assert view.section == 3
    assert view.section_buttons[3].isChecked()
    stats = store.exercise_stats()
    table = view.exercises.table
    assert table.rowCount() == len(stats)
    names = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert names == sorted(names, key=str.casefold)
    assert view.exercises.empty.isHidden()


def test_pain_range_changes_the_chart(view: HistoryView) -> None:
    view.show_section(2)
    view.pain.range.setCurrentIndex(0)  # last 3 months
    three = len(view.pain.chart.weeks)
    view.pain.range.setCurrentIndex(3)  # all time
    assert len(view.pain.chart.weeks) >= three
    assert view.pain.chart.weeks[0].week_start <= date(2025, 1, 10)


def test_clicking_the_heatmap_opens_that_day(qtbot: QtBot, view: HistoryView) -> None:
    view.show_section(1)
    day = date(2025, 2, 3)
    rect = view.heatmap.cell_rect(day)
    assert rect is not None
    qtbot.mouseClick(view.heatmap, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert view.section == 0
    assert view.section_buttons[0].isChecked()
    assert view.selected_day == day
    assert view.shown_month == (2025, 2)


def test_export_and_import_through_the_dialogs(
    qtbot: QtBot,
    view: HistoryView,
    store: HistoryStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "for-my-physio"
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        lambda *a, **k: (str(target), "Spreadsheet, one row per session (*.csv)"),
    )
    with qtbot.waitSignal(view.message_shown, timeout=20_000) as shown:
        view.export_action.trigger()
    written = target.with_name("for-my-physio.csv")
    with written.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == store.session_count()
    assert str(written) in shown.args[0]

    backup = tmp_path / "backup.json"
    with qtbot.waitSignal(view.transfer.finished, timeout=20_000):
        view.transfer.start_export(backup, ExportFormat.JSON)
    document = json.loads(backup.read_text(encoding="utf-8"))
    assert len(document["sessions"]) == store.session_count()
    session_id = document["session_columns"].index("id")  # a version-2 backup
    document["sessions"][0][session_id] = "from-the-laptop"
    backup.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(backup), ""))
    with qtbot.waitSignal(view.message_shown, timeout=20_000) as shown:
        view.import_button.click()
    assert shown.args[0].startswith("Imported 1 new session, 0 updated")
    assert not view.message_frame.isHidden()
    assert store.stored_session("from-the-laptop") is not None


def test_a_bad_import_is_explained_not_raised(
    qtbot: QtBot, view: HistoryView, tmp_path: Path
) -> None:
    bad = tmp_path / "holiday-photos.json"
    bad.write_text("[]", encoding="utf-8")
    with qtbot.waitSignal(view.transfer.failed, timeout=20_000):
        assert view.transfer.start_import(bad)
    assert "not a si-timer backup" in view.message.text()
    assert "Nothing was imported" in view.message.text()


def test_cancelled_dialogs_do_nothing(view: HistoryView, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    view.export_action.trigger()
    view.import_button.click()
    assert view.transfer.running is None
    assert view.message_frame.isHidden()


class QueryCounter:
    """Counts the store queries the view makes, by name."""

    NAMES = ("streaks", "month", "sessions_on", "heatmap", "pain_trend", "exercise_stats")

    def __init__(self, store: HistoryStore, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[str] = []
        for name in self.NAMES:
            monkeypatch.setattr(store, name, self._counted(name, getattr(store, name)))

    def _counted(self, name: str, query: Callable[..., object]) -> Callable[..., object]:
        def counted(*args: object, **kwargs: object) -> object:
            self.calls.append(name)
            return query(*args, **kwargs)

        return counted


def test_a_hidden_view_does_not_query_until_shown(
    qtbot: QtBot, view: HistoryView, store: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    queries = QueryCounter(store, monkeypatch)
    view.hide()
    record_today(store)
    store.set_day_mark(TODAY + timedelta(days=1), DayMark.REST)
    assert queries.calls == []
    assert PagePart.CALENDAR in view.stale
    view.show()
    qtbot.waitExposed(view)
    assert {"streaks", "month", "sessions_on"} <= set(queries.calls)
    assert "heatmap" not in queries.calls  # the year section is not open
    assert view.stale == {PagePart.YEAR, PagePart.PAIN, PagePart.EXERCISES}
    cell = view.calendar.cell_at(TODAY)
    assert cell is not None
    assert cell.activity.status is DayStatus.FULL


def test_segments_during_a_session_do_not_rebuild_the_page(
    view: HistoryView, store: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = make_plan("strength")
    start = datetime(2025, 3, 14, 17, 0, tzinfo=UTC)
    sid = store.begin_session("strength", plan, started_at=start, utc_offset_minutes=60)
    summary = view.calendar.summary
    waiting = view.stale  # the sections not opened yet
    assert PagePart.CALENDAR not in waiting
    queries = QueryCounter(store, monkeypatch)
    for seg in plan["segments"]:  # all of it: a completed session
        store.record_segment(
            sid,
            SegmentRecord(
                seg["index"],
                SegmentKind(seg["kind"]),
                seg["exercise"],
                seg["side"],
                seg["set"],
                seg["rep"],
                seg["seconds"],
                seg["seconds"] or 30.0,
                Outcome.DONE,
                start + timedelta(seconds=seg["start"] + 30),
            ),
        )
    assert queries.calls == []
    assert view.calendar.summary is summary  # not rebuilt
    assert view.stale == waiting
    # A rating touches the day and the pain journal, never the calendar.
    store.set_pain_before(sid, 4)
    assert queries.calls == ["sessions_on"]
    assert view.calendar.summary is summary
    assert view.stale == waiting | {PagePart.PAIN}
    store.finish_session(sid, SessionStatus.COMPLETED, ended_at=start + timedelta(minutes=9))
    assert view.calendar.summary is not summary
    cell = view.calendar.cell_at(TODAY)
    assert cell is not None
    assert cell.activity.status is DayStatus.FULL


@pytest.mark.parametrize(
    ("change", "parts"),
    [
        (HistoryChange(segments=True, session_id="s"), set()),
        (HistoryChange(ratings=True, session_id="s"), {PagePart.DAY, PagePart.PAIN}),
        (HistoryChange(marks=True), {PagePart.HEADER, PagePart.CALENDAR, PagePart.DAY}),
        (HistoryChange(sessions=True, session_id="s"), set(PagePart)),
        (HistoryChange(imported=True), set(PagePart)),
    ],
)
def test_each_part_reacts_only_to_what_it_shows(
    change: HistoryChange, parts: set[PagePart]
) -> None:
    assert parts_showing(change) == parts
