"""Projects (estates): register, state facts, management periods, star-rating
objections, and standing on a day."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, jsonify
from flask.views import MethodView

from credit_svc.api.blueprint import Blueprint
from credit_svc.api.clock import today
from credit_svc.api.errors import status_for
from credit_svc.api.grade_schemas import GradeQueryArgsSchema
from credit_svc.api.grades import day_and_cutoff
from credit_svc.api.project_bodies import project_body, standing_body
from credit_svc.api.project_schemas import (
    BatchProjectRequestSchema,
    BatchProjectSchema,
    EndManagementRequestSchema,
    EstateSchema,
    ProjectStandingSchema,
    RatingDecisionRequestSchema,
    RatingObjectionRequestSchema,
    RegisterProjectRequestSchema,
    StartManagementRequestSchema,
    StateFactsRequestSchema,
)
from credit_svc.api.services import project_reader, services
from credit_svc.domain.errors import DomainError, InvalidRecordError
from credit_svc.domain.schedule import PackSchedule

blp = Blueprint(
    "projects",
    __name__,
    description="Projects (estates): their facts, managers, stars and standing.",
)
PATH = "/projects/<project_code>"
FIRST_YEAR, LAST_YEAR = 2000, 2100  # the years a rating may be objected to


@blp.route("/projects")
class Projects(MethodView):
    """The register of estates."""

    @blp.arguments(RegisterProjectRequestSchema)
    @blp.response(201, EstateSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR")
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Register an estate under a code that stays when its manager changes"""
        details = {
            "project_code": body["project_code"],
            "name": body["name"],
            "jurisdiction": body["jurisdiction"],
            "registered_by": body["authority"],
        }
        project = services().projects.register(
            details, body["facts"], body["effective_on"]
        )
        return project_body(project) | {"facts": body["facts"]}


@blp.route(PATH)
class ProjectByCode(MethodView):
    """One estate."""

    @blp.response(200, EstateSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, project_code: str) -> dict[str, Any]:
        """Get an estate, every firm's management of it, and its facts today"""
        file = project_reader().file(project_code)
        return {
            "project_code": file.project_code,
            "name": file.name,
            "jurisdiction": file.jurisdiction,
            "periods": [vars(p) for p in file.periods],
            "facts": file.facts_on(today()),
        }


@blp.route(f"{PATH}/facts", methods=["POST"])
@blp.arguments(StateFactsRequestSchema)
@blp.response(201, EstateSchema)
@blp.alt_response(404, response="DEFAULT_ERROR")
def state_facts(body: dict[str, Any], project_code: str) -> dict[str, Any]:
    """State facts of the estate that hold from a business date"""
    project = services().projects.state_facts(
        project_code, body["effective_on"], body["facts"], body["authority"]
    )
    return project_body(project) | {"facts": body["facts"]}


@blp.route(f"{PATH}/management", methods=["POST"])
@blp.arguments(StartManagementRequestSchema)
@blp.response(201, EstateSchema)
@blp.alt_response(404, response="DEFAULT_ERROR")
@blp.alt_response(409, response="DEFAULT_ERROR")
def start_management(body: dict[str, Any], project_code: str) -> dict[str, Any]:
    """Record that a firm took on the estate from a day

    The firm's register lists the project from then on, so records about
    the firm may name it. One firm at a time: end the current period first.
    """
    project = services().projects.start_management(
        project_code,
        body["credit_code"],
        body["starts_on"],
        contract_ends_on=body["contract_ends_on"],
        took_over_old_estate=body["took_over_old_estate"],
        document_number=body["document_number"],
        recorded_by=body["authority"],
    )
    services().after_write()
    return project_body(project)


@blp.route(f"{PATH}/management/end", methods=["POST"])
@blp.arguments(EndManagementRequestSchema)
@blp.response(201, EstateSchema)
@blp.alt_response(404, response="DEFAULT_ERROR")
@blp.alt_response(409, response="DEFAULT_ERROR")
def end_management(body: dict[str, Any], project_code: str) -> dict[str, Any]:
    """Record that a firm's management of the estate ended (its first day without)"""
    project = services().projects.end_management(
        project_code,
        body["credit_code"],
        body["ends_on"],
        reason=body["reason"],
        recorded_by=body["authority"],
    )
    return project_body(project)


