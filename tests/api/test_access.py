"""Who may do what: every role against every endpoint (keys and the bureau's
scope: test_keys_and_scope.py).

The expected rights are written out here, apart from the code's own table, so
a change to one without the other fails.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from credit_svc.api.access import PAGES
from tests.factories import YANTAI, post_record, register

ROLES = ("public", "platform", "auditor", "admin", "bureau")
EVERYONE = frozenset(ROLES)
READERS = frozenset({"auditor", "admin", "bureau"})
PLATFORM_READS = READERS | {"platform"}
WRITERS = frozenset({"bureau"})
PUBLIC_ENDPOINTS = {
    "grades.Board",
    "grades.Grade",
    "project_managers.list_blacklisted",
    "rule_packs.RulePacks",
    "audit.ReceiptKey",
    "audit.ReceiptVerify",
    "audit.LogCheckpoints",
    "health.Health",
    "health.Readiness",
    "api-docs.openapi_json",
    "credit_reports.ReportByNumber",
    "statistics.PublishedReports",
    "statistics.PublishedReport",
    "board_issues.Archive",
    "board_issues.Issue",
    "draws.DrawByPeriod",
}
# Credit reports: platforms, auditors, admins and bureaus (in their
# jurisdictions) issue them (a firm its own: test_credit_reports.py).
REPORT_ISSUERS = frozenset({"platform", "auditor", "admin", "bureau"})
PLATFORM_ENDPOINTS = {
    "grades.BatchGrades",
    "grades.History",
    "grades.AwardEligibility",
    "grades.Explanation",
    "audit.GradeReceipt",
    "audit.LogHead",
    "audit.LogVerify",
    "enterprises.EnterpriseByCode",
    "feed.Feed",
    "projects.ProjectByCode",
    "projects.standing",
    "projects.batch_standing",
}


def expected_roles(endpoint: str, method: str) -> frozenset[str]:  # noqa: PLR0911
    """Return the roles that may call the endpoint with the method."""
    if endpoint in PUBLIC_ENDPOINTS:
        return EVERYONE
    if endpoint == "me.Me":  # any key learns who it is
        return EVERYONE - {"public"}
    if endpoint in PLATFORM_ENDPOINTS:
        return PLATFORM_READS
    if endpoint == "credit_reports.issue":
        return REPORT_ISSUERS
    if endpoint.startswith("subscriptions."):  # where the data goes: admins
        return frozenset({"admin"})
    if (endpoint, method) == ("grade_uses.GradeUses", "POST"):
        return frozenset({"platform"})  # how a platform used a grade
    if method == "GET" or endpoint in (
        "project_managers.find_manager",
        "projects.batch_standing",
    ):
        return READERS
    return WRITERS


@pytest.fixture
def callers(
    client: FlaskClient, client_as: Any, anonymous: FlaskClient
) -> dict[str, FlaskClient]:
    """Return one client per role (the bureau is the factories' authority)."""
    return {
        "public": anonymous,
        "platform": client_as("platform"),
        "auditor": client_as("auditor"),
        "admin": client_as("admin"),
        "bureau": client,
    }


@pytest.fixture
def subjects(client: FlaskClient) -> dict[str, str]:
    """Register what the URLs name: an enterprise, a record, a manager."""
    register(client)
    record = post_record(client, "bad_credit").json["record_id"]
    manager = client.post(
        "/project-managers",
        json={
            "name": "张三",
            "id_number": "11010519491231002X",
            "jurisdiction": "370602",
            "authority": "测试住建局",
        },
    ).json["manager_id"]
    return {
        "credit_code": YANTAI,
        "record_id": record,
        "manager_id": manager,
        "project_code": "P-1",
        "board": "blacklist",
        "year": "2026",
        "number": "CR20260601-AAAAAAAAAA",
        "jurisdiction": "3706",
        "period": "2026-Q2",
        "key": "red-2026-Q2",
        "list_name": "abnormal_operations",
        "subscription_id": "00000000-0000-4000-8000-000000000000",
        "field_set": "penalties",
    }


def _routes(app: Flask) -> list[tuple[str, str, str]]:
    return sorted(
        (rule.endpoint, method, rule.rule)
        for rule in app.url_map.iter_rules()
        # HTML pages (and the root, which leads to them) check access
        # themselves: see tests/web/test_pages.py and test_contract.py
        if rule.endpoint not in ("static", "home")
        and not rule.endpoint.startswith(PAGES)
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    )


def _url(rule: str, subjects: dict[str, str]) -> str:
    return re.sub(
        r"<(?:[^:<>]+:)?([a-z_]+)(?:\([^)]*\))?>", lambda m: subjects[m[1]], rule
    )


def test_every_role_gets_exactly_its_rights_on_every_endpoint(
    app: Flask, callers: dict[str, FlaskClient], subjects: dict[str, str]
) -> None:
    wrong = []
    for endpoint, method, rule in _routes(app):
        allowed = expected_roles(endpoint, method)
        for role, caller in callers.items():
            answer = caller.open(_url(rule, subjects), method=method, json={})
            answer.close()  # the log export streams
            refused = answer.status_code in (401, 403)
            if refused == (role in allowed) or answer.status_code >= 500:
                wrong.append((role, method, rule, answer.status_code))

    assert wrong == []


def test_a_refusal_names_the_reason_in_the_envelope(
    anonymous: FlaskClient, client_as: Any
) -> None:
    unauthenticated = anonymous.post("/enterprises", json={})
    platform = client_as("platform").post("/enterprises", json={})

    assert unauthenticated.json == {
        "code": 401,
        "status": "Unauthorized",
        "message": "需要 API 密钥 · an API key is required",
    }
    assert platform.status_code == 403
    assert platform.json["message"] == (
        "招标投标平台的密钥不能写入 · a platform key may not write"
    )
