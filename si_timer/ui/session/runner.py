"""One session from start to summary: plan, engine, cues, recording, keep-awake, progression.

The composition root asks the runner to start a routine and hears when the
person leaves the summary; everything in between (what a key does, what is
played and said, what is written to history, what the summary shows) is here.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from si_timer.config.settings import Settings
from si_timer.history.model import Difficulty
from si_timer.library.catalog import Catalog
from si_timer.library.model import Routine
from si_timer.records import record
from si_timer.session.clock import Clock, ScaledClock
from si_timer.session.commands import Command
from si_timer.session.cues import (
    FINISH_CUE,
    PAUSE_SPEECH,
    SLEPT_SPEECH,
    TIMES_TO_TEACH,
    Cue,
    Sound,
    script,
    teaching,
)
from si_timer.session.engine import (
    SLEEP_THRESHOLD,
    STALL_THRESHOLD,
    CueDue,
    EndStatus,
    EngineEvent,
    EngineState,
    PauseReason,
    SegmentFinished,
    SessionEnded,
    SessionEngine,
    StateChanged,
)
from si_timer.session.eventlog import EventLog
from si_timer.session.options import plan_for
from si_timer.session.plan import Level, Plan
from si_timer.session.progression import adjust_exercise_levels, adjustable
from si_timer.session.verbosity import Verbosity
from si_timer.ui.session.controller import SessionController
from si_timer.ui.session.outcome import Ratings, SummaryFacts, exercise_rows
from si_timer.ui.system.outputs import CueOutputs

if TYPE_CHECKING:
    from si_timer.ui.main_window import MainWindow
    from si_timer.ui.session.recording import SessionRecorder
    from si_timer.ui.system.keep_awake import ScreenKeeper

log = logging.getLogger("si_timer")

HURT_NOTICE = (
    "Skipped because it hurt. That's the right call: pain means ease off. "
    "If it keeps hurting, check the warning signs in the Help menu."
)
HURT_SPEECH = "Skipping this one. Pain means ease off."


def hurt_notice(engine: SessionEngine) -> str:
    """The acknowledgement, and what comes next (the engine has already moved on)."""
    view = engine.view()
    if view.segment is None:
        return HURT_NOTICE + " That was the last exercise."
    return f"{HURT_NOTICE} Next: {view.segment.exercise_name}."


# The start screen: a pain rating starts the session after a short 3-2-1; a session that
# nobody at the keyboard started (the command line, a reminder) starts by itself after
# the ``start_wait`` setting.
START_COUNTDOWN = 3.0
SLEPT_NOTICE = "Paused while your computer slept. Press Space or Resume when you are ready."


@record
class Run:
    """One session in progress (or on its summary page)."""

    plan: Plan
    catalog: Catalog
    engine: SessionEngine
    controller: SessionController
    events: EventLog | None
    pain_before: int | None = None
    ended: SessionEnded | None = None
    pain_question: bool = True  # the start screen asks "pain right now?"
    counted_down: int | None = None  # the last 3-2-1 number said on the start screen


class SessionRunner(QObject):
    """Runs one session at a time on the window's player and summary pages.

    ``history``, ``keeper`` and ``settings`` are asked for when needed: history
    and the screen keeper load after the first paint, and settings change.
    ``exercise_counts`` (each exercise's sessions, for the cues that teach new
    ones) comes from a look at the history while it is not open yet.

    Signals:
        session_started(): a session began; the player page is showing.
        session_ended(SessionEnded): the session is over; the summary is showing.
        summary_closed(): the person left the summary; the run is over.
        levels_chosen(object): new levels (``dict[str, Level]``) to save in settings.
        state_changed(StateChanged): the session started, paused, resumed or finished.
    """

    session_started = Signal()
    session_ended = Signal(SessionEnded)
    summary_closed = Signal()
    levels_chosen = Signal(object)
    state_changed = Signal(StateChanged)

    def __init__(
        self,
        window: MainWindow,
        outputs: CueOutputs,
        *,
        clock: Clock,
        history: Callable[[], SessionRecorder],
        exercise_counts: Callable[[], Mapping[str, int]] | None = None,
        keeper: Callable[[], ScreenKeeper],
        settings: Callable[[], Settings],
        time_scale: float = 1.0,
        events_path: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._window = window
        self._outputs = outputs
        self._clock = clock
        self._history = history
        self._exercise_counts = exercise_counts
        self._keeper = keeper
        self._settings = settings
        self._time_scale = time_scale
        self._events_path = events_path
        self.run: Run | None = None
        # The player and the summary are built when a session first needs them.
        for page in window.built_pages():
            self._page_built(page)
        window.page_built.connect(self._page_built)
        outputs.spoken.connect(self._log_spoken)

    def _page_built(self, page: QWidget) -> None:
        if page is self._window.built_player:
            player = self._window.player
            player.command_requested.connect(self.command)
            player.pain_before_chosen.connect(self._pain_before)
            if not self._held:
                player.show_figures()  # (held: on release, just after the first paint)
        elif page is self._window.built_summary:
            summary = self._window.summary
            summary.finished.connect(self._summary_done)
            summary.difficulty_chosen.connect(self._ratings_changed)
            summary.exercise_rated.connect(self._ratings_changed)

    # --- state ---------------------------------------------------------------

    @property
    def running(self) -> bool:
        """A session is counting (not yet on its summary)."""
        return self.run is not None and self.run.ended is None

    @property
    def active(self) -> bool:
        """A session is running or its summary is still open."""
        return self.run is not None

    # --- starting ------------------------------------------------------------

    def start(self, routine: Routine, catalog: Catalog, *, auto_start: bool = False) -> None:
        """Open ``routine`` on the start screen, with the person's settings.

        It starts counting on Space, Enter or a pain rating; with ``auto_start`` (nobody
        at the keyboard: the command line, a reminder) also by itself after a while.
        """
        rate = self._outputs.speech_rate
        plan = plan_for(routine, catalog.exercises, self._settings(), rate=rate)
        self._begin(plan, catalog, auto_start=auto_start)

    def resume(
        self,
        plan: Plan,
        catalog: Catalog,
        *,
        start_index: int,
        resume_id: str,
        auto_start: bool = False,
    ) -> None:
        """Carry on a session an earlier run left unfinished, from ``start_index``."""
        self._begin(
            plan, catalog, start_index=start_index, resume_id=resume_id, auto_start=auto_start
        )

    def _begin(
        self,
        plan: Plan,
        catalog: Catalog,
        *,
        start_index: int = 0,
        resume_id: str | None = None,
        auto_start: bool = False,
    ) -> None:
        if self.run is not None:
            return
        settings = self._settings()
        verbosity = settings.verbosity if settings.voice else Verbosity.OFF
        cues = script(
            plan,
            catalog.exercises,
            verbosity,
            new=self._new_exercises(plan.exercise_ids),
            rate=self._outputs.speech_rate,
            time_left=settings.ten_seconds_left,
        )
        clock = self._clock
        if self._time_scale != 1.0:
            clock = ScaledClock(clock, self._time_scale)
        controller = SessionController(clock, time_scale=self._time_scale, parent=self)
        events = EventLog(self._events_path) if self._events_path else None
        engine = SessionEngine(
            plan,
            clock,
            self._on_event,
            cues,
            sleep_threshold=SLEEP_THRESHOLD * self._time_scale,
            stall_threshold=STALL_THRESHOLD * self._time_scale,
            start_index=start_index,
        )
        controller.attach(engine)
        self.run = Run(plan, catalog, engine, controller, events, pain_question=not start_index)
        controller.updated.connect(self._repaint)
        if self._held:  # the history opens after the first paint
            self._begin_later = (plan, resume_id)
        else:
            self._history().begin(plan, resume_id=resume_id)
        player = self._window.player
        sources = catalog.source_titles()
        player.load(plan, catalog.exercises, sources)
        if start_index:
            player.hide_pain_question()
        self._window.show_page(player)
        if settings.start_fullscreen and not self._window.full_screen:
            self._window.toggle_fullscreen()
        self.session_started.emit()
        # The start screen: nothing counts until the person is ready (or, with nobody at
        # the keyboard, after a while).
        self._repaint()
        if self._held:
            self._waiting = auto_start
        else:
            self._get_going(auto_start)

    def hold(self) -> None:
        """Until :meth:`release`, a session opened shows its start screen only: its
        sounds and voice load, its figure is drawn, it is written to the history and
        an automatic start counts, on release.  The app holds while the window has not
        painted yet (``si-timer start``)."""
        self._held = True

    def release(self) -> None:
        self._held = False
        if self._window.built_player is not None:
            self._window.built_player.show_figures()
        begin, self._begin_later = self._begin_later, None
        if begin is not None and self.running:
            self._history().begin(begin[0], resume_id=begin[1])
        waiting, self._waiting = self._waiting, None
        if waiting is not None and self.running:
            self._get_going(waiting)

    _held = False
    _waiting: bool | None = None  # a held session's auto_start
    _begin_later: tuple[Plan, str | None] | None = None  # a held session's history record

    def _get_going(self, auto_start: bool) -> None:
        run = self.run
        assert run is not None
        self._outputs.prepare()  # so the first cue is on time
        if auto_start:
            run.controller.start_after(self._settings().start_wait)

    def _new_exercises(self, ids: Iterable[str]) -> set[str]:
        """The exercises in ``ids`` this person has done fewer than TIMES_TO_TEACH times."""
        if self._exercise_counts is not None:
            counts = self._exercise_counts()  # (held: the history is not open yet)
        else:
            store = self._history().store
            counts = dict(store.exercise_counts()) if store is not None else {}
        return {ex for ex in ids if counts.get(ex, 0) < TIMES_TO_TEACH}

    # --- what the engine says ------------------------------------------------

    def _on_event(self, event: EngineEvent) -> None:
        """The engine's callback: act on each event at once, in the engine's order."""
        run = self.run
        if run is None:
            return
        match event:
            case CueDue(cue=cue):
                self._outputs.play(cue)
                if run.events is not None:
                    # When the cue really reached its output: what a person hears.
                    run.events.write(event, out=run.engine.session_time())
                return
            case SegmentFinished():
                if run.events is not None:
                    run.events.write(event)
                self._history().record(event)
            case StateChanged():
                if run.events is not None:
                    run.events.write(event)
                self._state_changed(event)
                self.state_changed.emit(event)
            case SessionEnded():
                if run.events is not None:
                    run.events.write(event)
                self._ended(event)
            case _:
                if run.events is not None:
                    run.events.write(event)

    def _repaint(self) -> None:
        run = self.run
        if run is not None and run.ended is None:
            view = run.controller.view()
            if view is not None:
                self._window.player.show_view(view)
                if view.state is EngineState.READY:
                    self._show_ready(run)

    def _show_ready(self, run: Run) -> None:
        starts_in = run.controller.starts_in()
        self._window.player.show_ready(run.pain_question, starts_in)
        if starts_in is None:
            return
        number = math.ceil(starts_in - 1e-6)
        if 1 <= number <= START_COUNTDOWN and number != run.counted_down:
            run.counted_down = number
            self._outputs.play(Cue(None, str(number), Sound.TICK))

    def _state_changed(self, change: StateChanged) -> None:
        if change.state in (EngineState.RUNNING, EngineState.RESUMING):
            self._keeper().inhibit("Exercise session running")
        else:
            self._keeper().release()
        player = self._window.player
        if change.state is EngineState.RUNNING and change.t == 0.0:
            player.hide_ready()  # the session starts counting: the start screen is done
            player.hide_pain_question()
        if change.state is EngineState.PAUSED:
            slept = change.reason in (PauseReason.SLEPT, PauseReason.STALLED)
            if slept:
                player.set_notice(SLEPT_NOTICE)
            # A pause for a question (end the session?) is announced by the question.
            if change.reason is not PauseReason.ASKED:
                self._outputs.say(SLEPT_SPEECH if slept else PAUSE_SPEECH, interrupt=True)
        elif change.state is EngineState.RESUMING:
            player.set_notice(None)

    def _log_spoken(self, text: str) -> None:
        run = self.run
        if run is not None and run.events is not None:
            run.events.write_raw(
                {
                    "t": round(run.engine.session_time(), 4),
                    "event": "spoken",
                    "text": text,
                    "index": run.engine.index,
                }
            )

    # --- what the person asks ------------------------------------------------

    def command(self, command: Command) -> None:
        """A button, key or media key: the one way into a running session."""
        run = self.run
        if run is None or run.ended is not None:
            return
        c = run.controller
        state = run.engine.state
        if state is EngineState.READY:
            # The start screen: any "go" starts now; the rest waits for a running session.
            if command in (Command.PAUSE, Command.DONE, Command.READY, Command.PLAY, Command.NEXT):
                c.start()
            elif command is Command.END:
                c.end()  # nothing done yet: no need to ask
            return
        getting_there = run.engine.segment.kind.is_getting_there
        match command:
            case Command.PAUSE:
                c.toggle_pause()
            case Command.READY:
                if state is EngineState.PAUSED:
                    c.resume()
                else:
                    c.ready()
            case Command.PLAY:
                if state is EngineState.PAUSED:
                    c.resume()
            case Command.HALT:
                if state in (EngineState.RUNNING, EngineState.RESUMING):
                    c.pause()
            case Command.NEXT | Command.DONE if getting_there:
                c.ready()  # in position early: start the exercise now, not "skipped"
            case Command.NEXT:
                self._outputs.hush()  # the new step's line must not wait behind the old one
                c.next()
            case Command.PREVIOUS:
                self._outputs.hush()
                c.previous()
            case Command.SKIP_EXERCISE:
                c.skip_exercise()
            case Command.PREVIOUS_EXERCISE:
                c.previous_exercise()
            case Command.DONE:
                c.done()
            case Command.EXTEND:
                c.extend()
            case Command.HURTS:
                # Said first, cutting in: the rest that follows queues its line after it.
                self._outputs.say(HURT_SPEECH, interrupt=True)
                c.skip_for_pain()
                self._window.player.set_notice(hurt_notice(run.engine))
            case Command.REPEAT:
                index = run.engine.index
                if 0 <= index < len(run.plan.segments):
                    line = teaching(run.plan, index, run.catalog.exercises)
                    self._outputs.say(line, interrupt=True)
            case Command.END:
                self.confirm_end()

    def confirm_end(self) -> bool:
        """Ask before ending; the session waits, paused, while the question is open.

        Returns True when the session was ended.
        """
        run = self.run
        if run is None or run.ended is not None:
            return False
        with self.question():
            if self._window.ask_end():
                self.end()
                return True
        return False

    @contextmanager
    def question(self) -> Iterator[None]:
        """Any question or dialog over a session: nothing runs out behind it.  A running
        session pauses first and carries on (after a 3-2-1) once it closes; one already
        paused, ended or on its start screen is left as it is."""
        run = self.run
        was_running = (
            run is not None
            and run.ended is None
            and run.engine.state in (EngineState.RUNNING, EngineState.RESUMING)
        )
        if run is not None and was_running:
            run.controller.pause(PauseReason.ASKED)
        try:
            yield
        finally:
            if run is not None and was_running and self.run is run and run.ended is None:
                run.controller.resume()

    def end(self) -> None:
        """End the session now (what was done is kept, as a partial session)."""
        if self.run is not None and self.run.ended is None:
            self.run.controller.end()

    def _pain_before(self, value: int) -> None:
        run = self.run
        if run is not None:
            run.pain_before = value
            self._history().set_pain_before(value)
            starts_in = run.controller.starts_in()
            if run.engine.state is EngineState.READY and (
                starts_in is None or starts_in > START_COUNTDOWN
            ):
                run.controller.start_after(START_COUNTDOWN)

    # --- the end and the summary ---------------------------------------------

    def _ended(self, ended: SessionEnded) -> None:
        run = self.run
        if run is None or run.ended is not None:
            return
        run.ended = ended
        run.controller.stop()
        self._keeper().release()
        if ended.status is EndStatus.COMPLETED:
            self._outputs.play(FINISH_CUE)
        saved = self._history().end(ended)
        window = self._window
        if window.full_screen:
            window.toggle_fullscreen()
        window.summary.show_facts(
            SummaryFacts(
                routine_name=run.plan.routine_name,
                completed=ended.status is EndStatus.COMPLETED,
                done=ended.done,
                skipped=ended.skipped,
                total=ended.total,
                active_seconds=ended.active_seconds,
                pain_before=run.pain_before,
                saved=saved,
                exercises=tuple(exercise_rows(ended.counted, self._adjustable)),
                tally=ended.counted,
                figures=run.catalog.exercises,
            )
        )
        window.show_page(window.summary)
        self.session_ended.emit(ended)

    def _adjustable(self, exercise_id: str) -> bool:
        run = self.run
        if run is None or exercise_id in run.plan.prescribed_ids:
            return False  # a prescribed dose stays as it was given
        exercise = run.catalog.exercises.get(exercise_id)
        return exercise is not None and adjustable(exercise)

    def _level_changes(self, ratings: Ratings) -> tuple[dict[str, Level], list[str]]:
        """The session-wide choice rates every exercise; an exercise's own choice wins."""
        assert self.run is not None
        rated: dict[str, Difficulty] = {}
        if ratings.difficulty is not None:
            rated = dict.fromkeys(self.run.plan.exercise_ids, ratings.difficulty)
        rated.update(ratings.per_exercise)
        for exercise_id in self.run.plan.prescribed_ids:  # a prescribed dose stays as given
            rated.pop(exercise_id, None)
        return adjust_exercise_levels(self._settings().levels, rated, self.run.catalog.exercises)

    def _ratings_changed(self, *_: object) -> None:
        if self.run is not None:
            summary = self._window.summary
            summary.show_next_time(self._level_changes(summary.ratings())[1])

    def _summary_done(self, ratings: Ratings) -> None:
        run = self.run
        self._history().rate(ratings)
        if run is not None:
            levels, changes = self._level_changes(ratings)
            if changes:
                self.levels_chosen.emit(levels)
        if run is not None and run.events is not None:
            run.events.close()
        self.run = None
        self.summary_closed.emit()

    # --- leaving -------------------------------------------------------------

    def flush(self) -> None:
        """Push what is buffered to disk now (after a bug, before anything else happens)."""
        if self.run is not None and self.run.events is not None:
            self.run.events.flush()

    def shut_down(self) -> None:
        """The window is closing: keep what was done, as a partial session."""
        run = self.run
        if run is None:
            return
        if run.ended is None:
            run.controller.end()
        run.controller.stop()
