"""The real ``si-timer`` as a person starts it, for the fault and e2e tests: launch, watch, stop.

Every run gets its own data folder and writes its log (stderr) to a file, so a
failing assertion can show what the program said.  Processes are real and
their sessions run on the real clock (sped up with ``--time-scale``), so the
helpers poll files with short sleeps; no helper sleeps through a hold.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest

__all__ = [
    "AppRun",
    "Launcher",
    "db_holders",
    "db_rows",
    "end_spawned_speech_dispatcher",
    "file_digest",
    "launch",
    "listing",
    "prepare_data_dir",
    "read_events",
    "si_timer_command",
    "wait_for",
]

LOG_PREFIX = "si-timer: "
_T = TypeVar("_T")


def si_timer_command() -> list[str]:
    """The installed console script, as a newcomer runs it."""
    script = Path(sys.executable).with_name("si-timer")
    return [str(script)] if script.exists() else [sys.executable, "-m", "si_timer"]


def prepare_data_dir(root: Path, **settings: Any) -> Path:
    """A data folder as after the first run (safety notice acknowledged), with a
    silent speech engine so the test does not depend on a voice being installed.
    ``si-timer start`` sessions start at once, on each routine's own lead-ins."""
    config = root / "config"
    config.mkdir(parents=True, exist_ok=True)
    values = {
        "safety_acknowledged": True,
        "speech_engine": "mock",
        "start_wait": 0,
        "first_lead_in": 0,
        "change_lead_in": 0,
        **settings,
    }
    (config / "settings.json").write_text(json.dumps(values), encoding="utf-8")
    return root


def read_events(path: Path) -> list[dict[str, Any]]:
    """The complete JSON lines of an events file (a killed app may leave half a line)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    lines = text.split("\n")
    return [json.loads(line) for line in lines[:-1] if line.strip()]


def wait_for(
    condition: Callable[[], _T | None], timeout: float, what: str, poll: float = 0.02
) -> _T:
    """Poll for something a real process does; fail loudly with ``what`` on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(poll)


def offscreen_env(**extra: str) -> dict[str, str]:
    """The test's environment with Qt drawing offscreen (no X server needed)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_QPA")}
    env.pop("DISPLAY", None)
    env.update(QT_QPA_PLATFORM="offscreen", **extra)
    return env


@dataclass
class AppRun:
    """One real ``si-timer`` process and the files it writes."""

    proc: subprocess.Popen[bytes]
    args: list[str]
    data_dir: Path
    events_file: Path | None
    log_file: Path

    @property
    def pid(self) -> int:
        return self.proc.pid

    def events(self) -> list[dict[str, Any]]:
        return read_events(self.events_file) if self.events_file is not None else []

    def log(self) -> str:
        """Everything the program wrote to stderr (and stdout) so far."""
        try:
            return self.log_file.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def messages(self) -> list[str]:
        """The app's own log lines (``si-timer: ...``), without the prefix."""
        return [
            line.removeprefix(LOG_PREFIX)
            for line in self.log().splitlines()
            if line.startswith(LOG_PREFIX)
        ]

    def describe(self) -> str:
        """For assertion messages: the command, its events and its log."""
        events = "\n".join(json.dumps(e) for e in self.events()[-15:])
        return (
            f"\n--- command: {' '.join(self.args)}"
            f"\n--- last events:\n{events}\n--- log:\n{self.log()}"
        )

    def wait_event(
        self, predicate: Callable[[dict[str, Any]], bool], timeout: float, what: str
    ) -> dict[str, Any]:
        def found() -> dict[str, Any] | None:
            if self.proc.poll() is not None:
                pytest.fail(f"si-timer exited ({self.proc.returncode}) before {what}")
            # Qt prints a slot's exception and carries on: fail now, not at the timeout.
            if "Traceback" in self.log():
                pytest.fail(f"si-timer raised before {what}{self.describe()}")
            return next((e for e in self.events() if predicate(e)), None)

        return wait_for(found, timeout, f"{what}{self.describe()}")

    def wait_session_ended(self, timeout: float = 30.0) -> dict[str, Any]:
        return self.wait_event(
            lambda e: e["event"] == "session_ended", timeout, "the end of the session"
        )

    def kill(self) -> None:
        """SIGKILL: no clean-up at all, as a crash or a power cut."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        """What closing the terminal does (the app does not catch SIGTERM)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def exit_code(self, timeout: float) -> int:
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"si-timer still running after {timeout} s{self.describe()}")

    def assert_no_traceback(self) -> None:
        assert "Traceback" not in self.log(), self.describe()


def launch(
    data_dir: Path,
    *args: str,
    log_file: Path,
    events_file: Path | None = None,
    env: dict[str, str] | None = None,
) -> AppRun:
    """Start ``si-timer --data-dir DATA ARGS...`` (offscreen unless ``env`` says otherwise)."""
    argv = [*si_timer_command(), "--data-dir", str(data_dir), *args]
    if events_file is not None:
        argv += ["--events", str(events_file)]
    with log_file.open("wb") as log:
        proc = subprocess.Popen(
            argv,
            env=env if env is not None else offscreen_env(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return AppRun(proc, argv, data_dir, events_file, log_file)


@dataclass
class Launcher:
    """Starts real apps and makes sure none outlives its test."""

    tmp: Path
    runs: list[AppRun] = field(default_factory=list)

    def start(
        self,
        data_dir: Path,
        *args: str,
        name: str,
        events: bool = True,
        env: dict[str, str] | None = None,
    ) -> AppRun:
        events_file = self.tmp / f"{name}.events.jsonl" if events else None
        run = launch(
            data_dir,
            *args,
            log_file=self.tmp / f"{name}.log",
            events_file=events_file,
            env=env,
        )
        self.runs.append(run)
        return run

    def close(self) -> None:
        for run in self.runs:
            run.kill()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every path below ``root`` with its size, mtime and mode: what "nothing written" compares."""
    if not root.exists():
        return {}
    out = {}
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        out[str(path.relative_to(root))] = (st.st_size, st.st_mtime_ns, st.st_mode)
    return out


def db_holders(db: Path) -> set[int]:
    """The processes that have the database (or its WAL) open right now, from /proc."""
    names = {str(db), f"{db}-wal", f"{db}-journal"}
    pids: set[int] = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fds = list((entry / "fd").iterdir())
        except OSError:
            continue  # gone, or not ours to look at
        for fd in fds:
            try:
                if os.readlink(fd) in names:
                    pids.add(int(entry.name))
                    break
            except OSError:
                continue
    return pids


def end_spawned_speech_dispatcher(runtime_dir: Path) -> None:
    """End the speech-dispatcher that an app run with ``XDG_RUNTIME_DIR=runtime_dir`` spawned.

    With the system voice, the speech client starts the daemon on first use and
    it outlives the app (here neither its idle timeout nor SIGTERM ended it
    within seconds), so the test that allowed it ends it: by the pid in the
    test's own runtime folder, and only if that process still names the folder.
    """
    pid_file = runtime_dir / "speech-dispatcher" / "pid" / "speech-dispatcher.pid"
    try:
        pid = int(pid_file.read_text(encoding="ascii").strip())
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return
    if str(runtime_dir).encode() not in command:
        return  # the pid now belongs to someone else
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            try:
                status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
            except OSError:
                return
            if "\nState:\tZ" in status:
                return  # ended; its parent (init) collects it
            time.sleep(0.02)


def db_rows(db: Path, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
    """A read-only query on the app's database (safe while the app writes: WAL)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return list(conn.execute(sql, params))
    finally:
        conn.close()
