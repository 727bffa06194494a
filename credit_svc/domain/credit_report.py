"""Credit reports (信用报告): what the service stated about a firm, as issued.

A report is issued once and never changes: its content (what the printed
report says), and the signed statement that fixes it (the firm, the as-of
date, the log head the grade came from, the pack, and a hash of the content).
Kept as an event, so the report's public page shows it as issued however the
firm's file changes later, and anyone can tell whether it was altered.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from credit_svc.domain.credit_code import NAMESPACE

NUMBER_PREFIX = "CR"  # 信用报告 (credit report)


def report_id(report_number: str) -> UUID:
    """Return the aggregate id of the report with this number."""
    return uuid5(NAMESPACE, f"credit_report:{report_number}")


def report_number(issued_on: date, *inputs: object) -> str:
    """Return the report's number: its issue date and a digest of the
    inputs (the issuer, and a digest of what the report says).

    The same report asked for again on the same day is the one issued: a
    retried issue adds nothing.
    """
    seed = "|".join(str(part) for part in (issued_on, *inputs)).encode()
    digest = base64.b32encode(hashlib.sha256(seed).digest()).decode()[:10]
    return f"{NUMBER_PREFIX}{issued_on:%Y%m%d}-{digest}"


@dataclass(frozen=True)
class ReportTerms:
    """How long a report issued from a day serves (有效期), and on what basis."""

    effective_from: date
    valid_days: int
    source: str = ""

    def valid_until(self, issued_on: date) -> date:
        """Return the last day a report issued on the day is valid."""
        return issued_on + timedelta(days=self.valid_days - 1)


def terms_on(terms: tuple[ReportTerms, ...], day: date) -> ReportTerms | None:
    """Return the terms in force on the day, if any."""
    in_force = [t for t in terms if t.effective_from <= day]
    return max(in_force, key=lambda t: t.effective_from, default=None)


class CreditReport(Aggregate):
    """One issued credit report; it has no later events."""

    class Issued(Aggregate.Created):
        """The service issued the report, signed."""

        class_version = 1
        report_number: str
        credit_code: str
        as_of: date
        issued_on: date
        valid_until: date
        content: dict[str, Any]  # what the report says, in JSON types
        statement: dict[str, Any]  # what the signature covers
        algorithm: str
        signature: str
        issued_by: str  # the name of the key that asked for it

    @event(Issued)
    def __init__(  # noqa: PLR0913, PLR0917 (one each of the event's facts)
        self,
        report_number: str,
        credit_code: str,
        as_of: date,
        issued_on: date,
        valid_until: date,
        content: dict[str, Any],
        statement: dict[str, Any],
        algorithm: str,
        signature: str,
        issued_by: str,
    ) -> None:
        self.report_number = report_number
        self.credit_code = credit_code
        self.as_of = as_of
        self.issued_on = issued_on
        self.valid_until = valid_until
        self.content = content
        self.statement = statement
        self.algorithm = algorithm
        self.signature = signature
        self.issued_by = issued_by

    @staticmethod
    def create_id(report_number: str, **_: Any) -> UUID:
        """Key the report by its number."""
        return report_id(report_number)

    def valid_on(self, day: date) -> bool:
        """Tell whether the report is within its validity period on the day."""
        return self.issued_on <= day <= self.valid_until
