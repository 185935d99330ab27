"""One running app per data folder.

A second ``si-timer`` hands its request (open, or start a routine) to the one
already running and exits, so two processes never write the same history.
The channel is a local socket named after the data folder; the running app
answers each request, so a later start can tell "handed over" from "the other
one is frozen".  On POSIX this module asks and claims the name with Python's
own sockets, before the window shows, and without QtNetwork: the running app's
server (:mod:`.single_instance_server`, Python's sockets too) takes over the
claimed socket once the first screen has painted; a later start that connects
before then waits in the socket's queue for its answer.

On POSIX the socket lives in a folder only this user can enter:
``$XDG_RUNTIME_DIR`` where the session provides it (owned by us, 0700), else a
per-user 0700 folder in the temporary directory.  A shared ``/tmp`` name could
be taken first by another local user, who would then receive our requests and
make every start of ours exit "already running".  As a second guard, a later
start hands over only to a server run by the same user (its peer uid).
"""

from __future__ import annotations

import _socket as socket  # the socket module's core: its enums cost ~3 ms
import contextlib
import enum
import json
import os
import stat
import struct
import tempfile
from pathlib import Path

from si_timer.digest import sha256_hex

CONNECT_TIMEOUT_MS = 500
# A running app answers at once from its event loop; no answer in this long
# means it is frozen (or an old version that does not answer).
ANSWER_TIMEOUT_MS = 2000
ANSWER = b"ok\n"
UNIX_SOCKETS = hasattr(socket, "AF_UNIX")


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
    digest = sha256_hex(f"{user}:{data_dir.resolve()}".encode())[:16]
    folder = _runtime_folder()
    if folder is None:
        # No private folder to be had (another user holds the per-user one):
        # Qt's default place, with the peer check in hand_over as the guard.
        return f"si-timer-{digest}"
    return str(folder / f"si-timer-{digest}.socket")


def socket_path(name: str) -> str:
    """Where QLocalSocket looks for ``name`` on POSIX: a path as it is, a bare name
    in Qt's temporary folder (``$TMPDIR``, else ``/tmp``)."""
    if name.startswith("/"):
        return name
    return os.path.join(os.path.normpath(os.environ.get("TMPDIR") or "/tmp"), name)


def _peer_uid(sock: socket.socket) -> int | None:
    """The user id of the process at the other end (Linux), or None when unknown."""
    peercred = getattr(socket, "SO_PEERCRED", None)
    if peercred is None:
        return None
    try:
        raw = sock.getsockopt(socket.SOL_SOCKET, peercred, struct.calcsize("3i"))
    except OSError:
        return None
    _pid, uid, _gid = struct.unpack("3i", raw)
    return int(uid)


def hand_over(name: str, request: dict[str, str]) -> HandOver:
    """Send ``request`` to a running instance and wait for its answer."""
    if not UNIX_SOCKETS:
        from si_timer.ui.system.single_instance_qt import hand_over_by_qt

        return hand_over_by_qt(name, request)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(CONNECT_TIMEOUT_MS / 1000)
        try:
            sock.connect(socket_path(name))
        except OSError:  # no socket, nobody listening on it, or a full queue
            return HandOver.NO_INSTANCE
        if hasattr(os, "getuid"):
            uid = _peer_uid(sock)
            if uid is not None and uid != os.getuid():
                # Someone else's server under our name: not ours to talk to.
                return HandOver.NO_INSTANCE
        try:
            sock.sendall(json.dumps(request).encode() + b"\n")
        except OSError:
            return HandOver.NOT_RESPONDING
        sock.settimeout(ANSWER_TIMEOUT_MS / 1000)
        answer = b""
        while ANSWER not in answer:
            try:
                got = sock.recv(64)
            except OSError:  # the wait ran out (or the other end broke off)
                break
            if not got:
                break
            answer += got
        return HandOver.HANDED_OVER if ANSWER in answer else HandOver.NOT_RESPONDING
    finally:
        sock.close()


def claim(name: str) -> socket.socket | None:
    """Listen on ``name`` now, before the window shows, so a start that comes while
    this one paints finds it; the InstanceServer takes the socket over later.

    Call only once :func:`hand_over` said nobody answers there: a socket file left
    by a crashed instance is removed.  None where Python cannot (no AF_UNIX sockets,
    or the name cannot be bound): a QLocalServer then listens by name itself."""
    if not UNIX_SOCKETS:
        return None
    path = socket_path(name)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        try:
            listener.bind(path)
        except OSError:
            # A socket left by a crashed instance (nobody answered hand_over).
            with contextlib.suppress(OSError):
                os.unlink(path)
            listener.bind(path)
        os.chmod(path, 0o600)  # as QLocalServer's UserAccessOption
        listener.listen(16)
    except OSError:
        listener.close()
        return None
    return listener
