"""Turn grading results into the plain dicts the grade schemas dump."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from credit_svc.domain.assessment import Assessment, Uncounted
from credit_svc.domain.effect import Effect
from credit_svc.domain.eligibility import Eligibility
from credit_svc.domain.grading import Standing


def segment_body(row: dict[str, Any]) -> dict[str, Any]:
    """Return a stored grade segment as the API shows it."""
    return row | {
        "effective_from": row["starts_on"],
        "effective_until": row["ends_on"],
        "blacklisted": bool(row["blacklisted"]),
        "pack": {"id": row["pack_id"], "version": row["pack_version"]},
    }


def standing_body(standing: Standing) -> dict[str, Any]:
    """Return the parts of a standing every explanation shows."""
    return {
        "pack": {"id": standing.pack_id, "version": standing.pack_version},
        "base_score": standing.base_score,
        "score": standing.score,
        "band_grade": standing.band_grade,
        "grade": standing.grade,
        "board": standing.board,
        "blacklisted": standing.blacklisted,
        "tender_points": standing.tender_points,
        "categories": [vars(t) | {"limited": t.limited} for t in standing.categories],
        "overrides": [vars(o) for o in standing.overrides],
    }


def record_parts(
    counted: Sequence[Effect], uncounted: Sequence[Uncounted]
) -> dict[str, list[dict[str, Any]]]:
    """Return the records that counted, with their points, and those that
    did not, with why: an enterprise's explanation and a project's."""
    return {
        "counted": [
            {
                "record_id": e.fact.record_id,
                "kind": e.fact.kind,
                "business_date": e.fact.business_date,
                "expires_on": e.expires_on,
                "rule": e.rule.number if e.rule else None,
                "category": e.category,
                "points": e.points,
            }
            for e in counted
        ],
        "not_counted": [
            {
                "record_id": u.fact.record_id,
                "kind": u.fact.kind,
                "business_date": u.fact.business_date,
                "reason": u.reason,
            }
            for u in uncounted
        ],
    }


def explanation_body(credit_code: str, assessment: Assessment) -> dict[str, Any]:
    """Return the explanation of an assessment, record by record."""
    combined = [
        {
            "kind": c.kind,
            "category": c.category,
            "figure": c.figure,
            "projects": [
                vars(p) | {"parties": [vars(part) for part in p.parties]}
                for p in c.projects
            ],
        }
        for c in assessment.combined
    ]
    return (
        standing_body(assessment.standing)
        | {"credit_code": credit_code, "as_of": assessment.as_of}
        | record_parts(assessment.counted, assessment.uncounted)
        | {"combined": combined}
    )


def eligibility_body(credit_code: str, result: Eligibility) -> dict[str, Any]:
    """Return an eligibility answer with every reason."""
    standing = result.standing
    return {
        "credit_code": credit_code,
        "as_of": result.as_of,
        "grade": standing.grade,
        "eligible": result.eligible,
        "pack": {"id": standing.pack_id, "version": standing.pack_version},
        "reasons": [vars(bar) for bar in result.bars],
    }
