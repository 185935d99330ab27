"""Media keys and headset buttons from any window during a session: an MPRIS player
(:mod:`si_timer.ui.system.mpris`, and QtDBus with it) made when the first session
starts, its status following the session's state."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from si_timer.session.commands import Command

if TYPE_CHECKING:
    from si_timer.session.engine import StateChanged
    from si_timer.ui.session.runner import Run
    from si_timer.ui.system.mpris import MprisPlayer


class MediaKeys(QObject):
    """Gives the session's media keys to the desktop while it runs.

    ``run()`` is the session on now; ``ready()`` is False until the window has
    painted (D-Bus waits for it: call :meth:`session_started` again then).
    ``bus_address``: a D-Bus address, for tests.

    Signals:
        command_requested(Command): a media key, as a command for the session.
        raise_requested(): the desktop asked for the window.
    """

    command_requested = Signal(Command)
    raise_requested = Signal()

    def __init__(
        self,
        run: Callable[[], Run | None],
        *,
        identity: str,
        desktop_entry: str,
        ready: Callable[[], bool],
        bus_address: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._run = run
        self._identity = identity
        self._desktop_entry = desktop_entry
        self._ready = ready
        self._bus_address = bus_address
        self.player: MprisPlayer | None = None

    def session_started(self) -> None:
        if not self._ready():
            return  # D-Bus after the first paint, which calls again
        from si_timer.session.engine import EngineState
        from si_timer.ui.system.mpris import MprisPlayer, PlaybackStatus

        if self.player is None:
            self.player = MprisPlayer(
                identity=self._identity,
                desktop_entry=self._desktop_entry,
                bus_address=self._bus_address,
                parent=self,
            )
            self.player.command_requested.connect(self.command_requested)
            self.player.raise_requested.connect(self.raise_requested)
        run = self._run()
        self.player.set_status(PlaybackStatus.PAUSED, run.plan.routine_name if run else None)
        self.player.register()
        if run is not None and run.engine.state in (EngineState.RUNNING, EngineState.RESUMING):
            self.player.set_status(PlaybackStatus.PLAYING)

    def state_changed(self, change: StateChanged) -> None:
        from si_timer.session.engine import EngineState
        from si_timer.ui.system.mpris import PlaybackStatus

        if self.player is None:
            return
        if change.state is EngineState.FINISHED:
            self.player.set_status(PlaybackStatus.STOPPED)
            self.player.unregister()  # the summary needs no media keys
        elif change.state in (EngineState.RUNNING, EngineState.RESUMING):
            self.player.set_status(PlaybackStatus.PLAYING)
        else:
            self.player.set_status(PlaybackStatus.PAUSED)

    def close(self) -> None:
        if self.player is not None:
            self.player.close()
