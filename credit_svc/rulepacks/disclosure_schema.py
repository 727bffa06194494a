"""Marshmallow schemas of the national disclosure rules (disclosure/*.yaml)."""

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

from credit_svc.domain.disclosure import (
    DisclosurePeriod,
    DisclosureRegime,
    HandlingLimits,
)
from credit_svc.rulepacks.validators import CODE


class DisclosurePeriodSchema(Schema):
    """The shortest and longest disclosure of one severity."""

    min_months = fields.Integer(required=True, validate=validate.Range(min=0, max=600))
    max_months = fields.Integer(required=True, validate=validate.Range(min=0, max=600))

    @validates_schema
    def check_order(self, data: dict[str, Any], **_: Any) -> None:
        """Refuse a minimum longer than the maximum."""
        if data["min_months"] > data["max_months"]:
            raise ValidationError("min_months must not exceed max_months")

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> DisclosurePeriod:
        """Return the period."""
        return DisclosurePeriod(**data)


class HandlingLimitsSchema(Schema):
    """Working days the recording authority has to decide each kind of case."""

    objection_working_days = fields.Integer(
        required=True, validate=validate.Range(min=1, max=120)
    )
    repair_working_days = fields.Integer(
        required=True, validate=validate.Range(min=1, max=120)
    )

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> HandlingLimits:
        """Return the limits."""
        return HandlingLimits(**data)


class DisclosureRegimeSchema(Schema):
    """One version of the disclosure rules."""

    id = fields.String(required=True, validate=CODE)
    effective_from = fields.Date(required=True)
    source = fields.String(load_default="")
    periods = fields.Dict(
        fields.String(validate=validate.OneOf(("minor", "general", "serious"))),
        fields.Nested(DisclosurePeriodSchema),
        required=True,
    )
    handling = fields.Nested(HandlingLimitsSchema, load_default=None)

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> DisclosureRegime:
        """Return the regime."""
        return DisclosureRegime(
            data["id"],
            data["effective_from"],
            data["periods"],
            data["source"],
            data["handling"],
        )


class DisclosureRulesSchema(Schema):
    """A disclosure-rules file: every regime with its effective date."""

    regimes = fields.List(fields.Nested(DisclosureRegimeSchema), required=True)
