"""Statistics of a jurisdiction (季报/年报): live for bureaus, auditors and
admins; published reports, dated snapshots, for everyone."""

from __future__ import annotations

from typing import Any

from flask import Response, g
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from credit_svc.api.blueprint import Blueprint
from credit_svc.api.clock import today
from credit_svc.api.fields import division_prefix, text
from credit_svc.api.services import services
from credit_svc.domain.errors import StatisticsNotPublishedError
from credit_svc.domain.published_statistics import period_end
from credit_svc.usecases.statistics import (
    StatisticsReports,
    as_csv,
    jurisdiction_statistics,
)

blp = Blueprint(
    "statistics",
    __name__,
    description="A jurisdiction's grades, Party coverage, lists and records.",
)


class StatisticsQueryArgsSchema(Schema):
    """Where and when."""

    jurisdiction = division_prefix(required=True)
    as_of = fields.Date(load_default=None)


class StatisticsSchema(Schema):
    """The counts of a jurisdiction's firms on a day."""

    jurisdiction = fields.String()
    as_of = fields.String(metadata={"description": "YYYY-MM-DD"})
    firms = fields.Integer()
    grades = fields.Dict(fields.String(), fields.Integer())
    party_organisation = fields.Dict(
        fields.String(),
        fields.Integer(),
        metadata={
            "description": "own, joint (joint, regional, sector or attached), "
            "unstated, required_missing, not_required, not_assessed"
        },
    )
    list_entries = fields.Dict(fields.String(), fields.Integer())
    records_by_kind = fields.Dict(
        fields.String(), fields.Dict(fields.String(), fields.Integer())
    )
    records_by_party = fields.Dict(
        fields.String(), fields.Dict(fields.String(), fields.Integer())
    )
    overdue_rectifications = fields.Dict(fields.String(), fields.Integer())


class PublishRequestSchema(Schema):
    """A period's report to publish."""

    jurisdiction = division_prefix(required=True)
    period = fields.String(
        required=True,
        validate=validate.Regexp(r"^20\d\d(-Q[1-4])?$", error="2026 or 2026-Q2"),
    )
    authority = text(required=True)
    document_number = text(100, required=True)


class PublishedReportSchema(Schema):
    """A published report."""

    period = fields.String()
    as_of = fields.Date()
    published_on = fields.Date()
    published_by = fields.String()
    document_number = fields.String()
    content = fields.Nested(StatisticsSchema)


def _live(args: dict[str, Any]) -> dict[str, Any]:
    opened = services()
    return jurisdiction_statistics(
        opened.view,
        opened.packs,
        opened.party_rules,
        args["jurisdiction"],
        args["as_of"] or today(),
    )


@blp.route("/statistics")
class Statistics(MethodView):
    """A jurisdiction's statistics on a day."""

    @blp.arguments(StatisticsQueryArgsSchema, location="query")
    @blp.response(200, StatisticsSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Count a jurisdiction's grades, Party coverage, lists, records and
        overdue rectifications on a date"""
        return _live(args)


@blp.route("/statistics.csv")
class StatisticsCsv(MethodView):
    """The same, as CSV."""

    @blp.arguments(StatisticsQueryArgsSchema, location="query")
    @blp.response(200, content_type="text/csv")
    def get(self, args: dict[str, Any]) -> Response:
        """Download a jurisdiction's statistics on a date as CSV"""
        return Response(as_csv(_live(args)), mimetype="text/csv")


@blp.route("/statistics/reports", methods=["POST"])
@blp.arguments(PublishRequestSchema)
@blp.response(201, PublishedReportSchema)
@blp.alt_response(409, response="DEFAULT_ERROR")
def publish(body: dict[str, Any]) -> dict[str, Any]:
    """Publish a jurisdiction's quarterly or yearly report, as of its last day"""
    reports = StatisticsReports(services().app)
    day = today()
    jurisdiction, period = body["jurisdiction"], body["period"]
    content = _live({"jurisdiction": jurisdiction, "as_of": period_end(period)})
    return reports.publish(
        jurisdiction,
        period,
        published_on=day,
        published_by=g.actor.authority,
        document_number=body["document_number"],
        content=content,
    )


@blp.route("/statistics/reports/<jurisdiction>")
class PublishedReports(MethodView):
    """Every report a jurisdiction published."""

    @blp.response(200, PublishedReportSchema(many=True))
    def get(self, jurisdiction: str) -> list[dict[str, Any]]:
        """List a jurisdiction's published quarterly and yearly reports"""
        found = StatisticsReports(services().app).published(jurisdiction)
        return (
            sorted(found.reports.values(), key=lambda r: r["period"]) if found else []
        )


@blp.route("/statistics/reports/<jurisdiction>/<period>")
class PublishedReport(MethodView):
    """One published report."""

    @blp.response(200, PublishedReportSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, jurisdiction: str, period: str) -> dict[str, Any]:
        """Get a jurisdiction's published report of a period"""
        found = StatisticsReports(services().app).published(jurisdiction)
        if found is None or period not in found.reports:
            raise StatisticsNotPublishedError(jurisdiction, period)
        return found.reports[period]
