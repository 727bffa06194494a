"""A record's life over HTTP: corrections, retraction, objections, repair, lifting,
rectification.

Every endpoint appends an event and answers with the record as that event
left it.
Dates the service decides (the day an objection or repair application is
filed) come from its clock; decisions may name their own effective day.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import g
from flask_smorest import abort
from marshmallow import ValidationError

from credit_svc.api.blueprint import Blueprint
from credit_svc.api.clock import business_zone, today
from credit_svc.api.record_change_schemas import (
    CaseQueryArgsSchema,
    CaseSchema,
    CorrectionRequestSchema,
    LiftingRequestSchema,
    ObjectionRequestSchema,
    RectificationRequestSchema,
    RepairApplicationSchema,
    RepairDecisionSchema,
    ResolutionRequestSchema,
    RetractionRequestSchema,
)
from credit_svc.api.record_schemas import REQUEST_SCHEMAS, RecordSchema
from credit_svc.api.records import record_body
from credit_svc.api.services import services
from credit_svc.domain.parties import RECORDING_ROLES
from credit_svc.usecases.cases import open_cases
from credit_svc.usecases.record_lifecycle import RecordLifecycle

blp = Blueprint(
    "record_changes",
    __name__,
    description="Correct, retract, object to, repair, lift and rectify records.",
)
PATH = "/records/<uuid:record_id>"


def _lifecycle() -> RecordLifecycle:
    opened = services()
    return RecordLifecycle(opened.app, opened.packs, business_zone())


def _answer(record_id: UUID, position: int) -> dict[str, Any]:
    """Return the record as the change at the position left it: the same
    answer now and when a retry rebuilds it (usecases/replay.py)."""
    services().catch_up()  # always: the record's new status is read from the view
    return record_body(record_id, upto=position)


def _checked_changes(record_id: UUID, changes: dict[str, Any]) -> dict[str, Any]:
    """Return the changes typed, after checking the corrected record as a whole."""
    record = services().app.get_record(record_id)
    schema = REQUEST_SCHEMAS[record.kind]()
    try:
        corrected = schema.load(schema.dump(record.facts) | changes)
    except ValidationError as error:
        abort(422, messages={"json": {"changes": error.messages}})
    return {name: corrected[name] for name in changes}


def _decision(body: dict[str, Any]) -> dict[str, str]:
    return {k: body[k] for k in ("authority", "document_number", "reason")}


@blp.route(f"{PATH}/corrections", methods=["POST"])
@blp.arguments(CorrectionRequestSchema)
@blp.response(201, RecordSchema)
@blp.alt_response(403, response="DEFAULT_ERROR")
@blp.alt_response(404, response="DEFAULT_ERROR")
@blp.alt_response(409, response="DEFAULT_ERROR")
def correct(body: dict[str, Any], record_id: UUID) -> dict[str, Any]:
    """Correct facts of a record (only its recording authority)"""
    changes = _checked_changes(record_id, body["changes"])
    _, position = _lifecycle().correct(record_id, changes, _decision(body))
    return _answer(record_id, position)


@blp.route(f"{PATH}/retraction", methods=["POST"])
@blp.arguments(RetractionRequestSchema)
@blp.response(201, RecordSchema)
@blp.alt_response(403, response="DEFAULT_ERROR")
@blp.alt_response(404, response="DEFAULT_ERROR")
@blp.alt_response(409, response="DEFAULT_ERROR")
def retract(body: dict[str, Any], record_id: UUID) -> dict[str, Any]:
    """Retract a record: it stops counting in every effective-on answer"""
    _, position = _lifecycle().retract(record_id, _decision(body))
    return _answer(record_id, position)


@blp.route(f"{PATH}/objections", methods=["POST"])
@blp.arguments(ObjectionRequestSchema)
@blp.response(201, RecordSchema)
@blp.alt_response(404, response="DEFAULT_ERROR")
@blp.alt_response(409, response="DEFAULT_ERROR")
def object_to(body: dict[str, Any], record_id: UUID) -> dict[str, Any]:
    """Object to a record within the pack's window from its publication"""
    _, position = _lifecycle().file_objection(record_id, today(), body)
    return _answer(record_id, position)


