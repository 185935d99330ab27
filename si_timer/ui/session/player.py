"""The follow-along screen: readable from a mat 2.5 m from a laptop.

Shows only state: it repaints from an :class:`EngineView` and forwards button
presses as signals; the composition root connects those to the controller.

Type follows the window's height, never a fixed width: read from the mat, a
14-inch screen needs capitals of about 7.5 % of its height.  The countdown,
the side, the exercise's short name and the figure dominate; steps and every
caution sit in a panel that scrolls, read close up.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QResizeEvent,
    QTextDocumentFragment,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
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
from si_timer.ui.session.ring import CountdownRing
from si_timer.ui.session.session_bar import SessionBar
from si_timer.ui.session.steady_label import SteadyLabel
from si_timer.ui.theme import Palette, set_style_property
from si_timer.words import clock_text, stopwatch_text

if TYPE_CHECKING:
    from si_timer.ui.figure import FigureView

PHASE_WORDS = {
    SegmentKind.LEAD_IN: "GET READY",
    SegmentKind.HOLD: "HOLD",
    SegmentKind.PHASE: "REPS",
    SegmentKind.MANUAL: "YOUR PACE",
    SegmentKind.REST: "REST",
    SegmentKind.TRANSITION: "REST",
    SegmentKind.SWITCH: "SWITCH",
}


# The figure's frame, height over width (:data:`si_timer.ui.figure.ASPECT`, which a test
# holds this to): the room kept for the figure until it is drawn.
FIGURE_ASPECT = 0.8
FIGURE_MINIMUM = QSize(120, 72)  # as FigureView's


class FigureSlot(QWidget):
    """Keeps the figure's room, sized as the figure will be, until it is drawn: the
    first countdown paints without the figures' geometry, and nothing moves when the
    figure takes its place a moment later."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumSize(FIGURE_MINIMUM)

    def sizeHint(self) -> QSize:
        return QSize(400, round(400 * FIGURE_ASPECT))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return round(width * FIGURE_ASPECT)


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


# Type sizes as fractions of the player's height (font pixel size; capitals are about
# 0.73 of it in the app's font).  A window filling a 720-line screen loses some 25 lines
# to the menu bar, so each is a little above its goal in screen height.
NAME_PX = 0.112  # the exercise's short name and the side: capitals >= 7.5 % of the screen
SIDE_PX = 0.112
PHASE_PX = 0.088  # the phase word: >= 6 %
COUNT_PX = 0.062  # set and rep, and "Next": >= 4 %
NOTE_PX = 0.036  # what the side means, under it
PANEL_PX = 0.028  # steps and cautions, read close up
BAR_PX = 0.026  # routine, time left
CONTROL_PX = 0.024  # buttons: usable, smaller than what is read from the floor
COLUMNS = (40, 36, 24)  # countdown | figure | steps panel, as shares of the width


