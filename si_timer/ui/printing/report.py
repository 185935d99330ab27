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
from si_timer.ui.printing.pdf import GREY, INK, BlockKind, PageSize, PdfFlow, font
from si_timer.ui.printing.table import Column, Row, Table
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
    with report_flow(report, path, size) as flow:
        lay_out_report(flow, report)
        return flow.page


def report_flow(report: ClinicianReport, path: Path, size: PageSize = PageSize.A4) -> PdfFlow:
    """The PDF the report is laid out on (enter it to write)."""
    return PdfFlow(path, size, report_title(report), footer=f"SI Timer · {report_title(report)}")


def lay_out_report(flow: PdfFlow, report: ClinicianReport) -> None:
    """The report, section by section, down ``flow``'s pages."""
    _head(flow, report)
    if report.empty:
        flow.paragraph(
            f"Nothing was recorded from {date_text(report.first)} to {date_text(report.last)}.",
            font(10),
        )
        return
    _weeks(flow, report)
    _pain(flow, report)
    _exercises(flow, report)
    _difficulty(flow, report)
    _routines(flow, report)
    _notes(flow, report)


def _section(flow: PdfFlow, title: str, keep_with: float = 0.0) -> None:
    """A section's title, kept with ``keep_with`` points of what follows (a table's
    header and first rows)."""
    flow.space(12)
    flow.heading(title, 12.5, after=3, keep_with=keep_with)


CAPTION_SIZE = 7.5


def _caption(flow: PdfFlow, text: str) -> None:
    """A grey note about the table or figure just above; keep it with that by giving
    :func:`_caption_height` to the table's ``tail`` (or the figure's reserve)."""
    flow.paragraph(text, font(CAPTION_SIZE), color=GREY, after=2, kind=BlockKind.CAPTION)


def _caption_height(flow: PdfFlow, text: str) -> float:
    return flow.text_height(text, font(CAPTION_SIZE))


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
    rows: list[Row] = []
    for week in report.weeks:
        cells = [week.label, str(week.sessions)]
        if planned:
            cells.append(f"{week.planned_done} of {week.planned}" if week.planned else "–")
        cells += [
            str(week.completed),
            f"{week.active_days} of {(week.last - week.first).days + 1}",
            week.time_text,
        ]
        rows.append(Row(tuple(cells)))
    total_days = (report.last - report.first).days + 1
    cells = ["All", str(report.sessions)]
    if planned:
        cells.append(f"{report.planned_done} of {report.planned}" if report.planned else "–")
    cells += [
        str(sum(w.completed for w in report.weeks)),
        f"{sum(w.active_days for w in report.weeks)} of {total_days}",
        active_time_text(sum(w.active_seconds for w in report.weeks)),
    ]
    rows.append(Row(tuple(cells), bold=True))
    caption = (
        "Completed: every exercise done, or stopped because it hurt. "
        "Days active: days with some exercise done."
    )
    tail = _caption_height(flow, caption)
    _section(flow, "Sessions per week", table.lead_height(rows, tail))
    table.rows(rows, tail=tail)
    _caption(flow, caption)


def _pain(flow: PdfFlow, report: ClinicianReport) -> None:
    if not report.pain:
        _section(flow, "Pain over time")
        flow.paragraph("No pain ratings in these weeks.", font(9))
        return
    each = "day" if bucket_days(report.first, report.last) == 1 else "week"
    caption = f"Each {each}'s mean rating; 0 = no pain, 10 = worst."
    # The title, the chart and its caption on one page.
    _section(flow, "Pain over time", CHART_HEIGHT + _caption_height(flow, caption))
    flow.block(
        CHART_HEIGHT,
        lambda painter, rect: paint_pain_chart(
            painter, rect, report.pain, report.first, report.last
        ),
    )
    _caption(flow, caption)


def _exercises(flow: PdfFlow, report: ClinicianReport) -> None:
    if not report.exercises:
        return
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
    rows: list[Row] = []
    for e in report.exercises:
        share = round(100 * e.reps_done / e.reps_total) if e.reps_total else 0
        rows.append(
            Row(
                (
                    e.name,
                    str(e.planned),
                    str(e.done),
                    str(e.partly),
                    str(e.skipped),
                    str(e.skipped_pain),
                    str(e.not_reached),
                    f"{share} %",
                )
            )
        )
    caption = (
        "Planned: sessions that included it. Hurt, stopped: skipped or stopped because it "
        "hurt. Not reached: the session ended before it."
    )
    tail = _caption_height(flow, caption)
    _section(flow, "Each exercise", table.lead_height(rows, tail))
    table.rows(rows, tail=tail)
    _caption(flow, caption)


def _difficulty(flow: PdfFlow, report: ClinicianReport) -> None:
    if not report.difficulty:
        return
    words = [DIFFICULTY[d] for d, _ in report.difficulty[0].counts]
    table = Table(
        flow,
        [Column("Routine", 0.40)]
        + [Column(w, 0.15, right=True) for w in words]
        + [Column("Not rated", 0.15, right=True)],
    )
    rows = [
        Row((d.routine_name, *(str(n) for _, n in d.counts), str(d.unrated)))
        for d in report.difficulty
    ]
    _section(flow, "How hard it felt", table.lead_height(rows))
    table.rows(rows)


def _routines(flow: PdfFlow, report: ClinicianReport) -> None:
    if not report.routines:
        return
    name_font = font(9.5, bold=True)
    parts = []
    for routine in report.routines:
        table = Table(flow, [Column("Exercise", 0.36), Column("Dose, as last done", 0.64)])
        rows = [Row((dose.name, dose.dose)) for dose in routine.doses]
        often = f" · {routine.times_per_day} a day" if routine.times_per_day else ""
        name = (
            f"{routine.name}: {routine.sessions} sessions, {routine.completed} completed"
            f"{often} · about {routine.length_text}"
        )
        parts.append((name, table, rows))
    # The section's title keeps with the first routine's name and its table's lead.
    first_name, first_table, first_rows = parts[0]
    _section(
        flow,
        "Routines done and their doses",
        flow.text_height(first_name, name_font) + 1 + first_table.lead_height(first_rows),
    )
    for name, table, rows in parts:
        flow.paragraph(name, name_font, after=1, keep_with=table.lead_height(rows) + 1)
        table.rows(rows)
        flow.space(5)


def _notes(flow: PdfFlow, report: ClinicianReport) -> None:
    if not report.notes:
        _section(flow, "Notes")
        flow.paragraph("No notes in these weeks.", font(9))
        return
    shown = report.notes[-MAX_NOTES:]
    table = Table(
        flow,
        [Column("When", 0.15), Column("", 0.22), Column("Pain", 0.11), Column("Note", 0.52)],
    )
    rows = [
        Row(
            (
                f"{day_month_text(note.local_at.date())} {time_text(note.local_at)}",
                note.title,
                note.pain_text.removeprefix("Pain "),
                note.note,
            )
        )
        for note in shown
    ]
    left = len(report.notes) - len(shown)
    caption = f"{left} earlier note{'s' * (left != 1)} left out; the newest are shown."
    tail = _caption_height(flow, caption) if left else 0.0
    _section(flow, "Notes", table.lead_height(rows, tail))
    table.rows(rows, tail=tail)
    if left:
        _caption(flow, caption)
