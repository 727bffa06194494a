"""Records refused over HTTP: each with its status in the one envelope, and
nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from credit_svc.services import Services
from tests.factories import (
    PATHS,
    YANTAI,
    events_written,
    post_record,
    record_body,
    register,
)

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
    before = events_written(services)
    body = {k: v for k, v in (record_body(kind) | change).items() if v is not None}

    response = client.post(f"/enterprises/{YANTAI}/records/{PATHS[kind]}", json=body)

    assert response.status_code == 422
    assert response.json["code"] == 422
    assert field in response.json["errors"]["json"]
    assert events_written(services) == before


def test_record_about_an_unknown_project_is_refused(
    client: FlaskClient, services: Services
) -> None:
    register(client)
    before = events_written(services)

    response = post_record(client, "inspection", project_code="P-404")

    assert response.status_code == 422
    assert response.json["message"] == f"project P-404 is not a project of {YANTAI}"
    assert events_written(services) == before


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
    before = events_written(services)

    response = client.post(
        f"/enterprises/{YANTAI}/records/appraisals",
        data={"business_date": "2026-01-01"},
    )

    assert response.status_code == 415
    assert response.json["message"] == "send the body as application/json"
    assert events_written(services) == before


def test_oversized_body_is_413_and_nothing_is_written(
    client: FlaskClient, services: Services
) -> None:
    register(client)
    before = events_written(services)
    body = record_body("inspection", findings=["x" * 400] * 200)

    response = client.post(f"/enterprises/{YANTAI}/records/inspections", json=body)

    assert response.status_code == 413
    assert response.json["status"] == "Request Entity Too Large"
    assert events_written(services) == before


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
