"""Schemas of the health and readiness probes."""

from __future__ import annotations

from marshmallow import Schema, fields


class HealthSchema(Schema):
    """The process answers."""

    status = fields.String(metadata={"example": "ok"})


class ReadinessSchema(Schema):
    """Each readiness check; with `code`, `status` and `message` when not ready."""

    ready = fields.Boolean()
    problems = fields.List(fields.String())
    log_position = fields.Integer(allow_none=True)
    view_position = fields.Integer(allow_none=True)
    lag = fields.Integer(allow_none=True, metadata={"description": "events"})
    packs = fields.List(fields.String(), metadata={"example": ["mianyang@2025.1"]})
    packs_fit_view = fields.Boolean()
    code = fields.Integer()
    status = fields.String()
    message = fields.String()
