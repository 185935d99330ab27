"""The report for your physio, from the app: choose the weeks, see the summary, save a PDF.

:class:`ReportDialog` asks for the dates and the paper and shows the report's
summary line as the dates change, so the person sees what it will say before
saving it.  :class:`ReportMaker` runs the whole request (dialog, file dialog,
PDF) and reports the result through its signals; the report takes a fraction
of a second for weeks of history, so it runs on the GUI thread.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QLocale, QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from si_timer.history.errors import HistoryError
from si_timer.history.queries import HistoryQueries
from si_timer.history.report import ClinicianReport, clinician_report, default_range
from si_timer.session.reminders import ReminderSlot
from si_timer.ui.printing.pdf import PageSize
from si_timer.ui.printing.report import save_report_pdf

PDF_FILTER = "PDF documents (*.pdf)"
DATE_FORMAT = "d MMM yyyy"


def default_page_size(locale: QLocale | None = None) -> PageSize:
    """Letter where US paper is the norm (the locale's measurement system), else A4."""
    system = (locale or QLocale()).measurementSystem()
    return PageSize.LETTER if system == QLocale.MeasurementSystem.ImperialUSSystem else PageSize.A4


def pdf_target(name: str) -> Path:
    """What the save dialog returned, ending in ``.pdf``."""
    path = Path(name)
    return path if path.suffix.lower() == ".pdf" else path.with_name(f"{path.name}.pdf")


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class ReportDialog(QDialog):
    """The report's first and last day (the last four weeks to start with) and its paper.

    ``preview(first, last)`` gives the summary line shown under the dates.
    """

    def __init__(
        self,
        today: date,
        preview: Callable[[date, date], str],
        parent: QWidget | None = None,
        *,
        page_size: PageSize | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Report for your physio — SI Timer")
        self._preview = preview
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        intro = QLabel(
            "A PDF of your sessions, each exercise, your pain ratings and notes, "
            "to print or send to your physiotherapist."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        first, last = default_range(today)
        self.first_edit = QDateEdit(_qdate(first))
        self.last_edit = QDateEdit(_qdate(last))
        for edit in (self.first_edit, self.last_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(DATE_FORMAT)
            edit.setMaximumDate(_qdate(today))
        self.first_edit.setAccessibleName("First day of the report")
        self.last_edit.setAccessibleName("Last day of the report")
        self.paper = QComboBox()
        for size, text in ((PageSize.A4, "A4"), (PageSize.LETTER, "US Letter")):
            self.paper.addItem(text, size)
        self.paper.setCurrentIndex(self.paper.findData(page_size or default_page_size()))
        form.addRow("From", self.first_edit)
        form.addRow("To", self.last_edit)
        form.addRow("Paper", self.paper)
        layout.addLayout(form)
        caption = QLabel("The report begins:")
        caption.setProperty("role", "muted")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        layout.addSpacing(4)
        layout.addWidget(caption)
        layout.addWidget(self.summary)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Save as PDF…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setProperty("role", "primary")
        self.save_button.setDefault(True)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.first_edit.dateChanged.connect(self._dates_changed)
        self.last_edit.dateChanged.connect(self._dates_changed)
        self._dates_changed()
        self.setMinimumWidth(540)  # the summary line fits on one line, mostly

    @property
    def first(self) -> date:
        return _date(self.first_edit.date())

    @property
    def last(self) -> date:
        return _date(self.last_edit.date())

    @property
    def page_size(self) -> PageSize:
        return PageSize(self.paper.currentData())

    def _dates_changed(self) -> None:
        # The last day can never come before the first.
        self.last_edit.setMinimumDate(self.first_edit.date())
        self.summary.setText(self._preview(self.first, self.last))


class ReportMaker(QObject):
    """One "report for your physio" request: dates, file, PDF.

    ``reminders()`` gives the reminder slots that say what was planned (empty
    when reminders are off).

    Signals:
        saved(object): the report was saved at this ``Path``.
        failed(str): it could not be saved; one line saying why.
    """

    saved = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        store: HistoryQueries,
        window: QWidget | None,
        *,
        today: Callable[[], date] = date.today,
        reminders: Callable[[], Sequence[ReminderSlot]] = tuple,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent if parent is not None else window)
        self._store = store
        self._window = window
        self._today = today
        self._reminders = reminders

    def report(self, first: date, last: date) -> ClinicianReport:
        return clinician_report(
            self._store, first, last, self._today(), reminders=self._reminders()
        )

    def preview(self, first: date, last: date) -> str:
        try:
            return self.report(first, last).summary
        except (HistoryError, sqlite3.Error) as error:
            return f"The history cannot be read right now: {error}"

    def ask(self) -> None:
        """The dialog, then where to save; nothing when the person cancels either."""
        dialog = ReportDialog(self._today(), self.preview, self._window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        first, last, size = dialog.first, dialog.last, dialog.page_size
        default = Path.home() / f"si-timer-report-{last.isoformat()}.pdf"
        name, _ = QFileDialog.getSaveFileName(
            self._window, "Save the report", str(default), PDF_FILTER
        )
        if name:
            self.save(first, last, pdf_target(name), size)

    def save(self, first: date, last: date, path: Path, size: PageSize) -> bool:
        """Write the report to ``path`` (the file dialog has asked before replacing)."""
        try:
            save_report_pdf(self.report(first, last), path, size)
        except (HistoryError, sqlite3.Error) as error:
            self.failed.emit(f"The report could not be made: {error}")
            return False
        except OSError as error:
            self.failed.emit(f"Could not save {path}: {error.strerror or error}.")
            return False
        self.saved.emit(path)
        return True
