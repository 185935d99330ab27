"""The composition root: builds the app's parts and wires them together, once.

Everything else only shows state or emits signals; what happens when a key is
pressed, a segment ends or a session finishes is decided here.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from si_timer import APP_DISPLAY_NAME, APP_NAME, __version__, assets
from si_timer.config.files import FileProblem, read_limited, write_private
from si_timer.config.paths import AppPaths
from si_timer.config.settings import MAX_SETTINGS_BYTES, Settings, load_settings, save_settings
from si_timer.library.catalog import Catalog, load_catalog
from si_timer.library.safety import load_safety
from si_timer.session.clock import Clock, ScaledClock, SystemClock
from si_timer.session.cues import FINISH_CUE, PAUSE_SPEECH, SLEPT_SPEECH, Cue, Verbosity, script
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
from si_timer.session.plan import Level, Plan, PlanOptions, build_plan
from si_timer.session.progression import adjust_levels
from si_timer.ui.session.controller import SessionController

if TYPE_CHECKING:
    from si_timer.ui.history.notifier import HistoryNotifier
    from si_timer.ui.history.view import HistoryView
    from si_timer.ui.session.recording import SessionRecorder
    from si_timer.ui.system.audio import SoundPlayer
    from si_timer.ui.system.keep_awake import ScreenKeeper
from si_timer.ui.dialogs import SafetyDialog, SettingsDialog
from si_timer.ui.home import RoutineCard, days_ago_text
from si_timer.ui.main_window import MainWindow
from si_timer.ui.session.summary import Ratings, SummaryFacts, exercise_results
from si_timer.ui.system.single_instance import (
    HandOver,
    InstanceServer,
    hand_over,
    server_name,
)
from si_timer.ui.system.speech import Speaker
from si_timer.ui.theme import apply_theme

log = logging.getLogger("si_timer")


@dataclass
class _Run:
    """One session in progress."""

    plan: Plan
    engine: SessionEngine
    controller: SessionController
    events: EventLog | None
    pain_before: int | None = None
    ended: SessionEnded | None = None


class App(QObject):
    """Owns the app's parts and decides what every signal does.

    ``clock`` is the time source for sessions (tests pass a FakeClock).
    """

    def __init__(
        self,
        qapp: QApplication,
        paths: AppPaths,
        *,
        time_scale: float = 1.0,
        events: Path | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__()
        self.qapp = qapp
        self.paths = paths
        self.clock: Clock = clock or SystemClock()
        self.time_scale = time_scale
        self.events_path = events
        self.notices: list[str] = []
        try:
            paths.ensure()
        except OSError as exc:
            self.notices.append(
                f"Your data folder cannot be created ({exc.strerror}): nothing will be saved."
            )
        self.settings, warnings = load_settings(paths.settings_file)
        for warning in warnings:
            log.warning("%s", warning)
        # A settings file with problems is copied aside before the first save
        # replaces it: one typo must not silently cost everything else in it.
        self._keep_settings_file = bool(warnings) and paths.settings_file.is_file()
        if warnings:
            self.notices.append(
                "Some of your settings could not be read and are back to their defaults"
                " (the file is kept aside when settings are next saved; see the log)."
            )
        self.palette = apply_theme(qapp, self.settings.theme)
        self.catalog: Catalog = load_catalog(paths.user_exercises_dir, paths.user_routines_dir)
        for error in self.catalog.errors:
            log.warning("%s", error)
        if self.catalog.errors:
            first = self.catalog.errors[0]
            more = len(self.catalog.errors) - 1
            self.notices.append(
                f"A file of yours has a problem and was left out: {first}"
                + (f" (and {more} more)" if more else "")
            )
        # History, sounds, speech and the screen keeper load after the window
        # has painted (or when a session needs them): none of it is needed to
        # show the home screen, and together they are a third of start-up.
        self._history: SessionRecorder | None = None
        self.history_notifier: HistoryNotifier | None = None
        self._history_view: HistoryView | None = None
        self.window = MainWindow(self.palette, paths.window_state_file)
        self.window.setWindowIcon(QIcon(str(assets.resource("icons", "si-timer.svg"))))
        self._sounds: SoundPlayer | None = None
        self.speaker: Speaker | None = None  # the engine is slow to load: built for a session
        self._keeper: ScreenKeeper | None = None
        self.muted = False
        self.run: _Run | None = None
        self._wire()
        self.refresh_home()

    # --- wiring --------------------------------------------------------------

    def _wire(self) -> None:
        w = self.window
        w.home.start_requested.connect(self.start_routine)
        w.home.history_requested.connect(self.show_history)
        w.home.settings_requested.connect(self.edit_settings)
        w.history_requested.connect(self.show_history)
        w.home_requested.connect(self.go_home)
        w.settings_requested.connect(self.edit_settings)
        w.safety_requested.connect(lambda: self.show_safety(first_run=False))
        w.about_requested.connect(self.show_about)
        w.export_requested.connect(self.export_history)
        w.import_requested.connect(self.import_history)
        w.mute_toggled.connect(self.toggle_mute)
        w.session_key.connect(self._session_key)
        w.end_requested.connect(self._end_session)
        w.closing.connect(self.shut_down)
        p = w.player
        p.pause_clicked.connect(lambda: self._session_key("pause"))
        p.previous_clicked.connect(lambda: self._session_key("previous"))
        p.next_clicked.connect(lambda: self._session_key("next"))
        p.done_clicked.connect(lambda: self._session_key("done"))
        p.extend_clicked.connect(lambda: self._session_key("extend"))
        p.hurts_clicked.connect(lambda: self._session_key("hurts"))
        p.end_clicked.connect(w.confirm_end)
        p.pain_before_chosen.connect(self._pain_before)
        w.summary.finished.connect(self._summary_done)
        w.summary.difficulty_chosen.connect(self._difficulty_chosen)
        w.summary.safety_requested.connect(lambda: self.show_safety(first_run=False))

    @property
    def history(self) -> SessionRecorder:
        """The history recorder, opened on first use."""
        if self._history is None:
            from si_timer.ui.history.notifier import HistoryNotifier
            from si_timer.ui.session.recording import SessionRecorder

            self._history = SessionRecorder.open(self.paths, self)
            if self._history.notice:
                self.notices.append(self._history.notice)
            store = self._history.store
            if store is not None:
                self.history_notifier = HistoryNotifier(store, self)
                self.history_notifier.history_changed.connect(self.refresh_home)
            self.refresh_home()
        return self._history

    @property
    def sounds(self) -> SoundPlayer:
        if self._sounds is None:
            from si_timer.ui.system.audio import SoundPlayer

            self._sounds = SoundPlayer(
                self, volume=self.settings.volume, muted=self.muted or not self.settings.sounds
            )
            self._sounds.unavailable.connect(self._show_status)
        return self._sounds

    @property
    def keeper(self) -> ScreenKeeper:
        if self._keeper is None:
            from si_timer.ui.system.keep_awake import ScreenKeeper

            self._keeper = ScreenKeeper()
        return self._keeper

    # --- home ----------------------------------------------------------------

    def refresh_home(self) -> None:
        cards = []
        usage = self._history.routine_usage() if self._history is not None else {}
        today = date.today()
        for routine in self.catalog.routines.values():
            count_last = usage.get(routine.id)
            last_done = days_ago_text(count_last[1], today) if count_last else "Not done yet"
            plan = build_plan(routine, self.catalog.exercises, self.plan_options())
            cards.append(
                RoutineCard(
                    routine_id=routine.id,
                    name=routine.name,
                    description=routine.description,
                    exercises=len(routine.entries),
                    total_seconds=plan.total_seconds,
                    last_done=last_done,
                    yours=not (routine.origin and routine.origin.bundled),
                )
            )
        counts = {rid: n for rid, (n, _) in usage.items()}
        self.window.home.set_routines(cards, self.hero_routine(counts))
        if self._history is not None:
            greeting, status, streak = self._history.home_status(self.catalog)
            self.window.home.set_status(greeting, status, streak)
            self.notices.extend(self._history.new_notices())
        self.window.home.set_notice("  ".join(self.notices) if self.notices else None)

    def hero_routine(self, counts: dict[str, int]) -> str:
        """The routine the big button starts: the chosen one, else the most done, else morning."""
        routines = self.catalog.routines
        if self.settings.favourite_routine in routines:
            return self.settings.favourite_routine
        done = [(n, rid) for rid, n in counts.items() if rid in routines and n > 0]
        if done:
            return max(done)[1]
        return "morning" if "morning" in routines else next(iter(routines), "")

    def go_home(self) -> None:
        if self.run is not None and self.run.ended is None:
            self.window.confirm_end()
            return
        self.window.show_page(self.window.home)

    def history_view(self) -> HistoryView | None:
        """The calendar page, built the first time it is needed (it queries the store)."""
        from si_timer.ui.history.view import HistoryView  # QtCharts: off the start-up path

        if self._history_view is None:
            store = self.history.store
            if store is None or self.history_notifier is None:
                QMessageBox.information(
                    self.window,
                    "History is off",
                    self.history.notice or "History cannot be opened.",
                )
                return None
            self._history_view = HistoryView(store, self.history_notifier, today=date.today)
            self._history_view.home_requested.connect(self.go_home)
        return self._history_view

    def show_history(self) -> None:
        if self.run is not None and self.run.ended is None:
            return  # never leave a running session by accident
        view = self.history_view()
        if view is not None:
            self.window.show_page(view)

    def export_history(self) -> None:
        view = self.history_view()
        if view is not None:
            view.export_dialog()

    def import_history(self) -> None:
        view = self.history_view()
        if view is not None:
            view.import_dialog()

    # --- sessions ------------------------------------------------------------

    def plan_options(self) -> PlanOptions:
        s = self.settings
        levels = {ex_id: Level(hold=hold) for ex_id, hold in s.levels.items()}
        return PlanOptions(
            lead_in=s.lead_in, switch=s.switch, rest_between=s.rest_between, levels=levels
        )

    def start_routine(
        self,
        routine_id: str,
        *,
        plan: Plan | None = None,
        start_index: int = 0,
        resume_id: str | None = None,
    ) -> None:
        if self.run is not None and self.run.ended is None:
            return
        if plan is None:
            routine = self.catalog.routines.get(routine_id)
            if routine is None:
                QMessageBox.warning(
                    self.window, "Unknown routine", f"There is no routine called '{routine_id}'."
                )
                return
            plan = build_plan(routine, self.catalog.exercises, self.plan_options())
        verbosity = self.settings.verbosity if self.settings.voice else Verbosity.OFF
        if not self.settings.ten_seconds_left and verbosity is Verbosity.FULL:
            verbosity = Verbosity.KEY
        cues = script(plan, self.catalog.exercises, verbosity)
        clock = self.clock
        if self.time_scale != 1.0:
            clock = ScaledClock(clock, self.time_scale)
        controller = SessionController(clock, time_scale=self.time_scale, parent=self)
        events = EventLog(self.events_path) if self.events_path else None

        def on_event(event: EngineEvent) -> None:
            if events is not None:
                events.write(event)
            controller.dispatch(event)

        engine = SessionEngine(
            plan,
            clock,
            on_event,
            cues,
            sleep_threshold=SLEEP_THRESHOLD * self.time_scale,
            stall_threshold=STALL_THRESHOLD * self.time_scale,
            start_index=start_index,
        )
        controller.attach(engine)
        self.run = _Run(plan, engine, controller, events)
        controller.updated.connect(self._repaint)
        controller.cue_due.connect(self._cue)
        controller.segment_finished.connect(self._segment_finished)
        controller.state_changed.connect(self._state_changed)
        controller.session_ended.connect(self._session_ended)
        self.history.begin(plan, resume_id=resume_id)
        # Sounds first: QtMultimedia and QtTextToSpeech both load plugins, and
        # starting both at once (speech on its own thread) can deadlock on
        # Qt's plugin-loader lock and Python's GIL.
        self.sounds.preload()
        self._ensure_speaker()
        sources = {sid: self.catalog.source_title(sid) for sid in self.catalog.sources}
        self.window.player.load(plan, self.catalog.exercises, sources)
        if start_index:
            self.window.player.hide_pain_question()
        self.window.show_page(self.window.player)
        if self.settings.start_fullscreen and not self.window.full_screen:
            self.window.toggle_fullscreen()
        controller.start()

    def start_from_argument(self, routine_arg: str) -> None:
        """``si-timer start ROUTINE``: a routine id, or a routine YAML file."""
        path = Path(routine_arg)
        if routine_arg.endswith((".yaml", ".yml")) or path.is_file():
            catalog = load_catalog(
                self.paths.user_exercises_dir, self.paths.user_routines_dir, [path]
            )
            problems = [str(e) for e in catalog.errors if e.file == str(path)]
            routine = next(
                (r for r in catalog.routines.values() if r.origin and r.origin.path == str(path)),
                None,
            )
            if problems or routine is None:
                QMessageBox.warning(
                    self.window,
                    "This routine cannot start",
                    "\n".join(problems) or f"{path} is not a routine file.",
                )
                return
            self.catalog = catalog
            self.start_routine(routine.id)
            return
        self.start_routine(routine_arg)

    def _ensure_speaker(self) -> None:
        if self.speaker is None:
            self.speaker = Speaker(self.settings.speech_engine or None, self)
            self.speaker.unavailable.connect(self._show_status)
            self.speaker.set_volume(self.settings.volume)
            self.speaker.set_enabled(self.settings.voice and not self.muted)
            if self.events_path is not None:
                self.speaker.spoken.connect(self._log_spoken)
            self.speaker.warm_up()

    def _log_spoken(self, text: str) -> None:
        if self.run is not None and self.run.events is not None:
            view = self.run.engine
            self.run.events.write_raw({"event": "spoken", "text": text, "index": view.index})

    def _session_key(self, name: str) -> None:
        run = self.run
        if run is None or run.ended is not None:
            return
        c = run.controller
        {
            "pause": c.toggle_pause,
            "next": c.next,
            "previous": c.previous,
            "done": c.done,
            "extend": c.extend,
            "hurts": self._hurts,
        }[name]()

    def _hurts(self) -> None:
        assert self.run is not None
        self.run.controller.skip_for_pain()
        self.window.player.set_notice(
            "Skipped because it hurt. That's the right call: pain means ease off. "
            "If it keeps hurting, check the warning signs in the Help menu."
        )
        self._say("Skipping this one. Pain means ease off.", interrupt=True)

    def _end_session(self) -> None:
        if self.run is not None and self.run.ended is None:
            self.run.controller.end()

    def _pain_before(self, value: int) -> None:
        if self.run is not None:
            self.run.pain_before = value
            self.history.set_pain_before(value)

    def _repaint(self) -> None:
        run = self.run
        if run is not None and run.ended is None:
            view = run.controller.view()
            if view is not None:
                self.window.player.show_view(view)

    def _cue(self, due: CueDue) -> None:
        self._play(due.cue)

    def _play(self, cue: Cue) -> None:
        if cue.sound is not None and not self.muted:
            self.sounds.play(cue.sound)
        if cue.speech:
            self._say(cue.speech, interrupt=cue.at is None)

    def _say(self, text: str, *, interrupt: bool = False) -> None:
        if self.speaker is not None and not self.muted and self.settings.voice:
            self.speaker.say(text, interrupt)

    def _segment_finished(self, finished: SegmentFinished) -> None:
        self.history.record(finished)

    def _state_changed(self, change: StateChanged) -> None:
        if change.state in (EngineState.RUNNING, EngineState.RESUMING):
            self.keeper.inhibit("Exercise session running")
        else:
            self.keeper.release()
        if change.state is EngineState.PAUSED:
            slept = change.reason in (PauseReason.SLEPT, PauseReason.STALLED)
            if slept:
                self.window.player.set_notice(
                    "Paused while your computer slept. Press Space or Resume when you are ready."
                )
            self._say(SLEPT_SPEECH if slept else PAUSE_SPEECH, interrupt=True)
        elif change.state is EngineState.RESUMING:
            self.window.player.set_notice(None)

    def _session_ended(self, ended: SessionEnded) -> None:
        run = self.run
        if run is None:
            return
        run.ended = ended
        run.controller.stop()
        self.keeper.release()
        if ended.status is EndStatus.COMPLETED:
            self._play(FINISH_CUE)
        saved = self.history.end(ended)
        if self.window.full_screen:
            self.window.toggle_fullscreen()
        self.window.summary.show_facts(
            SummaryFacts(
                routine_name=run.plan.routine_name,
                completed=ended.status is EndStatus.COMPLETED,
                done=ended.done,
                skipped=ended.skipped,
                total=ended.total,
                active_seconds=ended.active_seconds,
                pain_before=run.pain_before,
                saved=saved,
                exercises=tuple(exercise_results(run.plan, run.engine.outcomes)),
            )
        )
        self.window.show_page(self.window.summary)

    def _level_changes(self, difficulty: str) -> tuple[dict[str, float], list[str]]:
        assert self.run is not None
        return adjust_levels(
            self.settings.levels, self.run.plan.exercise_ids, self.catalog.exercises, difficulty
        )

    def _difficulty_chosen(self, difficulty: str) -> None:
        if self.run is not None:
            self.window.summary.show_next_time(self._level_changes(difficulty)[1])

    def _summary_done(self, ratings: Ratings) -> None:
        self.history.rate(ratings)
        if self.run is not None and ratings.difficulty is not None:
            levels, changes = self._level_changes(ratings.difficulty)
            if changes:
                self.update_settings(dataclasses.replace(self.settings, levels=levels))
        if self.run is not None and self.run.events is not None:
            self.run.events.close()
        self.run = None
        self.refresh_home()
        self.window.show_page(self.window.home)

    # --- settings, safety, misc ----------------------------------------------

    def toggle_mute(self) -> None:
        self.muted = not self.muted
        if self._sounds is not None:
            self._sounds.set_muted(self.muted or not self.settings.sounds)
        if self.speaker is not None:
            self.speaker.set_enabled(self.settings.voice and not self.muted)
        self.window.statusBar().showMessage("Muted" if self.muted else "Sound on", 3000)

    def edit_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self.window)
        if dialog.exec():
            self.update_settings(dialog.settings())

    def update_settings(self, settings: Settings) -> None:
        theme_changed = settings.theme is not self.settings.theme
        self.settings = settings
        try:
            self._keep_broken_settings()
            save_settings(self.paths.settings_file, settings)
        except OSError as exc:
            self._quiet_notice(f"Settings could not be saved ({exc.strerror}).")
        if theme_changed:
            self.palette = apply_theme(self.qapp, settings.theme)
            self.window.player.set_palette(self.palette)
        if self._sounds is not None:
            self._sounds.set_volume(settings.volume)
            self._sounds.set_muted(self.muted or not settings.sounds)
        if self.speaker is not None:
            self.speaker.set_volume(settings.volume)
            self.speaker.set_enabled(settings.voice and not self.muted)
        self.refresh_home()

    def _keep_broken_settings(self) -> None:
        """Copy a settings file that could not be fully read aside, once, before a save."""
        if not self._keep_settings_file:
            return
        source = self.paths.settings_file
        kept = source.with_name(f"{source.name}.broken-{datetime.now(UTC):%Y%m%dT%H%M%SZ}")
        self._keep_settings_file = False
        # Read with the cap and written owner-only: it may be a pipe or a device.
        try:
            write_private(kept, read_limited(source, MAX_SETTINGS_BYTES))
        except (FileProblem, OSError) as error:
            log.warning("your settings file had problems and cannot be kept aside: %s", error)
            return
        log.warning("your settings file had problems; it is kept as %s", kept)

    def show_safety(self, *, first_run: bool) -> None:
        SafetyDialog(load_safety(), first_run=first_run, parent=self.window).exec()
        if first_run and not self.settings.safety_acknowledged:
            self.update_settings(dataclasses.replace(self.settings, safety_acknowledged=True))

    def show_about(self) -> None:
        QMessageBox.about(
            self.window,
            f"About {APP_DISPLAY_NAME}",
            f"<h3>{APP_DISPLAY_NAME} {__version__}</h3>"
            "<p>A follow-along timer for sacroiliac joint and low-back exercises.</p>"
            "<p>Exercises and doses come from two published SI-joint guides; "
            "each exercise names its source. Guidance, not diagnosis.</p>"
            f"<p>Your data: {self.paths.data_dir}</p>",
        )

    def handle_request(self, request: dict[str, str]) -> None:
        """Another ``si-timer`` was started: come to the front, and start its routine if free."""
        window = self.window
        if window.isMinimized():
            window.showNormal()
        window.raise_()
        window.activateWindow()
        if request.get("command") == "start" and request.get("routine"):
            if self.run is None:
                self.start_from_argument(request["routine"])
            else:
                busy = self.run.ended is None
                self._quiet_notice(
                    "A session is already running; finish it first."
                    if busy
                    else "Save this session's summary first, then start the next one."
                )

    def _quiet_notice(self, text: str) -> None:
        log.info("%s", text)
        self._show_status(text)

    def _show_status(self, text: str) -> None:
        """Show a notice its sender has logged already (sounds, speech): logged once, not twice."""
        self.window.statusBar().showMessage(text, 10000)

    def shut_down(self) -> None:
        if self.run is not None and self.run.ended is None:
            # Closing mid-session keeps what was done, as a partial session.
            self.run.controller.end()
        if self.run is not None:
            self.run.controller.stop()
        if self._keeper is not None:
            self._keeper.release()
        if self.speaker is not None:
            self.speaker.close()
        if self._history is not None:
            self._history.close()


class FirstPaintProbe(QObject):
    """For benchmarks: prints ``painted:NAME`` on stdout the first time each watched
    widget paints, so start-up can be timed from outside the process."""

    def __init__(self, widgets: dict[str, QWidget]) -> None:
        super().__init__()
        self._names = {widget: name for name, widget in widgets.items()}
        for widget in widgets.values():
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and watched in self._names:
            name = self._names.pop(watched)
            # Report after this paint has reached the screen, not before it.
            QTimer.singleShot(0, lambda: print(f"painted:{name}", flush=True))
            watched.removeEventFilter(self)
        return False


def run_app(paths: AppPaths, args: argparse.Namespace) -> int:
    """Open the window (and a session if asked); returns the exit code."""
    logging.basicConfig(level=logging.INFO, format="si-timer: %(message)s", stream=sys.stderr)
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qapp, QApplication)
    qapp.setApplicationName(APP_NAME)
    qapp.setApplicationDisplayName(APP_DISPLAY_NAME)
    qapp.setApplicationVersion(__version__)
    qapp.setDesktopFileName("io.github.si_timer.SiTimer")
    command = getattr(args, "command", None) or "open"
    request = {"command": command}
    if command == "start":
        request["routine"] = args.routine
    name = server_name(paths.data_dir)
    handed = hand_over(name, request)
    if handed is HandOver.HANDED_OVER:
        print("si-timer is already running: it was brought to the front.", file=sys.stderr)
        return 0
    if handed is HandOver.NOT_RESPONDING:
        print(
            "si-timer is already running but is not responding; "
            "close it (or end its process) and start again.",
            file=sys.stderr,
        )
        return 1
    server = InstanceServer(name)
    app = App(
        qapp,
        paths,
        time_scale=getattr(args, "time_scale", 1.0),
        events=getattr(args, "events", None),
    )
    window = app.window
    window.show()
    if (command == "start" and getattr(args, "fullscreen", False)) or window.wants_fullscreen:
        window.toggle_fullscreen()

    def after_show() -> None:
        app.history  # noqa: B018 - opens the history now that the window has painted
        if not app.settings.safety_acknowledged:
            app.show_safety(first_run=True)
        app.history.offer_resume(window, app.start_routine)
        if command == "start":
            app.start_from_argument(args.routine)

    server.request_received.connect(app.handle_request)
    probe = None
    if os.environ.get("SI_TIMER_PAINT_PROBE"):
        probe = FirstPaintProbe({"home": window.home, "countdown": window.player.ring})
    QTimer.singleShot(0, after_show)
    code = qapp.exec()
    del probe
    return code
