"""Keeps the home page true without costing anything while it is not seen.

A change (a session saved, a setting, a day mark) only marks the page stale;
it is rebuilt when it is shown, or at once if it is on screen.  During a
session the home page is hidden, so history writes never rebuild it.

Until the history has opened (just after the first paint) the page shows no
numbers rather than wrong ones: no "last done", no status, no streak; they
appear with the history, a moment later.  The page itself may come later
too (``si-timer start`` paints the player first): :meth:`HomePresenter.bind`
attaches it once it is built.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject

from si_timer.config.settings import Settings
from si_timer.history import overview
from si_timer.library.catalog import Catalog
from si_timer.session.options import plan_for
from si_timer.ui.home import HomeScreen, RoutineCard, RoutineKind

if TYPE_CHECKING:
    from si_timer.history.changes import HistoryChange
    from si_timer.ui.session.recording import SessionRecorder


def routine_kind(catalog: Catalog, routine_id: str) -> RoutineKind:
    if catalog.is_own(routine_id):
        return RoutineKind.OWN
    if catalog.is_changed_bundled(routine_id):
        return RoutineKind.CHANGED
    return RoutineKind.BUNDLED


class HomePresenter(QObject):
    """Fills the home page from the catalog, the settings and the history.

    ``history()`` is None until the history has been opened (after the first paint).
    ``home`` may be None until the page is built; see :meth:`bind`.
    """

    def __init__(
        self,
        home: HomeScreen | None,
        *,
        catalog: Callable[[], Catalog],
        settings: Callable[[], Settings],
        history: Callable[[], SessionRecorder | None],
        now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._home: HomeScreen | None = None
        self._catalog = catalog
        self._settings = settings
        self._history = history
        self._now = now
        self._stale = True
        self.rebuilds = 0  # how often the page was rebuilt (tests and benchmarks read it)
        if home is not None:
            self.bind(home)

    def bind(self, home: HomeScreen) -> None:
        """Fill ``home`` from now on: when it is shown, and at once if it is stale."""
        self._home = home
        home.installEventFilter(self)
        if self._stale:
            self.refresh()

    def invalidate(self) -> None:
        """Something the page shows changed: rebuild now if it is seen, else when shown."""
        self._stale = True
        if self._home is not None and self._home.isVisible():
            self.refresh()

    def history_changed(self, change: HistoryChange) -> None:
        """A history write: only what the home page shows makes it stale (not a segment)."""
        if change.touches_home:
            self.invalidate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._home and event.type() == QEvent.Type.Show and self._stale:
            self.refresh()
        return False

    def refresh(self) -> None:
        home = self._home
        if home is None:
            return  # filled when it is built
        self._stale = False
        self.rebuilds += 1
        catalog = self._catalog()
        settings = self._settings()
        recorder = self._history()
        store = recorder.store if recorder is not None else None
        now = self._now()
        usage = store.routine_usage() if store is not None else {}
        cards = []
        for routine in catalog.routines.values():
            plan = plan_for(routine, catalog.exercises, settings)
            cards.append(
                RoutineCard(
                    routine_id=routine.id,
                    name=routine.name,
                    description=routine.description,
                    exercises=len(routine.entries),
                    total_seconds=plan.total_seconds,
                    last_done=(
                        overview.last_done_text(usage.get(routine.id), now.date())
                        if recorder is not None
                        else ""  # not known yet: nothing, rather than "Not done yet"
                    ),
                    kind=routine_kind(catalog, routine.id),
                    equipment=routine.equipment(catalog.exercises),
                    before_you_start=routine.before_you_start,
                    first_exercise=next(
                        (
                            catalog.exercises[e.exercise]
                            for e in routine.entries
                            if e.exercise in catalog.exercises
                        ),
                        None,
                    ),
                )
            )
        hero = overview.hero_routine(settings.favourite_routine, catalog.routines, usage)
        home.set_routines(cards, hero)
        if recorder is not None:
            status = overview.home_status(store, catalog.routines, now)
            home.set_status(status.greeting, status.status, status.streak)
        else:
            home.set_status(overview.greeting(now), "", "")
