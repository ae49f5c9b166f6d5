"""Working days in Kazakhstan, the evaluation date, and the decision deadline.

p.9 of the Rules gives the operator five working days after the day of receipt
(section 2 of the contract). The day of receipt is the date in Asia/Almaty,
and counting starts the next day, so the deadline is always a working day.

Non-working days come from the maintained ``holidays`` package (country KZ,
category ``public``, which there holds everything that is a day off: the public
holidays and their moves to the next working day, 7 January, the first day of
Kurban Ait, and the days off transferred by order), plus an administrator's
override file (``rules/calendar.yaml``) for what the package does not know yet.
A Saturday or Sunday worked under a transfer order (5 January 2025) is a working
day: the package lists those in ``weekend_workdays``.
"""

from __future__ import annotations

import functools
import importlib.resources
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

import holidays

from specreg.data_files import DataDocument

__all__ = ["ALMATY", "WorkingCalendar", "today_in_almaty"]

_ALMATY_KEY = "Asia/Almaty"
# All of Kazakhstan is UTC+05:00 since 1 March 2024 (tz data 2024a and later).
_ALMATY_OFFSET = timedelta(hours=5)
_OFFSET_PROBE = datetime(2024, 3, 2, 12)


def _almaty_zone() -> ZoneInfo:
    """Asia/Almaty with the 2024 change, even on a host whose system tz data is older.

    zoneinfo prefers the system's tz database; a stale one would still say +06:00
    and shift the receipt day of evening applications. The ``tzdata`` package
    (a dependency) is the fallback; if neither knows the change, fail loudly.
    """
    zone = ZoneInfo(_ALMATY_KEY)
    if zone.utcoffset(_OFFSET_PROBE) == _ALMATY_OFFSET:
        return zone
    source = importlib.resources.files("tzdata").joinpath(f"zoneinfo/{_ALMATY_KEY}")
    with source.open("rb") as handle:
        zone = ZoneInfo.from_file(handle, key=_ALMATY_KEY)
    if zone.utcoffset(_OFFSET_PROBE) != _ALMATY_OFFSET:
        raise RuntimeError("tz data predates 2024a: Asia/Almaty is not UTC+05:00")
    return zone


ALMATY = _almaty_zone()


def today_in_almaty() -> date:
    """Today's date in Asia/Almaty: the default ``as_of`` of a screening."""
    return datetime.now(ALMATY).date()


class _YearDays(NamedTuple):
    """One year of the package's calendar, frozen for fast, thread-safe lookups."""

    days_off: frozenset[date]
    worked_weekends: frozenset[date]


@functools.lru_cache(maxsize=64)
def _package_year(year: int) -> _YearDays:
    """Build the package's KZ calendar for one year, once per process.

    ``public`` is the package's only KZ category and holds every day off, the
    transfers included; ``observed=True`` adds the moves of holidays that fall on
    a Saturday or Sunday. A same-year worked weekend day is recorded only when
    its year is populated, a cross-year one at construction, so the year's own
    ``weekend_workdays`` are complete.
    """
    kz = holidays.country_holidays("KZ", years=year, categories=(holidays.PUBLIC,), observed=True)
    worked = frozenset(day for day in kz.weekend_workdays if day.year == year)
    return _YearDays(days_off=frozenset(kz), worked_weekends=worked)


def _overrides(document: DataDocument) -> tuple[frozenset[date], frozenset[date]]:
    """The (added, cancelled) days off of an override file that meets its schema.

    A date listed twice (in one list or across both) is an error with its line:
    JSON Schema cannot say it, and the two entries could contradict each other.
    """
    data = document.data
    seen: set[str] = set()
    for key in ("add_days_off", "cancel_days_off"):
        for index, entry in enumerate(data[key]):
            if entry["date"] in seen:
                raise document.error(f"{entry['date']} is listed more than once", [key, index, "date"])
            seen.add(entry["date"])
    return _dates(data["add_days_off"]), _dates(data["cancel_days_off"])


def _dates(entries: list[dict[str, str]]) -> frozenset[date]:
    """The entries' dates as ``date`` objects: lookups compare dates, not strings."""
    return frozenset(date.fromisoformat(entry["date"]) for entry in entries)


class WorkingCalendar:
    """Kazakhstan working days: holidays package (KZ) + admin overrides."""

    def __init__(self, added: frozenset[date] = frozenset(),
                 cancelled: frozenset[date] = frozenset()) -> None:
        """The package's calendar with the administrator's ``added`` and ``cancelled`` days off."""
        self._added, self._cancelled = added, cancelled

    @classmethod
    def from_document(cls, document: DataDocument) -> WorkingCalendar:
        """The calendar of an override file read by the rule directory (``rules/calendar.yaml``)."""
        return cls(*_overrides(document))

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day; the file's overrides win over the package."""
        if isinstance(day, datetime):
            raise TypeError("is_working_day takes a date, not a datetime")
        if day in self._cancelled:
            return True
        if day in self._added:
            return False
        year = _package_year(day.year)
        if day in year.days_off:
            return False
        return day.weekday() < 5 or day in year.worked_weekends

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` itself never counts).

        The result is a working day by construction, so a term never ends on a
        day off. Raises ValueError for n < 1 or past the end of the calendar.
        """
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        day = start
        for _ in range(n):
            day = self._next_working_day(day)
        return day

    def decision_due(self, received_at: datetime, working_days: int = 5) -> date:
        """p.9: the ``working_days``-th working day after the receipt day in Almaty.

        ``received_at`` must carry a UTC offset (the contract requires one).
        Raises ValueError for a naive value or one at the ends of the calendar.
        """
        if received_at.utcoffset() is None:
            raise ValueError("received_at must carry a UTC offset")
        try:
            receipt_day = received_at.astimezone(ALMATY).date()
        except OverflowError as exc:
            raise ValueError("received_at is outside the supported date range") from exc
        return self.add_working_days(receipt_day, working_days)

    def _next_working_day(self, day: date) -> date:
        """The first working day after ``day``."""
        try:
            day += timedelta(days=1)
            while not self.is_working_day(day):
                day += timedelta(days=1)
        except OverflowError as exc:
            raise ValueError("the deadline falls after the end of the calendar") from exc
        return day
