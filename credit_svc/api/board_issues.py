"""Red and black boards as published acts (红黑榜通报): issue, object,
decide, withdraw; read one issue and a jurisdiction's archive."""

from __future__ import annotations

from typing import Any

from flask import g
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from credit_svc.api.blueprint import Blueprint
from credit_svc.api.clock import today
from credit_svc.api.fields import division_prefix, period, text
from credit_svc.api.record_change_schemas import documents
from credit_svc.api.services import services
from credit_svc.domain.credit_code import is_valid_credit_code
from credit_svc.usecases.board_issues import BoardPublisher, standing_of

blp = Blueprint(
    "board_issues",
    __name__,
    description="Red and black boards as published acts (红黑榜通报).",
)
PATH = "/board-issues/<jurisdiction>/<key>"


class IssueRequestSchema(Schema):
    """A board to publish: the live board of the day, as it stands then."""

    jurisdiction = division_prefix(required=True)
    board = fields.String(required=True, validate=validate.OneOf(("red", "black")))
    period = period(required=True)
    as_of = fields.Date(
        required=True, metadata={"description": "the board of that day"}
    )
    authority = text(required=True)
    document_number = text(100, required=True)


class BoardObjectionRequestSchema(Schema):
    """A listed firm's objection (its own key; a bureau names the firm)."""

    credit_code = fields.String(load_default=None)
    grounds = text(2000, required=True)
    documents = documents()


class BoardDecisionRequestSchema(Schema):
    """The issuer's decision on an objection."""

    authority = text(required=True)
    upheld = fields.Boolean(required=True)
    reason = text(1000, required=True)
    document_number = text(100, required=True)


class WithdrawalRequestSchema(Schema):
    """The issuer withdraws the issue."""

    authority = text(required=True)
    reason = text(1000, required=True)
    document_number = text(100, required=True)


class EntrySchema(Schema):
    """A firm (or its project) on the board, and where it stands."""

    credit_code = fields.String()
    name = fields.String()
    project_code = fields.String(allow_none=True)
    grade = fields.String(allow_none=True)
    records = fields.List(fields.Dict(), metadata={"description": "why it is there"})
    state = fields.String(
        metadata={
            "description": "in_publicity, held_by_objection, in_force, removed "
            "or withdrawn"
        }
    )
    in_force_from = fields.Date(allow_none=True)


class IssueSchema(Schema):
    """A published board."""

    key = fields.String(metadata={"description": "board and period: red-2026-Q2"})
    board = fields.String()
    period = fields.String()
    as_of = fields.Date()
    document_number = fields.String()
    published_on = fields.Date()
    publicity_ends_on = fields.Date(metadata={"description": "its last day"})
    issued_by = fields.String()
    entries = fields.List(fields.Nested(EntrySchema))
    objections = fields.List(fields.Dict())
    withdrawn = fields.Dict(allow_none=True)
    as_of_day = fields.Date(metadata={"description": "the day the states are on"})


class IssueQueryArgsSchema(Schema):
    """The day to tell each entry's state on."""

    as_of = fields.Date(load_default=None)


def publisher() -> BoardPublisher:
    """Return the use cases of published boards."""
    opened = services()
    return BoardPublisher(opened.app, opened.view, opened.packs, opened.calendar)


@blp.route("/board-issues", methods=["POST"])
@blp.arguments(IssueRequestSchema)
@blp.response(201, IssueSchema)
@blp.alt_response(409, response="DEFAULT_ERROR")
def issue(body: dict[str, Any]) -> dict[str, Any]:
    """Publish a red or black board of a period, in publicity from today"""
    day = today()
    issued = publisher().issue(
        body["jurisdiction"],
        body["board"],
        body["period"],
        body["as_of"],
        published_on=day,
        document_number=body["document_number"],
        issued_by=body["authority"],
    )
    return standing_of(issued, day)


@blp.route("/board-issues/<jurisdiction>")
class Archive(MethodView):
    """A jurisdiction's published boards."""

    @blp.arguments(IssueQueryArgsSchema, location="query")
    @blp.response(200, IssueSchema(many=True))
    def get(self, args: dict[str, Any], jurisdiction: str) -> list[dict[str, Any]]:
        """List a jurisdiction's published boards, newest period first"""
        day = args["as_of"] or today()
        return [standing_of(i, day) for i in publisher().archive(jurisdiction)]


@blp.route(PATH)
class Issue(MethodView):
    """One published board."""

    @blp.arguments(IssueQueryArgsSchema, location="query")
    @blp.response(200, IssueSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, args: dict[str, Any], jurisdiction: str, key: str) -> dict[str, Any]:
        """Get a published board with where each entry stands on a day"""
        day = args["as_of"] or today()
        return standing_of(publisher().get(jurisdiction, key), day)


@blp.route(f"{PATH}/objections", methods=["POST"])
@blp.arguments(BoardObjectionRequestSchema)
@blp.response(201, IssueSchema)
@blp.alt_response(404, response="DEFAULT_ERROR")
@blp.alt_response(409, response="DEFAULT_ERROR")
def object_to_board(
    body: dict[str, Any], jurisdiction: str, key: str
) -> dict[str, Any]:
    """Object to being on a published board, during its publicity"""
    actor = g.actor
    code = actor.credit_code if actor.role == "enterprise" else body["credit_code"]
    if not code or not is_valid_credit_code(code):
        msg = "a bureau names the firm objecting by its credit code"
        abort(422, messages={"json": {"credit_code": [msg]}})
    day = today()
    found = publisher().object_to(
        jurisdiction,
        key,
        code,
        filed_on=day,
        grounds=body["grounds"],
        documents=body["documents"],
    )
    return standing_of(found, day)


@blp.route(f"{PATH}/objections/<credit_code>/decision", methods=["POST"])
@blp.arguments(BoardDecisionRequestSchema)
@blp.response(201, IssueSchema)
@blp.alt_response(404, response="DEFAULT_ERROR")
@blp.alt_response(409, response="DEFAULT_ERROR")
def decide_board_objection(
    body: dict[str, Any], jurisdiction: str, key: str, credit_code: str
) -> dict[str, Any]:
    """Decide a firm's objection to the board: upheld takes it off"""
    day = today()
    found = publisher().decide(
        jurisdiction,
        key,
        credit_code,
        by=body["authority"],
        decided_on=day,
        upheld=body["upheld"],
        reason=body["reason"],
        document_number=body["document_number"],
    )
    return standing_of(found, day)


@blp.route(f"{PATH}/withdrawal", methods=["POST"])
@blp.arguments(WithdrawalRequestSchema)
@blp.response(201, IssueSchema)
@blp.alt_response(404, response="DEFAULT_ERROR")
@blp.alt_response(409, response="DEFAULT_ERROR")
def withdraw_board(body: dict[str, Any], jurisdiction: str, key: str) -> dict[str, Any]:
    """Withdraw a published board, as its issuer"""
    day = today()
    found = publisher().withdraw(
        jurisdiction,
        key,
        by=body["authority"],
        withdrawn_on=day,
        reason=body["reason"],
        document_number=body["document_number"],
    )
    return standing_of(found, day)
