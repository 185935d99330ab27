"""The clinician's report as a PDF: the summary line first, then the detail, in 1-3 pages.

Lays out a :class:`~si_timer.history.report.ClinicianReport` on a
:class:`PdfFlow`; every number and word comes from the report, so what the
PDF says is what the tests of the report check.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPen

from si_timer.config.files import private_temp_beside
from si_timer.history.labels import DIFFICULTY
from si_timer.history.report import ClinicianReport
from si_timer.ui.printing.pain_chart import bucket_days, paint_pain_chart
from si_timer.ui.printing.pdf import GREY, INK, PageSize, PdfFlow, font
from si_timer.ui.printing.table import Column, Table
from si_timer.words import active_time_text, date_text, day_month_text, time_text

TITLE = "Home exercise report"
CHART_HEIGHT = 170.0
MAX_NOTES = 30  # the newest; more would push the report past three pages
BOX_PADDING = 8.0


def report_title(report: ClinicianReport) -> str:
    return f"{TITLE}, {report.span_text}"


def save_report_pdf(
    report: ClinicianReport, path: Path, size: PageSize = PageSize.A4, *, overwrite: bool = True
) -> int:
    """Write the report to ``path`` whole or not at all, owner-only (it is health data);
    returns the number of pages.  With ``overwrite`` False an existing file is never
    replaced (FileExistsError), not even one that appears meanwhile."""
    path = Path(path)
    if not overwrite and (path.exists() or path.is_symlink()):
        raise FileExistsError(path)
    fd, temp = private_temp_beside(path)
    os.close(fd)
    try:
        pages = write_report_pdf(report, temp, size)
        if overwrite:
            os.replace(temp, path)
        else:
            os.link(temp, path)  # fails if anything appeared at ``path``
            temp.unlink()
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return pages


def write_report_pdf(report: ClinicianReport, path: Path, size: PageSize = PageSize.A4) -> int:
    """Write the report to ``path``; returns the number of pages."""
    with PdfFlow(
        path, size, report_title(report), footer=f"SI Timer · {report_title(report)}"
    ) as flow:
        _head(flow, report)
        if report.empty:
            flow.paragraph(
                f"Nothing was recorded from {date_text(report.first)} to {date_text(report.last)}.",
                font(10),
            )
            return flow.page
        _weeks(flow, report)
        _pain(flow, report)
        _exercises(flow, report)
        _difficulty(flow, report)
        _routines(flow, report)
        _notes(flow, report)
        return flow.page


def _section(flow: PdfFlow, title: str) -> None:
    flow.space(12)
    flow.heading(title, 12.5, after=3)


def _caption(flow: PdfFlow, text: str) -> None:
    flow.paragraph(text, font(7.5), color=GREY, after=2)


def _head(flow: PdfFlow, report: ClinicianReport) -> None:
    flow.heading(TITLE, 18, after=2)
    flow.paragraph(
        f"{report.span_text} · from SI Timer, made on {date_text(report.made_on)}",
        font(9),
        color=GREY,
        after=10,
    )
    summary_font, detail_font = font(13.5, bold=True), font(9)
    inner = flow.width - 2 * BOX_PADDING
    heights = [flow.text_height(report.summary, summary_font, inner)]
    heights += [flow.text_height(line, detail_font, inner) for line in report.details]
    gap = 3.0
    height = (
        2 * BOX_PADDING + sum(heights) + gap * len(report.details) + (4 if report.details else 0)
    )

    def paint(painter: QPainter, rect: QRectF) -> None:
        painter.setPen(QPen(INK, 1.2))
        painter.drawRect(rect)
        y = rect.top() + BOX_PADDING
        left = rect.left() + BOX_PADDING
        flags = int(Qt.TextFlag.TextWordWrap)
        painter.setFont(summary_font)
        painter.drawText(QRectF(left, y, inner, heights[0]), flags, report.summary)
        y += heights[0] + 4
        painter.setFont(detail_font)
        for line, h in zip(report.details, heights[1:], strict=True):
            painter.drawText(QRectF(left, y, inner, h), flags, line)
            y += h + gap

    flow.block(height, paint)
    flow.space(6)


def _weeks(flow: PdfFlow, report: ClinicianReport) -> None:
    _section(flow, "Sessions per week")
    planned = report.goal is not None
    columns = [Column("Week", 0.23), Column("Sessions", 0.12, right=True)]
    if planned:
        columns.append(Column("Done of planned", 0.17, right=True))
    columns += [
        Column("Completed", 0.14, right=True),
        Column("Days active", 0.14, right=True),
        Column("Time exercised", 0.20, right=True),
    ]
    table = Table(flow, columns)
    for week in report.weeks:
        cells = [week.label, str(week.sessions)]
        if planned:
            cells.append(f"{week.planned_done} of {week.planned}" if week.planned else "–")
        cells += [
            str(week.completed),
            f"{week.active_days} of {(week.last - week.first).days + 1}",
            week.time_text,
        ]
        table.row(cells)
    total_days = (report.last - report.first).days + 1
    cells = ["All", str(report.sessions)]
    if planned:
        cells.append(f"{report.planned_done} of {report.planned}" if report.planned else "–")
    cells += [
        str(sum(w.completed for w in report.weeks)),
        f"{sum(w.active_days for w in report.weeks)} of {total_days}",
        active_time_text(sum(w.active_seconds for w in report.weeks)),
    ]
    table.row(cells, bold=True)
    _caption(
        flow,
        "Completed: every exercise done, or stopped because it hurt. "
        "Days active: days with some exercise done.",
    )


def _pain(flow: PdfFlow, report: ClinicianReport) -> None:
    _section(flow, "Pain over time")
    if not report.pain:
        flow.paragraph("No pain ratings in these weeks.", font(9))
        return
    flow.block(
        CHART_HEIGHT,
        lambda painter, rect: paint_pain_chart(
            painter, rect, report.pain, report.first, report.last
        ),
    )
    each = "day" if bucket_days(report.first, report.last) == 1 else "week"
    _caption(flow, f"Each {each}'s mean rating; 0 = no pain, 10 = worst.")


def _exercises(flow: PdfFlow, report: ClinicianReport) -> None:
    if not report.exercises:
        return
    _section(flow, "Each exercise")
    table = Table(
        flow,
        [
            Column("Exercise", 0.30),
            Column("Planned", 0.10, right=True),
            Column("Done", 0.09, right=True),
            Column("Partly", 0.09, right=True),
            Column("Skipped", 0.10, right=True),
            Column("Hurt, stopped", 0.12, right=True),
            Column("Not reached", 0.11, right=True),
            Column("Reps done", 0.09, right=True),
        ],
    )
    for e in report.exercises:
        share = round(100 * e.reps_done / e.reps_total) if e.reps_total else 0
        table.row(
            [
                e.name,
                str(e.planned),
                str(e.done),
                str(e.partly),
                str(e.skipped),
                str(e.skipped_pain),
                str(e.not_reached),
                f"{share} %",
            ]
        )
    _caption(
        flow,
        "Planned: sessions that included it. Hurt, stopped: skipped or stopped because it "
        "hurt. Not reached: the session ended before it.",
    )


def _difficulty(flow: PdfFlow, report: ClinicianReport) -> None:
    if not report.difficulty:
        return
    _section(flow, "How hard it felt")
    words = [DIFFICULTY[d] for d, _ in report.difficulty[0].counts]
    table = Table(
        flow,
        [Column("Routine", 0.40)]
        + [Column(w, 0.15, right=True) for w in words]
        + [Column("Not rated", 0.15, right=True)],
    )
    for d in report.difficulty:
        table.row([d.routine_name, *(str(n) for _, n in d.counts), str(d.unrated)])


def _routines(flow: PdfFlow, report: ClinicianReport) -> None:
    if not report.routines:
        return
    _section(flow, "Routines done and their doses")
    for routine in report.routines:
        often = f" · {routine.times_per_day} a day" if routine.times_per_day else ""
        flow.paragraph(
            f"{routine.name}: {routine.sessions} sessions, {routine.completed} completed"
            f"{often} · about {routine.length_text}",
            font(9.5, bold=True),
            after=1,
            keep_with=30,
        )
        table = Table(flow, [Column("Exercise", 0.36), Column("Dose, as last done", 0.64)])
        for dose in routine.doses:
            table.row([dose.name, dose.dose])
        flow.space(5)


def _notes(flow: PdfFlow, report: ClinicianReport) -> None:
    _section(flow, "Notes")
    if not report.notes:
        flow.paragraph("No notes in these weeks.", font(9))
        return
    shown = report.notes[-MAX_NOTES:]
    table = Table(
        flow,
        [Column("When", 0.15), Column("", 0.22), Column("Pain", 0.11), Column("Note", 0.52)],
    )
    for note in shown:
        when = f"{day_month_text(note.local_at.date())} {time_text(note.local_at)}"
        table.row([when, note.title, note.pain_text.removeprefix("Pain "), note.note])
    if len(report.notes) > len(shown):
        left = len(report.notes) - len(shown)
        _caption(flow, f"{left} earlier note{'s' * (left != 1)} left out; the newest are shown.")
