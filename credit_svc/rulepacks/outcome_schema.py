"""Schemas of what follows from a standing: grade overrides, award exclusions."""

from __future__ import annotations

from typing import Any

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from credit_svc.domain.rulepack import AwardExclusion, Override
from credit_svc.domain.vocabulary import FLAGS
from credit_svc.rulepacks.validators import CODE, MONTH_DAY, POSITIVE_MONTHS


class OverrideSchema(Schema):
    """An override of the band's grade."""

    condition = fields.String(
        required=True,
        validate=validate.OneOf(
            ("blacklisted", "veto", "low_score_without_bad_records")
        ),
    )
    grade = fields.String(required=True)
    threshold = fields.Decimal(load_default=None)
    mode = fields.String(
        load_default="set", validate=validate.OneOf(("set", "at_most"))
    )

    @validates_schema
    def check_threshold(self, data: dict[str, Any], **_: Any) -> None:
        """Require a threshold exactly where the condition uses one."""
        needs = data.get("condition") == "low_score_without_bad_records"
        if needs != (data.get("threshold") is not None):
            raise ValidationError(
                "threshold goes with low_score_without_bad_records only", "threshold"
            )

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> Override:
        """Build the domain object."""
        return Override(**data)


class AwardExclusionSchema(Schema):
    """A reason that bars an enterprise from awards."""

    reason = fields.String(required=True, validate=CODE)
    description = fields.String(load_default="")
    condition = fields.String(
        required=True,
        validate=validate.OneOf(
            (
                "grade_at_or_below",
                "no_party_organisation",
                "blacklisted",
                "flag_within_months",
                "flag_in_calendar_year",
                "no_demonstration_project_in_year",
                "party_organisation_required",
                "party_filing_late",
            )
        ),
    )
    grade = fields.String(load_default=None)
    flag = fields.String(load_default=None, validate=validate.OneOf(FLAGS))
    months = fields.Integer(load_default=None, validate=POSITIVE_MONTHS)
    members = fields.Integer(load_default=None, validate=validate.Range(min=1, max=50))
    due = fields.String(load_default=None, validate=MONTH_DAY)

    @validates_schema
    def check_parameters(self, data: dict[str, Any], **_: Any) -> None:
        """Require the parameters each condition reads."""
        needed = {
            "grade_at_or_below": ("grade",),
            "flag_within_months": ("flag", "months"),
            "flag_in_calendar_year": ("flag",),
            "party_organisation_required": ("members",),
            "party_filing_late": ("due",),
        }.get(data.get("condition", ""), ())
        missing = [name for name in needed if data.get(name) is None]
        if missing:
            raise ValidationError(f"{data['condition']} needs {missing}")

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> AwardExclusion:
        """Build the domain object."""
        return AwardExclusion(**data)
