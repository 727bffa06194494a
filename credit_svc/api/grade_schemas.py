"""Schemas of grades, explanations, eligibility and boards."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from credit_svc.api.fields import Amount, check_moment, division_prefix


class AsOfQueryArgsSchema(Schema):
    """The business date asked about; today (UTC+8) when left out."""

    as_of = fields.Date(load_default=None)


class GradeQueryArgsSchema(AsOfQueryArgsSchema):
    """A business date and, optionally, a point in record time."""

    recorded_at = fields.AwareDateTime(
        load_default=None,
        validate=check_moment,
        metadata={
            "description": "answer as the service would have at this time, "
            "ignoring everything recorded later (ISO 8601 with offset)"
        },
    )


class BatchGradeRequestSchema(GradeQueryArgsSchema):
    """Grades of many enterprises at once: the bidders of one tender."""

    # Each code is checked on its own: a bad one is listed under the answer's
    # `errors` (422) and the rest are answered (api/grades.py).
    credit_codes = fields.List(
        fields.String(validate=validate.Length(min=1, max=64)),
        required=True,
        validate=validate.Length(min=1, max=500),
    )


class BoardQueryArgsSchema(AsOfQueryArgsSchema):
    """A jurisdiction (2, 4 or 6 digits of a division code) and a date."""

    jurisdiction = division_prefix(required=True)


class PackRefSchema(Schema):
    """Which rule pack produced an answer."""

    id = fields.String()
    version = fields.String()


class GradeSchema(Schema):
    """An enterprise's grade on a business date."""

    credit_code = fields.String()
    name = fields.String()
    as_of = fields.Date()
    grade = fields.String()
    grade_label = fields.String()
    score = Amount()
    board = fields.String(
        allow_none=True, metadata={"description": "red, black or null"}
    )
    blacklisted = fields.Boolean()
    tender_points = Amount()
    pack = fields.Nested(PackRefSchema)
    eligible = fields.Boolean(metadata={"description": "may receive awards"})
    recorded_at = fields.AwareDateTime(
        allow_none=True, metadata={"description": "the record-time cutoff asked for"}
    )
    effective_from = fields.Date(
        allow_none=True,
        metadata={"description": "first day of this standing (null with recorded_at)"},
    )
    effective_until = fields.Date(
        allow_none=True,
        metadata={"description": "first day it no longer holds; null while open"},
    )


class SegmentSchema(Schema):
    """One span of an enterprise's grade history."""

    effective_from = fields.Date()
    effective_until = fields.Date(allow_none=True)
    grade = fields.String()
    score = Amount()
    board = fields.String(allow_none=True)
    blacklisted = fields.Boolean()
    tender_points = Amount()
    pack = fields.Nested(PackRefSchema)


class BoardEntrySchema(Schema):
    """An enterprise, or a project of one, on a board on the date asked."""

    credit_code = fields.String()
    name = fields.String()
    jurisdiction = fields.String()
    project_code = fields.String(
        allow_none=True, metadata={"description": "set when a project is listed"}
    )
    project_name = fields.String(allow_none=True)
    grade = fields.String(allow_none=True, metadata={"description": "null: a project"})
    score = Amount(allow_none=True)
    board = fields.String(allow_none=True)
    blacklisted = fields.Boolean()
    effective_from = fields.Date()
    effective_until = fields.Date(allow_none=True)


class BatchErrorSchema(Schema):
    """Why one credit code of a batch has no grade."""

    credit_code = fields.String()
    code = fields.Integer()
    message = fields.String()


class BatchGradeSchema(Schema):
    """The grades of a batch, in the order asked, and the codes without one."""

    as_of = fields.Date()
    grades = fields.List(fields.Nested(GradeSchema))
    errors = fields.List(fields.Nested(BatchErrorSchema))
