"""Schemas of a pack's project rules: scope, combinations, stars, demonstration."""

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

from credit_svc.domain.project import FACT_NAMES
from credit_svc.domain.project_rules import (
    COMBINERS,
    SCOPES,
    WEIGHTED,
    DemonstrationExclusion,
    ProjectRules,
    StarBonus,
    StarRating,
    StarThreshold,
)
from credit_svc.domain.record import ENTERPRISE_KINDS, LIST_KINDS
from credit_svc.domain.vocabulary import (
    ASSESSOR_TYPES,
    FLAGS,
    GOOD_CATEGORIES,
    LIST_TYPES,
    SEVERITIES,
)
from credit_svc.rulepacks.validators import CODE, POSITIVE_MONTHS

SCOPE_KEYS = (
    *ENTERPRISE_KINDS,
    *(
        f"{kind}:{t}"
        for kind in LIST_KINDS
        if kind in ENTERPRISE_KINDS
        for t in LIST_TYPES
    ),
)


def scope_field() -> fields.Dict:
    """`scope:` maps a kind (or list_entry:<type>) to whom its records count against."""
    return fields.Dict(
        fields.String(validate=validate.OneOf(SCOPE_KEYS)),
        fields.String(validate=validate.OneOf(SCOPES)),
        load_default=dict,
    )


class CombinationSchema(Schema):
    """How a kind's points combine within and across projects."""

    category = fields.String(required=True, validate=CODE)
    per_project = fields.String(
        load_default="mean", validate=validate.OneOf((*COMBINERS, WEIGHTED))
    )
    across_projects = fields.String(
        load_default="mean", validate=validate.OneOf(COMBINERS)
    )
    weights = fields.Dict(
        fields.String(validate=validate.OneOf(ASSESSOR_TYPES)),
        fields.Decimal(validate=validate.Range(min=0, min_inclusive=False)),
        load_default=dict,
    )

    @validates_schema
    def check_weights(self, data: dict[str, Any], **_: Any) -> None:
        """Weights go with per_project: weighted, and only there."""
        if (data.get("per_project") == WEIGHTED) != bool(data.get("weights")):
            raise ValidationError("weights go with per_project: weighted", "weights")


class StarThresholdSchema(Schema):
    """Stars for a score at or above a floor."""

    stars = fields.Integer(required=True, validate=validate.Range(min=1, max=5))
    at_least = fields.Decimal(required=True)

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> StarThreshold:
        """Build the domain object."""
        return StarThreshold(**data)


class StarBonusSchema(Schema):
    """A bonus on the rating score for an estate fact or a good-credit record."""

    reason = fields.String(required=True, validate=CODE)
    points = fields.Decimal(required=True)
    description = fields.String(load_default="")
    fact = fields.String(load_default=None, validate=validate.OneOf(FACT_NAMES))
    one_of = fields.List(fields.String(), load_default=list)
    good_category = fields.String(
        load_default=None, validate=validate.OneOf(GOOD_CATEGORIES)
    )

    @validates_schema
    def check_one(self, data: dict[str, Any], **_: Any) -> None:
        """Require one test: a fact with its values, or a good-credit category."""
        by_fact = data.get("fact") is not None and bool(data.get("one_of"))
        by_record = data.get("good_category") is not None
        if by_fact == by_record:
            raise ValidationError("give either fact with one_of, or good_category")

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> StarBonus:
        """Build the domain object."""
        return StarBonus(**data | {"one_of": tuple(data["one_of"])})


class StarRatingSchema(Schema):
    """A yearly star rating with its publicity period and withdrawals."""

    rated_on = fields.String(
        required=True, validate=validate.Regexp(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9])$")
    )  # MM-DD, each year; at most the 29th, so every year has it
    publicity_working_days = fields.Integer(
        required=True, validate=validate.Range(min=0, max=60)
    )
    thresholds = fields.List(
        fields.Nested(StarThresholdSchema),
        required=True,
        validate=validate.Length(min=1),
    )
    bonuses = fields.List(fields.Nested(StarBonusSchema), load_default=list)
    withdrawn_by_flags = fields.List(
        fields.String(validate=validate.OneOf(FLAGS)), load_default=list
    )
    withdrawn_by_severities = fields.List(
        fields.String(validate=validate.OneOf(SEVERITIES)), load_default=list
    )

    @validates_schema
    def check_thresholds(self, data: dict[str, Any], **_: Any) -> None:
        """Require thresholds most stars first, floors strictly descending."""
        rows = data.get("thresholds", [])
        stars = [t.stars for t in rows]
        floors = [t.at_least for t in rows]
        ordered = stars == sorted(stars, reverse=True) and len(set(stars)) == len(stars)
        if (
            not ordered
            or floors != sorted(floors, reverse=True)
            or len(set(floors)) != len(floors)
        ):
            raise ValidationError(
                "most stars first, floors strictly descending", "thresholds"
            )

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> StarRating:
        """Build the domain object."""
        month, day = (int(part) for part in data["rated_on"].split("-"))
        return StarRating(
            rated_month=month,
            rated_day=day,
            publicity_working_days=data["publicity_working_days"],
            thresholds=tuple(data["thresholds"]),
            bonuses=tuple(data["bonuses"]),
            withdrawn_by_flags=tuple(data["withdrawn_by_flags"]),
            withdrawn_by_severities=tuple(data["withdrawn_by_severities"]),
        )


class DemonstrationExclusionSchema(Schema):
    """A reason that bars a project from being a demonstration project."""

    reason = fields.String(required=True, validate=CODE)
    description = fields.String(load_default="")
    condition = fields.String(
        required=True,
        validate=validate.OneOf(
            ("no_party_organisation", "blacklisted", "flag_within_months")
        ),
    )
    flag = fields.String(load_default=None, validate=validate.OneOf(FLAGS))
    months = fields.Integer(load_default=None, validate=POSITIVE_MONTHS)

    @validates_schema
    def check_parameters(self, data: dict[str, Any], **_: Any) -> None:
        """A flag condition needs its flag and months."""
        if data.get("condition") == "flag_within_months" and (
            data.get("flag") is None or data.get("months") is None
        ):
            raise ValidationError("flag_within_months needs ['flag', 'months']")

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> DemonstrationExclusion:
        """Build the domain object."""
        return DemonstrationExclusion(**data)


class ProjectRulesSchema(Schema):
    """`projects:` of a pack."""

    base_score = fields.Decimal(load_default=None)
    stars = fields.Nested(StarRatingSchema, load_default=None)
    demonstration = fields.List(
        fields.Nested(DemonstrationExclusionSchema), load_default=list
    )

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> ProjectRules:
        """Build the domain object."""
        return ProjectRules(
            data["base_score"], data["stars"], tuple(data["demonstration"])
        )
