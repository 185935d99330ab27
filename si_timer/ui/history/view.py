"""The history page: calendar, streaks, the year, pain trend and exercise totals.

It only shows what the store answers and forwards what the person asks
(mark a day, export, import).  When the store announces a change, the view
marks the parts that show it stale and re-queries those on screen; the rest
catch up when shown (Anki's ``refresh_if_needed``).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import UTC, date, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFontMetrics, QKeySequence, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpacerItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from si_timer import words
from si_timer.history.changes import HistoryChange
from si_timer.history.days import DayActivity, local_offset_minutes
from si_timer.history.errors import HistoryError, HistoryUnavailableError
from si_timer.history.model import DayMark
from si_timer.history.pain_journal import JournalEntry
from si_timer.history.store import HistoryStore
from si_timer.ui.history.calendar import CalendarLegend, MonthCalendar, month_title
from si_timer.ui.history.charts import PainPanel
from si_timer.ui.history.day import DayPanel
from si_timer.ui.history.exercises import ExerciseTable, day_text
from si_timer.ui.history.heatmap import YearHeatmap
from si_timer.ui.history.notifier import HistoryNotifier
from si_timer.ui.history.pain_list import JournalList
from si_timer.ui.history.style import set_text_size, text_size_style
from si_timer.ui.history.transfer import HistoryTransfer
from si_timer.ui.history.weeks import WeeklyBars


class PagePart(enum.Enum):
    """A part of the page that is re-queried on its own."""

    HEADER = enum.auto()  # streaks and this week
    CALENDAR = enum.auto()  # the month's days (refreshing it refreshes the day too)
    DAY = enum.auto()  # the selected day's sessions, ratings and mark
    YEAR = enum.auto()  # heatmap and weekly totals
    PAIN = enum.auto()  # the pain journal
    EXERCISES = enum.auto()  # totals per exercise


# The parts of each section, in the order of the section buttons.
_SECTION_PARTS: tuple[frozenset[PagePart], ...] = (
    frozenset({PagePart.CALENDAR, PagePart.DAY}),
    frozenset({PagePart.YEAR}),
    frozenset({PagePart.PAIN}),
    frozenset({PagePart.EXERCISES}),
)


def parts_showing(change: HistoryChange) -> frozenset[PagePart]:
    """The parts of the page a change may have put out of date.

    A segment alone touches none: the running session's totals count once it
    finishes or is kept, which announces ``sessions`` (see history/changes.py).
    """
    parts: set[PagePart] = set()
    if change.sessions or change.imported:
        parts.update(PagePart)
    if change.marks:
        parts.update({PagePart.HEADER, PagePart.CALENDAR, PagePart.DAY})
    if change.ratings:
        parts.update({PagePart.DAY, PagePart.PAIN})
    if change.pain:
        parts.add(PagePart.PAIN)
    return frozenset(parts)


class StatCard(QFrame):
    """A big number with a caption and a detail line (streaks, this week)."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "panel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.setSpacing(12)
        self.value = QLabel("0")
        set_text_size(self.value, 2.1, bold=True)
        self.value.setAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.value)
        text = QVBoxLayout()
        text.setSpacing(0)
        # On a narrow window the three cards share little room: their words wrap.
        self.caption = QLabel(caption)
        set_text_size(self.caption, bold=True)
        self.caption.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setProperty("role", "muted")
        self.detail.setWordWrap(True)
        text.addStretch(1)
        text.addWidget(self.caption)
        text.addWidget(self.detail)
        text.addStretch(1)
        layout.addLayout(text, 1)

    def set(self, value: str, caption: str, detail: str) -> None:
        self.value.setText(value)
        self.caption.setText(caption)
        self.detail.setText(detail)
        self.setAccessibleName(f"{value} {caption}. {detail}")


def _day_text(day: date | None) -> str:
    return day_text(day)