@blp.route(f"{PATH}/ratings/<int:year>/objection", methods=["POST"])
@blp.arguments(RatingObjectionRequestSchema)
@blp.response(201, EstateSchema)
@blp.alt_response(404, response="DEFAULT_ERROR")
@blp.alt_response(409, response="DEFAULT_ERROR")
def object_to_rating(
    body: dict[str, Any], project_code: str, year: int
) -> dict[str, Any]:
    """Record an objection to a year's star rating, filed during its publicity

    While it is open the rating does not take effect.
    """
    _check_in_publicity(project_code, year, body["filed_on"])
    project = services().projects.object_to_rating(
        project_code,
        year,
        filed_on=body["filed_on"],
        reason=body["reason"],
        recorded_by=body["authority"],
    )
    return project_body(project)


@blp.route(f"{PATH}/ratings/<int:year>/objection/decision", methods=["POST"])
@blp.arguments(RatingDecisionRequestSchema)
@blp.response(201, EstateSchema)
@blp.alt_response(404, response="DEFAULT_ERROR")
@blp.alt_response(409, response="DEFAULT_ERROR")
def decide_objection(
    body: dict[str, Any], project_code: str, year: int
) -> dict[str, Any]:
    """Decide the open objection: upheld withdraws the rating, rejected lets it
    take effect"""
    project = services().projects.decide_objection(
        project_code,
        year,
        decided_on=body["decided_on"],
        upheld=body["upheld"],
        recorded_by=body["authority"],
    )
    return project_body(project)


@blp.route(f"{PATH}/standing")
@blp.arguments(GradeQueryArgsSchema, location="query")
@blp.response(200, ProjectStandingSchema)
@blp.alt_response(404, response="DEFAULT_ERROR")
def standing(args: dict[str, Any], project_code: str) -> dict[str, Any]:
    """Get a project's standing on a business date: score, board, stars,
    demonstration-project eligibility, and every record's part

    With `recorded_at`, as the service would have answered then.
    """
    day, cutoff = day_and_cutoff(args)
    return standing_body(project_reader().standing(project_code, day, cutoff))


@blp.route("/projects/standing/batch", methods=["POST"])
@blp.arguments(BatchProjectRequestSchema)
@blp.response(200, BatchProjectSchema)
def batch_standing(args: dict[str, Any]) -> Response:
    """Get the standings of up to 500 projects on one date

    A project not registered, or that no pack covers on the date, is listed
    under `errors` with its status. Nothing is written.
    """
    day, cutoff = day_and_cutoff(args)
    asked = list(dict.fromkeys(args["project_codes"]))
    answers = project_reader().standings(asked, day, cutoff)
    found, errors = [], []
    for code in asked:
        answer = answers[code]
        if isinstance(answer, DomainError):
            errors.append(
                {
                    "project_code": code,
                    "code": status_for(answer),
                    "message": str(answer),
                }
            )
        else:
            found.append(ProjectStandingSchema().dump(standing_body(answer)))
    return jsonify({"as_of": day, "standings": found, "errors": errors})


def _check_in_publicity(project_code: str, year: int, filed_on: date) -> None:
    """Refuse an objection outside the year's publicity period (422)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:  # date() refuses years past 9999
        msg = f"a rating year is {FIRST_YEAR} to {LAST_YEAR}, not {year}"
        raise InvalidRecordError(msg)
    reader = project_reader()
    file = reader.file(project_code)
    pack = PackSchedule(file.jurisdiction, reader.packs).pack_on(filed_on)
    stars = pack.projects.stars if pack else None
    if stars is None:
        raise InvalidRecordError(f"no rule pack rates project {project_code} by stars")
    rated_on = date(year, stars.rated_month, stars.rated_day)
    last_day = reader.calendar.add(rated_on, stars.publicity_working_days)
    if not rated_on <= filed_on <= last_day:
        msg = (
            f"the {year} rating's publicity runs from {rated_on} to {last_day}: "
            "an objection is heard only then"
        )
        raise InvalidRecordError(msg)
