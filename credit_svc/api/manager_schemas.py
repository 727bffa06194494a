"""Schemas of project managers, their assignments, records and standing.

No schema has an ID-number field on output: the number is read once, turned
into a pseudonym, and dropped.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields

from credit_svc.api.enterprise_schemas import OPTIONAL_PROJECT_CODE
from credit_svc.api.explanation_schemas import UncountedRecordSchema
from credit_svc.api.fields import (
    Amount,
    check_division_code,
    check_not_future,
    choice,
    text,
)
from credit_svc.api.grade_schemas import AsOfQueryArgsSchema
from credit_svc.api.record_schemas import (
    DECISION_FIELDS,
    PENALTY_FIELDS,
    BadCreditRequestSchema,
    ListEntryRequestSchema,
)
from credit_svc.domain import vocabulary
from credit_svc.domain.id_number import is_valid_id_number


def check_id_number(value: str) -> None:
    """Refuse a number without the GB 11643 shape, birth date or check digit.

    The message never repeats the number, so it cannot reach a log.
    """
    if not is_valid_id_number(value):
        raise ValidationError(
            "not a valid resident ID number (GB 11643: 18 characters, check digit)"
        )


def id_number(**kwargs: Any) -> fields.String:
    """Return the write-only ID-number field."""
    return fields.String(
        validate=check_id_number,
        load_only=True,
        metadata={"description": "resident ID number; stored only as a keyed hash"},
        **kwargs,
    )


class RegisterManagerRequestSchema(Schema):
    """Register a project manager (项目负责人)."""

    name = text(50, required=True)
    id_number = id_number(required=True)
    jurisdiction = fields.String(
        required=True,
        validate=check_division_code,
        metadata={"description": "whose register of practitioners holds them"},
    )
    authority = text(required=True, metadata={"description": "who registers them"})


class FindManagerRequestSchema(Schema):
    """Find a manager by ID number, sent in a body so it stays out of URLs."""

    id_number = id_number(required=True)


class ManagerSchema(Schema):
    """A registered project manager: a pseudonymous id, never the ID number."""

    manager_id = fields.UUID()
    name = fields.String()
    jurisdiction = fields.String()


class AssignManagerRequestSchema(Schema):
    """Put a manager in charge of a project from a business date."""

    manager_id = fields.UUID(required=True)
    starts_on = fields.Date(required=True, validate=check_not_future)
    authority = text(required=True)


class AssignmentSchema(Schema):
    """A manager in charge of a project from a date, until the next start."""

    credit_code = fields.String()
    project_code = fields.String()
    manager_id = fields.UUID()
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)


class ManagerRecordFields(Schema):
    """What a record about a manager adds: the employer and project it concerns."""

    credit_code = fields.String(
        required=True,
        metadata={"description": "the enterprise the manager worked for"},
    )
    project_code = fields.String(load_default="", validate=OPTIONAL_PROJECT_CODE)


class ManagerBadCreditRequestSchema(ManagerRecordFields, BadCreditRequestSchema):
    """A bad-credit record about a manager: violation, severity, stated points."""

    class Meta:
        exclude = ("veto", "flags", *PENALTY_FIELDS)


class ManagerListEntryRequestSchema(ManagerRecordFields, ListEntryRequestSchema):
    """A manager put on the blacklist or a board of practitioners, with a term."""

    list_type = choice(vocabulary.LIST_TYPES, required=True)

    class Meta:
        exclude = DECISION_FIELDS


MANAGER_SCHEMAS: dict[str, type[Schema]] = {
    "manager_bad_credit": ManagerBadCreditRequestSchema,
    "manager_list_entry": ManagerListEntryRequestSchema,
}


class ChargeSchema(Schema):
    """An enterprise's project deduction charged in part to the manager."""

    record_id = fields.String()
    credit_code = fields.String()
    project_code = fields.String()
    business_date = fields.Date()
    expires_on = fields.Date()
    enterprise_points = Amount()
    share = fields.String()
    points = Amount()


class ManagerRecordEffectSchema(Schema):
    """A manager's own record that counted, and what it did."""

    record_id = fields.String()
    kind = fields.String()
    business_date = fields.Date()
    expires_on = fields.Date()
    points = Amount()
    list_type = fields.String(allow_none=True)


class ManagerStandingSchema(Schema):
    """A manager's points and list status on a day, record by record."""

    manager_id = fields.UUID()
    name = fields.String()
    as_of = fields.Date()
    points = Amount()
    blacklisted = fields.Boolean()
    board = fields.String(allow_none=True)
    barred = fields.Boolean(
        metadata={"description": "blacklisted, or fewer points than the pack allows"}
    )
    pack_id = fields.String()
    pack_version = fields.String()
    counted = fields.List(fields.Nested(ManagerRecordEffectSchema))
    charged = fields.List(fields.Nested(ChargeSchema))
    not_counted = fields.List(fields.Nested(UncountedRecordSchema))


class ManagerListQueryArgsSchema(AsOfQueryArgsSchema):
    """A jurisdiction (division code or its prefix) and a business date."""

    jurisdiction = fields.String(load_default="")


class ListedManagerSchema(Schema):
    """A manager on the blacklist on a day: name and pseudonymous id only."""

    manager_id = fields.UUID()
    name = fields.String()
    jurisdiction = fields.String()
    points = Amount()
    entries = fields.List(fields.Nested(ManagerRecordEffectSchema))
