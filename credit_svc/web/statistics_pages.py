"""Statistics pages: a jurisdiction's published quarterly and yearly reports
for everyone, and its live statistics for signed-in bureaus, auditors and
admins, each with charts and a CSV download."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import Blueprint, Response, render_template, request, url_for
from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Response as WerkzeugResponse

from credit_svc.api.access import READERS
from credit_svc.api.clock import today
from credit_svc.api.fields import DIVISION_PREFIX
from credit_svc.api.services import services
from credit_svc.domain.errors import StatisticsNotPublishedError
from credit_svc.usecases.statistics import (
    StatisticsReports,
    as_csv,
    jurisdiction_statistics,
)
from credit_svc.web import labels
from credit_svc.web.dashboard import NOT_AN_AUDITOR, signed_in_as
from credit_svc.web.errors import answer_errors_as_pages

bp = Blueprint(
    "statistics_pages", __name__, url_prefix="/statistics", template_folder="templates"
)
answer_errors_as_pages(bp)


@bp.get("/live")
def live() -> str | WerkzeugResponse:
    """Show a jurisdiction's statistics on a day to a signed-in reader."""
    counted = _live()
    if isinstance(counted, WerkzeugResponse):
        return counted
    query = {"jurisdiction": counted["jurisdiction"], "as_of": counted["as_of"]}
    return render_template(
        "statistics.html",
        s=counted,
        title="辖区统计 Statistics",
        published=None,
        csv_url=url_for("statistics_pages.live_csv", **query),
        labels=labels,
    )


@bp.get("/live.csv")
def live_csv() -> Response | WerkzeugResponse:
    """Download the same as CSV."""
    counted = _live()
    if isinstance(counted, WerkzeugResponse):
        return counted
    return _csv(counted, f"statistics-{counted['jurisdiction']}-{counted['as_of']}")


@bp.get("/<jurisdiction>")
def archive(jurisdiction: str) -> str:
    """List the reports a jurisdiction published."""
    found = StatisticsReports(services().app).published(_division(jurisdiction))
    reports = sorted(found.reports.values(), key=lambda r: r["period"]) if found else []
    return render_template(
        "statistics_archive.html", jurisdiction=jurisdiction, reports=reports
    )


@bp.get("/<jurisdiction>/<period>")
def report(jurisdiction: str, period: str) -> str:
    """Show one published report, as published."""
    published = _published(jurisdiction, period)
    return render_template(
        "statistics.html",
        s=published["content"],
        title=f"{period} 统计报告 Statistics",
        published=published,
        csv_url=url_for(
            "statistics_pages.report_csv", jurisdiction=jurisdiction, period=period
        ),
        labels=labels,
    )


@bp.get("/<jurisdiction>/<period>.csv")
def report_csv(jurisdiction: str, period: str) -> Response:
    """Download one published report as CSV."""
    published = _published(jurisdiction, period)
    return _csv(published["content"], f"statistics-{jurisdiction}-{period}")


def _published(jurisdiction: str, period: str) -> dict[str, Any]:
    found = StatisticsReports(services().app).published(_division(jurisdiction))
    if found is None or period not in found.reports:
        raise StatisticsNotPublishedError(jurisdiction, period)
    return found.reports[period]


def _live() -> dict[str, Any] | WerkzeugResponse:
    actor = signed_in_as(lambda actor: actor.role in READERS, NOT_AN_AUDITOR)
    if isinstance(actor, WerkzeugResponse):
        return actor
    jurisdiction = _division(request.args.get("jurisdiction", ""))
    try:
        day = (
            date.fromisoformat(request.args.get("as_of", ""))
            if request.args.get("as_of")
            else today()
        )
    except ValueError:
        raise BadRequest(
            "日期格式应为 YYYY-MM-DD The date must be YYYY-MM-DD"
        ) from None
    opened = services()
    return jurisdiction_statistics(
        opened.view, opened.packs, opened.party_rules, jurisdiction, day
    )


def _division(code: str) -> str:
    if re.fullmatch(DIVISION_PREFIX, code) is None:
        raise BadRequest(
            "行政区划代码为2、4或6位数字 2, 4 or 6 digits of a division code"
        )
    return code


def _csv(counted: dict[str, Any], name: str) -> Response:
    response = Response("\ufeff" + as_csv(counted), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
