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
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalSocket
from pytestqt.qtbot import QtBot

from si_timer.ui.system import single_instance
from si_timer.ui.system.single_instance import HandOver, claim, hand_over, server_name
from si_timer.ui.system.single_instance_server import InstanceServer
from tests.helpers.fresh_python import fresh_python

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
    qtbot.waitUntil(lambda: server.connections == 0)
    server.close()
    assert not os.path.exists(name)


def test_the_peer_of_our_own_server_is_us(qtbot: QtBot, short_tmp: Path) -> None:
    path = short_tmp / "s.socket"
    with serving(path, "ok\n"), socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.connect(str(path))
        expected = os.getuid() if hasattr(socket, "SO_PEERCRED") else None
        assert single_instance._peer_uid(client) == expected


# A later start in its own process: Qt's server must turn its event loop meanwhile.
LATER = """
import sys
from si_timer.ui.system.single_instance import hand_over
print(hand_over(sys.argv[1], {"command": "open"}).name, flush=True)
"""


def test_a_start_while_the_first_paints_waits_for_the_server(qtbot: QtBot, short_tmp: Path) -> None:
    """claim() holds the name before the window shows; who comes before the Qt
    server is built waits in the queue, and is answered by it."""
    name = str(short_tmp / "app.socket")
    claimed = claim(name)
    assert claimed is not None
    assert stat.S_IMODE(os.stat(name).st_mode) == 0o600
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as early:
        early.connect(name)  # nobody accepts yet: queued
        early.sendall(b'{"command": "open"}\n')
        server = InstanceServer(name, claimed=claimed)
        assert server.listening
        with qtbot.waitSignal(server.request_received, timeout=3000) as got:
            pass
        assert got.args == [{"command": "open"}]
        early.settimeout(3)
        assert early.recv(16) == b"ok\n"
    # Let the server drop its end before the server itself goes.
    qtbot.waitUntil(lambda: server.connections == 0)
    server.close()
    assert not server.listening
    assert not os.path.exists(name)  # the server owns the claimed socket: it removes it


def test_a_socket_left_by_a_crash_is_claimed_again(short_tmp: Path) -> None:
    name = str(short_tmp / "app.socket")
    left = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    left.bind(name)
    left.close()  # the file stays; nobody listens
    assert hand_over(name, {"command": "open"}) is HandOver.NO_INSTANCE
    claimed = claim(name)
    assert claimed is not None
    try:
        assert claimed.getsockname() == name
    finally:
        claimed.close()


def test_a_bare_name_is_where_qt_would_put_it(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, short_tmp: Path
) -> None:
    """Without a private folder the name is a bare one: Python asks where Qt listens."""
    monkeypatch.setenv("TMPDIR", str(short_tmp))
    name = f"si-timer-test-{os.getpid()}"
    server = InstanceServer(name)
    try:
        assert server.listening
        assert single_instance.socket_path(name) == server.path
        with qtbot.waitSignal(server.request_received, timeout=3000):
            later = subprocess.Popen(
                [sys.executable, "-c", LATER, name], stdout=subprocess.PIPE, text=True
            )
        out, _ = later.communicate(timeout=10)
        assert out.split() == ["HANDED_OVER"]
        qtbot.waitUntil(lambda: server.connections == 0)
    finally:
        server.close()


def test_the_name_is_the_same_hash_as_before(short_tmp: Path) -> None:
    """The interpreter's own SHA-256 instead of hashlib's: the same name, so a start
    still finds an app of the previous version running."""
    import hashlib

    data = short_tmp / "data"
    digest = hashlib.sha256(f"{os.getuid()}:{data.resolve()}".encode()).hexdigest()[:16]
    assert Path(server_name(data)).name == f"si-timer-{digest}.socket"


def _answer_until_stopped(listener: socket.socket) -> None:
    """The winner's side in the race below: answers each request as the app's
    server does, until a ``stop`` line."""
    while True:
        conn, _ = listener.accept()
        with conn:
            line = b""
            while not line.endswith(b"\n") and (got := conn.recv(256)):
                line += got
            if line.strip() == b"stop":
                return
            if line:  # (a claim's probe connects and says nothing)
                conn.sendall(single_instance.ANSWER)


