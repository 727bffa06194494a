"""Answer bodies of projects, from the domain's objects."""

from __future__ import annotations

from typing import Any

from credit_svc.api.grade_bodies import record_parts
from credit_svc.domain.project import Project
from credit_svc.domain.project_standing import Rating


def project_body(project: Project) -> dict[str, Any]:
    """Return a project as registered, with its management periods."""
    periods = [
        {"credit_code": code, "starts_on": start, "ends_on": end}
        for code, start, end in project.periods
    ]
    return {
        "project_code": project.project_code,
        "name": project.name,
        "jurisdiction": project.jurisdiction,
        "periods": periods,
    }


def rating_body(rating: Rating) -> dict[str, Any]:
    """Return a year's star rating."""
    return vars(rating) | {"bonuses": [vars(b) for b in rating.bonuses]}


def standing_body(found: dict[str, Any]) -> dict[str, Any]:
    """Return a project standing as its schema shows it."""
    assessment, pack = found["assessment"], found["pack"]
    return {
        "project_code": found["project_code"],
        "name": found["name"],
        "jurisdiction": found["jurisdiction"],
        "as_of": found["as_of"],
        "recorded_at": found["recorded_at"],
        "managed_by": vars(found["managed_by"]) if found["managed_by"] else None,
        "facts": found["facts"],
        "pack_id": pack.pack_id,
        "pack_version": pack.version,
        "base_score": assessment.base_score,
        "score": assessment.score,
        "categories": [
            {"name": t.name, "raw": t.raw, "applied": t.applied, "limited": t.limited}
            for t in assessment.categories
        ],
        "board": assessment.board,
        "blacklisted": assessment.blacklisted,
        "stars": found["stars"],
        "ratings": [rating_body(r) for r in found["ratings"]],
        "demonstration": {
            "eligible": found["demonstration"]["eligible"],
            "reasons": [vars(bar) for bar in found["demonstration"]["bars"]],
        },
    } | record_parts(assessment.counted, assessment.uncounted)
