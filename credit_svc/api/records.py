"""Records: post one of six kinds about an enterprise; list and read them back."""

from __future__ import annotations

from datetime import date
from typing import Any, Final
from uuid import UUID

from flask.views import MethodView

from credit_svc.api.blueprint import Blueprint
from credit_svc.api.clock import business_zone
from credit_svc.api.record_schemas import (
    REQUEST_SCHEMAS,
    RecordQueryArgsSchema,
    RecordSchema,
)
from credit_svc.api.services import reader, services
from credit_svc.domain.errors import EnterpriseNotFoundError, RecordNotFoundError
from credit_svc.domain.lifecycle_rules import objection_deadline
from credit_svc.domain.record import CreditRecord
from credit_svc.domain.record_status import due_dates, status_of
from credit_svc.domain.schedule import PackSchedule
from credit_svc.domain.vocabulary import COMMON_FIELDS
from credit_svc.projections.cutoff import Cutoff

blp = Blueprint("records", __name__, description="Post and read credit records.")

PATHS: Final = {
    "inspection": "inspections",
    "list_entry": "list-entries",
    "good_credit": "good-credit-records",
    "bad_credit": "bad-credit-records",
    "party_building": "party-building-assessments",
    "appraisal": "appraisals",
    "summons": "summonses",
}


def as_body(facts: dict[str, Any], **envelope: Any) -> dict[str, Any]:
    """Return a record as the API shows it: common fields, then the kind's details."""
    details = {k: v for k, v in facts.items() if k not in COMMON_FIELDS}
    return {k: facts[k] for k in COMMON_FIELDS} | envelope | {"details": details}


SUMMARIES = {
    "inspection": "Record an inspection's result about an enterprise",
    "list_entry": "Put an enterprise on a red or black board or the blacklist",
    "good_credit": "Record a good-credit fact about an enterprise",
    "bad_credit": "Record a bad-credit fact (a penalty) about an enterprise",
    "party_building": "Record a party-building assessment of an enterprise",
    "appraisal": "Record an appraisal opinion about an enterprise",
    "summons": "Record a summons (约谈) of an enterprise's principal",
}


def _register_post(kind: str, path: str) -> None:
    """Add the POST endpoint of one record kind."""

    @blp.route(
        f"/enterprises/<credit_code>/records/{path}",
        methods=["POST"],
        endpoint=f"post_{kind}",
    )
    @blp.doc(summary=SUMMARIES[kind])
    @blp.arguments(REQUEST_SCHEMAS[kind])
    @blp.response(201, RecordSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    @blp.alt_response(409, response="DEFAULT_ERROR")
    def post(body: dict[str, Any], credit_code: str) -> dict[str, Any]:
        return append_record(kind, body | {"credit_code": credit_code})

    post.__doc__ = SUMMARIES[kind]  # what GET /me lists


def append_record(kind: str, facts: dict[str, Any]) -> dict[str, Any]:
    """Append a record, bring the view up to date, and answer with the record."""
    record, position = services().app.record(kind, facts)
    services().after_write(upto=position)
    return appended_body(record, position)


def appended_body(record: CreditRecord, position: int) -> dict[str, Any]:
    """Return a record just appended as the API shows it (nothing changed it yet)."""
    row = {"recorded_at": record.recorded_at, "facts": record.facts}
    return as_body(
        record.facts,
        record_id=record.id,
        kind=record.kind,
        recorded_at=record.recorded_at,
        position=position,
        status=_status_shown(status_of(()), row),
    )


for _kind, _path in PATHS.items():
    _register_post(_kind, _path)


@blp.route("/enterprises/<credit_code>/records")
class EnterpriseRecords(MethodView):
    """Every record about one enterprise."""

    @blp.arguments(RecordQueryArgsSchema, location="query")
    @blp.response(200, RecordSchema(many=True))
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, args: dict[str, Any], credit_code: str) -> list[dict[str, Any]]:
        """List an enterprise's records in business-date order"""
        reader().enterprise(credit_code)
        rows = services().view.records.list_records(credit_code, args["kind"])
        return [shown(row) for row in rows]


@blp.route("/records/<uuid:record_id>")
class RecordById(MethodView):
    """One record."""

    @blp.response(200, RecordSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, record_id: UUID) -> dict[str, Any]:
        """Get one record"""
        return record_body(record_id)


def record_body(record_id: UUID, upto: int | None = None) -> dict[str, Any]:
    """Return a record as it now stands (or stood at log position `upto`),
    with its lifecycle status."""
    cutoff = None if upto is None else Cutoff(position=upto)
    row = services().view.records.get_record(str(record_id), cutoff)
    if row is None:
        raise RecordNotFoundError(record_id)
    return shown(row)


def shown(row: dict[str, Any]) -> dict[str, Any]:
    """Return a view row of a record as the API shows it, with the days its
    pending objection or repair application must be decided by."""
    envelope = ("record_id", "kind", "recorded_at", "position")
    status = _status_shown(row["status"], row)
    return as_body(row["facts"], status=status, **{k: row[k] for k in envelope})


def _status_shown(status: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """Return a record's status with the days that follow from it: the last
    day to object, and when a pending case is due."""
    opened = services()
    return (
        status
        | due_dates(status, opened.disclosure, opened.calendar)
        | {"objection_until": _objection_until(row)}
    )


def _objection_until(row: dict[str, Any]) -> date | None:
    """Return the last day the firm may object to the record: the window of
    the pack in force on the day it was published (stored)."""
    published_on = row["recorded_at"].astimezone(business_zone()).date()
    try:
        jurisdiction = services().app.jurisdiction_of(row["facts"]["credit_code"])
    except EnterpriseNotFoundError:
        return None
    pack = PackSchedule(jurisdiction, services().packs).pack_on(published_on)
    if pack is None:
        return None
    return objection_deadline(published_on, pack.objection_window_days)
