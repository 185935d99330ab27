"""MprisPlayer: media keys and headset buttons reach a session through D-Bus, whichever
window has focus.

A private dbus-daemon stands in for the desktop's session bus; ``dbus-send`` plays the
desktop's media-key handler and ``dbus-monitor`` watches what the player announces.
The player lives in this process, so the test keeps Qt's event loop turning while a
child waits for its reply.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from si_timer.config.paths import resolve_paths
from si_timer.session.clock import FakeClock
from si_timer.session.commands import Command
from si_timer.session.engine import EngineState
from si_timer.ui.app import App
from si_timer.ui.system.mpris import BUS_NAME, OBJECT_PATH, MprisPlayer, PlaybackStatus
from tests.helpers.qt_messages import BACKEND_PROBE_WARNINGS
from tests.ui.system.test_keep_awake import private_bus  # noqa: F401 - a fixture

pytestmark = [
    # The app's sessions preload the sounds, which wakes QtMultimedia's backend probes.
    pytest.mark.qt_log_ignore(*BACKEND_PROBE_WARNINGS),
    pytest.mark.skipif(
        shutil.which("dbus-daemon") is None
        or shutil.which("dbus-send") is None
        or shutil.which("dbus-monitor") is None
        or shutil.which("stdbuf") is None,
        reason="dbus-daemon, dbus-send and dbus-monitor are needed (Debian: dbus-daemon, dbus-bin)",
    ),
]

PLAYER = "org.mpris.MediaPlayer2.Player"


@pytest.fixture
def player(private_bus: str) -> Iterator[MprisPlayer]:  # noqa: F811 - the fixture above
    made = MprisPlayer(
        identity="SI Timer", desktop_entry="io.github.si_timer.SiTimer", bus_address=private_bus
    )
    yield made
    made.close()


def send(qtbot: QtBot, bus: str, member: str, *args: str) -> str:
    """Call the player as a desktop would; its reply as dbus-send prints it."""
    proc = subprocess.Popen(
        [
            "dbus-send",
            f"--bus={bus}",
            "--print-reply",
            f"--dest={BUS_NAME}",
            OBJECT_PATH,
            member,
            *args,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=10_000)
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    return out


def status(qtbot: QtBot, bus: str) -> str:
    out = send(
        qtbot,
        bus,
        "org.freedesktop.DBus.Properties.Get",
        f"string:{PLAYER}",
        "string:PlaybackStatus",
    )
    return out.split('"')[1]


def test_media_keys_become_commands(
    qtbot: QtBot,
    player: MprisPlayer,
    private_bus: str,  # noqa: F811
) -> None:
    got: list[Command] = []
    player.command_requested.connect(got.append)
    assert player.register()
    for member in ("PlayPause", "Next", "Previous", "Play", "Pause", "Stop"):
        send(qtbot, private_bus, f"{PLAYER}.{member}")
    assert got == [
        Command.PAUSE,
        Command.NEXT,
        Command.PREVIOUS,
        Command.PLAY,
        Command.HALT,
        Command.HALT,  # Stop pauses: ending a session asks at the screen
    ]


class Monitor:
    """``dbus-monitor`` on the bus, as a desktop's media widget would listen: every
    PropertiesChanged line, read as it comes."""

    def __init__(self, bus_address: str) -> None:
        self.proc = subprocess.Popen(
            [
                "stdbuf",
                "-oL",
                "dbus-monitor",
                "--address",
                bus_address,
                "type='signal',member='PropertiesChanged'",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.strip())

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=5)
        self._reader.join(timeout=5)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def test_playback_status_follows_the_session_and_is_announced(
    qtbot: QtBot,
    player: MprisPlayer,
    private_bus: str,  # noqa: F811
) -> None:
    assert player.register()
    assert status(qtbot, private_bus) == "Stopped"
    monitor = Monitor(private_bus)
    try:
        qtbot.waitUntil(lambda: bool(monitor.lines), timeout=5000)  # its own NameLost: ready
        player.set_status(PlaybackStatus.PLAYING, "Core strength")
        assert status(qtbot, private_bus) == "Playing"
        player.set_status(PlaybackStatus.PAUSED)
        player.set_status(PlaybackStatus.PAUSED)  # no change: nothing announced
        assert status(qtbot, private_bus) == "Paused"
        qtbot.waitUntil(lambda: 'string "Paused"' in monitor.text, timeout=5000)
        meta = send(
            qtbot,
            private_bus,
            "org.freedesktop.DBus.Properties.Get",
            f"string:{PLAYER}",
            "string:Metadata",
        )
        assert '"Core strength"' in meta
        assert 'object path "/io/github/si_timer/session"' in meta
    finally:
        monitor.close()
    text = monitor.text
    assert text.count("member=PropertiesChanged") == 2
    assert text.count(f'string "{PLAYER}"') == 2
    assert text.index('string "Playing"') < text.index('string "Paused"')
    assert text.index('string "Core strength"') < text.index('string "Paused"')


def test_the_name_is_given_back_when_the_session_ends(
    qtbot: QtBot,
    player: MprisPlayer,
    private_bus: str,  # noqa: F811
) -> None:
    assert player.register()
    player.unregister()
    proc = subprocess.run(
        [
            "dbus-send",
            f"--bus={private_bus}",
            "--print-reply",
            f"--dest={BUS_NAME}",
            OBJECT_PATH,
            f"{PLAYER}.PlayPause",
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert proc.returncode != 0
    assert "ServiceUnknown" in proc.stderr or "not provided" in proc.stderr


def test_a_media_key_from_another_window_runs_the_session(
    qtbot: QtBot,
    private_bus: str,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The real app, wired by its composition root: PlayPause starts the session from the
    start screen and pauses it; the desktop sees Playing and Paused."""
    paths = resolve_paths(tmp_path / "data")
    paths.config_dir.mkdir(parents=True)
    paths.settings_file.write_text(
        json.dumps({"safety_acknowledged": True, "speech_engine": "mock"})
    )
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    application = App(qapp, paths, clock=FakeClock(), media_bus=private_bus)
    monkeypatch.setattr(application.window, "ask_end", lambda: True)
    qtbot.addWidget(application.window)
    try:
        application.history  # noqa: B018
        application.start_routine("morning")
        run = application.runner.run
        assert run is not None
        assert run.engine.state is EngineState.READY
        assert status(qtbot, private_bus) == "Paused"
        send(qtbot, private_bus, f"{PLAYER}.PlayPause")
        assert run.engine.state is EngineState.RUNNING
        assert status(qtbot, private_bus) == "Playing"
        send(qtbot, private_bus, f"{PLAYER}.PlayPause")
        assert run.engine.state is EngineState.PAUSED
        assert status(qtbot, private_bus) == "Paused"
        send(qtbot, private_bus, f"{PLAYER}.Play")
        assert run.engine.state is EngineState.RESUMING
        application.runner.end()
        assert application.media_keys.player is not None
        assert not application.media_keys.player.registered  # the summary: the name is given back
    finally:
        application.shut_down()


def test_properties_changed_has_the_signature_the_specification_gives(
    qtbot: QtBot,
    player: MprisPlayer,
    private_bus: str,  # noqa: F811
) -> None:
    """ "sa{sv}as": an empty list of invalidated names must go out as strings, not
    variants (what a plain Python list becomes), or strict clients drop the signal."""
    assert player.register()
    proc = subprocess.Popen(
        ["dbus-monitor", "--address", private_bus, "--binary", "member='PropertiesChanged'"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    chunks: list[bytes] = []

    def read() -> None:
        assert proc.stdout is not None
        while chunk := proc.stdout.read1(4096):
            chunks.append(chunk)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        qtbot.waitUntil(lambda: bool(chunks), timeout=5000)  # its own NameLost: listening
        player.set_status(PlaybackStatus.PLAYING, "Core strength")
        qtbot.waitUntil(lambda: b"PropertiesChanged" in b"".join(chunks), timeout=5000)
    finally:
        proc.terminate()
        proc.wait(timeout=5)
        reader.join(timeout=5)
        if proc.stdout is not None:
            proc.stdout.close()
    captured = b"".join(chunks)
    assert b"sa{sv}as" in captured
    assert b"sa{sv}av" not in captured
