"""Request schemas of a record's life: corrections, objections, repair, lifting,
rectification."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from credit_svc.api.fields import check_not_future, choice, division_prefix, text
from credit_svc.domain.lifecycle import DECISIONS, OUTCOMES

ACTIONS = ("retract", "correct")


class DecisionSchema(Schema):
    """Who decided, in which document, and why."""

    authority = text(required=True, metadata={"description": "must be the recorder"})
    document_number = text(100, required=True)
    reason = text(1000, required=True)


class RetractionRequestSchema(DecisionSchema):
    """Withdraw a record: who decided, in which document, and why."""


class CorrectionRequestSchema(DecisionSchema):
    """Facts to correct, as the record kind's request fields."""

    changes = fields.Dict(
        required=True,
        metadata={"description": "fields of the record kind with their right values"},
    )

    @validates_schema
    def check_changes(self, data: dict[str, Any], **_: Any) -> None:
        """Refuse an empty correction and changes of the record's identity."""
        _check_changes(data.get("changes"))


class DocumentSchema(Schema):
    """A document an objection or application relies on (the file itself is
    not kept: its number and title are)."""

    number = text(100, required=True)
    title = text(200, required=True)


def documents() -> fields.List[Any]:
    """Return the list of documents a filing relies on (at most 20)."""
    return fields.List(
        fields.Nested(DocumentSchema),
        load_default=list,
        validate=validate.Length(max=20),
    )


class ObjectionRequestSchema(Schema):
    """An enterprise's objection (异议) to a record."""

    filed_by = text(required=True, metadata={"description": "who objects, as signed"})
    grounds = text(2000, required=True)
    documents = documents()


class ResolutionRequestSchema(DecisionSchema):
    """The authority's answer to an objection."""

    outcome = choice(OUTCOMES, required=True)
    action = choice(
        ACTIONS,
        load_default=None,
        metadata={"description": "upheld only: retract or correct the record"},
    )
    changes = fields.Dict(load_default=None)

    @validates_schema
    def check_action(self, data: dict[str, Any], **_: Any) -> None:
        """An upheld objection retracts or corrects; a rejected one changes nothing."""
        upheld = data["outcome"] == "upheld"
        if upheld and data["action"] is None:
            raise ValidationError(
                "an upheld objection must retract or correct", "action"
            )
        if not upheld and (data["action"] or data["changes"]):
            raise ValidationError("a rejected objection changes nothing", "action")
        if data["action"] == "correct":
            _check_changes(data["changes"])


class RepairApplicationSchema(Schema):
    """An enterprise's application for credit repair (信用修复)."""

    applicant = text(required=True)
    commitment = text(2000, required=True, metadata={"description": "信用承诺"})
    documents = documents()


class RepairDecisionSchema(DecisionSchema):
    """The recording authority's decision on a repair application."""

    outcome = choice(DECISIONS, required=True)
    decided_on = fields.Date(
        load_default=None,
        validate=check_not_future,
        metadata={"description": "the record stops counting from here; default today"},
    )


class LiftingRequestSchema(DecisionSchema):
    """The listing authority ends a list entry before its term."""

    lifted_on = fields.Date(required=True, validate=check_not_future)


class RectificationRequestSchema(DecisionSchema):
    """The recording authority confirms a bad record's problem was put right."""

    rectified_on = fields.Date(
        required=True,
        validate=check_not_future,
        metadata={
            "description": "under a pack that keeps the record's severity until "
            "rectified, the record stops counting from here once its validity "
            "term is over"
        },
    )


def _check_changes(changes: dict[str, Any] | None) -> None:
    if not changes:
        raise ValidationError("name at least one field to correct", "changes")
    fixed = {"authority", "document_number", "credit_code"} & set(changes)
    if fixed:
        msg = f"{sorted(fixed)} identify the record: retract it and record anew"
        raise ValidationError(msg, "changes")


class CaseQueryArgsSchema(Schema):
    """Which pending cases to list."""

    jurisdiction = division_prefix(
        required=True,
        metadata={"description": "a province, city or county code (a prefix)"},
    )
    as_of = fields.Date(load_default=None)


class CaseSchema(Schema):
    """An objection or repair application awaiting its decision."""

    case = fields.String(metadata={"description": "objection or repair"})
    record_id = fields.String()
    credit_code = fields.String()
    kind = fields.String()
    authority = fields.String()
    document_number = fields.String()
    filed_on = fields.Date()
    due_on = fields.Date(allow_none=True)
    overdue = fields.Boolean()
