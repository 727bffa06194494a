"""Marshmallow schemas that validate a rule-pack file and build a RulePack."""

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

from credit_svc.domain.manager_rules import ManagerRules
from credit_svc.domain.project_rules import ProjectRules
from credit_svc.domain.record import (
    ENTERPRISE_KINDS,
    ENVELOPE_FIELDS,
    KINDS,
    RECORDED_EVENTS,
)
from credit_svc.domain.rectification import OVERDUE_KIND, RectificationRules
from credit_svc.domain.rulepack import Band, Category, ScoringRule
from credit_svc.domain.validity import Validity
from credit_svc.rulepacks.conditions import parse_conditions
from credit_svc.rulepacks.manager_schema import ManagerRulesSchema
from credit_svc.rulepacks.outcome_schema import AwardExclusionSchema, OverrideSchema
from credit_svc.rulepacks.project_schema import (
    CombinationSchema,
    ProjectRulesSchema,
    scope_field,
)
from credit_svc.rulepacks.rectification_schema import (
    RectificationSchema,
    WatchConditionSchema,
)
from credit_svc.rulepacks.validators import CODE, POSITIVE_MONTHS


class CategorySchema(Schema):
    """A category with optional limits."""

    name = fields.String(required=True, validate=CODE)
    max = fields.Decimal(load_default=None)
    min = fields.Decimal(load_default=None)

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> Category:
        """Build the domain object."""
        return Category(**data)


class ValiditySchema(Schema):
    """Default validity, per kind and per severity, in months."""

    default_months = fields.Integer(required=True, validate=POSITIVE_MONTHS)
    by_kind = fields.Dict(
        fields.String(validate=validate.OneOf(KINDS)),
        fields.Integer(validate=POSITIVE_MONTHS),
        load_default=dict,
    )
    by_severity = fields.Dict(
        fields.String(validate=validate.OneOf(("minor", "general", "serious"))),
        fields.Integer(validate=POSITIVE_MONTHS),
        load_default=dict,
    )
    stated_term_overrides = fields.Boolean(load_default=True)
    until_rectified_severities = fields.List(
        fields.String(validate=validate.OneOf(("general", "serious"))),
        data_key="until_rectified",
        load_default=list,
    )

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> Validity:
        """Build the domain object."""
        severities = frozenset(data.pop("until_rectified_severities"))
        return Validity(**data, until_rectified_severities=severities)


class RuleSchema(Schema):
    """One scoring rule; `when` is checked against the kind's attributes."""

    kind = fields.String(
        required=True, validate=validate.OneOf((*ENTERPRISE_KINDS, OVERDUE_KIND))
    )
    when = fields.Dict(fields.String(), fields.Raw(), load_default=dict)
    points = fields.Decimal(required=True)
    category = fields.String(required=True, validate=CODE)
    use_stated_points = fields.Boolean(load_default=False)
    points_from = fields.String(load_default=None)

    @validates_schema
    def check_when(self, data: dict[str, Any], **_: Any) -> None:
        """Refuse attributes the record kind does not have."""
        kind = data.get("kind")
        if kind in RECORDED_EVENTS:
            known = set(RECORDED_EVENTS[kind].__dataclass_fields__) - ENVELOPE_FIELDS
            unknown = sorted(set(data.get("when", {})) - known)
            if unknown:
                raise ValidationError(f"{kind} records have no {unknown}", "when")
            numbers = {
                name
                for name, kept in RECORDED_EVENTS[kind].__annotations__.items()
                if "Decimal" in str(kept) or str(kept).startswith("int")
            }
            stated = data.get("points_from") or (
                "points" if data.get("use_stated_points") else None
            )
            if stated is not None and stated not in numbers:
                msg = f"{kind} records state no number {stated!r} ({sorted(numbers)})"
                raise ValidationError(msg, "points_from")


class BandSchema(Schema):
    """A grade band with an inclusive floor (omitted on the last band)."""

    grade = fields.String(required=True)
    floor = fields.Decimal(load_default=None)

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> Band:
        """Build the domain object."""
        return Band(**data)


class GradeSchema(Schema):
    """A grade code and its label."""

    code = fields.String(required=True, validate=CODE)
    label = fields.String(required=True)


class BoardIssuesSchema(Schema):
    """How boards are published under the pack (红黑榜通报)."""

    publicity_working_days = fields.Integer(
        required=True, validate=validate.Range(min=1, max=60)
    )


class RulePackSchema(Schema):
    """A whole rule-pack file."""

    id = fields.String(required=True, validate=CODE)
    version = fields.String(required=True, validate=CODE)
    name = fields.String(required=True)
    description = fields.String(load_default="")
    jurisdictions = fields.List(
        fields.String(validate=validate.Regexp(r"^[0-9]{2,6}$")),
        required=True,
        validate=validate.Length(min=1),
    )
    effective_from = fields.Date(required=True)
    base_score = fields.Decimal(required=True)
    categories = fields.List(fields.Nested(CategorySchema), required=True)
    validity = fields.Nested(ValiditySchema, required=True)
    rules = fields.List(fields.Nested(RuleSchema), required=True)
    grades = fields.List(
        fields.Nested(GradeSchema), required=True, validate=validate.Length(min=2)
    )
    bands = fields.List(
        fields.Nested(BandSchema), required=True, validate=validate.Length(min=1)
    )
    overrides = fields.List(fields.Nested(OverrideSchema), load_default=list)
    boards = fields.Dict(
        fields.String(validate=validate.OneOf(("red", "black"))),
        fields.List(fields.String()),
        load_default=dict,
    )
    award_exclusions = fields.List(
        fields.Nested(AwardExclusionSchema), load_default=list
    )
    tender_points = fields.Dict(fields.String(), fields.Decimal(), required=True)
    objection_window_days = fields.Integer(
        load_default=15, validate=validate.Range(min=1, max=365)
    )
    project_managers = fields.Nested(ManagerRulesSchema, load_default=ManagerRules)
    scope = scope_field()
    combine = fields.Dict(
        fields.String(validate=validate.OneOf(ENTERPRISE_KINDS)),
        fields.Nested(CombinationSchema),
        load_default=dict,
    )
    projects = fields.Nested(ProjectRulesSchema, load_default=ProjectRules)
    rectification = fields.Nested(RectificationSchema, load_default=RectificationRules)
    watch_list = fields.List(fields.Nested(WatchConditionSchema), load_default=list)
    board_issues = fields.Nested(BoardIssuesSchema, load_default=dict)
    inspection_rates = fields.Dict(
        fields.String(),
        fields.Decimal(validate=validate.Range(min=0, max=1)),
        load_default=dict,
    )

    @post_load
    def parse_rules(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        """Turn each rule's `when` into typed conditions."""
        data["rules"] = tuple(
            ScoringRule(
                number=i + 1,
                kind=r["kind"],
                points=r["points"],
                category=r["category"],
                use_stated_points=r["use_stated_points"],
                points_from=r["points_from"],
                conditions=parse_conditions(r["kind"], r["when"], f"rules.{i}"),
            )
            for i, r in enumerate(data["rules"])
        )
        return data
