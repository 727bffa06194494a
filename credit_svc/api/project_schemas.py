"""Schemas of projects (estates): register, facts, management, ratings, standing."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from credit_svc.api.enterprise_schemas import PROJECT_CODE
from credit_svc.api.explanation_schemas import (
    BarSchema,
    CategoryTotalSchema,
    CountedRecordSchema,
    UncountedRecordSchema,
)
from credit_svc.api.fields import (
    Amount,
    check_division_code,
    check_not_future,
    choice,
    credit_code,
    decimal,
    text,
)
from credit_svc.api.grade_schemas import GradeQueryArgsSchema
from credit_svc.domain import project


class ProjectFactsSchema(Schema):
    """Facts of an estate; a statement names only those that change."""

    project_type = choice(project.PROJECT_TYPES)
    address = text()
    managed_area = decimal(
        0, 100_000_000, low_inclusive=False, metadata={"description": "m²"}
    )
    party_organisation = choice(
        project.PARTY_FORMS,
        metadata={"description": "小区党组织: own branch, joint branch, working group"},
    )
    owners_body = choice(
        project.OWNERS_BODIES,
        metadata={"description": "业主委员会 or 物业管理委员会"},
    )


class RegisterProjectRequestSchema(Schema):
    """Register an estate (小区/物业项目) under a code that stays with it."""

    project_code = fields.String(required=True, validate=PROJECT_CODE)
    name = text(required=True)
    jurisdiction = fields.String(required=True, validate=check_division_code)
    authority = text(required=True, metadata={"description": "who registers it"})
    facts = fields.Nested(ProjectFactsSchema, load_default=dict)
    effective_on = fields.Date(
        load_default=None,
        validate=check_not_future,
        metadata={"description": "the day the facts hold from (needed with facts)"},
    )

    @validates_schema
    def check_effective_on(self, data: dict[str, Any], **_: Any) -> None:
        """Facts need the day they hold from."""
        if data.get("facts") and data.get("effective_on") is None:
            raise ValidationError("needed when facts are given", "effective_on")


class StateFactsRequestSchema(Schema):
    """Facts of the estate holding from a business date."""

    effective_on = fields.Date(required=True, validate=check_not_future)
    facts = fields.Nested(
        ProjectFactsSchema, required=True, validate=validate.Length(min=1)
    )
    authority = text(required=True)


class StartManagementRequestSchema(Schema):
    """A firm takes on the estate from a day, under a contract."""

    credit_code = credit_code(required=True)
    starts_on = fields.Date(required=True, validate=check_not_future)
    contract_ends_on = fields.Date(load_default=None)
    took_over_old_estate = fields.Boolean(
        load_default=False,
        metadata={"description": "老旧小区承接: the estate had no manager before"},
    )
    document_number = text(100, required=True)
    authority = text(required=True)


class EndManagementRequestSchema(Schema):
    """A firm's management of the estate ends (ends_on: its first day without)."""

    credit_code = credit_code(required=True)
    ends_on = fields.Date(required=True, validate=check_not_future)
    reason = choice(project.END_REASONS, required=True)
    authority = text(required=True)


class RatingObjectionRequestSchema(Schema):
    """An objection to a year's star rating, filed during its publicity."""

    filed_on = fields.Date(required=True, validate=check_not_future)
    reason = text(500, required=True)
    authority = text(required=True, metadata={"description": "who received it"})


class RatingDecisionRequestSchema(Schema):
    """The decision on an objection to a year's star rating."""

    decided_on = fields.Date(required=True, validate=check_not_future)
    upheld = fields.Boolean(required=True)
    authority = text(required=True)


class PeriodSchema(Schema):
    """A firm's management of the estate."""

    credit_code = credit_code()
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)
    contract_ends_on = fields.Date(allow_none=True)
    took_over_old_estate = fields.Boolean()
    end_reason = fields.String(allow_none=True)


class EstateSchema(Schema):
    """A registered estate and the firms that managed it."""

    project_code = fields.String()
    name = fields.String()
    jurisdiction = fields.String()
    periods = fields.List(fields.Nested(PeriodSchema))
    facts = fields.Nested(ProjectFactsSchema)


class StarBonusSchema(Schema):
    """A bonus item that held on the rating day."""

    reason = fields.String()
    points = Amount()
    description = fields.String()


class RatingSchema(Schema):
    """One year's star rating and where it stands on the day asked."""

    year = fields.Integer()
    rated_on = fields.Date()
    credit_code = credit_code()
    score = Amount()
    bonuses = fields.List(fields.Nested(StarBonusSchema))
    stars = fields.Integer()
    publicity_ends_on = fields.Date()
    effective_on = fields.Date(allow_none=True)
    state = fields.String(
        metadata={
            "description": "in_publicity | held_by_objection | in_force | "
            "withdrawn | superseded"
        }
    )
    ended_on = fields.Date(allow_none=True)
    ended_by = fields.String(allow_none=True)
    record_ids = fields.List(fields.String())


class DemonstrationSchema(Schema):
    """Whether the project may be a demonstration project, and why not."""

    eligible = fields.Boolean()
    reasons = fields.List(fields.Nested(BarSchema))


class ProjectStandingSchema(Schema):
    """A project's standing on a business date."""

    project_code = fields.String()
    name = fields.String()
    jurisdiction = fields.String()
    as_of = fields.Date()
    recorded_at = fields.AwareDateTime(allow_none=True)
    managed_by = fields.Nested(PeriodSchema, allow_none=True)
    facts = fields.Nested(ProjectFactsSchema)
    pack_id = fields.String()
    pack_version = fields.String()
    base_score = Amount()
    score = Amount()
    categories = fields.List(fields.Nested(CategoryTotalSchema))
    board = fields.String(allow_none=True)
    blacklisted = fields.Boolean()
    stars = fields.Integer(
        allow_none=True, metadata={"description": "the stars in force; null: none"}
    )
    ratings = fields.List(fields.Nested(RatingSchema))
    demonstration = fields.Nested(DemonstrationSchema)
    counted = fields.List(fields.Nested(CountedRecordSchema))
    not_counted = fields.List(fields.Nested(UncountedRecordSchema))


class BatchProjectRequestSchema(GradeQueryArgsSchema):
    """Standings of many projects at once."""

    project_codes = fields.List(
        fields.String(validate=validate.Length(min=1, max=40)),
        required=True,
        validate=validate.Length(min=1, max=500),
    )


class ProjectErrorSchema(Schema):
    """Why a project of a batch has no standing."""

    project_code = fields.String()
    code = fields.Integer()
    message = fields.String()


class BatchProjectSchema(Schema):
    """Each project's standing, and an error for each that has none."""

    as_of = fields.Date()
    standings = fields.List(fields.Nested(ProjectStandingSchema))
    errors = fields.List(fields.Nested(ProjectErrorSchema))
