"""The real `si-timer --background` in a real X server: no window, and a second start opens it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers.realapp import prepare_data_dir, si_timer_command, wait_for
from tests.helpers.xserver import XServer

pytestmark = pytest.mark.e2e


def _windows(x: XServer) -> list[str]:
    return x.shown_windows("SI Timer")


def test_background_mode_has_no_window_until_started_again(
    xserver: XServer, tmp_path: Path
) -> None:
    data = prepare_data_dir(tmp_path / "data", reminders_on=True)
    # A private, empty session bus: no tray and no notification server (stock GNOME's case).
    env = xserver.env(XDG_CONFIG_HOME=str(tmp_path / "xdg"), XDG_DATA_HOME=str(tmp_path / "share"))
    env["DBUS_SESSION_BUS_ADDRESS"] = f"unix:path={tmp_path / 'no-bus'}"
    log = (tmp_path / "si-timer.log").open("w")
    background = subprocess.Popen(
        [*si_timer_command(), "--data-dir", str(data), "--background"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: (data / "data" / "history.sqlite3").exists() or None, 30, "history")
        assert background.poll() is None, "the background mode must keep running"
        assert _windows(xserver) == []
        again = subprocess.run(
            [*si_timer_command(), "--data-dir", str(data)],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert again.returncode == 0, again.stderr
        assert "already running" in again.stderr
        wait_for(lambda: _windows(xserver), 30, "the window, after the second start")
        xserver.screenshot("background-opened-1280x720")
    finally:
        background.terminate()
        background.wait(timeout=10)
        log.close()
