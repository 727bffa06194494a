"""Turn managers' standings and assignments into the dicts their schemas dump."""

from __future__ import annotations

from datetime import date
from typing import Any

from credit_svc.domain.effect import Effect
from credit_svc.domain.manager_standing import Assignment, Charge, ManagerAssessment


def manager_body(row: dict[str, Any]) -> dict[str, Any]:
    """Return a manager as every answer shows one: no personal number."""
    return {k: row[k] for k in ("manager_id", "name", "jurisdiction")}


def assignment_body(assignment: Assignment, ends_on: date | None) -> dict[str, Any]:
    """Return an assignment with the day it ended (None while it runs)."""
    return vars(assignment) | {"ends_on": ends_on}


def effect_body(effect: Effect) -> dict[str, Any]:
    """Return one of the manager's own records that counted."""
    return {
        "record_id": effect.fact.record_id,
        "kind": effect.fact.kind,
        "business_date": effect.fact.business_date,
        "expires_on": effect.expires_on,
        "points": effect.points,
        "list_type": effect.fact.get("list_type"),
    }


def charge_body(charge: Charge) -> dict[str, Any]:
    """Return an enterprise deduction charged to the manager."""
    fact = charge.effect.fact
    return {
        "record_id": fact.record_id,
        "credit_code": charge.credit_code,
        "project_code": fact.get("project_code"),
        "business_date": fact.business_date,
        "expires_on": charge.effect.expires_on,
        "enterprise_points": charge.effect.points,
        "share": charge.share,
        "points": charge.points,
    }


def standing_body(
    manager: dict[str, Any], assessment: ManagerAssessment
) -> dict[str, Any]:
    """Return a manager's standing with each record and charge behind it."""
    standing = assessment.standing
    return manager_body(manager) | {
        "as_of": standing.as_of,
        "points": standing.points,
        "blacklisted": standing.blacklisted,
        "board": standing.board,
        "barred": standing.barred,
        "pack_id": standing.pack_id,
        "pack_version": standing.pack_version,
        "counted": [effect_body(e) for e in assessment.counted],
        "charged": [charge_body(c) for c in assessment.charged],
        "not_counted": [
            {
                "record_id": u.fact.record_id,
                "kind": u.fact.kind,
                "business_date": u.fact.business_date,
                "reason": u.reason,
            }
            for u in assessment.uncounted
        ],
    }


def listed_body(
    manager: dict[str, Any], assessment: ManagerAssessment
) -> dict[str, Any]:
    """Return a blacklisted manager as the public list shows them."""
    entries = [e for e in assessment.counted if e.blacklists]
    return manager_body(manager) | {
        "points": assessment.standing.points,
        "entries": [effect_body(e) for e in entries],
    }
