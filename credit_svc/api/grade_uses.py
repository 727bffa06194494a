"""Feedback on how a grade was used (数据应用反馈): platforms report, auditors
and the firm itself read, beside the grade the service gave."""

from __future__ import annotations

from typing import Any

from flask import g
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from credit_svc.api.blueprint import Blueprint
from credit_svc.api.fields import Amount, check_moment, check_not_future, choice, text
from credit_svc.api.services import services
from credit_svc.domain.grade_uses import EFFECTS
from credit_svc.usecases.grade_uses import GradeUseLog

blp = Blueprint(
    "grade_uses", __name__, description="How tender platforms used the grades."
)


class GradeUseRequestSchema(Schema):
    """A use of a firm's grade: which tender, which grade of which day, what it did."""

    tender_id = text(100, required=True, metadata={"description": "招标项目编号"})
    award_id = fields.String(
        load_default="",
        validate=validate.Length(max=100),
        metadata={"description": "中标或评优编号"},
    )
    used_on = fields.Date(required=True, validate=check_not_future)
    as_of = fields.Date(required=True, metadata={"description": "the grade's day"})
    recorded_at = fields.AwareDateTime(
        load_default=None,
        validate=check_moment,
        metadata={"description": "when the platform read the grade, if known"},
    )
    grade = text(10, required=True, metadata={"description": "the grade it used"})
    tender_points = fields.String(load_default="", validate=validate.Length(max=20))
    effect = choice(EFFECTS, required=True)
    note = fields.String(load_default="", validate=validate.Length(max=1000))


class ServiceGradeSchema(Schema):
    """The grade the service gives for the use's day (as read then)."""

    grade = fields.String(allow_none=True)
    tender_points = Amount(allow_none=True)
    eligible = fields.Boolean()
    pack_id = fields.String()
    pack_version = fields.String()
    error = fields.String()


class GradeUseSchema(Schema):
    """A reported use, beside the service's grade."""

    credit_code = fields.String()
    reported_by = fields.String()
    tender_id = fields.String()
    award_id = fields.String()
    used_on = fields.Date()
    as_of = fields.Date()
    recorded_at = fields.DateTime(allow_none=True)
    grade = fields.String()
    tender_points = fields.String()
    effect = fields.String()
    note = fields.String()
    service_grade = fields.Nested(ServiceGradeSchema)
    matches = fields.Boolean(metadata={"description": "the grades agree"})


def use_log() -> GradeUseLog:
    """Return the grade-use use cases."""
    opened = services()
    return GradeUseLog(opened.app, opened.view, opened.packs)


@blp.route("/enterprises/<credit_code>/grade-uses")
class GradeUses(MethodView):
    """Uses of a firm's grades."""

    @blp.response(200, GradeUseSchema(many=True))
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, credit_code: str) -> list[dict[str, Any]]:
        """List how platforms used the firm's grades, beside the service's grade"""
        return use_log().uses(credit_code)

    @blp.arguments(GradeUseRequestSchema)
    @blp.response(201, GradeUseSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    @blp.alt_response(409, response="DEFAULT_ERROR")
    def post(self, body: dict[str, Any], credit_code: str) -> dict[str, Any]:
        """Report how a tender or award used the firm's grade (数据应用反馈)

        One report per tender and platform; the platform is the key's
        authority. Auditors see it beside the grade the service gives for
        `as_of` (as it answered at `recorded_at`, when given).
        """
        reported_by = g.actor.authority or g.actor.key_id
        return use_log().report(credit_code, reported_by, **body)
