"""Enterprises: register, read, add projects."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from credit_svc.api.blueprint import Blueprint
from credit_svc.api.clock import today
from credit_svc.api.enterprise_schemas import (
    AddProjectRequestSchema,
    EnterpriseSchema,
    RegisterEnterpriseRequestSchema,
)
from credit_svc.api.grade_schemas import AsOfQueryArgsSchema
from credit_svc.api.services import project_reader, reader, services
from credit_svc.domain.enterprise import Enterprise

blp = Blueprint(
    "enterprises",
    __name__,
    url_prefix="/enterprises",
    description="Register enterprises and their projects.",
)


def as_body(enterprise: Enterprise) -> dict[str, Any]:
    """Return the enterprise as the API shows it."""
    projects = [{"code": c, "name": n} for c, n in enterprise.projects.items()]
    return {
        "credit_code": enterprise.credit_code,
        "name": enterprise.name,
        "jurisdiction": enterprise.jurisdiction,
        "projects": projects,
    }


@blp.route("")
class Enterprises(MethodView):
    """The register of enterprises."""

    @blp.arguments(RegisterEnterpriseRequestSchema)
    @blp.response(201, EnterpriseSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR")
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Register an enterprise with its projects"""
        projects = {p["code"]: p["name"] for p in body.pop("projects")}
        authority = body.pop("authority")
        enterprise = services().app.register_enterprise(body, projects, authority)
        services().after_write()
        return as_body(enterprise)


@blp.route("/<credit_code>")
class EnterpriseByCode(MethodView):
    """One enterprise."""

    @blp.arguments(AsOfQueryArgsSchema, location="query")
    @blp.response(200, EnterpriseSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, args: dict[str, Any], credit_code: str) -> dict[str, Any]:
        """Get an enterprise and its projects, each with its board and stars
        on a business date (today when as_of is left out)"""
        enterprise = reader().enterprise(credit_code)
        day = args["as_of"] or today()
        projects = project_reader().of_enterprise(credit_code, day)
        return enterprise | {"as_of": day, "projects": projects}


@blp.route("/<credit_code>/projects")
class Projects(MethodView):
    """An enterprise's projects."""

    @blp.arguments(AddProjectRequestSchema)
    @blp.response(201, EnterpriseSchema)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    @blp.alt_response(409, response="DEFAULT_ERROR")
    def post(self, body: dict[str, Any], credit_code: str) -> dict[str, Any]:
        """Add a project to an enterprise"""
        enterprise = services().app.add_project(
            credit_code, body["code"], body["name"], body["authority"]
        )
        services().after_write()
        return as_body(enterprise)
