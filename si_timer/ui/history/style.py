"""The few colours the history views need beyond the window's palette.

Status colours always come with a symbol or a word on screen, never colour
alone.  Each has a light and a dark variant; which one is used follows the
window's palette, so the views fit whatever theme the app applies.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QPointF
from PySide6.QtGui import QColor, QFont, QFontInfo, QHelpEvent, QPalette
from PySide6.QtWidgets import QToolTip, QWidget

from si_timer.history.days import DayStatus
from si_timer.records import record

# (light, dark) pairs.  The only colour literals in the history views.
_DONE = ("#2f7d32", "#6bd17a")
_PARTIAL = ("#b45309", "#f4b740")
_REST = ("#3949ab", "#8fa2ff")
_SICK = ("#a21caf", "#e879f9")
_PAIN_BEFORE = ("#c2410c", "#fb923c")
_PAIN_AFTER = ("#0b7a70", "#2cc4b3")
# Heatmap levels 1-4 (level 0 is the palette's empty-cell colour).
_HEAT = (
    ("#c8e6c9", "#1d3b24"),
    ("#81c784", "#2e6b3a"),
    ("#43a047", "#3f9c52"),
    ("#1b5e20", "#7ee08c"),
)


@record(frozen=True)
class HistoryColours:
    dark: bool
    done: QColor
    partial: QColor
    rest: QColor
    sick: QColor
    pain_before: QColor
    pain_after: QColor
    heat: tuple[QColor, ...]  # levels 0..4
    text: QColor
    muted: QColor
    surface: QColor
    outside: QColor  # days of the neighbouring months
    line: QColor
    accent: QColor
    on_accent: QColor

    def status(self, status: DayStatus) -> QColor:
        return {
            DayStatus.FULL: self.done,
            DayStatus.HALF: self.done,
            DayStatus.PARTIAL: self.partial,
            DayStatus.REST: self.rest,
            DayStatus.SICK: self.sick,
            DayStatus.NONE: self.muted,
        }[status]


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved ``t`` of the way to ``b``."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


def history_colours(palette: QPalette) -> HistoryColours:
    dark = is_dark(palette)
    pick = 1 if dark else 0
    window = palette.color(QPalette.ColorRole.Window)
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    muted = palette.color(QPalette.ColorRole.PlaceholderText)
    return HistoryColours(
        dark=dark,
        done=QColor(_DONE[pick]),
        partial=QColor(_PARTIAL[pick]),
        rest=QColor(_REST[pick]),
        sick=QColor(_SICK[pick]),
        pain_before=QColor(_PAIN_BEFORE[pick]),
        pain_after=QColor(_PAIN_AFTER[pick]),
        heat=(_mix(base, text, 0.08), *(QColor(pair[pick]) for pair in _HEAT)),
        text=text,
        muted=muted,
        surface=base,
        outside=_mix(base, window, 0.6),
        line=_mix(base, text, 0.14),
        accent=palette.color(QPalette.ColorRole.Highlight),
        on_accent=palette.color(QPalette.ColorRole.HighlightedText),
    )


def scaled_font(font: QFont, factor: float, *, bold: bool | None = None) -> QFont:
    """``font`` ``factor`` times as large, whether its size is in points or in
    pixels (the app's stylesheet sets pixel sizes, where ``pointSizeF()`` is -1)."""
    result = QFont(font)
    if font.pixelSize() > 0:
        result.setPixelSize(max(8, round(font.pixelSize() * factor)))
    else:
        result.setPointSizeF(max(6.0, font.pointSizeF() * factor))
    if bold is not None:
        result.setBold(bold)
    return result


def set_text_size(
    widget: QWidget, factor: float = 1.0, *, bold: bool = False, italic: bool = False
) -> None:
    """Make a widget's text ``factor`` times the body size (call once, when built).

    The app's stylesheet gives every widget a font size and a stylesheet wins
    over ``setFont``, so a widget's own one-line stylesheet is the way to
    differ.  Size, weight and slant only: colours stay with the theme.
    """
    widget.setStyleSheet(text_size_style(widget, factor, bold=bold, italic=italic))


def text_size_style(
    widget: QWidget, factor: float = 1.0, *, bold: bool = False, italic: bool = False
) -> str:
    """The one-line stylesheet :func:`set_text_size` gives ``widget`` (ask before
    setting any: the size is read from the widget's current font).  A widget whose
    size changes with the window keeps the sheets for each of its sizes."""
    widget.ensurePolished()
    pixels = QFontInfo(widget.font()).pixelSize()
    return (
        f"font-size: {max(8, round(pixels * factor))}px; "
        f"font-weight: {700 if bold else 400}; font-style: {'italic' if italic else 'normal'};"
    )


def show_tooltip(widget: QWidget, event: QEvent, text_at: Callable[[QPointF], str | None]) -> bool:
    """For painted widgets: answer a tooltip event with the text under the pointer.

    Returns True when the event was a tooltip request (handled), else False.
    """
    if event.type() != QEvent.Type.ToolTip or not isinstance(event, QHelpEvent):
        return False
    text = text_at(QPointF(event.pos()))
    if text:
        QToolTip.showText(event.globalPos(), text, widget)
    else:
        QToolTip.hideText()
    return True
