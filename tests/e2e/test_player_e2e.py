"""The real `si-timer start` in a real X server, driven with the keyboard (xdotool)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers.realapp import prepare_data_dir, read_events, si_timer_command, wait_for
from tests.helpers.xserver import XServer

pytestmark = pytest.mark.e2e

SCALE = "10"  # ten times faster: the 6.5-minute morning routine takes about 40 s


def _window(x: XServer) -> str:
    return wait_for(lambda: x.shown_window("SI Timer"), 30, "the window")


def _key(x: XServer, window: str, key: str) -> None:
    # No window manager runs here, so focus the window directly (not "activate").
    x.xdotool("windowfocus", "--sync", window)
    x.xdotool("key", key)


def _state_events(events: list[dict[str, object]]) -> list[object]:
    return [e["state"] for e in events if e["event"] == "state"]


def test_morning_routine_start_to_finish_with_keys(xserver: XServer, tmp_path: Path) -> None:
    data = prepare_data_dir(tmp_path / "data")
    events_file = tmp_path / "events.jsonl"
    log = (tmp_path / "si-timer.log").open("w")
    proc = subprocess.Popen(
        [
            *si_timer_command(),
            "--data-dir",
            str(data),
            "start",
            "morning",
            "--time-scale",
            SCALE,
            "--events",
            str(events_file),
        ],
        env=xserver.env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        window = _window(xserver)
        # The first hold (knee-to-chest, left leg) begins at 5 s (0.5 s real).
        wait_for(
            lambda: any(e.get("kind") == "hold" for e in read_events(events_file)),
            20,
            "the first hold",
        )
        xserver.screenshot("player-hold-1280x720")
        _key(xserver, window, "space")
        wait_for(lambda: "paused" in _state_events(read_events(events_file)), 10, "pause")
        xserver.screenshot("player-paused-1280x720")
        _key(xserver, window, "space")
        wait_for(
            lambda: _state_events(read_events(events_file))[-1] == "running",
            10,
            "resume after 3-2-1",
        )
        _key(xserver, window, "Right")
        wait_for(
            lambda: any(e.get("outcome") == "skipped" for e in read_events(events_file)), 10, "skip"
        )
        _key(xserver, window, "Left")
        wait_for(
            lambda: (
                sum(
                    1
                    for e in read_events(events_file)
                    if e["event"] == "segment_started" and e["index"] == 1
                )
                >= 2
            ),
            10,
            "back to the left-leg hold",
        )
        wait_for(
            lambda: any(
                e["event"] == "segment_started" and e["kind"] == "switch"
                for e in read_events(events_file)[-5:]
            ),
            30,
            "the side switch",
        )
        xserver.screenshot("player-switch-1280x720")
        wait_for(
            lambda: any(e["event"] == "session_ended" for e in read_events(events_file)),
            90,
            "the end",
        )
        xserver.screenshot("summary-1280x720")
        events = read_events(events_file)
        ended = next(e for e in events if e["event"] == "session_ended")
        assert ended["status"] == "completed"
        # The hold skipped with Right was brought back with Left and done: nothing missing.
        assert ended["done"] == ended["total"]
        speech = [e["text"] for e in events if e["event"] == "cue" and e["kind"] == "speech"]
        assert "Switch to your right leg: right knee to your chest." in speech
        assert any(s.startswith("Left leg. Hold for 20 seconds.") for s in speech)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_full_screen_at_1080p_fills_the_screen(xserver_hd: XServer, tmp_path: Path) -> None:
    data = prepare_data_dir(tmp_path / "data", theme="dark")
    events_file = tmp_path / "events.jsonl"
    log = (tmp_path / "si-timer.log").open("w")
    proc = subprocess.Popen(
        [*si_timer_command(), "--data-dir", str(data), "start", "morning", "--fullscreen",
         "--time-scale", "5", "--events", str(events_file)],
        env=xserver_hd.env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        window = _window(xserver_hd)

        def started(kind: str, index_from: int = 0) -> bool:
            return any(
                e["event"] == "segment_started" and e["kind"] == kind and e["index"] >= index_from
                for e in read_events(events_file)
            )

        wait_for(lambda: started("hold"), 20, "the first hold")
        geometry = xserver_hd.xdotool("getwindowgeometry", window)
        assert "1920x1080" in geometry
        xserver_hd.screenshot("player-hold-1920x1080")
        wait_for(lambda: started("switch"), 20, "the side switch")
        xserver_hd.screenshot("player-switch-1920x1080")
        wait_for(lambda: started("transition"), 30, "the rest between exercises")
        xserver_hd.screenshot("player-rest-1920x1080")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
