"""Project managers (项目负责人): register, assign to projects, record, score."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView

from credit_svc.api.blueprint import Blueprint
from credit_svc.api.clock import today
from credit_svc.api.grade_schemas import AsOfQueryArgsSchema, BoardQueryArgsSchema
from credit_svc.api.manager_bodies import (
    assignment_body,
    listed_body,
    manager_body,
    standing_body,
)
from credit_svc.api.manager_schemas import (
    AssignManagerRequestSchema,
    AssignmentSchema,
    FindManagerRequestSchema,
    ListedManagerSchema,
    ManagerBadCreditRequestSchema,
    ManagerListEntryRequestSchema,
    ManagerSchema,
    ManagerStandingSchema,
    RegisterManagerRequestSchema,
)
from credit_svc.api.record_schemas import RecordSchema
from credit_svc.api.records import append_record, shown
from credit_svc.api.services import manager_reader, reader, services
from credit_svc.domain.manager_standing import with_ends
from credit_svc.domain.project_manager import manager_id

blp = Blueprint(
    "project_managers",
    __name__,
    description="Project managers: their assignments, records, points and blacklist.",
)
PATH = "/project-managers/<uuid:manager_id>"


@blp.route("/project-managers")
class Managers(MethodView):
    """The register of project managers."""

    @blp.arguments(RegisterManagerRequestSchema)
    @blp.response(201, ManagerSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR")
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Register a project manager; the ID number is kept only as a keyed hash"""
        pseudonym = services().pseudonymiser.pseudonym(body["id_number"])
        manager = services().app.register_manager(
            pseudonym,
            name=body["name"],
            jurisdiction=body["jurisdiction"],
            registered_by=body["authority"],
        )
        services().after_write()
        return {"manager_id": manager.id, "name": manager.name} | {
            "jurisdiction": manager.jurisdiction
        }


@blp.route("/project-managers/lookup", methods=["POST"])
@blp.arguments(FindManagerRequestSchema)
@blp.response(200, ManagerSchema)
@blp.alt_response(404, response="DEFAULT_ERROR")
def find_manager(body: dict[str, Any]) -> dict[str, Any]:
    """Find a project manager by ID number (in the body, never in the URL)"""
    pseudonym = services().pseudonymiser.pseudonym(body["id_number"])
    return manager_body(manager_reader().manager(manager_id(pseudonym)))


@blp.route("/project-managers/blacklist")
@blp.arguments(BoardQueryArgsSchema, location="query")
@blp.response(200, ListedManagerSchema(many=True))
def list_blacklisted(args: dict[str, Any]) -> list[dict[str, Any]]:
    """List the project managers on the blacklist in a jurisdiction on a date"""
    day = args["as_of"] or today()
    listed = manager_reader().list_blacklisted(args["jurisdiction"], day)
    return [listed_body(manager, assessment) for manager, assessment in listed]


@blp.route(PATH)
@blp.response(200, ManagerSchema)
@blp.alt_response(404, response="DEFAULT_ERROR")
def get_manager(manager_id: UUID) -> dict[str, Any]:
    """Get a project manager"""
    return manager_body(manager_reader().manager(manager_id))


@blp.route(f"{PATH}/standing")
@blp.arguments(AsOfQueryArgsSchema, location="query")
@blp.response(200, ManagerStandingSchema)
@blp.alt_response(404, response="DEFAULT_ERROR")
def get_standing(args: dict[str, Any], manager_id: UUID) -> dict[str, Any]:
    """Score a project manager on a date, with every record and charge"""
    manager, assessment = manager_reader().standing(
        manager_id, args["as_of"] or today()
    )
    return standing_body(manager, assessment)


@blp.route(f"{PATH}/assignments")
@blp.response(200, AssignmentSchema(many=True))
@blp.alt_response(404, response="DEFAULT_ERROR")
def list_manager_assignments(manager_id: UUID) -> list[dict[str, Any]]:
    """List the projects a manager ran, with when each spell ended"""
    manager_reader().manager(manager_id)
    spells = with_ends(services().view.managers.list_assignments(str(manager_id)))
    return [
        assignment_body(a, ends_on)
        for a, ends_on in spells
        if a.manager_id == str(manager_id)
    ]


@blp.route(f"{PATH}/records")
@blp.response(200, RecordSchema(many=True))
@blp.alt_response(404, response="DEFAULT_ERROR")
def list_manager_records(manager_id: UUID) -> list[dict[str, Any]]:
    """List the records about a project manager"""
    manager_reader().manager(manager_id)
    return [
        shown(row)
        for row in services().view.managers.list_manager_records(str(manager_id))
    ]


@blp.route(f"{PATH}/records/bad-credit-records", methods=["POST"])
@blp.arguments(ManagerBadCreditRequestSchema)
@blp.response(201, RecordSchema)
@blp.alt_response(404, response="DEFAULT_ERROR")
@blp.alt_response(409, response="DEFAULT_ERROR")
def post_bad_credit(body: dict[str, Any], manager_id: UUID) -> dict[str, Any]:
    """Record a bad-credit fact about a project manager"""
    return append_record("manager_bad_credit", body | {"manager_id": manager_id})


@blp.route(f"{PATH}/records/list-entries", methods=["POST"])
@blp.arguments(ManagerListEntryRequestSchema)
@blp.response(201, RecordSchema)
@blp.alt_response(404, response="DEFAULT_ERROR")
@blp.alt_response(409, response="DEFAULT_ERROR")
def post_list_entry(body: dict[str, Any], manager_id: UUID) -> dict[str, Any]:
    """Put a project manager on the blacklist or a board"""
    return append_record("manager_list_entry", body | {"manager_id": manager_id})


@blp.route("/enterprises/<credit_code>/projects/<project_code>/managers")
class ProjectManagers(MethodView):
    """Who ran one project, and from when."""

    @blp.arguments(AssignManagerRequestSchema)
    @blp.response(201, AssignmentSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    @blp.alt_response(409, response="DEFAULT_ERROR")
    def post(
        self, body: dict[str, Any], credit_code: str, project_code: str
    ) -> dict[str, Any]:
        """Put a project manager in charge of a project from a date"""
        services().app.assign_manager(
            credit_code,
            project_code,
            manager_id=body["manager_id"],
            starts_on=body["starts_on"],
            assigned_by=body["authority"],
        )
        services().catch_up()  # always: the answer is read from the view
        spells = self._spells(credit_code, project_code)
        return next(s for s in spells if s["starts_on"] == body["starts_on"])

    @blp.response(200, AssignmentSchema(many=True))
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, credit_code: str, project_code: str) -> list[dict[str, Any]]:
        """List a project's managers, oldest first"""
        return self._spells(credit_code, project_code)

    @staticmethod
    def _spells(credit_code: str, project_code: str) -> list[dict[str, Any]]:
        reader().enterprise(credit_code)
        rows = services().view.managers.list_project_assignments(
            credit_code, project_code
        )
        return [assignment_body(a, ends_on) for a, ends_on in with_ends(rows)]
