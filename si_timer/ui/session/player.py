"""The follow-along screen: readable from the floor two metres away.

Shows only state: it repaints from an :class:`EngineView` and forwards button
presses as signals; the composition root connects those to the controller.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import partial

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from si_timer.library.model import Exercise, Side
from si_timer.session.commands import Command
from si_timer.session.cues import side_name
from si_timer.session.engine import EngineState, EngineView, PauseReason
from si_timer.session.plan import Plan, Segment, SegmentKind
from si_timer.ui.icons import Glyph, glyph_icon
from si_timer.ui.theme import Palette
from si_timer.words import clock_text, stopwatch_text

PHASE_WORDS = {
    SegmentKind.LEAD_IN: "GET READY",
    SegmentKind.HOLD: "HOLD",
    SegmentKind.PHASE: "REPS",
    SegmentKind.MANUAL: "YOUR PACE",
    SegmentKind.REST: "REST",
    SegmentKind.TRANSITION: "REST",
    SegmentKind.SWITCH: "SWITCH SIDES",
}


def phase_word(view: EngineView) -> str:
    if view.state is EngineState.PAUSED:
        return "PAUSED"
    if view.state is EngineState.RESUMING:
        return "GET SET"
    seg = view.segment
    if seg is None:
        return "DONE"
    if seg.is_relax:
        return "RELAX"
    if seg.kind is SegmentKind.PHASE and seg.phase:
        return seg.phase.upper()
    return PHASE_WORDS[seg.kind]


class CountdownRing(QWidget):
    """The big countdown: a progress ring with digits that fill it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._palette: Palette | None = None
        self._fraction = 0.0
        self._digits = ""
        self._caption = ""
        self._colour = QColor("#0b7a70")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(QSize(220, 220))
        self.setAccessibleName("Time left")

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self.update()

    def show_state(self, digits: str, caption: str, fraction: float, colour: QColor) -> None:
        if (digits, caption, round(fraction, 3), colour.name()) == (
            self._digits,
            self._caption,
            round(self._fraction, 3),
            self._colour.name(),
        ):
            return
        self._digits, self._caption, self._fraction, self._colour = (
            digits,
            caption,
            fraction,
            colour,
        )
        self.setAccessibleDescription(f"{digits} {caption}".strip())
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        pal = self._palette
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height())
        thickness = max(10.0, side * 0.055)
        rect = QRectF(
            (self.width() - side) / 2 + thickness / 2,
            (self.height() - side) / 2 + thickness / 2,
            side - thickness,
            side - thickness,
        )
        track = QPen(QColor(pal.track if pal else "#dde3e8"), thickness)
        track.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(track)
        painter.drawEllipse(rect)
        if self._fraction > 0:
            arc = QPen(self._colour, thickness)
            arc.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(arc)
            # Qt angles are 1/16 degree, counter-clockwise from 3 o'clock: start
            # at 12 and run clockwise for the part still to go.
            painter.drawArc(rect, 90 * 16, -int(360 * 16 * self._fraction))
        text_colour = QColor(pal.text if pal else "#17202b")
        font = QFont(self.font())
        font.setWeight(QFont.Weight.Bold)
        long_text = len(self._digits) > 3
        font.setPixelSize(max(24, int(side * (0.30 if long_text else 0.42))))
        font.setFeature(QFont.Tag("tnum"), 1)  # digits that don't jiggle as they change
        painter.setFont(font)
        painter.setPen(text_colour)
        digits_rect = QRectF(rect.x(), rect.y() + side * 0.02, rect.width(), rect.height() * 0.80)
        painter.drawText(digits_rect, Qt.AlignmentFlag.AlignCenter, self._digits)
        if self._caption:
            cap = QFont(self.font())
            cap.setPixelSize(max(12, int(side * 0.065)))
            cap.setWeight(QFont.Weight.DemiBold)
            painter.setFont(cap)
            painter.setPen(QColor(pal.muted if pal else "#566270"))
            cap_rect = QRectF(rect.x(), rect.y() + rect.height() * 0.64, rect.width(), side * 0.12)
            painter.drawText(cap_rect, Qt.AlignmentFlag.AlignCenter, self._caption)
        painter.end()


