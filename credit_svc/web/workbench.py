"""Each party's own page once signed in: who it is, what it may record and
call, and its work (a bureau's open cases; a firm's own file, cases and
credit reports), in Chinese first.

What a role may do comes from the same tables the API's access checks use
(api/access.py, domain/parties.py), so the page cannot offer what the API
would refuse.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Response

from credit_svc.api.access import READERS
from credit_svc.api.clock import today
from credit_svc.api.credit_reports import issuing_by
from credit_svc.api.department_lists import importable_by
from credit_svc.api.me import describe
from credit_svc.api.records import shown
from credit_svc.api.services import credit_reports, reader, services
from credit_svc.usecases.api_keys import Actor
from credit_svc.usecases.cases import open_cases
from credit_svc.web import labels
from credit_svc.web.dashboard import (
    FORM_EXPIRED,
    form_nonce,
    from_our_form,
    signed_in,
    signed_in_as,
)
from credit_svc.web.errors import answer_errors_as_pages

FIRM_ONLY = "此页面供物业服务企业查看本企业档案 This page is a firm's own file"
CASE_ROLES = frozenset({"bureau", "admin", "auditor"})  # see open cases here

bp = Blueprint(
    "workbench", __name__, url_prefix="/workbench", template_folder="templates"
)
answer_errors_as_pages(bp)


@bp.get("/")
def index() -> str | Response:
    """Show the signed-in party who it is and what it may do."""
    actor = signed_in()
    if actor is None:
        return redirect(url_for("dashboard.login"))
    me = describe(actor)
    cases = []
    if actor.role in CASE_ROLES:
        opened = services()
        day = today()
        for prefix in actor.jurisdictions or ("",):
            cases += open_cases(
                opened.view, opened.disclosure, opened.calendar, prefix, as_of=day
            )
    return render_template(
        "workbench.html",
        me=me,
        auditor=actor.role in READERS,
        cases=cases,
        imports_lists=bool(importable_by(actor)),
        labels=labels,
        nonce=form_nonce(),
    )


@bp.get("/file")
def own_file() -> str | Response:
    """Show a firm its whole file: every record with its state and the days
    it may object by, its cases and their deadlines, and its reports."""
    actor = _firm()
    if isinstance(actor, Response):
        return actor
    code = actor.credit_code
    grades = reader()
    rows = services().view.records.list_records(code, None)
    return render_template(
        "workbench_file.html",
        company=grades.enterprise(code),
        records=[shown(row) for row in rows],
        day=today(),
        labels=labels,
        nonce=form_nonce(),
    )


@bp.post("/credit-reports")
def issue_report() -> Response:
    """Issue the firm's own credit report and open its page."""
    actor = _firm()
    if isinstance(actor, Response):
        return actor
    if not from_our_form():
        raise BadRequest(FORM_EXPIRED)
    day = _day(request.form.get("as_of", ""))
    report = credit_reports().issue(actor.credit_code, day, issuing_by(actor))
    return redirect(url_for("reports.page", number=report.report_number))


def _firm() -> Actor | Response:
    return signed_in_as(lambda actor: actor.role == "enterprise", FIRM_ONLY)


def _day(text: str) -> date:
    if not text:
        return today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        msg = "日期格式应为 YYYY-MM-DD The date must be YYYY-MM-DD"
        raise BadRequest(msg) from None
