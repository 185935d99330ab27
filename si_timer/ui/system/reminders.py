"""Reminders while the app runs (window open or in the background): a timer and a notification.

The rules are :class:`~si_timer.session.reminders.ReminderPlan`'s; here one
single-shot QTimer wakes at the next due time (at most :data:`MAX_WAIT` apart,
so a changed wall clock or a resume from sleep is noticed soon), and the
:class:`~si_timer.ui.system.notifications.Notifier` shows the reminder.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QObject, QTimer, Signal

from si_timer.session.reminders import Occurrence, ReminderPlan, ReminderSlot
from si_timer.ui.system.notifications import Action, Message, Notifier

log = logging.getLogger(__name__)

MAX_WAIT = timedelta(minutes=5)
START_LABEL = "Start now"
LATER_LABEL = "Later"


def local_zone() -> tzinfo | None:
    """The local time zone with its rules (``TZ``, else ``/etc/localtime``), if known.

    ``datetime.now().astimezone()`` carries only today's fixed offset, which
    puts a 19:00 reminder computed before a change to summer time an hour off.
    """
    name = os.environ.get("TZ", "").removeprefix(":")
    if name:
        try:
            return ZoneInfo(name)
        except (ValueError, ZoneInfoNotFoundError):
            pass
    try:
        with open("/etc/localtime", "rb") as handle:
            return ZoneInfo.from_file(handle, key="localtime")
    except (OSError, ValueError):
        return None


def local_now() -> datetime:
    """Aware local time, with the zone's rules where they can be found."""
    zone = local_zone()
    return datetime.now(zone) if zone is not None else datetime.now().astimezone()


class Reminders(QObject):
    """Shows each due reminder once; "Start now" asks for the routine, "Later" snoozes.

    ``now`` gives aware local time (tests pass a hand-moved clock);
    ``done_today(day)`` counts each routine's sessions done that day;
    ``busy()`` is true while a session runs (reminders wait until it ends);
    ``routine_name(id)`` is what a notification calls the routine;
    ``since`` is :attr:`last_checked` of the previous run, so that a restart
    does not repeat a reminder already shown (a missed one still comes).

    Signals:
        start_requested(str): "Start now" on a reminder for this routine id.
        reminded(object): an :class:`Occurrence` was shown.
        schedule_changed(): the next reminder moved (tray text).
    """

    start_requested = Signal(str)
    reminded = Signal(object)
    schedule_changed = Signal()

    def __init__(
        self,
        notifier: Notifier,
        *,
        done_today: Callable[[date], Mapping[str, int]],
        busy: Callable[[], bool],
        routine_name: Callable[[str], str],
        now: Callable[[], datetime] = local_now,
        since: datetime | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._since = since  # the last check of a previous run: its reminders are not repeated
        self._notifier = notifier
        self._done_today = done_today
        self._busy = busy
        self._routine_name = routine_name
        self._now = now
        self._plan: ReminderPlan | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.check)
        notifier.action_chosen.connect(self._chosen)

    @property
    def on(self) -> bool:
        return self._plan is not None

    def set_slots(self, slots: tuple[ReminderSlot, ...] | None) -> None:
        """Remind at ``slots`` from now on; None turns reminders off."""
        if not slots:
            self._plan = None
            self.timer.stop()
        elif self._plan is None or self._plan.slots != slots:
            previous = self._plan
            self._plan = ReminderPlan(slots)
            # A changed time is not a missed one: look forward from the last check.
            self._plan.last_checked = previous.last_checked if previous else self._since
            self.check()
        self.schedule_changed.emit()

    @property
    def last_checked(self) -> datetime | None:
        """When reminders were last looked at (kept across runs by the caller)."""
        return self._plan.last_checked if self._plan is not None else self._since

    def next_reminder(self) -> Occurrence | None:
        return self._plan.next_slot(self._now()) if self._plan is not None else None

    def check(self) -> None:
        """What the timer (or a resume) does: show what is due, then sleep until the next."""
        plan = self._plan
        if plan is None:
            return
        now = self._now()
        if not self._busy():
            due = plan.check(now, self._done_today(now.date()))
            if due is not None:
                self._show(due)
        self._arm(now)

    def _show(self, occurrence: Occurrence) -> None:
        name = self._routine_name(occurrence.slot.routine)
        message = Message(
            f"Time for your {name.lower()}",
            f"A few gentle minutes on the mat ({occurrence.slot.at:%H:%M} reminder).",
            ((Action.START, START_LABEL), (Action.LATER, LATER_LABEL)),
        )
        if self._notifier.show(occurrence, message):
            self.reminded.emit(occurrence)

    def _chosen(self, tag: object, action: object) -> None:
        if not isinstance(tag, Occurrence) or self._plan is None:
            return
        if action is Action.START:
            self.start_requested.emit(tag.slot.routine)
        elif action is Action.LATER:
            self._plan.snooze(tag, self._now())
            self._arm(self._now())
            self.schedule_changed.emit()

    def _arm(self, now: datetime) -> None:
        assert self._plan is not None
        due = self._plan.next_due(now)
        wait = MAX_WAIT if due is None else min(max(due - now, timedelta(0)), MAX_WAIT)
        self.timer.start(max(round(wait.total_seconds() * 1000), 1))
