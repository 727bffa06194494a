"""Credit reports (信用报告): issue one for a firm, read one by its number."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, request, url_for
from flask.views import MethodView

from credit_svc.api.blueprint import Blueprint
from credit_svc.api.clock import now, today
from credit_svc.api.report_schemas import CreditReportSchema, IssueReportRequestSchema
from credit_svc.api.services import credit_reports
from credit_svc.domain.credit_report import CreditReport
from credit_svc.domain.errors import NoRulePackError
from credit_svc.usecases.api_keys import Actor
from credit_svc.usecases.credit_reports import Issuing

blp = Blueprint(
    "credit_reports",
    __name__,
    description="Credit reports: issued, signed, printable and checkable by anyone.",
)


def public_base() -> str:
    """Return where the public reaches this service (PUBLIC_URL, or the
    address this request came to)."""
    return str(current_app.config["PUBLIC_URL"] or request.host_url).rstrip("/")


def issuing_by(actor: Actor) -> Issuing:
    """Return who issues a report now, and where the public will check it."""
    return Issuing(
        actor.key_id, actor.authority or actor.role, now(), today(), public_base()
    )


@blp.route("/enterprises/<credit_code>/credit-reports", methods=["POST"])
@blp.arguments(IssueReportRequestSchema)
@blp.response(201, CreditReportSchema)
@blp.alt_response(404, response="DEFAULT_ERROR")
def issue(body: dict[str, Any], credit_code: str) -> dict[str, Any]:
    """Issue the firm's credit report as of a day, signed, with its short URL"""
    issuing = issuing_by(g.actor)
    report = credit_reports().issue(credit_code, body["as_of"] or today(), issuing)
    return report_body(report)


@blp.route("/credit-reports/<number>")
class ReportByNumber(MethodView):
    """One issued report."""

    @blp.response(200, CreditReportSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, number: str) -> dict[str, Any]:
        """Get a report as issued, whether it is genuine, and what changed since"""
        return report_body(credit_reports().get(number))


def report_body(report: CreditReport) -> dict[str, Any]:
    """Return the report's answer: as issued, checked, and changes since."""
    reports = credit_reports()
    day = today()
    verification = reports.verify(report)
    try:
        changes: dict[str, Any] | None = reports.changes_since(report, day)
    except NoRulePackError:
        changes = None
    base = public_base()
    number = report.report_number
    return {
        "report_number": number,
        "credit_code": report.credit_code,
        "as_of": report.as_of,
        "issued_on": report.issued_on,
        "valid_until": report.valid_until,
        "valid_today": report.valid_on(day),
        "issued_by": report.issued_by,
        "content": report.content,
        "statement": report.statement,
        "algorithm": report.algorithm,
        "signature": report.signature,
        "links": {
            "page": report.content["verify_url"],
            "pdf": base + url_for("reports.pdf", number=number),
            "document": base + url_for("reports.document", number=number),
        },
        "verification": vars(verification) | {"genuine": verification.genuine},
        "changes_since": changes,
    }
