"""The composition root: builds the app's parts, wires them together once, and navigates.

What a session does is the session runner's (:mod:`si_timer.ui.session.runner`);
what the home page says is its presenter's; sounds and voice follow settings
through :class:`~si_timer.ui.system.outputs.CueOutputs`.  Here: construction,
wiring, navigation, settings and start-up.

Start-up is shaped by what the first screen needs.  Before it paints: the
settings, the library (from its cache, :mod:`si_timer.library.cache`), the
window and the one page it shows.  Everything else is built on first use
and its module imported then: the other pages (:class:`MainWindow` builds
each when asked and says so with ``page_built``, wired in :meth:`App._page_built`),
the session runner (:attr:`App.runner`), reminders and the tray
(:attr:`App.background`), history, sounds, speech, D-Bus and the screen keeper;
each feature's flow (the routine editor, one's own exercises, sharing, handouts)
is made at once but builds its dialogs and pages when first asked.
:meth:`App.after_first_paint` opens the history and draws the figures.
``si-timer start ROUTINE`` shows the session's start screen as the first page
(:meth:`App.open_session_first`), without building home.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from si_timer import APP_DISPLAY_NAME, __version__, assets
from si_timer.config.logs import see_the_log
from si_timer.config.paths import AppPaths
from si_timer.config.settings import Settings, SettingsFile
from si_timer.desktop_id import APP_ID
from si_timer.figures.cache import keep_figures_in
from si_timer.library.cache import cached_catalog
from si_timer.library.catalog import Catalog
from si_timer.records import replace
from si_timer.session.clock import Clock, SystemClock
from si_timer.ui.exercise_flow import ExerciseFlow
from si_timer.ui.history.access import HistoryAccess
from si_timer.ui.home_presenter import HomePresenter
from si_timer.ui.main_window import MainWindow
from si_timer.ui.notices import Notice, NoticeBoard, NoticeLevel
from si_timer.ui.printing.handout_flow import HandoutFlow
from si_timer.ui.routine_flow import RoutineFlow
from si_timer.ui.sharing_flow import SharingFlow
from si_timer.ui.system.media_keys import MediaKeys
from si_timer.ui.system.outputs import CueOutputs
from si_timer.ui.theme import apply_theme

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from si_timer.session.commands import Command
    from si_timer.session.plan import Level, Plan
    from si_timer.ui.background import Background
    from si_timer.ui.session.recording import SessionRecorder
    from si_timer.ui.session.runner import SessionRunner
    from si_timer.ui.system.keep_awake import ScreenKeeper

log = logging.getLogger("si_timer")


class App(QObject):
    """Owns the app's parts and connects them.

    ``clock`` is the time source for sessions (tests pass a FakeClock);
    ``catalog``: the library, when the caller has read it already (the
    command line does, to check ``si-timer start ROUTINE``); ``paint_first``: the
    figures and media keys wait for :meth:`after_first_paint` (``run_app`` says so;
    an app made without it is whole at once).

    Signals:
        settings_changed(object, object): new and old :class:`Settings`, after a save.
    """

    settings_changed = Signal(object, object)

    def __init__(
        self,
        qapp: QApplication,
        paths: AppPaths,
        *,
        time_scale: float = 1.0,
        events: Path | None = None,
        clock: Clock | None = None,
        log_file: Path | None = None,
        media_bus: str | None = None,
        catalog: Catalog | None = None,
        paint_first: bool = False,
    ) -> None:
        super().__init__()
        self.qapp = qapp
        self.paths = paths
        self.log_file = log_file
        self.notices = NoticeBoard(parent=self)
        try:
            paths.ensure()
        except OSError as exc:
            self.tell(
                "data-folder",
                f"Your data folder cannot be created ({exc.strerror}): nothing will be saved.",
                NoticeLevel.PROBLEM,
                detail=str(paths.data_dir),
            )
        self._settings_file = SettingsFile(paths.settings_file)
        self.settings, warnings = self._settings_file.load()
        for warning in warnings:
            log.warning("%s", warning)
        if warnings:
            self.tell(
                "settings",
                "Some of your settings could not be read and are back to their defaults.",
                NoticeLevel.WARNING,
                detail="The file is kept aside when settings are next saved; "
                + see_the_log(log_file)
                + ".",
            )
        self.palette = apply_theme(qapp, self.settings.theme)
        self.catalog: Catalog = catalog or self._load_library()
        keep_figures_in(paths.cache_dir)  # figures on home and in sessions, without PyYAML
        # History and the screen keeper load after the window has painted (or
        # when a session needs them), sounds and speech when a session starts:
        # none of it is needed to show the home screen.
        self._keeper: ScreenKeeper | None = None
        self._runner: SessionRunner | None = None
        self._painted = not paint_first  # (else after_first_paint says when)
        self._background: Background | None = None
        self._clock = clock or SystemClock()
        self._time_scale = time_scale
        self._events = events
        self.window = MainWindow(self.palette, paths.window_state_file, self.notices)
        self.histories = HistoryAccess(
            paths,
            self.window,
            self.notices,
            busy=lambda: self.running,
            reminders=lambda: self.settings.reminders if self.settings.reminders_on else (),
            log_file=log_file,
            parent=self,
        )
        self.window.setWindowIcon(QIcon(assets.window_icon_path()))
        self.outputs = CueOutputs(self.settings, self)
        self.media_keys = MediaKeys(
            lambda: self.runner.run,
            identity=APP_DISPLAY_NAME,
            desktop_entry=APP_ID,
            ready=lambda: self._painted,
            bus_address=media_bus,  # a D-Bus address, for tests
            parent=self,
        )
        self.home = HomePresenter(
            None,  # bound when the window builds its home page
            catalog=lambda: self.catalog,
            settings=lambda: self.settings,
            history=lambda: self.histories.recorder if self.histories.is_open else None,
            parent=self,
        )
        # Each feature's flow; what it shows is built when first used.
        self.editor = RoutineFlow(
            self.window,
            folder=paths.user_routines_dir,
            catalog=lambda: self.catalog,
            settings=lambda: self.settings,
            palette=lambda: self.palette,
            notices=self.notices,
            show_page=self.window.show_page,
            busy=lambda: self.in_session,
            parent=self,
        )
        self.exercises = ExerciseFlow(
            self.window,
            paths,
            catalog=lambda: self.catalog,
            palette=lambda: self.palette,
            parent=self,
        )
        self.sharing = SharingFlow(
            self.window,
            paths,
            lambda: self.catalog,
            tell=self.tell,
            busy=lambda: self.in_session,
            parent=self,
        )
        self.handouts = HandoutFlow(
            self.window,
            catalog=lambda: self.catalog,
            settings=lambda: self.settings,
            favourite=lambda: self.window.home.hero_routine_id,
            tell=self.tell,
            busy=lambda: self.in_session,
            parent=self,
        )
        self._wire()

    def _load_library(self) -> Catalog:
        """The bundled library and the person's own files; a file with a problem is told."""
        paths = self.paths
        catalog = cached_catalog(paths.cache_dir, paths.user_exercises_dir, paths.user_routines_dir)
        for error in catalog.errors:
            log.warning("%s", error)
        if catalog.errors:
            first = catalog.errors[0]
            more = len(catalog.errors) - 1
            self.tell(
                "library",
                "A file of yours has a problem and was left out"
                + (f" (and {more} more)." if more else "."),
                NoticeLevel.WARNING,
                detail=str(first),
            )
        else:
            self.notices.clear("library")
        return catalog

    def reload_library(self) -> None:
        """After a routine or exercise was written: read the library again, so home,
        the browser and the next session use it."""
        self.catalog = self._load_library()
        self.home.invalidate()
        self.exercises.library_reloaded()

    # --- wiring --------------------------------------------------------------

    def _wire(self) -> None:
        w = self.window
        w.page_built.connect(self._page_built)
        w.browser_requested.connect(self.show_browser)
        w.history_requested.connect(self.show_history)
        w.home_requested.connect(self.go_home)
        w.settings_requested.connect(self.edit_settings)
        w.safety_requested.connect(self.show_safety_again)
        w.tips_requested.connect(self.show_tips)
        w.about_requested.connect(self.show_about)
        w.export_requested.connect(self.histories.export)
        w.import_requested.connect(self.histories.import_backup)
        w.share_requested.connect(self.sharing.share)
        w.routine_import_requested.connect(self.sharing.import_routine)
        w.handout_requested.connect(self.handouts.print_handout)
        w.report_requested.connect(self.histories.report)
        self.histories.opened.connect(self._history_opened)
        self.histories.home_requested.connect(self.go_home)
        w.mute_toggled.connect(self.outputs.toggle_muted)
        w.session_command.connect(self._session_command)
        w.closing.connect(self._window_closing)
        w.set_close_guard(self._may_close)
        self.outputs.sound_unavailable.connect(
            lambda text: self.tell("sound", text, NoticeLevel.WARNING, logged=True)
        )
        self.outputs.voice_unavailable.connect(
            lambda text: self.tell(
                "voice",
                f"The voice is off: {text}",
                NoticeLevel.WARNING,
                detail="Sessions still run with sounds and the countdown. "
                "On Debian or Ubuntu: sudo apt install speech-dispatcher espeak-ng",
                logged=True,
            )
        )
        self.outputs.muted_changed.connect(self._muted_changed)
        self.settings_changed.connect(self.outputs.apply_settings)
        self.settings_changed.connect(self._apply_theme)
        self.settings_changed.connect(lambda _new, _old: self.home.invalidate())
        self.editor.library_changed.connect(self.reload_library)
        self.editor.home_requested.connect(self.go_home)
        self.editor.new_exercise_requested.connect(self.exercises.new_for_routine)
        self.exercises.exercise_saved.connect(self.reload_library)
        self.exercises.saved_for_routine.connect(self.editor.add_to_routine)
        self.exercises.home_requested.connect(self.go_home)
        self.sharing.imported.connect(self._routine_imported)
        self.media_keys.command_requested.connect(self._session_command)
        self.media_keys.raise_requested.connect(self._come_forward)

    def _page_built(self, page: QWidget) -> None:
        """A page was built (on first use): connect it."""
        if page is self.window.built_home:
            home = self.window.home
            home.start_requested.connect(self.start_routine)
            home.history_requested.connect(self.show_history)
            home.settings_requested.connect(self.edit_settings)
            home.browser_requested.connect(self.show_browser)
            home.new_routine_requested.connect(self.editor.new_routine)
            home.routine_action_requested.connect(self.editor.act)
            home.handout_requested.connect(self.handouts.print_handout)
            if self._painted:
                home.show_figures()
            self.home.bind(home)
        elif page is self.window.built_summary:
            summary = self.window.summary
            self.histories.caught_up.connect(summary.history_caught_up)
            summary.safety_requested.connect(self.show_safety_again)

    def _session_command(self, command: Command) -> None:
        self.runner.command(command)

    @property
    def runner(self) -> SessionRunner:
        """Runs sessions on the player and summary pages; made when first needed."""
        if self._runner is None:
            from si_timer.ui.session.runner import SessionRunner

            runner = SessionRunner(
                self.window,
                self.outputs,
                clock=self._clock,
                history=lambda: self.history,
                exercise_counts=self.histories.exercise_counts,
                keeper=lambda: self.keeper,
                settings=lambda: self.settings,
                time_scale=self._time_scale,
                events_path=self._events,
                parent=self,
            )
            runner.summary_closed.connect(self._summary_closed)
            runner.levels_chosen.connect(self._levels_chosen)
            runner.session_started.connect(self.media_keys.session_started)
            runner.state_changed.connect(self.media_keys.state_changed)
            self._runner = runner
        return self._runner

    @property
    def running(self) -> bool:
        """A session is counting (the runner is not made just to ask)."""
        return self._runner is not None and self._runner.running

    @property
    def in_session(self) -> bool:
        """A session is running or its summary is still open."""
        return self._runner is not None and self._runner.active

    @property
    def background(self) -> Background:
        """Reminders and the tray; made (and started by run_app) after the first paint."""
        if self._background is None:
            from si_timer.ui.background import Background

            self._background = Background(self)
        return self._background

    def _history_opened(self) -> None:
        notifier = self.histories.notifier
        if notifier is not None:
            notifier.history_changed.connect(self.home.history_changed)
        self.home.invalidate()

    @property
    def history(self) -> SessionRecorder:
        """The history recorder, opened on first use."""
        return self.histories.recorder

    @property
    def keeper(self) -> ScreenKeeper:
        if self._keeper is None:
            from si_timer.ui.system.keep_awake import ScreenKeeper

            self._keeper = ScreenKeeper()
        return self._keeper

    # --- navigation ----------------------------------------------------------

    def go_home(self) -> None:
        if self.running and not self.runner.confirm_end():
            return
        if not self.in_session and self.editor.may_leave():
            self.window.show_page(self.window.home)

    def show_history(self) -> None:
        if self.in_session or not self.editor.may_leave():
            return  # never leave a running session (or its unsaved summary) by accident
        page = self.histories.page()
        if page is not None:
            self.window.show_page(page)

    def show_browser(self) -> None:
        """The exercise browser, built the first time it is opened."""
        if self.in_session or not self.editor.may_leave():
            return  # never leave a running session (or its unsaved summary) by accident
        self.window.show_page(self.exercises.browser)

    # --- the library ---------------------------------------------------------

    def _routine_imported(self) -> None:
        self.reload_library()
        self.window.show_page(self.window.home)  # refreshed as it shows (or was, if shown)

    # --- sessions ------------------------------------------------------------

    def start_routine(self, routine_id: str, *, auto_start: bool = False) -> None:
        """Open a routine on the start screen; ``auto_start``: nobody may be at the
        keyboard (the command line, a reminder), so it also starts by itself."""
        if self.in_session or not self.editor.may_leave():
            return
        routine = self.catalog.routines.get(routine_id)
        if routine is None:
            QMessageBox.warning(
                self.window, "Unknown routine", f"There is no routine called '{routine_id}'."
            )
            return
        self.runner.start(routine, self.catalog, auto_start=auto_start)

    def resume_session(self, plan: Plan, start_index: int, resume_id: str) -> None:
        if not self.in_session:
            self.runner.resume(plan, self.catalog, start_index=start_index, resume_id=resume_id)

    def start_from_argument(self, routine_arg: str) -> None:
        """``si-timer start ROUTINE``: a routine id, or a routine YAML file."""
        from si_timer.library.resolve import RoutineNotFound, resolve_routine

        try:
            found = resolve_routine(
                routine_arg,
                self.catalog,
                user_exercises=self.paths.user_exercises_dir,
                user_routines=self.paths.user_routines_dir,
            )
        except RoutineNotFound as exc:
            QMessageBox.warning(self.window, "This routine cannot start", "\n".join(exc.problems))
            return
        self.catalog = found.catalog
        self.start_routine(found.routine.id, auto_start=True)

    def open_session_first(self, routine_arg: str) -> bool:
        """``si-timer start ROUTINE`` with nothing to ask first: open the session's start
        screen as the window's first page (home is built when it is first shown).

        False (and nothing done) when something must be asked first: the safety
        notice of a first run, or a session an earlier run left unfinished; then
        home paints first and :meth:`after_first_paint` asks and starts.
        """
        if not self.settings.safety_acknowledged:
            return False
        look = self.histories.glance()  # the history itself opens after the paint
        if look is None or look.interrupted:
            return False
        self.runner.hold()  # sounds, voice and the automatic start: once painted
        self.start_from_argument(routine_arg)
        return self.in_session

    def _summary_closed(self) -> None:
        self.window.show_page(self.window.home)

    def _levels_chosen(self, levels: dict[str, Level]) -> None:
        self.update_settings(replace(self.settings, levels=levels))

    def _window_closing(self) -> None:
        stays = self.background.window_closed()  # reminders keep running, if so chosen
        self.qapp.setQuitOnLastWindowClosed(not stays)
        if not stays:
            self.shut_down()

    def _may_close(self) -> bool:
        """Closing the window (Ctrl+Q, the close button) in a session asks first."""
        if not self.editor.may_leave():
            return False
        return not self.running or self.runner.confirm_end()

    # --- settings, safety, misc ----------------------------------------------

    def _muted_changed(self, muted: bool) -> None:
        if muted:
            self.tell(
                "muted",
                "Sound and voice are muted. Press M to turn them back on.",
                NoticeLevel.WARNING,
            )
        else:
            self.notices.clear("muted")

    def edit_settings(self) -> None:
        from si_timer.ui.dialogs import SettingsDialog

        dialog = SettingsDialog(
            self.settings,
            self.window,
            routines={rid: r.name for rid, r in self.catalog.routines.items()},
            default_reminders=self.background.slots(replace(self.settings, reminders=())),
            test_voice=self.outputs.test_voice,
        )
        with self.runner.question():  # a session waits, paused, while it is open
            accepted = dialog.exec()
        if accepted:
            self.update_settings(dialog.settings())

    def update_settings(self, settings: Settings) -> None:
        old, self.settings = self.settings, settings
        try:
            self._settings_file.save(settings)
        except OSError as exc:
            log.warning("settings could not be saved: %s", exc)
            self.tell(
                "settings-save",
                f"Your settings could not be saved ({exc.strerror}).",
                NoticeLevel.WARNING,
                detail=str(self.paths.settings_file),
            )
        self.settings_changed.emit(settings, old)

    def _apply_theme(self, new: Settings, old: Settings) -> None:
        if new.theme is not old.theme:
            self.palette = apply_theme(self.qapp, new.theme)
            self.window.set_palette(self.palette)
            self.editor.set_palette(self.palette)

    def show_safety(self, *, first_run: bool) -> None:
        from si_timer.library.safety import load_safety
        from si_timer.ui.dialogs import SafetyDialog

        with self.runner.question():  # a session waits, paused, while it is open
            SafetyDialog(load_safety(), first_run=first_run, parent=self.window).exec()
        if first_run and not self.settings.safety_acknowledged:
            self.update_settings(replace(self.settings, safety_acknowledged=True))

    def show_safety_again(self) -> None:
        self.show_safety(first_run=False)

    def show_tips(self) -> None:
        """The guides' tips (cold then heat, sleeping, short walks), beside the warning signs."""
        from si_timer.library.safety import load_safety
        from si_timer.ui.dialogs import SafetyDialog, SafetyTab

        SafetyDialog(load_safety(), first_run=False, tab=SafetyTab.TIPS, parent=self.window).exec()

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

    def _come_forward(self) -> None:
        window = self.window
        if window.pages.currentWidget() is None:
            window.show_page(window.home)  # started in the background: no page yet
        if not window.isVisible():
            window.show()  # from the background mode
        if window.isMinimized():
            window.showNormal()
        window.raise_()
        window.activateWindow()

    def handle_request(self, request: dict[str, str]) -> None:
        """Another ``si-timer`` was started: come to the front, and start its routine if free."""
        if request.get("command") == "background":
            return  # `si-timer --background` again: it already is
        self._come_forward()
        if request.get("command") == "start" and request.get("routine"):
            if not self.in_session:
                self.start_from_argument(request["routine"])
            else:
                self.tell(
                    "busy",
                    "A session is already running; finish it first."
                    if self.running
                    else "Save this session's summary first, then start the next one.",
                    NoticeLevel.INFO,
                )

    def tell(
        self,
        key: str,
        text: str,
        level: NoticeLevel,
        *,
        detail: str | None = None,
        logged: bool = False,
    ) -> None:
        """The one way to tell the person something: a notice on every page, and the log
        (unless its sender has logged it already, as sounds, speech and history do)."""
        if not logged:
            log.log(logging.INFO if level is NoticeLevel.INFO else logging.WARNING, "%s", text)
        self.notices.post(Notice(key, text, level, detail))

    def keep_safe(self) -> None:
        """After a bug: what was done is committed as it ends; flush the events file too."""
        if self._runner is not None:
            self._runner.flush()

    def after_first_paint(self, command: str, routine_arg: str | None) -> None:
        """What waits until the window has painted: history, figures, the safety
        notice, resumes, and ``si-timer start``'s routine if it is not on yet."""
        self._painted = True
        history = self.history
        home = self.window.built_home
        if home is not None:  # (unless a session came first)
            home.show_figures()
        if self._runner is not None:
            self._runner.release()  # a session opened before the paint gets going
            if self.in_session:
                self.media_keys.session_started()
        if not self.settings.safety_acknowledged:
            self.show_safety(first_run=True)
        if not self.in_session:
            history.offer_resume(self.window, self.resume_session)
        if command == "start" and routine_arg and not self.in_session:
            self.start_from_argument(routine_arg)

    def after_background_start(self) -> None:
        """``si-timer --background``: no window, so no first paint to wait for; pages
        and sessions made from here on are made whole (figures, media keys)."""
        self._painted = True

    def shut_down(self) -> None:
        if self._runner is not None:
            self._runner.shut_down()
        self.media_keys.close()
        if self._keeper is not None:
            self._keeper.release()
        self.outputs.close()
        self.histories.close()
