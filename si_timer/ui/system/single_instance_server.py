"""The running app's side of the single-instance channel.

Built once the first screen has painted, on the socket
:func:`~si_timer.ui.system.single_instance.claim` bound before the window showed.
On POSIX it serves that socket with Python's own sockets, woken by a
QSocketNotifier: QtNetwork's QLocalServer would bring ~3 MiB of libraries
(and Kerberos with them) into every start for one local socket.  Where Python
has no AF_UNIX sockets, QLocalServer serves (:mod:`.single_instance_qt`).
"""

from __future__ import annotations

import _socket
import contextlib
import json
import os

from PySide6.QtCore import QCoreApplication, QObject, QSocketNotifier, Signal

from si_timer.ui.system.single_instance import ANSWER, UNIX_SOCKETS, claim

# A request is one short JSON line; a peer that sends more without a newline is
# not a si-timer start.
MAX_REQUEST_BYTES = 64 * 1024


class InstanceServer(QObject):
    """Listens for later instances and answers each request.

    ``claimed``: the listening socket from ``claim(name)``; this server owns it
    from now on (and removes its file when it closes).  Without one it claims
    ``name`` itself.

    Signals:
        request_received(dict): {"command": "open"} or {"command": "start", "routine": id}.
    """

    request_received = Signal(dict)

    def __init__(
        self, name: str, parent: QObject | None = None, *, claimed: _socket.socket | None = None
    ) -> None:
        super().__init__(parent)
        self._listener: _socket.socket | None = None
        self._path = ""
        self._notifier: QSocketNotifier | None = None
        self._clients: list[_Client] = []
        self._qt: QObject | None = None
        listener = claimed if claimed is not None or not UNIX_SOCKETS else claim(name)
        if listener is None:  # no AF_UNIX (or the name cannot be bound here)
            from si_timer.ui.system.single_instance_qt import LocalServer

            server = LocalServer(name, self, claimed=claimed)
            server.request_received.connect(self.request_received)
            self._qt = server
            return
        listener.setblocking(False)
        self._listener = listener
        self._path = str(listener.getsockname())
        # Who connected before this server was built waits in the queue: the
        # socket is readable, so the notifier fires at the event loop's next turn.
        self._notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._accept)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.close)

    @property
    def listening(self) -> bool:
        if self._qt is not None:
            return bool(self._qt.listening)  # type: ignore[attr-defined]
        return self._listener is not None

    @property
    def path(self) -> str:
        """The socket file it listens on."""
        if self._qt is not None:
            return str(self._qt.path)  # type: ignore[attr-defined]
        return self._path

    @property
    def connections(self) -> int:
        """Later starts connected now (each goes once it has its answer)."""
        if self._qt is not None:
            return int(self._qt.connections)  # type: ignore[attr-defined]
        return len(self._clients)

    def close(self) -> None:
        """Stop listening, drop every connection and remove the socket file."""
        if self._qt is not None:
            self._qt.close()  # type: ignore[attr-defined]
            return
        for client in list(self._clients):
            client.close()
        if self._listener is not None:
            assert self._notifier is not None
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._listener.close()
            self._listener = None
            with contextlib.suppress(OSError):
                os.unlink(self._path)

    def _accept(self) -> None:
        while self._listener is not None:
            try:
                # What socket.accept() does, without the socket module's enums.
                fd, _ = self._listener._accept()  # type: ignore[attr-defined]
            except BlockingIOError:
                return
            except OSError:
                return
            self._clients.append(_Client(_socket.socket(fileno=fd), self))

    def _answered(self, request: dict[str, str]) -> None:
        self.request_received.emit(request)

    def _gone(self, client: _Client) -> None:
        if client in self._clients:
            self._clients.remove(client)


class _Client:
    """One later start: reads its request lines and answers each."""

    def __init__(self, sock: _socket.socket, server: InstanceServer) -> None:
        sock.setblocking(False)
        self._sock = sock
        self._server = server
        self._buffer = b""
        self._notifier = QSocketNotifier(sock.fileno(), QSocketNotifier.Type.Read, server)
        self._notifier.activated.connect(self._read)

    def _read(self) -> None:
        try:
            data = self._sock.recv(4096)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # it hung up
            self.close()
            return
        self._buffer += data
        while b"\n" in self._buffer:
            line, self._buffer = self._buffer.split(b"\n", 1)
            try:
                request = json.loads(line)
            except ValueError:
                continue
            if isinstance(request, dict) and isinstance(request.get("command"), str):
                # Answer first: handling the request may open a dialog.
                with contextlib.suppress(OSError):  # it left without waiting
                    self._sock.sendall(ANSWER)
                self._server._answered({str(k): str(v) for k, v in request.items()})
        if len(self._buffer) > MAX_REQUEST_BYTES:
            self.close()

    def close(self) -> None:
        self._notifier.setEnabled(False)
        self._notifier.deleteLater()
        self._sock.close()
        self._server._gone(self)
