"""Public disclosure pages (信用信息公示): search, an enterprise, the blacklists.

Server-rendered, no key needed, and only what the law discloses: grades, board
and blacklist status, and the bad records and list entries still disclosed,
with the day their disclosure ends. Records about project managers, and any
personal data, never appear here.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, render_template, request

from credit_svc.api.clock import today
from credit_svc.api.services import manager_reader, reader, services
from credit_svc.domain.assessment import Assessment
from credit_svc.domain.errors import NoRulePackError
from credit_svc.web import labels

bp = Blueprint(
    "disclosure",
    __name__,
    url_prefix="/disclosure",
    template_folder="templates",
    static_folder="static",  # the style sheet every page links
)
DISCLOSED_KINDS = ("bad_credit", "list_entry")


@bp.get("/")
def search() -> str:
    """Search enterprises by name or credit code."""
    text = request.args.get("q", "").strip()[:100]
    found = services().view.grades.search_enterprises(text) if text else []
    day = today()
    rows = [
        row | {"segment": services().view.grades.segment_on(row["credit_code"], day)}
        for row in found
    ]
    return render_template("search.html", q=text, rows=rows, labels=labels, day=day)


@bp.get("/enterprises/<credit_code>")
def enterprise(credit_code: str) -> str:
    """Show an enterprise's grade, board status and disclosed records."""
    grades = reader()
    company = grades.enterprise(credit_code)
    day = today()
    try:
        assessment: Assessment | None = grades.explain(credit_code, day)
    except NoRulePackError:
        assessment = None
    return render_template(
        "enterprise.html",
        company=company,
        segment=services().view.grades.segment_on(credit_code, day),
        records=disclosed(assessment) if assessment else [],
        labels=labels,
        day=day,
    )


@bp.get("/blacklist")
def blacklist() -> str:
    """List the enterprises and project managers on the blacklist today."""
    jurisdiction = request.args.get("jurisdiction", "")[:6]
    day = today()
    code = jurisdiction if jurisdiction.isascii() and jurisdiction.isdigit() else ""
    return render_template(
        "blacklist.html",
        jurisdiction=code,
        enterprises=services().view.grades.list_on_board("blacklist", code, day),
        managers=[m for m, _ in manager_reader().list_blacklisted(code, day)],
        day=day,
    )


def disclosed(assessment: Assessment) -> list[dict[str, Any]]:
    """Return the counted records the public sees, with their last disclosed day."""
    return [
        {
            "record_id": effect.fact.record_id,
            "kind": effect.fact.kind,
            "business_date": effect.fact.business_date,
            "facts": effect.fact.attributes,
            "last_day": effect.expires_on - timedelta(days=1),
            "under_objection": effect.fact.under_objection,
            "rectified_on": effect.fact.rectified_on,
        }
        for effect in assessment.counted
        if effect.fact.kind in DISCLOSED_KINDS
    ]
