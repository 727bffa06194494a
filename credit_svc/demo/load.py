"""Load the demo data set through the same validation as the HTTP API."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from credit_svc.api.manager_schemas import MANAGER_SCHEMAS
from credit_svc.api.project_schemas import (
    RegisterProjectRequestSchema,
    StartManagementRequestSchema,
)
from credit_svc.api.record_schemas import REQUEST_SCHEMAS
from credit_svc.domain.errors import (
    EnterpriseAlreadyRegisteredError,
    ProjectAlreadyRegisteredError,
    ProjectManagerAlreadyRegisteredError,
    RecordAlreadyExistsError,
)
from credit_svc.domain.project_manager import manager_id
from credit_svc.services import Services

DEMO_FILE = Path(__file__).with_name("demo.json")


def load_demo(services: Services, path: Path = DEMO_FILE) -> int:
    """Register the demo enterprises, post their records; return how many were new."""
    data = json.loads(path.read_text(encoding="utf-8"))
    added = 0
    for enterprise in data["enterprises"]:
        projects = {p["code"]: p["name"] for p in enterprise.pop("projects")}
        authority = enterprise.pop("authority")
        try:
            services.app.register_enterprise(enterprise, projects, authority)
            added += 1
        except EnterpriseAlreadyRegisteredError:
            continue
    added += _load_projects(services, data.get("projects", []))
    for item in data["records"]:
        facts = REQUEST_SCHEMAS[item["kind"]]().load(item["body"])
        try:
            services.app.record(
                item["kind"], facts | {"credit_code": item["credit_code"]}
            )
            added += 1
        except RecordAlreadyExistsError:
            continue
    added += _load_managers(services, data.get("managers", []))
    services.catch_up()
    return added


def _load_projects(services: Services, projects: list[dict[str, Any]]) -> int:
    """Register the demo estates with their facts and their managing firms."""
    added = 0
    for item in projects:
        body = RegisterProjectRequestSchema().load(
            {k: item[k] for k in ("project_code", "name", "jurisdiction", "authority")}
            | {"facts": item["facts"], "effective_on": item["effective_on"]}
        )
        details = {
            "project_code": body["project_code"],
            "name": body["name"],
            "jurisdiction": body["jurisdiction"],
            "registered_by": body["authority"],
        }
        try:
            services.projects.register(details, body["facts"], body["effective_on"])
        except ProjectAlreadyRegisteredError:
            continue  # loaded before, with its management
        started = StartManagementRequestSchema().load(
            item["management"] | {"authority": item["authority"]}
        )
        services.projects.start_management(
            body["project_code"],
            started["credit_code"],
            started["starts_on"],
            contract_ends_on=started["contract_ends_on"],
            took_over_old_estate=started["took_over_old_estate"],
            document_number=started["document_number"],
            recorded_by=started["authority"],
        )
        added += 2
    return added


def _load_managers(services: Services, managers: list[dict[str, Any]]) -> int:
    """Register the demo project managers, assign them, post their records."""
    added = 0
    for manager in managers:
        pseudonym = services.pseudonymiser.pseudonym(manager["id_number"])
        try:
            services.app.register_manager(
                pseudonym,
                name=manager["name"],
                jurisdiction=manager["jurisdiction"],
                registered_by=manager["authority"],
            )
        except ProjectManagerAlreadyRegisteredError:
            continue  # loaded before: its assignments and records are in too
        found = manager_id(pseudonym)
        for spell in manager["assignments"]:
            services.app.assign_manager(
                spell["credit_code"],
                spell["project_code"],
                manager_id=found,
                starts_on=date.fromisoformat(spell["starts_on"]),
                assigned_by=manager["authority"],
            )
        for item in manager["records"]:
            facts = MANAGER_SCHEMAS[item["kind"]]().load(item["body"])
            services.app.record(item["kind"], facts | {"manager_id": found})
        added += 1 + len(manager["assignments"]) + len(manager["records"])
    return added
