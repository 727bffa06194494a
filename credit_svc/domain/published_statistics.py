"""Statistics a bureau publishes (季报/年报): a jurisdiction's quarterly and
yearly reports, each a dated snapshot that never changes once published."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Final
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from credit_svc.domain.credit_code import NAMESPACE
from credit_svc.domain.errors import InvalidRecordError, LifecycleConflictError

PERIOD: Final = re.compile(r"^(?P<year>20\d\d)(?:-Q(?P<quarter>[1-4]))?$")


def statistics_id(jurisdiction: str) -> UUID:
    """Return the aggregate id of a jurisdiction's published statistics."""
    return uuid5(NAMESPACE, f"published_statistics:{jurisdiction}")


def period_end(period: str) -> date:
    """Return the last day of a period: 2026 (a year) or 2026-Q2 (a quarter)."""
    found = PERIOD.match(period)
    if found is None:
        msg = f"period {period!r}: a year (2026) or a quarter (2026-Q2)"
        raise InvalidRecordError(msg)
    year = int(found["year"])
    if found["quarter"] is None:
        return date(year, 12, 31)
    last_month = int(found["quarter"]) * 3
    return date(year, last_month, 30 if last_month in (6, 9) else 31)


class PublishedStatistics(Aggregate):
    """A jurisdiction's published statistics, one report per period."""

    class Started(Aggregate.Created):
        """The jurisdiction published its first report."""

        class_version = 1
        jurisdiction: str

    class Published(Aggregate.Event):
        """A report for a period, as of its last day."""

        class_version = 1
        period: str
        as_of: date
        published_on: date
        published_by: str
        document_number: str
        content: dict[str, Any]

    @staticmethod
    def create_id(jurisdiction: str, **_: Any) -> UUID:
        """Key the reports by their jurisdiction."""
        return statistics_id(jurisdiction)

    @event(Started)
    def __init__(self, jurisdiction: str) -> None:
        self.jurisdiction = jurisdiction
        self.reports: dict[str, dict[str, Any]] = {}

    def publish(
        self,
        period: str,
        published_on: date,
        published_by: str,
        document_number: str,
        content: dict[str, Any],
    ) -> None:
        """Publish the report of a period, once."""
        if period in self.reports:
            raise LifecycleConflictError(
                f"the statistics of {self.jurisdiction} for {period} were published"
            )
        as_of = period_end(period)
        if published_on <= as_of:
            raise InvalidRecordError(f"period {period} has not ended by {published_on}")
        self._published(
            period=period,
            as_of=as_of,
            published_on=published_on,
            published_by=published_by,
            document_number=document_number,
            content=content,
        )

    @event(Published)
    def _published(  # noqa: PLR0913, PLR0917 (one each of the event's facts)
        self,
        period: str,
        as_of: date,
        published_on: date,
        published_by: str,
        document_number: str,
        content: dict[str, Any],
    ) -> None:
        self.reports[period] = {
            "period": period,
            "as_of": as_of,
            "published_on": published_on,
            "published_by": published_by,
            "document_number": document_number,
            "content": content,
        }
