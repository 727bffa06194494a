"""Read the working-day calendar files (calendar/<year>.yaml), one per year."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from marshmallow import Schema, ValidationError, fields, validate

from credit_svc.domain.working_days import WorkingDays, YearCalendar
from credit_svc.rulepacks.load import BASE_LOADER, PACKAGED_DIR, RulePackError

CALENDAR_DIR = PACKAGED_DIR / "calendar"


class YearCalendarSchema(Schema):
    """A year's holidays (days or [first, last] spans) and make-up working days."""

    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    holidays = fields.List(fields.Raw(), required=True)
    working_days = fields.List(fields.Date(), load_default=list)


def _days(entry: Any) -> list[date]:
    if isinstance(entry, str):
        return [date.fromisoformat(entry)]
    if isinstance(entry, list) and len(entry) == 2:
        first, last = (date.fromisoformat(day) for day in entry)
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]
    raise ValueError(f"not a day or a [first, last] span: {entry!r}")


def load_year(path: Path) -> YearCalendar:
    """Load one year's file; refuse days outside its year."""
    try:
        data = YearCalendarSchema().load(
            yaml.load(path.read_text(encoding="utf-8"), Loader=BASE_LOADER)
        )
        holidays = frozenset(d for entry in data["holidays"] for d in _days(entry))
    except (yaml.YAMLError, ValidationError, ValueError) as error:
        raise RulePackError(f"{path.name}: {error}") from None
    year = data["year"]
    working = frozenset(data["working_days"])
    if path.stem != str(year) or any(d.year != year for d in holidays | working):
        raise RulePackError(
            f"{path.name}: every day must be in {year}, the file's name"
        )
    return YearCalendar(year, holidays, working)


def load_calendar(directory: Path = CALENDAR_DIR) -> WorkingDays:
    """Load every year's file of the directory."""
    return WorkingDays.of(load_year(p) for p in sorted(directory.glob("*.yaml")))
