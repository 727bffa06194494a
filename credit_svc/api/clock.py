"""The one clock of the service: today's business date, read at the HTTP edge."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from flask import current_app


def business_zone() -> timezone:
    """Return the service's business time zone (UTC+8 by default)."""
    return timezone(timedelta(hours=int(current_app.config["UTC_OFFSET_HOURS"])))


def today() -> date:
    """Return today's date in the business time zone.

    A configured TODAY (ISO date) replaces it: for tests and rehearsals of
    deadlines, never in production.
    """
    fixed = current_app.config.get("TODAY")
    if fixed:
        return date.fromisoformat(fixed)
    return datetime.now(business_zone()).date()


def now() -> datetime:
    """Return the current time, in UTC."""
    return datetime.now(UTC)


def business_date_of(moment: datetime) -> date:
    """Return the business date a moment falls on."""
    return moment.astimezone(business_zone()).date()
