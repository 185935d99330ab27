"""Speaker: the engine loads and talks on its own thread; failure is said once, then silence.

Tests use Qt's silent "mock" engine.  The speech-dispatcher tests point
libspeechd at a socket the test controls (never at a real daemon), so they
are fast and deterministic.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QThread
from PySide6.QtTextToSpeech import QTextToSpeech
from pytestqt.qtbot import QtBot

from si_timer.ui.system.speech import Speaker
from tests.helpers.fresh_python import fresh_python

ENGINES = QTextToSpeech.availableEngines()

pytestmark = pytest.mark.skipif(
    "mock" not in ENGINES, reason="Qt's 'mock' text-to-speech plugin is not installed"
)
needs_speechd = pytest.mark.skipif(
    "speechd" not in ENGINES, reason="Qt's 'speechd' text-to-speech plugin is not installed"
)

MakeSpeaker = Callable[..., Speaker]


@pytest.fixture
def make_speaker() -> Iterator[MakeSpeaker]:
    made: list[Speaker] = []

    def make(engine: str | None = "mock") -> Speaker:
        speaker = Speaker(engine)
        made.append(speaker)
        return speaker

    yield make
    for speaker in made:
        speaker.close()


def _drain_after_close(speaker: Speaker) -> None:
    """Close (which waits for the thread) and deliver everything it emitted."""
    speaker.close()
    QCoreApplication.processEvents()


def test_building_a_speaker_starts_no_thread_and_no_engine(make_speaker: MakeSpeaker) -> None:
    speaker = make_speaker()
    assert not speaker.running


def test_warm_up_loads_the_engine_off_the_gui_thread(
    qtbot: QtBot, make_speaker: MakeSpeaker
) -> None:
    speaker = make_speaker()
    with qtbot.waitSignal(speaker.engine_loaded, timeout=2000) as loaded:
        speaker.warm_up()
    assert loaded.args == ["mock"]
    assert speaker.running
    # The whole point of the class: the engine's owner lives elsewhere.
    assert speaker._worker is not None
    assert speaker._worker.thread() is not QThread.currentThread()


def test_say_hands_the_text_to_the_engine(qtbot: QtBot, make_speaker: MakeSpeaker) -> None:
    speaker = make_speaker()
    with qtbot.waitSignal(speaker.spoken, timeout=2000) as spoken:
        speaker.say("Breathe in")
    assert spoken.args == ["Breathe in"]


def test_utterances_arrive_in_order_interrupting_or_not(
    qtbot: QtBot, make_speaker: MakeSpeaker
) -> None:
    speaker = make_speaker()
    heard: list[str] = []
    speaker.spoken.connect(heard.append)
    speaker.say("Lift your knee")
    speaker.say("Hold")
    with qtbot.waitSignal(speaker.spoken, timeout=2000, check_params_cb=lambda t: t == "Switch"):
        speaker.say("Switch", interrupt=True)
    assert heard == ["Lift your knee", "Hold", "Switch"]


def test_disabled_speech_is_dropped(qtbot: QtBot, make_speaker: MakeSpeaker) -> None:
    speaker = make_speaker()
    heard: list[str] = []
    speaker.spoken.connect(heard.append)
    speaker.set_enabled(False)
    speaker.say("not this")
    speaker.set_enabled(True)
    with qtbot.waitSignal(speaker.spoken, timeout=2000):
        speaker.say("this")
    # Signals arrive in order, so "not this" would have come first.
    assert heard == ["this"]


def test_blank_text_is_not_spoken(qtbot: QtBot, make_speaker: MakeSpeaker) -> None:
    speaker = make_speaker()
    heard: list[str] = []
    speaker.spoken.connect(heard.append)
    speaker.say("   ")
    with qtbot.waitSignal(speaker.spoken, timeout=2000):
        speaker.say("Relax")
    assert heard == ["Relax"]


def test_volume_and_rate_are_clamped(make_speaker: MakeSpeaker) -> None:
    speaker = make_speaker()
    speaker.set_volume(1.7)
    speaker.set_rate(-3)
    assert (speaker.volume(), speaker.rate()) == (1.0, -1.0)
    speaker.set_volume(-0.2)
    speaker.set_rate(0.25)
    assert (speaker.volume(), speaker.rate()) == (0.0, 0.25)


def test_volume_and_rate_reach_the_engine_before_and_after_it_loads(
    qtbot: QtBot, make_speaker: MakeSpeaker
) -> None:
    speaker = make_speaker()
    speaker.set_volume(0.4)
    speaker.set_rate(0.3)
    with qtbot.waitSignal(speaker.engine_loaded, timeout=2000):
        speaker.warm_up()
    # A peek across threads: these getters only read a number.
    assert speaker._worker is not None
    engine = speaker._worker._engine
    assert engine is not None
    qtbot.waitUntil(lambda: (engine.volume(), engine.rate()) == pytest.approx((0.4, 0.3)))
    speaker.set_volume(0.7)
    speaker.set_rate(-0.2)
    qtbot.waitUntil(lambda: (engine.volume(), engine.rate()) == pytest.approx((0.7, -0.2)))


def test_unknown_engine_is_reported_once_and_speech_is_dropped(
    qtbot: QtBot, make_speaker: MakeSpeaker
) -> None:
    speaker = make_speaker("no-such-engine")
    messages: list[str] = []
    heard: list[str] = []
    speaker.unavailable.connect(messages.append)
    speaker.spoken.connect(heard.append)
    # Several requests reach the worker before it has failed even once.
    speaker.say("one")
    speaker.say("two")
    speaker.warm_up()
    _drain_after_close(speaker)
    assert len(messages) == 1, messages
    assert "no-such-engine" in messages[0]
    assert heard == []
    speaker.say("after close")  # must not raise


def test_close_is_idempotent_and_ends_the_thread(qtbot: QtBot, make_speaker: MakeSpeaker) -> None:
    speaker = make_speaker()
    with qtbot.waitSignal(speaker.engine_loaded, timeout=2000):
        speaker.warm_up()
    speaker.close()
    speaker.close()
    assert not speaker.running
    speaker.say("ignored")
    assert not speaker.running


def test_close_before_any_use_is_harmless(make_speaker: MakeSpeaker) -> None:
    speaker = make_speaker()
    speaker.close()
    assert not speaker.running


@needs_speechd
def test_missing_speech_dispatcher_is_reported_once(
    qtbot: QtBot,
    make_speaker: MakeSpeaker,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    # A socket path with nothing behind it: libspeechd fails to connect.
    monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{tmp_path / 'absent.sock'}")
    speaker = make_speaker("speechd")
    messages: list[str] = []
    speaker.unavailable.connect(messages.append)
    with qtbot.waitSignal(speaker.unavailable, timeout=5000) as failed:
        speaker.say("one")
        speaker.say("two")
    assert "speech-dispatcher" in failed.args[0]
    speaker.say("three")
    _drain_after_close(speaker)
    assert len(messages) == 1, messages


# The hung-daemon scenario runs in a child process: it leaves a thread stuck
# inside libspeechd, and libspeechd segfaults when that socket later closes
# (strlen on a NULL reply in spd_open), so it must not share the test run.
# The "daemon" is a listening socket that never answers: connect() succeeds
# from the backlog and the engine's handshake then waits forever.
_HUNG_DAEMON_SCENARIO = """
import json, logging, os, select, signal, socket, sys, time
# A frozen GUI thread would hold the GIL forever, so no Python watchdog could
# run: SIGALRM's default action ends the process instead.
signal.alarm(10)
from PySide6.QtCore import QCoreApplication, QTimer, qInstallMessageHandler

