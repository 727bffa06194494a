"""Schemas of enterprises and projects."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from credit_svc.api.fields import check_division_code, credit_code, text

OPTIONAL_PROJECT_CODE = validate.Regexp(
    r"^[A-Za-z0-9_\-]{0,40}$", error="up to 40 letters, digits, - or _"
)
PROJECT_CODE = validate.Regexp(
    r"^[A-Za-z0-9_\-]{1,40}$", error="1-40 letters, digits, - or _"
)


class ProjectSchema(Schema):
    """A property-service project (物业服务项目)."""

    code = fields.String(required=True, validate=PROJECT_CODE)
    name = text(required=True)


class ProjectStatusSchema(ProjectSchema):
    """A project of the enterprise, with its board and stars when asked."""

    registered = fields.Boolean(
        metadata={"description": "registered as an estate (POST /projects)"}
    )
    board = fields.String(allow_none=True)
    blacklisted = fields.Boolean()
    stars = fields.Integer(allow_none=True, metadata={"description": "in force"})


class RegisterEnterpriseRequestSchema(Schema):
    """Register an enterprise under its unified social credit code."""

    credit_code = credit_code(required=True)
    name = text(required=True)
    jurisdiction = fields.String(required=True, validate=check_division_code)
    authority = text(required=True, metadata={"description": "who registers it"})
    projects = fields.List(
        fields.Nested(ProjectSchema),
        load_default=list,
        validate=validate.Length(max=500),
    )


class AddProjectRequestSchema(ProjectSchema):
    """Add a project to an enterprise."""

    authority = text(required=True)


class EnterpriseSchema(Schema):
    """A registered enterprise."""

    credit_code = fields.String()
    name = fields.String()
    jurisdiction = fields.String()
    as_of = fields.Date(metadata={"description": "the day of the projects' standing"})
    projects = fields.List(fields.Nested(ProjectStatusSchema))
