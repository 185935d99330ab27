"""One running app per data folder.

A second ``si-timer`` hands its request (open, or start a routine) to the one
already running and exits, so two processes never write the same history.
The channel is a QLocalServer named after the data folder; the running app
answers each request, so a later start can tell "handed over" from "the other
one is frozen".

On POSIX the socket lives in a folder only this user can enter:
``$XDG_RUNTIME_DIR`` where the session provides it (owned by us, 0700), else a
per-user 0700 folder in the temporary directory.  A shared ``/tmp`` name could
be taken first by another local user, who would then receive our requests and
make every start of ours exit "already running".  As a second guard, a later
start hands over only to a server run by the same user (its peer uid).
"""

from __future__ import annotations

import enum
import hashlib
import json
import os
import socket
import stat
import struct
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

CONNECT_TIMEOUT_MS = 500
# A running app answers at once from its event loop; no answer in this long
# means it is frozen (or an old version that does not answer).
ANSWER_TIMEOUT_MS = 2000
ANSWER = b"ok\n"


class HandOver(enum.Enum):
    """What became of a later start's request."""

    NO_INSTANCE = "no-instance"  # nobody is running: this one starts
    HANDED_OVER = "handed-over"  # the running one took it
    NOT_RESPONDING = "not-responding"  # someone listens but does not answer


def _runtime_folder() -> Path | None:
    """A folder for the socket that only this user can use, or None (not POSIX)."""
    if os.name != "posix":
        return None
    uid = os.getuid()
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and _private_folder(Path(runtime), uid):
        return Path(runtime)
    folder = Path(tempfile.gettempdir()) / f"si-timer-{uid}"
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    return folder if _private_folder(folder, uid) else None


def _private_folder(folder: Path, uid: int) -> bool:
    """A real folder (not a link), owned by ``uid``, that no one else may enter."""
    try:
        info = folder.lstat()
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == uid
        and stat.S_IMODE(info.st_mode) & 0o077 == 0
    )


def server_name(data_dir: Path) -> str:
    """The server's name for ``data_dir``: a socket path in a private folder on
    POSIX, a per-user name elsewhere."""
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "")
    digest = hashlib.sha256(f"{user}:{data_dir.resolve()}".encode()).hexdigest()[:16]
    folder = _runtime_folder()
    if folder is None:
        # No private folder to be had (another user holds the per-user one):
        # Qt's default place, with the peer check in hand_over as the guard.
        return f"si-timer-{digest}"
    return str(folder / f"si-timer-{digest}.socket")


def _peer_uid(sock: QLocalSocket) -> int | None:
    """The user id of the process at the other end (Linux), or None when unknown."""
    peercred = getattr(socket, "SO_PEERCRED", None)
    descriptor = int(sock.socketDescriptor())
    if peercred is None or descriptor < 0:
        return None
    probe = socket.socket(fileno=os.dup(descriptor))
    try:
        raw = probe.getsockopt(socket.SOL_SOCKET, peercred, struct.calcsize("3i"))
    except OSError:
        return None
    finally:
        probe.close()
    _pid, uid, _gid = struct.unpack("3i", raw)
    return int(uid)


def hand_over(name: str, request: dict[str, str]) -> HandOver:
    """Send ``request`` to a running instance and wait for its answer."""
    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(CONNECT_TIMEOUT_MS):
        return HandOver.NO_INSTANCE
    try:
        if hasattr(os, "getuid"):
            uid = _peer_uid(sock)
            if uid is not None and uid != os.getuid():
                # Someone else's server under our name: not ours to talk to.
                return HandOver.NO_INSTANCE
        sock.write(json.dumps(request).encode() + b"\n")
        sock.flush()
        sock.waitForBytesWritten(CONNECT_TIMEOUT_MS)
        answer = bytes(sock.readAll().data())  # may have come while writing
        while ANSWER not in answer and sock.waitForReadyRead(ANSWER_TIMEOUT_MS):
            answer += bytes(sock.readAll().data())
        return HandOver.HANDED_OVER if ANSWER in answer else HandOver.NOT_RESPONDING
    finally:
        sock.abort()


class InstanceServer(QObject):
    """Listens for later instances.

    Signals:
        request_received(dict): {"command": "open"} or {"command": "start", "routine": id}.
    """

    request_received = Signal(dict)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self._server.listen(name):
            # A socket left by a crashed instance (nobody answered hand_over).
            QLocalServer.removeServer(name)
            self._server.listen(name)
        self._server.newConnection.connect(self._accept)

    @property
    def listening(self) -> bool:
        return self._server.isListening()

    def _accept(self) -> None:
        while (sock := self._server.nextPendingConnection()) is not None:
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(sock.deleteLater)
            if sock.bytesAvailable():
                self._read(sock)

    def _read(self, sock: QLocalSocket) -> None:
        while sock.canReadLine():
            line = bytes(sock.readLine().data()).strip()
            try:
                request = json.loads(line)
            except ValueError:
                continue
            if isinstance(request, dict) and isinstance(request.get("command"), str):
                # Answer first: handling the request may open a dialog.
                sock.write(ANSWER)
                sock.flush()
                self.request_received.emit({str(k): str(v) for k, v in request.items()})