class PlayerScreen(QWidget):
    """The session screen. Forwards intent; shows what the engine says.

    ``figure`` is the exercise's figure (in ``figure_box``): the exercise of the
    segment, which in a rest or transition is the one coming next.  It is drawn
    from :meth:`show_figures` on (None before): the app calls it just after the
    first paint, and a :class:`FigureSlot` keeps its room until then.

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
        self._sources: Mapping[str, str] = {}
        self._shown_index = -1
        self._showing_paused = False
        self._phase_px = 28
        self._phase_colour = QColor(palette.paused)
        self._phase_shown: tuple[str, str, int, int] | None = None  # what _show_phase showed
        self.figure: FigureView | None = None
        self._figure_segment: Segment | None = None  # what the figure shows, once drawn
        self._figure_motion: tuple[Segment, Exercise, float, float | None] | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._build()

    # --- layout ------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        self._root = root
        root.setContentsMargins(24, 12, 24, 12)
        root.setSpacing(8)

        top = QHBoxLayout()
        self.routine_label = QLabel()
        self.routine_label.setProperty("role", "subtitle")
        self.session_bar = SessionBar(self._palette)
        self.time_left_label = SteadyLabel()  # changes every second: no relayout for it
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

        # Countdown | figure | steps, under a row of the phase and the name:
        #   phase  | name ..................
        #   ring   | side ..................
        #   ring   | what the side means ...
        #   ring   | figure     | steps panel
        #   count  | next ..................
        body = QGridLayout()
        self._body = body
        body.setHorizontalSpacing(16)
        body.setVerticalSpacing(4)
        self.phase_label = QLabel()
        self.phase_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.phase_label.setAccessibleName("Phase")
        self.phase_label.setWordWrap(True)
        self.phase_label.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.exercise_label = QLabel()
        self.exercise_label.setWordWrap(True)
        self.exercise_label.setAccessibleName("Exercise")
        self.exercise_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.side_label = QLabel()
        self.side_label.setWordWrap(True)
        self.side_label.setAccessibleName("Side")
        self.side_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.side_note_label = QLabel()
        self.side_note_label.setWordWrap(True)
        self.side_note_label.setProperty("role", "muted")
        self.side_note_label.setAccessibleName("What this side means")
        self.ring = CountdownRing()
        self.ring.set_palette(self._palette)
        self.ring.setMinimumSize(QSize(160, 160))
        self.count_label = QLabel()
        self.count_label.setWordWrap(True)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count_label.setAccessibleName("Set and rep")
        self.figure_box = QWidget()
        figure_layout = QVBoxLayout(self.figure_box)
        figure_layout.setContentsMargins(0, 0, 0, 0)
        self._figure_slot: FigureSlot | None = FigureSlot()
        figure_layout.addWidget(self._figure_slot)
        self.next_label = QLabel()
        self.next_label.setWordWrap(True)
        self.next_label.setAccessibleName("Next")
        body.addWidget(self.phase_label, 0, 0, Qt.AlignmentFlag.AlignCenter)
        body.addWidget(self.exercise_label, 0, 1, 1, 2)
        body.addWidget(self.ring, 1, 0, 3, 1)
        body.addWidget(self.side_label, 1, 1, 1, 2)
        body.addWidget(self.side_note_label, 2, 1, 1, 2)
        body.addWidget(self.figure_box, 3, 1)
        body.addWidget(self._info_panel(), 3, 2)
        body.addWidget(self.count_label, 4, 0)
        body.addWidget(self.next_label, 4, 1, 1, 2)
        body.setRowStretch(3, 1)
        for column, share in enumerate(COLUMNS):
            body.setColumnStretch(column, share)
        root.addLayout(body, 1)

        self.pain_row = QFrame()
        self.pain_row.setProperty("role", "notice")
        pain_layout = QHBoxLayout(self.pain_row)
        pain_layout.setContentsMargins(14, 6, 14, 6)
        self.pain_text = QLabel("Pain right now?  Optional: 0 = none, 10 = worst (keys 0-9)")
        self.pain_text.setWordWrap(True)
        pain_layout.addWidget(self.pain_text, 1)
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
        self.hurts_button.setProperty("tone", "danger")
        for col, button in enumerate(self._buttons()):
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

    def _info_panel(self) -> QScrollArea:
        """Position, steps, every caution and the source: scrolls rather than cut text."""
        self.info_scroll = QScrollArea()
        self.info_scroll.setWidgetResizable(True)
        self.info_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.info_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.info_scroll.setAccessibleName("Steps and cautions")
        panel = QFrame()
        panel.setProperty("role", "panel")
        right = QVBoxLayout(panel)
        right.setContentsMargins(16, 12, 16, 12)
        right.setSpacing(8)
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
        caution_layout.setContentsMargins(12, 8, 12, 8)
        self.caution_label = QLabel()
        self.caution_label.setWordWrap(True)
        self.caution_label.setTextFormat(Qt.TextFormat.RichText)
        self.caution_label.setAccessibleName("Caution")
        caution_layout.addWidget(self.caution_label)
        self.source_label = QLabel()
        self.source_label.setProperty("role", "muted")
        self.source_label.setWordWrap(True)
        right.addWidget(self.position_label)
        right.addWidget(self.steps_label)
        right.addWidget(self.caution_frame)
        right.addWidget(self.source_label)
        right.addStretch(1)
        self.info_scroll.setWidget(panel)
        return self.info_scroll

    def _control(self, text: str, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setProperty("role", "control")
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (", maxsplit=1)[0])
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        return button

    def _buttons(self) -> tuple[QPushButton, ...]:
        return (
            self.back_button,
            self.pause_button,
            self.next_button,
            self.extend_button,
            self.done_button,
            self.hurts_button,
            self.end_button,
        )

    def _pain_chosen(self, value: int) -> None:
        self.pain_before_chosen.emit(value)

    # --- content -----------------------------------------------------------

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self.ring.set_palette(palette)
        self.session_bar.set_palette(palette)
        if self.figure is not None:
            self.figure.set_palette(palette)
        self._phase_shown = None
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
        if seg is not None and (ex := self._exercises.get(seg.exercise_id)) is not None:
            # The figure follows the segment's clock (a repaint only when the pose moves
            # or the chest swells a step).
            self._figure_motion = (seg, ex, view.elapsed, view.length)
            self._move_figure()
        # The ring: a countdown, a 3-2-1, or a stopwatch for self-paced reps.
        if view.state is EngineState.RESUMING and view.resume_in is not None:
            self.ring.show_state(clock_text(view.resume_in), "get set", 1.0, colour)
        elif seg is not None and seg.kind is SegmentKind.MANUAL:
            caption = "paused" if paused else "press Done when finished"
            # Under a minute the seconds alone, as big as a countdown's digits.
            digits = stopwatch_text(view.elapsed) if view.elapsed >= 60 else str(int(view.elapsed))
            self.ring.show_state(digits, caption, 0.0, colour)
        elif view.remaining is not None:
            left = 1.0 - view.fraction if view.length else 0.0
            whole_seconds = len(clock_text(view.remaining)) <= 2
            caption = "paused" if paused else ("seconds" if whole_seconds else "minutes")
            if view.reason is PauseReason.SLEPT:
                caption = "paused while asleep"
            self.ring.show_state(clock_text(view.remaining), caption, left, colour)
        # Session progress and time left.
        total = plan.total_seconds or 1.0
        done_fraction = max(0.0, min(1.0, 1.0 - view.session_left / total))
        # Only touch what changed: every repaint costs CPU on a laptop left running.
        self.session_bar.set_fraction(done_fraction)
        left_text = f"{stopwatch_text(view.session_left)} left"
        self.time_left_label.set_line(left_text)
        paused_now = view.state is EngineState.PAUSED
        if paused_now != self._showing_paused:
            self._showing_paused = paused_now
            self.pause_button.setText("Resume" if paused_now else "Pause")
            self.pause_button.setAccessibleName("Resume" if paused_now else "Pause")
            self._paint_icons()

    def _show_phase(self, word: str, colour: QColor) -> None:
        """The phase as a coloured pill with a word: colour is never the only signal."""
        self._phase_colour = colour
        key = (word, colour.name(), self._phase_px, self.width())
        if key == self._phase_shown:
            return  # every second of a hold: nothing to measure again
        self._phase_shown = key
        padding = 2 * (self._phase_px // 3)
        px = self._fitted_px(word, self._phase_px, self._column_width(0) - padding, 800)
        style = (
            f"background: {colour.name()}; color: {self._palette.on_phase};"
            f" border-radius: {px // 3}px; padding: {px // 8}px {px // 3}px;"
            f" font-size: {px}px; font-weight: 800;"
        )
        if self.phase_label.text() != word or self.phase_label.styleSheet() != style:
            self.phase_label.setText(word)
            self.phase_label.setStyleSheet(style)

    # --- the figure --------------------------------------------------------

    def show_figures(self) -> None:
        """Draw the figure in its slot, showing what the screen shows now (once)."""
        slot = self._figure_slot
        if slot is None:
            return
        from si_timer.ui.figure import FigureView

        self._figure_slot = None
        figure = FigureView()
        figure.set_palette(self._palette)
        layout = self.figure_box.layout()
        assert layout is not None
        layout.replaceWidget(slot, figure)
        slot.deleteLater()
        figure.show()  # (a child added to a shown page stays hidden until told)
        self.figure = figure
        self._pose_figure()
        self._move_figure()

    def _pose_figure(self) -> None:
        seg = self._figure_segment
        if self.figure is None or seg is None:
            return
        self.figure.show_exercise(self._exercises.get(seg.exercise_id), seg.side, seg.posture)

    def _move_figure(self) -> None:
        if self.figure is None or self._figure_motion is None:
            return
        from si_timer.figures.timeline import breath_at, pose_at

        seg, _, elapsed, _ = self._figure_motion
        self.figure.set_motion(*pose_at(*self._figure_motion))
        # A hold breathes on the session's clock: in the frame this second paints anyway.
        self.figure.set_breath(breath_at(elapsed) if seg.kind is SegmentKind.HOLD else None)

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
        short = ex.display_name if ex else seg.exercise_name
        note = seg.side_note or ""
        if seg.kind is SegmentKind.TRANSITION:
            # The exercise coming next: its name and figure, and the new position if it moves.
            self.exercise_label.setText(f"Next: {short}")
            side = seg.posture.instruction if seg.change and seg.posture else ""
            note = ""
        else:
            self.exercise_label.setText(short)
            side = side_name(seg.side, word).upper()
        self.side_label.setText(side)
        # No side (pelvic tilt, a rest between exercises): the figure takes the room.
        self.side_label.setVisible(bool(side))
        self.side_note_label.setText(note)
        self.side_note_label.setVisible(bool(note))
        self._figure_segment = seg
        self._pose_figure()
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
        self.count_label.setText(" · ".join(parts))
        if ex is not None:
            self.position_label.setText(ex.position)
            steps = "".join(
                f"<p style='margin:0 0 8px 0'><b>{i}.</b>&nbsp; {_escape(step)}</p>"
                for i, step in enumerate(ex.steps, 1)
            )
            self.steps_label.setText(steps)
            self.caution_label.setText(
                "".join(
                    f"<p style='margin:0 0 6px 0'>⚠&nbsp; {_escape(caution)}</p>"
                    for caution in ex.cautions
                )
            )
            self.caution_frame.setVisible(bool(ex.cautions))
            note_text = ex.dose.suggestion_note
            self.source_label.setText(
                f"Source: {self._sources.get(ex.source, ex.source)}"
                + (f". {note_text}" if note_text else "")
            )
            self.info_scroll.verticalScrollBar().setValue(0)
        manual = seg.kind is SegmentKind.MANUAL
        self.done_button.setVisible(True)
        set_style_property(self.done_button, "role", "primary" if manual else "control")
        self.extend_button.setEnabled(seg.timed)
        self.next_label.setText(self._next_text(seg.index))
        self._fit_big_labels()
        if seg.kind.is_work:
            self.hide_pain_question()

    def _next_text(self, index: int) -> str:
        plan = self._plan
        assert plan is not None
        current = plan.segments[index]
        for seg in plan.segments[index + 1 :]:
            if seg.is_relax:
                continue
            if seg.kind is SegmentKind.PHASE and seg.exercise_id == current.exercise_id:
                # The next phase of the same reps: its name is what changes.
                return f"<b>Next:</b> {_escape(seg.phase or '')} {seg.seconds:g} s"
            ex = self._exercises.get(seg.exercise_id)
            side = side_name(seg.side, ex.side_word if ex else "leg").lower()
            short = ex.display_name if ex else seg.exercise_name
            if seg.kind is SegmentKind.SWITCH:
                return (
                    f"<b>Next:</b> switch to your {side}"
                    if seg.side is not Side.BOTH
                    else "<b>Next:</b> both together"
                )
            if seg.kind is SegmentKind.TRANSITION:
                return f"<b>Next:</b> rest {seg.seconds:g} s, then {_escape(short)}"
            if seg.kind is SegmentKind.REST:
                return f"<b>Next:</b> rest {seg.seconds:g} s before set {(seg.set or 0) + 1}"
            if seg.kind is SegmentKind.LEAD_IN:
                continue
            if seg.kind is SegmentKind.MANUAL or (seg.kind is SegmentKind.PHASE and seg.reps):
                what = f"{seg.reps} reps"
            elif seg.kind is SegmentKind.PHASE:
                what = f"{seg.phase} {seg.seconds:g} s"
            else:
                what = f"hold {seg.seconds:g} s"
            # Short enough to read from the mat in one line: the side, or else what to do.
            return f"<b>Next:</b> {_escape(short)}, {_escape(side or what)}"
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

    def _column_width(self, first: int, last: int | None = None) -> int:
        """The width the body's columns ``first``..``last`` get at the current size."""
        last = first if last is None else last
        margins = self._root.contentsMargins()
        spacing = self._body.horizontalSpacing()
        inner = self.width() - margins.left() - margins.right() - spacing * (len(COLUMNS) - 1)
        share = sum(COLUMNS[first : last + 1]) / sum(COLUMNS)
        # A little under the share: the grid gives a column its share give or take a few pixels.
        return int((inner * share + spacing * (last - first)) * 0.95)

    def _fitted_px(self, text: str, px: int, width: int, weight: int) -> int:
        """``px``, or smaller where the longest line of ``text`` would not fit ``width``
        (the label still wraps rather than clips, whatever is left)."""
        font = QFont(self.font())
        font.setPixelSize(px)
        font.setWeight(QFont.Weight(weight))
        plain = QTextDocumentFragment.fromHtml(text).toPlainText() if "<" in text else text
        advance = QFontMetrics(font).horizontalAdvance(plain)
        if advance <= width or advance == 0:
            return px
        return max(12, int(px * width / advance))

    def _size(self, widget: QWidget, px: int, weight: int = 400, extra: str = "") -> None:
        style = f"font-size: {max(12, px)}px; font-weight: {weight};{extra}"
        if widget.styleSheet() != style:
            widget.setStyleSheet(style)

    def _fit_big_labels(self) -> None:
        """The big lines shrink only where their text would not fit across (a long name)."""
        h = self.height()
        wide = self._column_width(1, 2)
        for label, share, weight in (
            (self.exercise_label, NAME_PX, 800),
            (self.side_label, SIDE_PX, 900),
        ):
            px = self._fitted_px(label.text(), int(share * h), wide, weight)
            self._size(label, px, weight, f" min-height: {int(share * h * 1.2)}px;")
        count_px = int(COUNT_PX * h)
        self._size(
            self.count_label,
            self._fitted_px(self.count_label.text(), count_px, self._column_width(0), 700),
            700,
        )
        self._size(
            self.next_label,
            self._fitted_px(self.next_label.text(), count_px, wide, 400),
            400,
            f" min-height: {int(count_px * 1.2)}px;",
        )

    def _apply_fonts(self) -> None:
        """Type follows the window's height so a bigger screen gives bigger type.

        Sizes are set as per-widget stylesheets: the app's stylesheet would
        otherwise win over setFont() whenever a widget is re-polished.
        """
        h = max(360, self.height())
        self._phase_px = max(14, int(PHASE_PX * h))
        self._size(self.side_note_label, int(NOTE_PX * h), 600)
        panel_px = max(15, int(PANEL_PX * h))
        for label in (self.position_label, self.steps_label, self.caution_label):
            self._size(label, panel_px)
        self._size(self.source_label, max(13, int(panel_px * 0.8)))
        bar_px = max(14, int(BAR_PX * h))
        self._size(self.routine_label, bar_px, 600)
        self._size(self.time_left_label, bar_px, 600)
        self._size(self.notice, bar_px)
        self._size(self.pain_text, bar_px)
        self.session_bar.setFixedHeight(max(8, int(h * 0.012)))
        button_px = max(14, int(CONTROL_PX * h))
        for button in self._buttons():
            self._size(
                button,
                button_px,
                600,
                f" min-height: {int(button_px * 1.6)}px; padding: {button_px // 3}px"
                f" {button_px // 2}px; min-width: 0px;",
            )
        for pain in self.pain_group.buttons():
            self._size(pain, button_px, 600, f" min-width: {int(button_px * 2)}px;")
        icon = max(16, int(button_px * 1.2))
        for button in (self.back_button, self.pause_button, self.next_button):
            button.setIconSize(QSize(icon, icon))
        self._fit_big_labels()
        if self.phase_label.text():
            self._show_phase(self.phase_label.text(), self._phase_colour)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