class PlayerScreen(QWidget):
    """The session screen. Forwards intent; shows what the engine says.

    Signals:
        command_requested(Command): a control was pressed (pause, back, skip, done,
            ten more seconds, it hurts, end).
        pain_before_chosen(int): the 0-10 rating given at the start.
    """

    command_requested = Signal(Command)
    pain_before_chosen = Signal(int)

    def __init__(self, palette: Palette, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._palette = palette
        self._plan: Plan | None = None
        self._exercises: Mapping[str, Exercise] = {}
        self._shown_index = -1
        self._showing_paused = False
        self._phase_px = 28
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._build()

    # --- layout ------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(28, 18, 28, 18)
        root.setSpacing(14)

        top = QHBoxLayout()
        self.routine_label = QLabel()
        self.routine_label.setProperty("role", "subtitle")
        self.session_bar = QProgressBar()
        self.session_bar.setRange(0, 200)
        self.session_bar.setTextVisible(False)
        self.session_bar.setAccessibleName("Session progress")
        self.time_left_label = QLabel()
        self.time_left_label.setProperty("role", "subtitle")
        self.time_left_label.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        top.addWidget(self.routine_label, 3)
        top.addWidget(self.session_bar, 4)
        top.addWidget(self.time_left_label, 2)
        root.addLayout(top)

        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setProperty("role", "muted")
        self.notice.hide()
        root.addWidget(self.notice)

        body = QHBoxLayout()
        body.setSpacing(28)
        left = QVBoxLayout()
        left.setSpacing(6)
        self.phase_label = QLabel()
        self.phase_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.phase_label.setAccessibleName("Phase")
        self.phase_label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.side_label = QLabel()
        self.side_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.side_label.setAccessibleName("Side")
        self.ring = CountdownRing()
        self.ring.set_palette(self._palette)
        self.count_label = QLabel()
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count_label.setAccessibleName("Set and rep")
        left.addWidget(self.phase_label, 0, Qt.AlignmentFlag.AlignHCenter)
        left.addWidget(self.side_label)
        left.addWidget(self.ring, 1)
        left.addWidget(self.count_label)
        body.addLayout(left, 11)

        panel = QFrame()
        panel.setProperty("role", "panel")
        right = QVBoxLayout(panel)
        right.setContentsMargins(26, 22, 26, 22)
        right.setSpacing(10)
        self.exercise_label = QLabel()
        self.exercise_label.setWordWrap(True)
        self.exercise_label.setAccessibleName("Exercise")
        self.position_label = QLabel()
        self.position_label.setProperty("role", "muted")
        self.position_label.setWordWrap(True)
        self.steps_label = QLabel()
        self.steps_label.setWordWrap(True)
        self.steps_label.setTextFormat(Qt.TextFormat.RichText)
        self.steps_label.setAccessibleName("Steps")
        self.steps_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.caution_frame = QFrame()
        self.caution_frame.setProperty("role", "caution")
        caution_layout = QVBoxLayout(self.caution_frame)
        caution_layout.setContentsMargins(14, 10, 14, 10)
        self.caution_label = QLabel()
        self.caution_label.setWordWrap(True)
        self.caution_label.setAccessibleName("Caution")
        caution_layout.addWidget(self.caution_label)
        self.source_label = QLabel()
        self.source_label.setProperty("role", "muted")
        self.source_label.setWordWrap(True)
        right.addWidget(self.exercise_label)
        right.addWidget(self.position_label)
        right.addSpacing(6)
        right.addWidget(self.steps_label, 1)
        right.addWidget(self.caution_frame)
        right.addWidget(self.source_label)
        body.addWidget(panel, 9)
        root.addLayout(body, 1)

        self.pain_row = QFrame()
        self.pain_row.setProperty("role", "notice")
        pain_layout = QHBoxLayout(self.pain_row)
        pain_layout.setContentsMargins(14, 8, 14, 8)
        pain_text = QLabel("Pain right now?  Optional: 0 = none, 10 = worst (keys 0-9)")
        pain_layout.addWidget(pain_text)
        self.pain_group = QButtonGroup(self)
        self.pain_group.setExclusive(True)
        for value in range(11):
            btn = QPushButton(str(value))
            btn.setCheckable(True)
            btn.setProperty("role", "pain")
            btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            btn.setAccessibleName(f"Pain {value} of 10")
            self.pain_group.addButton(btn, value)
            pain_layout.addWidget(btn)
        self.pain_group.idClicked.connect(self._pain_chosen)
        # The start screen's one line, large: what to press before anything counts.
        self.ready_label = QLabel()
        self.ready_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ready_label.setWordWrap(True)
        self.ready_label.setAccessibleName("Ready to start")
        self.ready_label.hide()
        root.addWidget(self.ready_label)
        root.addWidget(self.pain_row)

        self.next_label = QLabel()
        self.next_label.setWordWrap(True)
        self.next_label.setAccessibleName("Next")
        root.addWidget(self.next_label)

        controls = QGridLayout()
        controls.setHorizontalSpacing(10)
        self.back_button = self._control(
            "Back", "Back: restart this step, or go to the previous one (Left)"
        )
        self.pause_button = self._control("Pause", "Pause or resume (Space)")
        self.next_button = self._control("Skip", "Skip to the next step (Right)")
        self.extend_button = self._control("+10 s", "Ten more seconds (+)")
        self.done_button = self._control("✓  Done", "Done with these reps (Enter)")
        self.hurts_button = self._control("It hurts", "Stop this exercise because it hurts (H)")
        self.end_button = self._control("End", "End the session (Esc)")
        self.done_button.setProperty("role", "primary")
        self.hurts_button.setProperty("tone", "danger")
        for col, button in enumerate(
            (
                self.back_button,
                self.pause_button,
                self.next_button,
                self.extend_button,
                self.done_button,
                self.hurts_button,
                self.end_button,
            )
        ):
            controls.addWidget(button, 0, col)
        root.addLayout(controls)

        for button, command in (
            (self.back_button, Command.PREVIOUS),
            (self.pause_button, Command.PAUSE),
            (self.next_button, Command.NEXT),
            (self.extend_button, Command.EXTEND),
            (self.done_button, Command.DONE),
            (self.hurts_button, Command.HURTS),
            (self.end_button, Command.END),
        ):
            button.clicked.connect(partial(self.command_requested.emit, command))
        self._paint_icons()
        self._apply_fonts()

    def _control(self, text: str, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setProperty("role", "control")
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (", maxsplit=1)[0])
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        return button

    def _pain_chosen(self, value: int) -> None:
        self.pain_before_chosen.emit(value)

    # --- content -----------------------------------------------------------

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self.ring.set_palette(palette)
        self._shown_index = -1
        self._paint_icons()

    def load(
        self, plan: Plan, exercises: Mapping[str, Exercise], sources: Mapping[str, str]
    ) -> None:
        self._plan = plan
        self._exercises = exercises
        self._sources = sources
        self._shown_index = -1
        self.routine_label.setText(plan.routine_name)
        self.pain_group.setExclusive(False)
        for button in self.pain_group.buttons():
            button.setChecked(False)
        self.pain_group.setExclusive(True)
        self.pain_row.show()
        self.set_notice(None)

    def set_notice(self, text: str | None) -> None:
        self.notice.setVisible(bool(text))
        self.notice.setText(text or "")

    def hide_pain_question(self) -> None:
        self.pain_row.hide()

    def show_ready(self, pain_question: bool, starts_in: float | None = None) -> None:
        """The start screen: nothing counts yet.  ``starts_in``: seconds until it starts
        by itself (a 3-2-1 after a pain rating, or a session nobody at the keyboard began)."""
        if starts_in is not None and starts_in <= 3.0:
            text = f"Starting in {max(1, math.ceil(starts_in - 1e-6))}…"
        elif pain_question:
            text = "Pain right now? 0-9, or Space to start"
        else:
            text = "Press Space to start"
        if starts_in is not None and starts_in > 3.0:
            text += f"  (starts by itself in {math.ceil(starts_in)} s)"
        if self.ready_label.text() != text:
            self.ready_label.setText(text)
        px = max(22, self.height() // 18)
        style = f"font-size: {px}px; font-weight: 700;"
        if self.ready_label.styleSheet() != style:
            self.ready_label.setStyleSheet(style)
        self.ready_label.show()
        self.pain_row.setVisible(pain_question)

    def hide_ready(self) -> None:
        self.ready_label.hide()

    def show_view(self, view: EngineView) -> None:
        plan = self._plan
        if plan is None:
            return
        seg = view.segment
        paused = view.state in (EngineState.PAUSED, EngineState.RESUMING)
        colour = self._palette.phase_colour(seg.kind if seg else None, paused=paused)
        self._show_phase(phase_word(view), colour)
        if seg is not None and view.index != self._shown_index:
            self._shown_index = view.index
            self._show_segment(seg)
        # The ring: a countdown, a 3-2-1, or a stopwatch for self-paced reps.
        if view.state is EngineState.RESUMING and view.resume_in is not None:
            self.ring.show_state(clock_text(view.resume_in), "get set", 1.0, colour)
        elif seg is not None and seg.kind is SegmentKind.MANUAL:
            caption = "paused" if paused else "press Done when finished"
            self.ring.show_state(stopwatch_text(view.elapsed), caption, 0.0, colour)
        elif view.remaining is not None:
            left = 1.0 - view.fraction if view.length else 0.0
            caption = "paused" if paused else ("seconds" if view.remaining < 60 else "minutes")
            if view.reason is PauseReason.SLEPT:
                caption = "paused while asleep"
            self.ring.show_state(clock_text(view.remaining), caption, left, colour)
        # Session progress and time left.
        total = plan.total_seconds or 1.0
        done_fraction = max(0.0, min(1.0, 1.0 - view.session_left / total))
        # Only touch what changed: every repaint costs CPU on a laptop left running.
        progress = int(done_fraction * 200)
        if self.session_bar.value() != progress:
            self.session_bar.setValue(progress)
        left_text = f"{stopwatch_text(view.session_left)} left"
        if self.time_left_label.text() != left_text:
            self.time_left_label.setText(left_text)
        paused_now = view.state is EngineState.PAUSED
        if paused_now != self._showing_paused:
            self._showing_paused = paused_now
            self.pause_button.setText("Resume" if paused_now else "Pause")
            self.pause_button.setAccessibleName("Resume" if paused_now else "Pause")
            self._paint_icons()

    def _show_phase(self, word: str, colour: QColor) -> None:
        """The phase as a coloured pill with a word: colour is never the only signal."""
        px = self._phase_px
        style = (
            f"background: {colour.name()}; color: {self._palette.on_phase};"
            f" border-radius: {px // 2}px; padding: {px // 6}px {px}px;"
            f" font-size: {px}px; font-weight: 800; letter-spacing: 2px;"
        )
        if self.phase_label.text() != word or self.phase_label.styleSheet() != style:
            self.phase_label.setText(word)
            self.phase_label.setStyleSheet(style)
            self.phase_label.adjustSize()

    def _paint_icons(self) -> None:
        colour = self._palette.text
        self.back_button.setIcon(glyph_icon(Glyph.BACK, colour))
        self.next_button.setIcon(glyph_icon(Glyph.SKIP, colour))
        self.pause_button.setIcon(
            glyph_icon(Glyph.PLAY if self._showing_paused else Glyph.PAUSE, colour)
        )

    def _show_segment(self, seg: Segment) -> None:
        plan = self._plan
        assert plan is not None
        ex = self._exercises.get(seg.exercise_id)
        word = ex.side_word if ex else "leg"
        side = side_name(seg.side, word).upper()
        if seg.kind in (SegmentKind.TRANSITION,):
            side = ""
        self.side_label.setText(side)
        self.side_label.setVisible(bool(side))
        parts = []
        if seg.sets > 1 and seg.set:
            parts.append(f"Set {seg.set} of {seg.sets}")
        if seg.kind is SegmentKind.MANUAL and seg.reps:
            parts.append(f"{seg.reps} reps")
        elif (
            seg.rep
            and seg.reps
            and seg.reps > 1
            and seg.kind in (SegmentKind.HOLD, SegmentKind.PHASE)
        ):
            parts.append(f"Rep {seg.rep} of {seg.reps}")
        self.count_label.setText("   ·   ".join(parts))
        heading = "Next up: " if seg.kind is SegmentKind.TRANSITION else ""
        self.exercise_label.setText(f"{heading}{seg.exercise_name}")
        if ex is not None:
            self.position_label.setText(ex.position)
            steps = "".join(
                f"<p style='margin:0 0 8px 0'><b>{i}.</b>&nbsp; {_escape(step)}</p>"
                for i, step in enumerate(ex.steps, 1)
            )
            self.steps_label.setText(steps)
            self.caution_label.setText("⚠  " + "  ".join(ex.cautions[:2]) if ex.cautions else "")
            self.caution_frame.setVisible(bool(ex.cautions))
            suggested = " · hold is si-timer's suggestion" if ex.dose.suggested else ""
            self.source_label.setText(
                f"Source: {self._sources.get(ex.source, ex.source)}{suggested}"
            )
        manual = seg.kind is SegmentKind.MANUAL
        self.done_button.setVisible(True)
        self.done_button.setProperty("role", "primary" if manual else "control")
        self.done_button.style().unpolish(self.done_button)
        self.done_button.style().polish(self.done_button)
        self.extend_button.setEnabled(seg.timed)
        self.next_label.setText(self._next_text(seg.index))
        if seg.kind.is_work:
            self.hide_pain_question()

    def _next_text(self, index: int) -> str:
        plan = self._plan
        assert plan is not None
        for seg in plan.segments[index + 1 :]:
            if seg.is_relax:
                continue
            ex = self._exercises.get(seg.exercise_id)
            side = side_name(seg.side, ex.side_word if ex else "leg").lower()
            if seg.kind is SegmentKind.SWITCH:
                return (
                    f"<b>Next:</b> switch to your {side}"
                    if seg.side is not Side.BOTH
                    else "<b>Next:</b> both together"
                )
            if seg.kind is SegmentKind.TRANSITION:
                return f"<b>Next:</b> rest {seg.seconds:g} s, then {seg.exercise_name}"
            if seg.kind is SegmentKind.REST:
                return f"<b>Next:</b> rest {seg.seconds:g} s before set {(seg.set or 0) + 1}"
            if seg.kind is SegmentKind.LEAD_IN:
                continue
            if seg.kind is SegmentKind.MANUAL:
                what = f"{seg.reps} reps at your pace"
            elif seg.kind is SegmentKind.PHASE:
                what = f"{seg.phase} {seg.seconds:g} s"
            else:
                what = f"hold {seg.seconds:g} s"
            side_part = f" — {side}" if side else ""
            return f"<b>Next:</b> {seg.exercise_name}{side_part}: {what}"
        return "<b>Next:</b> that's the last one"

    # --- sizing ------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Digits answer the "pain right now?" question while it is shown."""
        text = event.text()
        if self.pain_row.isVisible() and text.isdigit() and len(text) == 1:
            button = self.pain_group.button(int(text))
            if button is not None:
                button.click()
                return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_fonts()

    def _apply_fonts(self) -> None:
        """Type scales with the window so it stays readable from the floor.

        Sizes are set as per-widget stylesheets: the app's stylesheet would
        otherwise win over setFont() whenever a widget is re-polished.
        """
        h = max(480, self.height())
        w = max(640, self.width())
        unit = min(h / 720, w / 1280)

        def size(widget: QWidget, px: float, weight: int = 400, extra: str = "") -> None:
            widget.setStyleSheet(
                f"font-size: {max(12, int(px * unit))}px; font-weight: {weight};{extra}"
            )

        self._phase_px = max(14, int(30 * unit))
        size(self.side_label, 46, 900)
        size(self.count_label, 26, 600)
        size(self.exercise_label, 34, 700)
        size(self.position_label, 20)
        size(self.steps_label, 23)
        size(self.caution_label, 18)
        size(self.source_label, 13)
        size(self.next_label, 22)
        size(self.routine_label, 20, 600)
        size(self.time_left_label, 20, 600)
        button_px = max(14, int(17 * unit))
        for button in (
            self.back_button,
            self.pause_button,
            self.next_button,
            self.extend_button,
            self.done_button,
            self.hurts_button,
            self.end_button,
        ):
            size(button, 17, 600, f" min-height: {int(button_px * 2.2)}px;")
        icon = max(16, int(22 * unit))
        for button in (self.back_button, self.pause_button, self.next_button):
            button.setIconSize(QSize(icon, icon))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
