"""Steps of the project tests: register an estate, manage it, read its standing."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

AUTHORITY_NAME = "测试住建局"  # the factories' recording authority


def add_project(
    client: FlaskClient,
    code: str,
    jurisdiction: str,
    facts: dict[str, Any] | None = None,
    effective_on: str = "2025-01-01",
) -> dict[str, Any]:
    """Register an estate, with facts from a day when given."""
    body: dict[str, Any] = {
        "project_code": code,
        "name": f"{code}小区",
        "jurisdiction": jurisdiction,
        "authority": AUTHORITY_NAME,
    }
    if facts:
        body |= {"facts": facts, "effective_on": effective_on}
    answer = client.post("/projects", json=body)
    assert answer.status_code == 201, answer.json
    return dict(answer.json)


def manage(
    client: FlaskClient, code: str, credit_code: str, starts_on: str = "2024-01-01"
) -> dict[str, Any]:
    """Put the firm in charge of the estate from a day."""
    answer = client.post(
        f"/projects/{code}/management",
        json={
            "credit_code": credit_code,
            "starts_on": starts_on,
            "document_number": f"合同-{code}-{credit_code[-4:]}",
            "authority": AUTHORITY_NAME,
        },
    )
    assert answer.status_code == 201, answer.json
    return dict(answer.json)


def standing(client: FlaskClient, code: str, as_of: str, **args: str) -> dict[str, Any]:
    """Return the project's standing on the day."""
    query = "&".join(f"{k}={v}" for k, v in {"as_of": as_of, **args}.items())
    answer = client.get(f"/projects/{code}/standing?{query}")
    assert answer.status_code == 200, answer.json
    return dict(answer.json)
