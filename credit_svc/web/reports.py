"""Credit reports' public pages: the short URL a report's QR code holds.

`/r/<number>` says whether the report is genuine, shows it as issued and
what changed since, and checks a PDF someone was handed; the report itself
is served as HTML and as the PDF it was issued as. No key is needed: a
report states only what the public pages disclose, and whoever holds one
shows it to others.
"""

from __future__ import annotations

from importlib import resources
from typing import Final

import segno
from flask import Blueprint, Response, render_template, request
from werkzeug.exceptions import BadRequest, ServiceUnavailable

from credit_svc.adapters.receipts import canonical
from credit_svc.adapters.report_pdf import (
    PdfUnavailableError,
    read_pdf,
    write_pdf,
)
from credit_svc.api.clock import today
from credit_svc.api.services import credit_reports
from credit_svc.domain.credit_report import CreditReport
from credit_svc.domain.errors import NoRulePackError
from credit_svc.usecases.credit_reports import (
    CreditReports,
    UploadCheck,
    Verification,
    check_upload,
)
from credit_svc.web import labels
from credit_svc.web.errors import answer_errors_as_pages

REPORT_CSS: Final = (
    resources.files("credit_svc.web").joinpath("static/report.css").read_text("utf-8")
)

bp = Blueprint("reports", __name__, url_prefix="/r", template_folder="templates")
answer_errors_as_pages(bp)


@bp.get("/<number>")
def page(number: str) -> str:
    """Say whether the report is genuine, and what changed since it was issued."""
    reports = credit_reports()
    report = reports.get(number)
    return _check_page(reports, report, reports.verify(report), None)


@bp.get("/<number>/report")
def document(number: str) -> str:
    """Show the report as issued, as a page to read or print."""
    return render_document(credit_reports().get(number))


@bp.get("/<number>/report.pdf")
def pdf(number: str) -> Response:
    """Return the report's PDF, with its signed statement attached."""
    report = credit_reports().get(number)
    response = Response(render_pdf(report), mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'inline; filename="credit-report-{report.report_number}.pdf"'
    )
    return response


@bp.post("/<number>/check")
def check(number: str) -> str:
    """Check a PDF file against the report issued under the number."""
    reports = credit_reports()
    report = reports.get(number)
    upload = request.files.get("pdf")
    if upload is None:
        raise BadRequest("选择要核验的 PDF 文件 Choose the PDF file to check")
    verification = reports.verify(report)
    found = check_upload(
        report,
        verification,
        read_pdf(upload.read()),
        read_pdf(render_pdf(report)),
    )
    return _check_page(reports, report, verification, found)


def _check_page(
    reports: CreditReports,
    report: CreditReport,
    verification: Verification,
    upload: UploadCheck | None,
) -> str:
    day = today()
    try:
        changes = reports.changes_since(report, day)
    except NoRulePackError:
        changes = None
    return render_template(
        "report_check.html",
        report=report,
        c=report.content,
        verification=verification,
        valid_today=report.valid_on(day),
        changes=changes,
        upload=upload,
        labels=labels,
    )


def render_document(report: CreditReport, css: str | None = None) -> str:
    """Return the report's HTML (with its style sheet inline, for a PDF)."""
    url = report.content["verify_url"]
    qr = segno.make(url, error="m").svg_data_uri(scale=4, border=2)
    return render_template(
        "credit_report.html",
        report=report,
        c=report.content,
        qr=qr,
        css=css,
        labels=labels,
    )


def render_pdf(report: CreditReport) -> bytes:
    """Return the report's PDF: its HTML, with its signed statement attached."""
    statement = canonical(
        {
            "statement": report.statement,
            "algorithm": report.algorithm,
            "signature": report.signature,
        }
    )
    try:
        return write_pdf(render_document(report, REPORT_CSS), statement)
    except PdfUnavailableError as error:
        raise ServiceUnavailable(str(error)) from None
