"""The single-instance channel through QtNetwork, where Python has no AF_UNIX sockets.

Qt speaks named pipes there; :class:`~.single_instance_server.InstanceServer`
uses this server only then (or when Python cannot bind the name).
"""

from __future__ import annotations

import _socket
import json
import os
import socket

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from si_timer.ui.system.single_instance import (
    ANSWER,
    ANSWER_TIMEOUT_MS,
    CONNECT_TIMEOUT_MS,
    HandOver,
    _peer_uid,
)


class LocalServer(QObject):
    """Listens for later instances with a QLocalServer.

    ``claimed``: a listening socket from ``claim(name)``; this server owns it
    from now on.  Without one it listens on ``name`` itself.

    Signals:
        request_received(dict): {"command": "open"} or {"command": "start", "routine": id}.
    """

    request_received = Signal(dict)

    def __init__(
        self, name: str, parent: QObject | None = None, *, claimed: _socket.socket | None = None
    ) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if claimed is not None:
            self._server.listen(claimed.detach())
        elif not self._server.listen(name):
            # A socket left by a crashed instance (nobody answered hand_over).
            QLocalServer.removeServer(name)
            self._server.listen(name)
        # Who connected before this server was built waits in the queue: the
        # socket is readable, so newConnection comes at the event loop's next turn.
        self._server.newConnection.connect(self._accept)

    @property
    def listening(self) -> bool:
        return self._server.isListening()

    @property
    def path(self) -> str:
        return str(self._server.fullServerName())

    @property
    def connections(self) -> int:
        return len(self.findChildren(QLocalSocket))

    def close(self) -> None:
        self._server.close()

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


def hand_over_by_qt(name: str, request: dict[str, str]) -> HandOver:
    """:func:`~si_timer.ui.system.single_instance.hand_over` where Python has no
    AF_UNIX sockets (Qt speaks named pipes there)."""
    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(CONNECT_TIMEOUT_MS):
        return HandOver.NO_INSTANCE
    try:
        descriptor = int(sock.socketDescriptor())
        if hasattr(os, "getuid") and descriptor >= 0:
            probe = socket.socket(fileno=os.dup(descriptor))
            try:
                uid = _peer_uid(probe)
            finally:
                probe.close()
            if uid is not None and uid != os.getuid():
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
