"""Spoken cues through QtTextToSpeech, on a thread of their own.

Creating a QTextToSpeech engine takes over a second with speech-dispatcher,
and a countdown must never stall for that; so the engine is created and used
only on a dedicated QThread, and the GUI talks to it through queued signals.
"""

from __future__ import annotations

import atexit
import ctypes
import logging
import os
import shutil
import subprocess
import time
import weakref

from PySide6.QtCore import (
    Q_ARG,
    QCoreApplication,
    QLocale,
    QMetaObject,
    QObject,
    Qt,
    QThread,
    Signal,
    Slot,
)
from PySide6.QtTextToSpeech import QTextToSpeech

log = logging.getLogger(__name__)

# How long close() waits for the speech thread before leaving it behind.
SHUTDOWN_TIMEOUT_MS = 3000

# The engine used to get a QTextToSpeech object cheaply (see _SpeechWorker).
_BOOTSTRAP_ENGINE = "mock"

# Qt's speech-dispatcher plugin, and how long starting the daemon may take.
SPEECHD_ENGINE = "speechd"
SPAWN_TIMEOUT_S = 5.0

# What the person can do when there is no voice.
VOICE_FIX = "To hear spoken cues, install speech-dispatcher and espeak-ng."


def start_speech_dispatcher(timeout: float = SPAWN_TIMEOUT_S) -> str | None:
    """Start speech-dispatcher when it is installed but not running; None when it may be up.

    Qt's plugin connects without libspeechd's autospawn, so a daemon that a
    desktop has not started yet ("Connection to speech-dispatcher failed")
    would leave the voice silent; ``speech-dispatcher --spawn`` starts it once
    (and does nothing when it runs, or when the person disabled autospawn).
    Returns the reason it cannot run, for the person.  Blocks up to
    ``timeout`` seconds: call it off the GUI thread.
    """
    if os.environ.get("SPEECHD_ADDRESS"):
        return None  # a daemon chosen by address: not ours to start
    program = shutil.which("speech-dispatcher")
    if program is None:
        return "speech-dispatcher is not installed"
    try:
        subprocess.run(
            [program, "--spawn"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"speech-dispatcher did not start within {timeout:g} seconds"
    except OSError as exc:
        return f"speech-dispatcher could not be started: {exc.strerror or exc}"
    return None


def _keep_forever(*objects: object) -> None:
    """Give ``objects`` a reference that is never released.

    A Python wrapper that is never freed never runs its C++ destructor, not
    even while the interpreter shuts down, which is what a QThread that may
    still be running (and the worker living on it) needs.
    """
    for obj in objects:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(obj))


# Outputs whose thread runs: any left unclosed is closed as the interpreter exits,
# before Python frees its QThread (a QThread destroyed while running aborts).
_RUNNING: weakref.WeakSet[Speaker] = weakref.WeakSet()


@atexit.register
def _close_left_running() -> None:
    for output in list(_RUNNING):
        output.close()


class _SpeechWorker(QObject):
    """Owns the QTextToSpeech engine; every method runs on the speech thread.

    PySide6 holds the GIL while a wrapped C++ call runs, so creating
    QTextToSpeech("speechd") from Python on *any* thread froze the GUI for the
    whole 1.5 s load (measured: one 1523 ms gap in a 10 ms GUI timer), and a
    speech-dispatcher that stops answering froze it for good.  Qt's event
    loop calls C++ slots without the GIL, so this worker builds the engine
    on Qt's instant "mock" plugin and switches it to the real one with a
    queued ``setEngine()``; every engine call (say, stop, volume) likewise
    goes through a queued connection to the engine's own C++ slot.  The
    Python code here only routes and returns (measured GUI gap: 13 ms).
    """

    spoken = Signal(str)
    unavailable = Signal(str)
    engine_loaded = Signal(str)
    speech_finished = Signal()

    # Forwarded to the engine's C++ slots through queued connections.
    _say_forwarded = Signal(str)
    _enqueue_forwarded = Signal(str)
    _stop_forwarded = Signal()
    _volume_forwarded = Signal(float)
    _rate_forwarded = Signal(float)

    def __init__(self, engine_name: str | None) -> None:
        super().__init__()
        self._engine_name = engine_name
        self._engine: QTextToSpeech | None = None
        self._loading_since: float | None = None
        self._failed = False
        self._enabled = True
        self._volume = 1.0
        self._rate = 0.0
        self._spawn_problem: str | None = None
        self._speaking = False

    @Slot()
    def warm_up(self) -> None:
        self._ensure_engine()

    @Slot(str, bool)
    def say(self, text: str, interrupt: bool) -> None:
        if not self._enabled or not text.strip() or self._ensure_engine() is None:
            return
        if self._failed:  # _ensure_engine may just have failed (or did earlier)
            return
        if interrupt:
            self._say_forwarded.emit(text)  # stops what is being said, clears the queue
        else:
            self._enqueue_forwarded.emit(text)
        self.spoken.emit(text)

    @Slot()
    def stop(self) -> None:
        self._stop_forwarded.emit()

    @Slot(bool)
    def set_enabled(self, enabled: bool) -> None:
        self._enabled = enabled
        if not enabled:
            self._stop_forwarded.emit()

    @Slot(float)
    def set_volume(self, volume: float) -> None:
        self._volume = volume
        self._volume_forwarded.emit(volume)

    @Slot(float)
    def set_rate(self, rate: float) -> None:
        self._rate = rate
        self._rate_forwarded.emit(rate)

    @Slot()
    def shut_down(self) -> None:
        """End the thread; the engine is destroyed (in C++) as the thread finishes."""
        if self._engine is not None:
            # Deferred deletes still run when a thread's event loop has ended.
            self._engine.deleteLater()
            self._engine = None
        self.thread().quit()

    def _ensure_engine(self) -> QTextToSpeech | None:
        if self._failed:
            return None
        if self._engine is not None:
            return self._engine
        installed = QTextToSpeech.availableEngines()
        wanted = self._engine_name
        if not installed:
            self._fail(
                f"No text-to-speech engine is installed, so spoken cues are off. {VOICE_FIX}"
            )
            return None
        if wanted is not None and wanted not in installed:
            # Checked here because QTextToSpeech logs a critical message for
            # an unknown engine name instead of failing quietly.
            self._fail(
                f"The speech engine {wanted!r} is not installed "
                f"(installed: {', '.join(installed)}), so spoken cues are off."
            )
            return None
        if wanted == _BOOTSTRAP_ENGINE or _BOOTSTRAP_ENGINE not in installed:
            if wanted != _BOOTSTRAP_ENGINE:
                log.info(
                    "no %r speech plugin: the GUI may pause while speech loads", _BOOTSTRAP_ENGINE
                )
            # Created directly (and so with the GIL held); instant for "mock".
            started = time.perf_counter()
            engine = QTextToSpeech(wanted or "", self)
            self._adopt(engine)
            self._on_engine_changed(engine.engine(), started)
            return None if self._failed else engine
        if wanted in (None, SPEECHD_ENGINE) and SPEECHD_ENGINE in installed:
            # Before the engine connects (it does not start the daemon itself).
            self._spawn_problem = start_speech_dispatcher()
        engine = QTextToSpeech(_BOOTSTRAP_ENGINE, self)
        self._adopt(engine)
        self._loading_since = time.perf_counter()
        engine.engineChanged.connect(self._on_engine_changed)
        # "" asks QTextToSpeech for the platform's default engine.
        QMetaObject.invokeMethod(
            engine, "setEngine", Qt.ConnectionType.QueuedConnection, Q_ARG("QString", wanted or "")
        )
        # Queued after setEngine, so they reach the real engine.
        self._volume_forwarded.emit(self._volume)
        self._rate_forwarded.emit(self._rate)
        return engine

    def _adopt(self, engine: QTextToSpeech) -> None:
        queued = Qt.ConnectionType.QueuedConnection
        self._say_forwarded.connect(engine.say, queued)
        self._enqueue_forwarded.connect(engine.enqueue, queued)
        self._stop_forwarded.connect(engine.stop, queued)
        self._volume_forwarded.connect(engine.setVolume, queued)
        self._rate_forwarded.connect(engine.setRate, queued)
        engine.errorOccurred.connect(self._on_error)
        engine.stateChanged.connect(self._on_state_changed)
        engine.setVolume(self._volume)
        engine.setRate(self._rate)
        self._engine = engine

    @Slot(str)
    def _on_engine_changed(self, name: str, started: float | None = None) -> None:
        engine = self._engine
        started = started if started is not None else self._loading_since
        if engine is None or self._failed:
            return
        if engine.state() == QTextToSpeech.State.Error:
            reason = (
                self._spawn_problem
                or self._no_voice_reason(engine)
                or engine.errorString()
                or "the engine did not start"
            )
            self._fail(f"Speech is not available ({reason}), so spoken cues are off. {VOICE_FIX}")
            return
        elapsed_ms = (time.perf_counter() - started) * 1000 if started is not None else 0.0
        log.info("speech engine %r ready after %.0f ms", name, elapsed_ms)
        self.engine_loaded.emit(name)

    def _no_voice_reason(self, engine: QTextToSpeech) -> str | None:
        """Why the engine has no voice for this locale, naming those it has voices for."""
        locales = [loc.name() for loc in engine.availableLocales()]
        if not locales:
            return None
        return (
            f"no voice for the language {QLocale().name()!r}; "
            f"voices exist for {', '.join(sorted(locales))}"
        )

    @Slot(QTextToSpeech.State)
    def _on_state_changed(self, state: QTextToSpeech.State) -> None:
        if state == QTextToSpeech.State.Speaking:
            self._speaking = True
        elif self._speaking and state == QTextToSpeech.State.Ready:
            self._speaking = False
            self.speech_finished.emit()

    def _on_error(self, reason: QTextToSpeech.ErrorReason, message: str) -> None:
        if reason in (
            QTextToSpeech.ErrorReason.Initialization,
            QTextToSpeech.ErrorReason.Configuration,
        ):
            # The engine itself broke (e.g. speech-dispatcher is gone).
            reason_text = self._spawn_problem or message
            self._fail(
                f"Speech is not available ({reason_text}), so spoken cues are off. {VOICE_FIX}"
            )
        else:
            # One utterance failed; the next one may well work.
            log.warning("speech engine error (%s): %s", reason.name, message)

    def _fail(self, message: str) -> None:
        if self._failed:
            return
        self._failed = True
        if self._engine is not None:
            # Keep the broken engine until shut_down(); just stop feeding it.
            self._say_forwarded.disconnect()
            self._enqueue_forwarded.disconnect()
        log.info("%s", message)
        self.unavailable.emit(message)


class Speaker(QObject):
    """Says short cues aloud; the engine lives and loads on its own thread.

    Building a Speaker is cheap: the thread starts on the first :meth:`say`
    or :meth:`warm_up`, and the engine is created on that thread.  Call
    :meth:`warm_up` once the window is shown so the first cue is not late.
    ``engine`` picks a QtTextToSpeech plugin by name ("speechd" is
    speech-dispatcher on Linux, "mock" is Qt's silent test engine);
    ``None`` takes the platform default.  Call :meth:`close` before the
    application quits (it is also connected to ``aboutToQuit``).

    Signals:
        spoken(str): an utterance was handed to the engine.
        unavailable(str): speech cannot work (no engine installed, the named
            engine missing, speech-dispatcher not running); one sentence for
            the person.  Emitted at most once; later cues are dropped silently.
        engine_loaded(str): the engine (named by the argument) is ready.
        speech_finished(): the engine finished saying what it was given.
    """

    spoken = Signal(str)
    unavailable = Signal(str)
    engine_loaded = Signal(str)
    speech_finished = Signal()

    # Requests to the worker; queued because the worker lives on the thread.
    _say_requested = Signal(str, bool)
    _stop_requested = Signal()
    _warm_up_requested = Signal()
    _enabled_requested = Signal(bool)
    _volume_requested = Signal(float)
    _rate_requested = Signal(float)
    _shutdown_requested = Signal()

    def __init__(self, engine: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._engine_name = engine
        self._enabled = True
        self._volume = 1.0
        self._rate = 0.0
        self._available = True
        self._closed = False
        self._thread: QThread | None = None
        self._worker: _SpeechWorker | None = None
        self.unavailable.connect(self._on_unavailable)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.close)

    # -- public API -----------------------------------------------------------

    @property
    def engine_name(self) -> str | None:
        """The engine asked for (``None``: platform default)."""
        return self._engine_name

    @property
    def running(self) -> bool:
        """Whether the speech thread has been started and not yet closed."""
        return self._thread is not None and self._thread.isRunning()

    def warm_up(self) -> None:
        """Create the engine now, in the background, so the first cue is on time."""
        if self._usable():
            self._start()
            self._warm_up_requested.emit()

    def say(self, text: str, interrupt: bool = False) -> None:
        """Speak ``text`` after whatever is being said, or at once if ``interrupt``."""
        if self._usable() and self._enabled:
            self._start()
            self._say_requested.emit(text, interrupt)

    def stop(self) -> None:
        """Stop what is being said and drop what is queued."""
        if self._worker is not None:
            self._stop_requested.emit()

    def set_enabled(self, enabled: bool) -> None:
        """Turn speech on or off; turning it off also stops the current utterance."""
        self._enabled = enabled
        if self._worker is not None:
            self._enabled_requested.emit(enabled)

    def set_volume(self, volume: float) -> None:
        """Speech volume from 0 to 1 (clamped)."""
        self._volume = min(1.0, max(0.0, float(volume)))
        if self._worker is not None:
            self._volume_requested.emit(self._volume)

    def set_rate(self, rate: float) -> None:
        """Speaking rate from -1 (slowest) through 0 (normal) to 1 (fastest); clamped."""
        self._rate = min(1.0, max(-1.0, float(rate)))
        if self._worker is not None:
            self._rate_requested.emit(self._rate)

    def is_enabled(self) -> bool:
        return self._enabled

    def volume(self) -> float:
        return self._volume

    def rate(self) -> float:
        return self._rate

    def close(self) -> None:
        """Stop speaking, destroy the engine on its thread and end the thread.

        Blocks until the thread has finished, at most SHUTDOWN_TIMEOUT_MS;
        safe to call more than once.
        """
        if self._closed:
            return
        self._closed = True
        _RUNNING.discard(self)
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._shutdown_requested.emit()
        if not thread.wait(SHUTDOWN_TIMEOUT_MS):
            # The engine is stuck inside a C++ call (seen here: a hung
            # speech-dispatcher never answers the engine's connect, and Qt
            # has no timeout for it).  Waiting on would hang the exit,
            # QThread.terminate() unwinds through Qt's event loop (Qt warns
            # and GLib asserts), and destroying a running QThread aborts the
            # process; so leave the thread to finish, or die with the process.
            log.warning(
                "the speech engine did not stop within %d ms; leaving its thread behind",
                SHUTDOWN_TIMEOUT_MS,
            )
            _keep_forever(thread, self._worker)
        # The thread has finished (or is abandoned above), so dropping our
        # references to it and to the worker is safe.
        self._worker = None

    # -- internals ------------------------------------------------------------

    def _usable(self) -> bool:
        return self._available and not self._closed

    def _start(self) -> None:
        if self._worker is not None:
            return
        if QLocale.system().language() == QLocale.Language.C:
            # LANG=C.UTF-8 (containers, minimal sessions) names no language, and
            # speech-dispatcher has no voice for it: "Failed to initialize default
            # locale and voice".  The app speaks English, so its default locale can
            # be English; set here, on the GUI thread, before the engine reads it.
            QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        worker = _SpeechWorker(self._engine_name)
        thread = QThread()
        thread.setObjectName("si-timer-speech")
        worker.moveToThread(thread)
        # Settings first: queued signals arrive in order, so the engine is
        # configured before the first utterance reaches it.
        self._say_requested.connect(worker.say)
        self._stop_requested.connect(worker.stop)
        self._warm_up_requested.connect(worker.warm_up)
        self._enabled_requested.connect(worker.set_enabled)
        self._volume_requested.connect(worker.set_volume)
        self._rate_requested.connect(worker.set_rate)
        self._shutdown_requested.connect(worker.shut_down)
        worker.spoken.connect(self.spoken)
        worker.unavailable.connect(self.unavailable)
        worker.engine_loaded.connect(self.engine_loaded)
        worker.speech_finished.connect(self.speech_finished)
        self._worker = worker
        self._thread = thread
        _RUNNING.add(self)
        thread.start()
        self._enabled_requested.emit(self._enabled)
        self._volume_requested.emit(self._volume)
        self._rate_requested.emit(self._rate)

    @Slot(str)
    def _on_unavailable(self, _message: str) -> None:
        self._available = False
