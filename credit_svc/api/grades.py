"""Grades: on a date, explained, over time, award eligibility, and boards."""

from __future__ import annotations

from datetime import date
from http import HTTPStatus
from typing import Any

from flask import Response, current_app, jsonify, request
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import EXCLUDE, Schema, ValidationError

from credit_svc.api.answer_cache import AnswerCache
from credit_svc.api.batch_answers import answer_or_error, dumped, kept_tender_answers
from credit_svc.api.blueprint import Blueprint
from credit_svc.api.clock import business_date_of, today
from credit_svc.api.errors import status_for
from credit_svc.api.explanation_schemas import EligibilitySchema, ExplanationSchema
from credit_svc.api.fields import INVALID_CODE
from credit_svc.api.grade_bodies import eligibility_body, explanation_body, segment_body
from credit_svc.api.grade_schemas import (
    AsOfQueryArgsSchema,
    BatchGradeRequestSchema,
    BatchGradeSchema,
    BoardEntrySchema,
    BoardQueryArgsSchema,
    GradeQueryArgsSchema,
    GradeSchema,
    SegmentSchema,
)
from credit_svc.api.services import reader, services, view_version
from credit_svc.domain.credit_code import is_valid_credit_code
from credit_svc.domain.errors import DomainError
from credit_svc.projections.cutoff import Cutoff
from credit_svc.usecases.project_boards import projects_on_board

blp = Blueprint(
    "grades", __name__, description="Credit grades, explanations and boards."
)
GRADE_ARGS = GradeQueryArgsSchema()
NO_PROJECT = {"project_code": None, "project_name": None}  # a firm on a board


def day_and_cutoff(args: dict[str, Any]) -> tuple[date, Cutoff | None]:
    """Return the business date asked and the record-time cutoff, if any."""
    recorded_at = args["recorded_at"]
    if recorded_at is None:
        return args["as_of"] or today(), None
    return args["as_of"] or business_date_of(recorded_at), Cutoff(
        recorded_at=recorded_at
    )


@blp.route("/enterprises/<credit_code>/grade")
class Grade(MethodView):
    """An enterprise's grade."""

    # Parsed here rather than by @blp.arguments: a cached answer needs no parsing.
    @blp.doc(parameters=[{"in": "query", "schema": GradeQueryArgsSchema}])
    @blp.response(200, GradeSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def get(self, credit_code: str) -> Response:
        """Get the grade on a business date (today when as_of is left out)

        With `recorded_at`, the answer the service would have given at that
        time: records stored later (corrections included) are left out.
        """
        cache: AnswerCache[bytes] = current_app.extensions["credit_svc_answers"]
        version = cache.current_version(view_version)
        key = (credit_code, request.query_string, today())
        answer = cache.answer(key, version, lambda: _grade_json(credit_code))
        return current_app.response_class(answer, mimetype="application/json")


def _grade_json(credit_code: str) -> bytes:
    """Read the grade the query string asks for, as JSON."""
    day, cutoff = day_and_cutoff(_query_args(GRADE_ARGS))
    return jsonify(dumped(reader().tender_answer(credit_code, day, cutoff))).get_data()


def _query_args(schema: Schema) -> dict[str, Any]:
    """Load the query string as @blp.arguments would, with its 422 on errors."""
    try:
        loaded: dict[str, Any] = schema.load(request.args, unknown=EXCLUDE)
    except ValidationError as error:
        abort(HTTPStatus.UNPROCESSABLE_ENTITY, messages={"query": error.messages})
    return loaded


@blp.route("/grades/batch")
class BatchGrades(MethodView):
    """Grades of many enterprises in one request."""

    @blp.arguments(BatchGradeRequestSchema)
    @blp.response(200, BatchGradeSchema)
    def post(self, args: dict[str, Any]) -> Response:
        """Get the grades of up to 500 enterprises on one date

        Answers in the order asked; a code that is not valid (422), not
        registered (404), or that no rule pack covers on the date, is listed
        under `errors` with that status instead.
        Nothing is written.
        """
        day, cutoff = day_and_cutoff(args)
        asked = list(dict.fromkeys(args["credit_codes"]))
        codes = [code for code in asked if is_valid_credit_code(code)]
        answers = (
            kept_tender_answers(codes, day)
            if cutoff is None
            else {code: dumped(answer_or_error(code, day, cutoff)) for code in codes}
        )
        grades, errors = [], []
        for code in asked:
            answer = answers.get(code)
            if answer is None:  # not a code at all: its own 422, not the batch's
                status, message = HTTPStatus.UNPROCESSABLE_ENTITY.value, INVALID_CODE
            elif isinstance(answer, DomainError):
                status, message = status_for(answer), str(answer)
            else:
                grades.append(answer)
                continue
            errors.append({"credit_code": code, "code": status, "message": message})
        return jsonify({"as_of": day, "grades": grades, "errors": errors})


@blp.route("/enterprises/<credit_code>/grade/explanation")
class Explanation(MethodView):
    """How an enterprise's grade came to be."""

    @blp.arguments(GradeQueryArgsSchema, location="query")
    @blp.response(200, ExplanationSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, args: dict[str, Any], credit_code: str) -> dict[str, Any]:
        """Explain the grade on a business date, record by record

        With `recorded_at`, as `/grade` takes it: from the records stored by
        then, so the explanation matches that grade.
        """
        day, cutoff = day_and_cutoff(args)
        assessment = reader().explain(credit_code, day, cutoff)
        recorded_at = cutoff.recorded_at if cutoff else None
        return explanation_body(credit_code, assessment) | {"recorded_at": recorded_at}


@blp.route("/enterprises/<credit_code>/grade/history")
class History(MethodView):
    """An enterprise's grade over business time."""

    @blp.response(200, SegmentSchema(many=True))
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, credit_code: str) -> list[dict[str, Any]]:
        """List every change of grade with the date it took effect"""
        return [segment_body(row) for row in reader().history(credit_code)]


@blp.route("/enterprises/<credit_code>/eligibility")
class AwardEligibility(MethodView):
    """Whether an enterprise may receive awards."""

    @blp.arguments(AsOfQueryArgsSchema, location="query")
    @blp.response(200, EligibilitySchema)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, args: dict[str, Any], credit_code: str) -> dict[str, Any]:
        """Check award eligibility on a business date, with every reason"""
        result = reader().eligibility(credit_code, args["as_of"] or today())
        return eligibility_body(credit_code, result)


@blp.route("/boards/<any(red, black, blacklist):board>")
class Board(MethodView):
    """The red board, black board or blacklist of a jurisdiction."""

    @blp.arguments(BoardQueryArgsSchema, location="query")
    @blp.response(200, BoardEntrySchema(many=True))
    def get(self, args: dict[str, Any], board: str) -> list[dict[str, Any]]:
        """List the enterprises and projects on a board in a jurisdiction on a date

        A project is listed by an entry naming it, where the pack scopes such
        entries to projects; its entry carries `project_code`, and no grade.
        """
        day = args["as_of"] or today()
        opened = services()
        rows = opened.view.grades.list_on_board(board, args["jurisdiction"], day)
        projects = projects_on_board(
            opened.view, opened.packs, board, args["jurisdiction"], day
        )
        firms = [segment_body(row) | NO_PROJECT for row in rows]
        return firms + projects
