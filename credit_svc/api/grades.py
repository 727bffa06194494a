"""Grades: on a date, explained, over time, award eligibility, and boards."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from credit_svc.api.clock import today
from credit_svc.api.grade_bodies import eligibility_body, explanation_body, segment_body
from credit_svc.api.grade_schemas import (
    AsOfQueryArgsSchema,
    BoardEntrySchema,
    BoardQueryArgsSchema,
    EligibilitySchema,
    ExplanationSchema,
    GradeSchema,
    SegmentSchema,
)
from credit_svc.api.services import reader, services

blp = Blueprint(
    "grades", __name__, description="Credit grades, explanations and boards."
)


@blp.route("/enterprises/<credit_code>/grade")
class Grade(MethodView):
    """An enterprise's grade."""

    @blp.arguments(AsOfQueryArgsSchema, location="query")
    @blp.response(200, GradeSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, args: dict[str, Any], credit_code: str) -> dict[str, Any]:
        """Get the grade on a business date (today when as_of is left out)"""
        return segment_body(reader().grade_on(credit_code, args["as_of"] or today()))


@blp.route("/enterprises/<credit_code>/grade/explanation")
class Explanation(MethodView):
    """How an enterprise's grade came to be."""

    @blp.arguments(AsOfQueryArgsSchema, location="query")
    @blp.response(200, ExplanationSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, args: dict[str, Any], credit_code: str) -> dict[str, Any]:
        """Explain the grade on a business date, record by record"""
        assessment = reader().explain(credit_code, args["as_of"] or today())
        return explanation_body(credit_code, assessment)


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
        """List the enterprises on a board in a jurisdiction on a date"""
        day = args["as_of"] or today()
        rows = services().view.list_on_board(board, args["jurisdiction"], day)
        return [segment_body(row) for row in rows]
