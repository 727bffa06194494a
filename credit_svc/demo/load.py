"""Load the demo data set through the same validation as the HTTP API."""

from __future__ import annotations

import json
from pathlib import Path

from credit_svc.api.record_schemas import REQUEST_SCHEMAS
from credit_svc.domain.errors import (
    EnterpriseAlreadyRegisteredError,
    RecordAlreadyExistsError,
)
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
    for item in data["records"]:
        facts = REQUEST_SCHEMAS[item["kind"]]().load(item["body"])
        try:
            services.app.record(
                item["kind"], facts | {"credit_code": item["credit_code"]}
            )
            added += 1
        except RecordAlreadyExistsError:
            continue
    services.catch_up()
    return added
