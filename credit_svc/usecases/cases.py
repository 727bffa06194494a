"""Open cases: objections and repair applications awaiting their decision,
with the day each is due (working days of the regime in force on filing)."""

from __future__ import annotations

from datetime import date
from typing import Any

from credit_svc.domain.disclosure import DisclosureRules
from credit_svc.domain.record_status import due_dates
from credit_svc.domain.working_days import WorkingDays
from credit_svc.projections.view import GradeView


def open_cases(  # noqa: PLR0913 (a listing and all that narrows it)
    view: GradeView,
    rules: DisclosureRules,
    calendar: WorkingDays,
    jurisdiction: str,
    *,
    as_of: date,
    authority: str | None = None,
) -> list[dict[str, Any]]:
    """Return the pending cases of the jurisdiction's firms (of one recording
    authority's records, if named), the most urgent first."""
    cases = []
    for row in view.records.filed_within(jurisdiction):
        facts, status = row["facts"], row["status"]
        if authority is not None and facts["authority"] != authority:
            continue
        due = due_dates(status, rules, calendar)
        for case, filed, due_on in (
            ("objection", status["objection_filed_on"], due["objection_due_on"]),
            ("repair", status["repair_applied_on"], due["repair_due_on"]),
        ):
            pending = (
                status["objection"] == "open"
                if case == "objection"
                else (status["repair"] == "applied")
            )
            if not pending:
                continue
            cases.append(
                {
                    "case": case,
                    "record_id": row["record_id"],
                    "credit_code": facts["credit_code"],
                    "kind": row["kind"],
                    "authority": facts["authority"],
                    "document_number": facts["document_number"],
                    "filed_on": filed,
                    "due_on": due_on,
                    "overdue": due_on is not None and as_of > due_on,
                }
            )
    return sorted(cases, key=lambda c: (c["due_on"] is None, c["due_on"] or as_of))