class HistoryView(QWidget):
    """The calendar and history page.

    ``export_action`` and ``import_action`` run ``transfer`` (a
    :class:`HistoryTransfer`; the app may share its own), whose results the
    page shows in its notice bar; the main window may put them in its menu too.

    Signals:
        day_selected(object): the day in the day panel changed (``datetime.date``).
        message_shown(str): the view told the person something (export, import).
        home_requested(): the person wants to go back to the home screen.
        report_requested(): the person wants the report for their physio.
    """

    day_selected = Signal(object)
    message_shown = Signal(str)
    home_requested = Signal()
    report_requested = Signal()

    def __init__(
        self,
        store: HistoryStore,
        notifier: HistoryNotifier,
        today: Callable[[], date],
        parent: QWidget | None = None,
        *,
        transfer: HistoryTransfer | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.transfer = transfer or HistoryTransfer(store, self, today=today)
        self.transfer.finished.connect(self.show_message)
        self.transfer.failed.connect(self.show_message)
        if transfer is None:
            # The write went through the transfer's own connection, so the
            # store announced nothing: announce it for every view.
            self.transfer.imported.connect(notifier.merged)
        self._today = today
        self._now = now
        self._stale: set[PagePart] = set()
        current = today()
        self._year, self._month = current.year, current.month
        self._selected = current

        # No shortcuts here: the main window owns its menu's keys.
        self.export_action = QAction("&Export history…", self)
        self.export_action.triggered.connect(self.transfer.export_dialog)
        self.import_action = QAction("&Import a backup…", self)
        self.import_action.triggered.connect(self.transfer.import_dialog)

        root = self._root = QVBoxLayout(self)
        root.setContentsMargins(28, 18, 28, 16)
        root.setSpacing(12)
        root.addLayout(self._build_header())
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message_frame = QFrame()
        self.message_frame.setProperty("role", "notice")
        self.message_frame.setFrameShape(QFrame.Shape.StyledPanel)
        bar = QHBoxLayout(self.message_frame)
        bar.setContentsMargins(12, 6, 6, 6)
        bar.addWidget(self.message, 1)
        close = QPushButton("Close")
        close.clicked.connect(self.message_frame.hide)
        bar.addWidget(close)
        self.message_frame.hide()
        root.addWidget(self.message_frame)

        # The sections, chosen with a row of buttons styled like the app's
        # other choices (a QTabBar cannot be restyled without colours).
        self.pages = QStackedWidget()
        switcher = QHBoxLayout()
        switcher.setSpacing(6)
        self.section_group = QButtonGroup(self)
        self.section_buttons: list[QPushButton] = []
        for index, (title, page) in enumerate(
            (
                ("Calendar", self._build_month_tab()),
                ("Year and weeks", self._build_year_tab()),
                ("Pain journal", self._build_pain_tab()),
                ("Exercises", self._build_exercise_tab()),
            )
        ):
            button = QPushButton(title)
            button.setCheckable(True)
            button.setProperty("role", "choice")
            button.setShortcut(QKeySequence(f"Alt+{index + 1}"))
            button.setToolTip(f"{title} (Alt+{index + 1})")
            self.section_group.addButton(button, index)
            self.section_buttons.append(button)
            switcher.addWidget(button)
            self.pages.addWidget(page)
        switcher.addStretch(1)
        # The sections' row has room to spare at its end: the page's one document.
        self.report_button = QPushButton("Report for your physio…")
        self.report_button.setToolTip(
            "A PDF of your sessions, exercises, pain and notes for your physiotherapist"
        )
        self.report_button.clicked.connect(self.report_requested)
        switcher.addWidget(self.report_button)
        self.section_buttons[0].setChecked(True)
        self.section_group.idClicked.connect(self.show_section)
        root.addLayout(switcher)
        root.addWidget(self.pages, 1)

        notifier.history_changed.connect(self._history_changed)
        self.refresh()

    # --- building ------------------------------------------------------------

    def _build_header(self) -> QHBoxLayout:
        header = QHBoxLayout()
        header.setSpacing(12)
        home = QPushButton("‹  Home")
        home.setAccessibleName("Back to the home screen")
        home.setToolTip("Back to the home screen (Ctrl+H)")
        home.clicked.connect(self.home_requested)
        header.addWidget(home)
        title = self.title = QLabel("History")
        title.setProperty("role", "title")
        # Large where there is room; smaller on a narrow window, beside the cards.
        self._title_styles = (
            text_size_style(title, 1.9, bold=True),
            text_size_style(title, 1.35, bold=True),
        )
        title.setStyleSheet(self._title_styles[0])
        header.addWidget(title)
        header.addSpacing(8)
        self.current_card = StatCard("day streak")
        self.best_card = StatCard("best streak")
        self.week_card = StatCard("this week")
        for card in (self.current_card, self.best_card, self.week_card):
            header.addWidget(card, 1)
        buttons = QVBoxLayout()
        buttons.setSpacing(6)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save your history as a spreadsheet, calendar or backup")
        self.export_button.clicked.connect(self.export_action.trigger)
        self.import_button = QPushButton("Import…")
        self.import_button.setToolTip("Merge a backup from another computer or a daily backup")
        self.import_button.clicked.connect(self.import_action.trigger)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.import_button)
        header.addLayout(buttons)
        return header

    def _build_month_tab(self) -> QWidget:
        tab = QWidget()
        layout = self._month_layout = QHBoxLayout(tab)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(20)
        left = QVBoxLayout()
        left.setSpacing(6)
        nav = QHBoxLayout()
        self.prev_button = QPushButton("‹")
        self.prev_button.setAccessibleName("Previous month")
        self.prev_button.setToolTip("Previous month (Page Up)")
        self.next_button = QPushButton("›")
        self.next_button.setAccessibleName("Next month")
        self.next_button.setToolTip("Next month (Page Down)")
        for button in (self.prev_button, self.next_button):
            button.setFixedWidth(48)
        self.prev_button.clicked.connect(lambda: self.step_month(-1))
        self.next_button.clicked.connect(lambda: self.step_month(1))
        self.month_label = QLabel()
        set_text_size(self.month_label, 1.4, bold=True)
        # As wide as the longest month, so the arrows stay put from month to month.
        self.month_label.ensurePolished()
        metrics = QFontMetrics(self.month_label.font())
        self.month_label.setMinimumWidth(
            max(metrics.horizontalAdvance(month_title(2000, m)) for m in range(1, 13)) + 16
        )
        self.month_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.today_button = QPushButton("Today")
        self.today_button.clicked.connect(self.go_to_today)
        self.month_facts = QLabel()
        self.month_facts.setProperty("role", "muted")
        self.month_facts.setWordWrap(True)
        self.month_facts.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        nav.addWidget(self.prev_button)
        nav.addWidget(self.month_label)
        nav.addWidget(self.next_button)
        nav.addSpacing(6)
        nav.addWidget(self.today_button)
        nav.addWidget(self.month_facts, 1)  # takes the row's rest; wraps when narrow
        left.addLayout(nav)
        self.calendar = MonthCalendar()
        self.calendar.day_selected.connect(self.select_day)
        self.calendar.month_step_requested.connect(self.step_month)
        left.addWidget(self.calendar, 1)
        self.legend = CalendarLegend()
        left.addWidget(self.legend)
        layout.addLayout(left, 5)
        self.day_panel = DayPanel()
        self.day_panel.mark_requested.connect(self.mark_day)
        layout.addWidget(self.day_panel, 3)
        return tab

    def _build_year_tab(self) -> QWidget:
        tab = QWidget()
        layout = self._year_layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 14, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self._section("MINUTES PER DAY, LAST 12 MONTHS"))
        self.heatmap = YearHeatmap()
        self.heatmap.day_selected.connect(self._open_day)
        layout.addWidget(self.heatmap)
        self._year_gap = QSpacerItem(0, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        layout.addSpacerItem(self._year_gap)
        layout.addWidget(self._section("WEEKLY TOTALS, LAST 12 WEEKS"))
        self.weekly = WeeklyBars()
        layout.addWidget(self.weekly, 1)
        return tab

    def _build_pain_tab(self) -> QWidget:
        tab = QWidget()
        layout = QHBoxLayout(tab)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(24)
        self.pain = PainPanel()
        self.pain.range_changed.connect(self._refresh_pain)
        layout.addWidget(self.pain, 3)
        self.journal = JournalList()
        self.journal.pain_logged.connect(self.log_pain)
        self.journal.note_saved.connect(self.save_note)
        layout.addWidget(self.journal, 2)
        return tab

    def log_pain(self, pain: int, note: str) -> None:
        """Pain felt now, without a session (the store announces it; the list follows)."""
        now = self._now()
        self._write(
            lambda: self.store.log_pain(
                pain, note or None, at=now, utc_offset_minutes=local_offset_minutes(now)
            )
        )

    def save_note(self, entry: JournalEntry, note: str) -> None:
        if entry.pain_entry_id is not None:
            pain_id = entry.pain_entry_id
            self._write(lambda: self.store.set_pain_entry_note(pain_id, note or None))
        elif entry.session_id is not None:
            session_id = entry.session_id
            self._write(lambda: self.store.set_note(session_id, note or None))

    def _write(self, write: Callable[[], object]) -> None:
        try:
            write()
        except HistoryError as error:
            self.show_message(f"Could not save to your history: {error}")

    def _build_exercise_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 12, 0, 0)
        self.exercises = ExerciseTable()
        layout.addWidget(self.exercises)
        return tab

    @staticmethod
    def _section(text: str) -> QLabel:
        label = QLabel(text)
        label.setProperty("role", "section")
        return label

    # --- refreshing ------------------------------------------------------------

    def refresh(self) -> None:
        """Re-query everything on screen; other sections catch up when opened."""
        self._stale = set(PagePart)
        self._refresh_if_needed()

    @property
    def stale(self) -> frozenset[PagePart]:
        """The parts waiting to be re-queried when they are next shown."""
        return frozenset(self._stale)

    def _history_changed(self, change: HistoryChange) -> None:
        self._stale |= parts_showing(change)
        if self.isVisible():
            self._refresh_if_needed()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._fit(event.size().width(), event.size().height())
        super().resizeEvent(event)

    def _fit(self, width: int, height: int) -> None:
        """A smaller title on a narrow window, less air on a short one (a 1024×600
        laptop), so the cards keep their words and the calendar its rows."""
        style = self._title_styles[0 if width >= 1200 else 1]
        if self.title.styleSheet() != style:  # a new sheet re-polishes the label
            self.title.setStyleSheet(style)
        short = height < 650
        self._root.setContentsMargins(28, 10 if short else 18, 28, 8 if short else 16)
        self._root.setSpacing(8 if short else 12)
        self._month_layout.setContentsMargins(0, 4 if short else 12, 0, 0)
        # The year's heatmap and bars need their height: less air between them.
        self._year_layout.setContentsMargins(0, 4 if short else 14, 0, 0)
        self._year_layout.setSpacing(4 if short else 8)
        self._year_gap.changeSize(
            0, 4 if short else 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed
        )
        self._year_layout.invalidate()

    def showEvent(self, event: QShowEvent) -> None:
        self._refresh_if_needed()
        super().showEvent(event)

    def _refresh_if_needed(self) -> None:
        """Re-query the stale parts on screen: the header and the open section."""
        if not self._stale:
            return
        today = self._today()
        if PagePart.HEADER in self._stale:
            self._refresh_header(today)
        shown = self._stale & _SECTION_PARTS[self.pages.currentIndex()]
        if PagePart.CALENDAR in shown:
            self._refresh_month()
        elif PagePart.DAY in shown:
            self._refresh_day(today)
        elif PagePart.YEAR in shown:
            self._refresh_year()
        elif PagePart.PAIN in shown:
            self._refresh_pain()
        elif PagePart.EXERCISES in shown:
            self._refresh_exercises()

    @property
    def section(self) -> int:
        """The section shown: 0 calendar, 1 year and weeks, 2 pain, 3 exercises."""
        return self.pages.currentIndex()

    def show_section(self, index: int) -> None:
        self.section_buttons[index].setChecked(True)
        self.pages.setCurrentIndex(index)
        self._refresh_if_needed()

    def _refresh_header(self, today: date) -> None:
        self._stale.discard(PagePart.HEADER)
        streaks = self.store.streaks(today)
        since = (
            f"since {_day_text(streaks.current_since)}"
            if streaks.current
            else "do a session to start one"
        )
        self.current_card.set(
            str(streaks.current), "day streak" if streaks.current == 1 else "days in a row", since
        )
        best = (
            words.date_span_text(streaks.best_since, streaks.best_until)
            if streaks.best_since and streaks.best_until
            else "rest and sick days never break it"
        )
        self.best_card.set(str(streaks.best), "best streak", best)
        (week,) = self.store.weekly_totals(today, weeks=1)
        self.week_card.set(
            str(week.sessions),
            "session this week" if week.sessions == 1 else "sessions this week",
            f"{words.active_time_text(week.minutes * 60)} · {week.active_days} of 7 days",
        )

    def _refresh_month(self) -> None:
        self._stale.discard(PagePart.CALENDAR)
        today = self._today()
        summary = self.store.month(self._year, self._month, today)
        self.calendar.set_summary(summary)
        self.calendar.set_selected(self._selected)
        self.month_label.setText(month_title(self._year, self._month))
        cells = summary.cells_in_month()
        active = sum(1 for c in cells if c.activity.counts_for_streak)
        minutes = sum(c.activity.active_seconds for c in cells)
        # When the line wraps, "3 h 06 min" stays whole.
        time = words.active_time_text(minutes).replace(" ", "\N{NO-BREAK SPACE}")
        self.month_facts.setText(f"{active} active day{'s' if active != 1 else ''} · {time}")
        self._refresh_day(today)

    def _refresh_day(self, today: date) -> None:
        self._stale.discard(PagePart.DAY)
        day = self._selected
        cell = self.calendar.cell_at(day)
        activity = cell.activity if cell else self.store.day_activity(day, day).get(day)
        sessions = self.store.sessions_on(day)
        self.day_panel.show_day(
            activity or DayActivity(day),
            sessions,
            today=today,
            skipped_pain=self.store.skipped_pain_by_session(since=day, until=day),
            recording=frozenset(s.id for s in sessions if self.store.is_recording(s.id)),
        )

    def _refresh_year(self) -> None:
        self._stale.discard(PagePart.YEAR)
        today = self._today()
        self.heatmap.set_heatmap(self.store.heatmap(today))
        self.weekly.set_weeks(self.store.weekly_totals(today, weeks=12))

    def _refresh_pain(self) -> None:
        self._stale.discard(PagePart.PAIN)
        today = self._today()
        since = self.pain.since(today)
        self.pain.set_trend(self.store.pain_trend(since), today)
        self.journal.set_entries(self.store.journal(since))

    def _refresh_exercises(self) -> None:
        self._stale.discard(PagePart.EXERCISES)
        self.exercises.set_stats(self.store.exercise_stats())

    # --- what the person asks ----------------------------------------------------

    @property
    def shown_month(self) -> tuple[int, int]:
        return self._year, self._month

    @property
    def selected_day(self) -> date:
        return self._selected

    def show_month(self, year: int, month: int) -> None:
        self._year, self._month = year, month
        self._refresh_month()

    def step_month(self, step: int) -> None:
        index = self._year * 12 + (self._month - 1) + step
        self.show_month(index // 12, index % 12 + 1)

    def go_to_today(self) -> None:
        self.select_day(self._today())

    def select_day(self, day: date) -> None:
        """Show ``day`` in the day panel (and its month in the calendar)."""
        self._selected = day
        if (day.year, day.month) != (self._year, self._month):
            self._year, self._month = day.year, day.month
            self._refresh_month()
        else:
            self.calendar.set_selected(day)
            self._refresh_day(self._today())
        self.day_selected.emit(day)

    def _open_day(self, day: date) -> None:
        self.show_section(0)
        self.select_day(day)

    def mark_day(self, day: date, mark: DayMark | None) -> None:
        # The store announces the write; the refresh follows from that.
        try:
            self.store.set_day_mark(day, mark)
        except HistoryUnavailableError as error:  # another si-timer writes (an import)
            self.show_message(f"The day could not be marked: {error.reason}.")

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message_frame.show()
        self.message_shown.emit(text)
