"""The exports for the national credit platform as a page: a signed-in
bureau, auditor or admin picks a field set, a jurisdiction and, for an
incremental export, the last export's position; sees the rows and what was
left out; and downloads the CSV to hand in. The same export as the API's
(api/exchange.py), checked against the same schema."""

from __future__ import annotations

from typing import Final
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request, url_for
from marshmallow import ValidationError
from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Response as WerkzeugResponse

from credit_svc.api.access import READERS
from credit_svc.api.exchange import FIELD_SETS, ExportArgsSchema, as_csv, export_of
from credit_svc.usecases.api_keys import Actor
from credit_svc.usecases.exchange_export import Export
from credit_svc.web.dashboard import NOT_AN_AUDITOR, signed_in_as
from credit_svc.web.errors import answer_errors_as_pages

SHOWN_ROWS: Final = 200  # on the page; the CSV has them all
BAD_ARGS: Final = "导出条件有误 The export's settings are not valid"

bp = Blueprint(
    "exchange_pages",
    __name__,
    url_prefix="/workbench/exchange",
    template_folder="templates",
)
answer_errors_as_pages(bp)


@bp.get("/")
def index() -> str | WerkzeugResponse:
    """Show the export form and, once asked, the export."""
    actor = _reader()
    if isinstance(actor, WerkzeugResponse):
        return actor
    field_set = request.args.get("field_set", "penalties")
    asked = "jurisdiction" in request.args
    export = _export(field_set) if asked else None
    return render_template(
        "exchange.html",
        field_set=field_set,
        field_sets=FIELD_SETS,
        jurisdiction=request.args.get("jurisdiction")
        or (actor.jurisdictions[0] if actor.jurisdictions else ""),
        after=request.args.get("after", ""),
        export=export,
        shown=SHOWN_ROWS,
        csv_url=url_for("exchange_pages.download") + "?" + urlencode(request.args)
        if asked
        else "",
    )


@bp.get("/export.csv")
def download() -> Response | WerkzeugResponse:
    """Download the export as CSV, with a BOM so a spreadsheet reads the
    Chinese columns as UTF-8."""
    actor = _reader()
    if isinstance(actor, WerkzeugResponse):
        return actor
    export = _export(request.args.get("field_set", ""))
    response = Response("\ufeff" + as_csv(export), mimetype="text/csv")
    name = f"{export.field_set.name}-{export.jurisdiction}-{export.next_after}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _reader() -> Actor | WerkzeugResponse:
    return signed_in_as(lambda actor: actor.role in READERS, NOT_AN_AUDITOR)


def _export(field_set: str) -> Export:
    if field_set not in FIELD_SETS:
        raise BadRequest(f"{BAD_ARGS}: field_set")
    query = {k: v for k, v in request.args.items() if k in ("jurisdiction", "after")}
    if not query.get("after"):
        query.pop("after", None)
    try:
        args = ExportArgsSchema().load(query)
    except ValidationError as error:
        raise BadRequest(f"{BAD_ARGS}: {', '.join(sorted(error.messages))}") from None
    return export_of(field_set, args)