qt_messages = []
qInstallMessageHandler(lambda kind, context, text: qt_messages.append(f"{kind.name}: {text}"))
logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s", stream=sys.stderr)
app = QCoreApplication([])
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(sys.argv[1])
server.listen(4)
os.environ["SPEECHD_ADDRESS"] = "unix_socket:" + sys.argv[1]

from si_timer.ui.system import speech
speech.SHUTDOWN_TIMEOUT_MS = 200
speaker = speech.Speaker("speechd")
loaded, gaps, last, result = [], [], [time.monotonic()], {}
speaker.engine_loaded.connect(loaded.append)

def beat():
    now = time.monotonic()
    gaps.append(now - last[0])
    last[0] = now
    connected = bool(select.select([server], [], [], 0)[0])
    if (connected and len(gaps) >= 20) or len(gaps) >= 500:
        heartbeat.stop()
        started = time.monotonic()
        speaker.close()
        result.update(
            connected=connected, beats=len(gaps), max_gap=max(gaps), loaded=loaded,
            close_seconds=time.monotonic() - started, running=speaker.running,
        )
        app.quit()

heartbeat = QTimer()
heartbeat.setInterval(10)
heartbeat.timeout.connect(beat)
heartbeat.start()
speaker.warm_up()
speaker.say("Hold")
app.exec()
result["qt_messages"] = [m for m in qt_messages if "symbolsresolver" not in m]
print(json.dumps(result), flush=True)
os._exit(0)  # the stuck libspeechd thread must never see its socket close
"""


@needs_speechd
def test_a_hung_speech_daemon_never_freezes_the_gui_nor_the_exit(tmp_path: Path) -> None:
    child = subprocess.run(
        [sys.executable, "-c", _HUNG_DAEMON_SCENARIO, str(tmp_path / "speechd.sock")],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert child.returncode != -signal.SIGALRM, "the GUI thread froze while the engine loaded"
    assert child.returncode == 0, child.stderr
    result = json.loads(child.stdout)
    assert result["connected"], "the engine never tried to reach the daemon"
    assert result["loaded"] == []  # still stuck in the handshake
    # Before the workaround in _SpeechWorker the GUI thread stalled until
    # the daemon answered: here, forever.
    assert result["max_gap"] < 0.5, f"GUI thread stalled for {result['max_gap']:.2f} s"
    assert result["close_seconds"] < 2
    assert not result["running"]
    assert "did not stop within 200 ms" in child.stderr
    assert result["qt_messages"] == []


# A fresh start against a real speech-dispatcher that is installed but not
# running: its own runtime dir (so no daemon of the machine answers), the C
# locale (which has no voice), no sound card (ALSA's null device) and
# espeak-ng writing each utterance to a WAV file through the generic module.
_REAL_DAEMON_SCENARIO = """
import json, os, sys
from PySide6.QtCore import QCoreApplication, QTimer
app = QCoreApplication([])
from si_timer.ui.system.speech import Speaker
from tests.helpers.fresh_python import fresh_python
speaker = Speaker("speechd")
result = {"loaded": [], "spoken": [], "finished": 0, "unavailable": []}
speaker.engine_loaded.connect(result["loaded"].append)
speaker.spoken.connect(result["spoken"].append)
speaker.unavailable.connect(result["unavailable"].append)
speaker.unavailable.connect(lambda _: app.quit())

