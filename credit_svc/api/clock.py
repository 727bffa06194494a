"""The one clock of the service: today's business date, read at the HTTP edge."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from flask import current_app


def today() -> date:
    """Return today's date in the service's business time zone (UTC+8 default)."""
    offset = timezone(timedelta(hours=int(current_app.config["UTC_OFFSET_HOURS"])))
    return datetime.now(offset).date()
