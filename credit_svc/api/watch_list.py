"""The watch list (重点关注名单), for bureaus, auditors and admins."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields

from credit_svc.api.blueprint import Blueprint
from credit_svc.api.clock import today
from credit_svc.api.fields import division_prefix
from credit_svc.api.grade_schemas import PackRefSchema
from credit_svc.api.services import services
from credit_svc.usecases.watch_list import watch_list

blp = Blueprint(
    "watch_list", __name__, description="Firms watched, and why (重点关注名单)."
)


class WatchQueryArgsSchema(Schema):
    """Where and when."""

    jurisdiction = division_prefix(required=True)
    as_of = fields.Date(load_default=None)


class WatchReasonSchema(Schema):
    """One reason to watch a firm."""

    reason = fields.String()
    description = fields.String(metadata={"description": "in the pack's words"})
    detail = fields.String()
    record_ids = fields.List(fields.String())


class WatchedSchema(Schema):
    """A watched firm."""

    credit_code = fields.String()
    name = fields.String()
    jurisdiction = fields.String()
    pack = fields.Nested(PackRefSchema)
    reasons = fields.List(fields.Nested(WatchReasonSchema))


@blp.route("/watch-list")
class WatchList(MethodView):
    """The firms a jurisdiction watches."""

    @blp.arguments(WatchQueryArgsSchema, location="query")
    @blp.response(200, WatchedSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """List the firms of a jurisdiction on the watch list on a date, with why"""
        opened = services()
        day = args["as_of"] or today()
        return watch_list(opened.view, opened.packs, args["jurisdiction"], day)
