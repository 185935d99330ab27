"""A private X server (Xvfb) for tests that show a real window: xdotool and screenshots."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts" / "e2e"  # screenshots, kept for a person to look at (gitignored)


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

    def shown_windows(self, title: str) -> list[str]:
        """The mapped windows whose title is exactly *title*, oldest first.

        Only mapped ones: Qt also names its hidden 1x1 client-leader window after the
        application, and a plain search returns the two in no fixed order.
        """
        found = self.xdotool("search", "--onlyvisible", "--name", f"^{title}$")
        return [w for w in found.split() if w]

    def shown_window(self, title: str) -> str:
        """The first mapped window titled *title*, or "" while there is none."""
        windows = self.shown_windows(title)
        return windows[0] if windows else ""

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
