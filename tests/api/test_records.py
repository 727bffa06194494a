"""Posting and listing the six record kinds over HTTP, and every refusal."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from credit_svc.services import Services
from tests.factories import BODIES, PATHS, YANTAI, post_record, record_body, register

KINDS = list(BODIES)


def _written(services: Services) -> int:
    return services.app.recorder.max_notification_id() or 0


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
    return {"inspection": {"passed": None}, "party_building": {"score": None}}.get(
        kind, {}
    )


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
    before = _written(services)

    again = post_record(client, "bad_credit")

    assert again.status_code == 409
    assert (
        again.json["message"]
        == f"this record exists already as {first.json['record_id']}"
    )
    assert _written(services) == before


REFUSALS = [
    ("inspection", {"score": "92", "passed": True}, "score"),
    ("inspection", {"score": None, "passed": None}, "score"),
    ("inspection", {"score": "101"}, "score"),
    ("inspection", {"score": "92.555"}, "score"),
    ("inspection", {"inspection_type": "casual"}, "inspection_type"),
    ("inspection", {"rectification_deadline": "2025-01-01"}, "rectification_deadline"),
    ("list_entry", {"list_type": "grey_board"}, "list_type"),
    ("list_entry", {"term_months": 0}, "term_months"),
    ("good_credit", {"level": "galactic"}, "level"),
    ("bad_credit", {"severity": "catastrophic"}, "severity"),
    ("bad_credit", {"points": "-5"}, "points"),
    ("bad_credit", {"flags": ["jaywalking"]}, "flags"),
    ("party_building", {"party_member_count": -1}, "party_member_count"),
    # Read back it would not be the number recorded (JSON readers round it).
    ("party_building", {"party_member_count": 10**30}, "party_member_count"),
    ("party_building", {"level": None}, "level"),
    ("party_building", {"period": "last year"}, "period"),
    ("appraisal", {"sample_size": None}, "sample_size"),
    ("appraisal", {"sample_size": 10**7}, "sample_size"),
    ("appraisal", {"assessor_type": "mayor"}, "assessor_type"),
    ("appraisal", {"business_date": "2999-01-01"}, "business_date"),
    ("appraisal", {"document_number": ""}, "document_number"),
    ("appraisal", {"colour": "red"}, "colour"),
]


@pytest.mark.parametrize(("kind", "change", "field"), REFUSALS)
def test_invalid_record_is_422_naming_the_field_and_nothing_is_written(
    client: FlaskClient,
    services: Services,
    kind: str,
    change: dict[str, Any],
    field: str,
) -> None:
    register(client)
    before = _written(services)
    body = {k: v for k, v in (record_body(kind) | change).items() if v is not None}

    response = client.post(f"/enterprises/{YANTAI}/records/{PATHS[kind]}", json=body)

    assert response.status_code == 422
    assert response.json["code"] == 422
    assert field in response.json["errors"]["json"]
    assert _written(services) == before


def test_record_about_an_unknown_project_is_refused(
    client: FlaskClient, services: Services
) -> None:
    register(client)
    before = _written(services)

    response = post_record(client, "inspection", project_code="P-404")

    assert response.status_code == 422
    assert response.json["message"] == f"project P-404 is not a project of {YANTAI}"
    assert _written(services) == before


def test_record_about_an_unregistered_enterprise_is_404(client: FlaskClient) -> None:
    response = post_record(client, "good_credit")

    assert response.status_code == 404
    assert response.json["message"] == f"enterprise {YANTAI} is not registered"


def test_malformed_json_is_400_in_the_envelope(client: FlaskClient) -> None:
    register(client)

    response = client.post(
        f"/enterprises/{YANTAI}/records/appraisals",
        data="{nope",
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json["code"] == 400
    assert response.json["errors"] == {"json": ["Invalid JSON body."]}


def test_form_body_is_415_and_nothing_is_written(
    client: FlaskClient, services: Services
) -> None:
    register(client)
    before = _written(services)

    response = client.post(
        f"/enterprises/{YANTAI}/records/appraisals",
        data={"business_date": "2026-01-01"},
    )

    assert response.status_code == 415
    assert response.json["message"] == "send the body as application/json"
    assert _written(services) == before


def test_oversized_body_is_413_and_nothing_is_written(
    client: FlaskClient, services: Services
) -> None:
    register(client)
    before = _written(services)
    body = record_body("inspection", findings=["x" * 400] * 200)

    response = client.post(f"/enterprises/{YANTAI}/records/inspections", json=body)

    assert response.status_code == 413
    assert response.json["status"] == "Request Entity Too Large"
    assert _written(services) == before


def test_unknown_path_is_404_in_the_envelope(client: FlaskClient) -> None:
    response = client.get("/no-such-thing")

    assert response.status_code == 404
    assert set(response.json) == {"code", "status", "message"}


def test_unknown_record_id_is_404(client: FlaskClient) -> None:
    response = client.get("/records/00000000-0000-0000-0000-000000000000")

    assert response.status_code == 404


def test_a_project_added_through_another_worker_can_be_named_at_once(
    client: FlaskClient, bureau_with: Any
) -> None:
    # The first worker has read the enterprise (and keeps what it read) before
    # the second adds a project: the first must still accept records about it.
    register(client)
    assert post_record(client, "inspection", project_code="P-1").status_code == 201
    other_worker = bureau_with()
    added = other_worker.post(
        f"/enterprises/{YANTAI}/projects",
        json={"code": "P-2", "name": "二号小区", "authority": "测试住建局"},
    )

    about_new = post_record(
        client, "good_credit", project_code="P-2", document_number="D-2"
    )
    about_unknown = post_record(
        client, "bad_credit", project_code="P-3", document_number="D-3"
    )

    assert (added.status_code, about_new.status_code) == (201, 201)
    assert about_new.json["project_code"] == "P-2"
    assert about_unknown.status_code == 422