def finished():
    result["finished"] += 1
    app.quit()

speaker.speech_finished.connect(finished)
speaker.warm_up()
speaker.say("Left leg first: left knee to your chest.")
QTimer.singleShot(20000, app.quit)
app.exec()
speaker.close()
print(json.dumps(result), flush=True)
"""

_MODULE_CONF = """\
GenericExecuteSynth "printf %s \\'$DATA\\' | tee -a {said} | espeak-ng -v $VOICE --stdin -w {wav}"
GenericCmdDependency "espeak-ng"
GenericLanguage "en" "en" "utf-8"
GenericLanguage "en-us" "en-us" "utf-8"
AddVoice "en" "MALE1" "en"
AddVoice "en-us" "MALE1" "en-us"
"""


@pytest.mark.slow
@needs_speechd
@pytest.mark.skipif(
    not (shutil.which("speech-dispatcher") and shutil.which("espeak-ng")),
    reason="speech-dispatcher and espeak-ng are not installed",
)
def test_a_fresh_start_starts_speech_dispatcher_and_speaks(tmp_path: Path) -> None:
    home, runtime, config = tmp_path / "home", tmp_path / "run", tmp_path / "config"
    modules = config / "speech-dispatcher" / "modules"
    for folder in (home, runtime, modules):
        folder.mkdir(parents=True, mode=0o700)
    said, wav = tmp_path / "said.txt", tmp_path / "said.wav"
    (home / ".asoundrc").write_text("pcm.!default { type null }\nctl.!default { type hw card 0 }\n")
    (config / "speech-dispatcher" / "speechd.conf").write_text(
        f'LogDir "{tmp_path}"\nAudioOutputMethod "alsa"\n'
        'AddModule "espeak-ng-file" "sd_generic" "espeak-ng-file.conf"\n'
        'DefaultModule "espeak-ng-file"\n'
    )
    (modules / "espeak-ng-file.conf").write_text(_MODULE_CONF.format(said=said, wav=wav))
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "XDG_RUNTIME_DIR": str(runtime),
        "XDG_CONFIG_HOME": str(config),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
    }
    pid_file = runtime / "speech-dispatcher" / "pid" / "speech-dispatcher.pid"
    try:
        child = subprocess.run(
            [sys.executable, "-c", _REAL_DAEMON_SCENARIO],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env=env,
        )
    finally:
        if pid_file.exists():
            os.kill(int(pid_file.read_text().split()[0]), signal.SIGTERM)
    assert child.returncode == 0, child.stderr
    result = json.loads(child.stdout.splitlines()[-1])
    assert result["unavailable"] == []
    assert result["loaded"] == ["speechd"]
    assert result["spoken"] == ["Left leg first: left knee to your chest."]
    assert result["finished"] == 1
    assert said.read_text() == "Left leg first: left knee to your chest."
    assert wav.stat().st_size > 10_000  # about a second of real speech


def test_the_mock_engine_reports_when_it_has_finished(
    qtbot: QtBot, make_speaker: MakeSpeaker
) -> None:
    speaker = make_speaker()
    with qtbot.waitSignal(speaker.speech_finished, timeout=3000):
        speaker.say("Relax")


def test_a_speaker_left_running_is_closed_as_the_interpreter_exits(tmp_path: Path) -> None:
    """A Speaker nobody closed (a test, a path that forgot): Python must not free its
    running QThread at exit, which Qt answers by aborting the process."""
    code = """
from PySide6.QtCore import QCoreApplication
app = QCoreApplication([])
from si_timer.ui.system.speech import Speaker
from tests.helpers.fresh_python import fresh_python
speaker = Speaker("mock")
speaker.warm_up()
speaker.say("Hold")
assert speaker.running
print("left running")
"""
    done = fresh_python(code, tmp_path)
    assert done.stdout.split() == ["left", "running"]
    assert "Destroyed while thread" not in done.stderr
