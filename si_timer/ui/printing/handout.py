"""A routine's handout as a vector PDF: one row per exercise, then the warning signs and a
ruled box for a physiotherapist's note.

Each row has the exercise's figure(s) on the left, its name, position and steps in
the middle, and its dose, sides and cautions on the right; sources are cited by a
letter and listed at the end, so five exercises fit one page and the full routine
two.  Figures are painted with the print palette (dark ink on white) and every
meaning is in words, so a black-and-white printer loses nothing.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from si_timer.config.files import write_private
from si_timer.figures.loader import figure_for
from si_timer.figures.pose import extent
from si_timer.records import record, replace
from si_timer.session.handout import SUGGESTED_MARK, Handout, HandoutExercise
from si_timer.ui.figure import FigurePainter, scenes_for
from si_timer.ui.printing.pdf import GREY, INK, RULE, PageSize, PdfFlow, font
from si_timer.ui.theme import PRINT

FIGURE_WIDTH = 110.0
FIGURE_MAX_HEIGHT = 62.0
DOSE_WIDTH = 145.0
GAP = 12.0
ROW_PAD = 4.0
WIDE = 1.4  # a figure this much wider than tall stacks its two shapes, one above the other
NOTE_LINE = 19.0  # points between the ruled lines of the note box
NOTE_MIN_HEIGHT = 100.0
NOTE_MAX_HEIGHT = 300.0  # a short routine's note box grows into the page, this far
SOURCES_GAP = 5.0
BOX_PAD = 8.0

_WRAP = int(Qt.TextFlag.TextWordWrap)


@record(frozen=True)
class _Line:
    """One wrapped piece of text in a column; ``hang`` is drawn to its left (a step's
    number, a bullet) and the text wraps beside it."""

    text: str
    font: QFont
    color: QColor
    hang: str
    after: float


class _Column:
    """Text pieces stacked down a column of one width: measured first, then painted."""

    def __init__(self, width: float, metrics: Callable[[QFont], QFontMetricsF]) -> None:
        self.width = width
        self._metrics = metrics
        self.lines: list[_Line] = []

    def add(
        self,
        text: str,
        f: QFont,
        *,
        color: QColor | None = None,
        hang: str = "",
        after: float = 2.0,
    ) -> None:
        if text:
            self.lines.append(_Line(text, f, QColor(color or INK), hang, after))

    def space(self, points: float) -> None:
        """More room below the last piece."""
        if self.lines:
            last = self.lines[-1]
            self.lines[-1] = replace(last, after=last.after + points)

    def _hang_width(self, line: _Line) -> float:
        return self._metrics(line.font).horizontalAdvance(line.hang + " ") if line.hang else 0.0

    def _height(self, line: _Line) -> float:
        width = self.width - self._hang_width(line)
        metrics = self._metrics(line.font)
        return metrics.boundingRect(QRectF(0, 0, width, 10_000), _WRAP, line.text).height()

    def height(self) -> float:
        total = sum(self._height(line) + line.after for line in self.lines)
        return total - (self.lines[-1].after if self.lines else 0.0)

    def paint(self, painter: QPainter, left: float, top: float) -> None:
        y = top
        for line in self.lines:
            hang = self._hang_width(line)
            height = self._height(line)
            painter.setFont(line.font)
            painter.setPen(line.color)
            if line.hang:
                painter.drawText(QRectF(left, y, hang, height), 0, line.hang)
            painter.drawText(QRectF(left + hang, y, self.width - hang, height), _WRAP, line.text)
            y += height + line.after


@record(frozen=True)
class Density:
    """Type and figure sizes: a long routine steps down a little to fit its pages."""

    scale: float = 1.0

    def font(self, size: float, *, bold: bool = False) -> QFont:
        f = font(size * self.scale, bold=bold)
        # No "fi"/"fl" ligatures: text copied or searched in the PDF reads as typed.
        for tag in ("liga", "clig"):
            f.setFeature(QFont.Tag(tag), 0)
        return f

    def label(self) -> QFont:
        """A small bold capital heading inside a row ("DOSE")."""
        f = self.font(6.5, bold=True)
        f.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
        return f


DENSITIES = (Density(1.0), Density(0.94), Density(0.88))


def page_goal(exercises: int) -> int:
    """The pages a handout should take: one for up to five exercises, else two."""
    return 1 if exercises <= 5 else 2


def source_keys(handout: Handout) -> dict[str, str]:
    """A letter for each cited source, in the order the handout first cites it."""
    keys: dict[str, str] = {}
    for item in handout.exercises:
        if item.source not in keys:
            keys[item.source] = chr(ord("A") + len(keys)) if len(keys) < 26 else str(len(keys))
    return keys


class _Row:
    """One exercise's row: figure cell, steps column and dose column.  The cautions go
    under the dose, or under the steps when that makes the row shorter."""

    def __init__(self, item: HandoutExercise, source_key: str, flow: PdfFlow, d: Density) -> None:
        self.item = item
        self.figure = figure_for(item.exercise)
        self.frame = extent(self.figure)
        self.label_font = d.font(6.5)
        labelled = any(shot.label for shot in item.shots)
        self.label_height = flow.metrics(self.label_font).height() + 1 if labelled else 0.0
        self.caption = _Column(FIGURE_WIDTH, flow.metrics)
        self.caption.add(item.shown, d.font(6.5), color=GREY)
        middle = flow.width - FIGURE_WIDTH - DOSE_WIDTH - 2 * GAP
        best: tuple[float, _Column, _Column] | None = None
        for under_steps in (False, True):
            steps, dose = self._steps(source_key, middle, flow, d), self._dose(flow, d)
            self._cautions(steps if under_steps else dose, d)
            height = max(steps.height(), dose.height())
            if best is None or height < best[0]:
                best = (height, steps, dose)
        assert best is not None
        text_height, self.steps, self.dose = best
        # The figures are as large as the cell's width allows, up to the row's text height
        # (or a least height, when the text is short).
        left, bottom, right, top = self.frame
        aspect = (top - bottom) / (right - left)  # height per width
        shots = len(item.shots)
        self.stacked = shots > 1 and 1 / aspect >= WIDE
        rows = shots if self.stacked else 1
        caption = 3 + self.caption.height() if self.caption.lines else 0.0
        room = max(FIGURE_MAX_HEIGHT * d.scale, text_height - caption) / rows - self.label_height
        across = FIGURE_WIDTH if self.stacked else FIGURE_WIDTH / shots
        shot_height = min(across * aspect, room)
        self.shot_size = (shot_height / aspect, shot_height)

    def _steps(self, source_key: str, width: float, flow: PdfFlow, d: Density) -> _Column:
        item = self.item
        steps = _Column(width, flow.metrics)
        steps.add(f"{item.number}.  {item.name}", d.font(9.5, bold=True), after=1)
        steps.add(f"{item.where} · source {source_key}", d.font(7.5), color=GREY, after=3)
        for number, step in enumerate(item.steps, 1):
            steps.add(step, d.font(8), hang=f"{number}.", after=1)
        return steps

    def _dose(self, flow: PdfFlow, d: Density) -> _Column:
        item = self.item
        dose = _Column(DOSE_WIDTH, flow.metrics)
        mark = f"\u00a0{SUGGESTED_MARK}" if item.suggested else ""  # never alone on a line
        dose.add("DOSE", d.label(), after=1)
        dose.add(_keep_units(item.dose) + mark, d.font(8, bold=True), after=1)
        if item.guide_dose:
            dose.add(f"Guide: {_keep_units(item.guide_dose)}", d.font(7), color=GREY)
        if item.sides:
            dose.space(2)
            dose.add(f"Sides: {item.sides[0].lower()}{item.sides[1:]}", d.font(7.5))
        return dose

    def _cautions(self, column: _Column, d: Density) -> None:
        if self.item.cautions:
            column.space(3)
        for caution in self.item.cautions:
            column.add(caution, d.font(7.5), hang="!", after=1)

    def figure_height(self) -> float:
        rows = len(self.item.shots) if self.stacked else 1
        height = rows * (self.shot_size[1] + self.label_height)
        if self.caption.lines:
            height += 3 + self.caption.height()
        return height

    def height(self) -> float:
        return max(self.figure_height(), self.steps.height(), self.dose.height()) + 2 * ROW_PAD

    def paint(self, painter: QPainter, rect: QRectF, figures: FigurePainter) -> None:
        top = rect.top() + ROW_PAD
        w, h = self.shot_size
        count = len(self.item.shots)
        for i, shot in enumerate(self.item.shots):
            if self.stacked:
                x, y = rect.left() + (FIGURE_WIDTH - w) / 2, top + i * (h + self.label_height)
            else:
                x, y = (
                    rect.left() + i * (FIGURE_WIDTH / count) + (FIGURE_WIDTH / count - w) / 2,
                    top,
                )
            scenes = scenes_for(self.figure, self.item.side, shot.pose_from, shot.pose_to, 1.0)
            figures.paint(painter, QRectF(x, y, w, h), scenes, frame=self.frame)
            if shot.label:
                painter.setFont(self.label_font)
                painter.setPen(INK)
                painter.drawText(
                    QRectF(x - GAP / 2, y + h, w + GAP, self.label_height),
                    int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                    shot.label,
                )
        rows = count if self.stacked else 1
        self.caption.paint(painter, rect.left(), top + rows * (h + self.label_height) + 3)
        self.steps.paint(painter, rect.left() + FIGURE_WIDTH + GAP, top)
        self.dose.paint(painter, rect.right() - DOSE_WIDTH, top)


def _boxes(flow: PdfFlow, handout: Handout, d: Density, leave: float) -> None:
    """The warning signs (a heavy box) and the physio's note (a ruled box), side by side;
    on a page with room to spare the note box grows (up to a limit), ``leave`` points
    above the page's foot."""
    half = (flow.width - GAP) / 2
    warn = _Column(half - 2 * BOX_PAD, flow.metrics)
    warn.add("Stop and see a professional", d.font(10.5, bold=True), after=2)
    warn.add(handout.warning_intro + ":", d.font(7.5), after=1.5)
    for sign in handout.warning_signs:
        warn.add(sign, d.font(7.5), hang="•", after=0.5)
    warn_height = warn.height() + 2 * BOX_PAD
    least = max(warn_height, NOTE_MIN_HEIGHT)
    spare = flow.room - leave
    height = least if spare < least else min(spare, max(least, NOTE_MAX_HEIGHT))
    title_font = d.font(10.5, bold=True)

    def paint(painter: QPainter, rect: QRectF) -> None:
        box = QRectF(rect.left(), rect.top(), half, min(rect.height(), warn_height))
        painter.setPen(QPen(INK, 2.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(box.adjusted(1, 1, -1, -1))
        warn.paint(painter, box.left() + BOX_PAD, box.top() + BOX_PAD)
        note = QRectF(rect.right() - half, rect.top(), half, rect.height())
        painter.setPen(QPen(INK, 0.8))
        painter.drawRect(note.adjusted(0.5, 0.5, -0.5, -0.5))
        painter.setFont(title_font)
        title = QRectF(note.left() + BOX_PAD, note.top() + BOX_PAD, half, 16)
        painter.drawText(title, 0, "Notes from your physiotherapist")
        painter.setPen(QPen(RULE, 0.6))
        y = title.bottom() + NOTE_LINE
        while y < note.bottom() - BOX_PAD / 2:  # lines to write on
            painter.drawLine(QPointF(note.left() + BOX_PAD, y), QPointF(note.right() - BOX_PAD, y))
            y += NOTE_LINE

    flow.block(height, paint)


def _paragraph(
    flow: PdfFlow, text: str, f: QFont, *, color: QColor = INK, after: float = 0.0
) -> None:
    """A wrapped paragraph measured on the page (in points, as it is drawn)."""
    column = _Column(flow.width, flow.metrics)
    column.add(text, f, color=color)
    if column.lines:
        flow.block(column.height(), lambda p, r: column.paint(p, r.left(), r.top()))
        flow.space(after)


def _header(flow: PdfFlow, handout: Handout, d: Density) -> None:
    _paragraph(flow, handout.title, d.font(18, bold=True), after=2)
    _paragraph(flow, handout.facts, d.font(9, bold=True), after=4)
    _paragraph(flow, handout.description, d.font(8.5), color=GREY, after=3)
    if handout.before_you_start:
        _paragraph(flow, f"Before you start: {handout.before_you_start}", d.font(8.5), after=5)
    # The principles in two columns: four short lines take the room of two.
    half = (flow.width - GAP) / 2
    columns = (_Column(half, flow.metrics), _Column(half, flow.metrics))
    split = (len(handout.principles) + 1) // 2
    for i, principle in enumerate(handout.principles):
        columns[i >= split].add(principle, d.font(8), hang="•", after=1.5)

    def paint(painter: QPainter, rect: QRectF) -> None:
        columns[0].paint(painter, rect.left(), rect.top())
        columns[1].paint(painter, rect.left() + half + GAP, rect.top())

    flow.block(max(c.height() for c in columns), paint)
    flow.space(6)


def _sources(flow: PdfFlow, handout: Handout, keys: dict[str, str], d: Density) -> _Column:
    """The sources cited by letter, the note on si-timer's doses and the disclaimer."""
    column = _Column(flow.width, flow.metrics)
    cited = "   ".join(f"{key}: {title}." for title, key in keys.items())
    notes = " ".join(filter(None, (handout.suggested_note, handout.disclaimer)))
    column.add(f"Sources. {cited}", d.font(6.5), color=GREY, after=1)
    column.add(notes, d.font(6.5), color=GREY)
    return column


def _keep_units(text: str) -> str:
    """No line break between a number and its unit ("90 s", "15 reps")."""
    return re.sub(r"(\d) (s|reps?|sets?)\b", "\\1\u00a0\\2", text)


def write_handout(handout: Handout, path: Path, size: PageSize) -> int:
    """Write ``handout`` to ``path`` as a PDF (whole or not at all); returns its pages."""
    with tempfile.TemporaryDirectory() as folder:
        draft = Path(folder) / "handout.pdf"
        pages = paint_handout(handout, draft, size)
        write_private(path, draft.read_bytes())
    return pages


def paint_handout(handout: Handout, path: Path, size: PageSize) -> int:
    """Paint the handout into a new PDF at ``path``, at the first density that keeps it
    to its :func:`page_goal` (else at the smallest); returns the number of pages."""
    goal = page_goal(len(handout.exercises))
    pages = 0
    for density in DENSITIES:
        pages = _paint(handout, path, size, density)
        if pages <= goal:
            break
    return pages


def _paint(handout: Handout, path: Path, size: PageSize, d: Density) -> int:
    figures = FigurePainter(PRINT)
    keys = source_keys(handout)
    with PdfFlow(path, size, f"{handout.title}: handout", footer=handout.footer) as flow:
        _header(flow, handout, d)
        flow.rule(after=0)
        for item in handout.exercises:
            row = _Row(item, keys[item.source], flow, d)

            def paint(painter: QPainter, rect: QRectF, row: _Row = row) -> None:
                row.paint(painter, rect, figures)

            flow.block(row.height(), paint)
            flow.rule(after=0)
        sources = _sources(flow, handout, keys, d)
        flow.space(10)
        _boxes(flow, handout, d, leave=sources.height() + SOURCES_GAP)
        flow.space(SOURCES_GAP)
        flow.block(sources.height(), lambda p, r: sources.paint(p, r.left(), r.top()))
        pages = flow.page
    return pages
