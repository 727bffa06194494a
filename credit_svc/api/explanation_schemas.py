"""Schemas of grade explanations and award eligibility: the why of a grade."""

from __future__ import annotations

from marshmallow import Schema, fields

from credit_svc.api.fields import Amount, credit_code
from credit_svc.api.grade_schemas import PackRefSchema


class CountedRecordSchema(Schema):
    """A record that counted, and what it added."""

    record_id = fields.String()
    kind = fields.String()
    business_date = fields.Date()
    expires_on = fields.Date()
    rule = fields.Integer(allow_none=True, metadata={"description": "rule number"})
    category = fields.String(allow_none=True)
    points = Amount()


class UncountedRecordSchema(Schema):
    """A record that did not count, and why."""

    record_id = fields.String()
    kind = fields.String()
    business_date = fields.Date()
    reason = fields.String()


class CategoryTotalSchema(Schema):
    """A category's sum before and after its cap or floor."""

    name = fields.String()
    raw = fields.String()
    applied = fields.String()
    limited = fields.Boolean()


class FiredOverrideSchema(Schema):
    """An override whose condition held."""

    condition = fields.String()
    grade = fields.String()
    applied = fields.Boolean()


class PartyPartSchema(Schema):
    """One party's appraisals of a project and its part in the project's figure."""

    party = fields.String(metadata={"description": "the assessor type"})
    weight = Amount()
    figure = Amount(metadata={"description": "the mean of the party's points"})
    part = Amount(metadata={"description": "weight × figure ÷ the weights present"})


class ProjectFigureSchema(Schema):
    """A project's figure of a combined kind."""

    project = fields.String(
        metadata={"description": "project code; a record id for one naming none"}
    )
    figure = Amount()
    parties = fields.List(fields.Nested(PartyPartSchema))
    record_ids = fields.List(fields.String())


class CombinedFigureSchema(Schema):
    """A kind the pack combines rather than adds: the projects' figures and
    the figure they make in the category."""

    kind = fields.String()
    category = fields.String()
    figure = Amount()
    projects = fields.List(fields.Nested(ProjectFigureSchema))


class ExplanationSchema(Schema):
    """How a grade came to be, record by record."""

    credit_code = fields.String()
    as_of = fields.Date()
    recorded_at = fields.AwareDateTime(
        allow_none=True,
        metadata={"description": "the recorded_at asked, if any (as /grade has it)"},
    )
    pack = fields.Nested(PackRefSchema)
    base_score = Amount()
    categories = fields.List(fields.Nested(CategoryTotalSchema))
    score = Amount()
    band_grade = fields.String()
    overrides = fields.List(fields.Nested(FiredOverrideSchema))
    grade = fields.String()
    board = fields.String(allow_none=True)
    blacklisted = fields.Boolean()
    tender_points = Amount()
    counted = fields.List(fields.Nested(CountedRecordSchema))
    not_counted = fields.List(fields.Nested(UncountedRecordSchema))
    combined = fields.List(
        fields.Nested(CombinedFigureSchema),
        metadata={"description": "kinds the pack combines (docs/rule-packs.md)"},
    )


class BarSchema(Schema):
    """A reason for exclusion from awards."""

    reason = fields.String()
    detail = fields.String()
    record_ids = fields.List(fields.String())


class EligibilitySchema(Schema):
    """Whether an enterprise may receive awards on a date."""

    credit_code = credit_code()
    as_of = fields.Date()
    grade = fields.String()
    eligible = fields.Boolean()
    reasons = fields.List(fields.Nested(BarSchema))
    pack = fields.Nested(PackRefSchema)