@blp.route(f"{PATH}/objection-resolutions", methods=["POST"])
@blp.arguments(ResolutionRequestSchema)
@blp.response(201, RecordSchema)
@blp.alt_response(403, response="DEFAULT_ERROR")
@blp.alt_response(404, response="DEFAULT_ERROR")
@blp.alt_response(409, response="DEFAULT_ERROR")
def resolve(body: dict[str, Any], record_id: UUID) -> dict[str, Any]:
    """Uphold (and retract or correct) or reject an open objection"""
    decision: dict[str, Any] = _decision(body) | {"action": body["action"]}
    if body["action"] == "correct":
        decision["changes"] = _checked_changes(record_id, body["changes"])
    _, position = _lifecycle().resolve_objection(
        record_id, body["outcome"], today(), decision
    )
    return _answer(record_id, position)


@blp.route(f"{PATH}/repair-applications", methods=["POST"])
@blp.arguments(RepairApplicationSchema)
@blp.response(201, RecordSchema)
@blp.alt_response(404, response="DEFAULT_ERROR")
@blp.alt_response(409, response="DEFAULT_ERROR")
def apply_for_repair(body: dict[str, Any], record_id: UUID) -> dict[str, Any]:
    """Apply for credit repair after the minimum disclosure period"""
    _, position = _lifecycle().apply_for_repair(record_id, today(), body)
    return _answer(record_id, position)


@blp.route(f"{PATH}/repair-decisions", methods=["POST"])
@blp.arguments(RepairDecisionSchema)
@blp.response(201, RecordSchema)
@blp.alt_response(403, response="DEFAULT_ERROR")
@blp.alt_response(404, response="DEFAULT_ERROR")
@blp.alt_response(409, response="DEFAULT_ERROR")
def decide_repair(body: dict[str, Any], record_id: UUID) -> dict[str, Any]:
    """Grant or refuse a repair; granted, the record stops counting from decided_on"""
    decided_on = body["decided_on"] or today()
    _, position = _lifecycle().decide_repair(
        record_id, body["outcome"], decided_on, _decision(body)
    )
    return _answer(record_id, position)


@blp.route(f"{PATH}/lifting", methods=["POST"])
@blp.arguments(LiftingRequestSchema)
@blp.response(201, RecordSchema)
@blp.alt_response(403, response="DEFAULT_ERROR")
@blp.alt_response(404, response="DEFAULT_ERROR")
@blp.alt_response(409, response="DEFAULT_ERROR")
def lift(body: dict[str, Any], record_id: UUID) -> dict[str, Any]:
    """Lift a list entry before its term ends (only the listing authority)"""
    _, position = _lifecycle().lift(record_id, body["lifted_on"], _decision(body))
    return _answer(record_id, position)


@blp.route(f"{PATH}/rectification", methods=["POST"])
@blp.arguments(RectificationRequestSchema)
@blp.response(201, RecordSchema)
@blp.alt_response(403, response="DEFAULT_ERROR")
@blp.alt_response(404, response="DEFAULT_ERROR")
@blp.alt_response(409, response="DEFAULT_ERROR")
def confirm_rectification(body: dict[str, Any], record_id: UUID) -> dict[str, Any]:
    """Confirm a bad record's problem was rectified (only the recording authority)"""
    _, position = _lifecycle().confirm_rectification(
        record_id, body["rectified_on"], _decision(body)
    )
    return _answer(record_id, position)


@blp.route("/cases")
@blp.arguments(CaseQueryArgsSchema, location="query")
@blp.response(200, CaseSchema(many=True))
def open_cases_of(args: dict[str, Any]) -> list[dict[str, Any]]:
    """List the objections and repair applications awaiting a decision, with
    the day each is due, the most urgent first

    A recording party sees the cases about its own records; auditors and
    admins see all of the jurisdiction's.
    """
    opened = services()
    actor = g.actor
    return open_cases(
        opened.view,
        opened.disclosure,
        opened.calendar,
        args["jurisdiction"],
        as_of=args["as_of"] or today(),
        authority=actor.authority if actor.role in RECORDING_ROLES else None,
    )
