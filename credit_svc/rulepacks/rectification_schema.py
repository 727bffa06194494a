"""Schemas of a pack's rectification consequences and watch list."""

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

from credit_svc.domain.record import ENTERPRISE_KINDS, RECORDED_EVENTS
from credit_svc.domain.rectification import (
    CONSEQUENCES,
    RectificationRules,
    WatchCondition,
)
from credit_svc.domain.vocabulary import LIST_TYPES
from credit_svc.rulepacks.validators import CODE, POSITIVE_MONTHS

# The kinds whose records can carry a rectification deadline.
WITH_DEADLINES = tuple(
    kind
    for kind, event in RECORDED_EVENTS.items()
    if "rectification_deadline" in event.__dataclass_fields__
)


class RectificationSchema(Schema):
    """Which deadlines count, and what being overdue does."""

    kinds = fields.List(
        fields.String(validate=validate.OneOf(WITH_DEADLINES)),
        required=True,
        validate=validate.Length(min=1),
    )
    overdue = fields.String(required=True, validate=validate.OneOf(CONSEQUENCES))
    list_type = fields.String(load_default=None, validate=validate.OneOf(LIST_TYPES))

    @validates_schema
    def check_list_type(self, data: dict[str, Any], **_: Any) -> None:
        """Name a list type exactly when overdue records list the firm."""
        if (data.get("overdue") == "list") != (data.get("list_type") is not None):
            raise ValidationError("list_type goes with overdue: list only", "list_type")

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> RectificationRules:
        """Build the domain object."""
        return RectificationRules(
            tuple(data["kinds"]), data["overdue"], data["list_type"]
        )


class WatchConditionSchema(Schema):
    """A reason to watch a firm."""

    reason = fields.String(required=True, validate=CODE)
    description = fields.String(load_default="")
    condition = fields.String(
        required=True,
        validate=validate.OneOf(
            (
                "owner_satisfaction_below",
                "records_within_months",
                "rectification_overdue",
            )
        ),
    )
    threshold = fields.Decimal(load_default=None)
    kind = fields.String(load_default=None, validate=validate.OneOf(ENTERPRISE_KINDS))
    count = fields.Integer(load_default=None, validate=validate.Range(min=1, max=100))
    months = fields.Integer(load_default=None, validate=POSITIVE_MONTHS)

    @validates_schema
    def check_parameters(self, data: dict[str, Any], **_: Any) -> None:
        """Require the parameters each condition reads."""
        needed = {
            "owner_satisfaction_below": ("threshold", "months"),
            "records_within_months": ("kind", "count", "months"),
        }.get(data.get("condition", ""), ())
        missing = [name for name in needed if data.get(name) is None]
        if missing:
            raise ValidationError(f"{data['condition']} needs {missing}")

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> WatchCondition:
        """Build the domain object."""
        return WatchCondition(**data)
