"""Working days (工作日) of China's official calendar, for periods set in them.

The holidays and make-up working days come from one data file per year
(credit_svc/rulepacks/calendar/); a day in a year with no file is an error
that names the file to add, never a guess.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from credit_svc.domain.errors import DomainError

SATURDAY = 5


class CalendarMissingError(DomainError):
    """No calendar file covers the year a period reaches into."""

    def __init__(self, year: int) -> None:
        super().__init__(
            f"no working-day calendar for {year}: add "
            f"credit_svc/rulepacks/calendar/{year}.yaml with that year's "
            "official holidays and make-up working days"
        )


@dataclass(frozen=True)
class YearCalendar:
    """One year's official holidays and make-up working days."""

    year: int
    holidays: frozenset[date]
    working_days: frozenset[date]  # weekend days worked in exchange (调休上班)


@dataclass(frozen=True)
class WorkingDays:
    """The official calendar over the years its files cover."""

    years: dict[int, YearCalendar]

    @classmethod
    def of(cls, calendars: Iterable[YearCalendar]) -> WorkingDays:
        """Return the calendar made of the years given."""
        return cls({c.year: c for c in calendars})

    def is_working_day(self, day: date) -> bool:
        """Tell whether the day is a working day; refuse a year with no file."""
        year = self.years.get(day.year)
        if year is None:
            raise CalendarMissingError(day.year)
        if day in year.holidays:
            return False
        return day.weekday() < SATURDAY or day in year.working_days

    def add(self, start: date, count: int) -> date:
        """Return the `count`th working day after `start` (start not counted)."""
        day = start
        while count > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day
