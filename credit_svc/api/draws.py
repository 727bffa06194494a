"""双随机 draws: a bureau draws a period's inspection targets and
inspectors; the public sees the commitment, then the list and the results."""

from __future__ import annotations

from typing import Any

from flask import g
from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from credit_svc.api.access import READERS
from credit_svc.api.blueprint import Blueprint
from credit_svc.api.clock import today
from credit_svc.api.fields import division_prefix, period, text
from credit_svc.api.services import services
from credit_svc.domain.draws import Draw
from credit_svc.usecases.draws import Draws, published

blp = Blueprint(
    "draws", __name__, description="双随机 draws of inspection targets, verifiable."
)


class DrawRequestSchema(Schema):
    """A draw to make: where, for which period, from which seed."""

    jurisdiction = division_prefix(required=True)
    period = period(required=True)
    as_of = fields.Date(
        load_default=None, metadata={"description": "grades of the day"}
    )
    inspections_end = fields.Date(
        required=True, metadata={"description": "the list is public the day after"}
    )
    seed = fields.String(
        load_default=None,
        validate=validate.Length(min=8, max=200),
        metadata={"description": "a value the bureau published before the draw"},
    )
    seed_position = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1),
        metadata={"description": "or: the log's chain link at this position"},
    )
    inspectors = fields.List(
        text(100), required=True, validate=validate.Length(min=1, max=500)
    )
    per_target = fields.Integer(load_default=2, validate=validate.Range(min=1, max=10))
    authority = text(required=True)

    @validates_schema
    def check_seed(self, data: dict[str, Any], **_: Any) -> None:
        """Require one seed, and no more inspectors per target than there are."""
        if (data.get("seed") is None) == (data.get("seed_position") is None):
            raise ValidationError("give exactly one of seed and seed_position", "seed")
        if data.get("per_target", 2) > len(data.get("inspectors") or ()):
            raise ValidationError("more than the inspectors there are", "per_target")


class DrawSchema(Schema):
    """A draw as shown: its commitment, and once revealed its list."""

    jurisdiction = fields.String()
    period = fields.String()
    as_of = fields.Date()
    inspections_end = fields.Date()
    commitment = fields.String(metadata={"description": "SHA-256 of the targets"})
    made_by = fields.String()
    revealed = fields.Boolean()
    counts = fields.Dict(fields.String(), fields.Integer())
    population_counts = fields.Dict(fields.String(), fields.Integer())
    rates = fields.Dict(fields.String(), fields.String())
    inputs = fields.Dict(metadata={"description": "once revealed (readers: always)"})
    targets = fields.List(fields.Dict())
    results = fields.List(
        fields.Dict(), metadata={"description": "inspections naming the draw"}
    )


def draws() -> Draws:
    """Return the draw use cases."""
    opened = services()
    return Draws(opened.app, opened.view, opened.packs, opened.ledger)


@blp.route("/draws", methods=["POST"])
@blp.arguments(DrawRequestSchema)
@blp.response(201, DrawSchema)
@blp.alt_response(409, response="DEFAULT_ERROR")
def make_draw(body: dict[str, Any]) -> dict[str, Any]:
    """Draw a period's inspection targets by grade, and their inspectors"""
    draw = draws().make(
        body["jurisdiction"],
        body["period"],
        body["as_of"] or today(),
        inspections_end=body["inspections_end"],
        seed=body["seed"],
        seed_position=body["seed_position"],
        inspectors=body["inspectors"],
        per_target=body["per_target"],
        made_by=body["authority"],
    )
    return draw_body(draw)


@blp.route("/draws/<jurisdiction>/<period>")
class DrawByPeriod(MethodView):
    """One draw."""

    @blp.response(200, DrawSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, jurisdiction: str, period: str) -> dict[str, Any]:
        """Get a draw: its commitment, and after its inspections its list and results"""
        return draw_body(draws().get(jurisdiction, period))


def draw_body(draw: Draw) -> dict[str, Any]:
    """Return the draw as the caller may see it today, with its results."""
    actor = g.get("actor")
    day = today()
    full = actor is not None and actor.role in READERS
    shown = published(draw, day, full)
    shown["results"] = results_of(draw) if "targets" in shown else []
    return shown


def results_of(draw: Draw) -> list[dict[str, Any]]:
    """Return the inspections that name the draw ("一公开")."""
    ref = f"{draw.jurisdiction}/{draw.period}"
    codes = [t["credit_code"] for t in draw.targets]
    view = services().view
    with view.db.reading_together() as cursor:
        facts = view.records.facts_of(cursor, codes, kinds=("inspection",))
    return [
        {
            "credit_code": code,
            "business_date": fact.business_date.isoformat(),
            "document_number": fact.get("document_number"),
            "score": None if fact.get("score") is None else str(fact.get("score")),
            "passed": fact.get("passed"),
            "findings": fact.get("findings") or [],
        }
        for code in codes
        for fact in facts.get(code, [])
        if fact.get("draw") == ref
    ]
