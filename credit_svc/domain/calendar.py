"""Calendar arithmetic on business dates."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    """Return the same day `months` later, clamped to the end of a shorter month."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = start.day
    if day > 28:  # every month has 28 days: only later days may need clamping
        day = min(day, calendar.monthrange(year, month)[1])
    return date(year, month, day)
