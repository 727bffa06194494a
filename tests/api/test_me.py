"""Each key learns who it is and what it may do, in the parties' language
(issue 32, item 5): `GET /me`, refusals in Chinese first, and Chinese names
of every operation in the OpenAPI document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from credit_svc.api.operation_names import OPERATION_NAMES
from credit_svc.domain.api_key import ROLES
from credit_svc.domain.parties import ASSESSOR_BY_ROLE, FLAGS_BY_ROLE, RECORDING_ROLES
from tests.api.test_access import _routes, _url
from tests.factories import YANTAI, post_record, register

SCOPES: dict[str, dict[str, Any]] = {
    "enterprise": {"credit_code": YANTAI},
    "owners_committee": {"projects": ("P-1",)},
}


def _key(client_as: Callable[..., FlaskClient], role: str) -> FlaskClient:
    """A key of the role scoped to the factories' Yantai firm and its P-1."""
    if role in RECORDING_ROLES:
        return client_as(role, "测试住建局", ("37",), **SCOPES.get(role, {}))
    return client_as(role, **SCOPES.get(role, {}))


def _body(role: str) -> dict[str, Any]:
    """A body a party's own check lets through (the schema may still refuse it)."""
    body: dict[str, Any] = {"project_code": "P-1"}
    if role in ASSESSOR_BY_ROLE:
        body["assessor_type"] = ASSESSOR_BY_ROLE[role]
    if role in FLAGS_BY_ROLE:
        body["flags"] = [FLAGS_BY_ROLE[role][0]]
    return body


@pytest.mark.parametrize("role", ROLES)
def test_me_lists_exactly_the_operations_the_key_gets_past_access(
    app: Flask,
    client: FlaskClient,
    client_as: Callable[..., FlaskClient],
    role: str,
) -> None:
    register(client)
    subjects = {
        "credit_code": YANTAI,
        "record_id": post_record(client, "bad_credit").json["record_id"],
        "manager_id": "00000000-0000-4000-8000-000000000000",
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
    caller = _key(client_as, role)
    listed = {(o["method"], o["path"]) for o in caller.get("/me").json["operations"]}
    wrong = []
    for endpoint, method, rule in _routes(app):
        path = rule.replace("<uuid:", "<").replace("<int:", "<")
        shown = (method, _url(path, {k: f"{{{k}}}" for k in subjects}))
        answer = caller.open(_url(rule, subjects), method=method, json=_body(role))
        answer.close()
        passed = answer.status_code not in (401, 403)
        if passed != (shown in listed):
            wrong.append((endpoint, method, answer.status_code, shown in listed))

    assert wrong == []


def test_a_street_office_is_told_its_role_kinds_and_limits_in_chinese(
    client_as: Callable[..., FlaskClient],
) -> None:
    me = _key(client_as, "street_office").get("/me").json

    assert me["role_name"] == "街道办事处 Street office"
    assert me["authority"] == "测试住建局"
    assert me["jurisdictions"] == ["37"]
    assert [(r["kind"], r["name"]) for r in me["records"]] == [
        ("inspection", "检查结果 Inspection"),
        ("appraisal", "评价意见 Appraisal"),
    ]
    assert "assessor_type street_office" in me["records"][1]["limit"]
    names = {o["name"] for o in me["operations"]}
    assert {"记录检查结果", "记录评价意见", "查询信用等级"} <= names
    assert "记录不良信用信息" not in names


def test_a_department_and_an_owners_committee_see_their_limits(
    client_as: Callable[..., FlaskClient],
) -> None:
    market = _key(client_as, "market_regulation").get("/me").json
    owners = _key(client_as, "owners_committee").get("/me").json
    firm = _key(client_as, "enterprise").get("/me").json

    assert market["records"] == [
        {
            "kind": "bad_credit",
            "name": "不良信用 Bad credit",
            "limit": "仅限「列入经营异常名录」或「列入严重违法失信名单」"
            "（flags ['abnormal_operations_list', 'serious_dishonesty_list'] 之一）",
        }
    ]
    assert owners["projects"] == ["P-1"]
    assert "仅限所代表的项目" in owners["records"][0]["limit"]
    assert firm["role_name"] == "物业服务企业 Property-service enterprise"
    assert firm["credit_code"] == YANTAI
    assert firm["records"] == []
    assert {o["name"] for o in firm["operations"]} >= {
        "对记录提出异议",
        "申请信用修复",
        "出具信用报告",
        "查询企业的信用记录",
    }


def test_a_refusal_says_why_in_chinese_first(
    client: FlaskClient,
    client_as: Callable[..., FlaskClient],
    anonymous: FlaskClient,
) -> None:
    register(client)
    party = _key(client_as, "street_party_committee")
    refused = post_record(party, "bad_credit", authority="测试住建局")

    assert refused.status_code == 403
    assert refused.json["message"] == (
        "街道党工委不能记录不良信用 · a street_party_committee key may not record "
        "bad_credit"
    )
    assert anonymous.get("/me").status_code == 401


def test_every_operation_has_a_chinese_name_first_in_the_document(
    app: Flask, anonymous: FlaskClient
) -> None:
    operations = {(e, m) for e, m, _ in _routes(app)}
    document = anonymous.get("/openapi.json").json
    summaries = [
        operation["summary"]
        for path in document["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict) and "summary" in operation
    ]

    assert operations - OPERATION_NAMES.keys() == set()
    assert OPERATION_NAMES.keys() - operations == set()
    assert len(summaries) == len(operations) - 1  # /openapi.json is not in itself
    assert all("\u4e00" <= s[0] <= "\u9fff" for s in summaries), summaries
