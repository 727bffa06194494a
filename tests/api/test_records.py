"""Posting and listing the six record kinds over HTTP.

Refused records: test_record_refusals.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from credit_svc.services import Services
from tests.factories import (
    BODIES,
    YANTAI,
    events_written,
    post_record,
    record_body,
    register,
)

KINDS = list(BODIES)


@pytest.mark.parametrize("kind", KINDS)
def test_posted_record_is_listed_back_with_every_field(
    client: FlaskClient, kind: str
) -> None:
    register(client)

    posted = post_record(client, kind)
    listed = client.get(f"/enterprises/{YANTAI}/records")

    assert posted.status_code == 201
    assert listed.json == [posted.json]
    body = record_body(kind)
    common = {
        "business_date",
        "authority",
        "document_number",
        "project_code",
        "term_months",
    }
    assert {k: posted.json[k] for k in common} == {
        "business_date": "2026-01-10",
        "authority": "测试住建局",
        "document_number": body["document_number"],
        "project_code": body.get("project_code", ""),
        "term_months": body.get("term_months"),
    }
    assert posted.json["details"] == {
        k: v for k, v in body.items() if k not in common
    } | (_defaults(kind))
    assert posted.json["kind"] == kind


def _defaults(kind: str) -> dict[str, Any]:
    """Fields the schema fills in when a body leaves them out."""
    defaults: dict[str, dict[str, Any]] = {
        "inspection": {"passed": None},
        "party_building": {"score": None},
        "good_credit": {"points": None},
    }
    return defaults.get(kind, {})


@pytest.mark.parametrize("kind", KINDS)
def test_each_record_is_readable_by_its_id(client: FlaskClient, kind: str) -> None:
    register(client)
    posted = post_record(client, kind).json

    response = client.get(f"/records/{posted['record_id']}")

    assert response.status_code == 200
    assert response.json == posted


def test_records_are_filtered_by_kind(client: FlaskClient) -> None:
    register(client)
    for kind in KINDS:
        post_record(client, kind)

    response = client.get(f"/enterprises/{YANTAI}/records?kind=appraisal")

    assert [r["kind"] for r in response.json] == ["appraisal"]


def test_records_are_listed_in_business_date_order(client: FlaskClient) -> None:
    register(client)
    post_record(client, "good_credit", business_date="2026-03-01")
    post_record(client, "bad_credit", business_date="2025-12-01")

    response = client.get(f"/enterprises/{YANTAI}/records")

    assert [r["business_date"] for r in response.json] == ["2025-12-01", "2026-03-01"]


def test_the_same_document_twice_is_a_conflict_and_not_counted_twice(
    client: FlaskClient, services: Services
) -> None:
    register(client)
    first = post_record(client, "bad_credit")
    before = events_written(services)

    again = post_record(client, "bad_credit")

    assert again.status_code == 409
    assert (
        again.json["message"]
        == f"this record exists already as {first.json['record_id']}"
    )
    assert events_written(services) == before
