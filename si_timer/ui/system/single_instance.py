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

Two starts at the same moment must not both open a window: binding the socket
path is the claim (a bind fails while the file exists), and the one check that
is not a bind, "is the socket there a crashed app's?", runs under a short lock
(``flock`` on a file beside the socket), so one start cannot remove the socket
another has just bound.  :func:`claim_or_hand_over` puts the two halves together:
whoever loses the bind hands its request to the winner.

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
import errno
import json
import os
import stat
import struct
import tempfile
from collections.abc import Iterator
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


class AlreadyClaimed(Exception):
    """Another start holds the name: it is listening there (it won the race)."""


def claim(name: str) -> socket.socket | None:
    """Listen on ``name`` now, before the window shows, so a start that comes while
    this one paints finds it; the InstanceServer takes the socket over later.

    A socket file left by a crashed instance (nobody listens on it) is replaced.
    Raises :class:`AlreadyClaimed` when a live instance of ours listens there; use
    :func:`claim_or_hand_over`, which then hands the request to it.  None where
    Python cannot (no AF_UNIX sockets, the name cannot be bound, or another user
    listens under it): the QLocalServer then listens by name itself."""
    if not UNIX_SOCKETS:
        return None
    path = socket_path(name)
    with _claim_lock(path):
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            try:
                listener.bind(path)
            except OSError as error:
                if error.errno != errno.EADDRINUSE:
                    raise
                # Under the lock whoever bound the socket also listens on it
                # already: a refused connection means its app is gone.
                _remove_if_left(path)
                listener.bind(path)
            os.chmod(path, 0o600)  # as QLocalServer's UserAccessOption
            listener.listen(16)
        except AlreadyClaimed:
            listener.close()
            raise
        except OSError:
            listener.close()
            return None
    return listener


def claim_or_hand_over(name: str, request: dict[str, str]) -> tuple[HandOver, socket.socket | None]:
    """Hand ``request`` to a running instance, or claim ``name`` for this one.

    ``(NO_INSTANCE, listener)``: this start is the one (``listener`` as from
    :func:`claim`, None when Python could not bind); otherwise what became of the
    request.  A start that loses the claim to one that began at the same moment
    hands its request to that one, which answers once its window has painted."""
    for _attempt in range(3):
        handed = hand_over(name, request)
        if handed is not HandOver.NO_INSTANCE:
            return handed, None
        try:
            return HandOver.NO_INSTANCE, claim(name)
        except AlreadyClaimed:
            continue  # claimed between the question and the bind: ask the winner
    # Listening each time we bind, never there each time we ask: a server that
    # turns away every connection.
    return HandOver.NOT_RESPONDING, None


def _remove_if_left(path: str) -> None:
    """Remove the socket at ``path`` if no one listens on it (a crashed app's).

    Raises :class:`AlreadyClaimed` if our own user listens there, OSError (the
    name cannot be had) if another user does."""
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.setblocking(False)  # a full queue answers at once, not after a wait
        try:
            probe.connect(path)
        except BlockingIOError:  # its queue is full: alive, and busy
            raise AlreadyClaimed(path) from None
        except ConnectionRefusedError:  # a file with nobody behind it
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            return
        except FileNotFoundError:  # its app closed meanwhile and removed it
            return
        uid = _peer_uid(probe) if hasattr(os, "getuid") else None
        if uid is not None and uid != os.getuid():
            raise OSError(errno.EADDRINUSE, "another user listens here", path)
        raise AlreadyClaimed(path)
    finally:
        probe.close()


@contextlib.contextmanager
def _claim_lock(path: str) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path + ".lock"`` (never removed: removing a
    lock file lets two starts lock two different files).  The kernel lets go when
    the process ends, so a crash cannot leave it held.  Without ``fcntl``, or if
    the file cannot be opened (another user made it), no lock: as before."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path + ".lock", flags, 0o600)
    except OSError:
        yield
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)  # held for a bind and a listen
        yield
    finally:
        os.close(descriptor)  # lets go of the lock