def _race(name: str) -> list[str]:
    """Two starts released together; what became of each (its HandOver's name)."""
    start = threading.Barrier(2)
    results: list[str] = []
    listeners: list[socket.socket] = []
    answerers: list[threading.Thread] = []
    lock = threading.Lock()

    def one_start() -> None:
        start.wait(10)
        handed, claimed = single_instance.claim_or_hand_over(name, {"command": "open"})
        with lock:
            results.append(handed.name)
        if claimed is not None:
            listener = socket.socket(fileno=claimed.detach())  # (one with accept())
            answerer = threading.Thread(target=_answer_until_stopped, args=(listener,))
            answerer.start()
            with lock:
                listeners.append(listener)
                answerers.append(answerer)

    starts = [threading.Thread(target=one_start) for _ in range(2)]
    for thread in starts:
        thread.start()
    for thread in starts:
        thread.join(20)
    for listener in listeners:  # stop the answerers, whatever the outcome
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as stop:
            stop.connect(listener.getsockname())
            stop.sendall(b"stop\n")
    for answerer in answerers:
        answerer.join(10)
    for listener in listeners:
        listener.close()
    with contextlib.suppress(FileNotFoundError):
        os.unlink(name)
    return sorted(results) + ["claimed"] * len(listeners)


@pytest.mark.parametrize("left_by_a_crash", [False, True])
def test_two_starts_at_once_open_exactly_one_app(short_tmp: Path, left_by_a_crash: bool) -> None:
    """Two starts released together, many times: one claims the name, the other
    hands its request to it; never both (each unlinking the other's socket), never
    neither.  With a crashed app's socket file there, only one may replace it."""
    name = str(short_tmp / "app.socket")
    for round_ in range(60):
        if left_by_a_crash:
            left = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            left.bind(name)
            left.close()  # the file stays; nobody listens
        outcome = _race(name)
        assert outcome == ["HANDED_OVER", "NO_INSTANCE", "claimed"], (round_, outcome)


def test_a_live_claim_is_not_taken_over(short_tmp: Path) -> None:
    """A later claim on a name someone listens on leaves that socket alone."""
    name = str(short_tmp / "app.socket")
    first = claim(name)
    assert first is not None
    try:
        with pytest.raises(single_instance.AlreadyClaimed):
            claim(name)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(name)  # still the first one's
    finally:
        first.close()


def test_one_connection_may_ask_twice_and_lines_that_are_no_request_are_skipped(
    qtbot: QtBot, short_tmp: Path
) -> None:
    name = str(short_tmp / "app.socket")
    server = InstanceServer(name)
    got: list[dict[str, str]] = []
    server.request_received.connect(got.append)
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(name)
            client.sendall(b'not json\n["a list"]\n{"command": "open"}\n{"command": "start", ')
            client.sendall(b'"routine": "evening"}\n')
            qtbot.waitUntil(lambda: len(got) == 2)
            client.settimeout(3)
            answers = b""
            while answers.count(b"ok\n") < 2:
                answers += client.recv(16)
            assert answers == b"ok\nok\n"
            assert server.connections == 1
        qtbot.waitUntil(lambda: server.connections == 0)  # it hung up: dropped
        assert got == [{"command": "open"}, {"command": "start", "routine": "evening"}]
    finally:
        server.close()


def test_without_unix_sockets_a_qlocalserver_serves(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, short_tmp: Path
) -> None:
    """Where Python has no AF_UNIX (Windows), QtNetwork does it: the same requests."""
    from si_timer.ui.system import single_instance_server

    monkeypatch.setattr(single_instance_server, "UNIX_SOCKETS", False)
    name = str(short_tmp / "app.socket")
    server = InstanceServer(name)
    try:
        assert server.listening
        assert server.path == name
        with qtbot.waitSignal(server.request_received, timeout=3000) as got:
            later = subprocess.Popen(
                [sys.executable, "-c", LATER, name], stdout=subprocess.PIPE, text=True
            )
        out, _ = later.communicate(timeout=10)
        assert out.split() == ["HANDED_OVER"]
        assert got.args == [{"command": "open"}]
        qtbot.waitUntil(lambda: server.connections == 0)
    finally:
        server.close()


def test_the_server_takes_no_qtnetwork(short_tmp: Path) -> None:
    """QtNetwork (with the Kerberos libraries it links) is ~3 MiB resident: the
    running app serves its socket without it.  A fresh interpreter, as a start."""
    code = f"""
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
app = QCoreApplication([])
from si_timer.ui.system.single_instance import claim
from si_timer.ui.system.single_instance_server import InstanceServer
name = {str(short_tmp / "app.socket")!r}
server = InstanceServer(name, claimed=claim(name))
assert server.listening
server.close()
maps = Path("/proc/self/maps")
print(sorted(m for m in ("PySide6.QtNetwork", "socket") if m in sys.modules))
print(maps.exists() and "libQt6Network" in maps.read_text())
"""
    done = fresh_python(code, short_tmp)
    assert done.stdout.split() == ["[]", "False"]
