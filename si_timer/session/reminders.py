"""When to remind the person to exercise: slots on a weekly clock, and which one is due.

Plain rules on plain values, with the time always a parameter (aware local
datetimes), so a test can ask what happens at 07:59, after a night asleep, or
across a change to summer time.  The Qt side owns the timer and the
notification; here: what is due, what is stale, what is snoozed.

The rules:

- a slot is quiet when that slot's session is already done today (the n-th
  slot of a routine on a day counts as done once the routine was done n times);
- a slot missed while the computer slept or was off fires once, on wake or
  login, if it is still within :data:`CATCH_UP`; older ones are dropped, and
  several missed slots never fire as a burst (only the latest is offered);
- "Later" snoozes the slot for :data:`SNOOZE`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Final

from si_timer.records import field, record

ALL_DAYS: Final = frozenset(range(7))  # Monday is 0, as in date.weekday()
CATCH_UP: Final = timedelta(hours=2)
SNOOZE: Final = timedelta(minutes=30)
DEFAULT_TIMES: Final[Mapping[int, tuple[time, ...]]] = {
    1: (time(8, 0),),
    2: (time(8, 0), time(19, 0)),
    3: (time(8, 0), time(13, 0), time(19, 0)),
}
DAY_NAMES: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class ReminderError(ValueError):
    """A reminder slot written by hand (in the settings file) that makes no sense."""


@record(frozen=True, order=True)
class ReminderSlot:
    """A time of day, on some days of the week, that prompts one routine."""

    at: time
    routine: str
    days: frozenset[int] = ALL_DAYS

    def __post_init__(self) -> None:
        if not self.routine:
            raise ReminderError("a reminder needs a routine")
        if not self.days or not self.days <= ALL_DAYS:
            raise ReminderError("a reminder needs days of the week between 0 (Mon) and 6 (Sun)")
        if self.at.tzinfo is not None:
            raise ReminderError("a reminder's time is a time of day, without a time zone")

    def to_dict(self) -> dict[str, object]:
        return {
            "time": self.at.strftime("%H:%M"),
            "routine": self.routine,
            "days": sorted(self.days),
        }

    @classmethod
    def from_dict(cls, raw: object) -> ReminderSlot:
        """From the settings file's ``{"time": "08:00", "routine": "morning", "days": [0, 1]}``."""
        if not isinstance(raw, dict):
            raise ReminderError("a reminder must be an object with time, routine and days")
        text, routine, days = raw.get("time"), raw.get("routine"), raw.get("days", sorted(ALL_DAYS))
        if not isinstance(text, str):
            raise ReminderError("a reminder's time must be text like 08:00")
        try:
            at = time.fromisoformat(text)
        except ValueError:
            raise ReminderError(f"'{text}' is not a time of day like 08:00") from None
        if not isinstance(routine, str):
            raise ReminderError("a reminder's routine must be a routine id")
        if not isinstance(days, list) or not all(
            isinstance(d, int) and not isinstance(d, bool) for d in days
        ):
            raise ReminderError("a reminder's days must be a list of numbers, 0 (Mon) to 6 (Sun)")
        return cls(at.replace(second=0, microsecond=0), routine, frozenset(days))


@record(frozen=True, order=True)
class Occurrence:
    """One slot on one day: what a notification is about."""

    day: date
    slot: ReminderSlot

    def due(self, tz: tzinfo | None) -> datetime:
        """The moment it is due, in the zone of ``tz`` (an aware datetime's tzinfo).

        A time skipped by a change to summer time (02:30 on that night) falls
        an hour later on the wall clock; a time that happens twice falls on the
        first.  Both happen exactly once.
        """
        moment = datetime.combine(self.day, self.slot.at, tzinfo=tz)
        return moment.astimezone(UTC).astimezone(tz)


def default_slots(routine: str, times_per_day: int | None) -> tuple[ReminderSlot, ...]:
    """A routine's goal as reminder times: twice a day is 08:00 and 19:00."""
    times = DEFAULT_TIMES.get(min(max(times_per_day or 1, 1), 3), DEFAULT_TIMES[1])
    return tuple(ReminderSlot(at, routine) for at in times)


def _check_aware(now: datetime) -> None:
    if now.tzinfo is None:
        raise ValueError("reminders need an aware local time (datetime.now().astimezone())")


def occurrences(slots: Iterable[ReminderSlot], first: date, last: date) -> list[Occurrence]:
    """Every slot's occurrence from ``first`` to ``last`` (inclusive), in date and time order."""
    found: list[Occurrence] = []
    day = first
    while day <= last:
        found.extend(Occurrence(day, s) for s in slots if day.weekday() in s.days)
        day += timedelta(days=1)
    return sorted(found, key=lambda o: (o.day, o.slot.at, o.slot.routine))


