"""Marshmallow schema of a pack's optional `project_managers` section."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from marshmallow import Schema, fields, post_load, validate

from credit_svc.domain.manager_rules import ManagerRules
from credit_svc.domain.vocabulary import SEVERITIES


class ManagerRulesSchema(Schema):
    """Base points, default deductions, the charged share, and the bar."""

    base_points = fields.Decimal(load_default=Decimal(100))
    deductions = fields.Dict(
        fields.String(validate=validate.OneOf(SEVERITIES)),
        fields.Decimal(validate=validate.Range(min=0)),
        load_default=dict,
    )
    charge_share = fields.Decimal(
        load_default=Decimal(0), validate=validate.Range(min=0, max=1)
    )
    barred_below = fields.Decimal(load_default=None)

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> ManagerRules:
        """Build the domain object."""
        return ManagerRules(**data)
