"""End-to-end helpers: a private X server (Xvfb), the real program, xdotool and screenshots."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts" / "e2e"  # screenshots, kept for a person to look at (gitignored)

pytestmark = pytest.mark.e2e


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (apt-get install it, or run .ci/run)")
    return path


@dataclass
class XServer:
    display: str
    width: int
    height: int

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("QT_QPA")}
        env.update(DISPLAY=self.display, QT_QPA_PLATFORM="xcb", **extra)
        return env

    def xdotool(self, *args: str) -> str:
        result = subprocess.run(
            ["xdotool", *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
        return result.stdout.strip()

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        out = ARTIFACTS / f"{name}.png"
        subprocess.run(
            ["import", "-window", "root", str(out)], env=self.env(), check=True, timeout=20
        )
        return out


def start_xvfb(width: int, height: int) -> Iterator[XServer]:
    _need("Xvfb")
    _need("xdotool")
    _need("import")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [
            "Xvfb",
            "-displayfd",
            str(write_fd),
            "-screen",
            "0",
            f"{width}x{height}x24",
            "-nolisten",
            "tcp",
        ],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        proc.kill()
        pytest.fail("Xvfb did not start")
    try:
        yield XServer(f":{number}", width, height)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def xserver() -> Iterator[XServer]:
    yield from start_xvfb(1280, 720)


@pytest.fixture
def xserver_hd() -> Iterator[XServer]:
    yield from start_xvfb(1920, 1080)


def si_timer_command() -> list[str]:
    """The installed console script, as a newcomer runs it."""
    script = Path(sys.executable).with_name("si-timer")
    return [str(script)] if script.exists() else [sys.executable, "-m", "si_timer"]


def prepare_data_dir(root: Path, **settings: Any) -> Path:
    """A data folder as after the first run (safety notice acknowledged), with a
    silent speech engine so the test does not depend on a voice being installed."""
    config = root / "config"
    config.mkdir(parents=True, exist_ok=True)
    values = {"safety_acknowledged": True, "speech_engine": "mock", **settings}
    (config / "settings.json").write_text(json.dumps(values), encoding="utf-8")
    return root


def read_events(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            events.append(json.loads(line))
    return events


def wait_for(condition: Callable[[], Any], timeout: float, what: str) -> Any:
    """Poll (briefly) for something the real program does; these are real processes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")