def slot_is_done(occurrence: Occurrence, slots: Iterable[ReminderSlot], done: int) -> bool:
    """Whether the routine was done often enough today to cover this slot.

    ``done`` is how many sessions of the slot's routine were done that day.
    """
    same = sorted(
        s.at
        for s in slots
        if s.routine == occurrence.slot.routine and occurrence.day.weekday() in s.days
    )
    rank = same.index(occurrence.slot.at) + 1 if occurrence.slot.at in same else 1
    return done >= rank


@record
class ReminderPlan:
    """What is due and when to look again, for one set of slots.

    ``check`` is called whenever the Qt side wakes (its timer, a resume from
    sleep, a change of settings); it offers at most one occurrence each time
    and never the same one twice, except after :meth:`snooze`.
    """

    slots: tuple[ReminderSlot, ...]
    catch_up: timedelta = CATCH_UP
    snooze_for: timedelta = SNOOZE
    last_checked: datetime | None = None
    _snoozed: dict[Occurrence, datetime] = field(default_factory=dict)
    _offered: set[Occurrence] = field(default_factory=set)

    def check(self, now: datetime, done_today: Mapping[str, int]) -> Occurrence | None:
        """The occurrence to remind of at ``now``, or None.

        ``done_today`` maps routine ids to sessions done on ``now``'s day.
        The first check (at start-up or login) looks back :attr:`catch_up`.
        """
        _check_aware(now)
        since = self.last_checked if self.last_checked is not None else now - self.catch_up
        since = max(since, now - self.catch_up)  # a long sleep: nothing older than the window
        self.last_checked = now
        tz = now.tzinfo
        candidates: list[tuple[datetime, Occurrence]] = []
        for occ in occurrences(self.slots, (since - timedelta(days=1)).date(), now.date()):
            due = occ.due(tz)
            if occ in self._snoozed:
                due = self._snoozed[occ]
                if due > now:
                    continue
            elif occ in self._offered or not since < due <= now:
                continue
            if now - due > self.catch_up:
                continue
            candidates.append((due, occ))
        result: Occurrence | None = None
        for _due, occ in sorted(candidates, key=lambda c: (c[0], c[1])):
            # Every due one counts as offered: a missed slot never fires later as a burst.
            self._offered.add(occ)
            self._snoozed.pop(occ, None)
            if occ.day == now.date() and slot_is_done(
                occ, self.slots, done_today.get(occ.slot.routine, 0)
            ):
                continue
            result = occ
        self._forget_before(now.date() - timedelta(days=2))
        return result

    def snooze(self, occurrence: Occurrence, now: datetime) -> datetime:
        """ "Later": offer ``occurrence`` again after :attr:`snooze_for`; returns when."""
        _check_aware(now)
        again = now + self.snooze_for
        self._snoozed[occurrence] = again
        return again

    def next_due(self, now: datetime) -> datetime | None:
        """The next moment after ``now`` when :meth:`check` may offer something."""
        _check_aware(now)
        tz = now.tzinfo
        upcoming = [
            occ.due(tz)
            for occ in occurrences(self.slots, now.date(), now.date() + timedelta(days=8))
            if occ not in self._offered and occ not in self._snoozed
        ]
        upcoming = [due for due in upcoming if due > now]
        upcoming += [when for when in self._snoozed.values() if when > now]
        return min(upcoming, default=None)

    def next_slot(self, now: datetime) -> Occurrence | None:
        """The next occurrence that has not come yet (for "Next: 19:00" in the tray)."""
        _check_aware(now)
        for occ in occurrences(self.slots, now.date(), now.date() + timedelta(days=8)):
            if occ.due(now.tzinfo) > now and occ not in self._offered:
                return occ
        return None

    def _forget_before(self, day: date) -> None:
        self._offered = {o for o in self._offered if o.day >= day}
        self._snoozed = {o: t for o, t in self._snoozed.items() if o.day >= day}


def slot_text(slot: ReminderSlot) -> str:
    """``"08:00 every day"``, ``"19:00 Mon–Fri"`` or ``"08:00 Sat, Sun"``."""
    days = sorted(slot.days)
    if slot.days == ALL_DAYS:
        which = "every day"
    elif len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        which = f"{DAY_NAMES[days[0]]}–{DAY_NAMES[days[-1]]}"
    else:
        which = ", ".join(DAY_NAMES[d] for d in days)
    return f"{slot.at:%H:%M} {which}"
