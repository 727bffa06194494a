"""Month arithmetic for validity periods."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest

from credit_svc.domain.calendar import add_months


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 3, 1), 12, date(2026, 3, 1)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 11, 15), 3, date(2026, 2, 15)),
        (date(2026, 11, 22), -24, date(2024, 11, 22)),
    ],
)
def test_add_months_keeps_the_day_or_clamps_to_month_end(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


def test_add_months_agrees_with_the_calendar_on_every_day() -> None:
    # Every day of a leap year and the years around it, forward and back.
    day = date(2023, 1, 1)
    while day < date(2026, 1, 1):
        for months in (-25, -13, -1, 1, 2, 11, 12, 24, 36):
            index = day.month - 1 + months
            year, month = day.year + index // 12, index % 12 + 1
            last = calendar.monthrange(year, month)[1]
            assert add_months(day, months) == date(year, month, min(day.day, last))
        day += timedelta(days=1)
