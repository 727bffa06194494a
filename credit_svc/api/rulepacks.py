"""Rule packs: which packs the service grades with."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields

from credit_svc.api.blueprint import Blueprint
from credit_svc.api.services import services

blp = Blueprint(
    "rule_packs",
    __name__,
    url_prefix="/rule-packs",
    description="The rule packs in use.",
)


class BandSchema(Schema):
    """A grade band."""

    grade = fields.String()
    floor = fields.String(allow_none=True)


class RulePackSchema(Schema):
    """A rule pack's identity, reach and grade scale."""

    id = fields.String()
    version = fields.String()
    name = fields.String()
    jurisdictions = fields.List(fields.String())
    effective_from = fields.Date()
    base_score = fields.String()
    grades = fields.List(fields.String())
    bands = fields.List(fields.Nested(BandSchema))
    tender_points = fields.Dict(fields.String(), fields.String())


@blp.route("")
class RulePacks(MethodView):
    """Every loaded rule pack."""

    @blp.response(200, RulePackSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """List the rule packs with their jurisdictions and grade bands"""
        return [
            {
                "id": p.pack_id,
                "version": p.version,
                "name": p.name,
                "jurisdictions": p.jurisdictions,
                "effective_from": p.effective_from,
                "base_score": p.base_score,
                "grades": [g for g, _ in p.grades],
                "bands": [vars(b) for b in p.bands],
                "tender_points": p.tender_points,
            }
            for p in services().packs
        ]
