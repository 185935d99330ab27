"""The single-instance channel: a private socket folder, an answer, a peer check."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalSocket
from pytestqt.qtbot import QtBot

from si_timer.ui.system import single_instance
from si_timer.ui.system.single_instance import HandOver, InstanceServer, hand_over, server_name

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX sockets and modes")


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    """A short folder: a socket path must stay under ~100 bytes."""
    with tempfile.TemporaryDirectory(prefix="si-", dir="/tmp") as folder:
        yield Path(folder)


def test_the_socket_lives_in_the_private_runtime_folder(
    monkeypatch: pytest.MonkeyPatch, short_tmp: Path
) -> None:
    runtime = short_tmp / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    name = Path(server_name(short_tmp / "data"))
    assert name.parent == runtime
    assert name.name.startswith("si-timer-")


@pytest.mark.parametrize("problem", ["shared", "link", "missing"])
def test_an_unsafe_runtime_folder_gives_way_to_a_per_user_one(
    monkeypatch: pytest.MonkeyPatch, short_tmp: Path, problem: str
) -> None:
    runtime = short_tmp / "run"
    if problem == "shared":
        runtime.mkdir()
        runtime.chmod(0o777)
    elif problem == "link":
        (short_tmp / "real").mkdir(mode=0o700)
        runtime.symlink_to(short_tmp / "real")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.setattr(tempfile, "tempdir", str(short_tmp))
    name = Path(server_name(short_tmp / "data"))
    assert name.parent == short_tmp / f"si-timer-{os.getuid()}"
    assert stat.S_IMODE(name.parent.stat().st_mode) == 0o700


def test_a_per_user_folder_someone_else_opened_is_not_used(
    monkeypatch: pytest.MonkeyPatch, short_tmp: Path
) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(short_tmp))
    squatted = short_tmp / f"si-timer-{os.getuid()}"
    squatted.mkdir()
    squatted.chmod(0o777)
    assert "/" not in server_name(short_tmp / "data")  # not inside the open folder


# A stand-in running app in its own process (a thread would wait for the GIL
# that Qt's blocking waits hold): reads one request, prints it, answers or not.
SERVER = """
import socket, sys
listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
listener.bind(sys.argv[1])
listener.listen(1)
print("ready", flush=True)
conn, _ = listener.accept()
print(conn.recv(4096).decode().strip(), flush=True)
if sys.argv[2]:
    conn.sendall(sys.argv[2].encode())
try:
    conn.recv(16)
except OSError:
    pass
"""


@contextlib.contextmanager
def serving(path: Path, answer: str) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(path), answer], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "ready\n"
        yield proc
    finally:
        proc.kill()
        proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()


def test_a_running_app_that_answers_takes_the_request(qtbot: QtBot, short_tmp: Path) -> None:
    path = short_tmp / "s.socket"
    with serving(path, "ok\n") as server:
        assert hand_over(str(path), {"command": "open"}) is HandOver.HANDED_OVER
        assert server.stdout is not None
        assert json.loads(server.stdout.readline()) == {"command": "open"}


def test_a_frozen_app_is_reported_as_not_responding(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, short_tmp: Path
) -> None:
    monkeypatch.setattr(single_instance, "ANSWER_TIMEOUT_MS", 100)  # not two real seconds
    path = short_tmp / "s.socket"
    with serving(path, ""):
        assert hand_over(str(path), {"command": "open"}) is HandOver.NOT_RESPONDING


def test_nobody_listening_is_no_instance(qtbot: QtBot, short_tmp: Path) -> None:
    assert hand_over(str(short_tmp / "none.socket"), {"command": "open"}) is HandOver.NO_INSTANCE


def test_the_server_answers_each_request(qtbot: QtBot, short_tmp: Path) -> None:
    name = str(short_tmp / "app.socket")
    server = InstanceServer(name)
    assert server.listening
    client = QLocalSocket()
    client.connectToServer(name)
    assert client.waitForConnected(1000)
    with qtbot.waitSignal(server.request_received, timeout=2000) as got:
        client.write(b'{"command": "start", "routine": "morning"}\n')
        client.flush()
    assert got.args == [{"command": "start", "routine": "morning"}]
    qtbot.waitUntil(lambda: client.bytesAvailable() > 0 or client.waitForReadyRead(10))
    assert bytes(client.readAll().data()) == b"ok\n"
    client.abort()
    # Let the server drop its end before the server itself goes.
    qtbot.waitUntil(lambda: not server.findChildren(QLocalSocket))


def test_the_peer_of_our_own_server_is_us(qtbot: QtBot, short_tmp: Path) -> None:
    path = short_tmp / "s.socket"
    client = QLocalSocket()
    with serving(path, "ok\n"):
        client.connectToServer(str(path))
        assert client.waitForConnected(1000)
        expected = os.getuid() if hasattr(socket, "SO_PEERCRED") else None
        assert single_instance._peer_uid(client) == expected
        client.abort()
