"""Exports for the national credit platform (双公示 penalties, red/black-list
decisions) in the national field set: JSON or CSV, whole or incremental."""

from __future__ import annotations

import csv
import io
from functools import cache
from typing import Any, Final

from flask import Response
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from credit_svc.api.blueprint import Blueprint
from credit_svc.api.fields import MAX_BIGINT, division_prefix
from credit_svc.api.services import services
from credit_svc.domain.exchange import ExchangeStandard
from credit_svc.rulepacks.exchange_load import load_exchange_standard
from credit_svc.usecases.exchange_export import CreditExchange, Export

blp = Blueprint(
    "exchange",
    __name__,
    description="Exports to the national credit platform in its field sets.",
)
# The URL's name of each field set.
FIELD_SETS: Final = {"penalties": "penalty", "list-decisions": "list_decision"}


class ExportArgsSchema(Schema):
    """Which firms, and since when."""

    jurisdiction = division_prefix(required=True)
    after = fields.Integer(
        load_default=None,
        validate=validate.Range(min=0, max=MAX_BIGINT),
        metadata={
            "description": "a log position (the last export's next_after): only "
            "what happened since, as adds, updates and withdrawals; none: the "
            "whole of it as it stands"
        },
    )


class ExportSchema(Schema):
    """An export: rows of the field set's Chinese columns, and where to resume."""

    field_set = fields.String()
    standard = fields.String(metadata={"description": "the field set's version"})
    jurisdiction = fields.String()
    full = fields.Boolean()
    after = fields.Integer(allow_none=True)
    next_after = fields.Integer(metadata={"description": "pass as `after` next time"})
    columns = fields.List(fields.String())
    rows = fields.List(fields.Dict(fields.String(), fields.String()))
    skipped = fields.List(
        fields.Dict(),
        metadata={"description": "records left out, with the columns they lack"},
    )


@cache
def standard() -> ExchangeStandard:
    """Return the field sets (read once per process)."""
    return load_exchange_standard()


def export_of(field_set: str, args: dict[str, Any]) -> Export:
    """Make the export the request asks for."""
    opened = services()
    exchange = CreditExchange(opened.view, opened.packs, standard(), opened.app.name)
    return exchange.export(FIELD_SETS[field_set], args["jurisdiction"], args["after"])


def as_csv(export: Export) -> str:
    """Return an export's rows as CSV: UTF-8, the Chinese columns first."""
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=export.field_set.columns, extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(export.rows)
    return out.getvalue()


@blp.route("/exchange/<any(penalties, 'list-decisions'):field_set>")
class ExchangeExport(MethodView):
    """A jurisdiction's penalties or list decisions in the national field set."""

    @blp.arguments(ExportArgsSchema, location="query")
    @blp.response(200, ExportSchema)
    def get(self, args: dict[str, Any], field_set: str) -> dict[str, Any]:
        """Export penalties (双公示) or list decisions for the national platform

        Rows carry the field set's Chinese columns, then 数据操作 (新增, 更新
        or 撤销), 操作原因, 操作时间, 记录编号 and 日志位置. Checked against
        schemas/exchange-penalty.schema.json (or exchange-list_decision)
        before it is sent.
        """
        return export_of(field_set, args).document()


@blp.route("/exchange/<any(penalties, 'list-decisions'):field_set>.csv")
class ExchangeExportCsv(MethodView):
    """The same as CSV."""

    @blp.arguments(ExportArgsSchema, location="query")
    @blp.response(200, content_type="text/csv")
    def get(self, args: dict[str, Any], field_set: str) -> Response:
        """Download the export as CSV (UTF-8, Chinese column names)

        The next `after` is in the `X-Next-After` header; records left out are
        counted in `X-Skipped` (the JSON export lists them).
        """
        export = export_of(field_set, args)
        response = Response(as_csv(export), mimetype="text/csv")
        response.headers["X-Next-After"] = str(export.next_after)
        response.headers["X-Skipped"] = str(len(export.skipped))
        name = f"{field_set}-{export.jurisdiction}-{export.next_after}.csv"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
